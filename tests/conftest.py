"""Shared fixtures: real projects in temporary folders, real MkDocs builds,
the site served on 127.0.0.1 under a sub-path as GitHub Pages serves a
project site, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import dataclasses
import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import settings

pytest_plugins = ["fast_tier", "pytester"]  # fast_tier: `make test-fast` (pytest --fast)
ROOT = Path(__file__).resolve().parent.parent
# A frozen copy of the example story with its own settings: the tests never
# read the repository's briefs/ or mkdocs.yml, which a newsroom replaces.
EXAMPLE_PROJECT = ROOT / "tests/fixtures/example"
NEWSROOM = ROOT / "tests/fixtures/newsroom-fr"  # another newsroom's: French, Paris time, its own name
REPOSITORY_CONTENT = (str(ROOT) + "/briefs", str(ROOT) + "/mkdocs.yml")  # what a newsroom replaces


class ReadsRepositoryContent(AssertionError):
    """Not an OSError, so that no `except OSError` in the code under test hides it."""


repository_reads: list[str] = []  # what this process's tests opened of REPOSITORY_CONTENT


def is_repository_content(path) -> bool:
    """Absolute paths only: a relative one may be relative to a folder's
    descriptor (shutil.rmtree's), which the audit event does not give."""
    path = os.path.normpath(os.fsdecode(path))
    return path in REPOSITORY_CONTENT or path.startswith(REPOSITORY_CONTENT[0] + os.sep)


def _refuse_repository_content(event: str, args: tuple) -> None:
    """Every file opened, folder listed or tree copied by a test, in this
    process: the repository's briefs/ and mkdocs.yml are a newsroom's, so a
    test that reads them fails (subprocesses: tests/test_fixtures_only.py)."""
    if event == "subprocess.Popen":
        read = _reading_command(*args[1:3])
    elif event in _WATCHED and isinstance(args[0], (str, bytes, os.PathLike)) and is_repository_content(args[0]):
        read = os.fsdecode(args[0])
    else:
        return
    if read:
        repository_reads.append(read)
        raise ReadsRepositoryContent(f"a test read {read}: tests never read the repository's briefs/ or mkdocs.yml "
                                     "(a newsroom replaces both); use copy_project() or EXAMPLE_PROJECT")


_WATCHED = frozenset({"open", "os.listdir", "os.scandir", "shutil.copyfile", "shutil.copytree"})


def _reading_command(argv, cwd) -> str:
    """The command, if it is `briefs` or a make target that runs it, started in the repository."""
    if cwd is None or os.path.abspath(os.fsdecode(cwd)) != str(ROOT):
        return ""
    words = [os.fsdecode(word) for word in ([argv] if isinstance(argv, (str, bytes)) else argv)]
    runs_briefs = any(word == "generator.cli" or os.path.basename(word) in ("briefs", "make") for word in words)
    return " ".join(words) + f" (in {ROOT})" if runs_briefs else ""
sys.addaudithook(_refuse_repository_content)


@pytest.fixture(autouse=True)
def _never_the_repository_content():
    """Fails a test whose code swallowed ReadsRepositoryContent."""
    before = len(repository_reads)
    yield
    assert repository_reads[before:] == [], "tests never read the repository's briefs/ or mkdocs.yml"

# One profile for every property test, chosen here once: they explore new
# examples on every local run; under CI the same examples every time, so a
# red build is one anyone can reproduce. A counterexample found while
# exploring becomes an @example of its test. No deadline: an example's time
# says how busy the machine is, not whether the code is right.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
settings.register_profile("explore", print_blob=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "explore")
SUB_PATH = "/briefs/"  # as https://<user>.github.io/briefs/
CHROMIUM = "/usr/bin/chromium"


def as_from_a_terminal() -> None:
    """For a command the tests stop as Ctrl+C would: a terminal starts it
    with SIGINT's default action, whereas a test run started in the
    background of a script (`make test &`) passes SIGINT on as ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_briefs(project: Path, *args: str, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The public command, as an editor runs it (`env`: variables to add)."""
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=project, capture_output=True, text=True,
                          timeout=timeout, env=_command_env(env))


def built_site(project: Path, *args: str) -> Path:
    """`briefs build` of the project, which must succeed; the site it built."""
    result = run_briefs(project, "build", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def start_briefs(project: Path, *args: str, env: dict[str, str] | None = None, **popen) -> subprocess.Popen:
    """The public command started, for a test to work with while it runs
    (`briefs serve`, `briefs edit`); its output piped unless `popen` says
    otherwise. End it with `stop`."""
    popen = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen}
    return subprocess.Popen([sys.executable, "-m", "generator.cli", *args], cwd=project, text=True,
                            env=_command_env(env), **popen)


def _command_env(env: dict[str, str] | None) -> dict[str, str]:
    """The environment with `env` added: this checkout's generator, whatever is installed."""
    return {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)}


def stop(process: subprocess.Popen, patience: float = 20) -> tuple[str, str]:
    """End a command a test started as Ctrl+C would, killed if it has not
    ended after `patience` seconds; its output."""
    process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=patience)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()


@dataclasses.dataclass(frozen=True)
class SignalAt:
    """A point every build reaches, the first audit event `event` whose
    first two arguments name `text`, and the signal the build gets there
    (tests/signal_at/sitecustomize.py): to every process of the build, or
    to the command's process only."""

    event: str
    text: str
    signal: signal.Signals
    every_process: bool = True


def start_build(project: Path, signal_at: SignalAt) -> subprocess.Popen:
    """`briefs build` started as from a terminal, in a session of its own,
    signalled at `signal_at`: no race with the build, whatever its speed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests/signal_at"), str(ROOT)]),
           "BRIEFS_TEST_SIGNAL_AT": f"{signal_at.event} {signal_at.text}", "BRIEFS_TEST_SIGNAL": signal_at.signal.name,
           "BRIEFS_TEST_SIGNAL_TO": "every process" if signal_at.every_process else "the command"}
    env.pop("BRIEFS_TEST_COMMAND", None)
    return subprocess.Popen([sys.executable, "-m", "generator.cli", "build"], cwd=project, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=as_from_a_terminal)


def wait_for(condition, timeout: float = 60, every: float = 0.05) -> bool:
    """Whether `condition()` came true within `timeout` seconds, asked every `every`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


def error_lines(check, project: Path) -> list[str]:
    """The error lines a check (check_project, check_with_cache) prints for a project: none if it passes."""
    from generator.problems import ContentErrors

    try:
        check(project)
    except ContentErrors as found:
        return [problem.human() for problem in found.problems]
    return []


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def copy_project(target: Path, with_briefs: bool = True, source: Path = EXAMPLE_PROJECT) -> Path:
    """A project of `source`'s settings (the frozen example's, or NEWSROOM's),
    this checkout's theme and (optionally) `source`'s briefs."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    if with_briefs:
        shutil.copytree(source / "briefs", target / "briefs")
    else:
        (target / "briefs").mkdir()
    return target


MINIMAL_STORY = """
title: Test story
summary: Where things stand.
"""

SHARED_SOURCES = """
- id: reuters
  name: Reuters
  url: https://www.reuters.com/
- id: ap
  name: Associated Press
"""  # briefs/sources.yaml: two sources a brief cites by id

MINIMAL_BRIEF = """
title: A development
date: 2024-05-07
summary: What happened.
what_we_know:
  - text: Something is known.
    status: confirmed
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project: settings and theme, one story with one brief."""
    copy_project(tmp_path, with_briefs=False)
    write(tmp_path / "briefs/test-story/story.yaml", MINIMAL_STORY)
    write(tmp_path / "briefs/test-story/2024-05-07-first.yaml", MINIMAL_BRIEF)
    return tmp_path


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The bundled example, built once per session with `briefs build`."""
    target = copy_project(tmp_path_factory.mktemp("example"))
    return built_site(target)


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ at SUB_PATH only, like a GitHub Pages project site."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "__outside_sub_path__")
        return super().translate_path("/" + path[len(SUB_PATH):])

    def log_message(self, *args) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser that closes a page resets the connections it still had
    open; socketserver would print each as a traceback between lines of
    dashes into pytest's output. Other errors are still printed."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(site: Path):
    handler = functools.partial(_SubPathHandler, directory=str(site))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"


@pytest.fixture(scope="session")
def example_url(example_site: Path):
    server, url = serve(example_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; no browser download, no network beyond loopback."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
