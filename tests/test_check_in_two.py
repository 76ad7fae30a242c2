"""`briefs check` of a large project reads every other file in a forked
process; what it prints must be what one process prints, line for line,
whichever half each error's file fell in, and the files either half
found valid are remembered alike."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, ROOT, copy_project, error_lines, write
from generator import validate, workers
from generator.build import check_project, check_with_cache
from generator.workers import Workers

pytestmark = pytest.mark.processes  # the check in two processes, forked

TWO = Workers(2)


@pytest.fixture
def shared(monkeypatch) -> list[int]:
    """How many parts each shared-out stage ran in; forks allowed beside a
    test runner's threads, which the check starts none of."""
    parts = []
    real = Workers.run

    def run(self, tasks):
        if len(tasks) > 1:
            parts.append(len(tasks))
        return real(self, tasks)

    monkeypatch.setattr(Workers, "run", run)
    monkeypatch.setattr(workers, "may_fork", lambda: True)
    return parts

CITING = MINIMAL_BRIEF + """\
  - text: Something is reported.
    status: reported
    sources: [{source}]
"""
# Each a mistake one file makes, or makes only against another file (the registry).
MISTAKES = [
    CITING.format(source="nobody"),  # an unknown source id
    CITING.format(source="reuters") + "sources:\n  - id: reuters\n    name: Reuters again\n",  # a registry id redefined
    MINIMAL_BRIEF.replace("status: confirmed", "status: confirmd"),
    MINIMAL_BRIEF + "draft: maybe\n",
    MINIMAL_BRIEF.replace("title: A development\n", "title: A development\ntitle: Twice\n"),
    "title: [unclosed\n",
]


@pytest.fixture
def spread(tmp_path: Path) -> Path:
    """Three stories of eleven briefs, mistakes in both halves of the files."""
    copy_project(tmp_path, with_briefs=False)
    write(tmp_path / "briefs/sources.yaml", "- id: reuters\n  name: Reuters\n")
    mistakes = iter(MISTAKES * 2)
    for s in range(3):
        folder = tmp_path / f"briefs/story-{s}"
        write(folder / "story.yaml", "title: A story\nsummary: Where things stand.\n" if s != 1 else "title: A story\n")
        for b in range(11):
            text = next(mistakes, None) if (s * 11 + b) % 3 == 0 else None
            write(folder / f"2024-05-{b + 1:02d}-brief.yaml", text or CITING.format(source="reuters"))
    write(tmp_path / "briefs/story-2/Bad Name.yaml", MINIMAL_BRIEF)
    return tmp_path


def test_the_check_in_two_processes_prints_what_one_prints(spread: Path, monkeypatch, shared):
    monkeypatch.setattr(validate, "READ_SHARED_FROM", 2)
    in_two = error_lines(lambda root: check_with_cache(root, TWO), spread)
    assert shared == [2]
    (spread / "build").rename(spread / "cache-of-two")
    one = error_lines(check_with_cache, spread)
    assert shared == [2] and in_two == one == error_lines(check_project, spread)
    wrong = {line.split(":")[0] for line in one}
    assert len(wrong) == 11 + 2  # a brief in three, a story.yaml and a file name: in both halves
    # The files both halves found valid are remembered: the next check reads the others only.
    (spread / "build").rename(spread / "cache-of-one")
    (spread / "cache-of-two").rename(spread / "build")
    parsed = []
    parse = validate._Walk._parse
    monkeypatch.setattr(validate._Walk, "_parse", lambda walk, path, *args: parsed.append(path.name) or parse(walk, path, *args))
    assert error_lines(check_with_cache, spread) == one
    parsed_again = sorted(["sources.yaml", *(Path(path).name for path in wrong if "Bad Name" not in path)])
    assert sorted(parsed) == parsed_again  # (a file name's error is the listing's; the content passed)


def test_the_builds_check_in_two_processes_finds_what_one_finds(spread: Path, monkeypatch, shared):
    monkeypatch.setattr(validate, "READ_SHARED_FROM", 2)
    in_two = error_lines(lambda root: check_project(root, workers=TWO), spread)
    assert shared == [2] and in_two == error_lines(check_project, spread) and len(in_two) > 11


def test_the_builds_check_in_two_processes_gives_the_model_one_gives(tmp_path: Path, monkeypatch, shared):
    """The copy's records come back without their nodes; everything else
    about every story and brief, drafts and their order too, is the same."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench

    bench.write_project(tmp_path, 45)
    draft = sorted((tmp_path / "briefs/story-0001").glob("2*.yaml"))[0]
    draft.write_text(draft.read_text(encoding="utf-8") + "draft: true\n", encoding="utf-8")
    monkeypatch.setattr(validate, "READ_SHARED_FROM", 2)
    in_two = [check_project(tmp_path, include_drafts, workers=TWO) for include_drafts in (True, False)]
    assert shared == [2, 2]
    assert in_two == [check_project(tmp_path, include_drafts) for include_drafts in (True, False)]
    assert [[len(entry.briefs) for entry in project.stories] for project in in_two] == [[23, 22], [23, 21]]
    assert [b.slug for b in in_two[0].stories[0].briefs] == sorted(b.slug for b in in_two[0].stories[0].briefs)


def test_the_previews_check_keeps_every_file_it_parsed_for_the_next_save(spread: Path, monkeypatch, shared):
    """A preview's check reads in one process: a copy's parses would be lost."""
    monkeypatch.setattr(validate, "READ_SHARED_FROM", 2)
    for bad in spread.rglob("*.yaml"):
        if bad.parent.name != "briefs":
            write(bad, CITING.format(source="reuters") if bad.name != "story.yaml" else "title: A story\nsummary: Where things stand.\n")
    (spread / "briefs/story-2/Bad Name.yaml").unlink()
    parsed = validate.ParsedFiles()
    check_project(spread, parsed=parsed, workers=TWO)
    assert shared == [] and len(parsed.files) == 1 + 3 * 12  # sources.yaml, and every story.yaml and brief


def test_the_check_in_two_processes_counts_what_one_counts(tmp_path: Path, monkeypatch, shared):
    """Briefs, drafts and the stories with nothing published, from either
    half, and again from the cache's memory of which files are drafts."""
    copy_project(tmp_path, with_briefs=False)
    for story, drafts in (("story-1", 3), ("story-2", 22)):
        write(tmp_path / f"briefs/{story}/story.yaml", "title: A story\nsummary: Where things stand.\n")
        for b in range(22 if drafts == 22 else 23):
            write(tmp_path / f"briefs/{story}/2024-05-{b + 1:02d}-brief.yaml", MINIMAL_BRIEF + "draft: true\n" * (b < drafts))
    monkeypatch.setattr(validate, "READ_SHARED_FROM", 2)
    in_two = [check_with_cache(tmp_path, TWO), check_with_cache(tmp_path, TWO)]  # the second from the cache
    assert shared == [2, 2]
    (tmp_path / "build").rename(tmp_path / "cache-of-two")
    in_one = [check_with_cache(tmp_path), check_with_cache(tmp_path)]
    assert in_two == in_one
    assert in_one[0].line() == "2 stories, 45 briefs (25 drafts): no errors."
    assert [note.human() for note in in_one[0].notes] == [
        "briefs/story-2/story.yaml:1:1: note: this story is not published yet: its 22 briefs are all drafts "
        "(draft: true); set draft: false in a brief, or delete that line, to publish it"]
