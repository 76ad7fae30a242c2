"""The site's settings are text like any brief's: a site_name, description,
author, copyright and repository name holding `"`, `<` and `&` (and script) pass `briefs
check`, and every kind of page shows them as written and runs none of it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, built_site, copy_project, run_briefs, serve, write

NAME = ('The "Daily" <Brief> & Co </title><script>window.PWNED=1;alert("name")</script>'
        '" autofocus onfocus="window.PWNED=1" x=" \' onmouseover=\'alert(3)')
DESCRIPTION = 'About "us" &amp; <b>bold</b> "><svg onload=alert("description")> <img src=x onerror=alert(1)>'
COPYRIGHT = '© 2024 <a href="javascript:alert(1)">Newsroom</a> & "Friends" </div><script>alert("copyright")</script>'
REPOSITORY = 'newsroom/<img src=x onerror=alert("repo")> & "briefs"'

PAGES = {  # every kind of page, as its address under the site
    "home": "", "hub": "test-story/", "brief": "test-story/2024-05-07-first/", "tags": "tags/", "tag": "tags/talks/",
    "guide": "guide/", "404": "404.html",
}
# Catches a script that ran at any moment of the page's life: a dialog, or a write to window.PWNED.
TRAP = "Object.defineProperty(window, 'PWNED', {set() { window.__hits = (window.__hits || 0) + 1; }, configurable: false});"
# Attributes or elements only the settings could have put there.
INJECTED = """() => {
  const odd = [];
  for (const element of document.querySelectorAll('*')) {
    for (const {name} of element.attributes) {
      if (/^on|autofocus|["'<>&]/.test(name)) odd.push(element.tagName + ' ' + name);
    }
  }
  for (const element of document.querySelectorAll('img[src="x"], svg[onload], b, a[href^="javascript"]')) odd.push(element.outerHTML);
  for (const script of document.querySelectorAll('script:not([type="application/ld+json"])')) {
    if (/PWNED|alert/.test(script.textContent)) odd.push(script.outerHTML.slice(0, 80));
  }
  return odd;
}"""


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a double-quoted YAML scalar


@pytest.fixture(scope="module")
def hostile_settings_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hostile-settings"), with_briefs=False)
    write(root / "briefs/test-story/story.yaml", "title: Test story\nsummary: Where things stand.\ntags: [talks]\n")
    write(root / "briefs/test-story/2024-05-07-first.yaml", MINIMAL_BRIEF)
    settings = root / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_name:.*$", lambda _: f"site_name: {_quoted(NAME)}", text)
    text = re.sub(r"(?m)^site_description:.*$", lambda _: f"site_description: {_quoted(DESCRIPTION)}", text)
    settings.write_text(text + f"site_author: {_quoted(DESCRIPTION)}\ncopyright: {_quoted(COPYRIGHT)}\n"
                        f"repo_url: https://example.org/newsroom/briefs\nrepo_name: {_quoted(REPOSITORY)}\n", encoding="utf-8")
    check = run_briefs(root, "check")
    assert check.returncode == 0, check.stderr  # any text is a site's name
    return built_site(root)


def test_hostile_settings_are_inert_and_shown_as_written_on_every_kind_of_page(hostile_settings_site: Path, browser):
    server, url = serve(hostile_settings_site)
    context = browser.new_context()
    context.add_init_script(TRAP)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    descriptions = []
    try:
        for kind, address in PAGES.items():
            response = page.goto(url + address, wait_until="load")
            assert response is not None and response.status == 200, kind
            page.wait_for_load_state("networkidle")
            page.mouse.move(200, 30)  # over the header: hover handlers too
            page.keyboard.press("Tab")  # and focus ones
            assert page.evaluate("window.__hits || 0") == 0 and dialogs == [], (kind, dialogs)
            assert page.evaluate(INJECTED) == [], kind
            assert NAME in page.title(), kind
            logo = page.locator(".md-header__button.md-logo")
            assert (logo.get_attribute("aria-label"), logo.get_attribute("title")) == (NAME, NAME), kind
            drawer_logo = page.locator(".md-nav--primary > .md-nav__title .md-logo")
            assert drawer_logo.get_attribute("aria-label") == NAME, kind
            assert page.locator(".md-nav--primary > .md-nav__title").text_content().strip() == NAME, kind
            assert page.locator(".md-header__topic").first.text_content().strip() == NAME, kind
            assert page.locator('link[rel="alternate feed"]').first.get_attribute("title") == NAME, kind
            assert page.locator(".md-copyright__highlight").text_content().strip() == COPYRIGHT, kind
            assert page.locator(".md-header .md-source__repository").text_content().strip() == REPOSITORY, kind
            descriptions.append(page.locator('meta[name="description"]').get_attribute("content"))
            assert page.locator('meta[name="author"]').get_attribute("content") in (DESCRIPTION, None), kind
    finally:
        context.close()
        server.shutdown()
    assert DESCRIPTION in descriptions  # the pages without a description of their own show the site's
