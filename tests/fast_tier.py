"""`make test-fast` (pytest --fast): the tests that start no process, to run
while working; `make test` runs them all, as CI does.

A test starts a process when its code, its fixtures' code, or a function
of tests/ that either calls, names one of STARTS_PROCESSES: the briefs
command (run, or its main called), a served site (which a build made),
MkDocs, Pagefind, the preview, Chromium, an audit tool, a benchmark-sized
project, the build's check (in two processes from 100 files). No list of
tests to keep up to date: a new test is sorted by what it calls, and one
that starts processes in a way no name shows says so with
@pytest.mark.processes. A test sorted fast that starts a process all the
same fails, naming what it started, so the sorting errs only towards the
whole suite.
"""
from __future__ import annotations

import functools
import inspect
import os
import sys
import types
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
STARTS_PROCESSES = frozenset({
    "run_briefs", "subprocess", "Popen", "serve", "browser", "audit_tools", "bench",  # tests/, benchmarks/, the standard library
    "cli", "build_site", "build_pages", "index_site", "Preview", "check_with_cache",  # generator/
})
PROCESS_EVENTS = ("subprocess.Popen", "os.posix_spawn", "os.fork", "os.system")
started: list[str] = []  # the process events of the fast test running in this process
watching: list[pytest.Config] = []  # the --fast runs in this process (an audit hook stays once added)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fast", action="store_true", help="only the tests that start no process (make test-fast)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "processes: the test starts processes in a way no name in its code shows")
    if config.getoption("fast"):
        watching.append(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config in watching:
        watching.remove(config)
        started.clear()


@pytest.hookimpl(trylast=True)  # after -k and -m have chosen
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("fast"):
        return
    slow = [item for item in items if item.get_closest_marker("processes") or starts_processes(item)]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if item not in set(slow)]


def starts_processes(item: pytest.Item) -> bool:
    fixtures = getattr(item, "_fixtureinfo", None)
    definitions = fixtures.name2fixturedefs.values() if fixtures else ()
    functions = [getattr(item, "function", None), *(definition.func for chain in definitions for definition in chain)]
    return any(names_a_process(function) for function in functions if function is not None)


def names_a_process(function, seen: frozenset = frozenset()) -> bool:
    """Whether a function of tests/ names one of STARTS_PROCESSES, itself
    or through the functions and classes of tests/ it names."""
    function = inspect.unwrap(getattr(getattr(function, "hypothesis", None), "inner_test", function))
    code = getattr(function, "__code__", None)
    if code is None or code in seen or not _in_tests(code):
        return False
    names = _names(code)
    if names & STARTS_PROCESSES:
        return True
    called = [function.__globals__.get(name) for name in names]
    return any(names_a_process(method, seen | {code}) for value in called for method in _functions_in_tests(value))


@functools.cache
def _names(code: types.CodeType) -> frozenset[str]:
    """The global and attribute names a function's code and its inner functions use."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return frozenset(names)


def _functions_in_tests(value) -> list:
    if isinstance(value, types.FunctionType):
        return [value]
    if isinstance(value, type) and value.__module__ in sys.modules and _in_tests(sys.modules[value.__module__]):
        return [member for member in vars(value).values() if isinstance(member, types.FunctionType)]
    return []


def _in_tests(thing) -> bool:
    path = getattr(thing, "co_filename", None) or getattr(thing, "__file__", None) or ""
    return os.path.abspath(path).startswith(str(TESTS) + os.sep)


def _note_processes(event: str, args: tuple) -> None:
    if watching and event in PROCESS_EVENTS and os.environ.get("PYTEST_CURRENT_TEST"):
        started.append(event)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A fast test that started a process fails after it ran (inside the
    test, the failure would send hypothesis shrinking for minutes)."""
    report = (yield).get_result()
    if started and item.config in watching:
        events = ", ".join(sorted(set(started)))
        started.clear()
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid} started a process under --fast ({events}): mark it @pytest.mark.processes, "
                           "or add the name that starts it to STARTS_PROCESSES in tests/fast_tier.py")


sys.addaudithook(_note_processes)  # for good: it notes nothing unless a --fast run is watching
