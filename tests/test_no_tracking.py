"""Readers are not tracked: a page loads nothing from another origin."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit


def test_pages_request_nothing_outside_the_site(example_site: Path, example_url: str, browser):
    pages = ["", "gaza-truce-talks/", next(
        f"gaza-truce-talks/{p.parent.name}/" for p in (example_site / "gaza-truce-talks").glob("*/index.html")
    ), "guide/", "no-such-page/"]
    requested: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    for path in pages:
        page.goto(example_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.keyboard.press("/")  # opens search, which loads its worker and index
        page.wait_for_function("() => (document.getElementById('briefs-search-status')?.textContent ?? 'no box') !== 'Loading search…'")
    context.close()
    assert len(requested) > len(pages)  # the pages, their styles and scripts were seen
    outside = [u for u in requested if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []


def test_no_page_names_a_third_party_font_or_script(example_site: Path):
    for path in example_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for host in ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com"):
            assert host not in text, (path, host)
