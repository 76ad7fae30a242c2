"""The example site as a reader on a 390×844 phone and a desktop sees it,
in Chromium: the menu, a brief's first screen, labels, citations, quotes."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import built_site, copy_project, serve

BRIEF = "gaza-truce-talks/2024-05-07-cairo-talks-resume/"
PAGE_TYPES = {"home": "", "story hub": "gaza-truce-talks/", "brief": BRIEF, "guide": "guide/", "tags": "tags/"}
PHONE = {"width": 390, "height": 844}


def open_page(browser, url: str, scheme: str = "light", viewport: dict = PHONE):
    context = browser.new_context(color_scheme=scheme, viewport=viewport)
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort())
    page = context.new_page()
    page.goto(url)
    return page


def open_menu(page) -> None:
    page.click("label.md-header__button[for='__drawer']")
    # the drawer slides in from the left: open once its edge has arrived
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")


# The site's links in the menu but the current page's.
MENU_LINKS = "nav.md-nav--primary a[href]:not(.md-logo):not([aria-current])"
CURRENT = {"home": "Home", "story hub": "Gaza truce negotiations"}
TOPMOST = """link => {
    const box = link.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    return {hit: !!hit && (hit === link || link.contains(hit)), x, y,
            inside: y >= 0 && y <= innerHeight && x >= 0 && x <= innerWidth};
}"""


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_phone_menu_reaches_every_site_link_and_each_one_opens(browser, example_url, page_type):
    url = example_url + PAGE_TYPES[page_type]
    page = open_page(browser, url)
    open_menu(page)
    links = page.eval_on_selector_all(MENU_LINKS, "els => els.map(e => [e.textContent.trim(), e.href])")
    names = [name for name, _ in links]
    assert {"Home", "Gaza truce negotiations"} - {CURRENT.get(page_type)} <= set(names), names
    assert "Editor guide" not in names  # linked from the footer, not among the readers' sections
    if page_type == "brief":
        assert "Israeli tanks enter Rafah as Hamas warns of no ceasefire" in names, names
    for index, (name, href) in enumerate(links):
        if index:
            page.goto(url)
            open_menu(page)
        link = page.locator(MENU_LINKS).nth(index)
        link.scroll_into_view_if_needed()
        spot = link.evaluate(TOPMOST)
        assert spot["inside"] and spot["hit"], f"{page_type}: menu link {name!r} is covered or off screen"
        page.mouse.click(spot["x"], spot["y"])
        page.wait_for_url(href.split("#")[0])
    page.context.close()


# Contrast of an element's text against what is painted behind it (WCAG 2),
# composing every translucent background up to the first opaque one.
CONTRAST = """el => {
    const parse = c => {
        const srgb = c.match(/color\\(srgb ([^)]+)\\)/);
        const v = (srgb ? srgb[1] : c.match(/rgba?\\(([^)]+)\\)/)[1]).split(/[ ,\\/]+/).filter(Boolean).map(Number);
        const rgb = srgb ? v.slice(0, 3).map(x => x * 255) : v.slice(0, 3);
        return [...rgb, v.length > 3 ? v[3] : 1];
    };
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
    }
    let base = [255, 255, 255];
    for (const l of layers.reverse()) base = base.map((v, i) => l[i] * l[3] + v * (1 - l[3]));
    const fg = parse(getComputedStyle(el).color);
    const text = base.map((v, i) => fg[i] * fg[3] + v * (1 - fg[3]));
    const lum = c => c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const [a, b] = [lum(text), lum(base)].sort((x, y) => y - x);
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    return opacity < 1 ? 0 : (a + 0.05) / (b + 0.05);
}"""
FIRST_SCREEN = {
    "kicker": ".brief-kicker",
    "headline": "article h1",
    "question": ".brief-question",
    "dateline": ".brief-dateline",
    "time": ".brief-meta time",
    "byline": ".brief-byline",
    "what changed": "a[href='#what-changed']",
}


@pytest.fixture(scope="module")
def datelined_url(tmp_path_factory):
    """The example with a dateline on its latest brief, whatever the example says."""
    root = copy_project(tmp_path_factory.mktemp("dateline"))
    brief = root / "briefs" / (BRIEF.rstrip("/") + ".yaml")
    text = re.sub(r"(?m)^location:.*\n", "", brief.read_text(encoding="utf-8"))
    brief.write_text(re.sub(r"(?m)^(date:.*\n)", r"\1location: Cairo\n", text), encoding="utf-8")
    server, url = serve(built_site(root))
    yield url
    server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_briefs_first_screen_on_a_phone(browser, datelined_url, scheme):
    page = open_page(browser, datelined_url + BRIEF, scheme)
    for name, selector in FIRST_SCREEN.items():
        box = page.locator(selector).first.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"{name} is not on the first screen: {box}"
    assert page.locator(".brief-summary").bounding_box()["y"] + 60 < PHONE["height"]  # the lead's first lines too
    kicker = " ".join(page.locator(".brief-kicker").inner_text().split())
    assert kicker.lower() == "gaza truce negotiations developing story explainer share"  # the share button at its end
    headline = page.locator("article h1")
    assert int(headline.evaluate("el => getComputedStyle(el).fontWeight")) >= 700
    assert headline.evaluate(CONTRAST) >= 7
    assert page.locator(".brief-meta").inner_text().count("Briefs desk") == 1
    # the tags come after the article
    tags = page.locator(".briefs-tags").bounding_box()
    assert tags["y"] > page.locator("#sources").bounding_box()["y"]
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_citations_are_big_enough_to_tap_and_quotes_read_at_seven_to_one(browser, example_url, scheme):
    page = open_page(browser, example_url + BRIEF, scheme)
    boxes = page.locator(".brief-cite").evaluate_all("els => els.map(e => e.getBoundingClientRect()).map(b => [b.width, b.height])")
    assert len(boxes) > 5 and all(width >= 24 and height >= 24 for width, height in boxes), boxes
    assert min(page.locator(".brief-cite").evaluate_all(f"els => els.map({CONTRAST})")) >= 4.5
    quotes = page.locator(".brief-quote p, .brief-quote footer")
    assert quotes.count() >= 2
    assert min(quotes.evaluate_all(f"els => els.map({CONTRAST})")) >= 7
    page.context.close()


def test_the_first_status_label_opens_the_legend(browser, example_url):
    page = open_page(browser, example_url + BRIEF)
    first = page.locator("article .brief-status").first
    first.click()
    page.wait_for_url("**#how-we-label-claims")
    legend = page.locator("#how-we-label-claims").bounding_box()
    assert 0 <= legend["y"] < PHONE["height"] / 2
    page.context.close()
