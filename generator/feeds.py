"""The built site -> its data outputs: Atom feeds and briefs.json.

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
import json
import xml.etree.ElementTree as etree
from pathlib import Path

from .changes import ClaimRecord, claim_records
from .html_blocks import PageHtml
from .model import Brief, Project, Source, StoryEntry, last_revised, moment
from .news_sitemap import write_news_sitemap
from .page_meta import page_body
from .render import brief_tags, page_words
from .schema import PartialDate
from .text import RichText

ATOM = "http://www.w3.org/2005/Atom"
JSON_VERSION = 1  # bump when a key of briefs.json changes meaning or goes away


def write_data_files(project: Project, site: Path, site_url: str, pages: Path) -> None:
    """/feed.xml, /<story>/feed.xml and /briefs.json, into `site`; `pages`
    is the folder of the rendered Markdown pages (build/docs)."""
    base = site_url.rstrip("/") + "/"
    settings = project.settings
    everything = [(entry, brief) for entry in project.stories for brief in entry.briefs]
    article = _Articles(pages, page_words()["correction"])  # the words compiled once, not once a feed
    _write_feed(site / "feed.xml", settings.site_name, base, "", everything, project, article)
    for entry in project.stories:
        pairs = [(entry, brief) for brief in entry.briefs]
        _write_feed(site / entry.story.slug / "feed.xml", f"{entry.story.title} · {settings.site_name}",
                    base, f"{entry.story.slug}/", pairs, project, article)
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


def _write_feed(path: Path, title: str, base: str, page: str, pairs, project: Project, article: _Articles) -> None:
    newest_first = sorted(pairs, key=lambda pair: (_instant(project, pair[1].date), pair[1].slug), reverse=True)
    updated = [last_revised(b, project.settings.timezone) for _, b in pairs]
    feed = etree.Element("feed", xmlns=ATOM)  # Atom as the default namespace, without registering a prefix process-wide
    _text(feed, "id", base + page + "feed.xml")
    _text(feed, "title", title)
    _text(feed, "updated", max(updated, default=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)).isoformat())
    etree.SubElement(feed, "link", rel="self", type="application/atom+xml", href=base + page + "feed.xml")
    etree.SubElement(feed, "link", rel="alternate", type="text/html", href=base + page)
    _text(etree.SubElement(feed, "author"), "name", project.settings.site_name)
    for position, (entry, brief) in enumerate(newest_first):
        url = brief_url(base, brief)
        item = etree.SubElement(feed, "entry")
        _text(item, "id", url)
        _text(item, "title", brief.title)
        _text(item, "published", _instant(project, brief.date).isoformat())
        _text(item, "updated", last_revised(brief, project.settings.timezone).isoformat())
        etree.SubElement(item, "link", rel="alternate", type="text/html", href=url)
        for author in brief.authors:
            _text(etree.SubElement(item, "author"), "name", author)
        for tag in brief_tags(entry.story, brief):
            etree.SubElement(item, "category", term=tag)
        _text(item, "summary", " ".join([brief.summary.plain, *(
            f"{article.correction} ({c.date.isoformat()}): {c.text.plain}" for c in brief.corrections)]))
        if position < FULL_CONTENT_ENTRIES:
            # Relative links in the page resolve against the page's own URL.
            content = _text(item, "content", article(brief), type="html")
            content.set("{http://www.w3.org/XML/1998/namespace}base", url)
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(feed).write(path, encoding="utf-8", xml_declaration=True)


def _text(parent: etree.Element, tag: str, value: str, **attributes) -> etree.Element:
    element = etree.SubElement(parent, tag, **attributes)
    element.text = value
    return element


class _Articles:
    """Each brief's page as HTML, made once though the brief is in two feeds;
    `correction` is the word that starts a correction in a summary."""

    def __init__(self, pages: Path, correction: str):
        self.pages, self.to_html, self.correction = pages, PageHtml(), correction
        self.made: dict[tuple[str, str], str] = {}

    def __call__(self, brief: Brief) -> str:
        key = (brief.story, brief.slug)
        if key not in self.made:
            page = (self.pages / brief.story / f"{brief.slug}.md").read_text(encoding="utf-8")
            self.made[key] = self.to_html(page_body(page))
        return self.made[key]


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
