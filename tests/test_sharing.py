"""Structured data and share meta, parsed out of built pages."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import yaml

from conftest import EXAMPLE_PROJECT, built_site, write

SITE_URL = "https://example.github.io/briefs/"


class HeadParser(HTMLParser):
    """JSON-LD scripts and meta tags of a page, as a browser or crawler reads them."""

    def __init__(self):
        super().__init__()
        self.jsonld: list[str] = []
        self.meta: list[tuple[str, str]] = []
        self.html_lang = None
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.append((attrs.get("property") or attrs["name"], attrs.get("content")))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data


def parse(page: Path) -> HeadParser:
    parser = HeadParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def graph(page: Path) -> dict[str, dict]:
    head = parse(page)
    assert len(head.jsonld) == 1
    data = json.loads(head.jsonld[0])
    assert data["@context"] == "https://schema.org"
    return {item["@type"]: item for item in data["@graph"]}


def test_every_example_brief_has_news_article_with_its_values(example_site):
    story = yaml.safe_load((EXAMPLE_PROJECT / "briefs/gaza-truce-talks/story.yaml").read_text())
    files = sorted((EXAMPLE_PROJECT / "briefs/gaza-truce-talks").glob("2*.yaml"))
    assert files
    for file in files:
        brief = yaml.safe_load(file.read_text())
        url = f"{SITE_URL}gaza-truce-talks/{file.stem}/"
        items = graph(example_site / "gaza-truce-talks" / file.stem / "index.html")
        article = items["BackgroundNewsArticle"]
        assert article["headline"] == brief["title"]
        assert article["description"].startswith(brief["summary"][:40])
        assert article["datePublished"].startswith(str(brief["date"])[:10])
        assert article["dateModified"] >= article["datePublished"]
        assert [a["name"] for a in article["author"]] == brief["authors"]
        assert article["publisher"] == {"@type": "NewsMediaOrganization", "@id": SITE_URL + "#publisher", "name": "Briefs desk", "url": SITE_URL}  # extra.briefing.publisher
        assert article["mainEntityOfPage"]["@id"] == url
        assert set(story["tags"]) <= set(article["keywords"])
        crumbs = [(c["position"], c["name"], c["item"]) for c in items["BreadcrumbList"]["itemListElement"]]
        assert crumbs == [(1, "Gaza truce briefing", SITE_URL), (2, story["title"], f"{SITE_URL}gaza-truce-talks/"),
                          (3, brief["title"], url)]
        meta = dict(parse(example_site / "gaza-truce-talks" / file.stem / "index.html").meta)
        assert meta["og:type"] == "article" and meta["og:url"] == url and meta["og:title"] == brief["title"]
        assert meta["twitter:card"] == "summary_large_image" and meta["twitter:title"] == brief["title"]
        assert meta["article:published_time"] == article["datePublished"]
        assert meta["article:modified_time"] == article["dateModified"]


def test_story_hub_lists_its_developments_in_order(example_site):
    items = graph(example_site / "gaza-truce-talks/index.html")
    developments = items["ItemList"]["itemListElement"]
    # By date, then file name: the date-only brief counts from the start of
    # its day, so it comes before the one at 21:00 whose file name sorts first.
    order = ["2024-05-07-israeli-tanks-rafah", "2024-05-07-cairo-talks-resume"]
    assert sorted(p.stem for p in (EXAMPLE_PROJECT / "briefs/gaza-truce-talks").glob("2*.yaml")) == sorted(order)
    assert [(d["position"], d["url"]) for d in developments] == \
        [(position, f"{SITE_URL}gaza-truce-talks/{slug}/") for position, slug in enumerate(order, start=1)]
    assert [c["name"] for c in items["BreadcrumbList"]["itemListElement"]] == ["Gaza truce briefing", "Gaza truce negotiations"]


HOSTILE = """He said "no" & 'yes' </script><script>alert(1)</script> <!-- \u2028 {{ x }}"""


def test_hostile_title_survives_json_ld_and_meta(project):
    title = HOSTILE.replace("\\", "")
    write(project / "briefs/test-story/2024-05-07-first.yaml", f"""
        title: {json.dumps(title)}
        date: 2024-05-07T10:00+02:00
        updated: 2024-05-08T09:30+02:00
        summary: 'A "quoted" </script> summary & more.'
        tags: ["</script>", "a&b"]
        what_we_know:
          - text: Something is known.
            status: confirmed
    """)
    built_site(project)
    page = project / "site/test-story/2024-05-07-first/index.html"
    text = page.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text
    article = graph(page)["BackgroundNewsArticle"]
    assert article["headline"] == title
    assert article["description"] == 'A "quoted" </script> summary & more.'
    assert article["datePublished"] == "2024-05-07T10:00:00+02:00"
    assert article["dateModified"] == "2024-05-08T09:30:00+02:00"
    assert "</script>" in article["keywords"] and "a&b" in article["keywords"]
    meta = dict(parse(page).meta)
    assert meta["og:title"] == title and meta["twitter:title"] == title
    assert meta["og:description"] == 'A "quoted" </script> summary & more.'
