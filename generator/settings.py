"""Site settings the generator needs from mkdocs.yml (site_name, site_url,
theme.language, extra.briefing), read without running MkDocs.

`extra.briefing` is declared like the brief format (model.py): one `Field`
line per key, with its default and the words the editor guide shows. The
validator (schema.Record, every mistake at its line in one run), the
guide's settings table and the JSON Schema all read `Briefing`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .load_yaml import Node
from .problems import ContentErrors, Problem
from .schema import At, Field, FieldType, Record, Scalar, Text, Written, is_empty, record

SETTINGS_FILE = "mkdocs.yml"


class _SettingsLoader(yaml.SafeLoader):
    """mkdocs.yml may hold !!python/name and !ENV tags meant for MkDocs."""


_SettingsLoader.add_multi_constructor("", lambda loader, suffix, node: None)


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


@record("the briefing settings")
class Briefing(Written):
    timezone: ZoneInfo = Field(TimeZone(), default=ZoneInfo("UTC"), doc="time zone of date-times written without an offset, e.g. `Europe/Paris`")
    latest: int = Field(Count(), default=30, doc="how many developments the home page shows as cards (one per story) and each tag's page lists")
    nav_stories: int = Field(Count(), default=10, doc="how many stories the navigation shows, most active first; the home page lists every story")
    publisher: str | None = Field(Text(), doc="the newsroom: named in search engines' data and at the foot of every page (default: `site_name`)")
    corrections_policy: str | None = Field(Link("corrections-policy"), doc="a link to the newsroom's corrections policy, at the foot of every page: `https://…`, or a page of the site such as `about/corrections/` (no link if left out)")
    contact: str | None = Field(Link("contact"), doc="how readers reach the newsroom, at the foot of every page: `mailto:desk@example.org`, `https://…` or a page of the site (no link if left out)")


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


def load_settings(root: Path) -> Settings:
    config, document = _read(root / SETTINGS_FILE)
    theme = _mapping(config.get("theme"))
    site_name = str(config.get("site_name", "Briefs"))
    briefing = _briefing(document)
    return Settings(
        site_name=site_name,
        site_url=str(config.get("site_url") or ""),
        language=str(theme.get("language", "en")),
        timezone=briefing.timezone,
        latest_count=briefing.latest,
        nav_stories=briefing.nav_stories,
        publisher=briefing.publisher or site_name,
        corrections_policy=briefing.corrections_policy or "",
        contact=briefing.contact or "",
    )


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
    return None if node is None or is_empty(_node(node, depth=1)) else node


def _node(node: yaml.Node, depth: int = 0) -> Node:
    """PyYAML's node as the schema reads it, with 1-based line and column.
    Settings are one level deep: anything deeper is read as its kind alone
    (an alias cannot make it endless)."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return Node("scalar", node.value, line, column, plain=node.style is None)
    kind = "mapping" if isinstance(node, yaml.MappingNode) else "sequence"
    if depth > 0:
        return Node(kind, [], line, column)
    if kind == "mapping":
        return Node(kind, [(_node(k, depth + 1), _node(v, depth + 1)) for k, v in node.value], line, column)
    return Node(kind, [_node(v, depth + 1) for v in node.value], line, column)


def _read(path: Path) -> tuple[dict, yaml.Node | None]:
    """The settings as values, and as nodes for the places of mistakes."""
    try:
        loader = _SettingsLoader(path.read_text(encoding="utf-8"))
    except OSError as bad:
        raise _error(f"cannot read the site settings: {bad.strerror}") from None
    try:
        document = loader.get_single_node()
        config = (loader.construct_document(document) if document is not None else None) or {}
    except yaml.MarkedYAMLError as bad:
        mark = bad.problem_mark or bad.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _error(f"YAML syntax: {bad.problem or 'invalid YAML'}", line, column) from None
    except yaml.YAMLError as bad:
        raise _error(f"YAML syntax: {bad}") from None
    finally:
        loader.dispose()
    if not isinstance(config, dict):
        raise _error("the site settings must be a mapping of keys (site_name, theme, ...)")
    return config, document


def _error(message: str, line: int = 1, column: int = 1) -> ContentErrors:
    return ContentErrors([Problem(SETTINGS_FILE, line, column, message)])
