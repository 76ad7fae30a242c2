"""`briefs check` passing means `briefs build` publishes: what a build would
trip on is a check error at its place, and a build that cannot write says
so in an error line, leaving the previous site whole."""
from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import pytest

import generator.build
from conftest import MINIMAL_BRIEF, built_site, run_briefs, write
from generator import cli

BRIEF = "briefs/test-story/2024-05-07-first.yaml"
OUTSIDE = "is outside 1970 to 2105, the dates a site's feeds and archive can hold"
FUTURE = "is in the future (more than a day from now); check the year"


def _brief(dates: str) -> str:
    return MINIMAL_BRIEF.replace("date: 2024-05-07\n", dates)


def _in_days(days: int) -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M+00:00")


DATES = {  # brief's dates -> the errors, at their place
    "year 1 with an update at +01:00": ("date: 0001-01-01\nupdated: 0001-01-01T00:30+01:00\n",
                                       [f"2:7: error: date: '0001-01-01' {OUTSIDE}",
                                        f"3:10: error: updated: '0001-01-01T00:30+01:00' {OUTSIDE}"]),
    "updated in 2204": ("date: 2024-05-07\nupdated: 2204-05-07T10:00+00:00\n",
                        [f"3:10: error: updated: '2204-05-07T10:00+00:00' {FUTURE}"]),
    "before 1970": ("date: 1969-12-31\n", [f"2:7: error: date: '1969-12-31' {OUTSIDE}"]),
    "before 1970 in UTC": ("date: 1970-01-01T01:00+03:00\n", [f"2:7: error: date: '1970-01-01T01:00+03:00' {OUTSIDE}"]),
    "after gzip's 2106": ("date: 2107-01-01\n", [f"2:7: error: date: '2107-01-01' {FUTURE}"]),
    "year 9999": ("date: 9999-12-31T23:59-14:00\n", [f"2:7: error: date: '9999-12-31T23:59-14:00' {FUTURE}"]),
    "a correction in 2204": ("date: 2024-05-07\ncorrections:\n  - date: 2204-01-01\n    text: x\n",
                             [f"4:11: error: corrections[0].date: '2204-01-01' {FUTURE}"]),
    "a correction before 1970": ("date: 2024-05-07\ncorrections:\n  - date: 1900-01-01\n    text: x\n",
                                 [f"4:11: error: corrections[0].date: '1900-01-01' {OUTSIDE}"]),
    "three days ahead": (f"date: {_in_days(3)}\n", [f"2:7: error: date: '{_in_days(3)}' {FUTURE}"]),
}


@pytest.mark.parametrize("name", DATES)
def test_a_date_a_build_cannot_hold_is_a_check_error_at_its_place(project: Path, name: str):
    dates, expected = DATES[name]
    write(project / BRIEF, _brief(dates))
    for command in ("check", "build"):
        result = run_briefs(project, command)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert [line for line in result.stderr.splitlines() if ": error: " in line] == [f"{BRIEF}:{e}" for e in expected]
    assert not (project / "site").exists()


def test_dates_at_the_edges_and_old_quotes_and_events_build(project: Path):
    write(project / BRIEF, _brief(
        f"date: 1970-01-01\nupdated: {_in_days(0)}\n"
        "positions:\n  - party: P\n    stance: S\n    quotes:\n"
        "      - {text: Old, by: B, date: '0001-01-01T00:30+01:00'}\n"
        "      - {text: Far, by: B, date: '9999-12-31T23:30-01:00'}\n"
        "timeline:\n  - {date: '0001', text: Long ago}\n  - {date: 9999-12, text: Far ahead}\n"
        f"corrections:\n  - date: {_in_days(0)[:10]}\n    text: Today.\n"
    ))
    assert run_briefs(project, "check").returncode == 0
    built_site(project)
    assert (project / "site/test-story/2024-05-07-first/index.html").is_file()


def _fail_writing(monkeypatch, target, name: str, error: OSError) -> None:
    def refuse(*args, **kwargs):
        raise error
    monkeypatch.setattr(target, name, refuse)


WRITES = {  # what fails -> (where it is patched, the error, the place the error line names)
    "disk full during MkDocs' pages": ("mkdocs.utils", "write_file",
                                       OSError(errno.ENOSPC, "No space left on device", "site-tmp/index.html"), "site-tmp/index.html"),
    "site folder not writable": (generator.build, "swap_in", PermissionError(errno.EACCES, "Permission denied", "site"), "site"),
    "rendered Markdown not writable": (generator.build, "write_pages",
                                       PermissionError(errno.EACCES, "Permission denied", "build/docs"), "build/docs"),
    "data files, no file name": (generator.build, "write_data_files", OSError(errno.EIO, "Input/output error"), "site"),
}


@pytest.mark.parametrize("name", WRITES)
def test_a_build_that_cannot_write_is_an_error_line_and_keeps_the_site(project: Path, monkeypatch, capsys, name: str):
    assert run_briefs(project, "build").returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    target, attribute, error, place = WRITES[name]
    if isinstance(target, str):
        target = __import__(target, fromlist=["_"])
    _fail_writing(monkeypatch, target, attribute, error)
    monkeypatch.chdir(project)
    assert cli.main(["build"]) == 1
    stderr = capsys.readouterr().err
    assert stderr.splitlines()[0].startswith(f"{place}:1:1: error: cannot write the site, nothing was published: "), stderr
    assert {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]
    assert os.environ.get("SOURCE_DATE_EPOCH") is None
