"""Publishing: one build of a project at a time, each staged beside site/
and swapped in whole, in one rename.

A build holds the project's lock (an advisory `flock` on the project's
folder) from before it writes anything until its site is published or
given up: the kernel lets it go when the build's last process ends, killed
or not. A second build of the project waits for the first. While it holds
the lock, the build owns build/'s rendered pages and search pages, and it
stages the site in a folder named by its process id beside site/. What a
dead build left there (its process id no longer runs) is removed; nothing
else is, whatever its name.
"""
from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import re
import shutil
from pathlib import Path
from typing import Callable, Iterator

from .stopping import still_running

STAGING_PREFIX = ".site-"  # new and old sites beside site/ during a swap
_STAGING_NAME = re.compile(re.escape(STAGING_PREFIX) + r"(?:new|old)-([0-9]+)(?:-second)?")


@contextlib.contextmanager
def one_build_at_a_time(root: Path, holder_file: Path, waiting: Callable[[int | None], None]) -> Iterator[None]:
    """Holds the project's lock within the block: a `flock` on the project's
    folder itself, which no cleaning of build/ can remove while a build
    holds it. If another build holds it, `waiting(its process id, from
    `holder_file`)` is called once, then the block waits for it (Ctrl+C
    still stops the wait). Forked processes of this build hold the lock
    with it; processes it executes (Pagefind) do not."""
    descriptor = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(_holder(holder_file))
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        holder_file.parent.mkdir(parents=True, exist_ok=True)
        holder_file.write_text(f"{os.getpid()}\n", encoding="ascii")
        yield
    finally:
        os.close(descriptor)  # lets the lock go, unless a forked process still runs with it


def _holder(holder_file: Path) -> int | None:
    """The process id the holder wrote, if it has yet."""
    try:
        text = holder_file.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def staging_folder(site: Path) -> Path:
    """Where this build makes its site: beside site/, on the same file
    system, so that publishing is a rename."""
    return site.with_name(f"{STAGING_PREFIX}new-{os.getpid()}")


def remove_leftovers(site: Path) -> None:
    """The staging folders beside site/ whose build is dead (killed before
    it could remove them). Called with the project's lock held."""
    if not site.parent.is_dir():
        return
    for stray in site.parent.iterdir():
        owner = _STAGING_NAME.fullmatch(stray.name)
        if owner and stray.is_dir() and not stray.is_symlink() and not still_running(int(owner.group(1))):
            shutil.rmtree(stray, ignore_errors=True)


def swap_in(new: Path, site: Path) -> None:
    """Publish `new` as `site` in one rename; `new` then holds the old
    site (or nothing), for the caller to remove."""
    if site.exists() and _exchange(new, site):
        return
    if site.exists():  # no atomic exchange here: keep the gap as short as can be
        old = site.with_name(f"{STAGING_PREFIX}old-{os.getpid()}")
        os.rename(site, old)
        os.rename(new, site)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(new, site)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
