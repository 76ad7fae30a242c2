"""The built site -> its data outputs: Atom feeds, their JSON Feed twins and briefs.json.

They are not Markdown, so MkDocs does not make them: they are written into
the freshly built site folder (before it is published) from the validated
model. A feed entry's content is the brief's page as our render wrote it
(build/docs), made HTML by our own Markdown step (html_blocks.PageHtml),
not taken from the engine's pages, so it does not depend on the engine or
its theme. XML and JSON are written by their libraries, which escape every
value.
"""
from __future__ import annotations

import dataclasses
import functools
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from urllib.parse import urljoin

from .changes import ClaimRecord, claim_records
from .html_blocks import PageHtml
from .model import Brief, Project, Source, StoryEntry, brief_tags, last_revised, moment
from .news_sitemap import write_news_sitemap
from .page_meta import page_body
from .schema import PartialDate
from .settings import SiteAddress
from .text import RichText
from .words import Words, words_for

ATOM = "http://www.w3.org/2005/Atom"
JSON_VERSION = 1  # bump when a key of briefs.json changes meaning or goes away


def write_data_files(project: Project, site: Path, address: SiteAddress, pages: Path) -> None:
    """/feed.xml, /<story>/feed.xml, their JSON Feed twins (feed.json) and
    /briefs.json, into `site`, linking to `address`; `pages` is the folder
    of the rendered Markdown pages (build/docs)."""
    base = address.base
    settings = project.settings
    everything = [(entry, brief) for entry in project.stories for brief in entry.briefs]
    article = _Articles(pages, settings)
    _write_feeds(site, _Feed(settings.site_name, base, "", settings.language), everything, project, article)
    for entry in project.stories:
        pairs = [(entry, brief) for brief in entry.briefs]
        feed = _Feed(f"{entry.story.title} · {settings.site_name}", base, f"{entry.story.slug}/",
                     entry.story.lang or settings.language)
        _write_feeds(site / entry.story.slug, feed, pairs, project, article)
    data = {"version": JSON_VERSION, "site_url": base,
            "briefs": [_brief_data(entry, brief, base) for entry, brief in everything],
            "stories": [_story_data(entry, base) for entry in project.stories]}
    write_news_sitemap(project, site / "news-sitemap.xml", base)
    (site / "briefs.json").write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# Every brief is in its feeds, but only the newest carry the whole page:
# feed readers fetch the feed over and over, and the pages of a 5,000-brief
# archive would make each feed hundreds of megabytes.
FULL_CONTENT_ENTRIES = 10


def brief_url(base: str, brief: Brief) -> str:
    return f"{base}{brief.story}/{brief.slug}/"


def _instant(project: Project, value) -> dt.datetime:
    return moment(value, project.settings.timezone)


@dataclasses.dataclass(frozen=True)
class _Feed:
    """What a feed says of itself: its title, the site's address, the page
    it follows ("" for the home page, "<story>/" for a story) and its language."""

    title: str
    base: str
    page: str
    lang: str

    def url(self, name: str) -> str:
        return self.base + self.page + name


def _write_feeds(folder: Path, feed: _Feed, pairs, project: Project, article: _Articles) -> None:
    """The Atom feed and its JSON Feed twin, from the same entries."""
    newest_first = sorted(pairs, key=lambda pair: (_instant(project, pair[1].date), pair[1].slug), reverse=True)
    entries = [_Entry.of(entry, brief, feed.base, project, article, position < FULL_CONTENT_ENTRIES)
               for position, (entry, brief) in enumerate(newest_first)]
    updated = max((e.updated for e in entries), default=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    folder.mkdir(parents=True, exist_ok=True)
    _write_atom(folder / "feed.xml", feed, entries, updated, project.settings.site_name)
    _write_json_feed(folder / "feed.json", feed, entries, project.settings.site_name)


@dataclasses.dataclass(frozen=True)
class _Entry:
    """One brief as both feeds give it. `content` leads with What changed,
    then the summary, then a link to the page, so the email a reader gets
    from the feed says first what is new; the newest entries carry the rest
    of the page after it."""

    url: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    content: str

    @classmethod
    def of(cls, entry: StoryEntry, brief: Brief, base: str, project: Project, article: _Articles, whole: bool) -> _Entry:
        zone = project.settings.timezone
        words = article.words(entry.story.lang or project.settings.language)  # the story's, as its pages
        summary = " ".join([brief.summary.plain, *(
            f"{words.one('words.correction')} ({c.date.isoformat()}): {c.text.plain}" for c in brief.corrections)])
        url = brief_url(base, brief)
        return cls(url, brief.title, _instant(project, brief.date), last_revised(brief, zone), tuple(brief.authors),
                   tuple(brief_tags(entry.story, brief)), summary, article(brief, url, whole, words.one("words.read_the_brief")))


def _write_atom(path: Path, feed: _Feed, entries: list[_Entry], updated: dt.datetime, site_name: str) -> None:
    root = etree.Element("feed", xmlns=ATOM)  # Atom as the default namespace, without registering a prefix process-wide
    root.set("{http://www.w3.org/XML/1998/namespace}lang", feed.lang)
    _text(root, "id", feed.url("feed.xml"))
    _text(root, "title", feed.title)
    _text(root, "updated", updated.isoformat())
    etree.SubElement(root, "link", rel="self", type="application/atom+xml", href=feed.url("feed.xml"))
    etree.SubElement(root, "link", rel="alternate", type="text/html", href=feed.url(""))
    _text(etree.SubElement(root, "author"), "name", site_name)
    for entry in entries:
        item = etree.SubElement(root, "entry")
        _text(item, "id", entry.url)
        _text(item, "title", entry.title)
        _text(item, "published", entry.published.isoformat())
        _text(item, "updated", entry.updated.isoformat())
        etree.SubElement(item, "link", rel="alternate", type="text/html", href=entry.url)
        for author in entry.authors:
            _text(etree.SubElement(item, "author"), "name", author)
        for tag in entry.tags:
            etree.SubElement(item, "category", term=tag)
        _text(item, "summary", entry.summary)
        # Relative links in the page resolve against the page's own URL.
        content = _text(item, "content", entry.content, type="html")
        content.set("{http://www.w3.org/XML/1998/namespace}base", entry.url)
    etree.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def _write_json_feed(path: Path, feed: _Feed, entries: list[_Entry], site_name: str) -> None:
    """JSON Feed 1.1 (jsonfeed.org/version/1.1): JSON has no xml:base, so the
    content's relative links are made absolute first."""
    data = {
        "version": JSON_FEED_VERSION, "title": feed.title, "home_page_url": feed.url(""),
        "feed_url": feed.url("feed.json"), "language": feed.lang, "authors": [{"name": site_name}],
        "items": [{
            "id": e.url, "url": e.url, "title": e.title, "content_html": absolute_links(e.content, e.url),
            "summary": e.summary, "date_published": e.published.isoformat(), "date_modified": e.updated.isoformat(),
            **({"authors": [{"name": name} for name in e.authors]} if e.authors else {}),
            **({"tags": list(e.tags)} if e.tags else {}),
        } for e in entries],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _text(parent: etree.Element, tag: str, value: str, **attributes) -> etree.Element:
    element = etree.SubElement(parent, tag, **attributes)
    element.text = value
    return element


class _Articles:
    """Each brief's page as feed content, made once though the brief is in
    two feeds; `words` are those of a story's language (generator/words.py):
    a correction in a summary starts with one, the link to the page is another."""

    def __init__(self, pages: Path, settings):
        self.pages, self.to_html, self.settings = pages, PageHtml(), settings
        self.made: dict[tuple[str, str, bool], str] = {}
        self._words: dict[str, Words] = {}

    def words(self, lang: str) -> Words:
        if lang not in self._words:
            self._words[lang] = words_for(lang, self.settings.words)
        return self._words[lang]

    def __call__(self, brief: Brief, url: str, whole: bool, read_the_brief: str) -> str:
        key = (brief.story, brief.slug, whole)
        if key not in self.made:
            page = (self.pages / brief.story / f"{brief.slug}.md").read_text(encoding="utf-8")
            self.made[key] = lead_first(self.to_html(page_body(page)), url, read_the_brief, whole)
        return self.made[key]


def lead_first(article: str, url: str, read_the_brief: str, whole: bool) -> str:
    """A page's HTML as a feed entry's content: What changed, the summary and
    a link to the page first; then, for a `whole` entry, the page from What
    we know on (the title, byline and dates are the entry's own fields)."""
    blocks = _blocks(article)
    changed = _section(blocks, 'id="what-changed"')
    summary = [b for b in blocks if b.startswith('<p class="brief-summary"')]
    link = f'<p><a href="{html.escape(url)}">{html.escape(read_the_brief)}</a></p>'
    lead = [*changed, *summary, link]
    if not whole:
        return "\n".join(lead)
    first_section = next((i for i, b in enumerate(blocks) if b.startswith("<h2") and b not in changed), len(blocks))
    return "\n".join([*lead, *(b for b in blocks[first_section:] if b not in changed)])


def _blocks(article: str) -> list[str]:
    """The page's top-level blocks: our render writes each on lines of its own."""
    return [block for block in article.split("\n") if block.strip()]


def _section(blocks: list[str], heading_id: str) -> list[str]:
    """The blocks of the second-level section whose heading has `heading_id`."""
    start = next((i for i, b in enumerate(blocks) if b.startswith("<h2") and heading_id in b), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(blocks)) if blocks[i].startswith("<h2")), len(blocks))
    return blocks[start:end]


_HREF = re.compile(r'href="([^"]*)"')


def absolute_links(content: str, url: str) -> str:
    """Every link of `content` resolved against the page's `url`."""
    return _HREF.sub(lambda m: f'href="{html.escape(urljoin(url, html.unescape(m.group(1))))}"', content)


@functools.lru_cache(maxsize=4096)  # a source is cited by many briefs
def _source_value(source: Source) -> dict:
    return {name: _value(getattr(source, name)) for name in source.FIELDS if getattr(source, name) is not None}


def _brief_data(entry: StoryEntry, brief: Brief, base: str) -> dict:
    data = _value(brief)
    data.update(
        slug=brief.slug, url=brief_url(base, brief), tags=brief_tags(entry.story, brief),
        story={"slug": entry.story.slug, "title": entry.story.title, "url": f"{base}{entry.story.slug}/",
               "status": entry.story.status},
    )
    return data


def _story_data(entry: StoryEntry, base: str) -> dict:
    """A story and every claim its briefs made, with each claim's status history."""
    url = f"{base}{entry.story.slug}/"
    return {"slug": entry.story.slug, "title": entry.story.title, "url": url, "status": entry.story.status,
            "claims": [_claim_history(record, url) for record in claim_records(entry.briefs)]}


def _claim_history(record: ClaimRecord, story_url: str) -> dict:
    def at(brief: Brief) -> dict:
        return {"brief": brief.slug, "url": f"{story_url}{brief.slug}/", "date": _value(brief.date)}

    data = {"text": record.claim.text.source, "status": record.steps[-1].status, "listed": record.dropped_by is None,
            "history": [{"status": step.status, **at(step.brief)} for step in record.steps]}
    if record.claim.id:
        data = {"id": record.claim.id, **data}
    if record.dropped_by is not None:
        data["dropped_in"] = at(record.dropped_by)
    return data


def _value(value):
    """A model value as JSON data: records as objects of their declared
    fields, editor text as its Markdown source, dates in ISO 8601."""
    if value is None or type(value) in (str, bool, int):
        return value
    if isinstance(value, Source):
        return _source_value(value)
    if isinstance(value, RichText):
        return value.source
    if isinstance(value, PartialDate):
        return value.iso
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_value(item) for item in value]
    if dataclasses.is_dataclass(value) and hasattr(value, "FIELDS"):
        return {name: _value(getattr(value, name)) for name in value.FIELDS if getattr(value, name) is not None}
    return value
