"""MkDocs with Material: our Markdown -> the site's pages.

Every use of MkDocs beyond reading mkdocs.yml lives here, so that an
upgrade of MkDocs (or its replacement) changes one module: the settings
loaded with our navigation, our Markdown extension and theme cache added
to them, MkDocs' own build (with the preview's address and dirty builds),
its log, and its mistakes turned into error lines.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import json
import logging
import os
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import Callable

import jinja2

from .docs_folder import is_brief_page
from .engine import BUILD_DIR, PreviewRun, rendered_pages, site_extra
from .html_blocks import HtmlBlocksExtension
from .problems import ContentErrors, Problem, relative
from .workers import ONE, Workers

ERRORS_KEY = "briefs_errors"  # config.extra key overrides/main.html shows
SPLIT_FROM = 200  # briefs from which a build is worth sharing out (a second process)


def build_pages(root: Path, site_dir: Path, nav: list | None, epoch: int, preview: PreviewRun | None = None,
                workers: Workers = ONE) -> None:
    """MkDocs builds build/docs into `site_dir`; `epoch` dates the sitemap.
    A build (not a preview) of SPLIT_FROM briefs or more is shared out
    between `workers` (see `_build_shared`)."""
    docs = rendered_pages(root, preview)
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    briefs = [page for page in pages if is_brief_page(page)]
    parts = workers.share(len(briefs), SPLIT_FROM) if nav is not None and preview is None else 1
    if parts > 1:
        _build_shared(root, site_dir, nav or [], epoch, set(pages), [set(briefs[part::parts]) for part in range(parts)], workers)
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


def _build_shared(root: Path, site_dir: Path, nav: list, epoch: int, pages: set[str], parts: list[set[str]],
                  workers: Workers) -> None:
    """MkDocs builds one page after another on one core. Here each part's
    briefs are built by a process of their own (the first part's by this
    one, with every other page); the others also build the pages the
    navigation names (they need them), whose copies are dropped. Their
    briefs then move into `site_dir`, and the sitemaps (and search
    indexes, if any) are merged. A mistake every part meets is reported
    once, by this one."""
    import mkdocs.commands.build  # noqa: F401 - imported once, before the fork

    needed_by_nav = {page for item in nav for page in item.values()}
    others = [site_dir.with_name(f"{site_dir.name}-part-{number}") for number in range(1, len(parts))]
    skipped = [frozenset(set().union(*parts[1:])), *(frozenset(pages - part - needed_by_nav) for part in parts[1:])]
    for other in others:
        shutil.rmtree(other, ignore_errors=True)
    try:
        workers.run([functools.partial(_build, root, folder, nav, epoch, skipped=skips)
                     for folder, skips in zip([site_dir, *others], skipped)])
        for other, part in zip(others, parts[1:]):
            for page in sorted(part):
                os.rename(other / page.removesuffix(".md"), site_dir / page.removesuffix(".md"))
        _merge_sitemaps(site_dir, others, [pages - skips for skips in skipped])
        _merge_search_indexes(site_dir, others)
    finally:
        for other in others:
            shutil.rmtree(other, ignore_errors=True)


_SITEMAP_ENTRY = re.compile(r"<url>.*?</url>", re.DOTALL)


def _page_order(page: str) -> tuple:
    """Where MkDocs lists a page (mkdocs.structure.files.file_sort_key): by
    folder, then a folder's index first, then by name."""
    path = PurePosixPath(page)
    return path.parts[:-1], path.stem != "index", path.name


def _merge_sitemaps(site_dir: Path, others: list[Path], built: list[set[str]]) -> None:
    """One sitemap of every part's pages (`built`: each folder's), the bytes
    one MkDocs run writes: its entries in the order of MkDocs' files (one
    per page, `_page_order`), joined as it joins them; gzipped as it does."""
    texts = [(folder / "sitemap.xml").read_text(encoding="utf-8") for folder in (site_dir, *others)]
    entries: dict[str, str] = {}
    for text, pages in zip(texts, built):
        entries.update(zip(sorted(pages, key=_page_order), _SITEMAP_ENTRY.findall(text), strict=True))
    first, second, *_, last = _SITEMAP_ENTRY.finditer(texts[0])  # the home page, the guide, the tags...
    between = texts[0][first.end():second.start()]
    merged = texts[0][:first.start()] + between.join(entries[page] for page in sorted(entries, key=_page_order)) + texts[0][last.end():]
    (site_dir / "sitemap.xml").write_text(merged, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    mtime = int.from_bytes(gz.read_bytes()[4:8], "little")  # MkDocs dates it by the newest page
    with open(gz, "wb") as out, gzip.GzipFile(fileobj=out, filename=str(gz), mode="wb", mtime=mtime) as zipped:
        zipped.write(merged.encode("utf-8"))


def _merge_search_indexes(site_dir: Path, others: list[Path]) -> None:
    """MkDocs' search index, when the search plugin is on: every part's entries, each once."""
    index = site_dir / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    seen = {doc["location"] for doc in data["docs"]}
    for other in others:
        for doc in json.loads((other / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]:
            if doc["location"] not in seen:
                seen.add(doc["location"])
                data["docs"].append(doc)
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
