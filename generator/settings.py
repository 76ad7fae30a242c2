"""Site settings the generator needs from mkdocs.yml (site_name, site_url,
theme.language, extra.briefing), read without running MkDocs.

`extra.briefing` is declared like the brief format (model.py): one `Field`
line per key, with its default and the words the editor guide shows. The
validator (schema.Record, every mistake at its line in one run), the
guide's settings table and the JSON Schema all read `Briefing`."""
from __future__ import annotations

import datetime as dt
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from babel import Locale, UnknownLocaleError
from yaml_env_tag import construct_env_tag

from . import words
from .load_yaml import MAX_DEPTH, MAX_FILE_BYTES, NOT_TEXT, Node, place, shorten, syntax_slip, written_tag
from .problems import ContentErrors, Problem, did_you_mean
from .schema import At, Field, FieldType, Record, Scalar, Text, Url, Written, is_empty, record
from .text import HIDDEN_CHARACTERS
from .yaml_engine import ReaderError, events, refused_character

SETTINGS_FILE = "mkdocs.yml"


# MkDocs reads mkdocs.yml with PyYAML's unsafe loader, which runs what
# a !!python tag names, plus its own !ENV (an environment variable) and
# !relative (a folder, for Markdown extensions). Those two are the only
# tags the settings may hold (docs/safety.md).
MKDOCS_TAGS = frozenset(["!ENV", "!relative"])
_INT_TAG = "tag:yaml.org,2002:int"
# Python reads no longer number from text (sys.get_int_max_str_digits()),
# and a longer "1:2:3..." (base 60) would take minutes to add up.
MAX_NUMBER_LENGTH = 4300


class _Unreadable(ValueError):
    """A value MkDocs' loader would stop on, in the words the error gives."""


class _SettingsLoader(yaml.SafeLoader):
    """Values as MkDocs' loader types them (YAML 1.1), `!ENV` read as
    MkDocs reads it; a value that loader would stop on (a number too long,
    a date that is not one) is an error at its place, not a traceback."""

    def construct_object(self, node, deep=False):
        try:
            if node.tag == _INT_TAG and len(node.value) > MAX_NUMBER_LENGTH:
                raise _Unreadable(f"a number {len(node.value):,} characters long is not a setting; "
                                  "if it is text, put it in quotes")
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as bad:
            if node.start_mark is None:  # made by !ENV from a variable: reported at the tag
                raise
            words = str(bad) if isinstance(bad, _Unreadable) else f"'{shorten(str(node.value))}' cannot be read ({bad}); if it is text, put it in quotes"
            raise yaml.constructor.ConstructorError(None, None, words, node.start_mark) from None


_SettingsLoader.add_constructor("!ENV", construct_env_tag)
_SettingsLoader.add_constructor("!relative", lambda loader, node: None)  # a folder of MkDocs', not ours to read


class TimeZone(Scalar[ZoneInfo]):
    words = "time zone name, e.g. `Europe/Paris`"

    def convert(self, value: str, node: Node, at: At) -> ZoneInfo | None:
        value = value.strip()
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            at.error(node, f"unknown time zone '{value}'; use a name like Europe/Paris or UTC")
            return None

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": r"^[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*$"}


class Count(FieldType[int]):
    words = "whole number, 1 or more"

    def parse(self, node: Node, at: At) -> int | None:
        if node.kind == "scalar" and node.plain and re.fullmatch(r"[0-9]+", node.value) and int(node.value) >= 1:
            return int(node.value)
        at.error(node, f"expected a whole number of 1 or more, found {node.describe()}")
        return None

    def json_schema(self) -> dict:
        return {"type": "integer", "minimum": 1}


class Link(FieldType[str]):
    """A link the footer shows: an https or http address, a mailto: address,
    or a page of the site written relative to it (about/corrections/)."""

    words = "link: `https://…`, `mailto:…` or a page of the site such as `about/`"

    def __init__(self, example_page: str):
        self.example_page = example_page  # for the error's example address

    def parse(self, node: Node, at: At) -> str | None:
        text = node.value.strip() if node.kind == "scalar" else ""
        if _is_link(text):
            return text
        at.error(node, f"{node.describe()} is not a link; write an address like https://example.org/{self.example_page}/, "
                       "mailto:desk@example.org or a page of the site like about/")
        return None

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": r"^(?:[Hh][Tt][Tt][Pp][Ss]?://[^/\s]\S*|mailto:\S+@\S+|[^/\\\s:][^\s:]*)$"}


def _is_link(text: str) -> bool:
    if not text or not text.isprintable() or " " in text:
        return False
    parts = urlsplit(text)
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc)
    if parts.scheme == "mailto":
        return "@" in parts.path
    return not parts.scheme and not parts.netloc and not text.startswith(("/", "\\"))


class WordOverrides(FieldType[dict]):
    """The newsroom's words over the bundled ones, per words language
    (generator/words.py): `fr: {section.what_we_know: Ce que l'on sait}`.
    A word keeps the English word's placeholders; a word that counts takes
    one text, or one per plural form of its language."""

    words = "words per language, e.g. `fr: {section.what_we_know: Ce que l'on sait}` (the guide lists every word)"

    def parse(self, node: Node, at: At) -> dict | None:
        if node.kind != "mapping":
            at.error(node, f"expected languages, each with its words (fr: {{section.what_we_know: ...}}), found {node.describe()}")
            return None
        given: dict[str, dict] = {}
        for key, value in node.value:
            language = _words_language(key, at)
            if language is None:
                continue
            if language in given:
                at.error(key, f"duplicate language '{language}'")
            elif value.kind != "mapping":
                at.key(language).error(value, f"expected words (section.what_we_know: ...), found {value.describe()}")
            else:
                given[language] = _language_words(value, at.key(language), language)
        return given

    def json_schema(self) -> dict:
        word = {"anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}]}
        known = {"type": "object", "properties": {key: word for key in words.keys()}, "additionalProperties": False}
        return {"type": "object", "additionalProperties": known}


def _words_language(key: Node, at: At) -> str | None:
    """A key of extra.briefing.words: a words language, or None with its error."""
    tag = key.value.strip() if key.kind == "scalar" else ""
    language = words.words_language(tag) if tag else ""
    if tag in words.bundled() or (tag == language and tag in Locale("en").languages):
        return tag
    if language in words.bundled() or language in Locale("en").languages:
        at.error(key, f"'{tag}': words are set for a whole language, every region of it; write {language}")
    else:
        at.error(key, f"unknown language '{tag}'" + (did_you_mean(tag, words.bundled()) or "; write a language tag like fr, ar or zh-Hant"))
    return None


def _language_words(node: Node, at: At, language: str) -> dict:
    """One language's words, each checked against the English word of its key."""
    known = words.keys()
    given: dict = {}
    for key, value in node.value:
        name = key.value if key.kind == "scalar" else ""
        if name in given:
            at.error(key, f"duplicate word '{name}'")
        elif name not in known:
            at.error(key, f"unknown word '{name}'" + (did_you_mean(name, known) or "; the editor guide lists every word"))
        else:
            word = _word(value, at.key(name), known[name], language)
            if word is not None:
                given[name] = word
    return given


def _word(node: Node, at: At, english: words.Word, language: str) -> words.Word | None:
    """A word as the newsroom wrote it: a text, or for a word that counts,
    a text per plural form."""
    if node.kind == "mapping" and isinstance(english, dict):
        forms = words.plural_forms(language)
        given = {}
        for key, value in node.value:
            form = key.value if key.kind == "scalar" else ""
            if form not in forms:
                at.error(key, f"'{form}' is not a plural form of this language{did_you_mean(form, forms)}; "
                              f"it has {', '.join(sorted(forms))}")
            else:
                text = _text(value, at.key(form), english, whole=False)
                if text is not None:
                    given[form] = text
        return given
    return _text(node, at, english, whole=not isinstance(english, dict))


def _text(node: Node, at: At, english: words.Word, whole: bool) -> str | None:
    """A word's text, with the placeholders of the English word: all of them,
    or, in one plural form, any of them (`un développement` needs no {n})."""
    text = Text().parse(node, at)
    if text is None:
        return None
    if not text:
        at.error(node, "this word is empty; leave the key out to keep the bundled word")
        return None
    wanted, found = words.placeholders(english), words.placeholders(text)
    shown = ", ".join("{" + name + "}" for name in sorted(wanted)) or "none"
    if found - wanted:
        at.error(node, f"{{{sorted(found - wanted)[0]}}} is not a placeholder of this word; it has {shown}")
    elif whole and wanted - found:
        at.error(node, f"the word must keep its placeholder{'s' if len(wanted) > 1 else ''} {shown}, "
                       f"where the page puts what it names")
    else:
        return text
    return None


@record("the follow settings")
class Follow(Written):
    email: str | None = Field(Url(https_only=True, what=("a sign-up page's address", "sign-up pages")), doc="the `https://` address of the sign-up page of the newsroom's newsletter (an RSS-to-email service fed by the story's feed, see Following a story): readers see it beside the feed")


@record("the briefing settings")
class Briefing(Written):
    timezone: ZoneInfo = Field(TimeZone(), default=ZoneInfo("UTC"), doc="time zone of date-times written without an offset, e.g. `Europe/Paris`")
    latest: int = Field(Count(), default=30, doc="how many developments the home page shows as cards (one per story) and each tag's page lists")
    nav_stories: int = Field(Count(), default=10, doc="how many stories the navigation shows, most active first; the home page lists every story")
    publisher: str | None = Field(Text(), doc="the newsroom: named in search engines' data and at the foot of every page (default: `site_name`)")
    corrections_policy: str | None = Field(Link("corrections-policy"), doc="a link to the newsroom's corrections policy, at the foot of every page: `https://…`, or a page of the site such as `about/corrections/` (no link if left out)")
    repository: str | None = Field(Text(), doc="the GitHub repository the editing form (`/admin/`) saves to, `owner/name` (default: read from a `https://owner.github.io/name/` site_url)")
    contact: str | None = Field(Link("contact"), doc="how readers reach the newsroom, at the foot of every page: `mailto:desk@example.org`, `https://…` or a page of the site (no link if left out)")
    principles: str | None = Field(Link("about/principles"), doc="a link to the newsroom's publishing principles (ethics policy, mission): told to search engines and news platforms as the publisher's `publishingPrinciples`")
    ownership: str | None = Field(Link("about/ownership"), doc="a link to who owns and funds the newsroom: told to search engines and news platforms as `ownershipFundingInfo`")
    follow: Follow | None = Field(Record(Follow), doc="how readers follow a story besides its feeds: `email:` the sign-up page of the newsroom's newsletter")
    logo: str | None = Field(Link("assets/logo"), doc="the newsroom's logo, an image: `https://…` or a file of the site such as `assets/logo.png`; named in search engines' data about the publisher")
    words: dict | None = Field(WordOverrides(), doc="the newsroom's own words for what pages show, per language, over the bundled ones: `fr: {section.what_we_know: \"Ce que l'on sait\"}` (see \"Words on the pages\")")


BRIEFING = Record(Briefing)
BRIEFING_PATH = ("extra", "briefing")


class SettingsFile(FieldType[None]):
    """mkdocs.yml as the JSON Schema sees it: `extra.briefing` as declared,
    left empty or out if the defaults will do; every other key is MkDocs'."""

    def json_schema(self) -> dict:
        schema: dict = {**BRIEFING.json_schema(), "type": ["object", "null"]}
        for key in reversed(BRIEFING_PATH):
            schema = {"type": "object", "properties": {key: schema}}
        return schema


SETTINGS_SCHEMA = SettingsFile()


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str
    language: str
    timezone: ZoneInfo
    latest_count: int  # developments on the home page
    nav_stories: int  # stories in the navigation; the home page lists all
    publisher: str  # the newsroom, in structured data and the footer
    corrections_policy: str  # the newsroom's corrections policy, linked from the footer; "" for none
    contact: str  # how to reach the newsroom, in the footer; "" for none
    principles: str = ""  # the newsroom's publishing principles, for platforms; "" for none
    ownership: str = ""  # who owns and funds it; "" for none
    logo: str = ""  # its logo, an image; "" for none
    repository: str = ""  # owner/name on GitHub, for the editing form; "" to read it from site_url
    follow_email: str = ""  # the sign-up page of its newsletter; "" for none
    words: dict = field(default_factory=dict)  # the newsroom's words per words language (generator/words.py)


@dataclass(frozen=True)
class SiteAddress:
    """Where this run's site is read, made once a run and passed down: a
    build's is the site's own (`site_url`; "" when mkdocs.yml gives none,
    and links start at "/"), the preview's its own (`preview`)."""

    url: str

    @classmethod
    def published(cls, settings: Settings) -> SiteAddress:
        return cls(settings.site_url)

    @classmethod
    def preview(cls, host: str, port: int) -> SiteAddress:
        """The preview's, at the address it listens on (an IPv6 one in brackets)."""
        return cls(f"http://{f'[{host}]' if ':' in host else host}:{port}/")

    @property
    def base(self) -> str:
        """The address with one trailing slash, which a page's path follows."""
        return self.url.rstrip("/") + "/"


def load_settings(root: Path) -> Settings:
    """The settings, every one the build uses checked at its place: a
    check that passes is a build that publishes (docs/safety.md)."""
    return _checked(root)[1]


def mkdocs_settings(root: Path) -> dict:
    """Every key of mkdocs.yml, as MkDocs reads them (`!ENV` from the
    environment, `!relative` as None), checked as `load_settings` checks
    them: for an engine that is handed the settings (zensical_engine.py)."""
    return _checked(root)[0]


def _checked(root: Path) -> tuple[dict, Settings]:
    """mkdocs.yml's mapping and the settings we read of it, once every
    mistake in either is found (ContentErrors)."""
    config, document = _read(root / SETTINGS_FILE)
    theme = _mapping(config.get("theme"))
    problems = _site_problems(config, theme, document, root)
    try:
        briefing = _briefing(document)
    except ContentErrors as bad:
        raise ContentErrors(problems + bad.problems) from None
    if problems:
        raise ContentErrors(problems)
    site_name = config["site_name"]
    return config, Settings(
        site_name=site_name,
        site_url=config.get("site_url") or "",
        language=theme.get("language") or "en",
        timezone=briefing.timezone,
        latest_count=briefing.latest,
        nav_stories=briefing.nav_stories,
        publisher=briefing.publisher or site_name,
        corrections_policy=briefing.corrections_policy or "",
        contact=briefing.contact or "",
        principles=briefing.principles or "",
        ownership=briefing.ownership or "",
        logo=briefing.logo or "",
        repository=briefing.repository or "",
        follow_email=briefing.follow.email or "" if briefing.follow else "",
        words=briefing.words or {},
    )


# Settings shown on pages as text, which MkDocs takes as strings only.
TEXT_SETTINGS = ("site_name", "site_description", "site_author", "copyright", "repo_name")
# Settings MkDocs and Material print into an attribute as they are (their
# `url` filter escapes nothing): a page or file of the site, or an http(s)
# address, in the characters of an address only. repo_url must be absolute.
ADDRESS_SETTINGS: tuple[tuple[str, ...], ...] = (("theme", "logo"), ("theme", "favicon"), ("extra", "homepage"), ("repo_url",), ("edit_uri",))
ADDRESS_LISTS = ("extra_css", "extra_javascript")  # each item an address, or a mapping with its `path`
# What an address may hold (RFC 3986's characters), and any printable letter
# beyond ASCII (a host or path in another script), but bidi and zero-width controls.
_URL_CHARACTER = re.compile(rf"[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%\[\]]|[^\x00-\x7f{HIDDEN_CHARACTERS}]")


def _site_problems(config: dict, theme: dict, document: yaml.Node | None, root: Path) -> list[Problem]:
    """Every mistake in the settings outside extra.briefing that the build
    would stop on, or publish: each at its key's value."""
    problems: list[Problem] = []

    def error(path: tuple[str | int, ...], message: str) -> None:
        line, column = _place(document, path)
        label = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).removeprefix(".")
        problems.append(Problem(SETTINGS_FILE, line, column, f"{label}: {message}"))

    if "INHERIT" in config:
        error(("INHERIT",), "briefs reads its settings from mkdocs.yml alone, as `briefs check` must see what the build "
                            "uses; write the inherited settings here")
    if config.get("site_name") is None:
        error(("site_name",), "the site's name is missing; write it like site_name: Gaza truce briefing")
    for key in TEXT_SETTINGS:
        problem = _text_problem(config.get(key), required=key == "site_name")
        if problem:
            error((key,), problem)
    problem = _address_problem(config.get("site_url"), absolute=True, site_url=True)
    if problem:
        error(("site_url",), problem)
    addresses: list[tuple[tuple[str | int, ...], object]] = [(path, _value_at(config, path)) for path in ADDRESS_SETTINGS]
    for key in ADDRESS_LISTS:
        items = config.get(key)
        addresses += [((key, index), item.get("path") if isinstance(item, dict) else item)
                      for index, item in enumerate(items if isinstance(items, list) else [])]
    for path, value in addresses:
        problem = _address_problem(value, absolute=path == ("repo_url",))
        if problem:
            error(path, problem)
    extra = config.get("extra")
    for key in extra if isinstance(extra, dict) else ():
        if isinstance(key, str) and key.startswith("briefs_"):
            error(("extra", key), "names starting with briefs_ are the generator's own, set as it builds; remove this one")
    custom_dir = root / theme["custom_dir"] if isinstance(theme.get("custom_dir"), str) else None
    problem = _language_problem(theme.get("language"), custom_dir)
    if problem:
        error(("theme", "language"), problem)
    for path, name in _icons(theme.get("icon")):
        problem = _icon_problem(name, custom_dir)
        if problem:
            error(("theme", "icon", *path), problem)
    return problems


def _text_problem(value: object, required: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return f"{_read_as(value)}; put the text in quotes"
    if required and not value.strip():
        return "the text is empty"
    found = NOT_TEXT.search(value)
    if found:
        return f"U+{ord(found.group()):04X} is not text (a control character or noncharacter); delete it"
    return None


def _read_as(value: object) -> str:
    """How YAML 1.1, as MkDocs reads it, took a value that is not text."""
    if isinstance(value, bool):
        return f"this is read as {'true' if value else 'false'} (so are yes, no, on and off)"
    if isinstance(value, (int, float)):
        return "this is read as a number"
    if isinstance(value, (dt.date, dt.datetime)):
        return "this is read as a date"
    return f"expected text, found {'a list' if isinstance(value, list) else 'a mapping of keys' if isinstance(value, dict) else 'a value that is not text'}"


_SITE_URL_EXAMPLE = "write the site's address like https://example.github.io/briefs/"
_ADDRESS_EXAMPLE = "write a file of the site like assets/logo.png, or an https:// address"


def _address_problem(value: object, absolute: bool, site_url: bool = False) -> str | None:
    """What is wrong with an address mkdocs.yml gives, then how to write it;
    None when it is absent or right. `absolute`: an http or https address
    with a host, never a file of the site. `site_url` (MkDocs', optional)
    lands in every canonical link, share tag, feed and the JSON-LD, so the
    site's pages must be able to sit below it."""
    if value is None:
        return None
    problem = _form_problem(value, absolute, site_url) if isinstance(value, str) else _read_as(value)
    return f"{problem}; {_SITE_URL_EXAMPLE if site_url else _ADDRESS_EXAMPLE}" if problem else None


def _form_problem(value: str, absolute: bool, site_url: bool) -> str | None:
    """What is wrong with the text of an address (`_address_problem`), or None."""
    odd = _odd_character(value)
    if odd:
        return odd
    parts = urlsplit(value)
    if site_url:
        try:
            parts.port  # a port out of range or not a number
        except ValueError:
            return f"'{shorten(value)}' has a port that is not one"
    if (parts.scheme or absolute) and (parts.scheme.lower() not in ("http", "https") or not parts.hostname):
        return f"'{shorten(value)}' is not {'an absolute http or https address with a host' if absolute else 'a file of the site or an http or https address'}"
    if site_url and parts.username is not None:
        return f"'{shorten(value)}' has a user name before its host (before '@')"
    if site_url and ("?" in value or "#" in value):
        return f"'{shorten(value)}' has a query or fragment ('?' or '#'), which no page can be below"
    return None


def _odd_character(value: str) -> str | None:
    """Words naming the first character of `value` that an address cannot hold, or None."""
    odd = next((c for c in value if not (c.isprintable() and _URL_CHARACTER.fullmatch(c))), None)
    if odd is None:
        return None
    return f"'{shorten(value)}' holds {'a space' if odd == ' ' else repr(odd) if odd.isprintable() else f'U+{ord(odd):04X}'}, which an address cannot"


def _value_at(config: dict, path: tuple[str, ...]) -> object:
    value: object = config
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _language_problem(value: object, custom_dir: Path | None) -> str | None:
    """theme.language (Material's default: en) needs Material's words for it
    and the locale data (Babel) that dates are written with."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"{_read_as(value)}; write a language like en, fr or pt-BR"
    languages = _theme_languages(custom_dir)
    if value in languages and _in_locale_data(value):
        return None
    known = sorted(language for language in languages if _in_locale_data(language))
    primary = re.split("[-_]", value)[0].lower()
    hint = f"; did you mean '{primary}'?" if primary in known and primary != value else did_you_mean(value, known)
    if value not in languages:
        return f"'{shorten(value)}' is not a language Material for MkDocs has words for{hint or '; write a language like en, fr or pt-BR'}"
    return f"'{shorten(value)}' is not a language the locale data (Babel) knows, which dates are written with{hint}"


def _theme_folders(custom_dir: Path | None) -> list[Path]:
    """Material's templates, then the theme's custom_dir (overrides/): where the templates find a file."""
    spec = importlib.util.find_spec("material")
    folders = [Path(place) / "templates" for place in (spec.submodule_search_locations or [])] if spec else []
    return folders + ([custom_dir] if custom_dir is not None else [])


def _theme_languages(custom_dir: Path | None) -> set[str]:
    """The languages of Material's translations, and of the newsroom's own
    in the theme's custom_dir (partials/languages/<language>.html)."""
    return {path.stem for folder in _theme_folders(custom_dir) for path in (folder / "partials" / "languages").glob("*.html")}


_ICON = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9._-]*)+")


def _icons(icon: object) -> list[tuple[tuple[str, ...], object]]:
    """theme.icon's names, each with its path under theme.icon: a name, or
    a mapping of names (admonition, tag), as Material reads them."""
    if not isinstance(icon, dict):
        return []
    found: list[tuple[tuple[str, ...], object]] = []
    for key, value in icon.items():
        inner = value.items() if isinstance(value, dict) else [(None, value)]
        found += [((str(key), str(sub)) if sub is not None else (str(key),), name) for sub, name in inner]
    return found


def _icon_problem(name: object, custom_dir: Path | None) -> str | None:
    """An icon Material includes as .icons/<name>.svg: it must be there, or the build stops."""
    if name is None:
        return None
    if isinstance(name, str) and _ICON.fullmatch(name):
        if any((folder / ".icons" / f"{name}.svg").is_file() for folder in _theme_folders(custom_dir)):
            return None
    written = name if isinstance(name, str) else str(name)
    return f"'{shorten(written)}' is not an icon of Material's (.icons/) or of the theme's own; write one like material/menu"


def _in_locale_data(language: str) -> bool:
    try:
        Locale.parse(language.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return False
    return True


def _place(document: yaml.Node | None, path: tuple[str | int, ...]) -> tuple[int, int]:
    """Line and column of the value at `path`, else of its key, else of
    what holds it (a missing key: the file's start)."""
    node, line, column = document, 1, 1
    for key in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            key_node = node = node.value[key]
        elif isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
            if not found:
                break
            key_node, node = found[-1]
        else:
            break
        mark = node.start_mark if not (isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None) else key_node.start_mark
        line, column = mark.line + 1, mark.column + 1
    return line, column


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _briefing(document: yaml.Node | None) -> Briefing:
    """extra.briefing as declared, the defaults where it is left out; every
    mistake in it is reported at once."""
    found = _find(document, BRIEFING_PATH)
    node = _node(found) if found is not None else Node("mapping", [], 1, 1)
    problems: list[Problem] = []
    at = At(SETTINGS_FILE, problems, ZoneInfo("UTC"))
    for key in BRIEFING_PATH:
        at = at.key(key)
    briefing = BRIEFING.parse(node, at)
    if problems or briefing is None:
        raise ContentErrors(problems)
    return briefing


def _find(document: yaml.Node | None, keys: tuple[str, ...]) -> yaml.Node | None:
    """The node at `keys`, or None where a key is missing, its value is left
    empty, or what holds it is not a mapping (as MkDocs reads `extra`)."""
    node = document
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        found = [value for k, value in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
        if not found:
            return None
        node = found[-1]  # as PyYAML's mapping keeps the last of a repeated key
    return None if node is None or is_empty(_node(node, depth=SETTINGS_DEPTH + 1)) else node


SETTINGS_DEPTH = 3  # extra.briefing.words.<language>.<word>.<plural form>: the deepest a setting goes (follow.email is two levels)


def _node(node: yaml.Node, depth: int = 0, seen: set[int] | None = None) -> Node:
    """PyYAML's node as the schema reads it, with 1-based line and column.
    Anything deeper than a setting goes, or met a second time (an alias),
    is read as its kind alone: an alias cannot make it endless or huge."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return Node("scalar", node.value, line, column, plain=node.style is None)
    kind = "mapping" if isinstance(node, yaml.MappingNode) else "sequence"
    seen = set() if seen is None else seen
    if depth > SETTINGS_DEPTH or id(node) in seen:
        return Node(kind, [], line, column)
    seen.add(id(node))
    if kind == "mapping":
        return Node(kind, [(_node(k, depth + 1, seen), _node(v, depth + 1, seen)) for k, v in node.value], line, column)
    return Node(kind, [_node(v, depth + 1, seen) for v in node.value], line, column)


def _read(path: Path) -> tuple[dict, yaml.Node | None]:
    """The settings as values, and as nodes for the places of mistakes."""
    try:
        size = path.stat().st_size
        text = "" if size > MAX_FILE_BYTES else path.read_text(encoding="utf-8-sig")
    except OSError as bad:
        raise _error(f"cannot read the site settings: {bad.strerror}") from None
    except UnicodeDecodeError:
        raise _error("the site settings are not UTF-8; save mkdocs.yml as UTF-8") from None
    if size > MAX_FILE_BYTES:
        raise _error(f"the file is {size:,} bytes; the limit is 1 MiB ({MAX_FILE_BYTES:,} bytes)")
    loader = _SettingsLoader(text)
    try:
        _refuse_tags_and_depth(text)
        document = loader.get_single_node()
        config = (loader.construct_document(document) if document is not None else None) or {}
    except yaml.constructor.ConstructorError as bad:  # a value _SettingsLoader cannot read
        line, column = _mark_place(bad.problem_mark)
        raise _error(bad.problem or "unreadable value", line, column) from None
    except yaml.MarkedYAMLError as bad:
        line, column, words = syntax_slip(bad, text)
        raise _error(words, line, column) from None
    except ReaderError as bad:
        index, code = refused_character(bad, text)
        line, column = place(text, index)
        raise _error(f"U+{code:04X} is not text (a control character or noncharacter); delete it", line, column) from None
    except yaml.YAMLError as bad:
        raise _error(f"YAML syntax: {bad}") from None
    finally:
        loader.dispose()
    if not isinstance(config, dict):
        raise _error("the site settings must be a mapping of keys (site_name, theme, ...)")
    return config, document


def _mark_place(mark) -> tuple[int, int]:
    """A parser's mark as 1-based line and column; 1:1 where it gave none."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _refuse_tags_and_depth(text: str) -> None:
    """Before anything is built from the file: a tag but MkDocs' own (whose
    constructors could run code in MkDocs' loader) is an error at the tag,
    and nesting deeper than MAX_DEPTH one at its place (the Python
    composer would overflow its stack)."""
    problems: list[Problem] = []
    depth = 0
    for event in events(text):
        tag = getattr(event, "tag", None)
        if tag and tag not in MKDOCS_TAGS:
            line, column, written = written_tag(text, event.start_mark)
            problems.append(Problem(SETTINGS_FILE, line, column, f"YAML tags ({written}) are not allowed in the site settings; "
                                                                 "only MkDocs' own !ENV and !relative are"))
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line, column = _mark_place(event.start_mark)
                problems.append(Problem(SETTINGS_FILE, line, column, f"the settings are nested more than {MAX_DEPTH} levels deep"))
                break
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    if problems:
        raise ContentErrors(problems)


def _error(message: str, line: int = 1, column: int = 1) -> ContentErrors:
    return ContentErrors([Problem(SETTINGS_FILE, line, column, message)])
