"""`briefs new <story> "<title>"`: a stub an editor fills in, never an overwrite."""
from __future__ import annotations

import datetime as dt
import json

import jsonschema

from conftest import ROOT, run_briefs
from generator.model import Brief
from yaml12 import load_yaml_1_2

TODAY = dt.datetime.now(dt.timezone.utc).date().isoformat()  # the test site's time zone is UTC


def fill(text: str) -> str:
    """What an editor does with the stub: write the summary and the claims."""
    filled = text.replace('summary: ""', 'summary: "Talks resumed in Cairo."')
    filled = filled.replace('  - text: ""\n    status: reported\n    sources: []',
                            '  - text: "A delegation arrived."\n    status: reported\n    sources: [{name: Reuters}]')
    assert filled.count('""') < text.count('""')
    return filled


def test_new_brief_is_a_stub_that_passes_check_once_filled(project):
    result = run_briefs(project, "new", "test-story", "Talks resume in Cairo")
    assert result.returncode == 0, result.stderr
    shown = f"briefs/test-story/{TODAY}-talks-resume-in-cairo.yaml"
    assert result.stdout == shown + "\n"
    path = project / shown
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/brief.schema.json"
    for key in Brief.FIELDS:  # every field the format declares: to fill in, or to uncomment
        assert f"\n{key}:" in text or f"\n# {key}:" in text, key
    assert f"date: {TODAY}\n" in text and 'title: "Talks resume in Cairo"' in text

    unfilled = run_briefs(project, "check")
    assert unfilled.returncode == 1
    assert f"{shown}:" in unfilled.stderr and "summary: this required value is empty" in unfilled.stderr

    path.write_text(fill(text), encoding="utf-8")
    filled = run_briefs(project, "check")
    assert filled.returncode == 0, filled.stderr
    schema = json.loads((ROOT / "schemas/brief.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(load_yaml_1_2(path.read_text(encoding="utf-8")), schema)


def test_new_brief_never_overwrites(project):
    assert run_briefs(project, "new", "test-story", "Same title").returncode == 0
    path = project / f"briefs/test-story/{TODAY}-same-title.yaml"
    path.write_text("edited\n", encoding="utf-8")
    again = run_briefs(project, "new", "test-story", "Same title!")
    assert again.returncode == 1
    assert f"briefs/test-story/{TODAY}-same-title.yaml already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == "edited\n"


def test_misspelt_story_is_refused_with_the_nearest_name(project):
    result = run_briefs(project, "new", "test-stroy", "A title")
    assert result.returncode == 1
    assert "there is no story 'test-stroy'; did you mean 'test-story'?" in result.stderr
    assert not (project / "briefs/test-stroy").exists()


def test_new_story_gets_a_story_yaml_stub(project):
    result = run_briefs(project, "new", "sudan-war", "Talks in Jeddah")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["briefs/sudan-war/story.yaml", f"briefs/sudan-war/{TODAY}-talks-in-jeddah.yaml"]
    story = (project / "briefs/sudan-war/story.yaml").read_text(encoding="utf-8")
    assert story.startswith("# yaml-language-server: $schema=../../schemas/story.schema.json\n")


def test_story_name_that_is_not_a_slug_is_a_usage_mistake(project):
    result = run_briefs(project, "new", "Sudan War", "A title")
    assert result.returncode == 2
    assert "did you mean 'sudan-war'?" in result.stderr
