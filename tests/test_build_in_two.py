"""A large build runs on two cores (the render in a forked process, MkDocs
in two, cards drawn by a worker, Pagefind beside the feeds); the site must
be the one a single process would have built."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import MINIMAL_BRIEF, ROOT, copy_project, write
from generator.build import check_project, newest_epoch, render_project
from generator import mkdocs_engine, workers
from generator.mkdocs_engine import build_pages
from generator.workers import Workers

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
    """MkDocs in two processes (a forked copy building every other brief):
    the same files, byte for byte, the merged sitemap included."""
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
    build_pages(root, tmp_path / "one", nav, epoch, workers=Workers(2))  # 14 briefs: below SPLIT_FROM
    skipped_here = []  # what this process left to the forked one
    monkeypatch.setattr(mkdocs_engine, "_build", lambda *args, **kw: (skipped_here.append(kw.get("skipped")), build(*args, **kw)))
    monkeypatch.setattr(mkdocs_engine, "SPLIT_FROM", 2)
    monkeypatch.setattr(workers, "may_fork", lambda: True)  # a test runner's threads aside
    build_pages(root, tmp_path / "two", nav, epoch, workers=Workers(2))
    assert "first-story/2024-05-02-day.md" in skipped_here[0] and "first-story/2024-05-01-day.md" not in skipped_here[0]

    one, two = digest(tmp_path / "one"), digest(tmp_path / "two")
    assert "second-story/2024-05-02-day/index.html" in two  # a brief the second process built
    assert not (tmp_path / "two-part-1").exists()
    assert one == two
    assert search_entries(tmp_path / "one") == search_entries(tmp_path / "two")
    assert sitemap_urls(tmp_path / "one") == sitemap_urls(tmp_path / "two")
    assert len(sitemap_urls(tmp_path / "two")) == 2 * 7 + 2 + 1 + 1 + 1  # briefs, hubs, home, guide (out of nav), tags


# A build in a fresh interpreter (a test process may run threads, with
# which nothing forks), sharing out from `split_from` briefs or files. What
# ran shared out is told in a file (from forked processes too).
BUILD = """
import json, os, sys
from pathlib import Path
from generator import build, cards, mkdocs_engine, validate, workers
root, site, split_from, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
mkdocs_engine.SPLIT_FROM = build.RENDER_SHARED_FROM = validate.READ_SHARED_FROM = split_from
cards.DRAW_SHARED_FROM = build.INDEX_ALONE_FROM = split_from
told = site.with_name(site.name + ".told")
def tell(*line):
    with open(told, "a") as out:
        out.write(json.dumps(line) + "\\n")
run, meanwhile, apart = workers.Workers.run, workers.Meanwhile.__init__, workers.Workers.apart
def counted_run(self, tasks):
    if len(tasks) > 1:
        tell(tasks[0].func.__name__, len(tasks))
    return run(self, tasks)
def counted_meanwhile(self, items, do, helpers):
    tell("cards", helpers)
    meanwhile(self, items, do, helpers)
def counted_apart(self, work):
    tell("apart", os.getpid())
    return apart(self, work)
workers.Workers.run, workers.Meanwhile.__init__, workers.Workers.apart = counted_run, counted_meanwhile, counted_apart
result = build.build_site(root, site=site, workers=workers.Workers(jobs))
lines = [json.loads(line) for line in told.read_text().splitlines()]
print(json.dumps({"ran": sorted(line for line in lines if line[0] != "apart"), "index_after": result.index_after}))
"""


def build_in_fresh_process(root: Path, site: Path, split_from: int, jobs: int) -> dict:
    result = subprocess.run([sys.executable, "-c", BUILD, str(root), str(site), str(split_from), str(jobs)], cwd=root,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_build_on_two_cores_publishes_the_site_one_process_publishes(tmp_path: Path):
    """The whole `briefs build` with every stage shared out (the check and
    the render in forked processes, MkDocs in two, cards drawn by a worker
    while the pages are made, Pagefind beside the feeds): the same files,
    the same bytes, search index and cards included, as with one job."""
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project", with_briefs=False)
    _two_stories(root)
    assert build_in_fresh_process(root, tmp_path / "one", 2, 1) == {"ran": [["cards", 0]], "index_after": True}
    shutil.rmtree(root / "build")  # cold again: no rendered page, no card
    # Each stage shared out by the build's own forked process; the index made after it ended.
    assert build_in_fresh_process(root, tmp_path / "two", 2, 2) == {
        "ran": [["_build", 2], ["_records", 2], ["_render_part", 2], ["cards", 1]], "index_after": True}

    one, two = digest(tmp_path / "one"), digest(tmp_path / "two")
    assert any(name.endswith(".png") for name in two)
    assert search_pages(one) == search_pages(two) and len(search_pages(two)) == 14
    assert not (root / "build/search-pages").exists()
    assert without_search_index(one) == without_search_index(two)


def _two_stories(root: Path) -> None:
    for story in ("first-story", "second-story"):
        write(root / f"briefs/{story}/story.yaml", f"title: {story}\nsummary: Where it stands.\n")
        for day in range(1, 8):
            brief = MINIMAL_BRIEF.replace("2024-05-07", f"2024-05-{day:02d}").replace("A development", f"Day {day} of {story}")
            write(root / f"briefs/{story}/2024-05-{day:02d}-day.yaml", brief)


def search_pages(files: dict[str, str], folder: str = "assets/pagefind/fragment/") -> dict[str, str]:
    """Pagefind's fragments: one a page, named by what it holds. The rest of
    its index numbers the pages in the order it met their files, which is
    the file system's order of a folder's entries, not ours."""
    return {name.removeprefix(folder): sha for name, sha in files.items() if name.startswith(folder)}


def without_search_index(files: dict[str, str]) -> dict[str, str]:
    return {name: sha for name, sha in files.items() if not name.startswith("assets/pagefind/")}


RENDER = """
import json, re, sys
from pathlib import Path
from generator import build, page_meta, workers
page_meta._YAML_UNSAFE = re.compile("(?!)")  # forced: a line separator folds in MkDocs' reader
root = Path(sys.argv[1])
project = build.check_project(root, include_drafts=False)
render_shared, forked = build._render_shared, []
build._render_shared = lambda *args: forked.append(1) or render_shared(*args)
build.RENDER_SHARED_FROM = int(sys.argv[2])
try:
    build.render_project(root, project, workers=workers.Workers(2))
except build.ContentErrors as errors:
    print(json.dumps({"forked": len(forked), "errors": [p.human() for p in errors.problems]}))
"""


def test_a_page_that_fails_in_either_process_fails_the_build_as_in_one(tmp_path: Path):
    """The error of the first failing page in the one-process order, whichever process rendered it."""
    (tmp_path / "project").mkdir()
    root = copy_project(tmp_path / "project", with_briefs=False)
    _two_stories(root)
    for day in (3, 4):  # the forked process renders the first, this one the second
        path = root / f"briefs/second-story/2024-05-0{day}-day.yaml"
        path.write_text(path.read_text(encoding="utf-8") + f'tags: ["day \\u2028 {day}"]\n', encoding="utf-8")
    outcomes = []
    for split_from in (10**9, 2):
        result = subprocess.run([sys.executable, "-c", RENDER, str(root), str(split_from)], cwd=root,
                                capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert result.returncode == 0 and result.stdout, result.stderr
        outcomes.append(json.loads(result.stdout))
    assert [o["forked"] for o in outcomes] == [0, 1]
    assert outcomes[0]["errors"] == outcomes[1]["errors"] and "second-story/2024-05-03-day.yaml" in outcomes[0]["errors"][0]
