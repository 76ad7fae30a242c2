"""`briefs new`: a stub brief for an editor to fill in, dated today.

The stub's words are in templates/new-brief.yaml.j2, its explanations are
the field docs of model.py, and its first line points VS Code's YAML
extension at the brief's JSON Schema.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .model import Brief, Story
from .problems import did_you_mean
from .schemas import SCHEMAS_DIR
from .schema import SLUG, SLUG_MAX, slugify
from .settings import load_settings
from .stubs import file_stub
from .validate import SYMLINK_REFUSED


class CannotCreate(Exception):
    """Why no file was written; `usage` when the command line itself is wrong."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


def new_brief(root: Path, story: str, title: str) -> list[Path]:
    """Write the brief (and story.yaml for a new story); return what was written."""
    if not (SLUG.fullmatch(story) and len(story) <= SLUG_MAX):
        raise CannotCreate(f"'{story}' is not a story folder name: use lowercase letters, digits and single hyphens"
                           + (f"; did you mean '{slugify(story)}'?" if slugify(story) else ""), usage=True)
    if not title.strip():
        raise CannotCreate("give the brief a title: briefs new <story> \"<title>\"", usage=True)
    content = root / "briefs"
    folder = content / story
    today = dt.datetime.now(load_settings(root).timezone).date()
    path = folder / f"{'-'.join(filter(None, [today.isoformat(), slugify(title)]))[:SLUG_MAX].strip('-')}.yaml"
    linked = next((p for p in (content, folder, path) if p.is_symlink()), None)
    if linked is not None:  # writing would go wherever the link points
        raise CannotCreate(f"{linked.relative_to(root).as_posix()} {SYMLINK_REFUSED}; nothing was written")
    if path.exists():
        raise CannotCreate(f"{path.relative_to(root).as_posix()} already exists; choose another title or edit that file")
    written = []
    if not folder.is_dir():
        stories = [p.name for p in content.iterdir() if p.is_dir()] if content.is_dir() else []
        hint = did_you_mean(story, stories)
        if hint:
            raise CannotCreate(f"there is no story '{story}'{hint}")
        written.append(_write(root, folder / "story.yaml", "new-story.yaml.j2", "story.schema.json", Story))
    written.append(_write(root, path, "new-brief.yaml.j2", "brief.schema.json", Brief,
                          story=story, title=title.strip(), today=today.isoformat()))
    return written


def _write(root: Path, path: Path, template: str, schema: str, record, **values) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    schema_path = os.path.relpath(root / SCHEMAS_DIR / schema, path.parent).replace(os.sep, "/")
    text = file_stub(template, schema_path, record, **values)
    with path.open("x", encoding="utf-8") as file:  # never overwrite
        file.write(text)
    return path
