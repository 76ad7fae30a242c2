"""`--format github`: each error also as a GitHub Actions annotation, so it
shows on the line of the pull request that caused it."""
from __future__ import annotations

import os
import re

import pytest

from conftest import run_briefs, write
from generator.problems import Problem

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


# Editor text that a terminal or the Actions runner would read as a
# command if printed raw: keys and file names with line breaks, ESC, bidi.
HOSTILE_KEYS = (
    '"a\\n::warning file=x::pwned": 1\n'
    '"b\\r\\n::stop-commands::tok": 2\n'
    '"c\\u2028::error::d\\u0085e\\u202ef": 3\n'
    "? |\n  g\n  ::add-mask::h\n: 4\n"
)
HOSTILE_FILE_NAMES = ["x\n::warning::y.yaml", "x\x1b[2J\x1b]0;t\x07.yaml", "x\u2028::error::\u202ey.yaml", "x\r::debug::y"]


@pytest.mark.parametrize("output_format", ["human", "github"])
def test_quoted_text_in_an_error_is_one_line_that_no_runner_or_terminal_obeys(project, output_format):
    brief = project / "briefs/test-story/2024-05-07-first.yaml"
    brief.write_text(brief.read_text(encoding="utf-8") + HOSTILE_KEYS, encoding="utf-8")
    for name in HOSTILE_FILE_NAMES:
        (project / "briefs/test-story" / name).write_text("title: x\n", encoding="utf-8")
    result = run_briefs(project, "check", "--format", output_format)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = result.stderr.splitlines()
    # 6 in the brief, 4 bad file names, and the 3 missing keys of each badly named brief (their content is checked too)
    assert errors[-1] == "19 errors.", errors
    assert all(line.startswith("briefs/test-story/") for line in errors[:-1]), errors
    assert all(line.startswith("::error file=briefs/test-story/") for line in result.stdout.splitlines())
    assert len(result.stdout.splitlines()) == (19 if output_format == "github" else 0)
    for shown in (result.stdout, result.stderr):
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", shown)
    assert "unknown key 'a\\n::warning file=x::pwned'" in result.stderr
    assert "unknown key 'g\\n::add-mask::h\\n'" in result.stderr
    assert "briefs/test-story/x\\x1b[2J\\x1b]0;t\\x07.yaml:1:1: error:" in result.stderr


def test_a_file_name_that_is_not_utf8_is_an_error_line(project):
    (project / os.fsdecode(b"briefs/test-story/2024-05-08-caf\xe9.yaml")).write_text("title: x\n", encoding="utf-8")
    result = run_briefs(project, "check", "--format", "github")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "briefs/test-story/2024-05-08-caf\\xe9.yaml:1:1: error: '2024-05-08-caf\\xe9' is not a valid brief file name" in result.stderr
    assert "::error file=briefs/test-story/2024-05-08-caf\\xe9.yaml,line=1,col=1::" in result.stdout


def test_every_message_is_made_visible_in_one_place():
    problem = Problem("briefs/a\nb.yaml", 1, 2, "key 'x\ny\x1b[31m\u2028\u202e\x85\t'")
    assert problem.human() == "briefs/a\\nb.yaml:1:2: error: key 'x\\ny\\x1b[31m\\u2028\\u202e\\x85\\t'"
    assert problem.github() == "::error file=briefs/a\\nb.yaml,line=1,col=2::key 'x\\ny\\x1b[31m\\u2028\\u202e\\x85\\t'"
