"""How long each stage of a build took, in wall and CPU time, for
`briefs build --timings` and the benchmark (docs/benchmarks.md).

A stage's CPU time is that of the process that ran it and of the
processes it waited for meanwhile (a forked half, MkDocs' second process,
the cards' worker, Pagefind), so stages on two cores show more CPU than
wall time. Times are read on the system's monotonic clock, which a forked
process shares, so a stage timed in the build's forked process lines up
with one timed in the command's own.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class StageTime:
    name: str
    start: float  # seconds after the build started
    wall: float
    cpu: float


def cpu_seconds() -> float:
    """This process's CPU time and that of the processes it has waited for."""
    t = os.times()
    return t.user + t.system + waited_for_cpu()


def waited_for_cpu() -> float:
    """The CPU time of the processes this one has waited for."""
    t = os.times()
    return t.children_user + t.children_system


class StageClock:
    def __init__(self, origin: float | None = None):
        self.origin = time.monotonic() if origin is None else origin
        self.stages: list[StageTime] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Times the block as the stage `name`, if it ends without raising."""
        start, cpu = time.monotonic(), cpu_seconds()
        yield
        self.stages.append(StageTime(name, start - self.origin, time.monotonic() - start, cpu_seconds() - cpu))

    def ran_beside(self, name: str, started: float, cpu: float) -> None:
        """A stage that ran beside others (Pagefind's process) from the
        monotonic moment `started` until now, with the CPU time it took."""
        self.stages.append(StageTime(name, started - self.origin, time.monotonic() - started, cpu))


def timings_table(stages: tuple[StageTime, ...] | list[StageTime], total: float) -> str:
    """The stages in the order they started, for a terminal or a CI log."""
    rows = [f"{s.start:8.2f} {s.wall:8.2f} {s.cpu:8.2f}  {s.name}" for s in sorted(stages, key=lambda s: s.start)]
    return "\n".join(["   start     wall      CPU  stage (seconds)", *rows, f"{0:8.2f} {total:8.2f} {'':8}  whole build"])
