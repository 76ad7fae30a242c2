"""Retakes the screenshots in docs-assets/: `python tests/docs_screenshots.py`.

The bundled example's brief and home page, and, from the generated
newsroom site of tests/reader_site.py, a story hub of 40 developments, a
French and an Arabic brief, and search open on a phone: at 390×844 and
1280×800, light and dark, in Debian's Chromium, nothing fetched from
outside 127.0.0.1. Look at every picture before committing it."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent))

from conftest import CHROMIUM, ROOT, copy_project, run_briefs, serve  # noqa: E402
from reader_site import ARABIC, FRENCH, LONG, make_reader_site  # noqa: E402

OUT = ROOT / "docs-assets"
EXAMPLE_BRIEF = "gaza-truce-talks/2024-05-07-cairo-talks-resume/"
# name: (site, path, width, scheme, what to do first)
SHOTS = {
    "brief-390-light": ("example", EXAMPLE_BRIEF, 390, "light", None),
    "brief-390-dark": ("example", EXAMPLE_BRIEF, 390, "dark", None),
    "brief-1280-light": ("example", EXAMPLE_BRIEF, 1280, "light", None),
    "brief-1280-dark": ("example", EXAMPLE_BRIEF, 1280, "dark", None),
    "home-390-light": ("newsroom", "", 390, "light", None),
    "home-1280-dark": ("newsroom", "", 1280, "dark", None),
    "menu-390-dark": ("newsroom", f"{LONG}/", 390, "dark", "menu"),
    "hub-390-light": ("newsroom", f"{LONG}/", 390, "light", None),
    "hub-1280-dark": ("newsroom", f"{LONG}/", 1280, "dark", None),
    "changes-390-dark": ("newsroom", f"{LONG}/2024-02-09-update-40/", 390, "dark", "#what-changed"),
    "search-390-light": ("newsroom", "", 390, "light", "search"),
    "search-390-dark": ("newsroom", f"{ARABIC}/", 390, "dark", "search"),
    "french-390-light": ("newsroom", f"{FRENCH}/2024-02-11-reunion/", 390, "light", None),
    "arabic-390-dark": ("newsroom", f"{ARABIC}/2024-02-13-jadwal/", 390, "dark", None),
    "arabic-1280-light": ("newsroom", f"{ARABIC}/", 1280, "light", None),
}


def build(project: Path) -> Path:
    result = run_briefs(project, "build")
    if result.returncode != 0:
        sys.exit(result.stderr)
    return project / "site"


def take(browser, url: str, width: int, scheme: str, first: str | None, path: Path) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 844 if width < 700 else 800})
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1" else route.abort())
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    if first == "menu":
        page.click("label.md-header__button[for='__drawer']")
        page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    elif first == "search":
        page.click(".briefs-search__open")
        page.fill("#briefs-search-query", "investigators")
        page.locator(".md-search-result__item").first.wait_for()
        page.wait_for_load_state("networkidle")
        page.wait_for_function("() => getComputedStyle(document.querySelector('.md-search__inner')).opacity === '1'")
    elif first:
        page.evaluate(f"scrollTo(0, document.querySelector('{first}').getBoundingClientRect().top + scrollY - 64)")
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    page.screenshot(path=str(path))
    context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        sites = {"example": build(copy_project(Path(tmp) / "example")),
                 "newsroom": build(make_reader_site(Path(tmp) / "newsroom"))}
        servers = {name: serve(site) for name, site in sites.items()}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                for name, (site, path, width, scheme, first) in SHOTS.items():
                    take(browser, servers[site][1] + path, width, scheme, first, OUT / f"{name}.png")
                    print(OUT / f"{name}.png")
                browser.close()
        finally:
            for server, _ in servers.values():
                server.shutdown()


if __name__ == "__main__":
    main()
