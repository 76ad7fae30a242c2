"""A large build runs MkDocs in two processes; the site must be the one a
single process would have built."""
from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

from conftest import MINIMAL_BRIEF, copy_project, write
from generator.build import check_project, newest_epoch, render_project
from generator import mkdocs_engine
from generator.mkdocs_engine import build_pages

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
