"""The editors' workflow on GitHub: the Actions workflows pass actionlint and
run the Makefile targets a person runs; the pre-commit hook is well formed."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = ROOT / ".github/workflows"


def actionlint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    # Shellcheck and pyflakes are not installed here, so `run:` scripts are
    # not linted as shell; they are single make commands (see below).
    return subprocess.run([str(BIN / "actionlint"), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=60)


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); the steps are what matter here.
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(name: str) -> list[dict]:
    return [step for job in workflow(name)["jobs"].values() for step in job["steps"]]


def test_workflows_pass_actionlint():
    result = actionlint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == ["pages.yml", "pr.yml"]


def test_actionlint_finds_a_mistake_in_a_workflow(tmp_path):
    broken = (WORKFLOWS / "pages.yml").read_text(encoding="utf-8").replace("path: site/", "paht: site/")
    (tmp_path / "pages.yml").write_text(broken, encoding="utf-8")
    result = actionlint("pages.yml", cwd=tmp_path)
    assert result.returncode == 1
    assert 'input "paht" is not defined in action "actions/upload-pages-artifact' in result.stdout


@pytest.mark.parametrize("name", ["pr.yml", "pages.yml"])
def test_steps_run_the_makefile_targets_a_person_runs(name):
    targets = set(re.search(r"^\.PHONY: (.*)$", (ROOT / "Makefile").read_text(), re.M)[1].split())
    commands = [step["run"] for step in steps(name) if "run" in step]
    assert commands
    for command in commands:
        assert command.startswith("make ") and command.split()[1] in targets, command


def test_pull_requests_get_annotations_then_tests():
    commands = [step["run"] for step in steps("pr.yml") if "run" in step]
    assert commands[0].startswith("make check ") and "--format github" in commands[0]
    assert commands[-1] == "make test"
    assert any(step.get("with", {}).get("cache") == "pip" for step in steps("pr.yml"))


def test_main_deploys_with_the_official_pages_actions():
    uses = [step["uses"].split("@")[0] for step in steps("pages.yml") if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/cache",
                    "actions/upload-pages-artifact", "actions/deploy-pages"]
    cards = next(s for s in steps("pages.yml") if s.get("uses", "").startswith("actions/cache"))
    assert cards["with"]["path"] == "build/cards"  # generator/build.py's CARDS_CACHE
    upload = next(s for s in steps("pages.yml") if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site/"
    assert workflow("pages.yml")["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow("pages.yml")[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    build = next(s["run"] for s in steps("pages.yml") if "run" in s)
    assert build == "make build BUILD_FLAGS=--timings"  # each stage's time in the deploy's log


@pytest.mark.parametrize("command, path", [("validate-manifest", ".pre-commit-hooks.yaml"),
                                           ("validate-config", ".pre-commit-config.yaml")])
def test_pre_commit_files_are_valid(command, path):
    result = subprocess.run([sys.executable, "-m", "pre_commit", command, path], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hook_is_briefs_check_on_briefs():
    hook, = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"], hook["files"]) == ("briefs-check", "briefs check", "python", "^briefs/")
    local, = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    assert [h["id"] for h in local["hooks"]] == ["briefs-check"]
