"""The pull request's summary: `briefs check --format github --against REV`
writes it into $GITHUB_STEP_SUMMARY, the Markdown GitHub shows on a pull
request's checks page. For every brief added or changed since REV: its
story, headline and date, the What changed lines as its page shows them,
and its errors; then the counts.

Every text from a file is escaped for GitHub's Markdown, so a headline
cannot add a link, an image, a mention or HTML to the summary.
"""
from __future__ import annotations

import html
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .build import check_project
from .corrections import YAML_SUFFIXES
from .load_yaml import load_yaml_file
from .model import Brief, Project, StoryEntry
from .problems import ContentErrors, Problem, visible
from .render import Renderer

# Every ASCII punctuation character: CommonMark shows each literally after a
# backslash, so escaped text starts no link, image, HTML, emphasis, list,
# heading, table cell, autolink (`https\://`, `www\.`), mention or issue link.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(text: str) -> str:
    """Editor text as literal text on one line of GitHub Markdown."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(visible(str(text)).split()))


@dataclass(frozen=True)
class ChangedBrief:
    path: str  # as errors show it: briefs/<story>/<file>
    added: bool


def changed_briefs(root: Path, against: str) -> list[ChangedBrief]:
    """The briefs added or changed since `against`, committed or not (new
    files git does not ignore count as added); none outside a checkout."""
    def git(*args: str) -> list[str]:
        output = subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout
        return [os.fsdecode(part) for part in output.split(b"\0") if part]

    try:
        # `against` is a revision, never an option; -z: no file name is quoted or split.
        listed = git("diff", "--name-status", "--no-renames", "-z", "--end-of-options", against, "--", "briefs")
        untracked = git("ls-files", "-z", "--others", "--exclude-standard", "--", "briefs")
    except (OSError, subprocess.CalledProcessError):
        return []
    found = {path: status == "A" for status, path in zip(listed[::2], listed[1::2]) if status in ("A", "M")}
    found.update(dict.fromkeys(untracked, True))
    return [ChangedBrief(path, added) for path, added in sorted(found.items()) if _is_brief(path)]


def _is_brief(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and Path(path).suffix in YAML_SUFFIXES and Path(path).stem != "story"


def summary(root: Path, against: str, problems: list[Problem]) -> str:
    """The summary's Markdown; `problems` are the check's."""
    changed = changed_briefs(root, against)
    pages = _Pages(_project(root)) if changed and not problems else None
    in_changed = [p for p in problems if p.path in {brief.path for brief in changed}]
    lines = ["## Briefs check", ""]
    if not changed:
        lines += [f"No brief was added or changed since {markdown_text(against)}.", ""]
    for brief in changed:
        lines += _section(root, brief, pages, [p for p in in_changed if p.path == brief.path])
    lines += [f"**{_count(len(changed), 'brief')} added or changed since {markdown_text(against)}: "
              f"{_count(len(in_changed), 'error')} in them, {_count(len(problems), 'error')} in all.**", ""]
    return "\n".join(lines)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _project(root: Path) -> Project | None:
    try:
        return check_project(root)
    except ContentErrors:  # a file changed since the check read it
        return None


class _Pages:
    """Briefs' pages as a build renders them: a published brief among the
    published ones (its What changed compares it with the previous
    published brief), a draft among all, as the preview shows it."""

    def __init__(self, project: Project | None):
        self.projects = [] if project is None else [Project(project.settings, project.sources, tuple(
            StoryEntry(e.story, tuple(b for b in e.briefs if not b.draft)) for e in project.stories)), project]
        self.renderers: dict[int, Renderer] = {}  # one per project, made when first needed

    def brief(self, path: str) -> tuple[Brief, StoryEntry, str, str] | None:
        """The brief, its story, its date and its page as the site shows them."""
        for number, project in enumerate(self.projects):
            for entry in project.stories:
                for index, brief in enumerate(entry.briefs):
                    if brief.path == path:
                        if number not in self.renderers:
                            self.renderers[number] = Renderer(project)
                        renderer = self.renderers[number]
                        when = renderer.language(renderer.lang(entry)).when  # as the brief's page shows it
                        return brief, entry, _text(str(when(brief.date))), renderer.brief(entry, index)
        return None


def _section(root: Path, changed: ChangedBrief, pages: _Pages | None, problems: list[Problem]) -> list[str]:
    found = pages.brief(changed.path) if pages else None
    if found is None:
        title, story, date = _as_written(root, changed.path)
        changes = ["What changed is shown once every file passes the check."]
    else:
        brief, entry, date, page = found
        title, story = brief.title, entry.story.title
        since, items = _what_changed(page)
        changes = ["Draft: not published."] if brief.draft else []
        changes += [markdown_text(since), "", *(f"- {markdown_text(item)}" for item in items)] if since else \
            ["What changed: nothing before it, it is the story's first development."]
    lines = [f"### {markdown_text(title or changed.path)}", "",
             f"{'Added' if changed.added else 'Changed'}: {markdown_text(changed.path)}  ",
             f"Story: {markdown_text(story or '?')}  ", f"Date: {markdown_text(date or '?')}", "", *changes, ""]
    if problems:
        lines += [f"Errors ({len(problems)}):", ""]
        lines += [f"- line {p.line}, column {p.column}: {markdown_text(p.message)}" for p in problems]
        lines.append("")
    return lines


def _as_written(root: Path, path: str) -> tuple[str, str, str]:
    """The headline, story and date as the files say, for a brief with
    errors: each a scalar as written, or ''."""
    def scalar(file: Path, key: str) -> str:
        try:
            node = load_yaml_file(file, path)[0]
        except (ContentErrors, OSError):
            return ""
        if node is None or node.kind != "mapping":
            return ""
        value = next((v for k, v in node.value if k.value == key), None)
        return value.value if value is not None and value.kind == "scalar" else ""

    brief = root / path
    return scalar(brief, "title"), scalar(brief.parent / "story.yaml", "title"), scalar(brief, "date")


_CHANGES = re.compile(r'<p class="brief-changed-since"[^>]*>(.*?)</p>|<ul class="brief-changes">(.*?)</ul>', re.S)


def _what_changed(page: str) -> tuple[str, list[str]]:
    """What changed, as the brief's page shows it: the line naming the
    previous development, and each change; ('', []) on a story's first."""
    since, items = "", []
    for said, listed in _CHANGES.findall(page):
        since = since or _text(said)
        items += [_text(item) for item in re.findall(r"<li\b[^>]*>(.*?)</li>", listed, re.S)]
    return since, items


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())

