"""The validated model -> /news-sitemap.xml, Google News' sitemap format.

It lists the briefs published, updated or corrected in the 48 hours before
the newest such moment in the content. Counting back from the content, not
from the clock, keeps two builds of one commit identical; the check's rule
on future dates keeps a typo from emptying it. The XML is written by the
standard library's XML writer, which escapes every value.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesNSImpl

from .model import last_revised

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
WINDOW = dt.timedelta(hours=48)
MAX_URLS = 1000  # Google News reads at most this many entries of one sitemap


def news_language(tag: str) -> str:
    """A BCP 47 tag as Google News wants it: the ISO 639 code, except
    Chinese, which is zh-cn (simplified) or zh-tw (traditional)."""
    parts = tag.replace("_", "-").lower().split("-")
    if parts[0] == "zh":
        return "zh-tw" if {"hant", "tw", "hk", "mo"} & set(parts[1:]) else "zh-cn"
    return parts[0]


def recent_briefs(project) -> list:
    """(story entry, brief) pairs revised within WINDOW of the newest, newest first; never drafts."""
    timezone = project.settings.timezone
    pairs = [(entry, brief, last_revised(brief, timezone))
             for entry in project.stories for brief in entry.briefs if not brief.draft]
    if not pairs:
        return []
    newest = max(revised for _, _, revised in pairs)
    recent = [p for p in pairs if p[2] >= newest - WINDOW]
    recent.sort(key=lambda p: (p[2], p[1].story, p[1].slug), reverse=True)
    return [(entry, brief) for entry, brief, _ in recent[:MAX_URLS]]


_NO_ATTRIBUTES = AttributesNSImpl({}, {})


def write_news_sitemap(project, path: Path, base: str) -> None:
    settings = project.settings
    with path.open("w", encoding="utf-8") as out:
        xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
        xml.startDocument()
        xml.startPrefixMapping(None, SITEMAP)
        xml.startPrefixMapping("news", NEWS)
        xml.startElementNS((SITEMAP, "urlset"), None, _NO_ATTRIBUTES)
        for entry, brief in recent_briefs(project):
            xml.startElementNS((SITEMAP, "url"), None, _NO_ATTRIBUTES)
            _element(xml, SITEMAP, "loc", f"{base}{entry.story.slug}/{brief.slug}/")
            xml.startElementNS((NEWS, "news"), None, _NO_ATTRIBUTES)
            xml.startElementNS((NEWS, "publication"), None, _NO_ATTRIBUTES)
            _element(xml, NEWS, "name", settings.publisher)
            _element(xml, NEWS, "language", news_language(entry.story.lang or settings.language))
            xml.endElementNS((NEWS, "publication"), None)
            _element(xml, NEWS, "publication_date", brief.date.isoformat())  # W3C: a date, or a date-time with its offset
            _element(xml, NEWS, "title", brief.title)
            xml.endElementNS((NEWS, "news"), None)
            xml.endElementNS((SITEMAP, "url"), None)
        xml.endElementNS((SITEMAP, "urlset"), None)
        xml.endDocument()


def _element(xml: XMLGenerator, namespace: str, name: str, text: str) -> None:
    xml.startElementNS((namespace, name), None, _NO_ATTRIBUTES)
    xml.characters(text)
    xml.endElementNS((namespace, name), None)
