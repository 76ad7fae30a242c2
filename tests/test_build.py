"""`briefs build` end to end: the contract's pages, nothing lost, nothing
published on error."""
from __future__ import annotations

import dataclasses
import hashlib
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import EXAMPLE_PROJECT, MINIMAL_BRIEF, ROOT, copy_project, run_briefs, write
from generator.build import check_project
from generator.schema import PartialDate
from generator.text import RichText
from pages import article_text, page_path

NOT_SHOWN_AS_WRITTEN = {"id", "slug", "story", "path", "status", "draft", "date", "updated", "tags", "node", "work_type"}


def editor_words(value) -> list[str]:
    """Every text an editor wrote in a model value, as a reader should see it."""
    if isinstance(value, RichText):
        return [value.plain] if value.plain else []
    if isinstance(value, str):
        return [" ".join(value.split())]
    if isinstance(value, tuple):
        return [word for item in value for word in editor_words(item)]
    if dataclasses.is_dataclass(value) and not isinstance(value, PartialDate):
        return [word for field in dataclasses.fields(value) if field.name not in NOT_SHOWN_AS_WRITTEN
                for word in editor_words(getattr(value, field.name))]
    return []


def test_example_site_has_the_contract_pages(example_site: Path):
    project = check_project(EXAMPLE_PROJECT)
    assert page_path(example_site, "").is_file()
    for entry in project.stories:
        assert page_path(example_site, f"{entry.story.slug}/").is_file()
        for brief in entry.briefs:
            assert page_path(example_site, f"{entry.story.slug}/{brief.slug}/").is_file()
    assert len(project.stories) == 1 and len(project.stories[0].briefs) >= 2


def test_every_word_an_editor_wrote_is_on_its_page(example_site: Path):
    project = check_project(EXAMPLE_PROJECT)
    checked = 0
    for entry in project.stories:
        for brief in entry.briefs:
            text = article_text(page_path(example_site, f"{entry.story.slug}/{brief.slug}/"))
            for words in editor_words(brief):
                assert words in text, f"{brief.path}: {words!r} is not on the page"
                checked += 1
        hub = article_text(page_path(example_site, f"{entry.story.slug}/"))
        for words in editor_words(entry.story) + [c.text.plain for c in entry.briefs[-1].what_we_know]:
            assert words in hub
    assert checked > 100


def test_claims_show_their_status_and_their_sources_by_name(example_site: Path):
    page = page_path(example_site, "gaza-truce-talks/2024-05-07-cairo-talks-resume/").read_text(encoding="utf-8")
    assert 'brief-status--claimed' in page and "Claimed" in page
    assert 'href="#source-1"' in page and 'id="source-1"' in page
    assert re.search(r'<a class="brief-cite"[^>]* href="#source-1"[^>]*>Le Parisien</a>', page)


def test_home_shows_each_storys_newest_development(example_site: Path):
    text = article_text(page_path(example_site, ""))
    assert "Truce talks resume in Cairo" in text and "Gaza truce negotiations" in text
    assert "Israeli tanks enter Rafah" not in text  # an older development of the same story


def test_types_come_from_the_contract_not_from_yaml(project: Path):
    fixture = ROOT / "tests/fixtures/valid/types-by-contract.yaml"
    (project / "briefs/test-story/2024-05-07-types.yaml").write_bytes(fixture.read_bytes())
    brief = next(b for b in check_project(project).stories[0].briefs if b.slug == "2024-05-07-types")
    assert brief.title == "1984" and brief.question == "no" and brief.location == "007"
    assert brief.authors == ("true", "3.14") and brief.tags == ("2024", "yes")
    assert brief.positions[0].party == "NO" and brief.positions[0].quotes[0].text.plain == "ON"
    assert [e.date.iso for e in brief.timeline] == ["2007", "2023-10"]
    assert brief.draft is False
    assert brief.updated.tzinfo is not None  # the site's time zone


def test_raw_html_and_entities_show_as_written(project: Path):
    (project / "briefs/test-story/2024-05-07-types.yaml").write_bytes(
        (ROOT / "tests/fixtures/valid/types-by-contract.yaml").read_bytes())
    assert run_briefs(project, "build").returncode == 0
    text = article_text(page_path(project / "site", "test-story/2024-05-07-types/"))
    assert "<b>not bold</b> &lt; S&P 500" in text
    page = page_path(project / "site", "test-story/2024-05-07-types/").read_text(encoding="utf-8")
    assert "<b>not bold</b>" not in page
    assert "<em>Emphasis</em>" in page and "<code>code</code>" in page


def test_check_says_what_it_checked_and_exits_0_on_the_example(tmp_path: Path):
    result = run_briefs(copy_project(tmp_path), "check")
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 story, 2 briefs: no errors.\n", "")


def test_build_reports_where_the_site_is(project: Path):
    result = run_briefs(project, "build")
    assert result.returncode == 0, result.stderr
    assert "Built 1 brief in 1 story" in result.stdout
    assert result.stderr == ""  # MkDocs' output has no noise
    # Opened from the disk, every folder link shows a listing: the advice is a server.
    assert "index.html" not in result.stdout
    assert "`make serve` (or `briefs serve`), then open http://127.0.0.1:8000/" in result.stdout


def test_build_timings_name_every_stage_in_the_order_it_started(project: Path):
    """`briefs build --timings`: what a newsroom reads when its CI build is
    slow; the stages the build's forked process ran are in it too."""
    result = run_briefs(project, "build", "--timings")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Built 1 brief") and lines[1].split() == ["start", "wall", "CPU", "stage", "(seconds)"]
    end = next(i for i, line in enumerate(lines) if line.endswith("whole build"))
    rows, whole = lines[2:end], lines[end]
    stages = [row.split(maxsplit=3) for row in rows]
    assert [name for *_, name in stages] == [
        "check", "cards: which to draw; workers started on them", "render (Markdown of every page)", "HTML pages (mkdocs)",
        "search pages (our render of each brief)", "search index (Pagefind, beside the two stages above)", "feeds, data files, JSON Schemas",
        "cards: the rest drawn, every card linked", "publish (the new site swapped in)"]
    took = float(whole.split()[1])
    assert whole.split()[2:] == ["whole", "build"]
    for start, wall, cpu, name in stages:
        assert 0 <= float(start) and float(start) + float(wall) <= took + 0.01, name
        assert float(cpu) >= 0, name
    assert float(stages[3][2]) > 0  # MkDocs' CPU, counted in the forked process that ran it
    assert "stage" not in run_briefs(project, "build").stdout  # only when asked


def test_the_server_build_suggests_shows_the_site_with_working_links(project: Path):
    result = run_briefs(project, "build")
    command = shlex.split(result.stdout.split("as published: ")[1].strip())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    command = [sys.executable if word == "python3" else port if word == "8000" else word for word in command]
    server = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        home = _get_when_up(f"http://127.0.0.1:{port}/")
        story = re.search(r'href="(test-story/)"', home).group(1)
        assert "<article" in _get_when_up(f"http://127.0.0.1:{port}/{story}")
    finally:
        server.terminate()
        server.wait()


def _get_when_up(url: str) -> str:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url) as response:
                return response.read().decode("utf-8")
        except urllib.error.URLError:  # not listening yet
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_the_previous_site_as_it_was(project: Path):
    assert run_briefs(project, "build").returncode == 0
    before = tree_digest(project / "site")
    write(project / "briefs/test-story/2024-05-08-broken.yaml", MINIMAL_BRIEF.replace("confirmed", "confirmd"))
    result = run_briefs(project, "build")
    assert result.returncode == 1
    assert "what_we_know[0].status: 'confirmd' is not one of" in result.stderr
    assert tree_digest(project / "site") == before
    assert not list(project.glob(".site-*"))


def test_a_broken_theme_template_is_an_error_line_and_publishes_nothing(project: Path):
    assert run_briefs(project, "build").returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*.html")}
    main = project / "overrides/main.html"
    main.write_text(main.read_text().replace("{% block extrahead %}", "{% block extrahead %}{{ page.meta.nothing.deeper }}"))
    result = run_briefs(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("overrides/main.html:")
    assert ": error: template: " in result.stderr
    assert {p: p.read_bytes() for p in (project / "site").rglob("*.html")} == before


def test_usage_mistakes_exit_2(project: Path):
    assert run_briefs(project, "publish").returncode == 2
    assert run_briefs(project / "briefs", "check").returncode == 2  # not the project root


def test_a_story_folder_can_be_empty_of_briefs_and_is_not_published(tmp_path: Path):
    copy_project(tmp_path, with_briefs=False)
    write(tmp_path / "briefs/quiet-story/story.yaml", "title: Quiet\nsummary: Nothing yet.\n")
    assert run_briefs(tmp_path, "build").returncode == 0
    assert not (tmp_path / "site/quiet-story").exists()  # test_check_words.py: nothing of it anywhere
