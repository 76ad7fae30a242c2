"""YAML slips named at their own line, whatever line of a real brief they
are made on: hypothesis makes each slip on a line of the bundled example
and the error must point at that line, in the slip's words."""
from __future__ import annotations

import re

from hypothesis import assume, given, settings, strategies as st

from conftest import EXAMPLE_PROJECT
from generator.load_yaml import load_yaml_bytes

EXAMPLE = (EXAMPLE_PROJECT / "briefs/gaza-truce-talks/2024-05-07-cairo-talks-resume.yaml").read_text(encoding="utf-8")
LINES = EXAMPLE.split("\n")


def _outside_block_text(lines: list[str]) -> list[int]:
    """Indexes of lines that are not inside a `key: |` block of text."""
    outside, block_indent = [], None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent >= block_indent):
            continue
        block_indent = None
        outside.append(i)
        if line.rstrip().endswith("|"):
            block_indent = indent + 1
    return outside


OUTSIDE = _outside_block_text(LINES)
QUOTED_TO_THE_END = [i for i in OUTSIDE if re.fullmatch(r' *(- )?([a-z_]+: )?"[^"]*"', LINES[i])]
KEY_WITH_VALUE = [i for i in OUTSIDE if re.fullmatch(r" *[a-z_]+: [^|].*", LINES[i])]
ITEM_KEYS = [i for i in KEY_WITH_VALUE if re.match(r" {4}[a-z]", LINES[i]) and not LINES[i - 1].endswith(":")]


def _slipped(kind: str, i: int) -> tuple[str, str]:
    """The example with one slip on line i, and the words its error must say."""
    lines = list(LINES)
    line = lines[i]
    if kind == "unclosed quote":
        lines[i] = line[:-1]
        words = "never closed"
    elif kind == "apostrophe":
        key, _, value = line.rpartition('"')[0].partition('"')
        lines[i] = f"{key}'{value}'"
        words = "an apostrophe inside single quotes"
    elif kind == "colon":
        key, _, value = line.rpartition('"')[0].partition('"')
        first, _, rest = value.partition(" ")
        lines[i] = f"{key}{first}: {rest}"
        words = "put text that contains ': ' in double quotes"
    elif kind == "too deep":
        lines[i] = "  " + line
        words = "more than "
    elif kind == "too shallow":
        lines[i] = line[1:]
        words = "indented less than the "
    elif kind == "missing colon":
        lines[i] = line.replace(": ", " ", 1)
        words = "a key needs a colon after it"
    elif kind == "no space after colon":
        lines[i] = line.replace(": ", ":", 1)
        words = "a key needs a space after its colon"
    else:  # tab
        lines[i] = "\t" + line.lstrip(" ")
        words = "a tab character is not allowed here"
    return "\n".join(lines), words


CANDIDATES = {
    "unclosed quote": QUOTED_TO_THE_END,
    "apostrophe": [i for i in QUOTED_TO_THE_END if "'" in LINES[i] and LINES[i].count('"') == 2],
    "colon": [i for i in QUOTED_TO_THE_END if re.search(r'[a-z_]+: "[A-Za-z]+ [^:#]*"$', LINES[i])],
    "too deep": [i for i in KEY_WITH_VALUE if i > 0 and LINES[i - 1].strip() and not LINES[i - 1].endswith(":")],
    "too shallow": ITEM_KEYS,
    "no space after colon": [i for i in KEY_WITH_VALUE if re.fullmatch(r' *[a-z_]+: ["\[a-z0-9].*', LINES[i])],
    "missing colon": [i for i in KEY_WITH_VALUE if re.fullmatch(r' *[a-z_]+: [^:#]*', LINES[i])],
    "tab": [i for i in KEY_WITH_VALUE if LINES[i].startswith(" ")],
}


@settings(max_examples=300)
@given(st.sampled_from(sorted(CANDIDATES)).flatmap(lambda kind: st.tuples(st.just(kind), st.sampled_from(CANDIDATES[kind]))))
def test_a_slip_is_named_at_its_own_line(slip):
    kind, i = slip
    text, words = _slipped(kind, i)
    _, problems = load_yaml_bytes(text.encode("utf-8"), "brief.yaml")
    assume(problems)  # a few slips still make valid YAML (then the schema speaks)
    assert len(problems) == 1, problems
    assert (problems[0].line, words) == (i + 1, words) and words in problems[0].message, (kind, LINES[i], problems[0].human())


def test_every_kind_of_slip_has_lines_to_make_it_on():
    assert all(len(lines) >= 3 for lines in CANDIDATES.values()), {k: len(v) for k, v in CANDIDATES.items()}
