"""The brief format, declared once, and the site model built from it.

Every key an editor may write is one `Field` line here, with the words
the editor guide shows for it. The validator (schema.Record), the guide's
field tables and the JSON Schema for editors' tools all read these
declarations; nothing else lists the keys. `Project` is what
validate.py makes of the files and every later stage reads.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .schema import (
    At, BlockText, Boolean, Choice, DateOrDateTime, DateTime, Field, FieldType, InlineText,
    Language, ListOf, PartialDateType, Record, Slug, Text, Url, record,
)
from .load_yaml import Node
from .settings import Settings

STATUSES = {
    "confirmed": "independently verified by the newsroom or by several independent outlets, or an actor's own act or decision in the actor's own statement on record (its own channel, or quoted directly by several outlets)",
    "reported": "reported by credible media, not independently verified: a fact known through one outlet, however credible, even when that outlet relays an actor's announcement",
    "claimed": "asserted by a party with a stake in it about anything beyond its own act or decision: the other side, outcomes, numbers, intentions",
    "disputed": "contested by another party or contradicted by other reporting",
    "debunked": "shown to be false; kept for the record",
}
STORY_STATUSES = {
    "developing": "the story is still moving (the default)",
    "concluded": "the story has ended; no more developments are expected",
}


@dataclass(frozen=True)
class SourceId:
    """A source named by its id, resolved against the registry and the brief."""

    id: str
    node: Node
    at: At = field(compare=False)  # its key path, for an unknown id, whatever else failed to parse


@record("a source")
class Source:
    id = Field(Slug(), required=True, doc="Short name other fields cite it by, e.g. `reuters`. Unique across `briefs/sources.yaml` and the brief.")
    name = Field(Text(), required=True, doc="The source as readers know it: \"Reuters\", \"Al-Qahera News\".")
    url = Field(Url(), doc="Where to read or hear it, an `http` or `https` address. Optional: a broadcast may have none.")
    kind = Field(Text(), doc="What it is: \"wire agency\", \"state media\", \"official statement\".")
    note = Field(InlineText(), doc="What a reader should know about it: \"close to Egypt's intelligence services\".")


SOURCE_IN_LIST = Record(Source)


@record("an inline source")
class InlineSource:
    name = Field(Text(), required=True, doc="The source's name.")
    url = Field(Url(), doc="Its `http` or `https` address.")


class SourceRef(FieldType):
    """A source id, or an inline source {name, url}."""

    words = "source id or inline source `{name, url}`"
    inline = Record(InlineSource)
    id = Slug()

    def parse(self, node: Node, at: At):
        if node.kind == "mapping":
            inline = self.inline.parse(node, at)
            return inline and Source(name=inline.name, url=inline.url, node=node)
        sid = self.id.parse(node, at)
        return sid and SourceId(sid, node, at)

    def json_schema(self) -> dict:
        return {"anyOf": [self.id.json_schema(), self.inline.json_schema()]}


def _sources_unless_confirmed(claim, nodes: dict, at: At) -> None:
    written = nodes.get("sources")
    if written is not None and written.kind == "sequence" and written.value:
        return  # sources were given; any that could not be read has its own error
    if claim.status and claim.status != "confirmed" and not claim.sources and claim.text:
        where = at.key("sources") if "sources" in nodes else at
        where.error(nodes.get("sources", claim.node), f"a '{claim.status}' claim needs at least one source (only 'confirmed' claims may have none)")


_sources_unless_confirmed.json_schema = {
    "if": {"properties": {"status": {"enum": [s for s in STATUSES if s != "confirmed"]}}, "required": ["status"]},
    "then": {"properties": {"sources": {"type": "array", "minItems": 1}}, "required": ["sources"]},
}


@record("a claim", checks=(_sources_unless_confirmed,))
class Claim:
    text = Field(InlineText(), required=True, doc="The claim, one or two sentences, saying who says so when it rests on someone's word: \"Israel has sent a delegation to Cairo, Prime Minister Benjamin Netanyahu said.\"")
    status = Field(Choice(STATUSES), required=True, doc="How sure we are: one of the five statuses (see \"The five statuses\" in the editor guide).")
    sources = Field(ListOf(SourceRef()), default=(), doc="Who says so: source ids or inline sources. Required unless the status is `confirmed`.")
    id = Field(Slug(), doc="A stable name for the claim across the story's briefs, e.g. `rafah-crossing-seized`, so \"What changed\" can follow it when its wording changes.")


@record("a quote")
class Quote:
    text = Field(InlineText(), required=True, doc="The words quoted, without quotation marks.")
    by = Field(Text(), required=True, doc="Who said it.")
    role = Field(Text(), doc="Their role: \"White House National Security Council spokesman\".")
    source = Field(SourceRef(), doc="Where it was said or reported: a source id or inline source.")
    date = Field(DateOrDateTime(), doc="When it was said.")


@record("a position")
class Position:
    party = Field(Text(), required=True, doc="Who: a government, a group, a person.")
    stance = Field(InlineText(), required=True, doc="Their position, in our words.")
    quotes = Field(ListOf(Record(Quote)), default=(), doc="Their own words, attributed.")


@record("an event")
class Event:
    date = Field(PartialDateType(), required=True, doc="When: `2007`, `2023-10` or `2023-10-07`.")
    text = Field(InlineText(), required=True, doc="What happened.")
    source = Field(SourceRef(), doc="A source id or inline source.")


@record("a correction")
class Correction:
    date = Field(DateOrDateTime(published=True), required=True, doc="When the correction was made; not in the future.")
    text = Field(InlineText(), required=True, doc="What was wrong and what is right now.")


def moment(value, timezone) -> dt.datetime:
    """A date or date-time as an instant; a date is the start of its day."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=timezone)


def last_revised(brief, timezone) -> dt.datetime:
    """When a brief last changed for its readers: its date, its update or
    its newest correction, whichever is latest."""
    moments = [brief.date, brief.updated, *(correction.date for correction in brief.corrections)]
    return max(moment(value, timezone) for value in moments if value is not None)


def _updated_after_date(brief, nodes: dict, at: At) -> None:
    if brief.updated is None or brief.date is None:
        return
    published = brief.date
    updated = brief.updated.astimezone(at.timezone).date() if not isinstance(published, dt.datetime) else brief.updated
    if updated < published:
        at.key("updated").error(nodes["updated"], f"'updated' ({brief.updated.isoformat()}) is before 'date' ({published.isoformat()})")


def _unique_claim_ids(brief, nodes: dict, at: At) -> None:
    seen: dict[str, int] = {}
    for i, claim in enumerate(brief.what_we_know or ()):
        if claim.id is None:
            continue
        if claim.id in seen:
            id_node = _value_node(claim.node, "id")
            at.key("what_we_know").index(i).key("id").error(id_node, f"duplicate claim id '{claim.id}' (also what_we_know[{seen[claim.id]}])")
        else:
            seen[claim.id] = i


def _value_node(mapping: Node, key: str) -> Node:
    return next((value for k, value in mapping.value if k.value == key), mapping)


@record("a brief", checks=(_updated_after_date, _unique_claim_ids))
class Brief:
    slug: str = ""  # from the file name
    story: str = ""  # the story folder's slug
    path: str = ""  # as shown in errors

    title = Field(Text(), required=True, doc="Headline of the development: \"Hamas approves Egypt's truce proposal\".")
    question = Field(Text(), doc="The explainer's framing question: \"What do we know about the talks in Cairo?\"")
    date = Field(DateOrDateTime(published=True), required=True, doc="When the brief was published (shown as \"Published\"); orders the story's briefs. `2024-05-07` or `2024-05-07T21:00+03:00`, between 1970 and 2105 and not in the future.")
    updated = Field(DateTime(published=True), doc="Last substantive update, a date-time not before `date` and not in the future. Shown as \"Updated\" at the top.")
    location = Field(Text(), doc="Dateline: the place the brief reports from, e.g. \"Cairo\". Leave it out unless you report from there.")
    authors = Field(ListOf(Text()), default=(), doc="Bylines.")
    summary = Field(InlineText(), required=True, doc="The lead: one to three sentences saying what happened and why it matters.")
    what_we_know = Field(ListOf(Record(Claim), min_items=1), required=True, doc="The claims, at least one, each with its status and sources.")
    what_we_dont_know = Field(ListOf(InlineText()), default=(), doc="Open questions, one per item.")
    positions = Field(ListOf(Record(Position)), default=(), doc="Who says what: each party's stance and quotes.")
    timeline = Field(ListOf(Record(Event)), default=(), doc="Dated background events.")
    context = Field(BlockText(), doc="Background: paragraphs, lists and `###` subheads in Markdown.")
    whats_next = Field(ListOf(InlineText()), default=(), doc="What is scheduled or expected next.")
    sources = Field(ListOf(SOURCE_IN_LIST), default=(), doc="Sources used only in this brief (shared ones live in `briefs/sources.yaml`).")
    corrections = Field(ListOf(Record(Correction)), default=(), doc="Published corrections. Never delete one.")
    tags = Field(ListOf(Text()), default=(), doc="Topics, added to the story's tags.")
    draft = Field(Boolean(), default=False, doc="`true` keeps the brief off the site until you set it to `false` (or remove the line).")


@record("a story")
class Story:
    slug: str = ""
    path: str = ""

    title = Field(Text(), required=True, doc="The story's name: \"Gaza truce negotiations\".")
    summary = Field(InlineText(), required=True, doc="One to three sentences: where things stand now.")
    status = Field(Choice(STORY_STATUSES), default="developing", doc="`developing` or `concluded`, shown as a badge.")
    tags = Field(ListOf(Text()), default=(), doc="Topics, merged into every brief's tags.")
    lang = Field(Language(), doc="Language of the story's text, e.g. `en`, `fr`, `ar`. Defaults to the site's.")


@dataclass(frozen=True)
class StoryEntry:
    """A story with its briefs in the contract's order (date, then file name)."""

    story: Story
    briefs: tuple[Brief, ...]


@dataclass(frozen=True)
class Project:
    """The validated site: what every later stage reads."""

    settings: Settings
    sources: tuple[Source, ...]
    stories: tuple[StoryEntry, ...]


SOURCES_FILE = ListOf(SOURCE_IN_LIST)
BRIEF = Record(Brief)
STORY = Record(Story)

# The JSON Schemas published for editors' tools: file name -> (declaration, title).
JSON_SCHEMAS = {
    "story.schema.json": (STORY, "A story: briefs/<story>/story.yaml"),
    "brief.schema.json": (BRIEF, "A brief, one development: briefs/<story>/<brief>.yaml"),
    "sources.schema.json": (SOURCES_FILE, "Shared sources: briefs/sources.yaml"),
}
