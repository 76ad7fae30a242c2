"""Plain words for the YAML slips editors make most, at the line of the slip.

libyaml says where it gave up, in a grammar's words ("did not find expected
key while parsing a block mapping"), often lines after the slip itself: an
unclosed quote is noticed where the next quote closes it. Its marks and the
lines around them are enough to name the usual causes (an indent too deep
or too shallow, ': ' in unquoted text, an unclosed quote or bracket, an
apostrophe inside single quotes, a list item without '- ', a key without its
colon or without a space after it, a word processor's curly quotes, a tab) and to point at the line to fix. The
parser's own words follow ours, so nothing it said is lost when a guess is
wrong.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .yaml_engine import tokens

_LIST_MARKS = re.compile(r"(?:-[ \t]+)*")
_KEY = re.compile(r"[A-Za-z_][\w-]*")
_KEY_THEN_SPACE = re.compile(r"([A-Za-z_][\w-]*):[ \t]+(?=[^ \t#])")
_KEY_WITHOUT_SPACE = re.compile(r"([A-Za-z_][\w-]*):(?=[^\s/])")
# A key and its value with no colon between (`status confirmed`); keys are lowercase.
_KEY_WITHOUT_COLON = re.compile(r"([a-z][a-z_]*)[ \t]+([^\s:#].*)")
# A word processor's quotes, which YAML reads as letters, not as quotes.
CURLY_QUOTES = "\u201c\u201d\u201e\u2018\u2019\u201a"


# A list or mapping written on one line, `[a, b]` or `{name: x}`.
_FLOW_CLOSERS = {"while parsing a flow sequence": "]", "while parsing a flow mapping": "}"}


@dataclass(frozen=True)
class Slip:
    """Where the slip is (1-based) and what to do about it."""

    line: int
    column: int
    words: str


@dataclass(frozen=True)
class _Line:
    """One line's layout: its number, where its content starts (after
    indentation and list marks, 1-based), whether it is a list item, and
    the key it starts with, if any."""

    number: int
    text: str
    start: int
    dash_column: int | None
    key: str | None

    @classmethod
    def of(cls, lines: list[str], number: int) -> "_Line":
        text = lines[number - 1] if 0 < number <= len(lines) else ""
        indent = len(text) - len(text.lstrip(" "))
        marks = _LIST_MARKS.match(text, indent)
        content = marks.end() if marks else indent  # the pattern matches even no mark
        key = _KEY.match(text, content)
        has_key = key is not None and text[key.end(): key.end() + 1] == ":"
        return cls(number, text, content + 1, indent + 1 if content > indent else None,
                   key.group(0) if key is not None and has_key else None)

    @property
    def blank(self) -> bool:
        content = self.text.strip()
        return not content or content.startswith("#")


def explain(bad: yaml.MarkedYAMLError, text: str, lines: list[str]) -> Slip | None:
    """The likely slip behind a syntax error, or None when no rule fits;
    `lines` are the text's lines, split at every YAML line break."""
    mark = bad.problem_mark or bad.context_mark
    if mark is None:
        return None
    here = _Line.of(lines, mark.line + 1)
    column = mark.column + 1
    if "\t" in here.text[:column] or here.text[column - 1: column] == "\t":
        return Slip(here.number, column, "a tab character is not allowed here; indent with spaces")
    problem = bad.problem or ""
    if problem.startswith("found unexpected end of stream") and bad.context == "while scanning a quoted scalar":
        opened = bad.context_mark
        assert opened is not None  # PyYAML marks where a quoted scalar opened
        return _unclosed(opened.line + 1, opened.column + 1, text_at(lines, opened), "the end of the file")
    closing = _FLOW_CLOSERS.get(bad.context or "")
    if closing and bad.context_mark and problem.startswith("did not find expected ','"):
        opened = bad.context_mark
        return Slip(opened.line + 1, opened.column + 1,
                    f"this {text_at(lines, opened)} opened on line {opened.line + 1} is never closed: end it with {closing}")
    if problem.startswith("did not find expected <document start>"):
        return _first_line_deeper(lines, here)
    if problem.startswith("mapping values are not allowed"):
        return _colon(lines, here, column)
    if problem.startswith("could not find expected ':'") and bad.context_mark:
        return _simple_key(lines, _Line.of(lines, bad.context_mark.line + 1))
    quoted = _quote_before(text, lines, here.number, column)
    if quoted:
        return quoted
    if problem.startswith("did not find expected key"):
        return _too_deep(lines, here)
    if problem.startswith("did not find expected '-' indicator") and bad.context_mark:
        return _outside_list(lines, here, bad.context_mark.column + 1)
    return None


def text_at(lines: list[str], mark) -> str:
    return lines[mark.line][mark.column: mark.column + 1]


def _unclosed(line: int, column: int, quote: str, read_to: str) -> Slip:
    return Slip(line, column, f"this quote opened on line {line} is never closed, so YAML read on to {read_to} "
                              f"as text: end the text with {quote} on this line")


def _above(lines: list[str], here: _Line) -> _Line | None:
    """The nearest line above with content (comments and blank lines skipped)."""
    for number in range(here.number - 1, 0, -1):
        line = _Line.of(lines, number)
        if not line.blank:
            return line
    return None


def _indented(more_or_less: str, above: _Line | None) -> str:
    if above is None or above.key is None:
        return f"indentation: this line is indented {more_or_less} than the line above it; line it up with that line"
    return (f"indentation: this line is indented {more_or_less} than the key above it "
            f"('{above.key}' on line {above.number}); line it up with '{above.key}'")


def _first_line_deeper(lines: list[str], here: _Line) -> Slip | None:
    """The file's first key indented: a later key at the line's start ends it."""
    first = next((line for n in range(1, here.number) if not (line := _Line.of(lines, n)).blank), None)
    if first is None or first.start <= here.start:
        return None
    return Slip(first.number, first.start, "indentation: the file's first key is indented more than the keys "
                                           f"after it ('{here.key or here.text.strip()}' on line {here.number}); "
                                           "start it at the beginning of the line")


def _colon(lines: list[str], here: _Line, column: int) -> Slip | None:
    """'mapping values are not allowed': a colon YAML did not expect."""
    key = _KEY_THEN_SPACE.match(here.text, here.start - 1)
    if key and key.end() < column and here.text[key.end()] in CURLY_QUOTES:
        return Slip(here.number, key.end() + 1,
                    "this text is in a word processor's curly quotes (“…”), which YAML reads as letters, not as quotes, "
                    f"so the ': ' inside it breaks the line: type straight double quotes instead: {key.group(1)}: \"…\"")
    if key and key.end() < column:
        return Slip(here.number, key.end() + 1,
                    f"put text that contains ': ' in double quotes: {key.group(1)}: \"…\"")
    before = here.text[here.start - 1: column - 1].strip()
    if not _KEY.fullmatch(before):
        return Slip(here.number, column, "put text that contains ': ' in double quotes")
    # A key-like line read as more of the plain text above it.
    return _too_deep(lines, here) or _missing_space_above(lines, here)


def _missing_space_above(lines: list[str], here: _Line) -> Slip | None:
    """A key above missing its colon's space, or its colon: YAML read it
    and this line as one text."""
    for number in range(here.number - 1, 0, -1):
        line = _Line.of(lines, number)
        missing = _KEY_WITHOUT_SPACE.match(line.text, line.start - 1)
        if missing:
            return _no_space(line, missing)
        if not line.blank:
            return _no_colon(line)
    return None


def _no_space(line: _Line, missing: re.Match) -> Slip:
    key = missing.group(1)
    return Slip(line.number, missing.end(), f"a key needs a space after its colon: write '{key}: ' and then the value")


def _no_colon(line: _Line) -> Slip | None:
    """A line that reads as a key and its value without the colon between."""
    missing = _KEY_WITHOUT_COLON.fullmatch(line.text.rstrip(), line.start - 1) if line.key is None else None
    if missing is None:
        return None
    key, value = missing.groups()
    shown = value if len(value) <= 40 else value[:40] + "…"
    return Slip(line.number, missing.end(1) + 1, f"a key needs a colon after it: write '{key}: {shown}'")


def _simple_key(lines: list[str], started: _Line) -> Slip | None:
    """'could not find expected ':'': a line that is neither 'key: value' nor '- item'."""
    missing = _KEY_WITHOUT_SPACE.match(started.text, started.start - 1)
    if missing:
        return _no_space(started, missing)
    above = _above(lines, started)
    if above is not None and above.dash_column == started.start:
        return Slip(started.number, started.start, _no_dash(above))
    return _no_colon(started)


def _no_dash(item: _Line) -> str:
    return f"a list item starts with '- ': put '- ' at the start of this line's text, as on line {item.number}"


def _quote_before(text: str, lines: list[str], line: int, column: int) -> Slip | None:
    """A quoted text that ended right where the parser gave up: closed by
    an apostrophe or an inner quote, or opened and never closed."""
    quote = lines[line - 1][column - 2: column - 1] if column > 1 else ""
    if quote not in ("'", '"'):
        return None
    scalar = _quoted_scalar_ending_at(text, line, column)
    if scalar is None:
        return None
    start = scalar.start_mark
    if start.line + 1 < line:
        return _unclosed(start.line + 1, start.column + 1, quote, f"line {line}")
    if quote == "'":
        return Slip(line, column - 1, "an apostrophe inside single quotes ends the text: "
                                      "put the text in double quotes instead (\"…'…\")")
    return Slip(line, column - 1, "a double quote inside double quotes ends the text: "
                                  "write it as \\\" or use typographic quotes (“…”)")


def _quoted_scalar_ending_at(text: str, line: int, column: int):
    try:
        for token in tokens(text):
            end = token.end_mark
            if (end.line + 1, end.column + 1) > (line, column):
                return None
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"') and (end.line + 1, end.column + 1) == (line, column):
                return token
    except yaml.YAMLError:
        return None
    return None


def _too_deep(lines: list[str], here: _Line) -> Slip | None:
    """'did not find expected key': a line deeper than the mapping it is in."""
    above = _above(lines, here)
    if above is not None and here.start > above.start:
        return Slip(here.number, here.start, _indented("more", above))
    return None


def _outside_list(lines: list[str], here: _Line, list_column: int) -> Slip | None:
    """'did not find expected '-' indicator': a line inside a list's block
    that is not an item: a missing '- ', or a key indented too little for
    the item above or too much for the key that holds the list."""
    above = _above(lines, here)
    if above is None:
        return None
    keys = _item_keys(lines, here, list_column)
    if here.start == list_column and (here.key is None or here.key in keys):
        item = next((_Line.of(lines, n) for n in range(here.number - 1, 0, -1)
                     if _Line.of(lines, n).dash_column == list_column), above)
        return Slip(here.number, here.start, _no_dash(item))
    holder = next((line for n in range(here.number - 1, 0, -1)
                   if not (line := _Line.of(lines, n)).blank and line.start < list_column), None)
    if here.key and holder and holder.key and not keys:  # a key among a list of texts
        return Slip(here.number, here.start, _indented("more", holder))
    if here.start < above.start and here.start == list_column and holder and holder.key and above.key:
        return Slip(here.number, here.start,
                    f"indentation: this line is indented less than the key above it ('{above.key}' on line "
                    f"{above.number}) and more than '{holder.key}' on line {holder.number}; line it up with one of them")
    if here.start < above.start:
        return Slip(here.number, here.start, _indented("less", above))
    return None


def _item_keys(lines: list[str], here: _Line, list_column: int) -> set[str]:
    """The keys of the list item above `here`, which a new item would repeat."""
    keys: set[str] = set()
    for number in range(here.number - 1, 0, -1):
        line = _Line.of(lines, number)
        if line.key:
            keys.add(line.key)
        if line.dash_column == list_column:
            break
    return keys
