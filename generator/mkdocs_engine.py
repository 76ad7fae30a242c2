"""MkDocs with Material: our Markdown -> the site's pages.

Every use of MkDocs beyond reading mkdocs.yml lives here, so that an
upgrade of MkDocs (or its replacement) changes one module: the settings
loaded with our navigation, our Markdown extension and theme cache added
to them, MkDocs' own build (with the preview's address and dirty builds),
its log, and its mistakes turned into error lines.
"""
from __future__ import annotations

import contextlib
import gzip
import json
import logging
import multiprocessing
import os
import shutil
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree

import jinja2

from .docs_folder import is_brief_page
from .engine import BUILD_DIR, PreviewRun, rendered_pages, site_extra
from .forking import may_fork, start_sharing_memory
from .html_blocks import HtmlBlocksExtension
from .problems import ContentErrors, Problem, relative
from .stopping import leave_ctrl_c_to_the_parent

ERRORS_KEY = "briefs_errors"  # config.extra key overrides/main.html shows
SPLIT_FROM = 200  # briefs from which a build is worth a second process


def build_pages(root: Path, site_dir: Path, nav: list | None, epoch: int, preview: PreviewRun | None = None,
                split_from: int | None = None) -> None:
    """MkDocs builds build/docs into `site_dir`; `epoch` dates the sitemap.
    A build of `split_from` (SPLIT_FROM) briefs or more runs on two cores (see `_build_in_two`)."""
    docs = rendered_pages(root, preview)
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    briefs = [page for page in pages if is_brief_page(page)]
    if nav is not None and preview is None and len(briefs) >= (SPLIT_FROM if split_from is None else split_from) and (os.cpu_count() or 1) > 1:
        _build_in_two(root, site_dir, nav, epoch, set(pages), set(briefs[1::2]))
    else:
        _build(root, site_dir, nav, epoch, preview)


def _build(root: Path, site_dir: Path, nav: list | None, epoch: int, preview: PreviewRun | None = None,
           skipped: frozenset[str] = frozenset()) -> None:
    from mkdocs.commands.build import build

    from .mkdocs_plugins import BuildDate, SkipPages

    with mkdocs_errors(root):
        config = mkdocs_config(root, site_dir, nav, rendered_pages(root, preview), **({"site_url": preview.address.url} if preview else {}))
        if preview and preview.errors:
            config.extra[ERRORS_KEY] = {"title": preview.errors_title, "lines": list(preview.errors)}
        if skipped:
            config.plugins["briefs-skip-pages"] = SkipPages(skipped)
        config.plugins["briefs-build-date"] = BuildDate(int(os.environ.get("SOURCE_DATE_EPOCH", epoch)))  # a value the caller set stays
        with quiet_mkdocs():
            if preview:
                build(config, serve_url=preview.address.url, dirty=preview.dirty)
            else:
                build(config)


def _build_in_two(root: Path, site_dir: Path, nav: list, epoch: int, pages: set[str], second: set[str]) -> None:
    """MkDocs builds one page after another on one core. Here a second
    process builds every other brief while this one builds the rest; the
    second also builds the pages the navigation names (it needs them),
    whose copies are dropped. Its briefs then move into `site_dir`, and the
    two sitemaps (and search indexes, if any) are merged."""
    needed_by_nav = {page for item in nav for page in item.values()}
    second_site = site_dir.with_name(site_dir.name + "-second")
    shutil.rmtree(second_site, ignore_errors=True)
    skipped_by_second = frozenset(pages - second - needed_by_nav)
    child = _second_process(_build_in_child, (root, second_site, nav, epoch, skipped_by_second))
    try:
        try:
            _build(root, site_dir, nav, epoch, skipped=frozenset(second))
            child.join()
        except BaseException:  # this half failed or was stopped, maybe while waiting for the other
            child.terminate()
            child.join()
            raise
        if child.exitcode != 0:
            raise ContentErrors([Problem("mkdocs.yml", 1, 1, "MkDocs stopped while building half of the briefs; its messages are above")])
        for page in sorted(second):
            os.rename(second_site / page.removesuffix(".md"), site_dir / page.removesuffix(".md"))
        _merge_sitemaps(site_dir, second_site)
        _merge_search_indexes(site_dir, second_site)
    finally:
        shutil.rmtree(second_site, ignore_errors=True)


def _second_process(target, args: tuple) -> BaseProcess:
    """Started: a copy of this process with MkDocs imported when it may
    fork (`briefs build`), else a new interpreter."""
    import mkdocs.commands.build  # noqa: F401 - imported once, before the fork

    if may_fork():
        forked = multiprocessing.get_context("fork").Process(target=target, args=args)
        start_sharing_memory(forked)
        return forked
    spawned = multiprocessing.get_context("spawn").Process(target=target, args=args)
    spawned.start()
    return spawned


def _build_in_child(root: Path, site_dir: Path, nav: list, epoch: int, skipped: frozenset[str]) -> None:
    """The second half's build; a mistake is reported once, by the first half,
    which meets it too. Stopped (Ctrl+C, or the parent's SIGTERM), it ends."""
    leave_ctrl_c_to_the_parent()
    try:
        _build(root, site_dir, nav, epoch, skipped=skipped)
    except BaseException:  # noqa: BLE001 - the parent reports; a traceback here would be noise
        os._exit(1)


_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _merge_sitemaps(site_dir: Path, other: Path) -> None:
    """One sitemap of both halves' pages, ordered by address, gzipped as MkDocs does."""
    urls = {url.findtext(f"{{{_SITEMAP}}}loc", ""): url
            for sitemap in (site_dir / "sitemap.xml", other / "sitemap.xml") for url in ElementTree.parse(sitemap).getroot()}
    urlset = ElementTree.Element(f"{{{_SITEMAP}}}urlset")
    urlset.extend(urls[loc] for loc in sorted(urls))
    merged = '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(urlset, encoding="unicode", default_namespace=_SITEMAP) + "\n"
    (site_dir / "sitemap.xml").write_text(merged, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    mtime = int.from_bytes(gz.read_bytes()[4:8], "little")  # MkDocs dates it by the newest page
    with open(gz, "wb") as out, gzip.GzipFile(fileobj=out, filename=str(gz), mode="wb", mtime=mtime) as zipped:
        zipped.write(merged.encode("utf-8"))


def _merge_search_indexes(site_dir: Path, other: Path) -> None:
    """MkDocs' search index, when the search plugin is on: both halves' entries, each once."""
    index, second = site_dir / "search" / "search_index.json", other / "search" / "search_index.json"
    if not (index.is_file() and second.is_file()):
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    seen = {doc["location"] for doc in data["docs"]}
    data["docs"] += [doc for doc in json.loads(second.read_text(encoding="utf-8"))["docs"] if doc["location"] not in seen]
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def mkdocs_config(root: Path, site_dir: Path, nav: list | None, docs: Path | None = None, **overrides):
    from mkdocs.config import load_config

    from .mkdocs_plugins import CompiledThemeTemplates, JsonFrontMatter

    config = load_config(
        config_file=str(root / "mkdocs.yml"),
        docs_dir=str(docs or rendered_pages(root)),
        site_dir=str(site_dir),
        nav=nav,
        **overrides,
    )
    # Same pages, far less parsing. MkDocs types the list as names; Python-Markdown takes an instance too.
    config.markdown_extensions.append(HtmlBlocksExtension())  # type: ignore[arg-type]
    config.extra.update(site_extra(root))
    config.plugins["briefs-theme-cache"] = CompiledThemeTemplates(root / BUILD_DIR / "jinja")
    config.plugins["briefs-json-front-matter"] = JsonFrontMatter()
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


def live_reload_server(build: Callable[[], None], host: str, port: int, site: Path, watched: list[Path],
                       own_hosts: frozenset[str]):
    """MkDocs' own server: serves `site`, runs `build` when a watched path changes, reloads the browser.
    It answers a request only if its Host header is one of `own_hosts` ("name:port", lower case)."""
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=build, host=host, port=port, root=str(site))
    server.set_app(_answering_only(own_hosts, server.get_app()))  # pages and live reload alike
    for path in watched:
        if path.exists():
            server.watch(str(path))
    return server


def _answering_only(own_hosts: frozenset[str], app):
    """A WSGI app that gives 400 to a request for another host: a page of
    another site whose name now points at this machine (DNS rebinding)
    reads nothing of the preview, drafts included."""

    def answer(environ, start_response):
        if environ.get("HTTP_HOST", "").lower() not in own_hosts:
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request: this preview answers only at its own address.\n"]
        return app(environ, start_response)

    return answer


class MkDocs:
    """MkDocs with Material as our `PreviewEngine` (engine.py): the default
    engine, and the preview's."""

    name = "mkdocs"
    build_pages = staticmethod(build_pages)
    live_reload_server = staticmethod(live_reload_server)

    def missing(self) -> str | None:
        return None  # a dependency of briefs itself


MKDOCS = MkDocs()
