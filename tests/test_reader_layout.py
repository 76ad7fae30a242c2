"""Issue 28's reader front, in Chromium, on a generated newsroom site
(tests/reader_site.py: a story of 40 developments with 6 background
events each, a French and an Arabic story among English ones): one
reading column, the sections bar, search on a phone, citations, the meta
line with relative times, What changed and the hub bounded, the home page,
share, and axe in both schemes and both directions."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import built_site, serve
from reader_site import ARABIC, FRENCH, LATEST, LONG, long_brief_path, make_reader_site
from test_browser_reader import CONTRAST

PHONE, TABLET, DESKTOP = 390, 768, 1280
LATEST_BRIEF = long_brief_path(40)
FRENCH_BRIEF = f"{FRENCH}/2024-02-11-reunion/"
ARABIC_BRIEF = f"{ARABIC}/2024-02-13-jadwal/"
PAGE_KINDS = {"home": "", "hub": f"{LONG}/", "brief": LATEST_BRIEF, "tags": "tags/", "tag": "tags/aviation/", "guide": "guide/",
              "rtl hub": f"{ARABIC}/", "rtl brief": ARABIC_BRIEF, "fr brief": FRENCH_BRIEF}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    root = make_reader_site(tmp_path_factory.mktemp("reader-site"))
    server, url = serve(built_site(root))
    yield url
    server.shutdown()


def open_page(browser, url: str, width: int = PHONE, scheme: str = "light", **options):
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 844 if width < 700 else 800}, **options)
    outside = []

    def only_loopback(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.outside = outside
    return page


def shown(page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


@pytest.mark.parametrize("width", [PHONE, TABLET, DESKTOP])
@pytest.mark.parametrize("kind", ["home", "hub", "brief"])
def test_one_reading_column_no_sidebar_no_table_of_contents_no_pilcrow(browser, site_url, kind, width):
    page = open_page(browser, site_url + PAGE_KINDS[kind], width)
    assert not shown(page, ".md-sidebar--secondary")  # no table of contents, at any width
    assert not shown(page, ".md-sidebar--primary") or width < 1220  # below, it is the menu's drawer, off screen
    assert page.evaluate("document.querySelector('.md-sidebar--primary').getBoundingClientRect().right") <= 0 or width >= 1220
    assert page.locator("article h2[id]").count() >= 1  # headings keep their anchors ...
    assert not shown(page, "article .headerlink")  # ... without a visible ¶
    article = page.locator("article").bounding_box()
    assert article["width"] <= 760  # one column, as wide as a line reads well
    if width == DESKTOP:  # centred
        assert abs(article["x"] - (width - article["x"] - article["width"])) < 30
    assert page.evaluate("document.documentElement.scrollWidth") == width
    page.context.close()


@pytest.mark.parametrize("width", [PHONE, TABLET, DESKTOP])
def test_sections_are_a_bar_from_tablet_width_and_in_the_menu_on_a_phone(browser, site_url, width):
    page = open_page(browser, site_url + LATEST_BRIEF, width)
    bar = page.locator("nav.briefs-sections a")
    names = [" ".join(name.split()) for name in bar.all_inner_texts()]
    # home, then the stories, developing ones by their newest development, then the concluded
    assert names == ["Home", "مفاوضات المياه", "Grève dans les ports", "Harbour warehouse fire", "Runway collision inquiry", "Rail strike"]
    assert "Editor guide" not in names
    assert bar.first.is_visible() == (width >= TABLET)
    # a brief is in its story's section, marked
    assert page.locator("nav.briefs-sections a.briefs-sections__story").inner_text() == "Runway collision inquiry"
    # the editor guide is linked from the footer
    guide = page.locator("footer a", has_text="Editor guide")
    assert guide.count() == 1
    guide.click()
    page.wait_for_url("**/guide/")
    if width == PHONE:
        page.click("label.md-header__button[for='__drawer']")
        menu = page.locator("nav.md-nav--primary > ul > li > a")
        menu.first.wait_for(state="visible")
        assert [" ".join(t.split()) for t in menu.all_inner_texts()] == names
    page.context.close()


def test_a_hub_of_40_developments_leads_with_the_latest_and_stays_short_on_a_phone(browser, site_url):
    page = open_page(browser, site_url + f"{LONG}/", PHONE)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height
    order = [page.locator(f"#{anchor}").bounding_box()["y"]
             for anchor in ("latest-development", "what-we-know", "developments", "timeline")]
    assert order == sorted(order)
    latest = page.locator(".story-latest")
    assert latest.locator("h3").inner_text() == "Investigators give update 40 on the runway collision"
    assert "Update 40:" in latest.inner_text() and "8 changes since the previous development" in latest.inner_text()
    # the developments: the latest 10, newest first, then the 30 earlier behind "Show earlier"
    developments = page.locator("ol.story-developments")
    visible = [a for a in developments.first.locator("a").all_inner_texts()]
    assert visible == [f"Investigators give update {n} on the runway collision" for n in range(40, 30, -1)]
    earlier = page.locator("#developments ~ details.story-earlier").first
    assert earlier.locator("summary").inner_text() == "Show earlier (30)"
    assert not earlier.locator("a").first.is_visible()
    earlier.locator("summary").click()  # <details>: works without script
    assert earlier.locator("a").first.is_visible() and earlier.locator("a").count() == 30
    # background events: the latest 10, then the 230 others
    background = page.locator("#timeline ~ ol.story-background").first
    assert background.locator("li").count() == 10
    assert background.locator("li").first.inner_text().startswith("December 1999")
    assert page.locator("#timeline ~ details.story-earlier summary").inner_text() == "Show earlier (230)"
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_what_changed_shows_five_one_line_changes_then_the_rest_on_request(browser, site_url, scheme):
    page = open_page(browser, site_url + LATEST_BRIEF, PHONE, scheme)
    top = page.locator("#what-changed").bounding_box()["y"]
    more = page.locator("details.brief-changes-more")
    bottom = more.bounding_box()
    assert bottom["y"] + bottom["height"] - top <= 560  # 8 changes, at 390 px
    lines = page.locator("#what-changed ~ ul.brief-changes > li")
    assert lines.count() == 5
    heights = lines.evaluate_all("els => els.map(e => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).lineHeight)])")
    assert all(height < 2 * line for height, line in heights), heights  # one line each
    assert more.locator("summary").inner_text() == "Show 3 more"
    assert not more.locator("li").first.is_visible()
    more.locator("summary").click()
    assert more.locator("li").count() == 3 and more.locator("li").first.is_visible()
    opened = more.bounding_box()
    assert opened["y"] + opened["height"] - top <= 560  # all 8 shown, still within 560 px
    # dropped claims too: one line, cut, never struck through
    dropped = page.locator(".brief-claim--removed").first
    assert dropped.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    assert dropped.inner_text().endswith("…")
    since = page.locator(".brief-changed-since")
    assert since.inner_text() == "Since February 8, 2024:"
    since.locator("a").click()
    page.wait_for_url("**" + long_brief_path(39))
    page.context.close()


def test_the_first_screen_holds_headline_summary_and_the_start_of_what_changed(browser, site_url):
    page = open_page(browser, site_url + LATEST_BRIEF, PHONE)
    for selector in ("article h1", ".brief-summary", "a[href='#what-changed']"):
        box = page.locator(selector).first.bounding_box()
        assert box["y"] + box["height"] <= 844, selector
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [LATEST_BRIEF, f"{LONG}/"])
def test_claims_name_their_outlets_as_links_big_enough_to_tap_at_four_and_a_half_to_one(browser, site_url, path, scheme):
    page = open_page(browser, site_url + path, PHONE, scheme)
    claim = page.locator("#claim-3")
    assert [" ".join(t.split()) for t in claim.locator(".brief-cite").all_inner_texts()] == ["NTSB", "AP", "Local Radio"]  # in Sources' order
    assert claim.locator(".brief-cite").nth(1).get_attribute("title") == "Associated Press"  # the full name
    cites = page.locator(".brief-cite")
    boxes = cites.evaluate_all("els => els.map(e => e.getBoundingClientRect()).map(b => [b.width, b.height])")
    assert all(width >= 24 and height >= 24 for width, height in boxes), boxes
    assert min(cites.evaluate_all(f"els => els.map({CONTRAST})")) >= 4.5
    claim.locator(".brief-cite").nth(1).click()
    target = page.evaluate("location.hash")
    assert re.fullmatch(r"#source-\d+", target)
    assert "Associated Press" in page.locator(target).inner_text()
    page.context.close()


RELATIVE = {LATEST_BRIEF: r"· \d+ (years?|months?) ago", FRENCH_BRIEF: r"· il y a \d+ (ans?|mois)",
            ARABIC_BRIEF: r"· (قبل|منذ) "}


@pytest.mark.parametrize("path", RELATIVE)
def test_the_meta_line_reads_byline_dateline_published_updated_and_the_browser_adds_how_long_ago(browser, site_url, path):
    page = open_page(browser, site_url + path, PHONE)
    meta = page.locator(".brief-meta")
    order = [meta.locator(part).bounding_box() for part in (".brief-byline", ".brief-dateline", ".brief-published", ".brief-updated")]
    assert [box["y"] for box in order] == sorted(box["y"] for box in order)
    ago = meta.locator(".briefs-ago")
    assert ago.count() == 2  # after published and after updated
    assert all(re.match(RELATIVE[path], text.strip()) for text in ago.all_inner_texts()), ago.all_inner_texts()
    assert meta.locator("time").count() == 2  # the absolute times stay
    page.context.close()


def test_without_script_the_absolute_times_alone_show_and_no_dead_share_button(browser, site_url):
    page = open_page(browser, site_url + LATEST_BRIEF, PHONE, java_script_enabled=False)
    assert page.locator(".briefs-ago").count() == 0
    assert re.search(r"Published\sFebruary 9, 2024, 08:00 GMT-4", page.locator(".brief-meta").inner_text())
    assert not page.locator(".briefs-share").is_visible()
    # the bounded lists still open
    page.locator("details.brief-changes-more summary").click()
    assert page.locator("details.brief-changes-more li").first.is_visible()
    page.context.close()


@pytest.mark.parametrize("path", [LATEST_BRIEF, f"{ARABIC}/"])
def test_share_copies_the_link_and_says_so_where_the_browser_cannot_share(browser, site_url, path):
    page = open_page(browser, site_url + path, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    assert page.evaluate("'share' in navigator") is False  # desktop Chromium here: the fallback
    button = page.locator(".briefs-share__button")
    button.click()
    status = page.locator(".briefs-share__status")
    status.wait_for(state="visible")
    assert status.inner_text() == button.get_attribute("data-copied") != ""  # in the page's words
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert page.evaluate("navigator.clipboard.readText()") == canonical
    assert page.outside == []
    page.context.close()


def test_share_uses_the_web_share_api_where_the_browser_has_it(browser, site_url):
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    context.add_init_script("navigator.share = data => { window.__shared = data; return Promise.resolve(); };")
    page = context.new_page()
    page.goto(site_url + LATEST_BRIEF)
    page.locator(".briefs-share__button").click()
    page.wait_for_function("() => window.__shared")
    shared = page.evaluate("window.__shared")
    assert shared["url"] == page.locator("link[rel=canonical]").get_attribute("href")
    assert shared["title"].startswith("Investigators give update 40")
    context.close()


def test_the_home_page_lists_each_story_once(browser, site_url):
    page = open_page(browser, site_url, PHONE)
    cards = page.locator(".briefs-card")
    assert cards.count() == LATEST
    listed = page.locator("ul.briefs-stories > li")
    assert listed.count() == 2 and page.locator("#stories").inner_text() == "More stories"
    hubs = page.evaluate("""() => [...document.querySelectorAll('article a')].map(a => a.getAttribute('href'))
        .filter(h => /^[a-z0-9-]+\\/$/.test(h) && !h.startsWith('tags'))""")
    assert sorted(hubs) == sorted(set(hubs)) and len(hubs) == 5, hubs  # five stories, each once
    # a card of a development with `updated` shows its update time
    french = page.locator(".briefs-card", has_text="Le gouvernement reçoit")
    assert "February 11, 2024, 18:45 GMT+1" in french.locator(".briefs-card__time").inner_text()
    page.context.close()


@pytest.mark.parametrize("width", [320, PHONE, TABLET])
@pytest.mark.parametrize("path", ["", ARABIC_BRIEF])
def test_search_on_a_phone_keeps_the_page_as_wide_as_the_screen(browser, site_url, width, path):
    page = open_page(browser, site_url + path, width)
    assert page.evaluate("document.documentElement.scrollWidth") == width
    page.click(".briefs-search__open")
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-search__inner')).opacity === '1'")
    assert page.evaluate("document.documentElement.scrollWidth") == width
    page.fill("#briefs-search-query", "investigators")
    page.locator(".md-search-result__item").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") == width
    sides = page.locator(".md-search-result__item, .briefs-search__filters select").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect()).map(b => [b.left, b.right])")
    assert all(left >= 0 and right <= width for left, right in sides), sides  # results wrap
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_axe_finds_no_serious_violation_on_any_page_kind(browser, site_url, kind, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(browser, site_url + PAGE_KINDS[kind], PHONE if "brief" in kind else DESKTOP, scheme)
    if kind.startswith("rtl"):
        assert page.get_attribute("body", "dir") == "rtl"
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # what they hide too
    violations = Axe().run(page).response["violations"]
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("path", [LATEST_BRIEF, f"{LONG}/", ARABIC_BRIEF, f"{ARABIC}/"])
def test_a_brief_and_a_hub_in_both_widths_schemes_and_directions(browser, site_url, path, width, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(browser, site_url + path, width, scheme)
    assert page.get_attribute("body", "dir") == ("rtl" if path.startswith(ARABIC) else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") == width
    cites = page.locator(".brief-cite")
    boxes = cites.evaluate_all("els => els.map(e => e.getBoundingClientRect()).map(b => [b.width, b.height])")
    assert boxes and all(w >= 24 and h >= 24 for w, h in boxes), boxes
    assert min(cites.evaluate_all(f"els => els.map({CONTRAST})")) >= 4.5
    assert page.locator("nav.briefs-sections").is_visible() == (width == DESKTOP)
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    assert page.outside == []
    page.context.close()
