"""The Markdown pages as files under the docs folder (build/docs/): which
are briefs' pages, and writing only the pages that changed, so MkDocs and
the preview see real changes only."""
from __future__ import annotations

import os
from pathlib import Path


def is_brief_page(name: str) -> bool:
    """Whether a page's path under docs is a brief's (`<story>/<brief>.md`)."""
    return name.count("/") == 1 and not name.endswith("/index.md") and not name.startswith(("tags/", "authors/"))


def write_pages(pages: dict[str, str], docs: Path, keep: tuple[str, ...] = ()) -> list[str]:
    """Write pages that changed, remove pages that are gone; return what was written."""
    written = write_changed(pages, docs)
    remove_stale(docs, set(pages) | set(keep))
    return written


def write_changed(pages: dict[str, str], docs: Path) -> list[str]:
    """Write the pages whose text changed; return their names."""
    written = []
    for name, text in pages.items():
        target = docs / name
        data = text.encode("utf-8")
        try:
            if target.read_bytes() == data:
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written.append(name)
    return written


def remove_stale(docs: Path, wanted: set[str]) -> None:
    """Remove the files under docs that are not `wanted` pages, and emptied folders."""
    for path in sorted(docs.rglob("*"), reverse=True):
        name = path.relative_to(docs).as_posix()
        if path.is_file() and name not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()

