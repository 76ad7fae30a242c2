"""YAML tags are refused, every one of them, each at the tag as written:
in a brief the field's type decides what a value is, and in mkdocs.yml
only MkDocs' own `!ENV` and `!relative` are read."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MINIMAL_BRIEF, error_lines, run_briefs, write
from generator.build import check_project

BRIEF = "briefs/test-story/2024-05-07-first.yaml"
REFUSED = "are not allowed; write the value alone, its field decides its type"

# (a brief's line with a tag, the tag as the error names it, its column)
TAGGED = [
    ("question: !!str What now?", "!!str", 11),
    ("location: ! Cairo", "!", 11),
    ("context: !<tag:yaml.org,2002:str> Background.", "!<tag:yaml.org,2002:str>", 10),
    ("authors: !!seq [Ana]", "!!seq", 10),
    ("tags: !!seq\n  - talks", "!!seq", 7),
    ("timeline: [!!map {date: '2024', text: Talks began.}]", "!!map", 12),
    ("whats_next: [!local Talks resume.]", "!local", 14),
]


@pytest.mark.parametrize("line, written, column", TAGGED, ids=[t[1] + " " + t[0].split(":")[0] for t in TAGGED])
def test_every_tag_in_a_brief_is_an_error_at_the_tag(project: Path, line: str, written: str, column: int):
    write(project / BRIEF, MINIMAL_BRIEF + line + "\n")
    number = len(MINIMAL_BRIEF.strip("\n").splitlines()) + 1
    assert error_lines(check_project, project) == [f"{BRIEF}:{number}:{column}: error: YAML tags ({written}) {REFUSED}"]


def test_each_tag_of_a_file_is_reported_in_one_run(project: Path):
    write(project / BRIEF, MINIMAL_BRIEF.replace("title: A development", "title: !!str A development")
          .replace("summary: What happened.", "summary: &lead !!str What happened."))
    assert error_lines(check_project, project) == [
        f"{BRIEF}:1:8: error: YAML tags (!!str) {REFUSED}",
        f"{BRIEF}:3:10: error: YAML anchors (&lead) are not allowed; write each value out",
        f"{BRIEF}:3:16: error: YAML tags (!!str) {REFUSED}",
    ]


SETTINGS_TAGGED = [
    ("site_name: !!str Briefs", "!!str", 12),
    ("site_description: !<tag:yaml.org,2002:str> Briefs", "!<tag:yaml.org,2002:str>", 19),
    ("copyright: ! Briefs", "!", 12),
    ("extra_javascript: !!seq [a.js]", "!!seq", 19),
    ("markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:os.system", "!!python/name:os.system", 20),
    ("hooks:\n  - !!python/object/apply:os.system [touch pwned]", "!!python/object/apply:os.system", 5),
]


@pytest.mark.parametrize("line, written, column", SETTINGS_TAGGED, ids=[t[1] for t in SETTINGS_TAGGED])
def test_a_tag_in_the_settings_is_an_error_at_the_tag_but_mkdocs_own(project: Path, line: str, written: str, column: int):
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text + line + "\n", encoding="utf-8")
    number = len(text.splitlines()) + line.count("\n") + 1
    assert error_lines(check_project, project) == [
        f"mkdocs.yml:{number}:{column}: error: YAML tags ({written}) are not allowed in the site settings; "
        "only MkDocs' own !ENV and !relative are"]
    assert not (project / "pwned").exists()


def test_mkdocs_own_tags_are_read_as_mkdocs_reads_them(project: Path, monkeypatch):
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    written = "site_url: !ENV [BRIEFS_TEST_SITE_URL, 'https://example.org/']"
    settings.write_text(re.sub(r"(?m)^site_url:.*$", written, text), encoding="utf-8")
    assert error_lines(check_project, project) == []  # the default
    monkeypatch.setenv("BRIEFS_TEST_SITE_URL", "javascript://example.org/%0Aalert(1)")
    line = settings.read_text(encoding="utf-8").splitlines().index(written) + 1
    lines = error_lines(check_project, project)
    assert [line.split(": error: ")[0] for line in lines] == [f"mkdocs.yml:{line}:11"]  # the value the build would use
    assert "site_url: 'javascript://example.org/%0Aalert(1)' is not an absolute http or https address" in lines[0]


def test_a_python_tag_in_the_settings_never_runs(project: Path):
    """MkDocs reads mkdocs.yml with PyYAML's unsafe loader: before this
    check, `briefs build` ran the command below and published, exit 0."""
    settings = project / "mkdocs.yml"
    marker = project / "ran"
    settings.write_text(settings.read_text(encoding="utf-8") + f'extra_value: !!python/object/apply:os.system ["touch {marker}"]\n',
                        encoding="utf-8")
    result = run_briefs(project, "build")
    assert result.returncode == 1 and "YAML tags (!!python/object/apply:os.system) are not allowed" in result.stderr
    assert not marker.exists() and not (project / "site").exists()
