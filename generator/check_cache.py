"""What `briefs check` remembers between runs: the files that passed.

A file's key is a hash of everything its verdict depends on: its bytes,
what it is (a story, a brief), the validator's own code and the versions
of the libraries it reads with, the site settings, and for a brief the
ids of briefs/sources.yaml. A file whose key is remembered passed with
exactly these inputs, so it would pass again and is not parsed; any change
to an input is another key. Only files without any problem are kept, so
an error is always found afresh, and the rules about names and folders
run on every file every time. Deleting build/ (or build/check-cache/) is
always safe. `briefs build` never reads it: what it publishes is checked
from scratch.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from importlib import metadata
from pathlib import Path

from .stopping import still_running

CACHE_FILE = "clean.json"


def validator_version() -> str:
    """A hash of the generator's Python sources (the validator is among
    them) and of the libraries that read and judge a file."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in ("PyYAML", "Markdown"):
        digest.update(f"{library} {metadata.version(library)}\0".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


class CheckCache:
    """The keys of files that passed, read from and written to `folder`."""

    def __init__(self, folder: Path, settings: object):
        self.folder = folder
        self._salt = hashlib.blake2b(f"{validator_version()}\0{settings!r}\0".encode(), digest_size=16)
        self._known = self._read()
        self._passed: dict[str, bool] = {}  # key: whether the file is a draft brief

    def key(self, data: bytes, what: str) -> str:
        """The key of a file's bytes read as `what` (a kind of file and what
        else its verdict depends on)."""
        digest = self._salt.copy()
        digest.update(what.encode() + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def knows(self, key: str) -> bool:
        if key in self._known:
            self._passed[key] = self._known[key]
            return True
        return False

    def is_draft(self, key: str) -> bool:
        """Whether a file that passed is a brief marked draft: true (a
        check counts the drafts, and names the stories with nothing published)."""
        return self._passed.get(key, False)

    def add(self, key: str, draft: bool = False) -> None:
        self._passed[key] = draft

    @property
    def passed(self) -> dict[str, bool]:
        """The keys of this run's files that passed (or were known to), each
        with whether it is a draft, for the cache of the process that saves it (`add`)."""
        return dict(self._passed)

    def _read(self) -> dict[str, bool]:
        """The keys written by an earlier check; a cache that is missing,
        unreadable, damaged, or written by a clock that is now behind (a
        date that was not in the future then may be now) counts as empty."""
        try:
            saved = json.loads((self.folder / CACHE_FILE).read_bytes())
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(saved, dict) or not isinstance(saved.get("written"), (int, float)):
            return {}
        if saved["written"] > time.time() or not isinstance(saved.get("passed"), list) \
                or not isinstance(saved.get("drafts", []), list):
            return {}
        drafts = {key for key in saved.get("drafts", []) if isinstance(key, str)}
        return {key: key in drafts for key in saved["passed"] if isinstance(key, str)}

    def save(self) -> None:
        """Keep this run's files that passed (and no others), written under
        a name of this process's and renamed, so that a check running
        meanwhile reads the old cache or the new one, whole; a folder that
        cannot be written only means no cache."""
        if self._passed == self._known:
            return
        text = json.dumps({"written": time.time(), "passed": sorted(self._passed),
                           "drafts": sorted(key for key, draft in self._passed.items() if draft)})
        temporary = self.folder / f".{CACHE_FILE}.{os.getpid()}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.folder / CACHE_FILE)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        self._remove_leftovers()

    def _remove_leftovers(self) -> None:
        """What a check killed while saving left: its process is gone."""
        with contextlib.suppress(OSError):
            for unfinished in self.folder.glob(f".{CACHE_FILE}.*"):
                writer = unfinished.name.rpartition(".")[2]
                if writer.isdigit() and not still_running(int(writer)):
                    unfinished.unlink(missing_ok=True)
