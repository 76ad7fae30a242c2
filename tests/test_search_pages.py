"""The search pages Pagefind reads: after a save, the preview writes again
only the saved brief's (it used to convert every brief's article again,
which delayed search by seconds at 1,000 briefs), and a brief gone from
the content is gone from them."""
from __future__ import annotations

from pathlib import Path

from conftest import copy_project
from generator.build import check_project, render_project
from generator.search import SearchPages


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("index.html")}


def _render(root: Path) -> Path:
    render_project(root, check_project(root))
    return root / "build/docs"


def test_a_save_writes_again_only_that_briefs_search_page(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    pages = SearchPages(tmp_path / "search-pages")
    assert pages.write(_render(root)) >= 2
    before = _stamps(pages.folder)
    saved = sorted((root / "briefs").rglob("20*.yaml"))[0]
    saved.write_text(saved.read_text(encoding="utf-8").replace("\nsummary: \"", "\nsummary: \"Zanzibar. ", 1), encoding="utf-8")
    pages.write(_render(root))
    after = _stamps(pages.folder)
    changed = [name for name in after if after[name] != before[name]]
    assert len(changed) == 1
    assert "Zanzibar" in (pages.folder / changed[0]).read_text(encoding="utf-8")


def test_a_brief_removed_loses_its_search_page(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    pages = SearchPages(tmp_path / "search-pages")
    count = pages.write(_render(root))
    removed = sorted((root / "briefs").rglob("20*.yaml"))[-1]
    removed.unlink()
    assert pages.write(_render(root)) == count - 1
    assert len(_stamps(pages.folder)) == count - 1
    assert not any(removed.stem in name for name in _stamps(pages.folder))


def test_a_new_set_of_search_pages_starts_from_an_empty_folder(tmp_path: Path):
    stale = tmp_path / "search-pages/old-story/old-brief/index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<p>a brief of an earlier build</p>", encoding="utf-8")
    SearchPages(tmp_path / "search-pages").write(_render(copy_project(tmp_path / "project")))
    assert not stale.exists()
