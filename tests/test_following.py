"""Following a story: What changed, the hub, tags, feeds, briefs.json, drafts."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import feedparser
import pytest

from conftest import built_site, copy_project, run_briefs, write
from pages import article_text, page_path

STORY = """
title: Bridge repairs
summary: The old bridge is being repaired.
tags: [story-tag]
"""
FIRST = """
title: First development
date: 2024-01-01
summary: It starts.
what_we_know:
  - id: claim-a
    text: Claim A about the bridge.
    status: reported
    sources: [{name: Local Paper, url: "https://paper.example/a"}]
  - id: claim-b
    text: Old claim B about the bridge.
    status: reported
    sources: [{name: Local Paper}]
  - text: Claim matched by its text.
    status: confirmed
what_we_dont_know:
  - Will question one stay open?
  - Will question two be answered?
timeline:
  - date: "1901"
    text: The bridge is built.
"""
SECOND = """
title: Second development
date: 2024-01-02
summary: It moves.
tags: [brief-tag]
what_we_know:
  - id: claim-a
    text: Claim A about the bridge, now confirmed.
    status: confirmed
  - text: "Claim   matched
      by its text."
    status: confirmed
  - text: Brand new claim C.
    status: claimed
    sources: [{name: Mayor}]
what_we_dont_know:
  - "Will question   one stay open?"
timeline:
  - date: "1901"
    text: The bridge is built.
  - date: 2024-01-02
    text: Engineers arrive.
"""
DRAFT = """
title: Secret draft development
date: 2024-01-03
summary: Not yet.
draft: true
what_we_know:
  - text: Draft-only claim D.
    status: confirmed
"""
FOURTH = """
title: Fourth development
date: 2024-01-04
summary: It goes on.
what_we_know:
  - id: claim-a
    text: Claim A about the bridge, now confirmed.
    status: confirmed
  - text: Brand new claim C.
    status: claimed
    sources: [{name: Mayor}]
  - text: Claim E from the fourth development.
    status: confirmed
"""
BRIEFS = {"2024-01-01-first": FIRST, "2024-01-02-second": SECOND, "2024-01-03-draft": DRAFT, "2024-01-04-fourth": FOURTH}


def make_story_project(root: Path) -> Path:
    copy_project(root, with_briefs=False)
    write(root / "briefs/bridge/story.yaml", STORY)
    for slug, text in BRIEFS.items():
        write(root / f"briefs/bridge/{slug}.yaml", text)
    return root


@pytest.fixture(scope="module")
def story_site(tmp_path_factory) -> Path:
    root = make_story_project(tmp_path_factory.mktemp("story"))
    result = run_briefs(root, "build")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return root / "site"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def section(page_html: str, anchor: str) -> str:
    """The words of one h2 section (up to the next h2), as a reader sees them."""
    match = re.search(rf'<h2 id="{anchor}".*?(?=<h2 |</article>)', page_html, re.DOTALL)
    assert match, f"no section #{anchor}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


def change_lines(page_html: str) -> list[str]:
    """What changed, one line per change, as a reader sees each (those
    behind "Show N more" too)."""
    match = re.search(r'<h2 id="what-changed".*?(?=<h2 )', page_html, re.DOTALL)
    assert match, "no What changed list"
    lists = re.findall(r'<ul class="brief-changes">(.*?)</ul>', match.group(0), re.DOTALL)
    items = [item for found in lists for item in re.findall(r"<li\b[^>]*>(.*?)</li>", found, re.DOTALL)]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).replace(" :", ":").split()) for item in items]


def test_first_development_has_no_what_changed(story_site):
    assert 'id="what-changed"' not in page(story_site, "bridge/2024-01-01-first")


def test_what_changed_lists_every_kind_of_change(story_site):
    second = page(story_site, "bridge/2024-01-02-second")
    assert section(second, "what-changed").startswith("What changed ¶ Since January 1, 2024 :")
    assert re.search(r'Since <a href="../2024-01-01-first/" title="First development"><bdi><time', second)
    assert change_lines(second) == [
        "Reported → Confirmed Claim A about the bridge, now confirmed.",
        "Added Claimed Brand new claim C.",
        "No longer listed Reported Old claim B about the bridge.",
        "No longer open Will question two be answered?",
    ]
    # each line about a claim of this brief jumps to it in What we know
    targets = re.findall(r'<a href="#(claim-\d+)"', second.split('id="what-we-know"')[0])
    assert targets == ["claim-1", "claim-3"]
    assert re.search(r'<li id="claim-3">.*?Brand new claim C\.', second)
    # Matched by text with whitespace folded: neither new nor gone.
    words = section(second, "what-changed")
    assert "matched by its text" not in words
    assert "question one" not in words


def test_what_changed_skips_drafts_and_the_hub_shows_the_newest(story_site):
    fourth = section(page(story_site, "bridge/2024-01-04-fourth"), "what-changed")
    assert fourth.startswith("What changed ¶ Since January 2, 2024 :")
    assert "Claim E from the fourth development." in fourth and "Draft-only" not in fourth
    # the hub leads with the newest development and how many changes it brought
    hub = page(story_site, "bridge")
    latest = section(hub, "latest-development")
    count = len(change_lines(page(story_site, "bridge/2024-01-04-fourth")))
    assert latest.startswith("Latest development ¶ Fourth development") and f"{count} changes since the previous development" in latest
    assert '<a href="2024-01-04-fourth/#what-changed">' in hub and 'id="what-changed"' not in hub
    assert hub.index('id="latest-development"') < hub.index('id="what-we-know"') < hub.index('id="developments"')
    counts = re.search(r'<ul class="brief-status-count".*?</ul>', hub, re.DOTALL).group(0)
    assert " ".join(html.unescape(re.sub(r"<[^>]+>", " ", counts)).split()) == "Confirmed 2 Claimed 1"
    # each label keeps its status class, which gives it its icon
    assert re.findall(r'class="brief-status brief-status--(\w+)"', counts) == ["confirmed", "claimed"]


def test_hub_lists_developments_newest_first_then_background_events_once(story_site):
    hub = page(story_site, "bridge")
    developments = section(hub, "developments")
    order = ["Fourth development", "Second development", "First development"]
    positions = [developments.index(item) for item in order]
    assert positions == sorted(positions)
    assert '<a href="2024-01-02-second/" dir="auto">' in hub
    background = section(hub, "timeline")
    assert background.startswith("Background ¶ 1901 The bridge is built. Tags")  # once, though two briefs give it
    # The second brief dates "Engineers arrive." to its own day: the development stands for it.
    assert "Engineers arrive." not in hub


def test_no_draft_anywhere_without_drafts(story_site):
    for path in story_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "Secret draft" not in text and "2024-01-03-draft" not in text, path
    assert not (story_site / "bridge/2024-01-03-draft").exists()


def test_drafts_build_shows_the_draft_marked_and_compares_with_it(tmp_path):
    root = make_story_project(tmp_path)
    result = run_briefs(root, "build", "--drafts")
    assert result.returncode == 0 and result.stderr == ""  # no MkDocs noise either
    draft = page(root / "site", "bridge/2024-01-03-draft")
    assert "Draft: this brief is not published." in html.unescape(draft)
    fourth = page(root / "site", "bridge/2024-01-04-fourth")
    assert re.search(r'Since <a href="../2024-01-03-draft/" title="Secret draft development">', fourth)
    assert "No longer listed Confirmed Draft-only claim D." in change_lines(fourth)


def test_feeds_are_atom_and_list_exactly_the_published_briefs(story_site):
    base = "https://example.github.io/briefs/"
    published = {f"{base}bridge/{slug}/" for slug in BRIEFS if slug != "2024-01-03-draft"}
    for feed_path, self_url in [("feed.xml", f"{base}feed.xml"), ("bridge/feed.xml", f"{base}bridge/feed.xml")]:
        feed = feedparser.parse((story_site / feed_path).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "atom10"
        assert {entry.link for entry in feed.entries} == published
        assert [link.href for link in feed.feed.links if link.rel == "self"] == [self_url]
        newest = feed.entries[0]
        assert newest.title == "Fourth development" and newest.summary == "It goes on."
        assert newest.updated.startswith("2024-01-04")
        assert "Claim E from the fourth development." in newest.content[0].value
        assert {tag.term for tag in newest.tags} == {"story-tag"}


def test_pages_announce_their_feeds(story_site):
    hub = page(story_site, "bridge")
    assert '<link rel="alternate feed" type="application/atom+xml" title="Bridge repairs" href="feed.xml">' in hub
    assert 'type="application/atom+xml" title="Gaza truce briefing" href="../feed.xml"' in hub
    assert 'href="../feed.xml"' in page(story_site, "bridge/2024-01-01-first")


def test_briefs_json_has_every_published_brief_with_sources_resolved(story_site):
    data = json.loads((story_site / "briefs.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    briefs = {b["slug"]: b for b in data["briefs"]}
    assert set(briefs) == {"2024-01-01-first", "2024-01-02-second", "2024-01-04-fourth"}
    first = briefs["2024-01-01-first"]
    assert first["url"] == "https://example.github.io/briefs/bridge/2024-01-01-first/"
    assert first["story"]["title"] == "Bridge repairs"
    assert first["what_we_know"][0]["sources"] == [{"name": "Local Paper", "url": "https://paper.example/a"}]
    assert first["timeline"] == [{"date": "1901", "text": "The bridge is built."}]
    assert briefs["2024-01-02-second"]["tags"] == ["story-tag", "brief-tag"]


def test_tag_pages_list_briefs_by_tag_including_the_storys(story_site):
    tags = article_text(page_path(story_site, "tags"))
    assert "brief-tag 1" in tags and "story-tag 3" in tags
    story_tag = section(page(story_site, "tags/story-tag"), "latest")
    assert [t for t in ("Fourth", "Second", "First") if t in story_tag] == ["Fourth", "Second", "First"]
    brief_tag = section(page(story_site, "tags/brief-tag"), "latest")
    assert "Second development" in brief_tag and "First development" not in brief_tag
    assert 'href="../../tags/brief-tag/"' in page(story_site, "bridge/2024-01-02-second")


def test_example_story_new_claims_and_answered_question(example_site):
    lines = change_lines(page(example_site, "gaza-truce-talks/2024-05-07-cairo-talks-resume"))
    assert any(line.startswith("Added Reported Israel has sent a delegation to Cairo") for line in lines), lines
    assert "No longer open Will Israel send a delegation to the talks with the mediators?" in lines


def test_home_shows_the_newest_development_of_the_story(story_site):
    words = section(page(story_site, ""), "latest")
    assert "Fourth development" in words and "Second development" not in words


def test_editor_guide_explains_following_a_story(example_site):
    guide = page(example_site, "guide")
    for anchor in ("what-changed", "tags", "drafts", "preview", "feeds"):
        assert re.search(f'<h[23] id="{anchor}">', guide), anchor
    assert "briefs serve" in guide and "draft: true" in guide


def test_hub_in_a_browser_links_its_feed_and_its_developments(example_url, browser):
    tab = browser.new_page()
    try:
        tab.goto(example_url + "gaza-truce-talks/")
        latest = tab.locator(".story-latest")
        assert latest.is_visible()
        assert "changes since the previous development" in latest.inner_text()
        feed_href = tab.locator('link[rel~="alternate"][type="application/atom+xml"][title="Gaza truce negotiations"]').get_attribute("href")
        feed = tab.request.get(tab.url + feed_href)
        assert feed.ok and b"<feed" in feed.body()
        assert feedparser.parse(feed.body()).entries
        tab.locator(".story-developments a").first.click()
        tab.wait_for_url("**/2024-05-07-cairo-talks-resume/")
        assert tab.locator("h1").inner_text().startswith("Truce talks resume in Cairo as Washington")
    finally:
        tab.close()


def test_feeds_list_every_brief_but_only_the_newest_carry_the_page(project):
    import feedparser
    from conftest import MINIMAL_BRIEF, write
    from generator.feeds import FULL_CONTENT_ENTRIES

    for day in range(FULL_CONTENT_ENTRIES + 1):
        brief = MINIMAL_BRIEF.replace("2024-05-07", f"2024-06-{1 + day // 24:02d}T{day % 24:02d}:00:00Z")
        write(project / f"briefs/test-story/2024-06-{day:02d}-update.yaml", brief.replace("A development", f"Update {day}"))
    built_site(project)
    feed = feedparser.parse((project / "site/test-story/feed.xml").read_text(encoding="utf-8"))
    assert len(feed.entries) == FULL_CONTENT_ENTRIES + 2
    with_page = [e.title for e in feed.entries if "What we know" in e.content[0].value]
    assert with_page == [e.title for e in feed.entries[:FULL_CONTENT_ENTRIES]]
    assert all("What happened." in e.content[0].value for e in feed.entries)  # the older ones: the lead alone
    assert all(e.summary == "What happened." for e in feed.entries)
