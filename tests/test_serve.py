"""`briefs serve`: a live preview that follows the editor's saves."""
from __future__ import annotations

import html
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import MINIMAL_BRIEF, as_from_a_terminal, free_port, run_briefs, start_briefs, stop, write

PATIENCE = 60  # seconds to wait for a rebuild: generous, this is not a speed test


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return ""


def wait_for(url: str, text: str, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()
        page = fetch(url)
        if text in html.unescape(page):
            return page
        time.sleep(0.3)
    pytest.fail(f"{text!r} never showed on {url}; last page:\n{page[-2000:]}")


@pytest.fixture
def preview(project):
    port = free_port()
    server = start_briefs(project, "serve", "-a", f"127.0.0.1:{port}")
    try:
        yield server, f"http://127.0.0.1:{port}/"
    finally:
        stop(server)


def test_serve_follows_edits_shows_errors_and_keeps_answering(project, preview):
    server, url = preview
    brief_url = url + "test-story/2024-05-07-first/"
    wait_for(brief_url, "Something is known.", server)

    brief = project / "briefs/test-story/2024-05-07-first.yaml"
    write(brief, MINIMAL_BRIEF.replace("Something is known.", "A newly saved claim."))
    wait_for(brief_url, "A newly saved claim.", server)

    write(brief, MINIMAL_BRIEF.replace("status: confirmed", "status: confirmd"))
    page = wait_for(brief_url, "briefs-errors", server)
    assert "2024-05-07-first.yaml:6:13: error: what_we_know[0].status:" in page
    assert "did you mean 'confirmed'?" in html.unescape(page)
    assert "A newly saved claim." in page  # the last valid version stays below the errors
    assert "<h1" in fetch(url)  # and the server still answers

    write(brief, MINIMAL_BRIEF.replace("Something is known.", "Fixed again."))
    page = wait_for(brief_url, "Fixed again.", server)
    assert "briefs-errors" not in page


def test_serve_shows_drafts_marked(project, preview):
    server, url = preview
    write(project / "briefs/test-story/2024-05-08-draft.yaml", MINIMAL_BRIEF.replace("2024-05-07", "2024-05-08").replace("Something", "Something else") + "draft: true\n")
    page = wait_for(url + "test-story/2024-05-08-draft/", "Draft: this brief is not published.", server)
    assert 'id="what-changed"' in page  # compared with the published brief before it


def test_serve_rejects_a_bad_address(project):
    result = run_briefs(project, "serve", "-a", "nonsense", timeout=60)
    assert result.returncode == 2 and "is not HOST:PORT" in result.stderr


def test_preview_rebuilds_only_the_pages_a_save_changes(project, tmp_path):
    from generator.serve import Preview
    from generator.settings import SiteAddress

    write(project / "briefs/other-story/story.yaml", "title: Other\nsummary: Elsewhere.\n")
    write(project / "briefs/other-story/2024-05-01-quiet.yaml", MINIMAL_BRIEF)
    preview = Preview(project, tmp_path / "preview", SiteAddress.preview("127.0.0.1", 8000), report=lambda problems: None)
    preview.build()
    site = preview.site
    untouched = site / "other-story/2024-05-01-quiet/index.html"
    edited = site / "test-story/2024-05-07-first/index.html"
    before = untouched.stat().st_mtime_ns
    brief = project / "briefs/test-story/2024-05-07-first.yaml"
    brief.write_text(brief.read_text().replace("Something is known.", "Something new is known."))
    preview.build()
    assert "Something new is known." in edited.read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == before


def test_the_preview_links_to_itself_where_a_build_links_to_the_site(project, tmp_path):
    """This run's address (settings.SiteAddress): the preview's feeds,
    briefs.json, embed and canonical links lead to the preview (here at an
    IPv6 address, in brackets), not to the published site; what a page
    tells platforms it is shared as (og:url) stays the published address."""
    import json

    from generator.serve import Preview
    from generator.settings import SiteAddress

    preview = Preview(project, tmp_path / "preview", SiteAddress.preview("::1", 8123), report=lambda problems: None)
    preview.build()
    preview.search.wait()
    site, here, published = preview.site, "http://[::1]:8123/", "https://example.github.io/briefs/"
    feed = (site / "test-story/feed.xml").read_text(encoding="utf-8")
    embed = html.unescape((site / "test-story/embed/index.html").read_text(encoding="utf-8"))
    assert f'href="{here}test-story/2024-05-07-first/"' in feed and f'"{here}test-story/"' in embed
    assert json.loads((site / "briefs.json").read_text(encoding="utf-8"))["site_url"] == here
    assert published not in feed + embed + (site / "briefs.json").read_text(encoding="utf-8")
    page = (site / "test-story/2024-05-07-first/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{here}test-story/2024-05-07-first/">' in page
    assert f'property="og:url" content="{published}test-story/2024-05-07-first/"' in page


def _broken_template(text: str) -> tuple[str, str]:
    line = len(text.splitlines()) + 1
    return text + "{% if %}\n", f"overrides/main.html:{line}:1: error: template syntax: Expected an expression, got 'end of statement block'"


def _unknown_theme(text: str) -> tuple[str, str]:
    return text.replace("  name: material", "  name: materialx"), "mkdocs.yml:1:1: error: MkDocs: Aborted with a configuration error!"


@pytest.mark.parametrize("file, breaking", [("overrides/main.html", _broken_template), ("mkdocs.yml", _unknown_theme)])
def test_a_broken_theme_or_settings_file_is_an_error_line_and_the_preview_goes_on(project, tmp_path, file, breaking):
    from generator.serve import Preview
    from generator.settings import SiteAddress

    reported: list[str] = []
    preview = Preview(project, tmp_path / "preview", SiteAddress.preview("127.0.0.1", 8000),
                      report=lambda problems: reported.extend(p.human() for p in problems))
    preview.build()
    broken = project / file
    good = broken.read_text()
    text, error = breaking(good)
    broken.write_text(text)
    preview.build()  # no exception: the server would go on answering
    assert reported == [error]
    broken.write_text(good)
    brief = project / "briefs/test-story/2024-05-07-first.yaml"
    brief.write_text(brief.read_text().replace("Something is known.", "Something else is known."))
    preview.build()
    assert "Something else is known." in (preview.site / "test-story/2024-05-07-first/index.html").read_text()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("when", ["serving", "during the first build"])
def test_a_stopped_preview_removes_its_temporary_site(project, tmp_path_factory, stop, when):
    temporary = tmp_path_factory.mktemp("tmpdir")
    port = free_port()
    server = start_briefs(project, "serve", "-a", f"127.0.0.1:{port}", env={"TMPDIR": str(temporary)},
                          preexec_fn=as_from_a_terminal)
    try:
        if when == "serving":
            wait_for(f"http://127.0.0.1:{port}/", "Test story", server)
        else:
            deadline = time.monotonic() + PATIENCE
            while not list(temporary.glob("briefs-preview-*")) and time.monotonic() < deadline:
                time.sleep(0.05)
        assert list(temporary.glob("briefs-preview-*"))
        server.send_signal(stop)
        _, stderr = server.communicate(timeout=PATIENCE)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0 and "Traceback" not in stderr, stderr
    assert list(temporary.iterdir()) == []


def test_search_in_the_preview_catches_up_with_a_save(project, preview, browser):
    server, url = preview
    brief_url = url + "test-story/2024-05-07-first/"
    wait_for(brief_url, "Something is known.", server)
    write(project / "briefs/test-story/2024-05-07-first.yaml", MINIMAL_BRIEF.replace("Something is known.", "Zanzibar is known."))
    wait_for(brief_url, "Zanzibar", server)
    page = browser.new_page()
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:  # the index follows the page within seconds, in the background
        page.goto(brief_url, wait_until="load")  # live reload keeps a request open: never network-idle
        page.locator("#briefs-search-query").fill("Zanzibar")
        page.wait_for_function("() => / match|not available/.test(document.getElementById('briefs-search-status').textContent)")
        if "match" in page.locator("#briefs-search-status").inner_text().replace("No brief matches", ""):
            page.locator(".md-search-result__item h2").first.wait_for()
            break
        time.sleep(0.5)
    assert page.locator(".md-search-result__item h2").all_inner_texts() == ["A development"]
    page.close()
