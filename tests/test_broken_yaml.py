"""Broken YAML costs an editor one error line with its place, never more."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, run_briefs
from generator.load_yaml import load_yaml_bytes

BRIEF = "briefs/test-story/2024-05-07-first.yaml"

ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
) + "title: *i\n"

CASES = [
    # (file bytes, line, column, words in the error)
    (ALIAS_BOMB.encode(), 2, 8, "aliases (*a) are not allowed"),
    (b"title: x\n" + b"# " + b"x" * (1024 * 1024) + b"\n", 1, 1, "1 MiB"),
    (b"title: " + b"[" * 40 + b"]" * 40 + b"\n", 1, 8 + 23, "nested more than 24"),
    (b"title: x\nsummary:\n\t- y\n", 3, 1, "tab"),
    (b"title: x\nsummary: caf\xe9\n", 2, 13, "not UTF-8"),
    (b"title: x\nsummary: a\x01b\n", 2, 11, "control character U+0001"),
    (MINIMAL_BRIEF.encode() + b"---\ntitle: again\n", 8, 1, "more than one YAML document"),
    (b"", 1, 1, "empty"),
    (b"   \n\n", 1, 1, "empty"),
    (b"- title: x\n- date: 2024-05-07\n", 1, 1, "mapping"),
    (b"title: [unclosed\n", 1, 8, "this [ opened on line 1 is never closed: end it with ] (YAML syntax"),
]


@pytest.mark.parametrize("content, line, column, words", CASES,
                         ids=["alias-bomb", "over-1MiB", "deep", "tab", "bad-byte", "control-char", "two-docs", "empty", "blank",
                              "list-not-mapping", "syntax"])
def test_broken_file_is_one_error_with_its_place(project: Path, content: bytes, line: int, column: int, words: str):
    (project / BRIEF).write_bytes(content)
    result = run_briefs(project, "check", timeout=30)  # a bomb that expanded would time out here
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [e for e in result.stderr.splitlines() if ": error: " in e]
    assert errors, result.stderr
    place = re.compile(rf"^briefs/test-story/2024-05-07-first\.yaml:{line}:{column}: error: .*{re.escape(words)}", re.I)
    assert any(place.match(error) for error in errors), result.stderr


SLIPS = sorted((Path(__file__).parent / "fixtures/invalid").glob("yaml-slip-*.yaml"))


@pytest.mark.parametrize("line_break", ["\r\n", "\r", "\x85", "\u2028", "\u2029"], ids=["CRLF", "CR", "NEL", "LS", "PS"])
def test_yaml_slips_keep_their_line_with_any_line_break(line_break: str):
    """Every YAML line break counts as one: a slip is reported on the same
    line, with the same words, whichever break the file uses."""
    for fixture in SLIPS:
        text = fixture.read_text(encoding="utf-8")
        expected = load_yaml_bytes(text.encode(), "f")[1]
        assert load_yaml_bytes(text.replace("\n", line_break).encode(), "f")[1] == expected, fixture.name
