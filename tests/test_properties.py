"""Property tests: generated valid briefs keep every value visible on the
built page; mutated files give located errors or a valid result, never a
traceback."""
from __future__ import annotations

import html
import html.parser
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import EXAMPLE_PROJECT, copy_project, run_briefs
from generator import text
from generator.build import build_site, check_project
from generator.problems import ContentErrors

# Words an editor writes, with characters that are syntax to HTML, Jinja and
# MkDocs' extensions, but no Markdown inline syntax (whose meaning changes
# what a reader sees, by design) and no '@' or ':' (autolinks).
_ALPHABET = st.sampled_from(list("abcxyzAZéß09 <>&{}%#\"'=-;/|$!?.,()~^+"))
_WORDS = st.text(_ALPHABET, min_size=1, max_size=30).map(lambda s: " ".join(s.split())).filter(bool)


@st.composite
def briefs(draw) -> dict:
    return {
        "title": draw(_WORDS),
        "question": draw(_WORDS),
        "date": "2024-05-07",
        "location": draw(_WORDS),
        "authors": draw(st.lists(_WORDS, min_size=1, max_size=2)),
        "summary": draw(_WORDS),
        "what_we_know": [
            {"text": draw(_WORDS), "status": "confirmed"},
            {"text": draw(_WORDS), "status": draw(st.sampled_from(["reported", "claimed", "disputed", "debunked"])),
             "sources": [{"name": draw(_WORDS), "url": "https://example.org/"}]},
        ],
        "what_we_dont_know": draw(st.lists(_WORDS, min_size=1, max_size=2)),
        "positions": [{"party": draw(_WORDS), "stance": draw(_WORDS),
                       "quotes": [{"text": draw(_WORDS), "by": draw(_WORDS), "role": draw(_WORDS)}]}],
        "timeline": [{"date": "2023-10", "text": draw(_WORDS)}],
        "whats_next": draw(st.lists(_WORDS, min_size=1, max_size=2)),
        "corrections": [{"date": "2024-05-08", "text": draw(_WORDS)}],
    }


def _values(brief) -> list[str]:
    """Every text value of the brief: what a reader must find on its page."""
    if isinstance(brief, dict):
        return [v for key, value in brief.items() if key not in ("date", "status", "url") for v in _values(value)]
    if isinstance(brief, list):
        return [v for item in brief for v in _values(item)]
    return [brief]


class _VisibleText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style", "title")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style", "title")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    reader = _VisibleText()
    reader.feed(page)
    return " ".join(" ".join(reader.parts).split())


@pytest.fixture(scope="module")
def blank_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("generated"), with_briefs=False)


@settings(max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(brief=briefs())
def test_every_generated_value_is_visible_on_its_page(blank_project: Path, brief: dict):
    story = blank_project / "briefs/generated"
    shutil.rmtree(story, ignore_errors=True)
    story.mkdir(parents=True)
    (story / "story.yaml").write_text("title: Generated\nsummary: Generated briefs.\n", encoding="utf-8")
    (story / "2024-05-07-generated.yaml").write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
    build_site(blank_project)
    shown = visible_text((blank_project / "site/generated/2024-05-07-generated/index.html").read_text(encoding="utf-8"))
    missing = [value for value in _values(brief) if value not in shown]
    assert missing == []


_EXAMPLE = EXAMPLE_PROJECT / "briefs/gaza-truce-talks/2024-05-07-cairo-talks-resume.yaml"
_LOCATED = re.compile(r"^\S+\.ya?ml:\d+:\d+: error: \S")


@st.composite
def mutations(draw) -> bytes:
    lines = _EXAMPLE.read_bytes().split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "swap", "retype", "junk", "dedent"]))
        if kind == "delete":
            del lines[at]
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "retype" and b": " in lines[at]:
            key = lines[at].split(b": ", 1)[0]
            lines[at] = key + b": " + draw(st.sampled_from([b"[1, 2]", b"{a: 1}", b"42", b"true", b"", b"~", b"'x'"]))
        elif kind == "junk":
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = line[:cut] + draw(st.binary(min_size=1, max_size=4)) + line[cut:]
        elif kind == "dedent":
            lines[at] = lines[at].lstrip()
        if not lines:
            lines = [b""]
    return b"\n".join(lines)


@pytest.fixture(scope="module")
def mutated_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("mutated"))


# Found by exploring: two swaps put a blank line and an indented line under
# `date:`, whose value then holds a newline that its error quotes.
_DATE_OVER_LINES = re.sub(rb"(?m)^(date: .*)$", rb"\1\n\n  - continued", _EXAMPLE.read_bytes(), count=1)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(content=_DATE_OVER_LINES)
@given(content=mutations())
def test_mutated_files_give_located_errors_or_a_valid_project(mutated_project: Path, content: bytes):
    (mutated_project / "briefs/gaza-truce-talks" / _EXAMPLE.name).write_bytes(content)
    try:
        check_project(mutated_project)
    except ContentErrors as errors:
        assert errors.problems
        for problem in errors.problems:
            assert _LOCATED.match(problem.human()), problem.human()
            assert "\n" not in problem.human()


@pytest.mark.parametrize("content", [
    _EXAMPLE.read_bytes().replace(b"what_we_know:", b"what_we_know: 3\nx:", 1),
    _EXAMPLE.read_bytes().replace(b"status: ", b"status: [", 1),
    b"\xff\xfe" + _EXAMPLE.read_bytes(),
    b"\n".join(_EXAMPLE.read_bytes().split(b"\n")[::2]),
])
def test_briefs_check_reports_mutations_as_lines(tmp_path: Path, content: bytes):
    project = copy_project(tmp_path)
    (project / "briefs/gaza-truce-talks" / _EXAMPLE.name).write_bytes(content)
    result = run_briefs(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.splitlines()[:-1]
    assert errors and all(_LOCATED.match(line) for line in errors), result.stderr



# Pieces of hostile links: syntax, the letters of schemes, entities (named,
# numeric, without ';'), escapes and characters a browser ignores in a URL.
_LINK_PIECES = st.sampled_from([
    *"[]()<>!:\\&#;/@.+-'\" \t\nxJ1", *"javscriptdhmlo", "javascript", "data", "http", "https", "mailto", "vbscript",
    "&#106;", "&#x61;", "&#58;", "&#x3a", "&colon;", "&Tab;", "&NewLine;", "&amp;", "&not", "&#0000106",
    "\u200b", "\u00a0", "\ufeff", "\x0b", "\u212a", "](", "![", "]: ", "\\[", "\\(", "`",
])
_PIECES = st.lists(_LINK_PIECES, max_size=6).map("".join)
_SCHEMES = st.sampled_from([
    "javascript", "JaVaScRiPt", "java\tscript", "jav&#x61;script", "&#106;avascript", "java\\script", "data", "vbscript",
    "ftp", "http", "https", "mailto", "xhttp", "h\\ttp", "1http", "http\u200bs", "\\http", "",
])
_COLONS = st.sampled_from([":", "&#58;", "&colon;", "&#x3a", "\\:", "\u200b:", ""])
_TARGETS = st.tuples(_PIECES, _SCHEMES, _COLONS, _PIECES).map("".join)
# Where Markdown takes a link target from, or an image.
_LINK_SHAPES = st.sampled_from([
    "[a]({})", "[a](<{}>)", "[a]( {} \"t\")", "<{}>", "[a][r]\n\n[r]: {}", "[r]\n\n[r]: <{}>",
    "![a]({})", "![a][r]\n\n[r]: {}", "- [a]({})", "> [a]({})", "{}",
])


@st.composite
def link_texts(draw) -> str:
    """Text around one or two links whose targets are made of hostile pieces."""
    links = [draw(_LINK_SHAPES).format(draw(_TARGETS)) for _ in range(draw(st.integers(1, 2)))]
    return (draw(_PIECES) + draw(_PIECES).join(links) + draw(_PIECES)).strip()


@settings(max_examples=2000)
@given(source=link_texts(), block=st.booleans())
def test_text_said_safe_without_rendering_is_safe_when_rendered(source: str, block: bool):
    _, problems = text._render(text._BLOCK if block else text._INLINE, source)
    if problems:
        assert text.may_be_refused(source), (source, problems)


_NO_INLINE_SYNTAX = st.lists(
    st.sampled_from(list("ab c#-+>1.):=|~\n\t'\"é—") + ["\n\n", "    ", "### ", "- ", "1. ", "> ", "---", "==="]),
    max_size=60).map("".join).filter(lambda source: not text.has_inline_syntax(source))

# What has_inline_syntax finds, as the one regex it replaces.
_INLINE_SYNTAX = re.compile(r"[*_`\[<\\&]|[ \t]{2}\n|\t\n")


@given(st.lists(st.sampled_from(list(" \t\nab*_`[<\\&")), max_size=12).map("".join))
def test_the_inline_syntax_test_finds_what_the_regex_finds(source: str):
    assert text.has_inline_syntax(source) == bool(_INLINE_SYNTAX.search(source))


# The patterns as first written, which the quicker ones must match exactly.
_TOKENS = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!]|`+|\]\(|[\[\]()\"']")
_MAYBE_OFF_SITE = re.compile(r"(?<![a-z0-9+.\-]:)[/\\][\t\n\r]*[/\\]", re.I)


@given(st.lists(st.sampled_from(list("aZ9+.-:/\\\t\n\r x`*_{}[]()>#!\"'")), max_size=16).map("".join))
def test_the_quicker_patterns_find_what_the_first_ones_found(source: str):
    assert [(m.start(), m.group()) for m in text._TOKENS.finditer(source)] == [
        (m.start(), m.group()) for m in _TOKENS.finditer(source)]
    assert [m.span() for m in text._MAYBE_OFF_SITE.finditer(source)] == [m.span() for m in _MAYBE_OFF_SITE.finditer(source)]


@given(st.lists(st.sampled_from(list(" \t\n\rab*_`[<\\&")), max_size=12).map("".join))
def test_the_quick_counts_of_lines_and_marks_are_the_regexes(source: str):
    assert text._lines(source) == text._LINES.split(source)
    assert text._count_marks(source) == len(text._MARKS.findall(source))


@settings(max_examples=1500)
@given(source=_NO_INLINE_SYNTAX)
def test_block_text_without_inline_syntax_renders_the_same_without_the_inline_step(source: str):
    """text.render skips Markdown's inline step for such block text; it must change nothing."""
    assert text._BLOCKS_ONLY.html(source) == text._BLOCK.html(source)


_PARTS = st.lists(st.sampled_from(["a", "b", "ab", ".", "..", "é", "x.yaml"]), max_size=4)


@given(_PARTS, _PARTS, st.booleans())
def test_a_path_relative_to_the_root_is_what_pathlib_says(root_parts, path_parts, absolute):
    from pathlib import PurePosixPath
    from generator.problems import relative

    start = "/" if absolute else ""
    root, path = Path(start + "/".join(root_parts) or "."), Path(start + "/".join(path_parts) or ".")
    try:
        expected = PurePosixPath(path).relative_to(PurePosixPath(root)).as_posix()
    except ValueError:
        expected = path.as_posix()
    assert relative(path, root) == expected
