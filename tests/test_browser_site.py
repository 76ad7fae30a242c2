"""The built example as a reader's browser sees it, served under /briefs/
like a GitHub Pages project site: links, accessibility, keyboard,
screenshots."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from conftest import ROOT, serve

BRIEF = "gaza-truce-talks/2024-05-07-cairo-talks-resume/"
PAGE_TYPES = {"home": "", "story hub": "gaza-truce-talks/", "brief": BRIEF, "guide": "guide/", "tags": "tags/",
              "tag": "tags/gaza/"}
SCHEMES = {"light": "default", "dark": "slate"}
SCREENSHOTS = ROOT / "tests/screenshots"
LINKS = """() => [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]
  .map(el => el.href || el.src)"""


def open_page(browser, url: str, scheme: str = "light", width: int = 1280):
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    # Only the served site: no request leaves 127.0.0.1.
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort())
    page = context.new_page()
    failures = []
    page.on("response", lambda r: r.status >= 400 and failures.append((r.status, r.url)))
    # A reader's phone should not fetch the whole sitemap on every page view.
    page.on("request", lambda r: r.url.endswith("sitemap.xml") and failures.append(("fetched", r.url)))
    page.goto(url, wait_until="networkidle")
    return page, failures


def site_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html") if p.parent != site) + [""]


def test_every_internal_link_and_asset_answers_200(browser, example_site, example_url):
    pages = site_pages(example_site)
    assert BRIEF in pages and "guide/" in pages
    checked: dict[str, int] = {}
    requests = browser.new_context()
    origin = urlsplit(example_url).netloc
    for path in pages:
        page, failures = open_page(browser, example_url + path)
        assert failures == [], path
        for link in page.evaluate(LINKS):
            target, _ = urldefrag(link)
            if urlsplit(target).netloc != origin or target in checked:
                continue
            assert target.startswith(example_url), f"{path} links outside the sub-path: {target}"
            checked[target] = requests.request.get(target).status
        page.context.close()
    requests.close()
    assert {url: status for url, status in checked.items() if status != 200} == {}
    assert any(url.endswith(".css") for url in checked) and any(url.endswith(".js") for url in checked)


def test_source_links_and_back_links_resolve_on_the_page(browser, example_url):
    page, _ = open_page(browser, example_url + BRIEF)
    for href in page.eval_on_selector_all(".brief-cite, .brief-backref", "els => els.map(e => e.getAttribute('href'))"):
        assert page.locator(href).count() == 1, href  # "#source-3" is also a CSS id selector
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_serious_accessibility_violation(browser, example_url, page_type, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page, _ = open_page(browser, example_url + PAGE_TYPES[page_type], scheme)
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[scheme]
    results = Axe().run(page)
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert page.locator("h1").count() == 1
    page.context.close()


def test_keyboard_reaches_every_source_link(browser, example_url):
    page, _ = open_page(browser, example_url + BRIEF)
    refs = page.locator(".brief-cite")
    total = refs.count()
    assert total > 10
    names = refs.evaluate_all("els => els.map(e => e.textContent)")
    assert set(names) == {"Le Parisien"}  # each citation names its outlet
    reached = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        index = page.evaluate("() => [...document.querySelectorAll('.brief-cite')].indexOf(document.activeElement)")
        if index >= 0:
            reached.add(index)
        if len(reached) == total:
            break
    assert len(reached) == total
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshot_of_a_brief(browser, example_url, width, scheme):
    page, _ = open_page(browser, example_url + BRIEF, scheme, width)
    SCREENSHOTS.mkdir(exist_ok=True)
    target = SCREENSHOTS / f"brief-{width}-{scheme}.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000
    assert page.locator(".brief-status").first.is_visible()
    page.context.close()


def test_every_status_label_shows_an_icon_and_a_word(browser, example_url):
    page, failures = open_page(browser, example_url + BRIEF)
    labels = page.evaluate("""() => [...document.querySelectorAll('.brief-status')].map(el => ({
        word: el.textContent.trim(),
        icon: getComputedStyle(el, '::before').maskImage || getComputedStyle(el, '::before').webkitMaskImage,
    }))""")
    assert len(labels) >= 10 and failures == []
    for label in labels:
        assert label["word"] in {"Confirmed", "Reported", "Claimed", "Disputed", "Debunked"}
        assert label["icon"].startswith('url("data:image/svg+xml'), label
    page.context.close()


def test_a_reader_leaving_mid_request_prints_nothing_into_the_test_output(tmp_path, capfd):
    """Chromium resets the connections of a page it closes: the test server
    says nothing (socketserver printed a traceback between dashes), while a
    real error is still printed."""
    server, _ = serve(tmp_path)
    try:
        for error in (ConnectionResetError(104, "reset by peer"), BrokenPipeError(32, "broken pipe"), ValueError("a bug")):
            try:
                raise error
            except Exception:
                server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.shutdown()
        server.server_close()
    said = capfd.readouterr().err
    assert "ValueError: a bug" in said and "ConnectionResetError" not in said and "BrokenPipeError" not in said
    assert said.count("-" * 40) == 2  # one block, the bug's
