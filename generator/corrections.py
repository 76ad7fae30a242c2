"""Corrections are never lost. A brief is its story and its slug, whatever
its file's ending (`.yaml` or `.yml`): each correction a brief has in the
published version must still be in that brief, unchanged, and a brief with
a correction never disappears (deleted, renamed to another slug, moved to
another story): it leaves the site as a draft, corrections kept.

The published version is read with git: the last commit, or the one
`--against` names. Outside a git checkout (or before the first commit)
there is nothing to compare with, and no error. Messages speak of "the
published version", never of git's words.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .load_yaml import Node, load_yaml_bytes, load_yaml_file
from .problems import Problem, relative

YAML_SUFFIXES = (".yaml", ".yml")
PUBLISHED = "the published version"


def lost_corrections(root: Path, against: str = "HEAD") -> list[Problem]:
    """A problem for every correction in `against`'s version of a brief that
    is gone from, or changed in, the brief as it is now, and for every brief
    with a correction there that is no longer here."""
    if _unknown_revision(root, against):
        return [Problem("briefs", 1, 1, f"--against {against}: this copy of the project does not hold that version, so no "
                                         "correction could be compared; bring it in (a CI checkout may need more history), "
                                         "or name another")]
    version = PUBLISHED if against == "HEAD" else f"{PUBLISHED} ({against})"
    now = _briefs_now(root)
    holders: list[tuple[str, set[tuple[str, str]]]] | None = None  # read once, if a brief is gone
    problems = []
    for shown, committed in sorted(_published(root, against).items()):
        # Most briefs never had a correction: skip parsing those.
        old = _corrections(load_yaml_bytes(committed, shown)[0]) if b"corrections" in committed else set()
        if not old:
            continue
        here = _same_brief(now.get(_identity(shown), []), shown)
        if here is None:
            holders = _corrections_now(root, now) if holders is None else holders
            problems.append(_gone(shown, old, version, next((path for path, kept in holders if old <= kept), None)))
        elif not here.is_symlink():  # a link is an error of its own, never read
            problems += _changed(here, relative(here, root), old, version)
    return problems


def _changed(path: Path, shown: str, old: set[tuple[str, str]], version: str) -> list[Problem]:
    node = load_yaml_file(path, shown)[0]
    now = _corrections(node)
    where = _entry(node, "corrections")[0] or Node("scalar", "", 1, 1)
    return [Problem(shown, where.line, where.column,
                    f"corrections: the correction of {date} (\"{_quoted(text)}\") in {version} is gone or changed; "
                    "a published correction is never deleted or edited: put it back as it was and add a new one")
            for date, text in sorted(old) if (date, text) not in now]


def _gone(shown: str, old: set[tuple[str, str]], version: str, moved_to: str | None) -> Problem:
    dates = ", ".join(sorted({date for date, _ in old}))
    seen = f" (its corrections are now in {moved_to})" if moved_to else ""
    return Problem(shown, 1, 1,
                   f"this brief is gone{seen}, and it had a correction in {version} ({dates}); a brief with a published "
                   "correction is never deleted, renamed or moved to another story: to take it off the site, put it back "
                   "here as it was, with 'draft: true' and its corrections kept")


def _quoted(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def _identity(shown: str) -> tuple[str, str]:
    """A brief's story and slug, from its path under briefs/."""
    _, story, name = shown.split("/")
    return story, name.rsplit(".", 1)[0]


def _same_brief(files: list[Path], shown: str) -> Path | None:
    """The file of the brief now, the same name first (a slug with both
    endings is an error of its own)."""
    return next((f for f in files if f.name == shown.rsplit("/", 1)[1]), files[0] if files else None)


def _corrections_now(root: Path, now: dict[tuple[str, str], list[Path]]) -> list[tuple[str, set[tuple[str, str]]]]:
    """Each brief here with corrections, and them: a gone brief's
    corrections found in one of them tell where an editor moved it."""
    found = []
    for path in (path for files in now.values() for path in files if not path.is_symlink()):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if b"corrections" in data:
            found.append((relative(path, root), _corrections(load_yaml_bytes(data, relative(path, root))[0])))
    return found


def _briefs_now(root: Path) -> dict[tuple[str, str], list[Path]]:
    """The briefs here by (story, slug): not hidden, and no symbolic link
    on the way to the story folder (an error of its own) that would lead
    outside briefs/. A brief that is itself a link is listed, never read."""
    content = root / "briefs"
    if content.is_symlink() or not content.is_dir():
        return {}
    found: dict[tuple[str, str], list[Path]] = {}
    for folder in sorted(content.iterdir()):
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if _is_brief_name(path.name):
                found.setdefault((folder.name, path.stem), []).append(path)
    return found


def _is_brief_name(name: str) -> bool:
    stem, dot, suffix = name.rpartition(".")
    return bool(dot) and f".{suffix}" in YAML_SUFFIXES and stem != "story" and not name.startswith(".")


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


def _published(root: Path, against: str) -> dict[str, bytes]:
    """{path: content at `against`} of every brief there (briefs/<story>/<slug>.yaml
    or .yml, not hidden, not a link), read by two git processes. Paths
    travel NUL-separated, and contents are asked for by object id, so no
    file name (one holding a newline) can shift one file's answer onto another."""
    try:
        # `against` is a revision, never an option (`--against=--full-tree`).
        listing = subprocess.run(["git", "ls-tree", "-r", "-z", "--end-of-options", against, "--", "briefs"],
                                 cwd=root, capture_output=True, check=True).stdout
        blobs = {}
        for entry in listing.split(b"\0"):
            about, _, name = entry.partition(b"\t")
            path = os.fsdecode(name)
            mode, kind, oid = (about.split(b" ") + [b"", b"", b""])[:3]
            parts = path.split("/")
            if kind == b"blob" and mode != b"120000" and len(parts) == 3 and not parts[1].startswith(".") \
                    and _is_brief_name(parts[2]):
                blobs[path] = oid
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
