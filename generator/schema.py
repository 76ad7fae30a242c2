"""The machinery of the one schema declaration (see model.py).

Each field type is a small class that turns a YAML node into a value or
reports why it cannot, with the key path and the nearest valid value.
The same declaration gives the validator, the editor guide's field
tables and the JSON Schema for editors' tools.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Generic, Literal, Self, TypeVar, dataclass_transform, overload
from zoneinfo import ZoneInfo


from .load_yaml import NULL_WORDS, Node
from .yaml_slips import CURLY_QUOTES
from .problems import Problem, did_you_mean
from .transliteration import to_ascii
from .text import HIDDEN_CHARACTERS, MAX_FILE_MARKS, RichText, file_marks_problem, hidden_character, link_scheme, render

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 80
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?")
_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_LANG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*")
_MAILTO = re.compile(r"[Mm][Aa][Ii][Ll][Tt][Oo]:[^@\s<>\"]+@[^@\s<>\"]+")
# For the JSON Schema: the same tests as Url.convert, as one pattern.
_URL = re.compile(rf"[Hh][Tt][Tt][Pp][Ss]?://[^/\s{HIDDEN_CHARACTERS}][^\s{HIDDEN_CHARACTERS}]*")



def whole(pattern: re.Pattern) -> str:
    """A Python regex as an anchored JSON Schema (ECMA 262) pattern."""
    return f"^(?:{pattern.pattern})$"


class At:
    """Where in which file a value sits, and where its problems go.

    The key path is spelt out only for an error: almost every value has
    none, and making every path would be a large share of the parse
    (docs/benchmarks-history.md)."""

    __slots__ = ("file", "problems", "timezone", "_parent", "_step", "_marks")

    def __init__(self, file: str, problems: list[Problem], timezone: ZoneInfo, parent: At | None = None, step: str | int = ""):
        self.file, self.problems, self.timezone = file, problems, timezone
        self._parent, self._step = parent, step  # a key's name or a list's index
        self._marks: _Tally = parent._marks if parent is not None else _Tally()  # one per file

    def spend_marks(self, node: Node, count: int) -> bool:
        """Add a text's Markdown marks to its file's. Past MAX_FILE_MARKS the
        text that takes the file past is an error, and neither it nor any
        later text is rendered (False)."""
        tally = self._marks
        before, tally.count = tally.count, tally.count + count
        if tally.count <= MAX_FILE_MARKS:
            return True
        if before <= MAX_FILE_MARKS:
            self.error(node, file_marks_problem(tally.count))
        return False

    def key(self, name: str) -> At:
        return At(self.file, self.problems, self.timezone, self, name)

    def index(self, i: int) -> At:
        return At(self.file, self.problems, self.timezone, self, i)

    @property
    def path(self) -> str:
        if self._parent is None:
            return ""
        before = self._parent.path
        if isinstance(self._step, int):
            return f"{before}[{self._step}]"
        return f"{before}.{self._step}" if before else self._step

    def error(self, node: Node, message: str) -> None:
        path = self.path
        where = f"{path}: " if path else ""
        self.problems.append(Problem(self.file, node.line, node.column, where + message))


class _Tally:
    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


def is_empty(node: Node) -> bool:
    if node.kind != "scalar":
        return False
    value = node.value
    return not value.strip() or (value in NULL_WORDS and node.plain)


T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class FieldType(Generic[T_co]):
    """A kind of value, read as a T; subclasses give `parse` and the words for the guide."""

    words = "value"

    def parse(self, node: Node, at: At) -> T_co | None:
        """The value, or None with its error reported at `at`."""
        raise NotImplementedError

    def json_schema(self) -> dict:
        """What editors' tools (YAML 1.2) may accept for a present value."""
        raise NotImplementedError


class Scalar(FieldType[T_co]):
    """A value written as one scalar: its text converted to a T."""

    words = "text"

    def parse(self, node: Node, at: At) -> T_co | None:
        if node.kind != "scalar":
            at.error(node, f"expected {self.words}, found {node.describe()}{_colon_hint(node)}")
            return None
        return self.convert(node.value, node, at)

    def convert(self, value: str, node: Node, at: At) -> T_co | None:
        raise NotImplementedError

    def json_schema(self) -> dict:
        # YAML 1.2 reads `title: 1984` as a number and `party: true` as a
        # boolean; the brief format reads both as text. Blank is missing.
        return {"type": ["string", "number", "boolean"], "pattern": r"\S"}


class Text(Scalar[str]):
    def convert(self, value: str, node: Node, at: At) -> str:
        return value.strip()


def _colon_hint(node: Node) -> str:
    """Text with ': ' in it, unquoted, reads as a key and its value."""
    if node.kind == "mapping" and len(node.value) == 1 and node.value[0][0].line == node.value[0][1].line:
        key = node.value[0][0].value
        if isinstance(key, str) and key[:1] in CURLY_QUOTES:
            return ("; this text is in a word processor's curly quotes (“…”), which YAML reads as letters, "
                    "not as quotes: type straight double quotes \"…\" instead")
        return "; put text that contains ': ' in double quotes"
    return ""


class InlineText(Scalar[RichText]):
    words = "inline text"
    block = False

    def convert(self, value: str, node: Node, at: At) -> RichText:
        # A text past its own limits, or past its file's, is not rendered (render says why), so costs nothing.
        rich, problems = render(value.strip(), self.block, lambda count: at.spend_marks(node, count))
        for problem in problems:
            at.error(node, problem)
        return rich


class BlockText(InlineText):
    words = "block text"
    block = True


class Choice(Scalar[str]):
    def __init__(self, choices: Mapping[str, str]):
        self.choices = choices  # value -> what it means, for the guide
        self.words = "one of " + ", ".join(f"`{c}`" for c in choices)

    def convert(self, value: str, node: Node, at: At) -> str | None:
        value = value.strip()
        if value in self.choices:
            return value
        at.error(node, f"'{value}' is not one of {', '.join(self.choices)}{did_you_mean(value, self.choices)}")
        return None

    def json_schema(self) -> dict:
        return {"enum": list(self.choices)}


class Slug(Scalar[str]):
    words = "slug (a-z, 0-9, single hyphens)"

    def convert(self, value: str, node: Node, at: At) -> str | None:
        value = value.strip()
        problem = slug_problem(value, "a slug")
        if problem is None:
            return value
        at.error(node, problem)
        return None

    def json_schema(self) -> dict:
        # `id: 2024` is a number to YAML 1.2 and a slug here.
        return {"anyOf": [{"type": "string", "pattern": whole(SLUG), "maxLength": SLUG_MAX},
                          {"type": "integer", "minimum": 0}]}


def slug_problem(value: str, what: str) -> str | None:
    """Why `value` is not a slug (for a key or a file name), or None."""
    if SLUG.fullmatch(value) and len(value) <= SLUG_MAX:
        return None
    hint = slugify(value)
    return (f"'{value}' is not {what}: use lowercase letters, digits and single hyphens, 1 to {SLUG_MAX} characters"
            + (f"; did you mean '{hint}'?" if hint else ""))


def slugify(value: str) -> str:
    """A slug made from any text, as the editing form makes a file name:
    letters folded to ASCII with the form's own table (é → e, ß → ss,
    ö → oe), then other scripts transliterated by anyascii (Москва →
    moskva), so no letter is dropped; '' only for text without a letter or digit."""
    folded = to_ascii(value).lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded))[:SLUG_MAX].strip("-")


class Boolean(FieldType[bool]):
    words = "`true` or `false`"

    def parse(self, node: Node, at: At) -> bool | None:
        if node.kind == "scalar" and node.plain and node.value in ("true", "false"):
            return node.value == "true"
        at.error(node, f"expected true or false, found {node.describe()}")
        return None

    def json_schema(self) -> dict:
        return {"type": "boolean"}


class Url(Scalar[str]):
    """An absolute web address with a host; `https_only` for the addresses
    an author page links (a newsroom's own pages have no reason for http)."""

    words = "http or https URL"

    def __init__(self, https_only: bool = False, what: tuple[str, str] = ("a source address", "source addresses")):
        self.schemes = ("https",) if https_only else ("http", "https")
        self.words = " or ".join(self.schemes) + " URL"
        self.one, self.many = what  # the errors' words for one such address and for all of them

    def convert(self, value: str, node: Node, at: At) -> str | None:
        value = value.strip()
        hidden = hidden_character(value)
        if hidden:
            at.error(node, f"{self.one} may not hold the invisible character {hidden}; type the address again")
            return None
        scheme, _, rest = value.partition("://")
        if scheme.lower() in self.schemes and rest and not rest.startswith("/") and not re.search(r"\s", value):
            return value
        allowed = " or ".join(self.schemes)
        written_scheme = link_scheme(value)
        if written_scheme and written_scheme not in self.schemes:
            at.error(node, f"{self.many} may use {allowed} only, not '{written_scheme}:'")
        else:
            at.error(node, f"'{value}' is not an absolute {allowed} address with a host, like https://www.reuters.com/")
        return None

    def json_schema(self) -> dict:
        pattern = whole(_URL)
        return {"type": "string", "pattern": pattern.replace("[Ss]?", "[Ss]") if self.schemes == ("https",) else pattern}


class Contact(Scalar[str]):
    """How readers reach a person: an https page or a mailto: address."""

    words = "`https://…` or `mailto:…` address"
    web = Url(https_only=True, what=("a contact address", "contact addresses"))

    def convert(self, value: str, node: Node, at: At) -> str | None:
        value = value.strip()
        if value.lower().startswith("mailto:"):
            if _MAILTO.fullmatch(value):
                return value
            at.error(node, f"'{value}' is not an email address like mailto:desk@example.org")
            return None
        written_scheme = link_scheme(value)
        if written_scheme and written_scheme != "https":
            at.error(node, f"a contact is an https:// page or a mailto: address, not '{written_scheme}:'")
            return None
        return self.web.convert(value, node, at)

    def json_schema(self) -> dict:
        return {"anyOf": [self.web.json_schema(), {"type": "string", "pattern": whole(_MAILTO)}]}


class Language(Scalar[str]):
    words = "language tag (BCP 47), e.g. `en`, `fr`, `ar`"

    def convert(self, value: str, node: Node, at: At) -> str | None:
        value = value.strip()
        if _LANG.fullmatch(value):
            return value
        at.error(node, f"'{value}' is not a language tag like en, fr-CA or ar")
        return None

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": whole(_LANG)}


# A moment of publication (a brief's date, its update, a correction's
# date) orders the archive and becomes a timestamp: seconds since 1970,
# which a gzip header (the sitemap's) holds in 32 bits, until early 2106.
PUBLISHED_YEARS = (1970, 2105)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


D_co = TypeVar("D_co", bound=dt.date, covariant=True)


class _Moment(Scalar[D_co]):
    """A date or a date-time (`dates_allowed`); without an offset, the site's time zone."""

    dates_allowed: ClassVar[bool]

    def __init__(self, published: bool = False):
        self.published = published

    def convert(self, value: str, node: Node, at: At) -> D_co | None:
        value = value.strip()
        parsed = self._parse(value, node, at)
        problem = parsed is not None and self.published and _publication_problem(value, parsed, at.timezone)
        if problem:
            at.error(node, problem)
            return None
        return parsed

    def _parse(self, value: str, node: Node, at: At) -> D_co | None:
        try:
            parsed = self._read(value, at)
        except ValueError as bad:
            at.error(node, f"'{value}' is not a real date ({bad}); check the day and the month")
            return None
        if parsed is None:
            example = "2024-05-07 or 2024-05-07T14:30+02:00" if self.dates_allowed else "2024-05-07T14:30+02:00"
            at.error(node, f"'{value}' is not a {'date or ' if self.dates_allowed else ''}date-time; write it like {example}")
        return parsed

    def _read(self, value: str, at: At) -> D_co | None:
        """The value, None if it is not written as one, ValueError for a day that does not exist."""
        raise NotImplementedError

    def json_schema(self) -> dict:
        # YAML 1.2 has no date type: `2024-05-07` is a string there. A
        # moment of publication has its years in the pattern; "not in the
        # future" reads the clock, which a published schema cannot.
        patterns = [p.pattern for p in ([_DATE, _DATETIME] if self.dates_allowed else [_DATETIME])]
        if self.published:
            patterns = [p.replace(r"\d{4}", f"(?:{_years_pattern(*PUBLISHED_YEARS)})", 1) for p in patterns]
        return {"type": "string", "pattern": "^(?:" + "|".join(patterns) + ")$"}


def _years_pattern(first: int, last: int) -> str:
    """The years first..last as a regex, a decade at a time: '197\\d|...|210[0-5]'."""
    decades: dict[int, list[int]] = {}
    for year in range(first, last + 1):
        decades.setdefault(year // 10, []).append(year % 10)
    return "|".join(f"{decade}\\d" if len(digits) == 10 else f"{decade}[{digits[0]}-{digits[-1]}]" if len(digits) > 1
                    else f"{decade}{digits[0]}" for decade, digits in decades.items())


class DateOrDateTime(_Moment[dt.date]):
    """A date, or a date and time (a datetime is a date too)."""

    words = "date `YYYY-MM-DD` or date-time `YYYY-MM-DDTHH:MM+02:00`"
    dates_allowed = True

    def _read(self, value: str, at: At) -> dt.date | None:
        return dt.date.fromisoformat(value) if _DATE.fullmatch(value) else _date_time(value, at)


class DateTime(_Moment[dt.datetime]):
    words = "date-time `YYYY-MM-DDTHH:MM+02:00`"
    dates_allowed = False

    def _read(self, value: str, at: At) -> dt.datetime | None:
        return _date_time(value, at)


def _date_time(value: str, at: At) -> dt.datetime | None:
    if not _DATETIME.fullmatch(value):
        return None
    moment = dt.datetime.fromisoformat(value.replace(" ", "T").replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=at.timezone)


def _publication_problem(value: str, parsed: dt.date, timezone: ZoneInfo) -> str | None:
    """Why a date cannot be a moment of publication, or None. The
    contract's one rule that reads the clock: a typo like 2204 must not
    become the newest brief."""
    first, last = PUBLISHED_YEARS
    instant = parsed if isinstance(parsed, dt.datetime) else dt.datetime.combine(parsed, dt.time(), tzinfo=timezone)
    outside = f"'{value}' is outside {first} to {last}, the dates a site's feeds and archive can hold"
    if parsed.year < first or instant < _EPOCH:
        return outside
    if instant > dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1):
        return f"'{value}' is in the future (more than a day from now); check the year"
    return outside if parsed.year > last else None


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, a month or a day, as background events often have."""

    iso: str

    @property
    def precision(self) -> str:
        return ("year", "month", "day")[self.iso.count("-")]


class PartialDateType(Scalar[PartialDate]):
    words = "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`"

    def convert(self, value: str, node: Node, at: At) -> PartialDate | None:
        value = value.strip()
        if _PARTIAL_DATE.fullmatch(value):
            try:
                dt.date.fromisoformat((value + "-01-01")[:10])
                return PartialDate(value)
            except ValueError:
                pass
        at.error(node, f"'{value}' is not a date like 2007, 2023-10 or 2023-10-07")
        return None

    def json_schema(self) -> dict:
        # A bare year, `2007`, is a number to YAML 1.2.
        return {"anyOf": [{"type": "string", "pattern": whole(_PARTIAL_DATE)},
                          {"type": "integer", "minimum": 1000, "maximum": 9999}]}


class ListOf(FieldType[tuple[T_co, ...]]):
    """A list; `max_items` bounds what one file can make the build do
    (each item costs the renderer a fixed amount of work)."""

    def __init__(self, item: FieldType[T_co], min_items: int = 0, max_items: int | None = None):
        self.item, self.min_items, self.max_items = item, min_items, max_items
        self.words = f"list of {item.words}" + (f", at most {max_items:,}" if max_items else "")

    def parse(self, node: Node, at: At) -> tuple[T_co, ...] | None:
        if node.kind != "sequence":
            at.error(node, f"expected a list (lines starting with '- '), found {node.describe()}")
            return None
        if len(node.value) < self.min_items:
            at.error(node, f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}: add each on a line starting with '- '")
        items = node.value
        if self.max_items is not None and len(items) > self.max_items:
            at.error(items[self.max_items], f"holds at most {self.max_items:,} items, and this is item {self.max_items + 1:,} "
                                            f"of {len(items):,}: keep the {self.max_items:,} that matter most")
            items = items[: self.max_items]
        values = []
        for i, child in enumerate(items):
            child_at = at.index(i)
            if is_empty(child):
                child_at.error(child, "this item is empty")
                continue
            value = self.item.parse(child, child_at)
            if value is not None:
                values.append(value)
        return tuple(values)

    def json_schema(self) -> dict:
        schema: dict[str, object] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return schema


@dataclass(frozen=True)
class FieldSpec(Generic[T_co]):
    """One key of a record, as the declaration gives it."""

    type: FieldType[T_co]
    required: bool = False
    default: T_co | None = None
    doc: str = ""


# Field() is how a record declares a key: it gives the FieldSpec that the
# validator, the JSON Schema and the guide read, and tells a type checker
# that the attribute holds what the field type reads (None if optional).
@overload
def Field(type: FieldType[T], *, required: Literal[True], doc: str) -> T: ...
@overload
def Field(type: FieldType[T], *, default: T, doc: str) -> T: ...
@overload
def Field(type: FieldType[T], *, doc: str) -> T | None: ...
def Field(type: FieldType[T], *, required: bool = False, default: T | None = None, doc: str = "") -> object:
    return FieldSpec(type, required, default, doc)


Nodes = dict[str, Node]  # a mapping's values by key, as written


@dataclass(frozen=True, kw_only=True)
class Written:
    """A record read from a file. `node` keeps where it was written, for
    errors found later (an unknown source id, a duplicate claim id)."""

    node: Node = dataclasses.field(repr=False, compare=False)

    FIELDS: ClassVar[dict[str, FieldSpec[object]]]
    WORDS: ClassVar[str]
    CHECKS: ClassVar[tuple[Check[Self], ...]]

    def __getstate__(self) -> dict:
        """A record pickled (a check's copy sends back what it read) goes
        without its nodes: only rules run while reading the file use them,
        and they are two thirds of a brief's bytes. (copy.copy goes through
        here too: no stage copies a record.)"""
        return {**self.__dict__, "node": None}


W = TypeVar("W", bound=Written)


@dataclass(frozen=True)
class Check(Generic[W]):
    """A rule across a record's fields, and the same rule in JSON Schema where it can say it."""

    rule: Callable[[W, Nodes, At], None]
    json_schema: dict[str, object] = dataclasses.field(default_factory=dict)


class Record(FieldType[W]):
    """A mapping whose keys are the fields of a @record class."""

    def __init__(self, cls: type[W]):
        self.cls = cls
        self.words = cls.WORDS
        self.required = tuple(name for name, spec in cls.FIELDS.items() if spec.required)

    def parse(self, node: Node, at: At) -> W | None:
        fields = self.cls.FIELDS
        if node.kind != "mapping":
            at.error(node, f"expected {self.words} (a mapping with keys {', '.join(fields)}), found {node.describe()}")
            return None
        values: dict[str, object] = {}
        nodes: Nodes = {}
        for key, value in node.value:
            name = key.value
            # Neither can be in a file load_yaml read: it reports and drops
            # them (its errors say more); a node made another way may hold them.
            if key.kind != "scalar":
                at.error(key, "a key must be a plain name, not a list or mapping")
                continue
            if name in nodes:
                at.error(key, f"duplicate key '{name}'")
                continue
            spec = fields.get(name)
            if spec is None:
                at.error(key, f"unknown key '{name}'{did_you_mean(name, fields)}")
                continue
            nodes[name] = value
            if not is_empty(value):
                parsed = spec.type.parse(value, at.key(name))
                if parsed is not None:  # else its error is reported
                    values[name] = parsed
        for name in self.required:
            if name not in nodes:
                at.error(node, f"missing required key '{name}': add a line '{name}: …'")
            elif is_empty(nodes[name]):
                at.key(name).error(nodes[name], "this required value is empty")
        # A required value that could not be read stays None here; its error
        # is reported, so no Project ever holds such a record.
        instance = self.cls(**values, node=node)
        for check in self.cls.CHECKS:
            check.rule(instance, nodes, at)
        return instance

    def json_schema(self) -> dict:
        properties = {}
        for name, spec in self.cls.FIELDS.items():
            value = spec.type.json_schema()
            properties[name] = {"description": spec.doc, **(value if spec.required else _or_null(value))}
        schema = {
            "type": "object",
            "properties": properties,
            "required": [name for name, spec in self.cls.FIELDS.items() if spec.required],
            "additionalProperties": False,
        }
        for check in self.cls.CHECKS:  # a rule that JSON Schema can express says how
            schema.update(check.json_schema)
        return schema


def _or_null(schema: dict) -> dict:
    """An optional key may be left empty (`location:`), which is null to YAML 1.2."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*types, "null"]}


def json_schema_document(declared: FieldType, title: str) -> dict:
    """A whole file's JSON Schema, as VS Code's YAML extension reads it."""
    return {"$schema": "http://json-schema.org/draft-07/schema#", "title": title, **declared.json_schema()}


# Two forms, so that a record without checks still gives the type checker its class.
@overload
@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(Field,))
def record(words: str) -> Callable[[type[W]], type[W]]: ...
@overload
def record(words: str, checks: tuple[Check[W], ...]) -> Callable[[type[W]], type[W]]: ...
def record(words: str, checks: tuple[Check[W], ...] = ()) -> Callable[[type[W]], type[W]]:
    """Make a declared class (a Written) a frozen dataclass whose Field
    attributes are its YAML keys, each annotated with the type it holds."""

    def wrap(cls: type[W]) -> type[W]:
        fields = {name: value for name, value in vars(cls).items() if isinstance(value, FieldSpec)}
        annotations = cls.__dict__.get("__annotations__", {})
        for name, spec in fields.items():
            if name not in annotations:
                raise TypeError(f"{cls.__name__}.{name} needs an annotation: the type its field holds")
            setattr(cls, name, dataclasses.field(default=spec.default))
        made = dataclasses.dataclass(frozen=True, kw_only=True)(cls)
        made.FIELDS, made.WORDS, made.CHECKS = fields, words, checks
        return made

    return wrap
