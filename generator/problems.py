"""Content errors as values: gathered by every stage, reported from one place."""
from __future__ import annotations

import difflib
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
    """One error an editor must fix, at a place in a file. The path and
    message are made visible here, once, whatever text they quote."""

    path: str
    line: int
    column: int
    message: str

    def __post_init__(self):
        object.__setattr__(self, "path", visible(self.path))
        object.__setattr__(self, "message", visible(self.message))

    def human(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: error: {self.message}"

    def github(self) -> str:
        # Workflow commands need %, CR and LF escaped in the message and
        # also , and : in the properties.
        def prop(value: str) -> str:
            return _escape_data(value).replace(":", "%3A").replace(",", "%2C")

        return (
            f"::error file={prop(self.path)},line={self.line},col={self.column}"
            f"::{_escape_data(self.message)}"
        )


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def relative(path: Path, root: Path) -> str:
    """The path as an editor sees it: relative to the project root."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def did_you_mean(value: str, choices) -> str:
    """A '; did you mean 'x'?' suffix naming the nearest valid choice, or ''."""
    close = difflib.get_close_matches(value.lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class ContentErrors(Exception):
    """Raised by a stage that cannot go on; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} content error(s)")
        self.problems = sorted(problems)
