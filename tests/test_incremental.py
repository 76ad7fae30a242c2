"""Incremental rendering: a build rewrites only the Markdown pages whose
content changed, so MkDocs' caching and the preview see real changes only."""
from __future__ import annotations

import os

import pytest
from pathlib import Path

from conftest import copy_project, run_briefs, write
from generator.build import check_project, render_project
from generator.problems import ContentErrors
from generator.render import PageCache
from generator.validate import ParsedFiles

STORY = """
title: Test story
summary: Where things stand.
tags: [Topic]
"""


def brief(title: str, day: int) -> str:
    return f"""
title: {title}
date: 2024-05-{day:02d}
summary: What happened on day {day}.
what_we_know:
  - text: Something is known on day {day}.
    status: confirmed
"""


def markdown_mtimes(project: Path) -> dict[str, int]:
    docs = project / "build/docs"
    return {p.relative_to(docs).as_posix(): p.stat().st_mtime_ns for p in docs.rglob("*.md")}


def age(project: Path) -> None:
    """Set every page's mtime to the past, so a rewrite shows even on coarse clocks."""
    for path in (project / "build/docs").rglob("*.md"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))


def two_stories(tmp_path: Path) -> Path:
    project = copy_project(tmp_path, with_briefs=False)
    write(project / "briefs/story-a/story.yaml", STORY)
    write(project / "briefs/story-b/story.yaml", STORY.replace("Test story", "Other story"))
    for day in range(1, 10):  # more than a sidebar's neighbours on each side
        write(project / f"briefs/story-a/2024-05-{day:02d}-day.yaml", brief(f"Day {day}", day))
    write(project / "briefs/story-b/2024-04-01-other.yaml", brief("Elsewhere", 1).replace("2024-05-01", "2024-04-01"))
    return project


def test_unchanged_pages_keep_their_mtime_and_a_change_rewrites_only_its_pages(tmp_path):
    project = two_stories(tmp_path)
    assert run_briefs(project, "build").returncode == 0
    age(project)
    before = markdown_mtimes(project)

    assert run_briefs(project, "build").returncode == 0
    assert markdown_mtimes(project) == before, "a build with no change rewrote pages"

    # A new title shows on the brief, its story hub, its neighbours' sidebars and its
    # tag's page (not on the home page, which shows each story's newest development).
    changed = project / "briefs/story-a/2024-05-05-day.yaml"
    changed.write_text(changed.read_text().replace("title: Day 5", "title: Day five"))
    assert run_briefs(project, "build").returncode == 0
    after = markdown_mtimes(project)
    rewritten = {name for name in before if after[name] != before[name]}
    neighbours = {f"story-a/2024-05-{day:02d}-day.md" for day in (2, 3, 4, 6, 7, 8)}
    assert rewritten == {"story-a/2024-05-05-day.md", "story-a/index.md", "tags/topic.md", *neighbours}
    assert "Day five" in (project / "site/story-a/2024-05-05-day/index.html").read_text()
    age(project)

    # A claim shows on the brief's page, in the next brief's What changed, which
    # compares with it, and in its story hub's record of claims (a reworded claim
    # without an id is a new one, and the old wording is no longer listed); nowhere else.
    changed.write_text(changed.read_text().replace("known on day 5.", "known, revised."))
    assert run_briefs(project, "build").returncode == 0
    after = markdown_mtimes(project)
    rewritten = {name for name in after if after[name] != 1_000_000_000}
    assert rewritten == {"story-a/2024-05-05-day.md", "story-a/2024-05-06-day.md", "story-a/index.md"}


def test_a_preview_renders_again_only_the_pages_a_save_affects(tmp_path):
    """`briefs serve` keeps a PageCache between saves."""
    project = two_stories(tmp_path)
    cache = PageCache()
    render_project(project, check_project(project), cache)
    first = {name: text for name, (_, text) in cache.pages.items()}
    assert "story-b/index.md" in first and "story-a/2024-05-05-day.md" in first

    changed = project / "briefs/story-a/2024-05-05-day.yaml"
    changed.write_text(changed.read_text().replace("title: Day 5", "title: Day five"))
    render_project(project, check_project(project), cache)
    rendered = {name for name, (_, text) in cache.pages.items() if text is not first[name]}
    neighbours = {f"story-a/2024-05-{day:02d}-day.md" for day in (2, 3, 4, 6, 7, 8)}
    assert rendered == {"story-a/2024-05-05-day.md", "story-a/index.md", "tags/topic.md", *neighbours}
    assert "Day five" in (project / "build/docs/story-a/2024-05-05-day.md").read_text()


def test_a_preview_parses_again_only_the_files_a_save_changed(tmp_path):
    """`briefs serve` keeps ParsedFiles between saves; errors stay until fixed."""
    project = two_stories(tmp_path)
    parsed = ParsedFiles()
    check_project(project, parsed=parsed)
    first = {key[0].name + key[0].parent.name: value for key, (_, value, _) in parsed.files.items()}
    assert len(first) == 12  # 2 stories, 10 briefs

    changed = project / "briefs/story-a/2024-05-05-day.yaml"
    changed.write_text(changed.read_text().replace("title: Day 5", "title: Day five"))
    check_project(project, parsed=parsed)
    again = {key[0].name for key, (_, value, _) in parsed.files.items() if value is not first[key[0].name + key[0].parent.name]}
    assert again == {"2024-05-05-day.yaml"}

    broken = project / "briefs/story-a/2024-05-06-day.yaml"
    broken.write_text(broken.read_text().replace("status: confirmed", "status: confirmd"))
    for _ in range(2):  # the second check takes the file from ParsedFiles, with its error
        with pytest.raises(ContentErrors) as raised:
            check_project(project, parsed=parsed)
        assert [p.human() for p in raised.value.problems] == [
            "briefs/story-a/2024-05-06-day.yaml:6:13: error: what_we_know[0].status: "
            "'confirmd' is not one of confirmed, reported, claimed, disputed, debunked; did you mean 'confirmed'?"]


def test_theme_templates_are_kept_compiled_and_an_edit_still_shows(tmp_path):
    project = two_stories(tmp_path)
    assert run_briefs(project, "build").returncode == 0
    compiled = sorted((project / "build/jinja").iterdir())
    assert len(compiled) > 10  # Material's templates and ours, compiled once

    main = project / "overrides/main.html"
    main.write_text(main.read_text().replace("{% block extrahead %}\n  {{ super() }}",
                                             "{% block extrahead %}\n  {{ super() }}\n  <meta name=\"edited\" content=\"yes\">"))
    assert run_briefs(project, "build").returncode == 0
    assert '<meta name="edited" content="yes">' in (project / "site/story-a/index.html").read_text()
