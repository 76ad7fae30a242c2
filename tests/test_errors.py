"""Every error kind of the contract, with its line, column and words.

Each file in fixtures/invalid/ is a brief whose `# expect:` lines give
the exact errors it must produce (line:column: message), Pelican-style.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, MINIMAL_STORY, run_briefs, write

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
SOURCES = """
- id: reuters
  name: Reuters
  url: https://www.reuters.com/
"""


def expected_errors(path: Path, shown: str) -> list[str]:
    lines = re.findall(r"^# expect: (.*)$", path.read_text(encoding="utf-8"), flags=re.M)
    return sorted(f"{shown}:{line.split(': ', 1)[0]}: error: {line.split(': ', 1)[1]}" for line in lines)


def error_lines(stderr: str) -> list[str]:
    return sorted(line for line in stderr.splitlines() if ": error: " in line)


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_brief_gives_exactly_its_errors(project: Path, fixture: Path):
    write(project / "briefs/sources.yaml", SOURCES)
    target = project / "briefs/test-story" / f"2024-05-08-{fixture.stem}.yaml"
    target.write_bytes(fixture.read_bytes())
    result = run_briefs(project, "check")
    assert result.returncode == 1
    assert error_lines(result.stderr) == expected_errors(fixture, f"briefs/test-story/{target.name}")
    assert "Traceback" not in result.stderr


def test_every_error_of_every_file_in_one_run(project: Path):
    for fixture in INVALID[:4]:
        (project / "briefs/test-story" / f"2024-05-09-{fixture.stem}.yaml").write_bytes(fixture.read_bytes())
    result = run_briefs(project, "check")
    shown = {line.split(":", 1)[0] for line in error_lines(result.stderr)}
    assert shown == {f"briefs/test-story/2024-05-09-{f.stem}.yaml" for f in INVALID[:4]}


def _check_one(project: Path, name: str, content: bytes) -> list[str]:
    (project / "briefs/test-story" / name).write_bytes(content)
    result = run_briefs(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    return error_lines(result.stderr)


def test_file_over_one_mebibyte_is_refused_before_parsing(project: Path):
    big = MINIMAL_BRIEF.encode() + b"# " + b"x" * (1024 * 1024) + b"\n"
    assert _check_one(project, "2024-05-08-big.yaml", big) == [
        f"briefs/test-story/2024-05-08-big.yaml:1:1: error: the file is {len(big):,} bytes; the limit is 1 MiB (1,048,576 bytes)"
    ]


def test_bytes_that_are_not_utf8(project: Path):
    content = b"title: Caf\xe9\ndate: 2024-05-07\n"
    assert _check_one(project, "2024-05-08-latin1.yaml", content) == [
        "briefs/test-story/2024-05-08-latin1.yaml:1:11: error: byte 0xe9 is not UTF-8; save the file as UTF-8"
    ]


def test_more_than_one_document(project: Path):
    content = MINIMAL_BRIEF.lstrip().encode() + b"---\ntitle: Second\n"
    assert _check_one(project, "2024-05-08-two.yaml", content) == [
        "briefs/test-story/2024-05-08-two.yaml:7:1: error: the file holds more than one YAML document (a second '---'); keep one brief per file"
    ]


def test_a_bom_is_allowed(project: Path):
    (project / "briefs/test-story/2024-05-08-bom.yaml").write_bytes(b"\xef\xbb\xbf" + MINIMAL_BRIEF.lstrip().encode())
    assert run_briefs(project, "check").returncode == 0


@pytest.mark.parametrize("name, message", [
    ("Cairo_Talks.yaml", "'Cairo_Talks' is not a valid brief file name: use lowercase letters, digits and single hyphens, 1 to 80 characters; did you mean 'cairo-talks'?"),
    ("index.yaml", "'index' is the story page's own name; choose another file name"),
    ("notes.txt", "a story folder holds only story.yaml and one .yaml file per brief: move this file out of briefs/, or delete it"),
])
def test_bad_file_names_point_at_the_file(project: Path, name: str, message: str):
    assert _check_one(project, name, MINIMAL_BRIEF.encode()) == [f"briefs/test-story/{name}:1:1: error: {message}"]


def test_yaml_and_yml_with_the_same_slug(project: Path):
    write(project / "briefs/test-story/2024-05-07-first.yml", MINIMAL_BRIEF)
    result = run_briefs(project, "check")
    assert error_lines(result.stderr) == [
        "briefs/test-story/2024-05-07-first.yml:1:1: error: 2024-05-07-first.yaml and 2024-05-07-first.yml have the same name; keep one"
    ]


def test_reserved_story_names_and_missing_story_file(project: Path):
    write(project / "briefs/tags/2024-05-07-x.yaml", MINIMAL_BRIEF)
    write(project / "briefs/no-story/2024-05-07-x.yaml", MINIMAL_BRIEF)
    write(project / "briefs/templates/story.yaml", MINIMAL_STORY)  # MkDocs leaves templates/ out of a build
    result = run_briefs(project, "check")
    assert error_lines(result.stderr) == [
        "briefs/no-story:1:1: error: the story folder has no story.yaml: add one with the story's title and summary",
        "briefs/tags:1:1: error: 'tags' is a name the site uses itself; choose another story folder name",
        "briefs/templates:1:1: error: 'templates' is a name the site uses itself; choose another story folder name",
    ]


def test_story_fields_are_checked(project: Path):
    write(project / "briefs/test-story/story.yaml", """
        title: Test story
        summary: Where things stand.
        status: ongoing
        lang: english language
    """)
    assert error_lines(run_briefs(project, "check").stderr) == [
        "briefs/test-story/story.yaml:3:9: error: status: 'ongoing' is not one of developing, concluded",
        "briefs/test-story/story.yaml:4:7: error: lang: 'english language' is not a language tag like en, fr-CA or ar",
    ]


def test_mistakes_in_the_site_settings_are_error_lines(project: Path):
    settings = project / "mkdocs.yml"
    good = settings.read_text(encoding="utf-8")
    lines = good.count("\n")
    settings.write_text(good + "site_name: [unclosed\n", encoding="utf-8")
    result = run_briefs(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [f"mkdocs.yml:{lines + 1}:12: error: this [ opened on line {lines + 1} is never closed: end it with ] "
                                          "(YAML syntax: did not find expected ',' or ']' while parsing a flow sequence)"]

    settings.write_text(good.replace("    latest: 30", "    latest: many"), encoding="utf-8")
    result = run_briefs(project, "build")
    line = good[: good.index("    latest: 30")].count("\n") + 1
    assert error_lines(result.stderr) == [f"mkdocs.yml:{line}:13: error: extra.briefing.latest: expected a whole number of 1 or more, found 'many'"]

    settings.write_text(good.replace("  name: material", "  name: materialx"), encoding="utf-8")
    result = run_briefs(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Unrecognised theme name: 'materialx'" in result.stderr
    assert error_lines(result.stderr) == ["mkdocs.yml:1:1: error: MkDocs: Aborted with a configuration error!"]


CITING = MINIMAL_BRIEF + """\
  - text: Talks resumed.
    status: reported
    sources: [reuters, {name: AFP}]
  - text: A delegation arrived.
    status: reported
    sources: [reuters, local, reutres]
sources:
  - id: local
    name: Local paper
"""


@pytest.mark.parametrize("sources, expected", [
    ("- id: reuters\n  name: Reuters\n  url: [https://x\n", "briefs/sources.yaml:3:8: error: this [ opened on line 3 is never closed"),
    ("id: reuters\nname: Reuters\n", "briefs/sources.yaml:1:1: error: expected a list"),
    ("\n", "briefs/sources.yaml:1:1: error: the file is empty"),
])
def test_an_unreadable_sources_yaml_is_one_error_not_one_per_citation(project: Path, sources: str, expected: str):
    """A broken catalogue is reported at its own line; no brief's citation
    of it is called unknown (a flood that hides the one real mistake)."""
    write(project / "briefs/test-story/2024-05-08-citing.yaml", CITING)
    (project / "briefs/sources.yaml").write_text(sources, encoding="utf-8")
    result = run_briefs(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = error_lines(result.stderr)
    assert len(errors) == 1 and errors[0].startswith(expected), errors


def test_a_readable_sources_yaml_still_names_unknown_ids(project: Path):
    write(project / "briefs/test-story/2024-05-08-citing.yaml", CITING)
    write(project / "briefs/sources.yaml", "- id: afp\n  name: AFP\n")
    errors = error_lines(run_briefs(project, "check").stderr)
    shown = "briefs/test-story/2024-05-08-citing.yaml"
    assert sorted(errors) == [
        f"{shown}:12:15: error: what_we_know[2].sources[0]: unknown source id 'reuters'",
        f"{shown}:12:31: error: what_we_know[2].sources[2]: unknown source id 'reutres'",
        f"{shown}:9:15: error: what_we_know[1].sources[0]: unknown source id 'reuters'",
    ]
