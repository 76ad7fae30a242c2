"""`briefs build --jobs 1` runs everything in one process: the reference.
The default (one job per core) shares the check, the render, MkDocs and
the cards out between processes; the site it publishes must be the same,
every file byte for byte, but for the search index files whose order
Pagefind leaves to chance."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from conftest import ROOT, copy_project
from generator.workers import cores

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402  (the benchmark's synthetic briefs; the module imports the standard library only)

pytestmark = pytest.mark.processes

# `briefs build` as the command runs it, telling in a file which stages
# ran shared out (from the forked processes too) and with how many parts.
BRIEFS = """
import json, sys
from generator import cli, workers
told = sys.argv.pop(1)
def tell(*line):
    with open(told, "a") as out:
        out.write(json.dumps(line) + "\\n")
run, meanwhile = workers.Workers.run, workers.Meanwhile.__init__
def counted_run(self, tasks):
    if len(tasks) > 1:
        tell(tasks[0].func.__name__, len(tasks))
    return run(self, tasks)
def counted_meanwhile(self, items, do, helpers):
    if helpers:
        tell("cards", helpers)
    meanwhile(self, items, do, helpers)
workers.Workers.run, workers.Meanwhile.__init__ = counted_run, counted_meanwhile
sys.exit(cli.main(sys.argv[1:]))
"""

# The default: this machine's cores; on a machine of one core, two jobs.
DEFAULT = () if cores() > 1 else ("--jobs", "2")


def build(root: Path, *args: str) -> tuple[Path, list]:
    """A cold build (no cache, no card drawn) into a site folder of its
    own; the stages it shared out, sorted."""
    shutil.rmtree(root / "build", ignore_errors=True)
    told = root.with_name(root.name + ".told")
    told.unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "-c", BRIEFS, str(told), "build", *args], cwd=root,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=900)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    site = root.with_name(f"{root.name}-site{''.join(args).replace('-', '')}")
    (root / "site").rename(site)
    ran = [json.loads(line) for line in told.read_text().splitlines()] if told.exists() else []
    return site, sorted(ran)


# Pagefind numbers the pages in the order it meets their files (the file
# system's order of a folder's entries), which names its index and filter
# chunks and fills its entry and metadata files: the same pages, the same
# words, other bytes. Its fragments (one a page, named by what it holds)
# must be identical.
PAGEFIND = "assets/pagefind/"
PAGEFIND_ORDERED_BY_CHANCE = ("pagefind-entry.json", "pagefind.*.pf_meta", "index/*.pf_index", "filter/*.pf_filter")


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def excused(name: str) -> bool:
    return name.startswith(PAGEFIND) and any(Path(name.removeprefix(PAGEFIND)).match(pattern)
                                             for pattern in PAGEFIND_ORDERED_BY_CHANCE)


def assert_same_site(one: Path, default: Path) -> None:
    reference, shared = files(one), files(default)
    assert sorted(name for name in reference if not excused(name)) == sorted(name for name in shared if not excused(name))
    different = [name for name in reference if not excused(name) and reference[name] != shared[name]]
    assert different == []
    # The excused files: as many of each kind, and the fragments say the same pages were indexed.
    kinds = [sorted(Path(name).suffix for name in site if excused(name)) for site in (reference, shared)]
    assert kinds[0] == kinds[1] and ".pf_index" in kinds[0]
    assert len([name for name in reference if name.startswith(PAGEFIND + "fragment/")]) > 0


def test_the_example_built_with_one_job_and_with_the_default_is_the_same_site(tmp_path: Path):
    root = copy_project(tmp_path / "example")
    one, _ = build(root, "--jobs", "1")
    default, _ = build(root, *DEFAULT)
    assert_same_site(one, default)


def test_400_briefs_built_with_one_job_and_with_the_default_are_the_same_site(tmp_path: Path):
    """Large enough that every stage shares its work out at its own
    threshold (the check from 100 files, the render and MkDocs from 200
    briefs, the cards from 100 to draw): the shared paths run, not forced."""
    root = tmp_path / "newsroom"
    root.mkdir()
    bench.write_project(root, 400)
    one, ran_alone = build(root, "--jobs", "1")
    default, ran_shared = build(root, *DEFAULT)
    assert ran_alone == []
    parts = max(2, cores())
    assert ran_shared == [["_build", parts], ["_records", parts], ["_render_part", parts], ["cards", parts - 1]]
    assert_same_site(one, default)


@pytest.mark.parametrize("given, said", [
    ("0", "'0' is not a number of processes, e.g. 1 or 4"),
    ("two", "'two' is not a number of processes, e.g. 1 or 4"),
    ("100000", f"100000 processes is more than this machine can use: at most {4 * cores()} (4 per core)"),
])
def test_a_number_of_jobs_the_machine_cannot_use_is_refused_in_words(tmp_path: Path, given: str, said: str):
    """Each job is a copy of the build's memory: a mistyped --jobs is an
    error line, not thousands of processes."""
    project = copy_project(tmp_path)
    result = subprocess.run([sys.executable, "-m", "generator.cli", "check", "--jobs", given], cwd=project,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"briefs check: error: argument -j/--jobs: {said}"


def _forked_copies(command: psutil.Process) -> list[psutil.Process]:
    """The copies `briefs build` forked (they share its command line), at any depth."""
    copies = []
    with contextlib.suppress(psutil.NoSuchProcess):
        for child in command.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                if child.cmdline() == command.cmdline():
                    copies.append(child)
    return copies


def _the_build_itself(root: Path, build: psutil.Process, copies: list[psutil.Process]) -> psutil.Process | None:
    """The build's own copy (it makes the site apart, to give its memory
    back), once it has a copy of its own at work on a stage's share: the
    case that hung, its copy blocked sending to no one."""
    own = [copy for copy in copies if copy.ppid() == build.pid]
    return own[0] if own and len(copies) > len(own) else None


def _a_part_of_mkdocs(root: Path, build: psutil.Process, copies: list[psutil.Process]) -> psutil.Process | None:
    """A copy building some briefs' pages, once MkDocs' parts are at work (their folders exist)."""
    if not list(root.glob("*-part-1")):
        return None
    parts = [copy for copy in copies if copy.ppid() != build.pid]
    return parts[-1] if parts else None


@pytest.mark.parametrize("victim", [_the_build_itself, _a_part_of_mkdocs])
def test_a_worker_killed_mid_build_is_one_plain_line_and_nothing_is_published(tmp_path: Path, victim):
    """A worker stopped by the machine (here SIGKILL, as the out-of-memory
    killer sends): the build says so in a line, publishes nothing, and
    leaves no process behind."""
    root = tmp_path / "newsroom"
    root.mkdir()
    bench.write_project(root, 250)  # every stage shares out (200 briefs and more)
    (root / "site").mkdir()
    (root / "site/index.html").write_text("the site as published before", encoding="utf-8")
    build = psutil.Popen([sys.executable, "-m", "generator.cli", "build", "--jobs", "2"], cwd=root, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    killed, seen = None, set()
    while killed is None and build.poll() is None:
        with contextlib.suppress(psutil.TimeoutExpired):
            build.wait(0.01)  # looked at a hundred times a second, not in a busy loop
        copies = _forked_copies(build)
        seen.update(copies)
        killed = victim(root, build, copies)
    assert killed is not None, "the build ended before its worker could be stopped"
    killed.send_signal(signal.SIGKILL)
    _, stderr = build.communicate(timeout=120)  # a 250-brief build takes about 10 s
    assert build.returncode == 1
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == ("briefs: a worker process ended without finishing its work (stopped by signal 9, "
                                       "perhaps for want of memory); nothing was published: run the command again, "
                                       "or with --jobs 1 if memory is short")
    assert (root / "site/index.html").read_text(encoding="utf-8") == "the site as published before"
    assert not [copy for copy in seen if copy.is_running() and copy.status() != psutil.STATUS_ZOMBIE]
    assert sorted(p.name for p in root.iterdir()) == ["briefs", "build", "mkdocs.yml", "overrides", "site"]
