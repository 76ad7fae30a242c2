"""Publishing is atomic and reproducible."""
from __future__ import annotations

import hashlib
import signal
import time
from pathlib import Path

from conftest import SignalAt, copy_project, run_briefs, start_build, wait_for, write


def manifest(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*")) if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path: Path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first, second = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    assert run_briefs(first, "build").returncode == 0
    finished = int(time.time())
    assert wait_for(lambda: int(time.time()) > finished, timeout=5)  # a timestamp in seconds would now differ
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


# Points every build passes, in order, each an audit event (conftest.SignalAt).
KILL_POINTS = {
    "while reading the briefs": ("open", "briefs/"),
    "while writing the new site": ("open", ".site-new-"),
    "while indexing it for search": ("subprocess.Popen", "pagefind"),
    "as it swaps the new site in": ("ctypes.dlsym", "renameat2"),
}


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
    for point, (event, text) in KILL_POINTS.items():
        build = start_build(project, SignalAt(event, text, signal.SIGKILL))
        build.communicate(timeout=300)
        assert build.returncode == -signal.SIGKILL, f"the build ended ({build.returncode}) before it was killed {point}"
        assert manifest(site) == before, f"site changed after a kill {point}"
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
