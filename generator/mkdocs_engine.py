"""MkDocs with Material: our Markdown -> the site's pages.

Every use of MkDocs beyond reading mkdocs.yml lives here, so that an
upgrade of MkDocs (or its replacement) changes one module: the settings
loaded with our navigation, our Markdown extension and theme cache added
to them, MkDocs' own build (with the preview's address and dirty builds),
its log, and its mistakes turned into error lines.
"""
from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .html_blocks import HtmlBlocksExtension
from .problems import ContentErrors, Problem, relative

BUILD_DIR = "build"  # rendered Markdown (build/docs) and caches; not committed
ERRORS_KEY = "briefs_errors"  # config.extra key overrides/main.html shows


@dataclass(frozen=True)
class PreviewRun:
    """How `briefs serve` runs the engine: at its own address, with the
    errors of the last save above every page, rebuilding only the pages
    whose Markdown changed when nothing that every page shows has."""

    url: str
    errors: tuple[str, ...] = ()
    errors_title: str = ""
    dirty: bool = False


def build_pages(root: Path, site_dir: Path, nav: list, epoch: int, preview: PreviewRun | None = None) -> None:
    """MkDocs builds build/docs into `site_dir`; `epoch` dates the sitemap."""
    from mkdocs.commands.build import build

    with mkdocs_errors(root):
        config = mkdocs_config(root, site_dir, nav, **({"site_url": preview.url} if preview else {}))
        if preview and preview.errors:
            config.extra[ERRORS_KEY] = {"title": preview.errors_title, "lines": list(preview.errors)}
        with quiet_mkdocs(), source_date_epoch(epoch):
            if preview:
                build(config, serve_url=preview.url, dirty=preview.dirty)
            else:
                build(config)


def mkdocs_config(root: Path, site_dir: Path, nav: list, **overrides):
    from mkdocs.config import load_config

    from .theme_cache import CompiledThemeTemplates

    config = load_config(
        config_file=str(root / "mkdocs.yml"),
        docs_dir=str(root / BUILD_DIR / "docs"),
        site_dir=str(site_dir),
        nav=nav,
        **overrides,
    )
    config.markdown_extensions.append(HtmlBlocksExtension())  # same pages, far less parsing
    config.plugins["briefs-theme-cache"] = CompiledThemeTemplates(root / BUILD_DIR / "jinja")
    return config


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


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build; in a preview that is the point."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextlib.contextmanager
def quiet_mkdocs():
    """MkDocs' INFO lines are noise to an editor; its warnings still show,
    but for the one every preview's dirty build would give."""
    logger, build_logger, dirty = logging.getLogger("mkdocs"), logging.getLogger("mkdocs.commands.build"), _NoDirtyWarning()
    level = logger.level
    logger.setLevel(logging.WARNING)
    build_logger.addFilter(dirty)
    try:
        yield
    finally:
        build_logger.removeFilter(dirty)
        logger.setLevel(level)


@contextlib.contextmanager
def source_date_epoch(epoch: int):
    """Dates in the sitemap come from the content, so a build is
    reproducible; MkDocs reads them from the environment. A value the caller
    set stays."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def live_reload_server(build, host: str, port: int, site: Path, watched: list[Path]):
    """MkDocs' own server: serves `site`, runs `build` when a watched path changes, reloads the browser."""
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=build, host=host, port=port, root=str(site))
    for path in watched:
        if path.exists():
            server.watch(str(path))
    return server
