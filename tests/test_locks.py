"""Publishing installs what publishing needs: two locks, both with every
file's hash, made by one `make lock` from pyproject.toml. `make build` (and
the Pages deploy) installs the run lock; `make test` adds the test lock.
A virtual environment made from the run lock alone builds a site and has
none of the test tools."""
from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import MINIMAL_BRIEF, MINIMAL_STORY, ROOT, copy_project, write

RUN_LOCK, TEST_LOCK = ROOT / "requirements.lock", ROOT / "requirements-test.lock"
TEST_TOOLS = ["pytest", "playwright", "hypothesis", "mypy"]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# One requirement: `name==version \` then its `--hash=sha256:...` lines.
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", re.M)


def pins(lock: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """{name: (version, hashes)}; every line that is not a comment is part of a pin."""
    text = lock.read_text(encoding="utf-8")
    found = {canonicalize_name(m[1]): (m[2], frozenset(re.findall(r"sha256:(\w+)", m[3]))) for m in PIN.finditer(text)}
    rest = PIN.sub("", text)
    assert [line for line in rest.splitlines() if line.strip() and not line.lstrip().startswith("#")] == [], \
        f"{lock.name} has a line that is not a pin with hashes"
    return found


@pytest.mark.parametrize("lock", [RUN_LOCK, TEST_LOCK], ids=lambda p: p.name)
def test_each_lock_pins_every_package_with_its_hashes(lock):
    found = pins(lock)
    assert len(found) > 20
    assert all(hashes for _, hashes in found.values())
    assert "nh3" not in found  # nothing the generator no longer uses


def test_the_run_lock_has_no_test_tools_and_the_test_lock_adds_them_at_the_same_versions():
    run, test = pins(RUN_LOCK), pins(TEST_LOCK)
    assert not set(TEST_TOOLS) & set(run)
    assert set(TEST_TOOLS) <= set(test)
    assert {name: test[name] for name in run} == run


@pytest.mark.parametrize("lock, requirements", [
    (RUN_LOCK, [*PYPROJECT["project"]["dependencies"], *PYPROJECT["build-system"]["requires"]]),
    (TEST_LOCK, [*PYPROJECT["project"]["dependencies"], *PYPROJECT["project"]["optional-dependencies"]["test"]]),
], ids=["run", "test"])
def test_the_locks_are_in_step_with_pyproject(lock, requirements):
    """A dependency added to pyproject.toml without `make lock` fails here."""
    found = pins(lock)
    for requirement in map(Requirement, requirements):
        name = canonicalize_name(requirement.name)
        assert name in found, f"{requirement} is not in {lock.name}: run `make lock`"
        assert requirement.specifier.contains(found[name][0], prereleases=True), \
            f"{lock.name} has {name}=={found[name][0]}, pyproject.toml asks {requirement}: run `make lock`"


def test_make_lock_locks_the_build_backend_pyproject_names():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^BUILD_BACKEND := (.*)$", makefile, re.M)[1] == " ".join(PYPROJECT["build-system"]["requires"])


def make_dry_run(tmp_path: Path, target: str) -> str:
    """The commands `make TARGET` runs in a fresh clone, printed, not run."""
    for name in ("Makefile", "pyproject.toml", RUN_LOCK.name, TEST_LOCK.name):
        shutil.copy(ROOT / name, tmp_path)
    result = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_build_installs_the_run_lock_with_hashes_then_the_project_alone(tmp_path):
    commands = [line for line in make_dry_run(tmp_path, "build").splitlines() if "pip install" in line]
    assert len(commands) == 2, commands
    assert "--require-hashes -r requirements.lock" in commands[0]
    assert commands[1].endswith("--no-deps --no-build-isolation -e .")
    assert "requirements-test.lock" not in make_dry_run(tmp_path, "build")


def test_make_test_adds_the_test_lock_with_hashes(tmp_path):
    commands = [line for line in make_dry_run(tmp_path, "test").splitlines() if "pip install" in line]
    assert [c.split("pip install")[1].strip() for c in commands] == [
        "-qq --disable-pip-version-check --require-hashes -r requirements.lock",
        "-qq --disable-pip-version-check --no-deps --no-build-isolation -e .",
        "-qq --disable-pip-version-check --require-hashes -r requirements-test.lock"]


def installed_copy(name: str, version: str, site_packages: Path) -> None:
    """The package's installed files (as this test run has it) copied into
    another environment's site-packages, as pip would have put them."""
    try:
        dist = importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(f"{name} {version} of the run lock is not installed here: run `make test`")
    assert dist.version == version, f"{name} is {dist.version} here, the run lock has {version}: run `make test`"
    home = Path(dist.locate_file(""))
    for file in dist.files or ():
        source = Path(dist.locate_file(file))
        if source.is_file() and home in source.parents:  # not the scripts in ../../bin
            target = site_packages / source.relative_to(home)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


@pytest.mark.slow
def test_an_environment_of_the_run_lock_alone_builds_and_has_no_test_tool(tmp_path):
    """As `make build` leaves a fresh clone's .venv, made without a network:
    the run lock's packages copied from this environment into a new one."""
    home = tmp_path / "venv"
    venv.create(home, with_pip=False)
    python = home / "bin/python"
    site_packages = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                        capture_output=True, text=True, check=True).stdout.strip())
    for name, (version, _) in pins(RUN_LOCK).items():
        installed_copy(name, version, site_packages)
    for tool in TEST_TOOLS:
        found = subprocess.run([python, "-c", f"import {tool}"], capture_output=True, text=True)
        assert found.returncode == 1 and f"No module named '{tool}'" in found.stderr, tool
    project = copy_project(tmp_path / "project", with_briefs=False)
    write(project / "briefs/test-story/story.yaml", MINIMAL_STORY)
    write(project / "briefs/test-story/2024-05-07-first.yaml", MINIMAL_BRIEF)
    built = subprocess.run([python, "-m", "generator.cli", "build"], cwd=project, capture_output=True, text=True,
                           timeout=300, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert built.returncode == 0, built.stderr
    assert "Built 1 brief in 1 story" in built.stdout
    assert (project / "site/test-story/2024-05-07-first/index.html").is_file()
