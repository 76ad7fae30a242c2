"""Every error in one run: a mistake in one field never hides a mistake in
another field of the same file (a bad date used to hide an unknown source
id until the date was fixed)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import copy_project, error_lines, write
from generator.build import check_project, check_with_cache

BRIEF = """\
title: "A development"
date: 2024-05-07
location: "Cairo"
summary: "What happened."
what_we_know:
  - id: first-claim
    text: "Something is known."
    status: reported
    sources: [reuters]
  - text: "Another thing."
    status: claimed
    sources: [reuters]
positions:
  - party: "Hamas"
    stance: "Approves."
    quotes:
      - text: "yes"
        by: "A spokesman"
timeline:
  - date: "2007"
    text: "Background."
tags: [gaza]
draft: false
"""
LINES = BRIEF.splitlines()

# Mistakes in fields no rule compares with each other: each replaces one
# line by one line, so every other line keeps its number.
MISTAKES = {
    "title: ": ["title: [1, 2]", "title: {a: 1}", "title:"],
    "date: 2024": ["date: 2024-05-32", "date: 2024-13-01", "date: soon", "date: [2024]"],
    "location: ": ["locaton: \"Cairo\"", "location: {city: Cairo}"],
    "summary: ": ["summary: \"[x](javascript:alert(1))\"", "summary: \"![x](https://e.example/a.png)\"", "summary: \"\""],
    "    status: reported": ["    status: confirmd", "    status: Reported", "    status: yes"],
    "    sources: [reuters]": ["    sources: [reuter]", "    sources: [nobody, reuters]", "    sources: [\"Bad Id\"]"],
    "    status: claimed": ["    status: claimd", "    status: [claimed]"],
    "    stance: ": ["    stanse: \"Approves.\"", "    stance: [a, b]"],
    "        by: ": ["        by: \"\"", "        bye: \"A spokesman\""],
    "  - date: \"2007\"": ["  - date: \"2007-13\"", "  - date: \"yesterday\""],
    "tags: ": ["tags: {a: 1}", "tags: gaza"],
    "draft: ": ["draft: yes", "draft: maybe"],
}
PLACES = {prefix: next(i for i, line in enumerate(LINES) if line.startswith(prefix)) for prefix in MISTAKES}


def with_mistakes(mistakes: dict[int, str]) -> str:
    return "\n".join(mistakes.get(i, line) for i, line in enumerate(LINES)) + "\n"


@pytest.fixture(scope="module")
def one_brief(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("every-error"), with_briefs=False)
    write(root / "briefs/sources.yaml", "- id: reuters\n  name: Reuters\n")
    write(root / "briefs/test-story/story.yaml", "title: Test story\nsummary: Where things stand.\n")
    return root


def errors_of(root: Path, text: str) -> set[str]:
    """The errors of the build's check, once `briefs check` (which reads
    a file without problems from libyaml's nodes) is known to find the same."""
    (root / "briefs/test-story/2024-05-07-brief.yaml").write_text(text, encoding="utf-8")
    found = [error_lines(check, root) for check in (check_project, check_with_cache)]
    assert found[0] == found[1]
    return set(found[0])


def test_the_base_brief_is_valid(one_brief: Path):
    assert errors_of(one_brief, BRIEF) == set()


@pytest.mark.parametrize("prefix", MISTAKES)
def test_each_mistake_alone_is_an_error(one_brief: Path, prefix: str):
    for mistake in MISTAKES[prefix]:
        assert errors_of(one_brief, with_mistakes({PLACES[prefix]: mistake})), mistake


ONE_MISTAKE = st.sampled_from([(prefix, variant) for prefix, variants in MISTAKES.items() for variant in variants])


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.tuples(ONE_MISTAKE, ONE_MISTAKE).filter(lambda pair: pair[0][0] != pair[1][0]))
@example((("date: 2024", "date: soon"), ("    sources: [reuters]", "    sources: [reuter]")))
def test_two_mistakes_give_the_errors_of_each_alone(one_brief: Path, pair):
    alone = set()
    for prefix, variant in pair:
        if (prefix, variant) not in ALONE:
            ALONE[prefix, variant] = errors_of(one_brief, with_mistakes({PLACES[prefix]: variant}))
        alone |= ALONE[prefix, variant]
    both = errors_of(one_brief, with_mistakes({PLACES[prefix]: variant for prefix, variant in pair}))
    assert alone <= both, sorted(alone - both)


ALONE: dict[tuple[str, str], set[str]] = {}  # each mistake's errors alone, checked once


# What load_yaml's copy finds and the schema alone would not word the same:
# `briefs check` reads a file from libyaml's nodes first, then again with
# the loader when anything is wrong, so both checks print the same lines.
LOADER_MISTAKES = {
    "duplicate key": BRIEF.replace("location: \"Cairo\"\n", "location: \"Cairo\"\nlocation: \"Gaza\"\n"),
    "duplicate key in a claim": BRIEF.replace("    status: claimed\n", "    status: claimed\n    status: reported\n"),
    "key that is a list": BRIEF.replace("draft: false\n", "draft: false\n? [a, b]\n: c\n"),
    "nested past the depth limit": BRIEF.replace("tags: [gaza]\n", "tags: " + "[" * 30 + "]" * 30 + "\n"),
    "nested past the depth limit under an unknown key": BRIEF + "extra: " + "[" * 30 + "]" * 30 + "\n",
}


@pytest.mark.parametrize("mistake", LOADER_MISTAKES)
def test_the_loaders_errors_are_the_same_in_briefs_check(one_brief: Path, mistake: str):
    assert errors_of(one_brief, LOADER_MISTAKES[mistake])
