"""Hostile text in every field: the build shows it as text, runs none of it,
and reads no file from outside briefs/."""
from __future__ import annotations

import json
import xml.dom.minidom
from pathlib import Path

import pytest
import yaml

from conftest import copy_project, run_briefs, serve, write
from payloads import BAD_LINKS, OUTSIDE_FILE_MARKER, PAYLOAD, hostile_brief, hostile_story

# Catches a script that ran at any time during the page's life, even if it
# ran before our own check: every dialog, and any write to window.PWNED.
_TRAP = """
Object.defineProperty(window, 'PWNED', {set() { window.__hits = (window.__hits || 0) + 1; }, configurable: false});
"""


def _dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=10_000, sort_keys=False)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hostile"), with_briefs=False)
    write(root / "briefs/hostile-story/story.yaml", _dump(hostile_story()))
    write(root / "briefs/hostile-story/2024-05-07-hostile.yaml", _dump(hostile_brief()))
    result = run_briefs(root, "build")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return root / "site"


def _folded(text: str) -> str:
    return " ".join(text.split())


def _pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site).parent) for p in site.rglob("index.html"))


def test_no_file_from_outside_briefs_reaches_the_site(hostile_site: Path):
    for path in hostile_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".js", ".txt"):
            assert OUTSIDE_FILE_MARKER not in path.read_text(encoding="utf-8", errors="replace"), path


def test_no_raw_payload_markup_in_any_page(hostile_site: Path):
    for path in hostile_site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        for vector in ("<script>window.PWNED", "<img src=x onerror", "<svg onload", 'onclick="window.PWNED'):
            assert vector not in page, (path, vector)


def test_every_page_shows_the_payload_and_runs_none_of_it(hostile_site: Path, browser):
    server, url = serve(hostile_site)
    try:
        pages = _pages(hostile_site)
        assert "hostile-story/2024-05-07-hostile" in pages and "hostile-story" in pages
        dialogs: list[str] = []
        context = browser.new_context()
        context.add_init_script(_TRAP)
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for relative in pages:
            address = url + ("" if relative == "." else relative + "/")
            page.goto(address, wait_until="load")
            page.wait_for_load_state("networkidle")
            page.mouse.move(10, 10)  # hover-triggered handlers too
            assert page.evaluate("window.__hits || 0") == 0, address
            assert dialogs == [], (address, dialogs)
            if relative.startswith("hostile-story"):
                assert _folded(PAYLOAD) in _folded(page.inner_text("body")), address
        brief = url + "hostile-story/2024-05-07-hostile/"
        page.goto(brief)
        # Where each field lands: the count of payloads a reader sees on the page.
        seen = _folded(page.inner_text("body")).count(_folded(PAYLOAD))
        assert seen >= 20, seen
        assert page.title().startswith(PAYLOAD.split("</title>")[0].strip()), page.title()
        assert dialogs == []
        context.close()
    finally:
        server.shutdown()


def test_search_shows_the_payload_as_text_and_runs_none_of_it(hostile_site: Path, browser):
    server, url = serve(hostile_site)
    try:
        context = browser.new_context()
        context.add_init_script(_TRAP)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url, wait_until="networkidle")
        page.locator("#briefs-search-query").fill("PWNED")
        result = page.locator(".md-search-result__item").first
        result.wait_for()
        page.wait_for_load_state("networkidle")
        assert _folded(result.locator("h2").inner_text()) == _folded(PAYLOAD)
        assert _folded(PAYLOAD) in _folded(result.locator(".briefs-search__meta").inner_text())  # the story's title
        excerpt = result.locator(".briefs-search__excerpt")
        assert "<script>window.PWNED=1</script>" in excerpt.inner_text()
        assert excerpt.locator("mark").count() >= 1 and excerpt.locator(":not(mark)").count() == 0
        assert page.evaluate("window.__hits || 0") == 0 and dialogs == []
        context.close()
    finally:
        server.shutdown()


def test_feeds_and_data_keep_the_payload_as_text(hostile_site: Path):
    for feed in [hostile_site / "feed.xml", hostile_site / "hostile-story/feed.xml"]:
        document = xml.dom.minidom.parse(str(feed))  # well-formed: nothing broke out
        entry_title = document.getElementsByTagName("entry")[0].getElementsByTagName("title")[0]
        assert entry_title.firstChild.data == PAYLOAD
    data = json.loads((hostile_site / "briefs.json").read_text(encoding="utf-8"))
    assert data["briefs"][0]["title"] == PAYLOAD


@pytest.mark.parametrize("field, place", [
    ("summary", "summary"),
    ("what_we_know[0].text", "claim"),
    ("context", "context"),
    ("sources[0].url", "source url"),
])
def test_bad_link_schemes_are_errors_naming_the_field(project: Path, field: str, place: str):
    brief = hostile_brief()
    path = project / "briefs/test-story/2024-05-07-first.yaml"
    for target, scheme in BAD_LINKS:
        if place == "source url":
            brief["sources"][0]["url"] = target
        elif place == "claim":
            brief["what_we_know"][0]["text"] = f"see [this]({target})"
        else:
            brief[field] = f"see [this]({target}) and <{target}>" if place != "context" else f"para\n\n[x]: {target}\n\nsee [x] and [y]({target})"
        path.write_text(_dump(brief), encoding="utf-8")
        result = run_briefs(project, "check")
        assert result.returncode == 1, (target, result.stderr)
        lines = [line for line in result.stderr.splitlines() if f": {field}:" in line]
        assert lines, (target, result.stderr)
        assert "2024-05-07-first.yaml:" in lines[0] and scheme in lines[0].lower(), (target, lines)
        assert "Traceback" not in result.stderr
