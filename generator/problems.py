"""Content errors as values: gathered by every stage, reported from one place."""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

# Characters an error line shows as escapes (`\n`, `\x1b`, `\u202e`), so
# that it stays one line and reads as written: controls (C0, DEL, C1) that
# break a line or drive a terminal, YAML's other line breaks, bidi controls
# that reorder it, and halves of characters (a file name's non-UTF-8 byte).
# A line then never starts with a CI runner's command (`::warning`).
_SHOWN_ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """The text with every character of _SHOWN_ESCAPED as a visible escape."""
    return _SHOWN_ESCAPED.sub(_escape, text)


def _escape(found: re.Match) -> str:
    character = found.group()
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as Python keeps it in a file name
        code -= 0xDC00
    return _NAMED_ESCAPES.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


@dataclass(frozen=True, order=True)
class Problem:
    """One error an editor must fix (or a note), at a place in a file. The
    path and message are made visible here, once, whatever text they quote."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"  # or "note": worth knowing, not an error (`briefs check` still passes)

    def __post_init__(self):
        object.__setattr__(self, "path", visible(self.path))
        object.__setattr__(self, "message", visible(self.message))

    def human(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def github(self) -> str:
        # Workflow commands need %, CR and LF escaped in the message and
        # also , and : in the properties.
        def prop(value: str) -> str:
            return _escape_data(value).replace(":", "%3A").replace(",", "%2C")

        command = "notice" if self.severity == "note" else "error"
        return (
            f"::{command} file={prop(self.path)},line={self.line},col={self.column}"
            f"::{_escape_data(self.message)}"
        )


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def relative(path: Path, root: Path) -> str:
    """The path as an editor sees it: relative to the project root. (The
    same as Path.relative_to, as strings: a check asks for every file's.)"""
    text, base = str(path), str(root).rstrip(os.sep)
    if text.startswith(base + os.sep) and len(text) > len(base) + 1:
        return text[len(base) + 1:].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# A misspelt name is compared with at most this many valid ones, so 1,000
# unknown ids against 15,000 sources cost no more than against 100.
SUGGESTION_CANDIDATES = 100


class Spellings:
    """Valid names, indexed by length and by first and last character when
    there are many: the candidates for a misspelt name are then those of a
    length that can be close enough and sharing its first or its last
    character, at most SUGGESTION_CANDIDATES of them."""

    def __init__(self, *groups):
        self._names = list(dict.fromkeys(n for names in groups for n in names if isinstance(n, str) and n))  # a source without id has None
        self._by_key: dict[tuple, list[str]] = {}
        if len(self._names) > SUGGESTION_CANDIDATES:
            for name in self._names:
                self._by_key.setdefault((len(name), name[0], 0), []).append(name)
                self._by_key.setdefault((len(name), name[-1], -1), []).append(name)

    def candidates(self, value: str) -> list[str]:
        if not self._by_key:
            return self._names
        found: dict[str, None] = {}
        # difflib's ratio is at most 2*min/(sum of lengths); below 0.6 no length can reach the cutoff
        lengths = range(max(1, len(value) * 3 // 7), len(value) * 7 // 3 + 2)
        for length in sorted(lengths, key=lambda n: abs(n - len(value))):
            for key in ((length, value[:1], 0), (length, value[-1:], -1)):
                found.update(dict.fromkeys(self._by_key.get(key, ())[:SUGGESTION_CANDIDATES]))
                if len(found) >= SUGGESTION_CANDIDATES:
                    return list(found)[:SUGGESTION_CANDIDATES]
        return list(found)


def did_you_mean(value: str, *choices) -> str:
    """A '; did you mean 'x'?' suffix naming the nearest valid choice, or ''.
    Each of `choices` is Spellings or any collection of names."""
    value = value.lower()
    candidates = [c for names in choices
                  for c in (names if isinstance(names, Spellings) else Spellings(names)).candidates(value)]
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class ContentErrors(Exception):
    """Raised by a stage that cannot go on; carries every problem found,
    and the notes found on the way (`briefs check` prints both)."""

    def __init__(self, problems: list[Problem], notes: list[Problem] | tuple = ()):
        super().__init__(f"{len(problems)} content error(s)")
        self.problems = sorted(problems)
        self.notes = sorted(notes)

    def __reduce__(self):  # as sent back by a build's forked process
        return ContentErrors, (self.problems, self.notes)
