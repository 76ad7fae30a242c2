"""Content errors as values: gathered by every stage, reported from one place."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One error an editor must fix, at a place in a file."""

    path: str
    line: int
    column: int
    message: str

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
