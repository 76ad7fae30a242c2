"""What `briefs check` tells an editor besides errors: the line saying what
a clean check read, and a note naming each story that is not published yet
(no brief, or only drafts), which is not an error and leaves the story off
every page, feed, sitemap and briefs.json."""
from __future__ import annotations

import json

from conftest import MINIMAL_BRIEF, MINIMAL_STORY, built_site, run_briefs, write
from generator.build import check_project

DRAFT_BRIEF = MINIMAL_BRIEF + "draft: true\n"
DRAFTS_ONLY_NOTE = ("briefs/quartz-drafts/story.yaml:1:1: note: this story is not published yet: its 2 briefs are all "
                    "drafts (draft: true); set draft: false in a brief, or delete that line, to publish it")
NO_BRIEF_NOTE = ("briefs/basalt-empty/story.yaml:1:1: note: this story is not published yet: it has no brief yet; "
                 "add a brief file to briefs/basalt-empty/ (briefs new basalt-empty \"<title>\" writes one)")


def _with_unpublished_stories(project):
    write(project / "briefs/test-story/2024-05-08-second.yaml", DRAFT_BRIEF)
    write(project / "briefs/quartz-drafts/story.yaml", MINIMAL_STORY.replace("Test story", "Quartz saga"))
    write(project / "briefs/quartz-drafts/2024-05-07-a.yaml", DRAFT_BRIEF)
    write(project / "briefs/quartz-drafts/2024-05-08-b.yaml", DRAFT_BRIEF)
    write(project / "briefs/basalt-empty/story.yaml", MINIMAL_STORY.replace("Test story", "Basalt saga"))
    return project


def test_a_clean_check_says_what_it_checked(project):
    write(project / "briefs/test-story/2024-05-08-second.yaml", DRAFT_BRIEF)
    write(project / "briefs/other/story.yaml", MINIMAL_STORY)
    write(project / "briefs/other/2024-05-07-a.yaml", MINIMAL_BRIEF)
    first = run_briefs(project, "check")
    assert (first.returncode, first.stdout, first.stderr) == (0, "2 stories, 3 briefs (1 draft): no errors.\n", "")
    again = run_briefs(project, "check")  # the files are known to the check's cache now, drafts too
    assert (again.returncode, again.stdout) == (0, "2 stories, 3 briefs (1 draft): no errors.\n")


def test_one_story_one_brief_no_draft(project):
    result = run_briefs(project, "check")
    assert result.stdout == "1 story, 1 brief: no errors.\n"


def test_a_story_whose_only_brief_is_a_draft(project):
    write(project / "briefs/test-story/2024-05-07-first.yaml", DRAFT_BRIEF)
    result = run_briefs(project, "check")
    assert (result.returncode, result.stdout) == (0, "1 story, 1 brief (1 draft): no errors.\n")
    assert result.stderr == ("briefs/test-story/story.yaml:1:1: note: this story is not published yet: its only brief "
                             "is a draft (draft: true); set draft: false in it, or delete that line, to publish it\n")


def test_stories_with_nothing_published_are_named_in_notes_not_errors(project):
    _with_unpublished_stories(project)
    result = run_briefs(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [NO_BRIEF_NOTE, DRAFTS_ONLY_NOTE]
    assert result.stdout == "3 stories, 4 briefs (3 drafts): no errors.\n"
    github = run_briefs(project, "check", "--format", "github")
    assert github.returncode == 0
    assert ("::notice file=briefs/quartz-drafts/story.yaml,line=1,col=1::this story is not published yet: its 2 briefs "
            "are all drafts (draft: true); set draft: false in a brief, or delete that line, to publish it"
            in github.stdout.splitlines())


def test_notes_are_printed_beside_errors(project):
    _with_unpublished_stories(project)
    write(project / "briefs/test-story/2024-05-09-broken.yaml", MINIMAL_BRIEF.replace("status: confirmed", "status: sure"))
    result = run_briefs(project, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert NO_BRIEF_NOTE in lines and DRAFTS_ONLY_NOTE in lines and lines[-1] == "1 error."
    assert result.stdout == ""


def test_a_story_with_nothing_published_is_on_no_page(project):
    _with_unpublished_stories(project)
    built_site(project)
    site = project / "site"
    assert not (site / "quartz-drafts").exists() and not (site / "basalt-empty").exists()
    assert (site / "test-story/index.html").is_file()
    made = {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8", errors="replace")
            for path in site.rglob("*") if path.is_file() and path.suffix in (".html", ".xml", ".json")}
    for name, text in made.items():
        assert "quartz-drafts" not in text and "Quartz saga" not in text, name
        assert "basalt-empty" not in text and "Basalt saga" not in text, name
    assert [entry["story"]["slug"] if isinstance(entry.get("story"), dict) else entry.get("story")
            for entry in json.loads(made["briefs.json"])["briefs"]] == ["test-story"]


def test_with_drafts_the_drafts_only_story_is_published(project):
    _with_unpublished_stories(project)
    stories = [entry.story.slug for entry in check_project(project, include_drafts=True).stories]
    assert sorted(stories) == ["quartz-drafts", "test-story"]
    assert [entry.story.slug for entry in check_project(project, include_drafts=False).stories] == ["test-story"]
