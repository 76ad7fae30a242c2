"""`make test-fast` leaves to `make test` every test that starts a process,
whichever way it does: by a name in its code or a helper's, by its marker,
or, missed by both, by failing under --fast."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_briefs
from fast_tier import names_a_process
from generator.cards import Card, draw_card


def _builds(project: Path):
    return run_briefs(project, "build")


def _through_a_helper(project: Path):  # names no process itself
    return _builds(project)


def _in_memory() -> bytes:
    return draw_card(Card("Site", "Story", "A headline", (), "en"))


def test_a_test_reaching_the_command_through_a_helper_is_left_to_make_test():
    assert names_a_process(_builds) and names_a_process(_through_a_helper)
    assert not names_a_process(_in_memory)


@pytest.mark.processes  # its inner run starts one
def test_a_fast_test_that_starts_a_process_all_the_same_fails_naming_it(pytester: pytest.Pytester):
    pytester.makeconftest('pytest_plugins = ["fast_tier"]')
    pytester.makepyfile(test_inner="""
        import importlib
        import sys

        import pytest

        def test_in_memory():
            assert sorted([2, 1]) == [1, 2]

        @pytest.mark.processes
        def test_marked():
            raise AssertionError("not run under --fast")

        def test_starts_a_process_no_name_shows():
            importlib.import_module("sub" + "process").run([sys.executable, "-c", "pass"], check=True)
    """)
    fast = pytester.runpytest_inprocess("--fast", "-p", "no:cacheprovider")
    fast.assert_outcomes(passed=1, failed=1, deselected=1)
    fast.stdout.fnmatch_lines(["*test_starts_a_process_no_name_shows started a process under --fast (subprocess.Popen)*"])
    whole = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    whole.assert_outcomes(passed=2, failed=1)  # without --fast: every test, the process allowed
