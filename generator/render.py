"""The validated model -> Markdown pages for MkDocs.

Templates hold the layout and print the words of the page's language
(generator/words.py); this module prepares what they show (source
numbers, neighbours, dates) and writes only pages that changed, so MkDocs
and the preview see real changes only.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2
from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal
from markupsafe import Markup

from .changes import changes, claim_key, claim_records
from .model import STATUSES, STORY_STATUSES, WORK_TYPES, Author, Brief, Event, Project, Source, Story, StoryEntry, moment
from .page_meta import FrontMatter, Neighbour, PageMeta, SearchFields, UnreadableMeta
from .problems import ContentErrors, Problem
from .schema import SLUG, PartialDate
from .settings import Briefing, Settings
from .sharing import Sharing, direction
from .tags import Tag, TagIndex
from .text import LIMITS, escape_text
from .validate import RESERVED_STORY_SLUGS
from .words import PLACEHOLDER, Word, Words, about, bundled, keys, locale, words_for

TEMPLATES = Path(__file__).parent / "templates"
NEIGHBOURS = 3  # developments shown before and after a brief in its sidebar
CHANGES_SHOWN = 5  # What changed's lines shown before "Show N more"
LIST_SHOWN = 10  # a story hub's developments (and background events) shown before "Show earlier"


def _finalize(value):
    """Every value a template prints is escaped unless it is already safe HTML."""
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    return Markup(escape_text(str(value)))


def _path(value: str) -> Markup:
    """A slug or file path made of slugs, safe to print in a Markdown link."""
    parts = value.split("/")
    if not all(SLUG.fullmatch(part.removesuffix(".md")) or part in ("", "..") for part in parts):
        raise ValueError(f"not a path of slugs: {value!r}")
    return Markup(value)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["path"] = _path
    env.filters["teaser"] = _teaser
    env.filters["tag_url"] = lambda tag: Markup(quote(tag.slug, safe="") + "/")
    return env


def guide_markdown() -> str:
    """The editor guide's Markdown, from the format's one declaration: the
    site's /guide/ page and docs/editor-guide.md (`guide_for_github`) are made from it."""
    from . import model

    records = [model.Story, model.Brief, model.Claim, model.Position, model.Quote, model.Event,
               model.Source, model.InlineSource, model.Correction, model.Author]
    env = _environment()
    env.globals.update(statuses=STATUSES, work_types={w.name: w.meaning for w in WORK_TYPES})
    blank = file_stub("new-brief.yaml.j2", "../../schemas/brief.schema.json", Brief,
                      story="<story>", title="Headline of the development", today="2024-01-14")
    return env.get_template("guide.md.j2").render(records=records, briefing=Briefing.FIELDS, blank_brief=blank,
                                                  reserved_story_slugs=sorted(RESERVED_STORY_SLUGS), limits=LIMITS,
                                                  changes_shown=CHANGES_SHOWN, list_shown=LIST_SHOWN,
                                                  languages=[(language, about(language)) for language in bundled()],
                                                  word_keys=keys())


_HEADING_ANCHOR = re.compile(r"^(#+ .*?) \{ #([a-z0-9-]+) \}$", re.M)


def guide_for_github(markdown: str) -> str:
    """The guide as GitHub shows a Markdown file: each heading's anchor
    (`## Drafts { #drafts }`, which MkDocs reads) as an HTML anchor before it,
    so the guide's own links (#drafts) lead to the same places."""
    note = ("<!-- Made by `briefs schemas` (make schemas) from generator/templates/guide.md.j2 and "
            "generator/model.py, as the site's /guide/ page is: edit those, not this file. -->\n")
    return note + _HEADING_ANCHOR.sub(r'<a id="\2"></a>\n\n\1', markdown)


def file_stub(template: str, schema: str, record, **values) -> str:
    """A YAML file an editor fills in (`briefs new`, the guide's blank
    brief): every key of `record` stubbed and explained by its field docs."""
    # YAML, not HTML: values go through |yaml_str, which quotes them for YAML.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    env.filters["yaml_str"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    docs = {name: field.doc for name, field in record.FIELDS.items()}
    return env.get_template(template).render(schema=schema, docs=docs, **values)


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


@dataclass(frozen=True)
class NumberedSource:
    number: int
    source: Source
    cited: bool = True  # False for a brief's own source that nothing cites


def numbered_sources(brief: Brief) -> list[NumberedSource]:
    """Every source the brief cites, numbered by first citation, then its
    own sources that nothing cites, so a reader sees them all."""
    order: dict[object, Source] = {}
    cited = [s for claim in brief.what_we_know for s in claim.sources]
    cited += [q.source for p in brief.positions for q in p.quotes if q.source]
    cited += [e.source for e in brief.timeline if e.source]
    for source in [*cited, *brief.sources]:
        order.setdefault(source_key(source), source)
    cited_keys = {source_key(s) for s in cited}
    return [NumberedSource(i, s, source_key(s) in cited_keys) for i, s in enumerate(order.values(), start=1)]


@dataclass(frozen=True)
class Card:
    """A development as the home page and the tag pages show it."""

    brief: Brief
    story: Story
    counts: dict[str, int]  # its claims by status


@dataclass(frozen=True)
class StoryCount:
    """A story, and how many of the developments a page is about belong to it."""

    story: Story
    count: int


def status_counts(brief: Brief) -> dict[str, int]:
    """How many of the brief's claims have each status, in the statuses' order."""
    counts = {status: sum(c.status == status for c in brief.what_we_know) for status in STATUSES}
    return {status: n for status, n in counts.items() if n}


def brief_tags(story, brief: Brief) -> list[str]:
    """The story's tags, then the brief's own, each once."""
    return list(dict.fromkeys([*story.tags, *brief.tags]))


def story_counts(stories) -> list[StoryCount]:
    """Each story once, with how many times it came, the most frequent first."""
    counts: dict[str, StoryCount] = {}
    for story in stories:
        known = counts.get(story.slug)
        counts[story.slug] = StoryCount(story, known.count + 1 if known else 1)
    return sorted(counts.values(), key=lambda item: (-item.count, item.story.slug))


def source_key(source: Source) -> object:
    return source.id or (source.name, source.url)


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


class Citations:
    """Links from a page to the Sources list of `page` ('' for its own),
    each named by its outlet ("AP, NTSB"). With `first_ids`, a source's
    first citation gets the id the Sources list links back to."""

    def __init__(self, once: MacroCalls, sources: list[NumberedSource], page: str = "", first_ids: bool = False):
        self.once, self.page, self.first_ids = once, page, first_ids
        self.numbered = {source_key(item.source): item for item in sources}
        self.cited: set[int] = set()

    def __call__(self, sources) -> Markup:
        """A claim's sources, in the Sources list's order ("AP, NTSB")."""
        items = sorted((self.numbered[source_key(source)] for source in sources), key=lambda item: item.number)
        if not items:
            return Markup("")
        return Markup('<span class="brief-cites">{}</span>').format(Markup(", ").join(self.link(item) for item in items))

    def link(self, item: NumberedSource) -> Markup:
        first = self.first_ids and item.number not in self.cited
        self.cited.add(item.number)
        return self.once("ref", item.number, item.source.shown, item.source.name, self.page,
                         f"cite-{item.number}" if first else "")


class PageCache:
    """Pages rendered before, with what each was made from. A preview keeps
    one between saves: a page whose inputs are equal to last time's is the
    same page, so only the saved brief, its neighbours, its story hub and
    the pages listing it are rendered again."""

    def __init__(self):
        self.pages: dict[str, tuple[tuple, str]] = {}

    def page(self, name: str, inputs: tuple, render) -> str:
        cached = self.pages.get(name)
        if cached is not None and cached[0] == inputs:
            return cached[1]
        text = render()
        self.pages[name] = (inputs, text)
        return text


def _day_of(value) -> dt.date:
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
        self.env = _environment()
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
        same_day = _day_of(previous.date) == _day_of(current.date)
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



class Renderer:
    """Renders a project's pages, each in its language: a story's `lang`
    for its hub and briefs, the site's elsewhere. Templates are compiled
    once per language a renderer meets."""

    def __init__(self, project: Project, cache: PageCache | None = None):
        self.project = project
        self.cache = cache or PageCache()
        self._changes: dict[tuple[str, int], object] = {}
        self._languages: dict[str, PageLanguage] = {}
        self.settings = project.settings
        self.sharing = Sharing(self.settings, project.authors)
        self.authors = {author.name: author for author in project.authors}  # a byline finds its author by name
        self.site = self.language(self.settings.language)
        self.tags = TagIndex((brief_tags(e.story, b), (b, e.story)) for e in project.stories for b in e.briefs)
        self.front_matter = FrontMatter()

    def language(self, tag: str) -> PageLanguage:
        """The words, dates and templates of pages in language `tag`."""
        found = self._languages.get(tag)
        if found is None:
            author_ids = {name: author.id for name, author in self.authors.items()}
            found = self._languages[tag] = PageLanguage(tag, self.settings, author_ids)
        return found

    def nav(self) -> list[dict[str, str]]:
        """The readers' sections: home and the most active stories. Never the
        briefs, and at most `nav_stories` stories (the home page lists them
        all): every page carries the navigation, so a longer one would make
        the site grow with briefs times stories. The editor guide is not a
        reader's section: the footer links to it (`masthead`)."""
        active = self.stories_by_activity()[: self.settings.nav_stories]
        stories = [{escape_text(e.story.title): f"{e.story.slug}/index.md"} for e in active]
        return [{escape_text(self.site.words.one("words.home")): "index.md"}, *stories]

    def stories_by_activity(self) -> list[StoryEntry]:
        """Developing stories first, each group by its newest development."""
        def newest(entry: StoryEntry) -> float:
            return moment(entry.briefs[-1].date, self.settings.timezone).timestamp() if entry.briefs else float("-inf")
        return sorted(self.project.stories, key=lambda e: (e.story.status != "developing", -newest(e), e.story.slug))

    def pages(self, wanted: Callable[[str], bool] = lambda name: True) -> dict[str, str]:
        """Every page as {path under docs: Markdown}; with `wanted`, the pages it keeps."""
        return {name: make() for name, make in self.page_makers() if wanted(name)}

    def page_makers(self) -> Iterator[tuple[str, Callable[[], str]]]:
        """Each page's path under docs, with what renders it, in one order."""
        words = self.site.words
        yield "index.md", self.home
        yield "guide.md", lambda: self._page("mkdocs.yml", self.site_meta(words.one("words.guide"), hide=("navigation",)), self.guide())
        yield "tags/index.md", lambda: self._page("mkdocs.yml", self.site_meta(words.one("section.tags")), self.tag_list())
        for entry in self.project.stories:
            name = f"{entry.story.slug}/index.md"
            yield name, functools.partial(self.cache.page, name, (self.settings, entry, self._tag_links(entry.story.tags)),
                                          functools.partial(self.story, entry))
            for i, brief in enumerate(entry.briefs):
                name = f"{entry.story.slug}/{brief.slug}.md"
                yield name, functools.partial(self.cache.page, name, self._brief_inputs(entry, i), functools.partial(self.brief, entry, i))
        for author in self.project.authors:
            name = f"authors/{author.id}.md"
            newest = self.by_author(author)
            yield name, functools.partial(self.cache.page, name, (self.settings, author, newest),
                                          functools.partial(self.author_page, author, newest))
        for tag, tagged in self.tags.alphabetical():
            name = f"tags/{tag.slug}.md"
            newest = self.newest_first(tagged)[: self.settings.latest_count]
            stories = story_counts(story for _, story in tagged)
            yield name, functools.partial(self.cache.page, name, (self.settings, tag, newest, stories),
                                          functools.partial(self.tag_page, tag, newest, stories))

    def _brief_inputs(self, entry: StoryEntry, index: int) -> tuple:
        """Everything a brief's page shows: the brief, its story, its neighbours
        and the one before it, its tags (another brief's tag can change a slug)
        and the authors its bylines link to."""
        brief = entry.briefs[index]
        return (self.settings, entry.story, entry.briefs[max(0, index - NEIGHBOURS): index + 1 + NEIGHBOURS],
                self._tag_links(brief_tags(entry.story, brief)), tuple(self.authors.get(name) for name in brief.authors))

    def _tag_links(self, tags) -> tuple[Tag, ...]:
        return tuple(self.tags.of(tags))

    def newest_first(self, pairs) -> list[tuple[Brief, Story]]:
        """(brief, story) pairs, the newest development first."""
        return sorted(pairs, key=lambda pair: (moment(pair[0].date, self.settings.timezone), pair[0].slug), reverse=True)

    @staticmethod
    def cards(pairs) -> list[Card]:
        return [Card(brief, story, status_counts(brief)) for brief, story in pairs]

    def home(self) -> str:
        """The newest development of each story, the most recent first, then
        the stories without a card: each story once."""
        newest = self.newest_first((entry.briefs[-1], entry.story) for entry in self.project.stories if entry.briefs)
        carded = {story.slug for _, story in newest[: self.settings.latest_count]}
        body = self.site.templates["home"].render(
            cards=self.cards(newest[: self.settings.latest_count]),
            stories=[entry for entry in self.stories_by_activity() if entry.story.slug not in carded],
        )
        return self._page("mkdocs.yml", self.site_meta(self.settings.site_name, sharing=self.sharing.home()), body)

    def by_author(self, author: Author) -> list[tuple[Brief, Story]]:
        """The author's newest developments, as many as the home page shows."""
        theirs = ((b, e.story) for e in self.project.stories for b in e.briefs if author.name in b.authors)
        return self.newest_first(theirs)[: self.settings.latest_count]

    def author_page(self, author: Author, newest: list[tuple[Brief, Story]]) -> str:
        body = self.site.templates["author"].render(author=author, cards=self.cards(newest))
        meta = self.site_meta(author.name, description=author.bio.plain if author.bio else author.role,
                              sharing=self.sharing.author(author))
        return self._page("briefs/authors.yaml", meta, body)

    def site_meta(self, title: str, **meta) -> PageMeta:
        """A page of the whole site's, in the site's language."""
        return PageMeta(title=title, words=self.site.words.language, **meta)

    def tag_list(self) -> str:
        return self.site.templates["tags"].render(tags=[tag for tag, _ in self.tags.alphabetical()])

    def tag_page(self, tag: Tag, newest: list[tuple[Brief, Story]], stories: list[StoryCount]) -> str:
        """A tag's newest developments, as many as the home page shows, and
        the stories it is on, whose pages list every development."""
        body = self.site.templates["tag"].render(tag=tag, cards=self.cards(newest), stories=stories)
        return self._page(newest[0][0].path, self.site_meta(tag.name), body)  # an error names a brief with the tag

    def story(self, entry: StoryEntry) -> str:
        newest = entry.briefs[-1] if entry.briefs else None
        records = {claim_key(r.claim): r for r in claim_records(entry.briefs)}
        language = self.language(self.lang(entry))
        body = language.templates["story"].render(
            embed_snippet=self.sharing.embed_snippet(entry.story),
            trails=[records[claim_key(c)] for c in newest.what_we_know] if newest else [],
            dropped=self.dropped_newest_first(entry, records.values()),
            story=entry.story, briefs=entry.briefs, newest=newest, lang=self.lang(entry),
            refs=Citations(language.once, numbered_sources(newest) if newest else [], f"{newest.slug}/" if newest else ""),
            change_count=self.change_count(entry),
            counts=status_counts(newest) if newest else {},
            developments=entry.briefs[::-1], events=self.background(entry),
            tag_links=self._tag_links(entry.story.tags),
        )
        return self._page(entry.story.path, self.story_meta(entry), body)

    def story_meta(self, entry: StoryEntry) -> PageMeta:
        story, lang = entry.story, self.lang(entry)
        return PageMeta(
            title=story.title, description=story.summary.plain, feed=f"{_path(story.slug)}/feed.xml", json_feed=f"{_path(story.slug)}/feed.json",
            lang=lang, direction=direction(lang), words=self.language(lang).words.language,
            sharing=self.sharing.story(story, entry.briefs),
        )

    def brief(self, entry: StoryEntry, index: int) -> str:
        brief = entry.briefs[index]
        sources = numbered_sources(brief)
        previous = entry.briefs[index - 1] if index else None
        language = self.language(self.lang(entry))
        body = language.templates["brief"].render(
            story=entry.story, brief=brief, sources=sources, lang=self.lang(entry),
            refs=Citations(language.once, sources, first_ids=True),
            changes=self.changes(entry, index), previous=previous,
            next=entry.briefs[index + 1] if index + 1 < len(entry.briefs) else None,
            tag_links=self._tag_links(brief_tags(entry.story, brief)),
        )
        return self._page(brief.path, self.brief_meta(entry, index), body)

    def brief_meta(self, entry: StoryEntry, index: int) -> PageMeta:
        story, brief, lang = entry.story, entry.briefs[index], self.lang(entry)
        shown = range(max(0, index - NEIGHBOURS), min(len(entry.briefs), index + 1 + NEIGHBOURS))
        return PageMeta(
            title=brief.title, description=brief.summary.plain,
            story=story.title, story_url=_path(f"{story.slug}/"), feed=f"{_path(story.slug)}/feed.xml", json_feed=f"{_path(story.slug)}/feed.json",
            tags=tuple(brief_tags(story, brief)),
            neighbours=tuple(
                Neighbour(entry.briefs[i].title, _path(f"{story.slug}/{entry.briefs[i].slug}/"), current=i == index)
                for i in shown
            ),
            lang=lang, direction=direction(lang), words=self.language(lang).words.language,
            sharing=self.sharing.brief(story, brief, lang), search=self.search_fields(brief, lang),
        )

    def search_fields(self, brief: Brief, lang: str) -> SearchFields:
        """The day as the page shows it, in its language; the year in the site's time zone."""
        zone = self.settings.timezone
        year = moment(brief.date, zone).astimezone(zone).year
        return SearchFields(format_date(brief.date, "long", locale=self.language(lang).locale), f"{year:04d}")

    def changes(self, entry: StoryEntry, index: int):
        """What changed in a story's brief since the one before; the hub shows
        its newest brief's, so each is computed once."""
        key = (entry.story.slug, index)
        if key not in self._changes:
            self._changes[key] = changes(entry.briefs[index - 1] if index else None, entry.briefs[index])
        return self._changes[key]

    def change_count(self, entry: StoryEntry) -> int:
        """How many lines What changed shows on the story's newest brief."""
        found = self.changes(entry, len(entry.briefs) - 1) if entry.briefs else None
        if not found:
            return 0
        return len(found.new) + len(found.status_changed) + len(found.removed) + len(found.questions_gone)

    @staticmethod
    def dropped_newest_first(entry: StoryEntry, records) -> list:
        """Claims a development dropped, the latest dropped first."""
        order = {id(brief): i for i, brief in enumerate(entry.briefs)}
        dropped = [r for r in records if r.dropped_by is not None]
        return sorted(dropped, key=lambda r: order[id(r.dropped_by)], reverse=True)

    def background(self, entry: StoryEntry) -> list[Event]:
        """The dated background events of a story's briefs, each once, the
        latest first (on one date, in the order the briefs give them).

        An event a brief dates to its own day is that development itself
        ("2024-05-06: Hamas approves the proposal" in the brief of 6 May):
        the development stands for it, and the same event from any other
        brief is left out too."""
        items: dict[tuple[str, str], tuple[tuple, Event]] = {}
        itself: set[tuple[str, str]] = set()
        for brief in entry.briefs:
            day = _day_of(brief.date).isoformat()  # as written
            for event in brief.timeline:
                key = (event.date.iso, " ".join(event.text.source.split()))
                if event.date.iso == day:
                    itself.add(key)
                items.setdefault(key, ((event.date.iso, -len(items)), event))
        kept = sorted((item for key, item in items.items() if key not in itself), key=lambda item: item[0], reverse=True)
        return [event for _, event in kept]

    def guide(self) -> str:
        return guide_markdown()

    def lang(self, entry: StoryEntry) -> str:
        return entry.story.lang or self.settings.language

    def _page(self, path: str, meta: PageMeta, body: str) -> str:
        """The page with its metadata as front matter; a page MkDocs would
        misread is an error at the file it comes from."""
        try:
            return self.front_matter.page_text(meta, body)
        except UnreadableMeta as bad:
            raise ContentErrors([Problem(path, 1, 1, f"MkDocs cannot read back this page's metadata ({bad}): a character in it is not allowed")]) from None


def is_brief_page(name: str) -> bool:
    """Whether a page's path under docs is a brief's (`<story>/<brief>.md`)."""
    return name.count("/") == 1 and not name.endswith("/index.md") and not name.startswith(("tags/", "authors/"))


def write_pages(pages: dict[str, str], docs: Path, keep: tuple[str, ...] = ()) -> list[str]:
    """Write pages that changed, remove pages that are gone; return what was written."""
    written = write_changed(pages, docs)
    remove_stale(docs, set(pages) | set(keep))
    return written


def write_changed(pages: dict[str, str], docs: Path) -> list[str]:
    """Write the pages whose text changed; return their names."""
    written = []
    for name, text in pages.items():
        target = docs / name
        data = text.encode("utf-8")
        try:
            if target.read_bytes() == data:
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written.append(name)
    return written


def remove_stale(docs: Path, wanted: set[str]) -> None:
    """Remove the files under docs that are not `wanted` pages, and emptied folders."""
    for path in sorted(docs.rglob("*"), reverse=True):
        name = path.relative_to(docs).as_posix()
        if path.is_file() and name not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
