"""The example site as a reader on a 390×844 phone and a desktop sees it,
in Chromium: the menu, a brief's first screen, labels, citations, quotes."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

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


# The site's links in the menu; on its own page, an item is Material's
# button for the page's table of contents instead of a link.
MENU_LINKS = "nav.md-nav--primary a[href]:not(.md-logo):not(.md-nav--secondary a):not(.md-nav__link--active)"
CURRENT = {"home": "Home", "story hub": "Gaza truce negotiations", "guide": "Editor guide"}
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
    assert {"Home", "Gaza truce negotiations", "Editor guide"} - {CURRENT.get(page_type)} <= set(names), names
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
