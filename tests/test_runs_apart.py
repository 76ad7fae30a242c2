"""One run, one folder: a preview and a build, or two builds, of the same
project running at once never read or remove each other's files. A build
beside a preview publishes no draft; a second build waits for the first
and the site is whole; what a dead build left is removed, what a live one
holds is not."""
from __future__ import annotations

import datetime
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, ROOT, free_port, start_briefs, write

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402  (the benchmark's synthetic briefs)

PATIENCE = 600  # seconds before a command counts as hung: generous, this is not a speed test
DRAFT = "Zebrafinch draft"


def brief(title: str, day: int, extra: str = "") -> str:
    return (f"title: {title}\ndate: 2024-05-{day:02d}\nsummary: What happened on day {day}.\n"
            f"what_we_know:\n  - text: Something is known on day {day}.\n    status: confirmed\n{extra}")


def files_holding(site: Path, text: str) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_file() and text.encode() in p.read_bytes())


def wait_until_served(url: str, server: subprocess.Popen) -> None:
    """Until the preview answers (it watches the files from before it serves)."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"the preview never answered {url}")


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

    def whole(self, timeout: float = 60) -> str:
        """Everything, once the stream has ended."""
        with self.changed:
            assert self.changed.wait_for(lambda: None in self.lines, timeout)
        return self.text()


def test_a_build_beside_a_preview_publishes_no_draft_while_the_editor_saves(project: Path):
    """The preview renders drafts; a build run meanwhile, while an editor
    saves the draft over and over, publishes none of it, and the preview
    goes on without a traceback."""
    story = project / "briefs/test-story"
    for day in range(8, 20):
        write(story / f"2024-05-{day:02d}-day.yaml", brief(f"Day {day}", day))
    write(project / "briefs/elsewhere/story.yaml", "title: Elsewhere\nsummary: A story the draft does not touch.\n")
    for day in range(1, 29):  # pages a build makes and a save of the draft does not change
        write(project / f"briefs/elsewhere/2024-02-{day:02d}-day.yaml", brief(f"Elsewhere {day}", day).replace("2024-05-", "2024-02-"))
    draft = write(story / "2024-05-13-secret.yaml", brief(DRAFT, 13, "draft: true\n"))
    port = free_port()
    preview = start_briefs(project, "serve", "-a", f"127.0.0.1:{port}")
    said, complained = Lines(preview.stdout), Lines(preview.stderr)
    try:
        assert said.wait_for("Preview updated", 1), complained.text()
        wait_until_served(f"http://127.0.0.1:{port}/test-story/2024-05-13-secret/", preview)  # it watches the files
        build = start_briefs(project, "build")
        saves = rendered = 0
        while build.poll() is None:  # a save, then a wait for the preview to render it, while the build runs
            updates, saves = said.count("Preview updated"), saves + 1
            draft.write_text(brief(f"{DRAFT} take {saves}", 13, "draft: true\n"), encoding="utf-8")
            rendered += said.wait_for("Preview updated", updates + 1, timeout=PATIENCE) and build.poll() is None
        out, err = build.communicate(timeout=PATIENCE)
        site = project / "site"
        assert build.returncode == 0, err
        assert files_holding(site, "Zebrafinch") == []
        assert not (site / "test-story/2024-05-13-secret").exists()
        assert (site / "test-story/2024-05-19-day/index.html").is_file()
        assert rendered >= 1, complained.text()  # the preview rendered a save of the draft while the build ran
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/test-story/2024-05-13-secret/", timeout=30) as page:
            assert "Zebrafinch" in page.read().decode()  # the preview still shows its draft
    finally:
        preview.send_signal(signal.SIGINT)
        try:
            preview.wait(timeout=60)
        except subprocess.TimeoutExpired:
            preview.kill()
            preview.wait()
    said.whole()
    assert "Traceback" not in complained.whole() and "Error" not in complained.text(), complained.text()


STORIES, PER_STORY = 6, 20  # 120 briefs, as long as the benchmark's


def many_briefs(project: Path) -> None:
    """120 briefs of the benchmark's kind in 6 stories (shared sources included)."""
    rng = random.Random(26)
    (project / "briefs/sources.yaml").write_text("".join(
        f"- id: source-{i}\n  name: \"Source {i}\"\n  url: \"https://example.com/{i}\"\n" for i in range(bench.SOURCES)),
        encoding="utf-8")
    for s in range(STORIES):
        write(project / f"briefs/story-{s}/story.yaml", f"title: Story {s}\nsummary: Where story {s} stands.\n")
        for b in range(PER_STORY):
            day = datetime.date(2024, 1, 1) + datetime.timedelta(days=b)
            (project / f"briefs/story-{s}/{day.isoformat()}-development-{b}.yaml").write_text(
                bench.brief_yaml(rng, s * PER_STORY + b, day), encoding="utf-8")


def published(site: Path) -> tuple[list[str], int]:
    """The site's files but the search index's chunks, and how many pages the index holds."""
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                   if p.is_file() and not p.relative_to(site).as_posix().startswith("assets/pagefind/"))
    entry = json.loads((site / "assets/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    return files, sum(language["page_count"] for language in entry["languages"].values())


def test_two_builds_started_apart_give_a_whole_site_never_a_mix_nor_a_hang(project: Path):
    """The second build waits for the first, with a message; the site is the
    whole site of the content as it is at the end, every time."""
    many_briefs(project)
    site, changed = project / "site", project / "briefs/test-story/2024-05-07-first.yaml"
    alone = start_briefs(project, "build")  # what the whole site holds
    assert alone.wait(timeout=PATIENCE) == 0, alone.communicate()
    whole, indexed = published(site)
    assert indexed == STORIES * PER_STORY + 1
    told_to_wait = []
    for offset in (0.5, 1.2, 2.0):
        first = start_briefs(project, "build", stdout=subprocess.DEVNULL)
        time.sleep(offset)  # the deliberate start offset, not a wait for anything
        changed.write_text(MINIMAL_BRIEF.replace("title: A development", f"title: Started {offset} s apart"), encoding="utf-8")
        second = start_briefs(project, "build", stdout=subprocess.DEVNULL)
        outputs = {command: Lines(command.stderr) for command in (first, second)}
        ended: queue.Queue = queue.Queue()
        for command in (first, second):
            threading.Thread(target=lambda c=command: ended.put(c.wait()), daemon=True).start()
        assert ended.get(timeout=PATIENCE) == 0
        assert published(site) == (whole, indexed)  # what readers have while the other build runs
        assert ended.get(timeout=PATIENCE) == 0
        said = [outputs[command].whole() for command in (first, second)]
        assert [command.returncode for command in (first, second)] == [0, 0] and "Traceback" not in "".join(said), said
        assert published(site) == (whole, indexed)
        assert f"Started {offset} s apart" in (site / "test-story/2024-05-07-first/index.html").read_text(encoding="utf-8")
        assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []
        told_to_wait.append(sum("another build of this project is running" in err for err in said))
    assert told_to_wait == [1, 1, 1]  # the second build said it waits for the first


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
