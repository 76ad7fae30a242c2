"""The site's settings under `extra.briefing` in mkdocs.yml are declared like
the brief format: every mistake in them is an error line at its place, all
in one run, and the editor guide's settings table comes from the declaration."""
from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import EXAMPLE_PROJECT, run_briefs
from generator.build import check_project
from generator.render import Renderer
from generator.settings import Briefing, load_settings

ERROR = re.compile(r"^mkdocs\.yml:\d+:\d+: error: ", re.M)


def line_of(text: str, start: str) -> int:
    return text[: text.index(start)].count("\n") + 1


def check_edited_settings(project: Path, edit: Callable[[str], str]) -> tuple[str, subprocess.CompletedProcess, list[str]]:
    """Edit mkdocs.yml, run `briefs check`: the edited text, the run, and its settings error lines."""
    settings = project / "mkdocs.yml"
    bad = edit(settings.read_text(encoding="utf-8"))
    settings.write_text(bad, encoding="utf-8")
    result = run_briefs(project, "check")
    return bad, result, [line for line in result.stderr.splitlines() if ERROR.match(line)]


def test_two_bad_settings_give_two_lines_each_at_its_place(project: Path):
    bad, result, lines = check_edited_settings(
        project, lambda good: good.replace("    latest: 30", "    latest: many").replace("    timezone: UTC", "    timezone: Mars/Olympus"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert lines == [
        f"mkdocs.yml:{line_of(bad, '    timezone:')}:15: error: extra.briefing.timezone: unknown time zone 'Mars/Olympus'; use a name like Europe/Paris or UTC",
        f"mkdocs.yml:{line_of(bad, '    latest:')}:13: error: extra.briefing.latest: expected a whole number of 1 or more, found 'many'",
    ]


def test_an_unknown_or_misplaced_setting_is_an_error_at_its_place(project: Path):
    bad, _, lines = check_edited_settings(
        project, lambda good: good.replace("    nav_stories: 10", "    nav_storys: 10\n    contact: [1, 2]").replace("    contact: mailto:desk@example.org\n", ""))
    assert lines == [
        f"mkdocs.yml:{line_of(bad, '    nav_storys:')}:5: error: extra.briefing: unknown key 'nav_storys'; did you mean 'nav_stories'?",
        f"mkdocs.yml:{line_of(bad, '    contact:')}:14: error: extra.briefing.contact: a list is not a link; write an address like "
        "https://example.org/contact/, mailto:desk@example.org or a page of the site like about/",
    ]


def test_settings_left_out_take_the_declared_defaults(project: Path):
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text[: text.index("  briefing:")] + "  briefing:\n    latest:\n", encoding="utf-8")
    loaded = load_settings(project)
    assert (loaded.timezone, loaded.latest_count, loaded.nav_stories) == (
        Briefing.FIELDS["timezone"].default, Briefing.FIELDS["latest"].default, Briefing.FIELDS["nav_stories"].default)
    assert loaded.timezone == ZoneInfo("UTC")
    assert (loaded.publisher, loaded.corrections_policy, loaded.contact) == (loaded.site_name, "", "")


def test_every_declared_setting_is_in_the_guide_with_its_words_and_default():
    guide = Renderer(check_project(EXAMPLE_PROJECT)).guide()
    for name, spec in Briefing.FIELDS.items():
        row = next((line for line in guide.splitlines() if line.startswith(f"| `extra.briefing.{name}` |")), None)
        assert row is not None, f"extra.briefing.{name} is not in the guide's settings table"
        assert spec.doc in row
        if spec.default is not None:
            assert f"(default {spec.default})" in row.replace("`", ""), row
