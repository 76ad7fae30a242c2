"""Markdown -> the static site, published atomically.

A build first validates and renders everything (nothing is written while
content could still fail), then MkDocs builds into a fresh folder beside
`site/`, and only a complete build is swapped in, in one rename.
"""
from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .feeds import write_data_files
from .html_blocks import HtmlBlocksExtension
from .model import JSON_SCHEMAS, moment
from .problems import ContentErrors, Problem, relative
from .render import PageCache, Renderer, page_words, write_pages
from .schema import json_schema_document
from .search import SEARCH_KEY, index_site, theme_settings
from .settings import load_settings
from .validate import ParsedFiles, Project, validate_project

BUILD_DIR = "build"  # rendered Markdown; not committed
STAGING_PREFIX = ".site-"  # new and old sites beside site/ during a swap
SCHEMAS_DIR = "schemas"  # JSON Schemas for editors' tools, in the repository and the site


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


def build_site(root: Path, include_drafts: bool = False, site: Path | None = None) -> BuildResult:
    """Check, render and build; the previous site stays whole on any failure."""
    root = root.resolve()
    site = (site or root / "site").resolve()
    project = check_project(root, include_drafts)
    written, nav = render_project(root, project)
    _remove_leftovers(site)
    staging = site.with_name(f"{STAGING_PREFIX}new-{os.getpid()}")
    try:
        run_mkdocs(root, staging, nav, project)
        index_site(staging, project.settings)
        write_json_schemas(staging / SCHEMAS_DIR)
        write_data_files(project, staging, project.settings.site_url)
        _swap_in(staging, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(project, site, written)


def write_json_schemas(folder: Path) -> list[Path]:
    """The JSON Schemas of story.yaml, a brief and sources.yaml, from model.py."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (declared, title) in JSON_SCHEMAS.items():
        path = folder / name
        path.write_text(json.dumps(json_schema_document(declared, title), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def mkdocs_config(root: Path, site_dir: Path, nav: list, **overrides):
    from mkdocs.config import load_config

    from .theme_cache import CompiledThemeTemplates  # imports MkDocs: not for `briefs check`

    config = load_config(
        config_file=str(root / "mkdocs.yml"),
        docs_dir=str(root / BUILD_DIR / "docs"),
        site_dir=str(site_dir),
        nav=nav,
        **overrides,
    )
    config.markdown_extensions.append(HtmlBlocksExtension())  # same pages, far less parsing
    config.extra[SEARCH_KEY] = theme_settings(page_words("search"))
    config.plugins["briefs-theme-cache"] = CompiledThemeTemplates(root / BUILD_DIR / "jinja")
    return config


def run_mkdocs(root: Path, site_dir: Path, nav: list, project: Project) -> None:
    from mkdocs.commands.build import build

    with mkdocs_errors(root):
        config = mkdocs_config(root, site_dir, nav)
        with quiet_mkdocs(), _build_timestamp(project):
            build(config)


@contextlib.contextmanager
def mkdocs_errors(root: Path):
    """A mistake in a theme template (overrides/) or in MkDocs' settings as
    an error line, like a content error, not a traceback."""
    from mkdocs.exceptions import MkDocsException

    try:
        yield
    except jinja2.TemplateError as bad:
        raise ContentErrors([_template_problem(bad, root)]) from None
    except MkDocsException as bad:  # MkDocs has logged the details above it
        raise ContentErrors([Problem("mkdocs.yml", 1, 1, f"MkDocs: {bad}")]) from None


def _template_problem(bad: jinja2.TemplateError, root: Path) -> Problem:
    if isinstance(bad, jinja2.TemplateSyntaxError) and bad.filename:
        file, line, message = bad.filename, bad.lineno, f"template syntax: {bad.message}"
    else:  # raised while rendering: Jinja puts the template's own frames in the traceback
        frames = [(f.tb_frame.f_code.co_filename, f.tb_lineno) for f in _frames(bad.__traceback__)]
        file, line = next(((f, n) for f, n in reversed(frames) if f.endswith(".html")), ("overrides", 1))
        message = f"template: {bad}"
    return Problem(relative(Path(file), root), line, 1, message)


def _frames(tb):
    while tb is not None:
        yield tb
        tb = tb.tb_next


@contextlib.contextmanager
def quiet_mkdocs():
    """MkDocs' INFO lines are noise to an editor; its warnings still show."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _build_timestamp(project: Project):
    """Dates in the sitemap come from the content, so a build is reproducible."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    timezone = project.settings.timezone
    stamps = [int(moment(b.updated or b.date, timezone).timestamp()) for e in project.stories for b in e.briefs]
    os.environ["SOURCE_DATE_EPOCH"] = str(max(stamps, default=0))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


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
