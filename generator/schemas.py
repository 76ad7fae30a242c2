"""`briefs schemas`: the files made from the brief format's one
declaration (model.py, settings.py), which the repository keeps and a
build does not rewrite: the JSON Schemas editors' tools read (also
published with every site), the claim statuses' block of the stylesheet,
and the editor guide as a Markdown file readable on GitHub.
"""
from __future__ import annotations

import json
from pathlib import Path

from .model import CLAIM_STATUSES, JSON_SCHEMAS
from .render import guide_for_github, guide_markdown
from .schema import json_schema_document

SCHEMAS_DIR = "schemas"  # JSON Schemas for editors' tools, in the repository and the site


def write_all(root: Path) -> list[Path]:
    """Every file `briefs schemas` makes, in the project at `root`."""
    return [*write_json_schemas(root / SCHEMAS_DIR), *write_status_styles(root), *write_editor_guide(root)]


def write_json_schemas(folder: Path) -> list[Path]:
    """The JSON Schemas of story.yaml, a brief, sources.yaml and mkdocs.yml's extra.briefing, from model.py and settings.py."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (declared, title) in JSON_SCHEMAS.items():
        path = folder / name
        path.write_text(json.dumps(json_schema_document(declared, title), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


STATUS_STYLES = "overrides/assets/stylesheets/briefs.css"  # holds the generated block below
_STYLES_START = "/* Claim statuses, generated from CLAIM_STATUSES in generator/model.py by `make schemas`: edit them there. */\n"
_STYLES_END = "/* End of the generated status styles. */\n"
_ICON = ('data:image/svg+xml;charset=utf-8,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 24 24%22%3E'
         '%3Cpath d=%22{path}%22/%3E%3C/svg%3E')


def status_styles() -> str:
    """Each claim status's label colour in the light and dark schemes, and
    its icon, drawn by CSS once per site rather than inlined as SVG into
    every label of every page."""
    light = "".join(f"  --briefs-{status.name}: {status.light};\n" for status in CLAIM_STATUSES)
    dark = "".join(f"  --briefs-{status.name}: {status.dark};\n" for status in CLAIM_STATUSES)
    labels = "".join(
        f'.brief-status--{status.name} {{ color: var(--briefs-{status.name}); --briefs-icon: url("{_ICON.format(path=status.icon)}"); }}\n'
        for status in CLAIM_STATUSES
    )
    return f':root {{\n{light}}}\n[data-md-color-scheme="slate"] {{\n{dark}}}\n{labels}'


def with_status_styles(css: str) -> str:
    """The stylesheet with its block of status styles generated anew."""
    start, end = css.index(_STYLES_START) + len(_STYLES_START), css.index(_STYLES_END)
    return css[:start] + status_styles() + css[end:]


def write_status_styles(root: Path) -> list[Path]:
    """The project's stylesheet with its status styles made anew, if it keeps one."""
    path = root / STATUS_STYLES
    if not path.is_file():
        return []
    path.write_text(with_status_styles(path.read_text(encoding="utf-8")), encoding="utf-8")
    return [path]


EDITOR_GUIDE = "docs/editor-guide.md"  # the guide as a file of the repository, readable on GitHub


def write_editor_guide(root: Path) -> list[Path]:
    """The editor guide as a Markdown file, from what the site's /guide/ page is made from."""
    path = root / EDITOR_GUIDE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(guide_for_github(guide_markdown()), encoding="utf-8")
    return [path]
