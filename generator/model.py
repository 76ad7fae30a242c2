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
    At, BlockText, Boolean, Check, Choice, Contact, DateOrDateTime, DateTime, Field, FieldType, InlineText,
    Language, ListOf, Nodes, PartialDate, PartialDateType, Record, Slug, Text, Url, Written, record,
)
from .load_yaml import Node
from .settings import SETTINGS_SCHEMA, Settings
from .text import RichText


@dataclass(frozen=True)
class Status:
    """A claim's status, everything about it but its words: the value an
    editor writes, what it means (the guide, the label's tooltip), and its
    label's icon and colours (generated into briefs.css, drawn on cards).
    Its label's word is `status_label[name]` in each templates/_words*.j2."""

    name: str
    meaning: str
    icon: str  # an SVG path in a 24 x 24 box (Material Design Icons)
    light: str  # the label's colour in the light scheme, #rrggbb
    dark: str  # in the dark (slate) scheme


CLAIM_STATUSES = (
    Status("confirmed", "independently verified by the newsroom or by several independent outlets, or an actor's own act or decision in the actor's own statement on record (its own channel, or quoted directly by several outlets)",
           icon="m23 12-2.44-2.78.34-3.68-3.61-.82-1.89-3.18L12 3 8.6 1.54 6.71 4.72l-3.61.81.34 3.68L1 12l2.44 2.78-.34 3.69 3.61.82 1.89 3.18L12 21l3.4 1.46 1.89-3.18 3.61-.82-.34-3.68zm-13 5-4-4 1.41-1.41L10 14.17l6.59-6.59L18 9z",
           light="#1b5e20", dark="#81c784"),
    Status("reported", "reported by credible media, not independently verified: a fact known through one outlet, however credible, even when that outlet relays an actor's announcement",
           icon="M20 5v14H4V5zm0-2H4c-1.11 0-2 .89-2 2v14c0 1.11.89 2 2 2h16c1.11 0 2-.89 2-2V5c0-1.11-.89-2-2-2m-2 12H6v2h12zm-8-8H6v6h4zm2 2h6V7h-6zm6 2h-6v2h6z",
           light="#0d47a1", dark="#90caf9"),
    Status("claimed", "asserted by a party with a stake in it about anything beyond its own act or decision: the other side, outcomes, numbers, intentions",
           icon="M12 8H4a2 2 0 0 0-2 2v4a2 2 0 0 0 2 2h1v4a1 1 0 0 0 1 1h2a1 1 0 0 0 1-1v-4h3l5 4V4zm3 7.6L13 14H4v-4h9l2-1.6zm6.5-3.6c0 1.71-.96 3.26-2.5 4V8c1.53.75 2.5 2.3 2.5 4",
           light="#6a1b9a", dark="#ce93d8"),
    Status("disputed", "contested by another party or contradicted by other reporting",
           icon="M13 20V8.8c.5-.2 1-.5 1.3-.9l3.5 1.3-2.9 6.8c-.5 2 1 3 3.5 3s4.1-1 3.5-3l-2.6-6.3.9.3.7-1.9L15 6c0-1.2-.7-2.4-2-2.9-1.2-.5-2.5 0-3.3.9L3.9 2l-.7 1.8 1.6.6L2.1 11c-.5 2 1 3 3.5 3s4.1-1 3.5-3L6.6 5.1 9 6c0 1.2.7 2.4 2 2.9V20H2v2h20v-2zm6.9-4h-3l1.5-3.8zM7.1 11h-3l1.5-3.8zm4-5.3c.2-.5.8-.8 1.3-.6s.8.8.6 1.3-.8.8-1.3.6-.8-.8-.6-1.3",
           light="#8a4b00", dark="#ffb74d"),
    Status("debunked", "shown to be false; kept for the record",
           icon="M8.27 3 3 8.27v7.46L8.27 21h7.46C17.5 19.24 21 15.73 21 15.73V8.27L15.73 3M9.1 5h5.8L19 9.1v5.8L14.9 19H9.1L5 14.9V9.1m4.12-1.39L7.71 9.12 10.59 12l-2.88 2.88 1.41 1.41L12 13.41l2.88 2.88 1.41-1.41L13.41 12l2.88-2.88-1.41-1.41L12 10.59",
           light="#b71c1c", dark="#ef9a9a"),
)
STATUSES = {status.name: status.meaning for status in CLAIM_STATUSES}  # in the order the site lists them


@dataclass(frozen=True)
class WorkType:
    """The kind of work a brief is (the Trust Project's type-of-work
    label): the value an editor writes, what it means, and the schema.org
    type its JSON-LD gives. Its label's word is in each language's words."""

    name: str
    meaning: str
    schema_type: str


WORK_TYPES = (
    WorkType("explainer", "background and context on a development: what is known, what is not, and why it matters (the default)", "BackgroundNewsArticle"),
    WorkType("news", "a report of what happened, from the newsroom's own reporting and its sources", "ReportageNewsArticle"),
    WorkType("analysis", "an interpretation of the news by the author, drawing on the facts and the author's expertise", "AnalysisNewsArticle"),
    WorkType("opinion", "the author's or the newsroom's own argument and point of view", "OpinionNewsArticle"),
    # schema.org has no article type for a fact check (its ClaimReview reviews one claim, with a rating).
    WorkType("fact-check", "a check of claims circulating in public, each with its verdict as a claim status", "NewsArticle"),
)
STORY_STATUSES = {
    "developing": "the story is still moving (the default)",
    "concluded": "the story has ended; no more developments are expected",
}


@record("a source")
class Source(Written):
    id: str | None = Field(Slug(), required=True, doc="Short name other fields cite it by, e.g. `reuters`. Unique across `briefs/sources.yaml` and the brief.")
    name: str = Field(Text(), required=True, doc="The source as readers know it: \"Reuters\", \"Al-Qahera News\".")
    url: str | None = Field(Url(), doc="Where to read or hear it, an `http` or `https` address. Optional: a broadcast may have none.")
    kind: str | None = Field(Text(), doc="What it is: \"wire agency\", \"state media\", \"official statement\".")
    note: RichText | None = Field(InlineText(), doc="What a reader should know about it: \"close to Egypt's intelligence services\".")
    short: str | None = Field(Text(), doc="The outlet's name as readers see it beside a claim: \"AP\" for \"Associated Press\". Without it, `name`.")

    @property
    def shown(self) -> str:
        """The name a claim's citation shows."""
        return self.short or self.name


SOURCE_IN_LIST = Record(Source)


@record("an inline source")
class InlineSource(Written):
    name: str = Field(Text(), required=True, doc="The source's name.")
    url: str | None = Field(Url(), doc="Its `http` or `https` address.")


@dataclass(frozen=True, kw_only=True)
class SourceId(Source):
    """A source cited by its id and known by nothing else yet: validate.py
    replaces it by the Source the id names, so a Project holds none."""

    id: str
    at: At = field(compare=False)  # its key path, for an unknown id, whatever else failed to parse


class SourceRef(FieldType[Source]):
    """A source id, or an inline source {name, url}."""

    words = "source id or inline source `{name, url}`"
    inline = Record(InlineSource)
    id = Slug()

    def parse(self, node: Node, at: At) -> Source | None:
        if node.kind == "mapping":
            inline = self.inline.parse(node, at)
            if inline is None:
                return None
            return Source(id=None, name=inline.name, url=inline.url, kind=None, note=None, short=None, node=node)
        sid = self.id.parse(node, at)
        if sid is None:
            return None
        return SourceId(id=sid, name="", url=None, kind=None, note=None, short=None, node=node, at=at)

    def json_schema(self) -> dict:
        return {"anyOf": [self.id.json_schema(), self.inline.json_schema()]}


def _sources_unless_confirmed(claim: Claim, nodes: Nodes, at: At) -> None:
    written = nodes.get("sources")
    if written is not None and written.kind == "sequence" and written.value:
        return  # sources were given; any that could not be read has its own error
    # A check sees the record before its errors stop the run: a status or
    # text that could not be read is None here, and its error says why.
    if claim.status and claim.status != "confirmed" and not claim.sources and claim.text:
        where = at.key("sources") if "sources" in nodes else at
        where.error(nodes.get("sources", claim.node), f"a '{claim.status}' claim needs at least one source (only 'confirmed' claims may have none): add its source, or make it 'confirmed'")


SOURCES_UNLESS_CONFIRMED = Check(_sources_unless_confirmed, {
    "if": {"properties": {"status": {"enum": [s for s in STATUSES if s != "confirmed"]}}, "required": ["status"]},
    "then": {"properties": {"sources": {"type": "array", "minItems": 1}}, "required": ["sources"]},
})


@record("a claim", checks=(SOURCES_UNLESS_CONFIRMED,))
class Claim(Written):
    text: RichText = Field(InlineText(), required=True, doc="The claim, one or two sentences, saying who says so when it rests on someone's word: \"Israel has sent a delegation to Cairo, Prime Minister Benjamin Netanyahu said.\"")
    status: str = Field(Choice(STATUSES), required=True, doc="How sure we are: one of the five statuses (see \"The five statuses\" in the editor guide).")
    sources: tuple[Source, ...] = Field(ListOf(SourceRef(), max_items=20), default=(), doc="Who says so: source ids or inline sources. Required unless the status is `confirmed`.")
    id: str | None = Field(Slug(), doc="A stable name for the claim across the story's briefs, e.g. `rafah-crossing-seized`, so \"What changed\" can follow it when its wording changes.")


@record("a quote")
class Quote(Written):
    text: RichText = Field(InlineText(), required=True, doc="The words quoted, without quotation marks.")
    by: str = Field(Text(), required=True, doc="Who said it.")
    role: str | None = Field(Text(), doc="Their role: \"White House National Security Council spokesman\".")
    source: Source | None = Field(SourceRef(), doc="Where it was said or reported: a source id or inline source.")
    date: dt.date | None = Field(DateOrDateTime(), doc="When it was said.")


@record("a position")
class Position(Written):
    party: str = Field(Text(), required=True, doc="Who: a government, a group, a person.")
    stance: RichText = Field(InlineText(), required=True, doc="Their position, in our words.")
    quotes: tuple[Quote, ...] = Field(ListOf(Record(Quote), max_items=20), default=(), doc="Their own words, attributed.")


@record("an event")
class Event(Written):
    date: PartialDate = Field(PartialDateType(), required=True, doc="When: `2007`, `2023-10` or `2023-10-07`.")
    text: RichText = Field(InlineText(), required=True, doc="What happened.")
    source: Source | None = Field(SourceRef(), doc="A source id or inline source.")


@record("a correction")
class Correction(Written):
    date: dt.date = Field(DateOrDateTime(published=True), required=True, doc="When the correction was made; not in the future.")
    text: RichText = Field(InlineText(), required=True, doc="What was wrong and what is right now.")


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


def _updated_after_date(brief: Brief, nodes: Nodes, at: At) -> None:
    if brief.updated is None or brief.date is None:
        return
    published = brief.date
    updated = brief.updated.astimezone(at.timezone).date() if not isinstance(published, dt.datetime) else brief.updated
    if updated < published:
        at.key("updated").error(nodes["updated"], f"'updated' ({brief.updated.isoformat()}) is before 'date' ({published.isoformat()})")


def _unique_claim_ids(brief: Brief, nodes: Nodes, at: At) -> None:
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


@record("a brief", checks=(Check(_updated_after_date), Check(_unique_claim_ids)))
class Brief(Written):
    slug: str = ""  # from the file name
    story: str = ""  # the story folder's slug
    path: str = ""  # as shown in errors

    title: str = Field(Text(), required=True, doc="Headline of the development: \"Hamas approves Egypt's truce proposal\".")
    question: str | None = Field(Text(), doc="The explainer's framing question: \"What do we know about the talks in Cairo?\"")
    date: dt.date = Field(DateOrDateTime(published=True), required=True, doc="When the brief was published (shown as \"Published\"); orders the story's briefs. `2024-05-07` or `2024-05-07T21:00+03:00`, between 1970 and 2105 and not in the future.")
    updated: dt.datetime | None = Field(DateTime(published=True), doc="Last substantive update, a date-time not before `date` and not in the future. Shown as \"Updated\" at the top.")
    location: str | None = Field(Text(), doc="Dateline: the place the brief reports from, e.g. \"Cairo\". Leave it out unless you report from there.")
    authors: tuple[str, ...] = Field(ListOf(Text(), max_items=30), default=(), doc="Bylines.")
    summary: RichText = Field(InlineText(), required=True, doc="The lead: one to three sentences saying what happened and why it matters.")
    what_we_know: tuple[Claim, ...] = Field(ListOf(Record(Claim), min_items=1, max_items=200), required=True, doc="The claims, at least one, each with its status and sources.")
    what_we_dont_know: tuple[RichText, ...] = Field(ListOf(InlineText(), max_items=100), default=(), doc="Open questions, one per item.")
    positions: tuple[Position, ...] = Field(ListOf(Record(Position), max_items=50), default=(), doc="Who says what: each party's stance and quotes.")
    timeline: tuple[Event, ...] = Field(ListOf(Record(Event), max_items=300), default=(), doc="Dated background events.")
    context: RichText | None = Field(BlockText(), doc="Background: paragraphs, lists and `###` subheads in Markdown.")
    whats_next: tuple[RichText, ...] = Field(ListOf(InlineText(), max_items=100), default=(), doc="What is scheduled or expected next.")
    sources: tuple[Source, ...] = Field(ListOf(SOURCE_IN_LIST, max_items=300), default=(), doc="Sources used only in this brief (shared ones live in `briefs/sources.yaml`).")
    corrections: tuple[Correction, ...] = Field(ListOf(Record(Correction), max_items=100), default=(), doc="Published corrections. Never delete one.")
    tags: tuple[str, ...] = Field(ListOf(Text(), max_items=30), default=(), doc="Topics, added to the story's tags.")
    draft: bool = Field(Boolean(), default=False, doc="`true` keeps the brief off the site until you set it to `false` (or remove the line).")
    work_type: str = Field(Choice({w.name: w.meaning for w in WORK_TYPES}), default="explainer", doc="The kind of work: `explainer` (the default), `news`, `analysis`, `opinion` or `fact-check`, shown as a label above the headline and told to search engines.")


@record("a story")
class Story(Written):
    slug: str = ""
    path: str = ""

    title: str = Field(Text(), required=True, doc="The story's name: \"Gaza truce negotiations\".")
    summary: RichText = Field(InlineText(), required=True, doc="One to three sentences: where things stand now.")
    status: str = Field(Choice(STORY_STATUSES), default="developing", doc="`developing` or `concluded`, shown as a badge.")
    tags: tuple[str, ...] = Field(ListOf(Text(), max_items=30), default=(), doc="Topics, merged into every brief's tags.")
    lang: str | None = Field(Language(), doc="Language of the story's text, e.g. `en`, `fr`, `ar`. Defaults to the site's.")


@record("an author")
class Author(Written):
    id: str = Field(Slug(), required=True, doc="The author's address on the site, `/authors/<id>/`: e.g. `nour-khalil`. Unique in the file.")
    name: str = Field(Text(), required=True, doc="The name as bylines write it: a brief's byline equal to it links to the author's page.")
    role: str | None = Field(Text(), doc="Their role in the newsroom: \"Cairo correspondent\".")
    bio: RichText | None = Field(InlineText(), doc="One to three sentences about them.")
    contact: str | None = Field(Contact(), doc="How readers reach them: `mailto:…` or an `https://…` page.")
    links: tuple[str, ...] = Field(ListOf(Url(https_only=True, what=("an author's link", "an author's links")), max_items=20), default=(), doc="Their other pages, `https://…` addresses.")


def status_counts(brief: Brief) -> dict[str, int]:
    """How many of the brief's claims have each status, in the statuses' order."""
    counts = {status: sum(c.status == status for c in brief.what_we_know) for status in STATUSES}
    return {status: n for status, n in counts.items() if n}


def brief_tags(story: Story, brief: Brief) -> list[str]:
    """The story's tags, then the brief's own, each once."""
    return list(dict.fromkeys([*story.tags, *brief.tags]))


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
    authors: tuple[Author, ...] = ()


SOURCES_FILE = ListOf(SOURCE_IN_LIST)
AUTHORS_FILE = ListOf(Record(Author), max_items=2000)
BRIEF = Record(Brief)
STORY = Record(Story)

# The JSON Schemas published for editors' tools: file name -> (declaration, title).
JSON_SCHEMAS: dict[str, tuple[FieldType[object], str]] = {
    "story.schema.json": (STORY, "A story: briefs/<story>/story.yaml"),
    "brief.schema.json": (BRIEF, "A brief, one development: briefs/<story>/<brief>.yaml"),
    "sources.schema.json": (SOURCES_FILE, "Shared sources: briefs/sources.yaml"),
    "authors.schema.json": (AUTHORS_FILE, "The newsroom's authors: briefs/authors.yaml"),
    "settings.schema.json": (SETTINGS_SCHEMA, "The site's briefing settings: extra.briefing in mkdocs.yml"),
}
