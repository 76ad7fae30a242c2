"""generator/workers.py: a worker's failure comes back as what the command
reports (content errors as error lines, a killed worker in plain words),
never as a traceback, but for a bug, which keeps the worker's."""
from __future__ import annotations

import os
import signal

import pytest

from generator import workers
from generator.problems import ContentErrors, Problem
from generator.workers import Workers, WorkerBug, WorkerLost

pytestmark = pytest.mark.processes  # forked copies

TWO = Workers(2)


def here() -> str:
    return "here"


def content_error() -> None:
    raise ContentErrors([Problem("briefs/a/b.yaml", 3, 5, "unknown key 'titel'; did you mean 'title'?")])


def a_bug() -> None:
    {}["missing"]


def killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_each_task_gives_its_value_in_order():
    assert TWO.run([here, lambda: os.getpid(), lambda: [1, 2]])[::2] == ["here", [1, 2]]
    assert TWO.run([here, lambda: os.getpid()])[1] != os.getpid()  # the second ran in a copy


def test_a_workers_content_errors_come_back_as_themselves():
    with pytest.raises(ContentErrors) as raised:
        TWO.run([here, content_error])
    assert [problem.human() for problem in raised.value.problems] == [
        "briefs/a/b.yaml:3:5: error: unknown key 'titel'; did you mean 'title'?"]


def test_a_bug_in_a_worker_keeps_its_traceback():
    with pytest.raises(WorkerBug) as raised:
        TWO.run([here, a_bug])
    assert "KeyError: 'missing'" in str(raised.value) and "in a_bug" in str(raised.value)


def test_a_killed_worker_is_said_in_plain_words():
    with pytest.raises(WorkerLost) as raised:
        TWO.run([here, killed])
    assert str(raised.value).startswith("a worker process ended without finishing its work (stopped by signal 9")
    assert "Traceback" not in str(raised.value)


def test_one_job_runs_everything_here(monkeypatch):
    monkeypatch.setattr(workers, "may_fork", lambda: True)
    assert Workers(1).share(10_000, 2) == 1 and Workers(1).apart(os.getpid) == os.getpid()
    assert TWO.share(1, 2) == 1 and TWO.share(2, 2) == 2 and Workers(8).share(3, 2) == 3
    monkeypatch.setattr(workers, "may_fork", lambda: False)  # a process with threads (the preview)
    assert TWO.share(10_000, 2) == 1 and TWO.apart(os.getpid) == os.getpid()
