"""One line-break rule, and text that is text.

Any of YAML's line breaks (LF, CR, CRLF, NEL, LS, PS) is a line break for
every rule and every line number; control characters, noncharacters and
lone surrogates are errors at their place in every key and value, typed
raw or as YAML escapes, so they never reach a page, a feed or JSON."""
from __future__ import annotations

import re
import xml.dom.minidom
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, copy_project, run_briefs, write
from generator import load_yaml
from generator.build import check_project
from generator.problems import ContentErrors
from test_broken_yaml import ALIAS_BOMB, BRIEF

BREAKS = {"CR": "\r", "CRLF": "\r\n", "NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}


def errors(project: Path) -> list[str]:
    try:
        check_project(project)
    except ContentErrors as found:
        return [problem.human() for problem in found.problems]
    return []


def line_start_bomb(line_break: str) -> str:
    """An alias bomb whose anchors and aliases all start a line: 9 ** 9
    values, about 1 kB."""
    levels = ["a:{n} &a [lol" + ",lol" * 8 + "]"] + [
        f"{chr(98 + i)}:{{n}} &{chr(98 + i)} [" + ",".join(["{n}*" + chr(97 + i)] * 9) + "]" for i in range(8)
    ]
    return ("{n}".join(levels) + "{n}title: x{n}").replace("{n}", line_break)


@pytest.mark.parametrize("name", BREAKS)
@pytest.mark.parametrize("bomb", [ALIAS_BOMB, line_start_bomb("\n")], ids=["after-indicators", "at-line-starts"])
def test_an_alias_bomb_is_one_error_whatever_breaks_its_lines(project: Path, name: str, bomb: str):
    (project / BRIEF).write_bytes(bomb.replace("\n", BREAKS[name]).encode())
    result = run_briefs(project, "check", timeout=30)  # a bomb that expanded would time out here
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "alias" in line or "anchor" in line]
    assert len(lines) == 1, result.stderr  # one line for the file, not one per alias or anchor
    assert re.match(f"{BRIEF}:[25]:[18]: error: YAML aliases \\(\\*a\\) are not allowed; .* the 9 anchors", lines[0]), lines


@pytest.mark.parametrize("text", [
    "a: [x,\n\ufeff*a]\n",  # libyaml skips a byte order mark at a line's start
    "a: [x,\u2028*a]\n",
    "a:\r  &a x\r",
    "a:\x85  !!int 3\x85",
    "a: x\u2029--- \u2029b: y\u2029",
    *(line_start_bomb(line_break) for line_break in BREAKS.values()),
])
def test_the_guard_sends_every_special_file_to_the_event_walk(text: str):
    assert load_yaml.may_be_special(text)


def test_an_alias_past_the_guard_still_costs_one_error(monkeypatch):
    monkeypatch.setattr(load_yaml, "may_be_special", lambda text: False)
    node, problems = load_yaml.load_yaml_bytes(ALIAS_BOMB.encode(), "bomb.yaml")
    assert node is None
    assert [p.human() for p in problems] == ["bomb.yaml:1:1: error: YAML anchors and aliases are not allowed; write each value out"]


# Files whose error must be at the same place whatever breaks their lines:
# (content with {n} for a line break, the error with LF).
PLACES = [
    ("title: x{n}summary: &a y{n}", "2:10: error: YAML anchors (&a) are not allowed"),
    ("title: x{n}summary: *a{n}", "2:10: error: YAML aliases (*a) are not allowed"),
    ("title: x{n}summary: !!int 3{n}", "2:10: error: YAML tags (!!int) are not allowed"),
    ("title: x{n}{n}summary: y{n}sumary: z{n}", "4:1: error: unknown key 'sumary'; did you mean 'summary'?"),
    ('title: x{n}{n}summary: "a\\x01"{n}', "3:12: error: the control character U+0001 is not allowed"),
    ("title: x{n}{n}summary: a\x01b{n}", "3:11: error: the control character U+0001 is not allowed"),
    ("title: x{n}{n}summary: é\x01b{n}", "3:11: error: the control character U+0001 is not allowed"),
    ("title: x{n}{n}summary: caf<bad>{n}", "3:13: error: byte 0xe9 is not UTF-8"),
    ("title: x{n}{n}summary: a\x00b{n}", "3:11: error: the file contains a NUL character"),
    ("title: x{n}{n}summary: [a{n}", "3:10: error: this [ opened on line 3 is never closed"),
    ("title: x{n}{n}summary:{n}\t- y{n}", "4:1: error: a tab character is not allowed here"),
    ("title: x{n}{n}summary: y{n}---{n}title: z{n}", "4:1: error: the file holds more than one YAML document"),
]


@pytest.mark.parametrize("name", BREAKS)
@pytest.mark.parametrize("content, expected", PLACES, ids=[e.split(": error: ")[1][:24] for _, e in PLACES])
def test_every_line_number_counts_every_line_break(project: Path, name: str, content: str, expected: str):
    path = project / BRIEF
    for line_break, wanted in (("\n", expected), (BREAKS[name], expected)):
        path.write_bytes(content.replace("{n}", line_break).encode().replace(b"<bad>", b"\xe9"))
        found = errors(project)
        assert any(line.startswith(f"{BRIEF}:{wanted}") for line in found), (name, found)


# Not text, in every key and value: typed as a YAML escape, or raw where
# libyaml's reader lets it through.
ESCAPES = {
    "\\x01": "U+0001", "\\x1f": "U+001F", "\\x7f": "U+007F", "\\x80": "U+0080", "\\x9f": "U+009F",
    "\\e": "U+001B", "\\0": "U+0000", "\\r": "U+000D", "\\N": "U+0085", "\\v": "U+000B",
    "\\uFFFE": "U+FFFE", "\\uffff": "U+FFFF", "\\uFDD0": "U+FDD0", "\\uFDEF": "U+FDEF",
    "\\U0001FFFE": "U+1FFFE", "\\U0010FFFF": "U+10FFFF",
}


@pytest.mark.parametrize("escape", ESCAPES)
def test_an_escaped_control_character_or_noncharacter_is_an_error_at_its_place(project: Path, escape: str):
    write(project / BRIEF, f'title: "Talks {escape} resume"\n' + MINIMAL_BRIEF.lstrip().split("\n", 1)[1])
    assert errors(project) == [f"{BRIEF}:1:15: error: {_words(ESCAPES[escape])}; delete it"]


def _words(code: str) -> str:
    number = int(code[2:], 16)
    if 0xFDD0 <= number <= 0xFDEF or number & 0xFFFE == 0xFFFE:
        return f"{code} is a Unicode noncharacter, not text"
    return f"the control character {code} is not allowed"


QUOTED = {  # (file, content with {x} where the character goes, its line and column)
    "story title": ("briefs/test-story/story.yaml", 'title: "a{x}"\nsummary: S\n', 1, 10),
    "story tag": ("briefs/test-story/story.yaml", 'title: T\nsummary: S\ntags: [ok, "b{x}"]\n', 3, 14),
    "brief key": (BRIEF, MINIMAL_BRIEF.lstrip() + '"loc{x}ation": x\n', 7, 5),
    "claim text": (BRIEF, MINIMAL_BRIEF.lstrip().replace("Something is known.", '"Known{x}."'), 5, 17),
    "author": (BRIEF, MINIMAL_BRIEF.lstrip() + 'authors:\n  - "Desk{x}"\n', 8, 10),
    "source url": ("briefs/sources.yaml", '- id: x\n  name: X\n  url: "https://x.org/{x}"\n', 3, 23),
}
UNQUOTED = {  # where no escape works, but a raw noncharacter gets past libyaml's reader
    "single-quoted": (BRIEF, MINIMAL_BRIEF.lstrip().replace("What happened.", "'What{x}'"), 3, 15),
    "plain": (BRIEF, MINIMAL_BRIEF.lstrip().replace("What happened.", "What {x} happened"), 3, 15),
    "block": (BRIEF, MINIMAL_BRIEF.lstrip() + "context: |\n  One.\n  Two{x}\n", 9, 6),
    "plain key": (BRIEF, MINIMAL_BRIEF.lstrip() + "loc{x}ation: x\n", 7, 4),
}
RAW = [("\ufdd0", "U+FDD0"), ("\U0008ffff", "U+8FFFF")]


@pytest.mark.parametrize("field", QUOTED)
@pytest.mark.parametrize("typed, code", [("\\x80", "U+0080"), ("\\uFFFE", "U+FFFE"), *RAW])
def test_every_quoted_key_and_value_refuses_what_is_not_text(project: Path, field: str, typed: str, code: str):
    file, content, line, column = QUOTED[field]
    write(project / file, content.replace("{x}", typed))
    assert f"{file}:{line}:{column}: error: {_words(code)}; delete it" in errors(project)


@pytest.mark.parametrize("field", UNQUOTED)
@pytest.mark.parametrize("typed, code", RAW)
def test_every_unquoted_key_and_value_refuses_a_raw_noncharacter(project: Path, field: str, typed: str, code: str):
    file, content, line, column = UNQUOTED[field]
    write(project / file, content.replace("{x}", typed))
    assert f"{file}:{line}:{column}: error: {_words(code)}; delete it" in errors(project)


def test_a_lone_surrogate_is_an_error_at_its_place(project: Path):
    write(project / BRIEF, 'title: "a\\ud800"\n' + MINIMAL_BRIEF.lstrip().split("\n", 1)[1])
    [error] = errors(project)  # libyaml's own check of escapes
    assert error.startswith(f"{BRIEF}:1:") and "Unicode" in error
    (project / BRIEF).write_bytes(b"title: a\xed\xa0\x80\n" + MINIMAL_BRIEF.lstrip().split("\n", 1)[1].encode())
    assert errors(project) == [f"{BRIEF}:1:9: error: byte 0xed is not UTF-8; save the file as UTF-8"]


def test_a_backslash_that_is_no_escape_is_text(project: Path):
    write(project / BRIEF, MINIMAL_BRIEF.lstrip().replace("What happened.", '"C:\\\\x01 and \\\\e"') + "location: C:\\x01\n")
    assert errors(project) == []


@pytest.mark.parametrize("title", ["Talks 😀 resume", "محادثات", "a\u2028b", "\u202ertl\u202c", "zero\u200bwidth", "tab\there"])
def test_any_character_a_person_can_type_is_text(project: Path, title: str):
    escaped = title.encode("unicode_escape").decode().replace('"', '\\"')
    write(project / BRIEF, f'title: "{escaped}"\n' + MINIMAL_BRIEF.lstrip().split("\n", 1)[1])
    assert errors(project) == []


@pytest.mark.parametrize("title", ["\\x01", "\\x1f", "\\uFFFE"])
def test_a_feed_breaking_title_never_reaches_the_feeds(tmp_path: Path, title: str):
    project = copy_project(tmp_path)
    assert run_briefs(project, "build").returncode == 0
    feed = (project / "site/feed.xml").read_bytes()
    brief = project / "briefs/gaza-truce-talks/2024-05-07-cairo-talks-resume.yaml"
    brief.write_text(brief.read_text(encoding="utf-8").replace("title: ", f'title: "{title}" #', 1), encoding="utf-8")
    result = run_briefs(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"2024-05-07-cairo-talks-resume\.yaml:\d+:9: error: ", result.stderr), result.stderr
    assert (project / "site/feed.xml").read_bytes() == feed
    xml.dom.minidom.parseString(feed)


def test_the_quick_tests_for_characters_that_are_not_text_miss_none():
    """A file or value the quick class does not match is never searched
    with the exact pattern: every character the exact one finds, the quick
    one finds too (and a backslash, which may start an escape)."""
    every = "".join(map(chr, range(0x110000)))
    assert set(load_yaml.NOT_TEXT.findall(every)) <= set(load_yaml._MAYBE_NOT_TEXT.findall(every))
    in_file = set(load_yaml._MAYBE_NOT_TEXT_IN_FILE.findall(every))
    assert set(load_yaml._RAW_NOT_TEXT.findall(every)) | {"\\"} <= in_file
    assert not in_file & set("\r\x85\t\n é😀"), "a line break or common text would send every file to the slow search"
    # Before the quick class, a file's bytes go through a quicker filter still.
    texts = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]  # none in a decoded file
    assert {text for text in texts if not text.encode().translate(None, load_yaml._SURELY_TEXT_BYTES)}.isdisjoint(in_file)
    assert not load_yaml._may_hold_not_text("Café ’quoted’, الأخبار, 新闻 — \t\r\n")
