"""The editors' workflow on GitHub: a pull request that changes content gets
the content check (annotations, a summary, the built site to look at) and
never the tool's test suite, which runs when the tool changes. Every
workflow passes actionlint, runs the Makefile targets a person runs, holds
the least permissions, pins each action to a commit, and quotes branch
names. The pre-commit hook is well formed."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import NEWSROOM, ROOT, copy_project

BIN = Path(sys.executable).parent
WORKFLOWS = ROOT / ".github/workflows"
# `uses: owner/repo@<commit> # <tag>`
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$")


def actionlint(*args: str, cwd: Path = WORKFLOWS) -> subprocess.CompletedProcess:
    # Shellcheck and pyflakes are not installed here, so `run:` scripts are
    # not linted as shell; they are single make commands (see below).
    return subprocess.run([str(BIN / "actionlint"), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=60)


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1).
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(name: str) -> list[dict]:
    return [step for job in workflow(name)["jobs"].values() for step in job["steps"]]


def names() -> list[str]:
    return sorted(p.name for p in WORKFLOWS.iterdir())


def test_workflows_pass_actionlint():
    result = actionlint(*names())
    assert result.returncode == 0, result.stdout + result.stderr
    assert names() == ["check.yml", "pages.yml", "tests.yml"]


def as_tags(text: str) -> str:
    """The workflow with each pin written as its tag's major version, which
    actionlint knows the inputs of (it cannot look a commit up)."""
    return re.sub(r"@[0-9a-f]{40} # (v\d+)\S*", r"@\1", text)


@pytest.mark.parametrize("name", ["check.yml", "pages.yml", "tests.yml"])
def test_every_action_is_given_inputs_its_tag_has(name, tmp_path):
    (tmp_path / name).write_text(as_tags((WORKFLOWS / name).read_text(encoding="utf-8")), encoding="utf-8")
    result = actionlint(name, cwd=tmp_path)
    # configure-pages' newest tag, v5.0.0, still runs on Node 20 (docs/ci.md)
    problems = [line for line in result.stdout.splitlines() if 'runtime "node20" is deprecated' not in line]
    assert problems == [], result.stdout


def test_actionlint_finds_a_mistake_in_a_workflow(tmp_path):
    broken = as_tags((WORKFLOWS / "pages.yml").read_text(encoding="utf-8")).replace("path: site/", "paht: site/")
    (tmp_path / "pages.yml").write_text(broken, encoding="utf-8")
    result = actionlint("pages.yml", cwd=tmp_path)
    assert result.returncode == 1
    assert 'input "paht" is not defined in action "actions/upload-pages-artifact' in result.stdout


@pytest.mark.parametrize("name", ["check.yml", "pages.yml", "tests.yml"])
def test_steps_run_the_makefile_targets_a_person_runs(name):
    targets = set(re.search(r"^\.PHONY: (.*)$", (ROOT / "Makefile").read_text(), re.M)[1].split())
    commands = [step["run"] for step in steps(name) if "run" in step]
    assert commands
    for command in commands:
        assert command.startswith("make ") and command.split()[1] in targets, command


# Pins --------------------------------------------------------------------

def pinned_actions() -> set[tuple[str, str, str]]:
    """(repository, tag, commit) of every `uses:` of every workflow; each
    must be pinned to a commit with its tag beside it."""
    found = set()
    for name in names():
        for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines():
            if re.match(r"^\s*(?:- )?uses:", line):
                pin = PINNED.match(line)
                assert pin, f"{name}: {line.strip()} is not pinned to a full commit with its tag in a comment"
                found.add((pin[1], pin[3], pin[2]))
    return found


def test_every_action_is_pinned_to_the_commit_docs_ci_lists():
    """docs/ci.md's table says where each commit was read; a pin changed
    without it, or a tag with two commits, fails."""
    table = set(re.findall(r"^ *\| `([\w.-]+/[\w.-]+)` \| `(v[\d.]+)` \| `([0-9a-f]{40})` \|",
                           (ROOT / "docs/ci.md").read_text(encoding="utf-8"), re.M))
    assert pinned_actions() == table
    assert len({(repo, tag) for repo, tag, _ in table}) == len(table)


def test_an_action_by_tag_is_refused():
    assert not PINNED.match("      - uses: actions/checkout@v6")
    assert not PINNED.match("      - uses: actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803")
    assert PINNED.match("      - uses: actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0")


# Permissions ----------------------------------------------------------------

def test_each_job_holds_exactly_the_permissions_it_needs():
    pages = workflow("pages.yml")
    assert pages["permissions"] == {"contents": "read"}
    assert pages["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}  # configure-pages reads
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in pages["jobs"]["deploy"]["steps"]] == ["actions/deploy-pages"]
    for name in ("check.yml", "tests.yml"):
        assert workflow(name)["permissions"] == {"contents": "read"}
        assert all("permissions" not in job for job in workflow(name)["jobs"].values())


def test_no_checkout_keeps_the_token_for_later_steps():
    checkouts = [s for name in names() for s in steps(name) if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 3
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_main_deploys_with_the_official_pages_actions():
    uses = [step["uses"].split("@")[0] for step in steps("pages.yml") if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/cache",
                    "actions/upload-pages-artifact", "actions/deploy-pages"]
    cards = next(s for s in steps("pages.yml") if s.get("uses", "").startswith("actions/cache"))
    assert cards["with"]["path"] == "build/cards"  # generator/build.py's CARDS_CACHE
    upload = next(s for s in steps("pages.yml") if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site/"
    assert workflow("pages.yml")[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    build = next(s["run"] for s in steps("pages.yml") if "run" in s)
    assert build == "make build BUILD_FLAGS=--timings"  # each stage's time in the deploy's log


# Which workflows a pull request runs ------------------------------------------

def glob_pattern(pattern: str) -> re.Pattern:
    """GitHub's filter pattern: `**` any characters, `*` any but `/`, `?` one."""
    parts = re.split(r"(\*\*|\*|\?)", pattern)
    return re.compile("".join({"**": ".*", "*": "[^/]*", "?": "[^/]"}.get(p, re.escape(p)) for p in parts))


def runs_on_pull_request(name: str, changed: list[str]) -> bool:
    """Whether GitHub starts the workflow for a pull request changing these files."""
    trigger = workflow(name)[True]
    if not isinstance(trigger, dict) or "pull_request" not in trigger:
        return False
    filters = trigger["pull_request"] or {}
    assert not {"paths-ignore", "branches", "branches-ignore"} & set(filters), "only `paths` is modelled here"
    if "paths" not in filters:
        return True
    assert not any(p.startswith("!") for p in filters["paths"])
    return any(glob_pattern(p).fullmatch(path) for p in filters["paths"] for path in changed)


def test_the_filter_patterns_read_as_github_reads_them():
    assert glob_pattern("generator/**").fullmatch("generator/templates/home.md.j2")
    assert not glob_pattern("generator/**").fullmatch("briefs/generator/x.yaml")
    assert glob_pattern("*.lock").fullmatch("requirements.lock")
    assert not glob_pattern("*.lock").fullmatch("docs/x.lock")


@pytest.mark.parametrize("changed, workflows", [
    (["briefs/gaza-truce-talks/2024-05-08-new.yaml"], ["check.yml"]),
    (["briefs/gaza-truce-talks/story.yaml", "briefs/sources.yaml"], ["check.yml"]),
    (["generator/render.py"], ["check.yml", "tests.yml"]),
    (["briefs/x/2024-01-01-a.yaml", "overrides/main.html"], ["check.yml", "tests.yml"]),
    (["requirements.lock"], ["check.yml", "tests.yml"]),
    (["requirements-test.lock"], ["check.yml", "tests.yml"]),
    (["mkdocs.yml"], ["check.yml", "tests.yml"]),
    ([".github/workflows/pages.yml"], ["check.yml", "tests.yml"]),
    (["Makefile"], ["check.yml", "tests.yml"]),
    (["pyproject.toml"], ["check.yml", "tests.yml"]),
    (["tests/test_build.py"], ["check.yml", "tests.yml"]),
])
def test_a_pull_request_runs_the_suite_only_when_the_tool_changes(changed, workflows):
    assert [name for name in names() if runs_on_pull_request(name, changed)] == workflows


def test_a_pull_request_changing_a_brief_is_checked_built_and_uploaded_without_the_suite():
    brief_only = [name for name in names() if runs_on_pull_request(name, ["briefs/story/2024-05-08-new.yaml"])]
    ran = [step for name in brief_only for step in steps(name)]
    commands = [step.get("run") for step in ran if "run" in step]
    assert commands == ["make check", "make build"]
    check = next(step for step in ran if step.get("run") == "make check")
    assert check["env"] == {"BRIEFS_FORMAT": "github", "BRIEFS_AGAINST": "origin/${{ github.base_ref }}"}
    upload = next(step for step in ran if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/" and ran.index(upload) > ran.index(check)
    checkout = next(step for step in ran if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch is there to compare with
    assert not any("test" in command for command in commands)


def test_a_pull_request_changing_the_generator_runs_the_suite():
    changed = [name for name in names() if runs_on_pull_request(name, ["generator/build.py"])]
    commands = [step.get("run") for name in changed for step in steps(name) if "run" in step]
    assert "make test" in commands


# The check step, run as the runner runs it ------------------------------------

def run_check_step(project: Path, base_ref: str, summary: Path) -> subprocess.CompletedProcess:
    """check.yml's check step in a pull request's checkout of `project`:
    its command, with its environment as the runner sets it. (The tool is
    this test's: the Makefile's install step is skipped.)"""
    step = next(s for s in steps("check.yml") if s.get("run") == "make check")
    env = {name: value.replace("${{ github.base_ref }}", base_ref) for name, value in step["env"].items()}
    return subprocess.run([*step["run"].split(), "INSTALLED=", f"BIN={BIN}"], cwd=project, capture_output=True,
                          text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                                       "GITHUB_STEP_SUMMARY": str(summary), **env})


def pull_request(tmp_path: Path) -> Path:
    """A newsroom's repository, with the base branch fetched as checkout leaves it,
    and a brief changed on top."""
    project = copy_project(tmp_path / "repository", source=NEWSROOM)
    (project / "Makefile").write_bytes((ROOT / "Makefile").read_bytes())
    git = ["git", "-c", "user.name=Desk", "-c", "user.email=desk@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=project, check=True)
    subprocess.run([*git, "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=project, check=True)
    brief = project / "briefs/eruption-grindavik/2024-01-16-l-eruption-s-arrete.yaml"
    brief.write_text(brief.read_text(encoding="utf-8").replace(
        "    status: confirmed\n    sources: [imo, ruv]", "    status: confirmd\n    sources: [imo, ruv]"), encoding="utf-8")
    return project


def test_the_check_step_annotates_and_writes_the_summary(tmp_path):
    summary = tmp_path / "summary.md"
    result = run_check_step(pull_request(tmp_path), "main", summary)
    assert result.returncode != 0
    assert "::error file=briefs/eruption-grindavik/2024-01-16-l-eruption-s-arrete.yaml,line=" in result.stdout
    text = summary.read_text(encoding="utf-8")
    assert "### L\\'éruption s\\'arrête\\, la ville reste fermée" in text
    assert "1 brief added or changed since origin\\/main: 1 error in them, 1 error in all." in text


@pytest.mark.parametrize("base_ref", ['x$(touch made-by-dollar)', 'x`touch made-by-backtick`', 'x;touch made-by-semicolon',
                                      "x';touch made-by-quote;'", 'x"$(touch made-by-double)"'])
def test_a_branch_name_never_runs_as_code(tmp_path, base_ref):
    project = pull_request(tmp_path)
    result = run_check_step(project, base_ref, tmp_path / "summary.md")
    assert result.returncode != 0
    assert f"origin/{base_ref}" in result.stderr  # named as it is, as a revision that is not there
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("made-by")) == []


# Elsewhere ------------------------------------------------------------------------

def test_ci_runs_the_test_command_the_readme_gives():
    commands = [line for line in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
                if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]


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
