"""How the command's processes stop half-way: Ctrl+C in a terminal
(SIGINT, sent to every process of the command) or a process manager or CI
cancelling a job (SIGTERM, often to the command alone). Either unwinds as
KeyboardInterrupt, so that every `finally` removes what is half-made and
stops the processes it started."""
from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def stopped_as_interrupted() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt within the block, as Ctrl+C does."""
    previous = signal.signal(signal.SIGTERM, interrupt_once)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def leave_ctrl_c_to_the_parent() -> None:
    """For a worker process: Ctrl+C reaches every process of the command,
    and the one that started this worker stops it (SIGTERM), once its own
    unwinding is under way; stopped, the worker unwinds as well."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, interrupt_once)


def interrupt_once(signum, frame) -> None:
    # A second stop (the group's signal, then the parent's) must not cut
    # the unwinding of the first short: its `finally` blocks still run.
    signal.signal(signum, signal.SIG_IGN)
    raise KeyboardInterrupt


def still_running(pid: int) -> bool:
    """Whether a process with this id runs: what a run left under its id
    is a dead run's leftover only if not. An id that belongs to another
    user, or that no process can have, is not ours to judge: running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


@contextmanager
def stops_held() -> Iterator[None]:
    """Ctrl+C and SIGTERM wait until the block has run: for a step that
    must not be cut in two, like making a temporary folder and keeping its
    name, so that whatever removes it on a stop knows it."""
    stops = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)
