"""`--format github`: each error also as a GitHub Actions annotation, so it
shows on the line of the pull request that caused it."""
from __future__ import annotations

import pytest

from conftest import run_briefs, write

MISSPELT = """
title: A development
date: 2024-05-07
summary: "What happened: 100% of it, in one, two, three words."
what_we_know:
  - text: Something is known.
    status: confirmd
"""


@pytest.mark.parametrize("command", ["check", "build"])
def test_errors_are_annotations_on_their_line(project, command):
    write(project / "briefs/test-story/2024-05-07-first.yaml", MISSPELT)
    result = run_briefs(project, command, "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=briefs/test-story/2024-05-07-first.yaml,line=6,col=13::"
        "what_we_know[0].status: 'confirmd' is not one of confirmed, reported, claimed, disputed, debunked; "
        "did you mean 'confirmed'?"
    ]
    assert ("briefs/test-story/2024-05-07-first.yaml:6:13: error: what_we_know[0].status: 'confirmd' is not one of"
            in result.stderr)
    assert not (project / "site").exists()


def test_annotation_escapes_what_workflow_commands_read(project):
    write(project / "briefs/test-story/2024-05-07-first.yaml", "title: A\ndate: 2024-05-07\nsummary: S\nwhat_we_know:\n  - text: T\n    status: confirmed\n    sta%tus: x\n")
    (project / "briefs/test-story/a,b:c.yaml").write_text("title: x\n", encoding="utf-8")
    result = run_briefs(project, "check", "--format", "github")
    assert result.returncode == 1
    assert "::error file=briefs/test-story/a%2Cb%3Ac.yaml,line=1,col=1::" in result.stdout
    assert ("::error file=briefs/test-story/2024-05-07-first.yaml,line=7,col=5::what_we_know[0]: "
            "unknown key 'sta%25tus'; did you mean 'status'?") in result.stdout


def test_human_format_prints_no_annotations(project):
    write(project / "briefs/test-story/2024-05-07-first.yaml", MISSPELT)
    result = run_briefs(project, "check")
    assert result.returncode == 1 and result.stdout == ""
    assert "::error" not in result.stderr
