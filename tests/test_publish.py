"""Publishing is atomic and reproducible."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, copy_project, run_briefs, write


def manifest(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*")) if p.is_file()
    }


def _start_build(project: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "generator.cli", "build"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_two_builds_are_byte_identical(tmp_path: Path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first, second = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    assert run_briefs(first, "build").returncode == 0
    time.sleep(1.1)  # a clock-based timestamp would now differ
    assert run_briefs(second, "build").returncode == 0
    one, other = manifest(first / "site"), manifest(second / "site")
    assert "sitemap.xml.gz" in one and "assets/pagefind/pagefind.js" in one
    assert _stable(one).keys() == _stable(other).keys()
    assert [name for name in _stable(one) if one[name] != other[name]] == []


def _stable(files: dict[str, str]) -> dict[str, str]:
    """All but the search index's list of filters, whose order Pagefind
    leaves to chance (Pagefind/pagefind#638): its entry file, its metadata
    and its filter chunks. The pages and the words' index are identical."""
    search = "assets/pagefind/"
    return {name: digest for name, digest in files.items() if not (name.startswith(search) and (
        name.endswith((".pf_meta", ".pf_filter")) or name == search + "pagefind-entry.json"))}


def test_a_killed_build_leaves_the_previous_site_whole(project: Path):
    assert run_briefs(project, "build").returncode == 0
    site = project / "site"
    before = manifest(site)
    # A changed brief, so a completed build would change the site.
    write(project / "briefs/test-story/2024-05-08-second.yaml", """
        title: A second development
        date: 2024-05-08
        summary: More happened.
        what_we_know:
          - text: Something else is known.
            status: confirmed
        """)
    def staging_holds(*names: str):
        """True once a staging folder beside site/ holds all these names."""
        def ready() -> bool:
            return any(all((s / n).exists() for n in names) for s in project.glob(".site-new-*"))
        return ready

    kill_points = {
        "at start": lambda: True,
        "staging created": staging_holds(),
        "assets copied": staging_holds("assets"),
        "pages written": staging_holds("test-story", "index.html"),
    }
    for point, reached in kill_points.items():
        build = _start_build(project)
        while not reached() and build.poll() is None:
            time.sleep(0.002)
        assert build.poll() is None, f"the build ended before '{point}'"
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        assert manifest(site) == before, f"site changed after a kill at '{point}'"
    assert run_briefs(project, "build").returncode == 0
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []
    assert (site / "test-story/2024-05-08-second/index.html").is_file()


def test_a_failed_build_publishes_nothing(project: Path):
    assert run_briefs(project, "build").returncode == 0
    before = manifest(project / "site")
    write(project / "briefs/test-story/2024-05-08-bad.yaml", "title: x\nstatus: [\n")
    result = run_briefs(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert manifest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []
