"""A build stopped half-way, by Ctrl+C in a terminal (SIGINT to every
process of the command) or by CI cancelling a job (SIGTERM to the
command): one line, no traceback, the published site as it was, nothing
half-made left beside it or in the cards' cache, no process left running."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT, SignalAt, run_briefs, start_build, wait_for
from generator import mkdocs_engine, workers
from generator.build import check_project, render_project
from generator.stopping import stopped_as_interrupted
from generator.workers import Workers

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402  (the benchmark's synthetic briefs)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project large enough for every process of a build (the render's
    fork, MkDocs in two, the card worker), built once."""
    project = tmp_path_factory.mktemp("stopped")
    bench.write_project(project, 240)
    assert run_briefs(project, "build").returncode == 0
    return project


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def processes_in_group(group: int) -> list[str]:
    listed = subprocess.run(["ps", "-o", "pgid=,stat=,args=", "-e"], capture_output=True, text=True).stdout
    return [line for line in listed.splitlines()
            if line.split()[0] == str(group) and not line.split()[1].startswith("Z")]


@pytest.mark.parametrize("stop, to_every_process", [(signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGTERM, True)])
def test_a_build_stopped_half_way_leaves_the_site_as_it_was(built: Path, stop: int, to_every_process: bool):
    before = digest(built / "site")
    shutil.rmtree(built / "build/cards")  # so that a worker is drawing cards when the stop comes
    # Signalled once MkDocs' second half writes its first page: MkDocs builds in two processes, a worker draws cards.
    command = start_build(built, SignalAt("open", "-part-1/", stop, every_process=to_every_process))
    out, err = command.communicate(timeout=120)

    assert (command.returncode, out, err) == (130, "", "briefs build: stopped; nothing was published, the site is as it was\n")
    assert digest(built / "site") == before
    assert sorted(p.name for p in built.iterdir() if p.name.startswith(".")) == []
    assert list((built / "build/cards").glob(".*")) == []  # no half-written card
    assert wait_for(lambda: processes_in_group(command.pid) == [], timeout=30), processes_in_group(command.pid)


def test_a_stop_while_one_mkdocs_half_waits_for_the_other_stops_the_other(built: Path, tmp_path: Path, monkeypatch):
    """Under load one half often ends first: a stop then comes while it waits."""
    _, nav = render_project(built, check_project(built, include_drafts=False))
    here, build = os.getpid(), mkdocs_engine._build
    # This half: done at once; the other, a forked copy, builds for real.
    monkeypatch.setattr(mkdocs_engine, "_build", lambda *args, **kwargs: None if os.getpid() == here else build(*args, **kwargs))
    monkeypatch.setattr(mkdocs_engine, "SPLIT_FROM", 2)
    monkeypatch.setattr(workers, "may_fork", lambda: True)  # beside the thread below, which the copy does not need
    other = tmp_path / "site-part-1"

    def stop_once_the_other_half_writes():
        if wait_for(other.exists, timeout=120, every=0.01):
            os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=stop_once_the_other_half_writes, daemon=True).start()
    with stopped_as_interrupted(), pytest.raises(KeyboardInterrupt):
        mkdocs_engine.build_pages(built, tmp_path / "site", nav, epoch=0, workers=Workers(2))
    assert wait_for(lambda: not multiprocessing.active_children(), timeout=30), "the other half still runs"
    assert not other.exists()
