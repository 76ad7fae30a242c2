"""One run, one folder: a preview and a build, or two builds, of the same
project running at once never read or remove each other's files. A build
beside a preview publishes no draft; a second build waits for the first
and the site is whole; what a dead build left is removed, what a live one
holds is not."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, free_port, write

PATIENCE = 600  # seconds before a command counts as hung: generous, this is not a speed test
DRAFT = "Zebrafinch draft"


def start_briefs(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator.cli", *args], cwd=project,
                            env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def brief(title: str, day: int, extra: str = "") -> str:
    return (f"title: {title}\ndate: 2024-05-{day:02d}\nsummary: What happened on day {day}.\n"
            f"what_we_know:\n  - text: Something is known on day {day}.\n    status: confirmed\n{extra}")


def files_holding(site: Path, text: str) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_file() and text.encode() in p.read_bytes())


class Lines:
    """A process's output lines as they come, read by a thread; waits on a condition."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.lines.append(None)  # the end
            self.changed.notify_all()

    def count(self, text: str) -> int:
        return sum(1 for line in self.lines if line is not None and text in line)

    def wait_for(self, text: str, times: int, timeout: float = 120) -> bool:
        """Until `text` has come `times` times (False if the stream ended first)."""
        with self.changed:
            return self.changed.wait_for(lambda: self.count(text) >= times or None in self.lines, timeout) \
                and self.count(text) >= times

    def text(self) -> str:
        return "".join(line for line in self.lines if line is not None)


def test_a_build_beside_a_preview_publishes_no_draft_while_the_editor_saves(project: Path):
    """The preview renders drafts; a build run meanwhile, while an editor
    saves the draft over and over, publishes none of it, and the preview
    goes on without a traceback."""
    story = project / "briefs/test-story"
    for day in range(8, 20):
        write(story / f"2024-05-{day:02d}-day.yaml", brief(f"Day {day}", day))
    draft = write(story / "2024-05-13-secret.yaml", brief(DRAFT, 13, "draft: true\n"))
    port = free_port()
    preview = start_briefs(project, "serve", "-a", f"127.0.0.1:{port}")
    said, complained = Lines(preview.stdout), Lines(preview.stderr)
    try:
        assert said.wait_for("Preview updated", 1), complained.text()
        build = start_briefs(project, "build")
        saves = 0
        while build.poll() is None:  # a save, then wait for the preview to render it, while the build runs
            saves += 1
            draft.write_text(brief(f"{DRAFT} take {saves}", 13, "draft: true\n"), encoding="utf-8")
            assert said.wait_for("Preview updated", saves + 1), complained.text()
        out, err = build.communicate(timeout=PATIENCE)
        assert build.returncode == 0, err
        assert saves >= 2  # the preview rendered the draft while the build ran
        site = project / "site"
        assert (site / "test-story/2024-05-19-day/index.html").is_file()
        assert files_holding(site, "Zebrafinch") == []
        assert not (site / "test-story/2024-05-13-secret").exists()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/test-story/2024-05-13-secret/", timeout=30) as page:
            assert "Zebrafinch" in page.read().decode()  # the preview still shows its draft
    finally:
        preview.send_signal(signal.SIGINT)
        try:
            preview.wait(timeout=60)
        except subprocess.TimeoutExpired:
            preview.kill()
            preview.wait()
    said.wait_for("never", 1, timeout=10), complained.wait_for("never", 1, timeout=10)  # until both streams end
    assert "Traceback" not in complained.text() and "Error" not in complained.text(), complained.text()


STORIES, PER_STORY = 6, 20  # 120 briefs


def many_briefs(project: Path) -> list[str]:
    """120 briefs in 6 stories; their pages' paths in the site."""
    pages = []
    for s in range(STORIES):
        write(project / f"briefs/story-{s}/story.yaml", f"title: Story {s}\nsummary: Where story {s} stands.\n")
        for day in range(1, PER_STORY + 1):
            write(project / f"briefs/story-{s}/2024-05-{day:02d}-day.yaml", brief(f"Story {s} day {day}", day))
            pages.append(f"story-{s}/2024-05-{day:02d}-day/index.html")
    return pages


def test_two_builds_started_apart_give_a_whole_site_never_a_mix_nor_a_hang(project: Path):
    """The second build waits for the first, with a message; the site is the
    whole site of the content as it is at the end, every time."""
    (project / "briefs/test-story").rename(project / "briefs/story-x")  # a seventh story, its one brief
    pages = many_briefs(project)
    changed = project / "briefs/story-0/2024-05-20-day.yaml"
    for offset in (0.5, 1.2, 2.0):
        changed.write_text(brief("Story 0 day 20", 20), encoding="utf-8")
        first = start_briefs(project, "build")
        time.sleep(offset)  # the deliberate start offset, not a wait for anything
        changed.write_text(brief(f"Story 0 day 20, {offset} s", 20), encoding="utf-8")
        second = start_briefs(project, "build")
        results = [command.communicate(timeout=PATIENCE) for command in (first, second)]
        for command, (out, err) in zip((first, second), results):
            assert command.returncode == 0 and "Traceback" not in err, err
        assert sum("another build of this project is running" in err for _, err in results) == 1, results
        site = project / "site"
        missing = [page for page in pages if not (site / page).is_file()]
        assert missing == [], f"{len(missing)} of {len(pages)} brief pages missing"
        assert f"Story 0 day 20, {offset} s" in (site / "story-0/2024-05-20-day/index.html").read_text(encoding="utf-8")
        published = json.loads((site / "briefs.json").read_text(encoding="utf-8"))
        assert len(published["briefs"]) == len(pages) + 1
        entry = json.loads((site / "assets/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
        assert sum(language["page_count"] for language in entry["languages"].values()) == len(pages) + 1
        assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []


def test_only_what_a_dead_build_left_is_removed(project: Path):
    """A staging folder beside site/ is removed only when the build that
    named it is gone; a live process's stays, whatever its name."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = project / f".site-new-{int(ended.stdout)}"
    (dead / "test-story").mkdir(parents=True)
    alive = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        held = [project / f".site-new-{alive.pid}", project / f".site-new-{alive.pid}-second", project / ".site-old-x"]
        for folder in held:
            (folder / "assets").mkdir(parents=True)
        result = start_briefs(project, "build")
        _, err = result.communicate(timeout=PATIENCE)
        assert result.returncode == 0, err
        assert not dead.exists()
        assert [folder.name for folder in held if not (folder / "assets").is_dir()] == []
    finally:
        alive.communicate(b"")
