"""`briefs check` remembers the files that passed (build/check-cache/), and
a remembered file is not parsed again. A stale cache must never hide an
error: after every kind of change an editor makes (an edit, a rename, a
deletion, a new sources.yaml, new site settings, a damaged cache), the
check with the cache prints exactly what a check from scratch prints."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, ROOT, copy_project, error_lines, run_briefs, write
from generator import check_cache, validate
from generator.build import CHECK_CACHE, build_site, check_project, check_with_cache
from generator.problems import ContentErrors

STORY = "briefs/gaza-truce-talks"
BRIEF = f"{STORY}/2024-05-07-cairo-talks-resume.yaml"
CACHE = Path("build") / CHECK_CACHE / check_cache.CACHE_FILE


def checked(project: Path) -> list[str]:
    """The errors of a check with the cache, once they are known to be the
    errors of a check from scratch (which reads no cache)."""
    with_cache = error_lines(check_with_cache, project)
    assert with_cache == error_lines(check_project, project)
    return with_cache


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The bundled example, checked once: every file is in the cache."""
    copy_project(tmp_path)
    assert checked(tmp_path) == []
    assert (tmp_path / CACHE).is_file()
    return tmp_path


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The files parsed from here on by a check with the cache."""
    seen: list[str] = []
    real = validate._Walk._parse

    def counting(walk, path: Path, *args):
        if walk.cache is not None:
            seen.append(walk.shown(path))
        return real(walk, path, *args)

    monkeypatch.setattr(validate._Walk, "_parse", counting)
    return seen


def test_a_second_check_parses_only_sources_yaml(example: Path, parses: list[str]):
    assert error_lines(check_with_cache, example) == []
    assert parses == ["briefs/sources.yaml"]  # the registry is read every time; no story or brief


def test_an_edited_brief_is_parsed_again_and_its_new_error_shown(example: Path, parses: list[str]):
    path = example / BRIEF
    path.write_text(path.read_text(encoding="utf-8").replace("status: reported", "status: reportd", 1), encoding="utf-8")
    found = checked(example)
    assert len(found) == 1 and "'reportd' is not one of" in found[0] and found[0].startswith(f"{BRIEF}:")
    assert parses[:2] == ["briefs/sources.yaml", BRIEF]


def test_a_brief_with_an_error_is_never_remembered(example: Path, parses: list[str]):
    path = example / BRIEF
    path.write_text(path.read_text(encoding="utf-8").replace("status: reported", "status: reportd", 1), encoding="utf-8")
    first = checked(example)
    assert checked(example) == first and parses.count(BRIEF) == 2


def test_a_renamed_brief_is_named_by_its_new_name(example: Path):
    (example / BRIEF).rename(example / STORY / "Cairo Talks.yaml")
    found = checked(example)
    assert found == [f"{STORY}/Cairo Talks.yaml:1:1: error: 'Cairo Talks' is not a valid brief file name: use lowercase "
                     "letters, digits and single hyphens, 1 to 80 characters; did you mean 'cairo-talks'?"]


def test_an_error_follows_a_renamed_brief(example: Path):
    path = example / BRIEF
    path.write_text(path.read_text(encoding="utf-8").replace("le-parisien", "le-parisienne", 1), encoding="utf-8")
    assert checked(example)[0].startswith(f"{BRIEF}:")
    path.rename(example / STORY / "2024-05-07-talks.yaml")
    found = checked(example)
    assert found and all(line.startswith(f"{STORY}/2024-05-07-talks.yaml:") for line in found), found


def test_the_same_bytes_as_another_kind_of_file_are_checked_as_that_kind(project: Path):
    """A story.yaml copied to a brief's name is a brief, with a brief's errors
    (in a project without sources.yaml, where nothing else tells them apart)."""
    assert checked(project) == []
    shutil.copy(project / "briefs/test-story/story.yaml", project / "briefs/test-story/2024-05-09-story.yaml")
    found = checked(project)
    assert any("missing required key 'date'" in line for line in found), found


def test_a_deleted_story_file_and_a_second_file_of_one_name_are_errors(example: Path):
    shutil.copy(example / BRIEF, example / BRIEF.replace(".yaml", ".yml"))
    assert any("have the same name; keep one" in line for line in checked(example))
    (example / BRIEF.replace(".yaml", ".yml")).unlink()
    (example / STORY / "story.yaml").unlink()
    assert checked(example) == [f"{STORY}:1:1: error: the story folder has no story.yaml: add one with the story's title and summary"]


def test_a_source_gone_from_sources_yaml_is_unknown_in_every_remembered_brief(example: Path):
    (example / "briefs/sources.yaml").unlink()
    found = checked(example)
    assert found and all("unknown source id 'le-parisien'" in line for line in found)
    assert {line.split(":")[0] for line in found} == {BRIEF, f"{STORY}/2024-05-07-israeli-tanks-rafah.yaml"}


def test_a_source_added_to_sources_yaml_clashes_with_a_remembered_brief_s_own(example: Path):
    write(example / f"{STORY}/2024-05-08-local.yaml", MINIMAL_BRIEF + """
sources:
  - id: afp
    name: AFP
""")
    assert checked(example) == []
    with (example / "briefs/sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write("\n- id: afp\n  name: Agence France-Presse\n")
    found = checked(example)
    assert len(found) == 1 and "source id 'afp' is already in briefs/sources.yaml" in found[0]


def test_a_new_time_zone_is_a_new_verdict(example: Path):
    """`updated` is compared with a date-only `date` by its day in the site's
    time zone: 01:00 at +03:00 on 8 May is 7 May in UTC."""
    settings = example / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("timezone: UTC", "timezone: Europe/Istanbul"), encoding="utf-8")
    write(example / f"{STORY}/2024-05-08-late.yaml", MINIMAL_BRIEF.replace("2024-05-07", "2024-05-08")
          + "updated: 2024-05-08T01:00+03:00\n")
    assert checked(example) == []
    settings.write_text(settings.read_text(encoding="utf-8").replace("timezone: Europe/Istanbul", "timezone: UTC"), encoding="utf-8")
    found = checked(example)
    assert len(found) == 1 and "'updated' (2024-05-08T01:00:00+03:00) is before 'date' (2024-05-08)" in found[0]


@pytest.mark.parametrize("damage", [
    b"", b"{\"written\": 1, \"passed\": [\"ab", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b"{\"written\": \"x\", \"passed\": 7}",
    b"[" * 100_000, b"{\"written\": 1, \"passed\": [1, null, {}]}",
], ids=["empty", "truncated", "binary", "a list", "wrong types", "deep", "wrong keys"])
def test_a_damaged_cache_is_ignored_and_written_again(example: Path, parses: list[str], damage: bytes):
    (example / CACHE).write_bytes(damage)
    path = example / BRIEF
    path.write_text(path.read_text(encoding="utf-8").replace("status: reported", "status: reportd", 1), encoding="utf-8")
    assert len(checked(example)) == 1
    assert BRIEF in parses and f"{STORY}/story.yaml" in parses  # read again, every one
    assert json.loads((example / CACHE).read_text(encoding="utf-8"))["passed"]


def test_a_cache_that_is_a_folder_or_cannot_be_written_is_no_cache(example: Path):
    (example / CACHE).unlink()
    (example / CACHE).mkdir()
    assert checked(example) == []
    shutil.rmtree(example / CACHE.parent)
    (example / CACHE.parent).write_text("not a folder", encoding="utf-8")
    assert checked(example) == []


def test_a_cache_written_by_a_clock_ahead_of_now_is_ignored(example: Path, parses: list[str]):
    """A date one hour ahead passed then; with the clock set back two days it is in the future."""
    saved = json.loads((example / CACHE).read_text(encoding="utf-8"))
    (example / CACHE).write_text(json.dumps({**saved, "written": time.time() + 3600}), encoding="utf-8")
    assert checked(example) == []
    assert BRIEF in parses


def test_the_validator_s_version_changes_with_its_code(tmp_path: Path):
    """An upgrade of briefs (any change to generator/*.py) is a new version, so
    nothing checked by the old code counts as passed."""
    shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))

    def version() -> str:
        return subprocess.run([sys.executable, "-c", "from generator.check_cache import validator_version as v; print(v())"],
                              cwd=tmp_path, capture_output=True, text=True, check=True).stdout

    before = version()
    schema = tmp_path / "generator/schema.py"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    assert version() != before


def test_briefs_check_keeps_its_cache_under_build(tmp_path: Path):
    copy_project(tmp_path)
    assert run_briefs(tmp_path, "check").returncode == 0
    assert json.loads((tmp_path / CACHE).read_text(encoding="utf-8"))["passed"]
    written = (tmp_path / CACHE).stat().st_mtime_ns
    second = run_briefs(tmp_path, "check")
    assert second.returncode == 0 and "Traceback" not in second.stderr
    # Another process found every key it needed (the keys do not depend on
    # the process), so it had nothing new to write.
    assert (tmp_path / CACHE).stat().st_mtime_ns == written


def test_a_build_never_reads_the_cache(example: Path, monkeypatch):
    """Whatever the cache says, `briefs build` checks every file itself."""
    path = example / BRIEF
    path.write_text(path.read_text(encoding="utf-8").replace("status: reported", "status: reportd", 1), encoding="utf-8")
    monkeypatch.setattr(check_cache.CheckCache, "knows", lambda self, key: True)  # a cache that says every file passed
    assert error_lines(check_with_cache, example) == []
    with pytest.raises(ContentErrors, match="1 content error"):
        build_site(example)
    assert not (example / "site").exists()


def test_a_broken_sources_yaml_is_its_own_error_with_or_without_the_cache(example: Path, parses: list[str]):
    (example / "briefs/sources.yaml").write_text("- id: [\n", encoding="utf-8")
    found = checked(example)
    assert found and all(line.startswith("briefs/sources.yaml:") for line in found), found
    assert BRIEF in parses  # the briefs are judged against no registry now: another key


def test_a_brief_judged_without_a_readable_sources_yaml_is_judged_again_once_it_is_gone(project: Path):
    """With sources.yaml broken, an unknown id is not called unknown (the file's
    own error says why); deleting sources.yaml then makes it unknown."""
    write(project / "briefs/test-story/2024-05-08-cited.yaml", MINIMAL_BRIEF.replace("status: confirmed", "status: reported\n    sources: [afp]"))
    write(project / "briefs/sources.yaml", "- id: [\n")
    assert all(line.startswith("briefs/sources.yaml:") for line in checked(project))
    (project / "briefs/sources.yaml").unlink()
    found = checked(project)
    assert len(found) == 1 and "unknown source id 'afp'" in found[0], found
