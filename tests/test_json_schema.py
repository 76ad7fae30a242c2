"""The JSON Schemas editors' tools use agree with `briefs check`: both come
from the declaration in generator/model.py, and both accept and refuse the
same files (tests/fixtures/schema), with errors at the same key paths."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import jsonschema.exceptions
import pytest

from conftest import EXAMPLE_PROJECT, ROOT, run_briefs
from yaml12 import load_yaml_1_2

FIXTURES = ROOT / "tests/fixtures/schema"
SCHEMAS = ROOT / "schemas"
# `file:line:col: error: key.path: message`; errors about a whole file have no key path.
ERROR_LINE = re.compile(r"^(?P<file>\S+?):\d+:\d+: error: (?:(?P<path>[\w.\[\]]+): )?")


def schema_for(path: Path) -> dict:
    kind = {"sources": "sources", "story": "story"}.get(path.stem, "brief")
    return json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))


def key_path(parts) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")


def schema_errors(project: Path) -> dict[str, set[str]]:
    """{file: key paths} as jsonschema reports them for YAML 1.2."""
    found = {}
    for path in sorted((project / "briefs").rglob("*.yaml")):
        data = load_yaml_1_2(path.read_text(encoding="utf-8"))
        validator = jsonschema.Draft7Validator(schema_for(path))
        # best_match goes into an anyOf to the branch the value was meant for, as editors' tools do.
        errors = (jsonschema.exceptions.best_match([error]) for error in validator.iter_errors(data))
        found[path.relative_to(project).as_posix()] = {key_path(error.absolute_path) for error in errors}
    return found


def check_errors(project: Path, tmp_path: Path) -> tuple[int, dict[str, set[str]]]:
    """{file: key paths} as `briefs check` reports them."""
    work = tmp_path / project.name
    shutil.copytree(project, work)
    shutil.copy(EXAMPLE_PROJECT / "mkdocs.yml", work)
    result = run_briefs(work, "check")
    found = {path: set() for path in schema_errors(project)}
    for line in result.stderr.splitlines()[:-1]:  # the last line counts the errors
        match = ERROR_LINE.match(line)
        assert match, line
        found[match["file"]].add(match["path"] or "")
    return result.returncode, found


def test_committed_schemas_are_what_the_declaration_generates(tmp_path):
    result = run_briefs(_project_root(tmp_path), "schemas")
    assert result.returncode == 0, result.stderr
    generated = tmp_path / "schemas"
    names = sorted(p.name for p in generated.iterdir())
    assert names == ["authors.schema.json", "brief.schema.json", "settings.schema.json", "sources.schema.json", "story.schema.json"]
    for name in names:
        assert (SCHEMAS / name).read_text(encoding="utf-8") == (generated / name).read_text(encoding="utf-8"), (
            f"schemas/{name} is out of date: run `make schemas` and commit it")


def _project_root(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE_PROJECT / "mkdocs.yml", tmp_path)
    return tmp_path


def test_valid_files_pass_both(tmp_path):
    status, by_check = check_errors(FIXTURES / "valid", tmp_path)
    assert status == 0
    assert schema_errors(FIXTURES / "valid") == by_check == {path: set() for path in by_check}


def test_invalid_files_fail_both_at_the_same_key_paths(tmp_path):
    status, by_check = check_errors(FIXTURES / "invalid", tmp_path)
    assert status == 1
    by_schema = schema_errors(FIXTURES / "invalid")
    assert all(by_check.values()), "every invalid fixture must have an error"
    assert by_schema == by_check


def test_misspelt_status_fails_at_the_same_key_path(tmp_path):
    _, by_check = check_errors(FIXTURES / "invalid", tmp_path)
    brief = "briefs/story/2024-05-01-misspelt-status.yaml"
    assert by_check[brief] == schema_errors(FIXTURES / "invalid")[brief] == {"what_we_know[0].status"}


def test_schema_offers_the_statuses_with_the_guide_words():
    claim = schema_for(Path("brief.yaml"))["properties"]["what_we_know"]["items"]
    assert claim["properties"]["status"]["enum"] == ["confirmed", "reported", "claimed", "disputed", "debunked"]
    assert claim["properties"]["status"]["description"].startswith("How sure we are")


@pytest.mark.parametrize("name", ["brief", "story", "sources", "settings"])
def test_built_site_publishes_the_schemas(example_site, name):
    published = example_site / "schemas" / f"{name}.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_bundled_briefs_pass_the_schemas():
    assert all(not paths for paths in schema_errors(EXAMPLE_PROJECT).values())


def test_site_settings_pass_and_fail_the_schema_at_the_same_key_paths_as_the_check(tmp_path):
    """mkdocs.yml's extra.briefing: the schema and `briefs check` agree."""
    schema = json.loads((SCHEMAS / "settings.schema.json").read_text(encoding="utf-8"))
    good = (EXAMPLE_PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not list(jsonschema.Draft7Validator(schema).iter_errors(load_yaml_1_2(good)))
    bad = (good.replace("    latest: 30", "    latest: 0").replace("    timezone: UTC", "    timezone: [UTC]")
           .replace("    contact: mailto:desk@example.org", "    contact: /contact/\n    colour: red"))
    by_schema = {key_path(error.absolute_path) for error in jsonschema.Draft7Validator(schema).iter_errors(load_yaml_1_2(bad))}
    shutil.copytree(FIXTURES / "valid", tmp_path, dirs_exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(bad, encoding="utf-8")
    result = run_briefs(tmp_path, "check")
    by_check = {ERROR_LINE.match(line)["path"] for line in result.stderr.splitlines()[:-1]}
    assert by_check == {"extra.briefing.latest", "extra.briefing.timezone", "extra.briefing.contact", "extra.briefing"}
    assert by_schema == by_check
