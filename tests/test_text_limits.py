"""Hostile shapes of editor text from an outside probe: numeric references
that name no character, suggestions against a huge registry, and (below)
the limits that keep checking and building linear in the input."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, built_site, copy_project, run_briefs, write
from generator import text
from generator.build import build_site, check_project
from generator.model import BRIEF
from generator.problems import SUGGESTION_CANDIDATES, ContentErrors, Spellings, did_you_mean
from test_errors import error_lines
from test_properties import briefs, link_texts, visible_text

MARKS_ERROR = (f"more than {text.MAX_MARKS} Markdown marks (* _ ` [ < \\ or line breaks) in one paragraph; "
               "split it with a blank line")
UNCLOSED_ERROR = (f"more than {text.MAX_UNCLOSED} of '[', '](' or '`' left open in one paragraph; close them, "
                  "or write \\[ and \\` for the characters themselves")


def _claims_brief(texts: list[str]) -> str:
    claims = "".join(f"  - text: {json.dumps(t)}\n    status: confirmed\n" for t in texts)
    return f"title: Probe\ndate: 2024-05-07\nsummary: Probe.\nwhat_we_know:\n{claims}"


def test_numeric_references_that_name_no_character_are_shown_as_written(project: Path):
    written = ["&#99999999999;", "&#x110000;", "&#0;", "&#xD800;", "&#55296;"]
    texts = [f"see [a] {ref} and [b](https://example.org/) too" for ref in written]
    texts.append("mail <someone@example.org> [a]")
    write(project / "briefs/test-story/2024-05-08-refs.yaml", _claims_brief(texts))
    built_site(project)
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


# --- Limits: no shape of text costs more than linear time or the stack ---

def test_the_probes_quadratic_shapes_are_refused_at_once():
    # The probe's inputs: 10,000 '[' after a colon, '[a](' x 20,000.
    for source in ("see: " + "[" * 10_000, "[a](" * 20_000, "*a" * 50_000, "`a" * 50_000, "\\* " * 50_000):
        for block in (False, True):
            assert text.render(source, block)[1] == [MARKS_ERROR], source[:10]


def test_unclosed_openers_are_limited_per_paragraph():
    opened = "see [a and (b " * text.MAX_UNCLOSED
    assert text.render(block=False, source=opened)[1] == []
    for more in ("[c", "[x](y", "`z", "[x](y 'title) z"):
        assert text.render(block=False, source=opened + more)[1] == [UNCLOSED_ERROR], more
    # a blank line starts a new paragraph, with its own count
    assert text.render(block=True, source=opened + "\n\n" + opened)[1] == []
    assert text.render(block=True, source=opened + "\n \t\n" + opened)[1] == []
    # escaped brackets are the characters themselves
    assert text.render(block=False, source=opened + "\\[c \\`d")[1] == []


def test_nested_brackets_are_limited():
    assert text.render(block=False, source="[" * 8 + "a" + "]" * 8)[1] == []
    assert text.render(block=False, source="[" * 9 + "a" + "]" * 9)[1] == [f"'[' nested more than {text.MAX_NESTING} levels deep in one paragraph; flatten it"]


def _nesting_error(line: int) -> str:
    return f"lists, quotes or indentation nested more than {text.MAX_NESTING} levels deep (line {line} of this text); flatten it"


def test_block_nesting_beyond_the_stated_depth_is_an_error():
    assert text.render(block=True, source="> " * 250 + "a")[1] == [_nesting_error(1)]  # the probe's 500 bytes
    assert text.render(block=True, source="- " * 250 + "a")[1] == [_nesting_error(1)]
    deep_list = "".join("    " * i + "- item\n" for i in range(12))
    assert text.render(block=True, source=deep_list)[1] == [_nesting_error(9)]
    assert text.render(block=True, source="Intro.\n\n" + "1. " * 9 + "x")[1] == [_nesting_error(3)]
    fine = "".join("    " * i + "- item\n" for i in range(4)) + "\n" + "> > > quoted\n"
    assert text.render(block=True, source=fine)[1] == []


def test_deep_context_is_a_check_error_and_never_a_traceback(project: Path):
    write(project / "briefs/test-story/2024-05-08-deep.yaml", f"""
        title: Probe
        date: 2024-05-07
        summary: Probe.
        what_we_know:
          - text: "{'*a* ' * 60}{'[' * 10_000}"
            status: confirmed
        context: "{'> ' * 250}a"
        whats_next:
          - "{'- ' * 250}is literal in a list item"
    """)
    for command in ("check", "build"):
        result = run_briefs(project, command)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
        assert error_lines(result.stderr) == [
            f"briefs/test-story/2024-05-08-deep.yaml:5:11: error: what_we_know[0].text: {MARKS_ERROR}",
            f"briefs/test-story/2024-05-08-deep.yaml:7:10: error: context: {_nesting_error(1)}",
        ]


def test_emphasis_nested_as_deep_as_the_limits_allow_builds(project: Path):
    nested = "*" * 99 + "deep" + "*" * 99
    write(project / "briefs/test-story/2024-05-08-emphasis.yaml", _claims_brief([nested, "_" * 99 + "deep" + "_" * 99]))
    result = run_briefs(project, "build")
    assert result.returncode == 0, result.stderr[-2000:]
    page = visible_text((project / "site/test-story/2024-05-08-emphasis/index.html").read_text(encoding="utf-8"))
    assert "deep" in page


def test_a_files_text_shares_one_budget_of_marks(project: Path):
    """Dense emphasis cut into paragraphs under the paragraph limit still
    costs per mark: one file's text fields hold MAX_FILE_MARKS in all, and
    the error is at the field that goes past, once."""
    claim = "*a* " * (text.MAX_MARKS // 2)  # exactly the paragraph limit
    per_claim = text.marks(claim)
    fit = text.MAX_FILE_MARKS // per_claim
    write(project / "briefs/test-story/2024-05-08-budget.yaml", _claims_brief([claim] * fit))
    assert run_briefs(project, "check").returncode == 0
    write(project / "briefs/test-story/2024-05-08-budget.yaml",
          _claims_brief([claim] * fit + ["One more *mark*."]) + f"context: {json.dumps(claim)}\n")
    result = run_briefs(project, "check")
    crossing = 5 + 2 * fit  # the line of the claim that goes past
    assert error_lines(result.stderr) == [
        f"briefs/test-story/2024-05-08-budget.yaml:{crossing}:11: error: what_we_know[{fit}].text: "
        + text.file_marks_problem(text.MAX_FILE_MARKS + 2)]
    assert "10,000" in text.file_marks_problem(1) and text.MAX_FILE_MARKS == 10_000  # as the guide says


def test_the_budget_is_per_file(project: Path):
    claim = "*a* " * (text.MAX_MARKS // 2)
    for n in range(2):  # two files, each at the limit
        write(project / f"briefs/test-story/2024-05-0{8 + n}-half.yaml",
              _claims_brief([claim] * (text.MAX_FILE_MARKS // text.marks(claim))))
    assert run_briefs(project, "check").returncode == 0


def test_lists_hold_at_most_their_declared_items(project: Path):
    """Each item costs the build a fixed amount of work, so a 1 MiB file of
    tiny claims or tags must not make thousands; the error is at the first
    item past the limit, which the JSON Schema states as maxItems."""
    claims = BRIEF.cls.FIELDS["what_we_know"].type.max_items
    tags = BRIEF.cls.FIELDS["tags"].type.max_items
    brief = _claims_brief([f"Claim {n}." for n in range(claims + 5)]) + "tags:\n" + "".join(f"  - t{n}\n" for n in range(tags + 1))
    write(project / "briefs/test-story/2024-05-08-long.yaml", brief)
    shown = "briefs/test-story/2024-05-08-long.yaml"
    assert error_lines(run_briefs(project, "check").stderr) == sorted([
        f"{shown}:{5 + 2 * claims}:5: error: what_we_know: holds at most {claims} items, and this is item {claims + 1} "
        f"of {claims + 5}: keep the {claims} that matter most",
        f"{shown}:{6 + 2 * (claims + 5) + tags}:5: error: tags: holds at most {tags} items, and this is item {tags + 1} "
        f"of {tags + 1}: keep the {tags} that matter most",
    ])
    schema = json.loads((ROOT / "schemas/brief.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["what_we_know"]["maxItems"] == claims and schema["properties"]["tags"]["maxItems"] == tags


# --- Check equals build: whatever `briefs check` accepts, `briefs build` publishes ---

# Markdown's block and inline syntax in short pieces, so that generated
# texts nest, leave brackets open and run emphasis together.
_MARKDOWN_PIECES = st.sampled_from([
    *"*_`[]()<>\\!:#-+1. \n\t\"'a", "> ", "- ", "1. ", "    ", "\n\n", "](", "[a](https://example.org/)",
    "//", "&#0;", "&#99999999999;", "<a@b.org>", "<https://example.org/>", "***", "```",
])
_MARKDOWN = st.lists(_MARKDOWN_PIECES, min_size=1, max_size=120).map("".join)


@pytest.fixture(scope="module")
def check_build_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("check-build"), with_briefs=False)


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=st.lists(st.tuples(briefs(), _MARKDOWN, st.one_of(_MARKDOWN, link_texts())), min_size=3, max_size=3))
def test_what_check_accepts_build_publishes(check_build_project: Path, generated):
    story = check_build_project / "briefs/generated"
    shutil.rmtree(story, ignore_errors=True)
    story.mkdir(parents=True)
    (story / "story.yaml").write_text("title: Generated\nsummary: Generated briefs.\n", encoding="utf-8")
    for n, (brief, context, claim) in enumerate(generated):
        brief = {**brief, "context": context}
        brief["what_we_know"][0]["text"] = claim
        (story / f"2024-05-07-brief-{n}.yaml").write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
    try:
        check_project(check_build_project)
    except ContentErrors:
        return  # refused by the check: nothing to publish
    build_site(check_build_project)
    for n in range(len(generated)):
        assert (check_build_project / f"site/generated/2024-05-07-brief-{n}/index.html").is_file()


def test_ids_with_invisible_characters_are_not_slugs(project: Path):
    write(project / "briefs/sources.yaml", '- id: "reuters\\u200B"\n  name: Reuters\n- id: "afp\\u202E"\n  name: AFP\n')
    result = run_briefs(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 2
    assert lines[0].startswith("briefs/sources.yaml:1:7: error: [0].id: 'reuters") and "is not a slug" in lines[0]
    assert lines[1].startswith("briefs/sources.yaml:3:7: error: [1].id: 'afp") and "is not a slug" in lines[1]
