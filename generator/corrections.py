"""Corrections are never lost: each brief's corrections in the last commit
must still be there, unchanged. Read with git; outside a git checkout (or
before the first commit) there is nothing to compare with, and no error."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .load_yaml import Node, load_yaml_bytes, load_yaml_file
from .problems import Problem, relative

YAML_SUFFIXES = (".yaml", ".yml")


def lost_corrections(root: Path, against: str = "HEAD") -> list[Problem]:
    """A problem for every correction in `against`'s version of a brief that
    is gone from, or changed in, the brief as it is now."""
    briefs = _brief_files(root)
    if _unknown_revision(root, against):
        return [Problem("briefs", 1, 1, f"--against {against}: there is no such commit here, so no correction could be "
                                         "compared; fetch it, or name another")]
    shown_as = {path: relative(path, root) for path in briefs}
    before = _committed(root, against, set(shown_as.values()))
    problems = []
    for path, shown in shown_as.items():
        committed = before.get(shown, b"")
        # Most briefs never had a correction: skip parsing those.
        old = _corrections(load_yaml_bytes(committed, shown)[0]) if b"corrections" in committed else set()
        if not old:
            continue
        node = load_yaml_file(path, shown)[0]
        now = _corrections(node)
        where = _entry(node, "corrections")[0] or Node("scalar", "", 1, 1)
        for date, text in sorted(old):
            if (date, text) not in now:
                quoted = text if len(text) <= 60 else text[:59] + "…"
                problems.append(Problem(shown, where.line, where.column,
                                        f"corrections: the correction of {date} (\"{quoted}\") in {against} is gone or changed; "
                                        "a published correction is never deleted or edited: put it back as it was and add a new one"))
    return problems


def _brief_files(root: Path) -> list[Path]:
    """The briefs the check reads: not hidden, and no symbolic link on the
    way (an error of its own) that would lead outside briefs/."""
    content = root / "briefs"
    if content.is_symlink() or not content.is_dir():
        return []
    found = []
    for folder in sorted(content.iterdir()):
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        found += [path for path in sorted(folder.iterdir()) if path.suffix in YAML_SUFFIXES and path.stem != "story"
                  and not path.name.startswith(".") and not path.is_symlink()]
    return found


def _unknown_revision(root: Path, against: str) -> bool:
    """Whether a revision other than HEAD was named that this checkout
    lacks: comparing with nothing would let a deleted correction pass."""
    if against == "HEAD":  # none before the first commit, or outside git: nothing to compare
        return False
    try:
        subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return False
    found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{against}^{{commit}}"],
                           cwd=root, capture_output=True)
    return found.returncode != 0


def _committed(root: Path, against: str, paths: set[str]) -> dict[str, bytes]:
    """{path: content at `against`} for the paths that exist there, read by
    two git processes. Paths travel NUL-separated, and contents are asked
    for by object id, so no file name (one holding a newline) can shift
    one file's answer onto another."""
    try:
        # `against` is a revision, never an option (`--against=--full-tree`).
        listing = subprocess.run(["git", "ls-tree", "-r", "-z", "--end-of-options", against, "--", "briefs"],
                                 cwd=root, capture_output=True, check=True).stdout
        blobs = {}
        for entry in listing.split(b"\0"):
            about, _, name = entry.partition(b"\t")
            path = os.fsdecode(name)
            if path in paths and about.split(b" ")[1:2] == [b"blob"]:
                blobs[path] = about.split(b" ")[2]
        requests = b"".join(oid + b"\n" for oid in blobs.values())
        output = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=requests, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):  # no git, not a checkout, or no such commit
        return {}
    found, offset = {}, 0
    for path in blobs:
        header_end = output.index(b"\n", offset)
        size = int(output[offset:header_end].split()[2])
        found[path] = output[header_end + 1:header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return found


def _entry(mapping: Node | None, key: str) -> tuple[Node | None, Node | None]:
    """The key and value nodes of `key` in a mapping, or (None, None)."""
    if mapping is None or mapping.kind != "mapping":
        return None, None
    return next(((k, v) for k, v in mapping.value if k.value == key), (None, None))


def _corrections(brief: Node | None) -> set[tuple[str, str]]:
    """(date, text with whitespace folded) of each of a brief's corrections."""
    corrections = _entry(brief, "corrections")[1]
    if corrections is None or corrections.kind != "sequence":
        return set()
    found = set()
    for item in corrections.value:
        if item.kind == "mapping":
            fields = {k.value: " ".join(v.value.split()) for k, v in item.value if v.kind == "scalar"}
            found.add((fields.get("date", ""), fields.get("text", "")))
    return found
