"""Corrections are never lost: each brief's corrections in the last commit
must still be there, unchanged. Read with git; outside a git checkout (or
before the first commit) there is nothing to compare with, and no error."""
from __future__ import annotations

import subprocess
from pathlib import Path

from .load_yaml import Node, load_yaml_bytes, load_yaml_file
from .problems import Problem, relative

YAML_SUFFIXES = (".yaml", ".yml")


def lost_corrections(root: Path, against: str = "HEAD") -> list[Problem]:
    """A problem for every correction in `against`'s version of a brief that
    is gone from, or changed in, the brief as it is now."""
    briefs = [p for p in sorted((root / "briefs").glob("*/*")) if p.suffix in YAML_SUFFIXES and p.stem != "story"]
    before = _committed(root, against, [relative(p, root) for p in briefs])
    problems = []
    for path in briefs:
        shown = relative(path, root)
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


def _committed(root: Path, against: str, paths: list[str]) -> dict[str, bytes]:
    """{path: content at `against`} for the paths that exist there, read by one git process."""
    try:
        prefix = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        requests = "".join(f"{against}:{prefix}{path}\n" for path in paths).encode()
        output = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input=requests, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):  # no git, or not a checkout
        return {}
    found, offset = {}, 0
    for path in paths:
        header_end = output.index(b"\n", offset)
        header = output[offset:header_end].split()
        offset = header_end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[path] = output[offset:offset + size]
            offset += size + 1
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
