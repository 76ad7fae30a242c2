"""The validated model -> Markdown pages for MkDocs.

Templates hold the layout and print the words of the page's language
(page_language.py); this module prepares what they show (source numbers,
neighbours, cards, What changed) and renders every page, each with its
metadata as front matter. Later stages use it for the pages only (the
`Renderer`, its `PageCache`, the guide): helpers they share live in
modules of their own (tests/test_import_graph.py).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from babel.dates import format_date
from markupsafe import Markup

from .changes import changes, claim_key, claim_records
from .model import STATUSES, WORK_TYPES, Author, Brief, Event, Project, Source, Story, StoryEntry, brief_tags, moment, status_counts
from .page_language import CHANGES_SHOWN, LIST_SHOWN, MacroCalls, PageLanguage, day_of, environment, slug_path
from .page_meta import FrontMatter, Neighbour, PageMeta, SearchFields, UnreadableMeta
from .problems import ContentErrors, Problem
from .settings import Briefing
from .sharing import Sharing, direction
from .stubs import file_stub
from .tags import Tag, TagIndex
from .text import LIMITS, escape_text
from .validate import RESERVED_STORY_SLUGS
from .words import about, bundled, keys

NEIGHBOURS = 3  # developments shown before and after a brief in its sidebar


def guide_markdown() -> str:
    """The editor guide's Markdown, from the format's one declaration: the
    site's /guide/ page and docs/editor-guide.md (`guide_for_github`) are made from it."""
    from . import model

    records = [model.Story, model.Brief, model.Claim, model.Position, model.Quote, model.Event,
               model.Source, model.InlineSource, model.Correction, model.Author]
    env = environment()
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


def story_counts(stories) -> list[StoryCount]:
    """Each story once, with how many times it came, the most frequent first."""
    counts: dict[str, StoryCount] = {}
    for story in stories:
        known = counts.get(story.slug)
        counts[story.slug] = StoryCount(story, known.count + 1 if known else 1)
    return sorted(counts.values(), key=lambda item: (-item.count, item.story.slug))


def source_key(source: Source) -> object:
    return source.id or (source.name, source.url)


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
            title=story.title, description=story.summary.plain, feed=f"{slug_path(story.slug)}/feed.xml", json_feed=f"{slug_path(story.slug)}/feed.json",
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
            story=story.title, story_url=slug_path(f"{story.slug}/"), feed=f"{slug_path(story.slug)}/feed.xml", json_feed=f"{slug_path(story.slug)}/feed.json",
            tags=tuple(brief_tags(story, brief)),
            neighbours=tuple(
                Neighbour(entry.briefs[i].title, slug_path(f"{story.slug}/{entry.briefs[i].slug}/"), current=i == index)
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
            day = day_of(brief.date).isoformat()  # as written
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
