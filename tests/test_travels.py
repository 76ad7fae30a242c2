"""A story that travels: feed entries that say first what is new, so the
email a feed becomes leads with it, and JSON Feed 1.1 twins of every Atom
feed, read back as feed readers read them."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
import pytest

from conftest import built_site, run_briefs, write
from test_following import change_lines, make_story_project, page

BASE = "https://example.github.io/briefs/"
SCHEMA = json.loads((Path(__file__).parent / "fixtures/schemas/jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_story_project(tmp_path_factory.mktemp("travels"))
    return built_site(root)


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace(" :", ":").split())


def test_a_feed_entry_leads_with_what_changed_then_the_summary_then_the_link(site):
    entry = next(e for e in feedparser.parse((site / "bridge/feed.xml").read_bytes()).entries
                 if e.title == "Second development")
    content = words(entry.content[0].value)
    lines = change_lines(page(site, "bridge/2024-01-02-second"))
    assert any(line.startswith("Reported → Confirmed") for line in lines), lines  # a status change
    where = [content.index(line) for line in lines]
    assert where == sorted(where) and content.startswith("What changed")
    assert where[-1] < content.index("It moves.") < content.index("Read the whole brief") < content.index("What we know")
    assert f'href="{BASE}bridge/2024-01-02-second/"' in entry.content[0].value


def test_a_first_development_leads_with_its_summary(site):
    entry = next(e for e in feedparser.parse((site / "bridge/feed.xml").read_bytes()).entries
                 if e.title == "First development")
    assert words(entry.content[0].value).startswith("It starts. Read the whole brief What we know")


@pytest.mark.parametrize("path", ["feed.json", "bridge/feed.json"])
def test_every_atom_feed_has_a_json_feed_twin_that_validates(site, path):
    data = json.loads((site / path).read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert data["feed_url"] == BASE + path and data["home_page_url"] == BASE + path.removesuffix("feed.json")
    atom = feedparser.parse((site / path.replace(".json", ".xml")).read_bytes())
    assert [item["url"] for item in data["items"]] == [e.link for e in atom.entries]  # the same entries, same order
    assert [item["title"] for item in data["items"]] == [e.title for e in atom.entries]
    assert "Secret draft development" not in json.dumps(data)
    for item in data["items"]:
        for href in re.findall(r'href="([^"]*)"', item["content_html"]):
            assert urlsplit(html.unescape(href)).scheme in ("https", "http", "mailto"), href  # no xml:base in JSON


def test_json_feed_says_the_story_language(tmp_path):
    root = make_story_project(tmp_path)
    story = root / "briefs/bridge/story.yaml"
    story.write_text(story.read_text(encoding="utf-8") + "lang: fr\n", encoding="utf-8")
    assert run_briefs(root, "build").returncode == 0
    assert json.loads((root / "site/bridge/feed.json").read_text(encoding="utf-8"))["language"] == "fr"
    assert json.loads((root / "site/feed.json").read_text(encoding="utf-8"))["language"] == "en"


def test_pages_announce_the_json_feeds(site):
    hub = page(site, "bridge")
    assert '<link rel="alternate feed" type="application/feed+json" title="Bridge repairs" href="feed.json">' in hub
    assert 'type="application/feed+json" title="Gaza truce briefing" href="../feed.json"' in hub
    assert 'type="application/feed+json" title="Bridge repairs" href="../feed.json"' in page(site, "bridge/2024-01-01-first")


def with_newsletter(root: Path, address: str) -> int:
    """mkdocs.yml given `extra.briefing.follow.email`; the line it is on."""
    settings = root / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  briefing:\n", f"  briefing:\n    follow:\n      email: {address}\n", 1), encoding="utf-8")
    return text[: text.index("  briefing:\n")].count("\n") + 3


def test_follow_this_story_offers_the_feed_and_the_newsletter_in_chromium(tmp_path, browser):
    from conftest import serve

    root = make_story_project(tmp_path)
    with_newsletter(root, "https://buttondown.example/desk")
    assert run_briefs(root, "build").returncode == 0
    server, url = serve(root / "site")
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        for path in ("bridge/", "bridge/2024-01-02-second/"):
            tab.goto(url + path)
            feed_link = tab.get_by_role("link", name="Follow in a feed reader")
            assert not feed_link.is_visible()  # folded until asked for
            tab.get_by_text("Follow this story", exact=True).click()
            assert feed_link.is_visible()
            feed = tab.request.get(feed_link.evaluate("a => a.href"))
            assert feed.ok and feedparser.parse(feed.body()).feed.title.startswith("Bridge repairs")
            email = tab.get_by_role("link", name="Get it by email")
            assert email.get_attribute("href") == "https://buttondown.example/desk"
            json_feed = tab.get_by_role("link", name="JSON Feed")
            assert tab.request.get(json_feed.evaluate("a => a.href")).json()["version"] == "https://jsonfeed.org/version/1.1"
    finally:
        tab.close()
        server.shutdown()


def test_without_a_newsletter_the_control_offers_the_feed_alone(site):
    hub = page(site, "bridge")
    follow = re.search(r'<details class="briefs-follow".*?</details>', hub, re.S).group(0)
    assert "Follow in a feed reader" in follow and "email" not in follow


@pytest.mark.parametrize("value, message", [
    ("http://buttondown.example/desk", "sign-up pages may use https only, not 'http:'"),
    ("javascript:alert(1)", "sign-up pages may use https only, not 'javascript:'"),
])
def test_a_newsletter_address_must_be_https_at_its_line(project, value, message):
    line = with_newsletter(project, value)
    result = run_briefs(project, "check")
    assert result.returncode == 1
    assert f"mkdocs.yml:{line}:14: error: extra.briefing.follow.email: {message}" in result.stdout + result.stderr


def test_follow_this_story_speaks_the_storys_language(tmp_path, browser):
    from conftest import serve

    root = make_story_project(tmp_path)
    write(root / "briefs/eruption/story.yaml", "title: Éruption à Grindavík\nsummary: La lave menace la ville.\nlang: fr\n")
    write(root / "briefs/eruption/2024-01-14-eruption.yaml", "title: La lave atteint des maisons\ndate: 2024-01-14\n"
          "summary: Trois maisons ont brûlé.\nwhat_we_know:\n  - text: Trois maisons ont brûlé.\n    status: confirmed\n")
    with_newsletter(root, "https://buttondown.example/desk")
    assert run_briefs(root, "build").returncode == 0
    server, url = serve(root / "site")
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        for path, follow, feed_reader, by_email in [
            ("eruption/", "Suivre ce sujet", "Suivre dans un lecteur de flux", "Le recevoir par e-mail"),
            ("eruption/2024-01-14-eruption/", "Suivre ce sujet", "Suivre dans un lecteur de flux", "Le recevoir par e-mail"),
            ("bridge/", "Follow this story", "Follow in a feed reader", "Get it by email"),
        ]:
            tab.goto(url + path)
            tab.get_by_text(follow, exact=True).click()
            link = tab.get_by_role("link", name=feed_reader)
            assert link.is_visible()
            assert tab.request.get(link.evaluate("a => a.href")).ok
            assert tab.get_by_role("link", name=by_email).get_attribute("href") == "https://buttondown.example/desk"
    finally:
        tab.close()
        server.shutdown()
