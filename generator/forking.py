"""Forked processes: a copy of this one that starts with its memory (the
model, MkDocs imported) at no cost, for the build's work on two cores."""
from __future__ import annotations

import gc
import multiprocessing
import threading
from multiprocessing.process import BaseProcess


def may_fork() -> bool:
    """A fork copies only the thread that forks: safe while this process
    runs no other thread (`briefs build`, not the preview)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def start_sharing_memory(process: BaseProcess) -> None:
    """Start a forked process. The collector's passes would write to every
    object the copy shares with this process, making it copy all of this
    one's memory: they are kept off those objects."""
    gc.freeze()
    process.start()
    gc.unfreeze()
