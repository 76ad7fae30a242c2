"""The pull request's summary: `briefs check --format github --against REV`
with $GITHUB_STEP_SUMMARY set writes, for every brief added or changed since
REV, its story, headline, date, What changed as its page shows it and its
errors, then the counts; GitHub renders it as Markdown on the checks page,
where an editor's text must stay text."""
from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import NEWSROOM, built_site, copy_project, run_briefs

STORY = "briefs/eruption-grindavik"
CHANGED = f"{STORY}/2024-01-14-la-lave-atteint-des-maisons.yaml"
# GitHub's Markdown: CommonMark with tables, strikethrough, raw HTML and bare URLs made links.
GITHUB_MARKDOWN = MarkdownIt("gfm-like")


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Desk", "-c", "user.email=desk@example.org", *args],
                   cwd=project, check=True, capture_output=True)


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """The French newsroom's project, committed: the pull request's base."""
    project = copy_project(tmp_path / "project", source=NEWSROOM)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    return project


def check_summary(project: Path, *more: str) -> tuple[subprocess.CompletedProcess, str]:
    summary = project.parent / "summary.md"
    summary.write_text("Before: another step's summary.\n", encoding="utf-8")
    result = run_briefs(project, "check", "--format", "github", "--against", "main", *more,
                        env={"GITHUB_STEP_SUMMARY": str(summary)})
    return result, summary.read_text(encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def page_changes(page: Path) -> tuple[str, list[str]]:
    """What changed as the built page shows it: the line naming the
    previous development, and one line per change."""
    def text(markup: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())

    markup = page.read_text(encoding="utf-8")
    since = re.search(r'<p class="brief-changed-since"[^>]*>(.*?)</p>', markup, re.S)[1]
    items = "".join(re.findall(r'<ul class="brief-changes">(.*?)</ul>', markup, re.S))
    return text(since), [text(item) for item in re.findall(r"<li\b[^>]*>(.*?)</li>", items, re.S)]


def rendered_text(markdown: str) -> str:
    """The text GitHub shows for the Markdown, tags left out."""
    return " ".join(re.sub(r"<[^>]+>", " ", GITHUB_MARKDOWN.render(markdown)).replace("&quot;", '"').replace("&#39;", "'")
                    .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split())


def test_a_changed_brief_gets_its_story_headline_date_and_what_changed(newsroom):
    edit(newsroom / CHANGED, "    status: reported\n    sources: [ruv]", "    status: confirmed\n    sources: [ruv]")
    result, summary = check_summary(newsroom)
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 story, 3 briefs: no errors.\n", "")
    assert summary.startswith("Before: another step's summary.\n## Briefs check\n")  # added to, never overwritten
    shown = rendered_text(summary)
    assert "La lave atteint des maisons de Grindavík" in shown
    assert "Changed: briefs/eruption-grindavik/2024-01-14-la-lave-atteint-des-maisons.yaml" in shown
    assert "Story: Éruption près de Grindavík" in shown
    assert "Date: 14 janvier 2024, 16:00 UTC+1" in shown  # as the page shows it, in the site's language and zone
    built_site(newsroom)
    since, lines = page_changes(newsroom / "site/eruption-grindavik/2024-01-14-la-lave-atteint-des-maisons/index.html")
    assert "14 janvier 2024, 10:30 UTC+1" in since and since in shown  # the previous development's date
    assert any(line.endswith(" Trois maisons ont été détruites par la lave.") for line in lines)  # the edit above
    listed = GITHUB_MARKDOWN.parse(summary)
    items = [rendered_text(token.content) for token in listed if token.type == "inline"
             and token.map and summary.splitlines()[token.map[0]].startswith("- ")]
    assert items == lines
    assert "1 brief added or changed since main: 0 errors in them, 0 errors in all." in shown
    assert "2024-01-14-eruption-aux-portes" not in summary  # unchanged briefs are not listed


def test_an_added_brief_with_an_error_gets_its_error_and_the_counts(newsroom):
    write_to = newsroom / STORY / "2024-01-17-retour.yaml"
    write_to.write_text('title: "Les habitants reviennent"\ndate: 2024-01-17\nsummary: "Pour une journée."\n'
                        'what_we_know:\n  - text: "Ils ont une journée."\n    status: confirmd\n', encoding="utf-8")
    result, summary = check_summary(newsroom)
    assert result.returncode == 1
    assert "::error file=briefs/eruption-grindavik/2024-01-17-retour.yaml,line=6,col=13::" in result.stdout
    shown = rendered_text(summary)
    assert "Les habitants reviennent Added: briefs/eruption-grindavik/2024-01-17-retour.yaml" in shown
    assert "Story: Éruption près de Grindavík Date: 2024-01-17" in shown
    assert ("Errors (1): line 6, column 13: what_we_know[0].status: 'confirmd' is not one of confirmed, reported, "
            "claimed, disputed, debunked; did you mean 'confirmed'?") in shown
    assert "1 brief added or changed since main: 1 error in them, 1 error in all." in shown


HOSTILE = ('![pixel](https://evil.example/p.png) [click](https://evil.example) <img src=x onerror=alert(1)> '
           '<a href="https://evil.example">a</a> https://evil.example www.evil.example @octocat #1 **bold** '
           '| cell | `code` :smile: \\*')


def test_a_hostile_headline_stays_text_in_the_summary(newsroom):
    edit(newsroom / CHANGED, 'title: "La lave atteint des maisons de Grindavík"', f"title: '{HOSTILE}'")
    result, summary = check_summary(newsroom)
    assert result.returncode == 0, result.stderr
    rendered = GITHUB_MARKDOWN.render(summary)
    assert not re.search(r"<(?!/?(?:h2|h3|p|ul|li|strong|br)\b)", rendered), rendered  # no link, image, HTML or code
    heading = re.search(r"<h3>(.*?)</h3>", rendered)[1]
    assert html.unescape(heading) == HOSTILE


def test_the_summary_needs_github_format_and_the_variable(newsroom):
    summary = newsroom.parent / "summary.md"
    edit(newsroom / CHANGED, "status: reported", "status: confirmed")
    assert run_briefs(newsroom, "check", "--against", "main", env={"GITHUB_STEP_SUMMARY": str(summary)}).returncode == 0
    assert run_briefs(newsroom, "check", "--format", "github", "--against", "main").returncode == 0
    assert not summary.exists()


def test_with_nothing_changed_the_summary_says_so(newsroom):
    result, summary = check_summary(newsroom)
    assert result.returncode == 0
    assert "No brief was added or changed since main." in rendered_text(summary)
