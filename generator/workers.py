"""The one way briefs runs work in parallel, behind `--jobs`.

Every stage that runs beside another goes through a `Workers`: the check
reading files, the render, MkDocs and the build itself in forked copies
of this process (which start with its memory: the model, MkDocs imported,
at no cost), the social cards in fresh interpreters (they need nothing of
this process's memory, and may start while the preview runs threads).
With one job, or where a fork is not safe, everything runs here, in
order: the reference path, which the other must match byte for byte
(tests/test_jobs.py). This is the only module that imports
multiprocessing or forks.

A worker's failure comes back as what it raised: content errors, a file
it could not write, missing fonts (any exception that is not a bug);
a bug comes back with its traceback, and a worker that ended without an
answer (killed, out of memory) as `WorkerLost`, in plain words.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .stopping import leave_ctrl_c_to_the_parent

T = TypeVar("T")
Item = TypeVar("Item")


def cores() -> int:
    """The cores this process may run on: the default number of jobs."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counted is not None:
        return counted() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class WorkerLost(Exception):
    """A worker process ended without an answer: killed by a signal or for
    want of memory. The machine's trouble, not the content's."""


class WorkerBug(RuntimeError):
    """A worker raised what no stage expects: a bug, with its traceback."""


def _on_purpose(raised: BaseException) -> bool:
    """What a stage raises on purpose: our own exceptions (ContentErrors,
    MissingFonts) and OSError (a file it could not write). Anything else
    is a bug."""
    return isinstance(raised, OSError) or type(raised).__module__.startswith(f"{__package__}.")


@dataclass(frozen=True)
class Workers:
    """How many processes a run may use: `--jobs`, by default the cores.
    Passed down to every stage that can share its work out."""

    jobs: int = 1

    def share(self, items: int, worth_from: int) -> int:
        """Into how many parts a stage shares `items` out: one (this
        process alone) with one job, below `worth_from` items (where
        starting a process costs more than it saves), or where forking is
        not safe (`may_fork`); else one per job."""
        if self.jobs < 2 or items < worth_from or not may_fork():
            return 1
        return min(self.jobs, items)

    def run(self, tasks: Sequence[Callable[[], T]]) -> list[T]:
        """Each task's value, in order: the first task runs here while each
        other runs at the same time in a forked copy of this process. A
        failure is raised once all have ended (the first in the tasks'
        order); this process stopping (Ctrl+C) or failing stops the copies."""
        with contextlib.ExitStack() as stack:
            forked = [stack.enter_context(_Forked(task)) for task in tasks[1:]]
            values = [tasks[0]()]
            return values + [copy.result() for copy in forked]

    def apart(self, work: Callable[[], T]) -> T:
        """`work()` in a forked copy while this process waits, so that the
        memory it takes is given back when it ends; here with one job."""
        if self.jobs < 2 or not may_fork():
            return work()
        with _Forked(work) as copy:
            return copy.result()

    def meanwhile(self, items: Sequence[Item], do: Callable[[Item], None], worth_from: int) -> Meanwhile[Item]:
        """Workers (one per job but this process's) start on `items` now,
        `do(item)` for one after another, at a low priority, while this
        process goes on; `Meanwhile.finish` makes it join them. `do` must
        be a module's function (a fresh interpreter imports it)."""
        helpers = 0 if self.jobs < 2 or len(items) < worth_from else min(self.jobs - 1, len(items))
        return Meanwhile(items, do, helpers)


ONE = Workers(1)


def may_fork() -> bool:
    """A fork copies only the thread that forks: safe while this process
    runs no other thread (`briefs build`, not the preview)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class _Forked(Generic[T]):
    """`work()` in a forked copy of this process; `result()` waits for its
    value, or raises what it raised. Leaving the block before it answered
    stops it."""

    def __init__(self, work: Callable[[], T]):
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=_answer, args=(work, writer, self.reader))
        self.answered = False
        self.process.start()
        writer.close()

    def result(self) -> T:
        try:
            kind, value = self.reader.recv()
        except EOFError:
            self.process.join()
            raise WorkerLost(f"a worker process ended without finishing its work ({_how_it_ended(self.process.exitcode)}); "
                             "nothing was published: run the command again, or with --jobs 1 if memory is short") from None
        self.answered = True
        if kind == "raised":
            raise value
        if kind == "bug":
            raise WorkerBug(f"a worker process failed:\n{value}")
        return value

    def __enter__(self) -> _Forked[T]:
        return self

    def __exit__(self, *raised: object) -> None:
        # Stopped while it was still at work; once it has answered, it ends
        # on its own (stopping it then would leave its semaphores).
        if raised[0] is not None and not self.answered:
            self.process.terminate()
        self.process.join()
        self.reader.close()


def _answer(work: Callable[[], Any], parent, parents_end) -> None:
    """In the copy: its value or its failure, sent to the process that forked it.
    The copy's inherited end of the parent's side of the pipe is closed
    first: held open, a parent gone (killed) would leave the copy's answer
    unread and its sending blocked for ever, and with it whoever waits on
    the copy's other inherited pipes (the build, on its own copy's copy)."""
    parents_end.close()
    leave_ctrl_c_to_the_parent()
    try:
        outcome: tuple = ("done", work())
    except (KeyboardInterrupt, BrokenPipeError):  # stopped, or the parent is gone: nobody waits
        return
    except BaseException as raised:  # noqa: BLE001 - sent back, to be raised there
        outcome = ("raised", raised) if _on_purpose(raised) else ("bug", traceback.format_exc())
    with contextlib.suppress(BrokenPipeError):
        parent.send(outcome)
    parent.close()


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"stopped by signal {-exitcode}, perhaps for want of memory"
    return f"exit status {exitcode}"


class Meanwhile(Generic[Item]):
    """Items shared between this process and helper processes, each taking
    the next from a shared counter, so that whoever is free takes more.
    An item a helper failed on is left undone: the caller checks what is
    missing and does it itself, meeting the failure in its own process."""

    def __init__(self, items: Sequence[Item], do: Callable[[Item], None], helpers: int):
        self.items, self.do = items, do
        self.helpers = []
        if helpers:  # with none, not even the shared counter (and the process multiprocessing keeps beside it)
            context = multiprocessing.get_context("spawn")  # a fresh interpreter: safe beside threads
            self.taken = context.Value("q", 0)
            self.helpers = [context.Process(target=_take_turns, args=(items, do, self.taken, True), daemon=True)
                            for _ in range(helpers)]
        for helper in self.helpers:
            helper.start()

    def finish(self) -> None:
        """This process takes items too, until none is left, then waits for the helpers."""
        if not self.helpers:
            for item in self.items:
                self.do(item)
            return
        _take_turns(self.items, self.do, self.taken, False)
        for helper in self.helpers:
            helper.join()

    def stop(self) -> None:
        """The helpers stopped, if still at work (the build failed or was stopped)."""
        for helper in self.helpers:
            if helper.is_alive():
                helper.terminate()
            helper.join()


def _take_turns(items: Sequence[Item], do: Callable[[Item], None], taken, helper: bool) -> None:
    """`do` the next item not yet taken, until none is left. A helper runs
    at a lower priority (the pages, on the way to the search index, go
    first), leaves Ctrl+C to the process that started it, and stops at its
    first failure, which the caller meets again."""
    if helper:
        leave_ctrl_c_to_the_parent()
        os.nice(10)
    while True:
        with taken.get_lock():
            index = taken.value
            taken.value = index + 1
        if index >= len(items):
            return
        if not helper:
            do(items[index])
            continue
        try:
            do(items[index])
        except (KeyboardInterrupt, Exception):  # noqa: BLE001 - stopped, or the caller redoes the item and reports it
            return
