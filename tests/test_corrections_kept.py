"""Corrections are never lost: `briefs check` in a git checkout reports a
correction of the published version (the last commit, or `--against`'s)
that is now gone or changed, matching briefs by story and slug, and a
brief with a correction that is gone."""
from __future__ import annotations

import subprocess

import pytest

from conftest import MINIMAL_BRIEF, run_briefs, write

BRIEF = MINIMAL_BRIEF + """corrections:
  - date: 2024-05-08
    text: "An earlier version gave the length of each stage as 40 days; it is 42."
"""


def git(project, *args):
    subprocess.run(["git", "-c", "user.name=Desk", "-c", "user.email=desk@example.org", *args],
                   cwd=project, check=True, capture_output=True)


@pytest.fixture
def committed(project):
    write(project / "briefs/test-story/2024-05-07-first.yaml", BRIEF)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Publish")
    return project


def test_removed_correction_is_an_error_at_the_brief(committed):
    path = committed / "briefs/test-story/2024-05-07-first.yaml"
    path.write_text(BRIEF.split("corrections:")[0].lstrip() + "corrections: []\n", encoding="utf-8")
    result = run_briefs(committed, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "briefs/test-story/2024-05-07-first.yaml:7:1: error: corrections: the correction of 2024-05-08 "
        "(\"An earlier version gave the length of each stage as 40 days…\") in the published version is gone or changed; "
        "a published correction is never deleted or edited: put it back as it was and add a new one")


def test_changed_correction_is_an_error_and_a_new_one_is_fine(committed):
    path = committed / "briefs/test-story/2024-05-07-first.yaml"
    added = BRIEF.lstrip() + "  - date: 2024-05-09\n    text: A second correction.\n"
    path.write_text(added, encoding="utf-8")
    assert run_briefs(committed, "check").returncode == 0
    path.write_text(added.replace("40 days", "41 days"), encoding="utf-8")
    result = run_briefs(committed, "check")
    assert result.returncode == 1
    assert "2024-05-07-first.yaml:7:1: error: corrections: the correction of 2024-05-08" in result.stderr


def test_rewrapped_correction_is_the_same_correction(committed):
    path = committed / "briefs/test-story/2024-05-07-first.yaml"
    path.write_text(BRIEF.lstrip().replace("length of each", "length\n      of each"), encoding="utf-8")
    assert run_briefs(committed, "check").returncode == 0


@pytest.mark.parametrize("repository", ["none", "no commit yet"])
def test_without_a_last_commit_nothing_is_compared(project, repository):
    if repository == "no commit yet":
        git(project, "init", "-q")
    write(project / "briefs/test-story/2024-05-07-first.yaml", BRIEF)
    result = run_briefs(project, "check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", [".a\nb.yaml", "2024-05-06-a\nb.yaml", ".x\n\n\n.yml"])
def test_a_file_name_with_a_newline_hides_no_deleted_correction(committed, name):
    (committed / "briefs/test-story" / name).write_text("title: x\n", encoding="utf-8")
    git(committed, "add", "-A")
    git(committed, "commit", "-q", "-m", "A file with a newline in its name")
    path = committed / "briefs/test-story/2024-05-07-first.yaml"
    path.write_text(BRIEF.split("corrections:")[0].lstrip() + "corrections: []\n", encoding="utf-8")
    result = run_briefs(committed, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "2024-05-07-first.yaml:7:1: error: corrections: the correction of 2024-05-08" in result.stderr



@pytest.mark.parametrize("against", ["origin/no-such-branch", "--full-tree", "HEAD~5"])
def test_a_commit_to_compare_with_that_is_not_here_is_an_error(committed, against):
    path = committed / "briefs/test-story/2024-05-07-first.yaml"
    path.write_text(BRIEF.split("corrections:")[0].lstrip() + "corrections: []\n", encoding="utf-8")
    result = run_briefs(committed, "check", f"--against={against}")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"briefs:1:1: error: --against {against}: this copy of the project does not hold "
                                    "that version"), result.stderr
    assert run_briefs(committed, "check", "--against=HEAD").returncode == 1  # the deleted correction
    write(path, BRIEF)
    assert run_briefs(committed, "check", "--against=HEAD").returncode == 0


def _without_corrections(text: str) -> str:
    return text.split("corrections:")[0].lstrip() + "corrections: []\n"


@pytest.mark.parametrize("old, new", [(".yaml", ".yml"), (".yml", ".yaml")])
def test_a_brief_renamed_between_yaml_and_yml_keeps_its_corrections(project, old, new):
    """The same brief (same story, same slug): its corrections are compared, not lost."""
    (project / "briefs/test-story/2024-05-07-first.yaml").unlink()
    write(project / f"briefs/test-story/2024-05-07-first{old}", BRIEF)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Publish")
    git(project, "mv", f"briefs/test-story/2024-05-07-first{old}", f"briefs/test-story/2024-05-07-first{new}")
    renamed = project / f"briefs/test-story/2024-05-07-first{new}"
    assert run_briefs(project, "check").returncode == 0  # kept: nothing lost
    renamed.write_text(_without_corrections(BRIEF), encoding="utf-8")
    for against in ([], ["--against=HEAD"]):
        result = run_briefs(project, "check", *against)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0].startswith(
            f"briefs/test-story/2024-05-07-first{new}:7:1: error: corrections: the correction of 2024-05-08 "), result.stderr
    git(project, "commit", "-q", "-am", "The correction dropped with the rename")  # one step behind: --against catches it
    result = run_briefs(project, "check", "--against=HEAD~1")
    assert result.returncode == 1
    assert f"2024-05-07-first{new}:7:1: error: corrections: the correction of 2024-05-08 (" in result.stderr
    assert "in the published version (HEAD~1) is gone or changed" in result.stderr


def _delete(project):
    (project / "briefs/test-story/2024-05-07-first.yaml").unlink()


def _rename(project):
    path = project / "briefs/test-story/2024-05-07-first.yaml"
    path.rename(path.with_name("2024-05-07-first-talks.yml"))


def _move(project):
    write(project / "briefs/other-story/story.yaml", "title: Other\nsummary: Elsewhere.\n")
    (project / "briefs/test-story/2024-05-07-first.yaml").rename(project / "briefs/other-story/2024-05-07-first.yaml")


@pytest.mark.parametrize("gone, now_in", [(_delete, None), (_rename, "briefs/test-story/2024-05-07-first-talks.yml"),
                                          (_move, "briefs/other-story/2024-05-07-first.yaml")],
                         ids=["deleted", "renamed to another slug", "moved to another story"])
def test_a_brief_with_a_correction_that_disappears_is_an_error_naming_it_and_the_draft_step(committed, gone, now_in):
    write(committed / "briefs/test-story/2024-05-06-earlier.yaml", MINIMAL_BRIEF)  # the story stays published
    gone(committed)
    result = run_briefs(committed, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    seen = f" (its corrections are now in {now_in})" if now_in else ""
    assert result.stderr.splitlines()[0] == (
        f"briefs/test-story/2024-05-07-first.yaml:1:1: error: this brief is gone{seen}, and it had a correction in the "
        "published version (2024-05-08); a brief with a published correction is never deleted, renamed or moved to "
        "another story: to take it off the site, put it back here as it was, with 'draft: true' and its corrections kept")
    assert "HEAD" not in result.stderr


def test_unpublishing_as_the_error_says_passes(committed):
    """The step the error names: the brief back, as a draft, its corrections kept."""
    write(committed / "briefs/test-story/2024-05-06-earlier.yaml", MINIMAL_BRIEF)
    path = committed / "briefs/test-story/2024-05-07-first.yaml"
    path.unlink()
    assert run_briefs(committed, "check").returncode == 1
    write(path, BRIEF + "draft: true\n")
    result = run_briefs(committed, "check")
    assert result.returncode == 0, result.stderr
    site = committed / "site"
    assert run_briefs(committed, "build").returncode == 0
    assert not (site / "test-story/2024-05-07-first").exists()


def test_a_brief_without_corrections_may_go(committed):
    write(committed / "briefs/test-story/2024-05-06-earlier.yaml", MINIMAL_BRIEF)
    git(committed, "add", "-A")
    git(committed, "commit", "-q", "-m", "Another brief")
    (committed / "briefs/test-story/2024-05-06-earlier.yaml").unlink()
    result = run_briefs(committed, "check")
    assert result.returncode == 0, result.stderr
