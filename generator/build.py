"""Markdown -> the static site, published atomically.

A build first validates and renders everything (nothing is written while
content could still fail), then MkDocs builds into a fresh folder beside
`site/`, and only a complete build is swapped in, in one rename.
"""
from __future__ import annotations

import ctypes
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import mkdocs_engine, zensical_engine
from .cards import write_cards
from .feeds import write_data_files
from .mkdocs_engine import BUILD_DIR, PreviewRun
from .model import CLAIM_STATUSES, JSON_SCHEMAS, Project, last_revised
from .problems import ContentErrors, Problem, relative
from .render import PageCache, Renderer, write_pages
from .schema import json_schema_document
from .search import index_site
from .settings import load_settings
from .validate import ParsedFiles, validate_project

STAGING_PREFIX = ".site-"  # new and old sites beside site/ during a swap
SCHEMAS_DIR = "schemas"  # JSON Schemas for editors' tools, in the repository and the site
CARDS_CACHE = "cards"  # under build/: social cards by content hash, drawn once


@dataclass(frozen=True)
class BuildResult:
    project: Project
    site: Path
    written: list[str]  # Markdown pages rewritten this time


def check_project(root: Path, include_drafts: bool = True, parsed: ParsedFiles | None = None) -> Project:
    """Validate every file; raises ContentErrors with all problems. `parsed`
    keeps files whose bytes did not change from an earlier check."""
    return validate_project(root, load_settings(root), include_drafts, parsed)


def render_project(root: Path, project: Project, cache: PageCache | None = None) -> tuple[list[str], list]:
    """Markdown for the project (drafts are in it only if the check kept them);
    `cache` keeps pages whose inputs did not change from an earlier render."""
    renderer = Renderer(project, cache)
    written = write_pages(renderer.pages(), root / BUILD_DIR / "docs")
    return written, renderer.nav()


ENGINES = {"mkdocs": mkdocs_engine, "zensical": zensical_engine}


def build_site(root: Path, include_drafts: bool = False, site: Path | None = None, engine: str = "mkdocs") -> BuildResult:
    """Check, render and build; the previous site stays whole on any failure."""
    root = root.resolve()
    site = (site or root / "site").resolve()
    project = check_project(root, include_drafts)
    staging = site.with_name(f"{STAGING_PREFIX}new-{os.getpid()}")
    try:
        written, nav = render_project(root, project)
        _remove_leftovers(site)
        make_site(root, staging, nav, project, engine=engine)
        _swap_in(staging, site)
    except OSError as bad:  # a full disk, a folder we may not write: the previous site stays
        raise ContentErrors([_unwritable(bad, root)]) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(project, site, written)


def _unwritable(bad: OSError, root: Path) -> Problem:
    where = relative(Path(os.fsdecode(bad.filename)), root) if bad.filename else "site"
    return Problem(where, 1, 1, f"cannot write the site, nothing was published: {bad.strerror or bad}")


def make_site(root: Path, site_dir: Path, nav: list | None, project: Project | None,
              preview: PreviewRun | None = None, engine: str = "mkdocs") -> None:
    """Everything after the render, the same for a build and a preview: the
    engine's pages, then the files we write ourselves (none while a preview
    has no valid project yet), then the search index of the pages."""
    ENGINES[engine].build_pages(root, site_dir, nav, newest_epoch(project), preview)
    if project is None:
        return
    write_json_schemas(site_dir / SCHEMAS_DIR)
    write_data_files(project, site_dir, preview.url if preview else project.settings.site_url)
    write_cards(project, root / BUILD_DIR / CARDS_CACHE, site_dir)
    if preview is None:  # the preview indexes in the background (serve.py)
        index_site(site_dir, project.settings)


def newest_epoch(project: Project | None) -> int:
    """The newest moment in the content, as seconds: what a build is dated by."""
    if project is None:
        return 0
    timezone = project.settings.timezone
    return int(max((last_revised(b, timezone).timestamp() for e in project.stories for b in e.briefs), default=0))


def write_json_schemas(folder: Path) -> list[Path]:
    """The JSON Schemas of story.yaml, a brief and sources.yaml, from model.py."""
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


def _swap_in(new: Path, site: Path) -> None:
    if site.exists() and _exchange(new, site):
        return  # `new` now holds the old site; the caller removes it
    if site.exists():  # no atomic exchange here: keep the gap as short as can be
        old = site.with_name(f"{STAGING_PREFIX}old-{os.getpid()}")
        os.rename(site, old)
        os.rename(new, site)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(new, site)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _remove_leftovers(site: Path) -> None:
    """Folders a killed build left beside site/."""
    if site.parent.is_dir():
        for stray in site.parent.glob(f"{STAGING_PREFIX}*"):
            if stray.is_dir():
                shutil.rmtree(stray, ignore_errors=True)
