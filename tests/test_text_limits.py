"""Hostile shapes of editor text from an outside probe: numeric references
that name no character, suggestions against a huge registry, and (below)
the limits that keep checking and building linear in the input."""
from __future__ import annotations

import html
import json
from pathlib import Path

from conftest import run_briefs, write
from generator.problems import SUGGESTION_CANDIDATES, Spellings, did_you_mean
from test_properties import visible_text


def _claims_brief(texts: list[str]) -> str:
    claims = "".join(f"  - text: {json.dumps(t)}\n    status: confirmed\n" for t in texts)
    return f"title: Probe\ndate: 2024-05-07\nsummary: Probe.\nwhat_we_know:\n{claims}"


def test_numeric_references_that_name_no_character_are_shown_as_written(project: Path):
    written = ["&#99999999999;", "&#x110000;", "&#0;", "&#xD800;", "&#55296;"]
    texts = [f"see [a] {ref} and [b](https://example.org/) too" for ref in written]
    texts.append("mail <someone@example.org> [a]")
    write(project / "briefs/test-story/2024-05-08-refs.yaml", _claims_brief(texts))
    result = run_briefs(project, "build")
    assert result.returncode == 0, result.stderr
    page = visible_text((project / "site/test-story/2024-05-08-refs/index.html").read_text(encoding="utf-8"))
    for ref in written:
        assert f"see [a] {ref} and b too" in page
    assert "mail someone@example.org [a]" in page


def test_markdowns_own_placeholder_in_text_is_never_a_traceback(project: Path):
    # The probe's input: Python-Markdown's AMP_SUBSTITUTE (STX amp ETX) and a
    # reference beyond Unicode, in an inline text and in block text.
    probe = "see [a] \\x02amp\\x03#99999999999;"
    variant = "[x](\\x02amp\\x03#1114112;) \\x02amp\\x03#0;"
    write(project / "briefs/test-story/2024-05-08-amp.yaml", f"""
        title: Probe
        date: 2024-05-07
        summary: "{probe}"
        context: "{variant}"
        what_we_know:
          - text: "{variant}"
            status: confirmed
    """)
    for command in ("check", "build"):
        result = run_briefs(project, command)
        assert "Traceback" not in result.stderr
        assert result.returncode == 0 or ": error: " in result.stderr, result.stderr


def test_suggestions_compare_a_misspelt_id_with_a_bounded_set():
    ids = [f"source-{n:05d}" for n in range(15_000)]
    spellings = Spellings(ids)
    for misspelt in ("source-0001", "sourc-01234", "xource-12345", "source-123456", "s"):
        assert len(spellings.candidates(misspelt)) <= SUGGESTION_CANDIDATES
    assert did_you_mean("reutres", Spellings([*ids, "reuters"])) == "; did you mean 'reuters'?"
    assert did_you_mean("statsu", ["status", "stance"]) == "; did you mean 'status'?"


def test_unknown_ids_against_a_large_registry_still_get_suggestions(project: Path):
    sources = "".join(f"- id: outlet-{n:04d}\n  name: Outlet {n}\n" for n in range(3_000))
    write(project / "briefs/sources.yaml", sources + "- id: reuters\n  name: Reuters\n")
    texts = "".join(f"  - text: Claim {n}.\n    status: reported\n    sources: [reuter-{n}]\n" for n in range(50))
    write(project / "briefs/test-story/2024-05-08-many.yaml",
          "title: Probe\ndate: 2024-05-07\nsummary: Probe.\nwhat_we_know:\n" + texts
          + "  - text: Typo.\n    status: reported\n    sources: [reutrs]\n")
    result = run_briefs(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "unknown source id 'reutrs'; did you mean 'reuters'?" in result.stderr
    assert result.stderr.count("unknown source id 'reuter-") == 50
