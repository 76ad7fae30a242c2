"""Search as a reader uses it: Pagefind's index of the briefs, the box in
the header, served under /briefs/ like a GitHub Pages project site, in
Chromium; nothing of it fetched before the reader opens search."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from conftest import ROOT, copy_project, run_briefs, serve, write
from test_browser_site import SCHEMES

CAIRO = "gaza-truce-talks/2024-05-07-cairo-talks-resume/"
RAFAH = "gaza-truce-talks/2024-05-07-israeli-tanks-rafah/"
ARABIC = "hudna/2024-01-01-rafah/"  # 1 January at 01:00 in Gaza is still 2023 in UTC, the site's zone
SCREENSHOTS = ROOT / "tests/screenshots"


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> Path:
    """The example, plus an Arabic story (right to left) with a brief that
    shares a word with the example's."""
    project = copy_project(tmp_path_factory.mktemp("search"))
    write(project / "briefs/hudna/story.yaml", """
        title: مفاوضات الهدنة
        summary: أين وصلت المفاوضات.
        lang: ar
    """)
    write(project / "briefs/hudna/2024-01-01-rafah.yaml", """
        title: الدبابات على مشارف رفح
        date: 2024-01-01T01:00:00+03:00
        summary: تقارير عن تقدم الدبابات نحو Rafah.
        what_we_know:
          - text: وصلت الدبابات إلى أطراف المدينة.
            status: confirmed
    """)
    result = run_briefs(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def search_url(search_site: Path):
    server, url = serve(search_site)
    yield url
    server.shutdown()


def open_page(browser, url: str, scheme: str = "light", width: int = 1280):
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort())
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url, wait_until="networkidle")
    return page, requested


def search_for(page, words: str) -> None:
    box = page.locator("#briefs-search-query")
    box.click()
    box.fill(words)
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> None:
    """Once Material's opening transition has ended."""
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-search__inner')).opacity === '1'")
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def result_paths(page) -> list[str]:
    return page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => new URL(a.href).pathname)")


def test_a_word_from_one_brief_finds_that_brief_with_its_story_date_and_the_word_marked(browser, search_url):
    page, _ = open_page(browser, search_url + "guide/")
    search_for(page, "Kirby")
    assert result_paths(page) == [urlsplit(search_url + CAIRO).path]
    result = page.locator(".md-search-result__item").first
    assert result.locator("h2").inner_text() == "Truce talks resume in Cairo as Washington sees gaps that can be closed"
    assert result.locator(".briefs-search__meta").inner_text() == "Gaza truce negotiations · May 7, 2024"
    assert result.locator("mark").first.inner_text().startswith("Kirby")  # with its punctuation, as Pagefind marks it
    assert page.locator("#briefs-search-status").inner_text() == "1 brief matches."
    result.locator("a").click()
    page.wait_for_url(search_url + CAIRO)
    page.context.close()


def test_the_story_and_year_filters_narrow_the_results(browser, search_url):
    page, _ = open_page(browser, search_url)
    search_for(page, "Rafah")
    everywhere = result_paths(page)
    assert urlsplit(search_url + ARABIC).path in everywhere and urlsplit(search_url + RAFAH).path in everywhere
    stories = page.locator("select[name=story] option").all_inner_texts()
    assert stories[0] == "All stories" and "Gaza truce negotiations (2)" in stories and "مفاوضات الهدنة (1)" in stories
    assert page.locator("select[name=year] option").all_inner_texts() == ["All years", "2024 (2)", "2023 (1)"]
    page.select_option("select[name=story]", "Gaza truce negotiations")
    page.wait_for_function("() => { const links = [...document.querySelectorAll('.md-search-result__link')];"
                           " return links.length > 0 && !links.some(a => a.href.includes('/hudna/')); }")
    narrowed = result_paths(page)
    assert narrowed and all("/gaza-truce-talks/" in path for path in narrowed)
    page.select_option("select[name=story]", "")
    page.select_option("select[name=year]", "2023")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__link').length === 1")
    assert result_paths(page) == [urlsplit(search_url + ARABIC).path]
    page.context.close()


def test_a_search_while_offline_is_not_told_that_no_brief_matches(browser, search_url):
    """Pagefind answers a word whose part of the index did not arrive as if
    no brief held it: offline, a search that finds nothing says search is
    not available, and back online a search gets its true answer again."""
    page, _ = open_page(browser, search_url)
    search_for(page, "Kirby")  # Pagefind's code and the example's one chunk of index are here
    box, status = page.locator("#briefs-search-query"), page.locator("#briefs-search-status")
    changed = "was => ![was, 'Loading search…'].includes(document.getElementById('briefs-search-status').textContent)"
    page.context.set_offline(True)
    box.fill("Zanzibar")
    page.wait_for_function(changed, arg="1 brief matches.")
    assert status.inner_text() == "Search is not available right now; try again in a moment."
    assert page.locator(".md-search-result__item").count() == 0  # Kirby's result is not Zanzibar's
    page.context.set_offline(False)
    box.fill("Zanzibars")
    page.wait_for_function(changed, arg="Search is not available right now; try again in a moment.")
    assert status.inner_text() == "No brief matches."
    box.fill("Rafah tanks")
    page.wait_for_function("() => document.getElementById('briefs-search-status').textContent === '2 briefs match.'")
    page.context.close()


# An index chunk that fails alone (the site online) is answered by Pagefind
# as no match, and told as such: the README says so.
@pytest.mark.parametrize("lost", ["pagefind.js", "fragment/**"], ids=["script", "result text"])
def test_a_part_of_search_that_does_not_arrive_is_said_and_the_next_search_tries_again(browser, search_url, lost):
    """A phone between networks: Pagefind's script or the results' texts fail to load."""
    page, _ = open_page(browser, search_url)
    blocked = [True]
    page.route(f"**/pagefind/{lost}", lambda route: route.abort() if blocked[0] else route.continue_())
    box = page.locator("#briefs-search-query")
    box.click()
    box.fill("Kirby")
    status = page.locator("#briefs-search-status")
    page.wait_for_function("() => /not available/.test(document.getElementById('briefs-search-status').textContent)")
    assert status.inner_text() == "Search is not available right now; try again in a moment."
    assert page.locator(".md-search-result__item").count() == 0
    blocked[0] = False
    box.fill("Kirby talks")
    page.locator(".md-search-result__item").first.wait_for()
    assert status.inner_text() == "1 brief matches."
    assert page.locator("select[name=year] option").all_inner_texts() == ["All years", "2024 (2)", "2023 (1)"]  # filled once
    page.context.close()


def test_nothing_of_search_is_fetched_until_the_reader_opens_it(browser, search_url):
    page, requested = open_page(browser, search_url + CAIRO)
    assert any(url.endswith("/search.js") for url in requested)  # the box's own small script
    assert [url for url in requested if "pagefind" in url] == []
    with page.expect_request("**/pagefind/pagefind.js"):
        page.keyboard.press("/")  # opens search, as the button and the box do
    page.wait_for_function("() => document.getElementById('briefs-search-status').textContent === 'Type a word to search every brief.'")
    fetched = [urlsplit(url).path for url in requested if "pagefind" in url]
    assert "/briefs/assets/pagefind/pagefind.js" in fetched
    assert all(path.startswith("/briefs/assets/pagefind/") for path in fetched)
    assert page.evaluate("document.activeElement.id") == "briefs-search-query"
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", [CAIRO, "hudna/"])
def test_no_serious_accessibility_violation_with_results_open(browser, search_url, scheme, path):
    from axe_playwright_python.sync_playwright import Axe

    page, _ = open_page(browser, search_url + path, scheme)
    search_for(page, "Rafah")
    results = Axe().run(page)
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.context.close()


def test_the_keyboard_opens_search_walks_the_results_and_closes_it(browser, search_url):
    page, _ = open_page(browser, search_url + CAIRO)
    page.locator("h1").click()  # the reader is reading the page
    page.keyboard.press("/")
    page.wait_for_function("document.activeElement.id === 'briefs-search-query'")
    page.keyboard.type("Rafah")
    page.locator(".md-search-result__item").nth(1).wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("[...document.querySelectorAll('.md-search-result__link')].indexOf(document.activeElement)") == 1
    page.keyboard.press("Escape")
    assert not page.is_checked("#__search")
    page.context.close()


def test_an_arabic_page_finds_every_brief_right_to_left(browser, search_url):
    page, _ = open_page(browser, search_url + ARABIC, width=390)
    assert page.get_attribute("html", "dir") == "rtl" or page.eval_on_selector("body", "el => getComputedStyle(el).direction") == "rtl"
    page.locator(".briefs-search__open").click()
    assert page.evaluate("document.activeElement.id") == "briefs-search-query"
    page.keyboard.type("Kirby")  # a word of an English brief, from an Arabic page
    page.locator(".md-search-result__item").first.wait_for()
    assert result_paths(page) == [urlsplit(search_url + CAIRO).path]
    page.locator("#briefs-search-query").fill("الدبابات")
    page.wait_for_function("() => document.querySelector('.md-search-result__link')?.href.includes('/hudna/')")
    assert page.locator(".md-search-result__item h2").first.evaluate("el => getComputedStyle(el).direction") == "rtl"
    screenshot(page, "search-390-rtl.png")
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshot_of_search_results(browser, search_url, width, scheme):
    page, _ = open_page(browser, search_url + CAIRO, scheme, width)
    if width < 960:
        page.locator(".briefs-search__open").click()
    search_for(page, "Rafah")
    assert page.locator(".md-search-result__item").first.is_visible()
    screenshot(page, f"search-{width}-{scheme}.png")
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_header_shows_one_way_into_search(browser, search_url, width):
    """On a phone, a button opens the box; from 960 px the box itself is in the header, alone."""
    page, _ = open_page(browser, search_url + CAIRO, "light", width)
    assert page.locator(".briefs-search__open").is_visible() == (width < 960)
    if width >= 960:
        assert page.locator("#briefs-search-query").is_visible()
    page.context.close()


def test_the_search_box_shows_one_clear_button_not_also_the_browsers_own(browser, search_url):
    page, _ = open_page(browser, search_url + CAIRO, "light", 390)
    page.locator(".briefs-search__open").click()
    search_for(page, "Rafah")
    box = Image.open(io.BytesIO(page.locator("#briefs-search-query").screenshot())).convert("RGB")
    # Chromium draws its own clear button in blue at the field's end; the field's text is dark.
    rgb = box.tobytes()
    assert not any(rgb[i + 2] > rgb[i] + 80 for i in range(0, len(rgb), 3))  # no pixel blue more than red
    assert page.locator(".md-search__options button[type=reset]").is_visible()
    page.context.close()


def _fragments(site: Path) -> list[dict]:
    fragments = []
    for path in (site / "assets/pagefind/fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(data[data.index(b"{"):]))
    return fragments


def test_the_index_holds_each_brief_article_without_the_legend_or_navigation(search_site: Path):
    fragments = {f["url"]: f for f in _fragments(search_site)}
    assert sorted(fragments) == sorted(f"/{path}" for path in (CAIRO, RAFAH, ARABIC))
    cairo = fragments[f"/{CAIRO}"]
    assert "Kirby" in cairo["content"]
    assert "shown to be false; kept for the record" not in cairo["content"]  # the legend's words
    assert "Editor guide" not in cairo["content"]  # the navigation's
    assert "Developing story" not in cairo["content"]  # the story's status, on every brief of it
    # What changed: its teasers repeat What we know, and the previous brief's title is that brief's;
    # what it alone says (a question no longer open) stays findable.
    assert "Qatari…" not in cairo["content"] and "Since May" not in cairo["content"]
    assert "No longer open Will Israel send a delegation" in cairo["content"]
    # An excerpt starts with the brief's own words: its headline, question and lead, not the
    # story's name, the byline and the dates run together (results show the story and day apart).
    assert cairo["content"].startswith("Truce talks resume in Cairo as Washington sees gaps that can be closed. On the way")
    assert "Published" not in cairo["content"] and "Briefs desk" not in cairo["content"]
    assert cairo["meta"]["story"] == "Gaza truce negotiations" and cairo["filters"]["year"] == ["2024"]
    assert fragments[f"/{ARABIC}"]["filters"] == {"story": ["مفاوضات الهدنة"], "year": ["2023"]}


def test_a_site_with_no_brief_yet_says_no_brief_matches_not_that_search_failed(browser, tmp_path: Path):
    """Pagefind makes no index of no page: a newsroom's first site, before
    its first brief, answers a search with no match, not with a failure."""
    project = copy_project(tmp_path, with_briefs=False)
    assert run_briefs(project, "build").returncode == 0
    server, url = serve(project / "site")
    try:
        page, _ = open_page(browser, url, width=390)
        page.locator(".briefs-search__open").click()
        status = page.locator("#briefs-search-status")
        page.wait_for_function("() => document.getElementById('briefs-search-status').textContent !== 'Loading search…'")
        assert status.inner_text() == "Type a word to search every brief."
        page.locator("#briefs-search-query").fill("Rafah")
        page.wait_for_function("() => document.getElementById('briefs-search-status').textContent === 'No brief matches.'")
        assert page.locator(".md-search-result__item").count() == 0
        page.context.close()
    finally:
        server.shutdown()
