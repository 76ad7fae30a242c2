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
