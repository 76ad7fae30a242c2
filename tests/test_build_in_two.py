"""A large build runs MkDocs in two processes; the site must be the one a
single process would have built."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, copy_project, write
from generator.build import check_project, newest_epoch, render_project
from generator import mkdocs_engine
from generator.mkdocs_engine import build_pages
from generator.problems import ContentErrors

build = mkdocs_engine._build


def digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def sitemap_urls(site: Path) -> set[tuple[str, str]]:
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text
    return set(re.findall(r"<loc>(.*?)</loc>\s*<lastmod>(.*?)</lastmod>", text))


def search_entries(site: Path) -> list[tuple]:
    index = site / "search/search_index.json"
    if not index.is_file():  # no search plugin
        return []
    return sorted((d["location"], d["title"], d["text"]) for d in json.loads(index.read_text(encoding="utf-8"))["docs"])


def test_two_processes_build_the_same_site_as_one(tmp_path: Path, monkeypatch):
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project", with_briefs=False)
    for story in ("first-story", "second-story"):
        write(root / f"briefs/{story}/story.yaml", f"title: {story}\nsummary: Where it stands.\n")
        for day in range(1, 8):
            brief = MINIMAL_BRIEF.replace("2024-05-07", f"2024-05-{day:02d}").replace("A development", f"Day {day} of {story}")
            write(root / f"briefs/{story}/2024-05-{day:02d}-day.yaml", brief)
    project = check_project(root, include_drafts=False)
    _, nav = render_project(root, project)
    epoch = newest_epoch(project)
    build_pages(root, tmp_path / "one", nav, epoch, split_from=10**9)
    skipped_here = []  # what this process left to the forked one
    monkeypatch.setattr(mkdocs_engine, "_build", lambda *args, **kw: (skipped_here.append(kw.get("skipped")), build(*args, **kw)))
    build_pages(root, tmp_path / "two", nav, epoch, split_from=2)
    assert "first-story/2024-05-02-day.md" in skipped_here[0] and "first-story/2024-05-01-day.md" not in skipped_here[0]

    one, two = digest(tmp_path / "one"), digest(tmp_path / "two")
    assert "second-story/2024-05-02-day/index.html" in two  # a brief the second process built
    assert not (tmp_path / "two-second").exists()
    for merged in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json"):  # same entries, another order
        one.pop(merged, None), two.pop(merged, None)
    assert one == two
    assert search_entries(tmp_path / "one") == search_entries(tmp_path / "two")
    assert sitemap_urls(tmp_path / "one") == sitemap_urls(tmp_path / "two")
    assert len(sitemap_urls(tmp_path / "two")) == 2 * 7 + 2 + len(nav) - 2 + 1  # briefs, hubs, home and guide, tags


def _two_stories(root: Path) -> None:
    for story in ("first-story", "second-story"):
        write(root / f"briefs/{story}/story.yaml", f"title: {story}\nsummary: Where it stands.\n")
        for day in range(1, 8):
            brief = MINIMAL_BRIEF.replace("2024-05-07", f"2024-05-{day:02d}").replace("A development", f"Day {day} of {story}")
            write(root / f"briefs/{story}/2024-05-{day:02d}-day.yaml", brief)


def test_a_build_on_two_cores_publishes_the_site_one_process_publishes(tmp_path: Path, monkeypatch):
    """The whole `briefs build` with every stage shared out (render in a
    forked process, MkDocs in a second one, cards drawn by a worker while
    the pages are made, Pagefind beside the feeds): the same files, the
    same bytes, search index and cards included, as with none shared."""
    from generator import build as build_module, cards

    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project", with_briefs=False)
    _two_stories(root)
    monkeypatch.setattr(mkdocs_engine, "SPLIT_FROM", 10**9)
    monkeypatch.setattr(cards, "DRAW_IN_TWO_FROM", 10**9)
    build_module.build_site(root, site=tmp_path / "one")
    shutil.rmtree(root / "build")  # cold again: no rendered page, no card

    forked, workers = [], []
    monkeypatch.setattr(mkdocs_engine, "SPLIT_FROM", 2)
    monkeypatch.setattr(cards, "DRAW_IN_TWO_FROM", 2)
    monkeypatch.setattr(build_module, "_render_part", lambda *args, _part=build_module._render_part: (forked.append(os.getpid()), _part(*args))[1])
    original_start = build_module.CardsMeanwhile.__init__
    monkeypatch.setattr(build_module.CardsMeanwhile, "__init__", lambda self, *a: (original_start(self, *a), workers.append(self.worker))[0])
    build_module.build_site(root, site=tmp_path / "two")
    assert len(forked) == 1 and forked[0] == os.getpid()  # this process rendered its part; the forked one recorded its own elsewhere
    assert workers[0] is not None and workers[0].exitcode == 0

    one, two = digest(tmp_path / "one"), digest(tmp_path / "two")
    assert any(name.endswith(".png") for name in two)
    for merged in ("sitemap.xml", "sitemap.xml.gz"):  # same entries, another order
        one.pop(merged), two.pop(merged)
    assert search_pages(one) == search_pages(two) and len(search_pages(two)) == 14
    assert without_search_index(one) == without_search_index(two)
    assert sitemap_urls(tmp_path / "one") == sitemap_urls(tmp_path / "two")


def search_pages(files: dict[str, str]) -> dict[str, str]:
    """Pagefind's fragments: one a page, named by what it holds. The rest of
    its index numbers the pages in the order it met their files, which is
    the file system's order of a folder's entries, not ours."""
    return {name: sha for name, sha in files.items() if name.startswith("assets/pagefind/fragment/")}


def without_search_index(files: dict[str, str]) -> dict[str, str]:
    return {name: sha for name, sha in files.items() if not name.startswith("assets/pagefind/")}


def test_a_page_that_fails_in_either_process_fails_the_build_as_in_one(tmp_path: Path, monkeypatch):
    """The error of the first failing page in the one-process order, whichever process rendered it."""
    from generator import build as build_module, page_meta

    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project", with_briefs=False)
    _two_stories(root)
    for day in (3, 4):  # the forked process renders the first, this one the second
        path = root / f"briefs/second-story/2024-05-0{day}-day.yaml"
        path.write_text(path.read_text(encoding="utf-8") + f'tags: ["day \\u2028 {day}"]\n', encoding="utf-8")
    monkeypatch.setattr(page_meta, "_YAML_UNSAFE", re.compile("(?!)"))  # forced: a line separator folds in MkDocs' reader
    project = check_project(root, include_drafts=False)
    errors = []
    for split_from in (10**9, 2):
        with pytest.raises(ContentErrors) as raised:
            render_project(root, project, split_from=split_from)
        errors.append([p.human() for p in raised.value.problems])
    assert errors[0] == errors[1] and "second-story/2024-05-03-day.yaml" in errors[0][0]
