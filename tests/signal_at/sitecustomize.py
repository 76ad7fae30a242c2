"""Sends a signal at an exact point of a build, instead of racing the build
with a clock: every Python process of a build started by
conftest.start_build(..., signal_at=...) imports this module first.

The point is the first audit event of a kind whose first two arguments
name a text (conftest.SignalAt); the signal goes to every process of the
build, as Ctrl+C in a terminal or a killed job does, or to the command's
process only.
"""
import os
import signal
import sys

_EVENT, _, _TEXT = os.environ.get("BRIEFS_TEST_SIGNAL_AT", "").partition(" ")
_COMMAND = int(os.environ.setdefault("BRIEFS_TEST_COMMAND", str(os.getpid())))  # inherited by the build's other processes
_sent = False


def _named(value) -> str:
    return os.fsdecode(value) if isinstance(value, (str, bytes, os.PathLike)) else repr(value)


def _signal_at(event: str, args: tuple) -> None:
    global _sent
    if _sent or event != _EVENT or _TEXT not in " ".join(_named(arg) for arg in args[:2]):
        return
    _sent = True
    number = signal.Signals[os.environ["BRIEFS_TEST_SIGNAL"]]
    if os.environ.get("BRIEFS_TEST_SIGNAL_TO") == "every process":
        os.killpg(os.getpgid(_COMMAND), number)
    else:
        os.kill(_COMMAND, number)


if _EVENT:
    sys.addaudithook(_signal_at)
