"""Corrections are never lost: `briefs check` in a git checkout reports a
correction of the last commit that is now gone or changed."""
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
        "(\"An earlier version gave the length of each stage as 40 days…\") in HEAD is gone or changed; "
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
    assert result.stderr.startswith(f"briefs:1:1: error: --against {against}: there is no such commit here"), result.stderr
    assert run_briefs(committed, "check", "--against=HEAD").returncode == 1  # the deleted correction
    write(path, BRIEF)
    assert run_briefs(committed, "check", "--against=HEAD").returncode == 0
