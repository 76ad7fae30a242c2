"""A feed entry's content is the brief's page from our own render (the
model through our templates and our Markdown step), not cut out of the
engine's HTML: the same with any engine or theme, nothing of Material's
layout in it, its links leading to the site under its sub-path."""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import yaml

from conftest import EXAMPLE_PROJECT, copy_project, run_briefs
from generator.build import BUILD_DIR, check_project
from generator.feeds import write_data_files
from generator.settings import SiteAddress
from payloads import hostile_brief, hostile_story

ATOM = "{http://www.w3.org/2005/Atom}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
SITE_URL = "https://example.github.io/briefs/"


def contents(feed: Path) -> list[tuple[str, str, str]]:
    """(entry URL, xml:base, content HTML) of each entry that carries the page."""
    root = etree.parse(feed).getroot()
    return [(entry.find(f"{ATOM}id").text, entry.find(f"{ATOM}content").get(XML_BASE), entry.find(f"{ATOM}content").text)
            for entry in root.iter(f"{ATOM}entry") if entry.find(f"{ATOM}content") is not None]


def test_feed_content_is_the_brief_from_our_render_with_its_sections_and_every_claim(example_site):
    project = check_project(EXAMPLE_PROJECT)
    entries = {url: html for url, _, html in contents(example_site / "gaza-truce-talks/feed.xml")}
    briefs = project.stories[0].briefs
    assert len(entries) == len(briefs) >= 2
    for brief in briefs:
        html = entries[f"{SITE_URL}{brief.story}/{brief.slug}/"]
        assert '<h2 id="what-we-know">' in html and '<h2 id="sources">' in html
        text = " ".join(lxml.html.fromstring(html).text_content().split())
        assert all(claim.text.plain in text for claim in brief.what_we_know)
        for leftover in ("md-content", "headerlink", "md-typeset", "{ #", "\n## ", "!!! "):  # theme layout, Markdown
            assert leftover not in html


def test_feed_content_does_not_read_the_engines_pages(tmp_path):
    project_root = copy_project(tmp_path)
    assert run_briefs(project_root, "build").returncode == 0
    without_pages = tmp_path / "no-engine-pages"
    without_pages.mkdir()
    write_data_files(check_project(project_root, include_drafts=False), without_pages, SiteAddress(SITE_URL),
                     project_root / BUILD_DIR / "docs")
    for feed in ("feed.xml", "gaza-truce-talks/feed.xml"):
        built = contents(project_root / "site" / feed)
        assert built and contents(without_pages / feed) == built


def test_links_in_feed_content_lead_into_the_site_under_its_sub_path(example_site):
    for url, base, html in contents(example_site / "feed.xml"):
        assert base == url
        ids = set(lxml.html.fromstring(html).xpath("//@id"))
        hrefs = lxml.html.fromstring(html).xpath("//a/@href")
        assert hrefs
        for href in hrefs:
            target = urljoin(base, href)
            if not target.startswith(SITE_URL):
                assert urlsplit(target).scheme in ("https", "http", "mailto"), href
                continue
            path, _, fragment = target[len(SITE_URL):].partition("#")
            if path == url[len(SITE_URL):] and fragment:
                assert fragment in ids, f"{href} in the feed leads to no element of the entry"
            else:
                assert (example_site / path / "index.html").is_file() or (example_site / path).is_file(), href


def test_feed_content_of_hostile_text_runs_nothing(tmp_path):
    copy_project(tmp_path, with_briefs=False)
    dump = lambda value: yaml.safe_dump(value, allow_unicode=True, width=10_000, sort_keys=False)  # noqa: E731
    (tmp_path / "briefs/hostile-story").mkdir(parents=True)
    (tmp_path / "briefs/hostile-story/story.yaml").write_text(dump(hostile_story()), encoding="utf-8")
    (tmp_path / "briefs/hostile-story/2024-05-07-hostile.yaml").write_text(dump(hostile_brief()), encoding="utf-8")
    result = run_briefs(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    [(_, _, html)] = contents(tmp_path / "site/hostile-story/feed.xml")
    document = lxml.html.fromstring(html)
    assert not document.xpath("//script | //iframe | //object | //embed | //img | //svg | //style | //form")
    assert not [name for element in document.iter() for name in element.attrib if name.lower().startswith("on")]
    assert not [href for href in document.xpath("//@href | //@src") if re.match(r"\s*(javascript|data|vbscript):", href, re.I)]
