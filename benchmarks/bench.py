"""How fast is briefs at newsroom scale? One run, one table.

    .venv/bin/python benchmarks/bench.py [--sizes 100,1000,5000] [--out docs/benchmarks.md]

For each size N it writes N synthetic briefs (10 claims with sources,
3 questions, 3 positions with quotes, 6 timeline events, ~300 words of
context; N/20 stories) into a temporary project, then runs each stage in
its own process, so each has its own peak memory (the child's maxrss):

- parse floor: every file read and parsed by libyaml's C composer alone;
- check: the `briefs check` command (load, validate, resolve sources),
  cold: no cache under build/check-cache/ yet (it writes one);
- check after one edit: `briefs check` again once one brief's summary is
  edited, with the cache the cold check wrote;
- render: the validated model to Markdown files, into an empty folder
  (the check before it is not timed);
- mkdocs: MkDocs building the Markdown the render stage wrote, with
  briefs' navigation;
- build: the whole `briefs build` command, as an editor runs it, cold
  (no `build/` folder: no rendered Markdown, compiled template or drawn
  card kept), as CI and GitHub Pages build; with the peak of its memory
  summed over all its processes (see `TreeMemory`). Up to 1,000 briefs,
  once more with only the cards kept from that build (the build without
  its cards' stage), and a plain MkDocs + Material site of as many prose
  pages with the same words per page and Material's default search, the
  yardstick of issue 14. The cold build runs with `--timings`, which gives
  each stage's wall and CPU seconds inside it (the third table);
- cards: every social card (one per brief and per story hub) drawn into
  an empty cache, then the same again with the cache full (what a build
  whose briefs did not change pays); bytes are the cards' average size;
- preview: what `briefs serve` does after one brief is saved (check,
  render of the pages the save affects, MkDocs' dirty build of the pages
  whose Markdown changed, feeds); run up to 1,000 briefs, the target's size.
  The search index it then makes in the background is not timed;
- reader bytes: the built site served gzip-compressed as GitHub Pages
  serves it, Chromium at phone size opens a brief in the middle of the
  archive (first view: every byte received until the network is idle),
  then opens search and types one common word (one search: the bytes
  that adds, results shown).

Times are CPU seconds (user + system, of a stage's process and the
processes it waits for), which a machine shared with other work disturbs
far less than wall-clock time; in brackets, the wall-clock seconds of the
stage's process, start-up included (a build of 200 briefs or more runs
MkDocs in two processes, so its wall time can be below its CPU time).
Every stage runs with the garbage-collector setting of the `briefs` command.
Stage times exclude interpreter start and imports except `build`, which is
the whole command. Ratios are of figures from the same run.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("negotiators mediators ceasefire delegation proposal hostages prisoners border crossing "
         "officials spokesman statement talks agreement stage withdrawal displaced return aid "
         "convoy trucks humanitarian government minister parliament vote election ballot results "
         "turnout district coalition opposition sources reported confirmed the a of in on and to "
         "with after before during since which would could said according").split()
STATUSES = ("confirmed", "reported", "claimed", "disputed", "debunked")
SOURCES = 40  # in briefs/sources.yaml
PREVIEW_UP_TO = 1000  # the preview's target is for 1,000 briefs; it first builds the whole site, untimed
SEARCHED_WORD = "ceasefire"  # in most synthetic briefs: a search that matches much of the archive


# --- the synthetic project ---------------------------------------------------

def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def brief_yaml(rng: random.Random, number: int, day: dt.date) -> str:
    out = [
        f"title: {quoted(sentence(rng, 10))}",
        f"question: {quoted('What do we know about ' + sentence(rng, 6)[:-1] + '?')}",
        f"date: {day.isoformat()}T{number % 24:02d}:00:00+03:00",
        "location: \"Cairo\"",
        "authors:\n  - \"Briefs desk\"",
        f"summary: {quoted(sentence(rng, 25) + ' ' + sentence(rng, 20))}",
        "what_we_know:",
    ]
    for i in range(10):
        status = STATUSES[i % len(STATUSES)]
        # Some claims carry Markdown, as real ones do: emphasis, a link.
        text = sentence(rng, 22)
        if i % 4 == 0:
            text += " It was *first* reported by [the agency](https://example.org/report)."
        cited = ", ".join(f"source-{rng.randrange(SOURCES)}" for _ in range(2))
        out += [f"  - id: claim-{i}", f"    text: {quoted(text)}", f"    status: {status}", f"    sources: [{cited}]"]
    out.append("what_we_dont_know:")
    out += [f"  - {quoted(sentence(rng, 10)[:-1] + '?')}" for _ in range(3)]
    out.append("positions:")
    for i in range(3):
        out += [f"  - party: {quoted('Party ' + str(i))}", f"    stance: {quoted(sentence(rng, 20))}", "    quotes:",
                f"      - text: {quoted(sentence(rng, 15))}", f"        by: \"Spokesperson {i}\"",
                "        role: \"spokesperson\"", f"        source: source-{rng.randrange(SOURCES)}",
                f"        date: {day.isoformat()}"]
    out.append("timeline:")
    for i in range(6):
        out += [f"  - date: \"{2000 + i * 4}-0{1 + i}\"", f"    text: {quoted(sentence(rng, 14))}",
                f"    source: source-{rng.randrange(SOURCES)}"]
    paragraphs = [" ".join(sentence(rng, 15) for _ in range(5)) for _ in range(4)]
    paragraphs.insert(2, "### Background\n\n- " + sentence(rng, 10) + "\n- " + sentence(rng, 10))
    out.append("context: |")
    out += [("  " + line) if line else "" for line in "\n\n".join(paragraphs).split("\n")]
    out.append("whats_next:")
    out += [f"  - {quoted(sentence(rng, 12))}" for _ in range(2)]
    out.append("sources:")
    out += ["  - id: local-report", "    name: \"Local newspaper\"", "    url: \"https://example.net/story\"", "    kind: \"newspaper\""]
    out.append("tags: [\"talks\", \"gaza\"]")
    return "\n".join(out) + "\n"


def write_project(target: Path, briefs: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    # The frozen example's settings, not the project's own: a newsroom's
    # mkdocs.yml changes neither the figures nor the tests that use this.
    shutil.copy(ROOT / "tests/fixtures/example/mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    content = target / "briefs"
    content.mkdir()
    (content / "sources.yaml").write_text("".join(
        f"- id: source-{i}\n  name: \"Source {i}\"\n  url: \"https://example.com/{i}\"\n  kind: \"wire agency\"\n"
        for i in range(SOURCES)), encoding="utf-8")
    stories = max(1, briefs // 20)
    start = dt.date(2020, 1, 1)
    for s in range(stories):
        folder = content / f"story-{s:04d}"
        folder.mkdir()
        (folder / "story.yaml").write_text(f"title: \"Story {s}\"\nsummary: {quoted(sentence(rng, 20))}\n", encoding="utf-8")
    for b in range(briefs):
        day = start + dt.timedelta(days=b // stories)
        name = f"{day.isoformat()}-development-{b:05d}.yaml"
        (content / f"story-{b % stories:04d}" / name).write_text(brief_yaml(rng, b, day), encoding="utf-8")


# --- stages, each run in a child process ---------------------------------------

def stage(name: str, project: Path) -> float:
    """Run one stage in this process; return its seconds."""
    sys.path.insert(0, str(ROOT))
    from generator import build as b
    from generator import cli
    from generator.stage_clock import cpu_seconds  # this process's, and the processes it waited for

    nav_file = project / b.BUILD_DIR / "nav.json"  # the render stage's navigation, for the mkdocs stage
    if name == "floor":
        import yaml

        files = sorted((project / "briefs").rglob("*.y*ml"))
        started = cpu_seconds()
        for path in files:
            yaml.compose(path.read_bytes().decode("utf-8-sig"), Loader=yaml.CSafeLoader)
        return cpu_seconds() - started
    if name == "check":
        started = cpu_seconds()
        if cli.main(["check"]) != 0:
            raise SystemExit("the synthetic project does not pass briefs check")
        return cpu_seconds() - started
    if name == "recheck":
        edited = sorted((project / "briefs").rglob("*development*.yaml"))[0]
        edited.write_text(edited.read_text(encoding="utf-8").replace("\nsummary: \"", "\nsummary: \"Edited. ", 1), encoding="utf-8")
        started = cpu_seconds()
        if cli.main(["check"]) != 0:
            raise SystemExit("the edited synthetic project does not pass briefs check")
        return cpu_seconds() - started
    if name == "render":
        project_model = b.check_project(project, include_drafts=False)
        shutil.rmtree(project / b.BUILD_DIR, ignore_errors=True)
        started = cpu_seconds()
        _, nav = b.render_project(project, project_model)
        seconds = cpu_seconds() - started
        nav_file.write_text(json.dumps(nav), encoding="utf-8")
        return seconds
    if name == "mkdocs":
        from generator.mkdocs_engine import build_pages

        nav = json.loads(nav_file.read_text(encoding="utf-8"))
        started = cpu_seconds()
        from generator.workers import Workers, cores

        build_pages(project, project / "site-mkdocs", nav, epoch=0, workers=Workers(cores()))  # the epoch without reading the briefs
        return cpu_seconds() - started
    if name == "cards":
        from generator.cards import write_cards

        project_model = b.check_project(project, include_drafts=False)
        cache = project / b.BUILD_DIR / "cards-bench"
        started = cpu_seconds()
        drawn = write_cards(project_model, cache, project / "site-cards")
        cold = cpu_seconds() - started
        started = cpu_seconds()
        write_cards(project_model, cache, project / "site-cards-again")
        warm = cpu_seconds() - started
        sizes = [p.stat().st_size for p in cache.glob("*.png")]
        return {"cold": cold, "warm": warm, "count": drawn.drawn, "bytes": sum(sizes) / len(sizes)}
    if name == "preview":
        from generator.serve import Preview
        from generator.settings import SiteAddress

        preview = Preview(project, project / "site-preview", SiteAddress.preview("127.0.0.1", 8000), report=print)
        with contextlib.redirect_stdout(sys.stderr):
            preview.build()  # as `briefs serve` starts: not timed
            preview.search.wait()  # its search index, made in the background
            briefs = sorted((project / "briefs").rglob("*development*.yaml"))
            saved = briefs[len(briefs) // 2]
            saved.write_text(saved.read_text(encoding="utf-8").replace("\nsummary: \"", "\nsummary: \"Updated. ", 1), encoding="utf-8")
            started = cpu_seconds()
            preview.build()  # what `briefs serve` does after the save
            seconds = cpu_seconds() - started
            preview.search.wait()
            return seconds
    raise SystemExit(f"unknown stage {name}")


def measure(args: list[str], cwd: Path, tree: list[float] | None = None, env: dict | None = None) -> tuple[float, float, str, float]:
    """CPU seconds, peak resident MiB, stdout and wall seconds of one child
    process (CPU includes the processes it waited for; the peak is its
    largest process's). With `tree`, the peak of the memory summed over the
    child and all its descendants is appended to it (see `TreeMemory`)."""
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    sampler = TreeMemory(child.pid) if tree is not None else None
    out, err = child.stdout.read().decode(), child.stderr.read().decode()  # small: no pipe can fill
    if sampler is not None:
        tree.append(sampler.stop())
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, unlike RUSAGE_CHILDREN
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close(), child.stderr.close()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{err}")
    if err.strip():
        print(err.strip(), file=sys.stderr)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out, time.perf_counter() - started


class TreeMemory:
    """The peak, sampled every SAMPLE seconds, of the memory of a process
    and all its descendants summed: each process's proportional set size
    (PSS, /proc/<pid>/smaps_rollup), which counts a page shared by several
    processes (a forked child's copy of its parent) once in all, where
    resident sizes would count it in each."""

    SAMPLE = 0.1

    def __init__(self, pid: int):
        self.pid, self.peak = pid, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        """The peak in MiB."""
        self._done.set()
        self._thread.join()
        return self.peak / 1024

    def _run(self) -> None:
        while not self._done.wait(self.SAMPLE):
            self.peak = max(self.peak, sum(self._pss(pid) for pid in self._tree()))

    def _tree(self) -> list[int]:
        parents = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
        tree, new = {self.pid}, [self.pid]
        while new:
            new = [pid for pid, parent in parents.items() if parent in new and pid not in tree]
            tree.update(new)
        return sorted(tree)

    @staticmethod
    def _pss(pid: int) -> int:
        """kB."""
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:  # ended meanwhile
            return 0
        return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)


# --- a plain Material site, the build's yardstick --------------------------------

PLAIN_MKDOCS_YML = """site_name: Plain prose
site_url: https://example.github.io/plain/
use_directory_urls: true
theme:
  name: material
  font: false
plugins:
  - search
nav:
  - index.md
{sections}
not_in_nav: |
  /*/*.md
"""


def words_per_brief(project: Path, sample: int = 50) -> int:
    """The words of a synthetic brief's text, every field's, on average."""
    import yaml

    def words(value) -> int:
        if isinstance(value, str):
            return len(value.split())
        if isinstance(value, dict):
            return sum(words(v) for v in value.values())
        if isinstance(value, list):
            return sum(words(v) for v in value)
        return 0
    files = sorted((project / "briefs").rglob("*development*.yaml"))[:sample]
    return round(sum(words(yaml.safe_load(f.read_text(encoding="utf-8"))) for f in files) / len(files))


def write_plain_site(target: Path, pages: int, words: int, seed: int = 7) -> None:
    """`pages` pages of prose of `words` words each, in folders of 20 like
    the stories, MkDocs' default Material theme and search plugin; the
    navigation names the home page and 10 folders, as the briefs' does."""
    rng = random.Random(seed)
    docs = target / "docs"
    folders = max(1, pages // 20)
    docs.mkdir(parents=True)
    (target / "mkdocs.yml").write_text(PLAIN_MKDOCS_YML.format(
        sections="\n".join(f"  - section-{f:04d}/index.md" for f in range(min(10, folders)))), encoding="utf-8")
    (docs / "index.md").write_text("# Plain prose\n\n" + sentence(rng, 30) + "\n", encoding="utf-8")
    for f in range(folders):
        (docs / f"section-{f:04d}").mkdir()
        (docs / f"section-{f:04d}/index.md").write_text(f"# Section {f}\n\n{sentence(rng, 20)}\n", encoding="utf-8")
    for n in range(pages):
        left, parts = words, [f"# {sentence(rng, 10)[:-1]}"]
        while left > 0:
            if len(parts) % 4 == 0:
                parts.append(f"## {sentence(rng, 4)[:-1]}")
            length = min(left, 60)
            parts.append(sentence(rng, length))
            left -= length
        (docs / f"section-{n % folders:04d}" / f"page-{n:05d}.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


# --- what a reader downloads -------------------------------------------------------

COMPRESSED = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """The site under /briefs/, text gzip-compressed as GitHub Pages sends it
    (Pagefind's index chunks are compressed already and go as they are)."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path.removeprefix("/briefs")))
        if path.is_dir():
            path = path / "index.html"
        if not self.path.startswith("/briefs/") or not path.is_file():
            self.send_error(404)
            return
        body, kind = path.read_bytes(), self.guess_type(str(path))
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if kind.startswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def reader_bytes(site: Path) -> tuple[float, float]:
    """KB a phone receives for the first view of a brief, and for one search."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    briefs = sorted(site.glob("story-*/*/index.html"))
    brief = briefs[len(briefs) // 2].parent.relative_to(site).as_posix()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            # The page's requests and its search worker's; their sizes are
            # asked for while the page is open (a request that finishes as the
            # browser closes would have none to give).
            finished: list = []

            def collect(request) -> None:
                finished.append(request)
            context.on("requestfinished", collect)
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/briefs/{brief}/", wait_until="networkidle")
            first_view = _received(finished)
            page.locator(".briefs-search__open").click()
            page.locator("#briefs-search-query").fill(SEARCHED_WORD)
            page.locator(".md-search-result__item").first.wait_for()
            page.wait_for_load_state("networkidle")
            searched = _received(finished) - first_view
            context.remove_listener("requestfinished", collect)
            browser.close()
    finally:
        server.shutdown()
    return first_view / 1000, searched / 1000


def _received(requests: list) -> int:
    """Bytes of headers and body received for these requests, as sent."""
    return sum(sizes["responseHeadersSize"] + sizes["responseBodySize"] for sizes in (request.sizes() for request in requests))


def build_stages(out: str) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of each stage, from `briefs build --timings`."""
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.split()[:3] == ["start", "wall", "CPU"]) + 1
    stages: dict[str, tuple[float, float]] = {}
    for line in lines[first:]:
        if line.endswith("whole build"):
            break
        _, wall, cpu, name = line.split(maxsplit=3)
        if name not in STAGE_COLUMNS and name not in STAGE_ORDER:
            raise SystemExit(f"`briefs build --timings` has a stage the bench does not know: add '{name}' to STAGE_COLUMNS")
        stage = STAGE_COLUMNS.get(name, name)
        before = stages.get(stage, (0.0, 0.0))
        stages[stage] = (before[0] + float(wall), before[1] + float(cpu))
    return stages


# `briefs build --timings` stage names, by the column of the stage table that sums them.
STAGE_COLUMNS = {
    "cards: which to draw; workers started on them": "cards",
    "cards: the rest drawn, every card linked": "cards",
    "render (Markdown of every page)": "render",
    "HTML pages (mkdocs)": "MkDocs",
    "search index (Pagefind, beside the two stages above)": "search index",
    "search index (Pagefind)": "search index",
    "search pages (our render of each brief)": "search index",
    "feeds, data files, JSON Schemas": "feeds and data",
    "publish (the new site swapped in)": "publish",
}
STAGE_ORDER = ("check", "render", "MkDocs", "search index", "feeds and data", "cards", "publish")


def last_figure(out: str) -> float:
    """A stage's figure: the last line it printed (a check also says what it found)."""
    return float(out.split()[-1])


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def bench_size(briefs: int) -> dict:
    row: dict = {"briefs": briefs}
    with tempfile.TemporaryDirectory(prefix=f"briefs-bench-{briefs}-") as tmp:
        project = Path(tmp)
        write_project(project, briefs)
        row["yaml_mib"] = size_mib(project / "briefs")
        me = [sys.executable, str(Path(__file__).resolve()), "--stage"]
        for name in ("floor", "check", "recheck", "render", "mkdocs"):
            _, peak, out, wall = measure([*me, name, str(project)], project)
            row[name], row[f"{name}_mib"], row[f"{name}_wall"] = last_figure(out), peak, wall
        _, _, out, row["cards_wall"] = measure([*me, "cards", str(project)], project)
        row["cards"] = json.loads(out)
        briefs_build = [sys.executable, "-m", "generator.cli", "build"]
        shutil.rmtree(project / "build", ignore_errors=True)  # cold, as CI and Pages build
        tree: list[float] = []
        row["build"], row["build_mib"], out, row["build_wall"] = measure([*briefs_build, "--timings"], project, tree)
        row["build_tree_mib"] = tree[0]
        row["build_stages"] = build_stages(out)
        if briefs <= PREVIEW_UP_TO:  # the yardstick's size: cold again, but for the cards that build drew
            for kept in (project / "build").iterdir():
                if kept.name != "cards":
                    shutil.rmtree(kept) if kept.is_dir() else kept.unlink()  # build.pid is a file
            row["build_nocards"], _, _, row["build_nocards_wall"] = measure(briefs_build, project)
            plain = project / "plain"
            write_plain_site(plain, briefs, words_per_brief(project))
            row["plain"], _, _, row["plain_wall"] = measure([sys.executable, "-m", "mkdocs", "build", "-q"], plain,
                                                            env={"NO_MKDOCS_2_WARNING": "1"})  # Material's notice on every build
        site = project / "site"
        row["site_mib"] = size_mib(site)
        row["search_mib"] = size_mib(site / "assets/pagefind")
        row["first_view_kb"], row["search_kb"] = reader_bytes(site)
        row["sitemap_mib"] = (site / "sitemap.xml").stat().st_size / 2**20
        if briefs <= PREVIEW_UP_TO:
            _, row["preview_mib"], out, _ = measure([*me, "preview", str(project)], project)
            row["preview"] = last_figure(out)
    print(json.dumps(row), file=sys.stderr)
    return row


# --- the report ----------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) // 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    load = os.getloadavg()[0]
    return (f"{cpu}, {os.cpu_count()} cores available, {memory} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; load average {load:.1f} when the run ended")


def table(rows: list[dict]) -> str:
    lines = [
        "| briefs | parse floor s | check s | check / floor | check after one edit s (of cold) | render s | render briefs/s | MkDocs s (wall) | "
        "`briefs build` s (wall) | build / MkDocs | preview after one save s | preview / build | "
        "peak MiB check / render / MkDocs / build | site MiB (search index, sitemap) | YAML MiB | "
        "reader KB: first view of a brief / one search | cards: all drawn s (ms, KB per card) / all unchanged s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|---|",
    ]
    for r in rows:
        cards = r["cards"]
        preview = f"{r['preview']:.1f} | {r['preview'] / r['build']:.2f}" if "preview" in r else "not run | -"
        lines.append(
            f"| {r['briefs']:,} | {r['floor']:.2f} | {r['check']:.2f} | {r['check'] / r['floor']:.2f}x | "
            f"{r['recheck']:.2f} ({r['recheck'] / r['check']:.2f}) | "
            f"{r['render']:.2f} | {r['briefs'] / r['render']:,.0f} | {r['mkdocs']:.1f} ({r['mkdocs_wall']:.1f}) | "
            f"{r['build']:.1f} ({r['build_wall']:.1f}) | "
            f"{r['build'] / r['mkdocs']:.2f}x | {preview} | "
            f"{r['check_mib']:.0f} / {r['render_mib']:.0f} / {r['mkdocs_mib']:.0f} / {r['build_mib']:.0f} | "
            f"{r['site_mib']:.0f} ({r['search_mib']:.1f}, {r['sitemap_mib']:.2f}) | {r['yaml_mib']:.1f} | "
            f"{r['first_view_kb']:.0f} / {r['search_kb']:.0f} | "
            f"{cards['cold']:.1f} ({1000 * cards['cold'] / cards['count']:.1f} ms, {cards['bytes'] / 1000:.1f} KB) / {cards['warm']:.2f} "
            f"(stage wall {r['cards_wall']:.1f}) |")
    return "\n".join(lines)


def build_table(rows: list[dict]) -> str:
    """The whole `briefs build`, cold, on this machine's cores, against a plain Material site."""
    lines = [
        "| briefs | `briefs build` cold, cards included: CPU s (wall) | peak MiB: all processes summed (PSS) / largest process | "
        "`briefs build`, cards already drawn: CPU s (wall) | plain Material, same pages and words: CPU s (wall) | "
        "build without cards / plain, wall |",
        "|---:|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        plain = (f"{r['build_nocards']:.1f} ({r['build_nocards_wall']:.1f}) | {r['plain']:.1f} ({r['plain_wall']:.1f}) | "
                 f"{r['build_nocards_wall'] / r['plain_wall']:.2f}x") if "plain" in r else "not run | not run | -"
        lines.append(f"| {r['briefs']:,} | {r['build']:.1f} ({r['build_wall']:.1f}) | {r['build_tree_mib']:.0f} / {r['build_mib']:.0f} | {plain} |")
    return "\n".join(lines)


def stage_table(rows: list[dict]) -> str:
    """Inside the cold `briefs build`, stage by stage."""
    lines = ["| briefs | " + " | ".join(STAGE_ORDER) + " | whole build |", "|---:|" + "---:|" * (len(STAGE_ORDER) + 1)]
    for r in rows:
        stages = r["build_stages"]
        cells = [f"{stages[name][1]:.1f} ({stages[name][0]:.1f})" if name in stages else "-" for name in STAGE_ORDER]
        lines.append(f"| {r['briefs']:,} | " + " | ".join(cells) + f" | {r['build']:.1f} ({r['build_wall']:.1f}) |")
    return "\n".join(lines)


def write_report(rows: list[dict], out: Path, seconds: float) -> None:
    marker = "<!-- benchmark table: written by benchmarks/bench.py -->"
    block = (f"{marker}\n\nMeasured {dt.date.today().isoformat()} on {machine()}; "
             f"the whole run took {seconds / 60:.1f} minutes of wall-clock time. Times are CPU seconds (wall-clock seconds in brackets).\n\n{table(rows)}\n\n"
             f"The whole build, cold (no `build/` folder), and the yardstick of issue 14: a plain MkDocs + Material site of as many "
             f"prose pages with the same words per page, Material's default search plugin on.\n\n{build_table(rows)}\n\n"
             f"Inside that cold build, stage by stage (`briefs build --timings`), CPU seconds (wall seconds in brackets). The search "
             f"index runs beside the feeds and the cards (below 2,000 briefs); a stage on two cores takes more CPU than wall; "
             f"the whole build's wall includes the interpreter's start.\n\n{stage_table(rows)}\n\n{marker}")
    text = out.read_text(encoding="utf-8") if out.exists() else f"# Benchmarks\n\n{marker}\n{marker}\n"
    head, _, rest = text.partition(marker)
    _, _, tail = rest.partition(marker)
    out.write_text(head + block + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs/benchmarks.md")
    parser.add_argument("--stage", nargs=2, metavar=("NAME", "PROJECT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage[0], Path(args.stage[1]))))
        return
    started = time.perf_counter()
    rows = [bench_size(int(n)) for n in args.sizes.split(",")]
    print(table(rows))
    print(build_table(rows))
    write_report(rows, args.out, time.perf_counter() - started)


if __name__ == "__main__":
    main()
