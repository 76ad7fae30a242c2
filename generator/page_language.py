"""What renders a page in one language: its words (generator/words.py),
its dates, and the templates compiled with both.

The Markdown pages (render.py), the embeddable page (embed.py) and the
footer the engine's theme shows (`masthead`) all print their words and
dates from here, so a word or a date reads the same wherever it appears.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2
from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal
from markupsafe import Markup

from .model import STATUSES, STORY_STATUSES, Brief
from .schema import SLUG, PartialDate
from .settings import Settings
from .text import escape_text
from .words import PLACEHOLDER, Word, Words, locale, words_for

TEMPLATES = Path(__file__).parent / "templates"
CHANGES_SHOWN = 5  # What changed's lines shown before "Show N more"
LIST_SHOWN = 10  # a story hub's developments (and background events) shown before "Show earlier"


def _finalize(value):
    """Every value a template prints is escaped unless it is already safe HTML."""
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    return Markup(escape_text(str(value)))


def slug_path(value: str) -> Markup:
    """A slug or file path made of slugs, safe to print in a Markdown link."""
    parts = value.split("/")
    if not all(SLUG.fullmatch(part.removesuffix(".md")) or part in ("", "..") for part in parts):
        raise ValueError(f"not a path of slugs: {value!r}")
    return Markup(value)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["path"] = slug_path
    env.filters["teaser"] = _teaser
    env.filters["tag_url"] = lambda tag: Markup(quote(tag.slug, safe="") + "/")
    return env



TEASER_LENGTH = 80  # characters of a claim that What changed shows


def _teaser(text) -> str:
    """The start of an editor text as plain words, cut at a word: What
    changed names a claim in one line, What we know shows it whole."""
    words = text.plain
    if len(words) <= TEASER_LENGTH:
        return words
    cut = words.rfind(" ", 0, TEASER_LENGTH + 1)
    return words[: cut if cut > 0 else TEASER_LENGTH].rstrip(" ,;:") + "…"


def fill(word: str, **values) -> Markup:
    """A word with its placeholders (`{n}`) filled in: the word escaped as
    text, each value as a template prints it (a `<time>` stays one)."""
    parts = PLACEHOLDER.split(word)  # text, name, text, name ... text
    return Markup("").join(_finalize(values[part]) if i % 2 else Markup(escape_text(part)) for i, part in enumerate(parts))


def masthead(settings: Settings, words: Words) -> dict:
    """The footer of every page (overrides/partials/copyright.html), in the
    page's language: the publisher, then its corrections policy, contact,
    the site's feed and the editor guide (out of the readers' sections)."""
    text = words.text
    links = [(text["words.corrections_policy"], settings.corrections_policy, ""), (text["words.contact"], settings.contact, ""),
             (text["words.site_feed"], "feed.xml", "application/atom+xml"), (text["words.guide"], "guide/", "")]
    return {"label": text["words.masthead"], "publisher": settings.publisher, "made_with": text["words.made_with"],
            "links": [{"name": name, "url": url, "type": kind} for name, url, kind in links if url]}



class MacroCalls:
    """Calls of _macros.j2's macros, each made once per build: a source's
    link or list entry and the status legend recur on many pages."""

    def __init__(self, macros):
        self.macros = macros
        self.made: dict[tuple, Markup] = {}

    def __call__(self, name: str, *args) -> Markup:
        key = (name, *args)
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = getattr(self.macros, name)(*args)
        return made



def day_of(value) -> dt.date:
    """The calendar day of a date or date-time, as the editor wrote it."""
    return value.date() if isinstance(value, dt.datetime) else value


class PageLanguage:
    """What renders pages in one language: its words (generator/words.py),
    its dates, and the templates compiled with both. Dates are in the
    language's format where locale data has it, else in the site's."""

    PAGES = ("home", "story", "brief", "tags", "tag", "author")

    def __init__(self, tag: str, settings: Settings, author_ids: dict[str, str]):
        self.tag = tag
        self.words = words_for(tag, settings.words)
        self.locale = str(locale(tag) or locale(settings.language) or "en")
        self._times: dict[str, Markup] = {}  # a story's dates recur on many pages; Babel is slow
        meanings = self.words.group("status_meaning")
        self.env = environment()
        self.env.globals.update(
            statuses={status: meanings[status] for status in STATUSES}, story_statuses=STORY_STATUSES,
            when=self.when, day=self.day, since=self.since, settings=settings, CHANGES_SHOWN=CHANGES_SHOWN,
            LIST_SHOWN=LIST_SHOWN, page_words=self.words, fill=fill, counted=self.counted,
            work_types=self.words.group("work_type_meaning"), author_ids=author_ids,
        )
        self.templates = {name: self.env.get_template(f"{name}.md.j2") for name in self.PAGES}
        self.once = MacroCalls(self.env.get_template("_macros.j2").module)
        self.env.globals["once"] = self.once

    def counted(self, word: Word, count: int, **values) -> Markup:
        """A word that counts (`{n} developments`) in the plural form `count` takes."""
        return fill(self.words.form(word, count), n=format_decimal(count, locale=self.locale), **values)

    def when(self, value) -> Markup:
        """A date or date-time as `<time>`, in this language's date format."""
        key = repr(value)  # not the value: 21:00+03:00 equals 18:00+00:00, shown otherwise
        made = self._times.get(key)
        if made is None:
            made = self._times[key] = self._time_element(value, self.locale)
        return made

    def day(self, value) -> Markup:
        """The calendar day of a date or date-time (as the editor wrote it), as `<time>`."""
        if isinstance(value, dt.datetime):
            value = value.date()
        return self.when(value)

    def since(self, previous: Brief, current: Brief) -> Markup:
        """When the previous development was, in What changed's "Since …"
        line: its day, with the time when both are on the same day."""
        same_day = day_of(previous.date) == day_of(current.date)
        return self.when(previous.date) if same_day else self.day(previous.date)

    def _time_element(self, value, locale: str) -> Markup:
        if isinstance(value, PartialDate):
            shown, iso = self._partial(value, locale), value.iso
        elif isinstance(value, dt.datetime):
            # 24-hour in every language ("21:00 GMT+3"), as the contract shows times,
            # joined to the date as the language joins them ("{1}, {0}")
            time = f"{format_skeleton('Hm', value, locale=locale)} {self._zone(value, locale)}"
            joined = Locale.parse(locale).datetime_formats["medium"]
            shown = joined.replace("{1}", format_date(value, "long", locale=locale)).replace("{0}", time)
            iso = value.isoformat()
        else:
            shown, iso = format_date(value, "long", locale=locale), value.isoformat()
        # Isolated (<bdi>), so that in a right-to-left page a date keeps its
        # place beside its label and its own digits' order.
        return Markup('<bdi><time datetime="{}">{}</time></bdi>').format(iso, shown)

    @staticmethod
    def _zone(value: dt.datetime, locale: str) -> str:
        """The zone a time is shown in. A time the editor wrote with an offset
        keeps it, in the language's GMT format ("GMT+3", "GMT+5:30"); a time
        without one is in the site's zone, by its short name where the
        language has one ("UTC", "EDT")."""
        if isinstance(value.tzinfo, ZoneInfo):
            name = format_time(value, "z", locale=locale)
            if name[:1].isalpha():
                return name
        utc_offset = value.utcoffset()  # every time in the model has one
        minutes = round(utc_offset.total_seconds()) // 60 if utc_offset else 0
        hours, rest = divmod(abs(minutes), 60)
        offset = f"{'-' if minutes < 0 else '+'}{hours}{f':{rest:02}' if rest else ''}" if minutes else ""
        return Locale.parse(locale).zone_formats["gmt"] % offset

    @staticmethod
    def _partial(value: PartialDate, locale: str) -> str:
        day = dt.date.fromisoformat((value.iso + "-01-01")[:10])
        if value.precision == "year":
            return value.iso
        if value.precision == "month":
            return format_skeleton("yMMMM", day, locale=locale)
        return format_date(day, "long", locale=locale)
