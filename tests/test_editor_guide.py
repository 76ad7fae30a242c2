"""The editor guide is a page of the site and covers the editors' workflow."""
from __future__ import annotations

import html
import re

from generator.model import STATUSES, Brief


def guide_text(example_site) -> str:
    page = (example_site / "guide/index.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_guide_has_the_workflow_sections(example_site):
    page = (example_site / "guide/index.html").read_text(encoding="utf-8")
    for anchor in ("steps", "statuses", "fields", "corrections", "errors", "preview", "editor-tools", "pre-commit"):
        assert f'id="{anchor}"' in page, anchor


def test_guide_explains_every_field_and_status(example_site):
    text = guide_text(example_site)
    for name, field in Brief.FIELDS.items():
        assert field.doc.replace("`", "") in text.replace("`", ""), name
    for status, meaning in STATUSES.items():
        assert f"{status}: {meaning}." in text, status
    assert "Israel has sent a delegation to Cairo" in text  # an example from the bundled story


def test_guide_shows_the_schema_line_and_new_command(example_site):
    text = guide_text(example_site)
    assert "# yaml-language-server: $schema=../../schemas/brief.schema.json" in text
    assert 'briefs new gaza-truce-talks "Truce talks resume in Cairo"' in text
    assert "pre-commit install" in text


def test_the_guide_file_is_what_the_guide_page_is_made_from(example_site):
    """docs/editor-guide.md, for reading on GitHub before any build, is
    written by `make schemas` from the guide page's own Markdown."""
    from conftest import ROOT
    from generator.schemas import EDITOR_GUIDE
    from generator.render import guide_for_github, guide_markdown

    markdown = guide_markdown()
    written = (ROOT / EDITOR_GUIDE).read_text(encoding="utf-8")
    assert written == guide_for_github(markdown), "run `make schemas` and commit docs/editor-guide.md"
    page = (example_site / "guide/index.html").read_text(encoding="utf-8")
    text = " ".join(guide_text(example_site).split())
    anchors = re.findall(r'^<a id="([a-z0-9-]+)"></a>$', written, re.M)
    prose = re.sub(r"^```.*?^```$", "", written, flags=re.M | re.S)  # code blocks hold YAML comments
    headings = re.findall(r"^#+ (.+)$", prose, re.M)
    assert len(anchors) > 20 and "{ #" not in written  # GitHub would show MkDocs' anchor syntax as text
    for anchor in anchors:
        assert f'id="{anchor}"' in page, anchor
    for heading in headings:
        assert " ".join(heading.replace("`", "").replace("*", "").split()) in text, heading
    for link in re.findall(r"\]\(#([a-z0-9-]+)\)", written):
        assert link in anchors, link  # every link within the guide leads somewhere, on GitHub too


def test_the_guide_walks_through_github_and_shows_a_blank_brief(example_site):
    text = " ".join(guide_text(example_site).split())
    for step in ("Add file → Create new file", "Create a new branch for this commit", "Create pull request",
                 "Files changed", "Merge pull request", "Who merges", "An error after merging"):
        assert step in text, step
    assert 'title: "Headline of the development"' in text and "# draft: true" in text
    assert "3 stories, 14 briefs (1 draft): no errors." in text
