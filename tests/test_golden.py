"""The rendered Markdown of the example story, compared with a committed
golden copy (tests/golden/), as Pelican compares whole builds. A change in
the pages shows as a diff to review; `make golden` refreshes the copy."""
from __future__ import annotations

import difflib
import os
from pathlib import Path

from conftest import EXAMPLE_PROJECT
from generator.build import check_project
from generator.render import Renderer

GOLDEN = Path(__file__).parent / "golden"


def test_rendered_markdown_matches_the_golden_copy():
    pages = Renderer(check_project(EXAMPLE_PROJECT, include_drafts=False)).pages()
    if os.environ.get("BRIEFS_REFRESH_GOLDEN"):
        for stale in GOLDEN.rglob("*.md"):  # a page the example no longer has
            stale.unlink()
        for name, text in pages.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(golden)
    for name, text in pages.items():
        diff = "".join(difflib.unified_diff(golden[name].splitlines(True), text.splitlines(True), f"golden/{name}", name))
        assert not diff, f"{name} differs from its golden copy (run `make golden` if intended):\n{diff[:4000]}"
