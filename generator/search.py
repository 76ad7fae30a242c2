"""Search: Pagefind indexes the briefs' articles, as our render wrote them.

Pagefind (its binary ships in the `pagefind-bin-extended` wheel) reads
one page per brief that `SearchPages` made from our rendered
Markdown, as the feeds make their entries (html_blocks.PageHtml), never
from the engine's pages: every engine's site gets the same search, and the
same text a reader sees in the article (each claim with its status word,
the questions, the sources), less what is marked `data-pagefind-ignore`.
It writes a static index into `assets/pagefind/`, split into small chunks: a reader's
browser fetches nothing of it until the reader opens search, then the
entry files and only the chunks a query needs, so what a search costs a
reader does not grow with the archive.

One index for the whole site, in the site's language (Pagefind's
`force_language`), so every brief is found from every page whatever its
story's language.
"""
from __future__ import annotations

import hashlib
import html
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable

from .docs_folder import is_brief_page
from .html_blocks import PageHtml
from .page_meta import page_body, page_data
from .problems import ContentErrors, Problem
from .settings import Settings
from .stage_clock import waited_for_cpu

SEARCH_DIR = "assets/pagefind"  # under assets/, a reserved story slug
SEARCH_KEY = "briefs_search"  # config.extra key overrides/partials/search.html reads
SEARCH_PAGES = "search-pages"  # under build/ (a preview: its own folder): what Pagefind reads (SearchPages)


def theme_extra() -> dict:
    """What the search box reads from `config.extra`: where the index is
    (for either engine). Its words are the page's (engine.theme_words)."""
    return {SEARCH_KEY: {"bundle": SEARCH_DIR + "/"}}


class SearchPages:
    """What Pagefind indexes, in `folder` (emptied when made): each brief of
    our render at its address (`<story>/<brief>/index.html`, the result's
    URL), its article as the feeds have it, in an <html> of its language,
    with the fields its result shows and filters on hidden beside it.
    Written again only for briefs whose Markdown changed since the last
    `write`: the preview's saves (a build makes one and writes once)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._made_from: dict[str, bytes] = {}  # page -> digest of the Markdown its search page was made from
        shutil.rmtree(folder, ignore_errors=True)

    def write(self, pages: Path) -> int:
        """The search pages of the rendered Markdown in `pages` (build/docs,
        or the preview's); those of briefs gone removed. Returns how many briefs."""
        to_html, made_from = PageHtml(), {}
        for page in sorted(pages.glob("*/*.md")):
            name = page.relative_to(pages).as_posix()
            if not is_brief_page(name):
                continue
            text = page.read_text(encoding="utf-8")
            made_from[name] = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
            if self._made_from.get(name) != made_from[name]:
                target = self._target(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(_search_page(page_data(text), to_html(page_body(text))), encoding="utf-8")
        for gone in self._made_from.keys() - made_from.keys():
            shutil.rmtree(self._target(gone).parent, ignore_errors=True)
        self._made_from = made_from
        return len(made_from)

    def _target(self, name: str) -> Path:
        return self.folder / name.removesuffix(".md") / "index.html"


# The title and story are shown with each result, the story and year filter
# the results. The values come escaped from page_meta (PageMeta.data).
_SEARCH_PAGE = """<!doctype html>
<html lang="{lang}" dir="{direction}">
<body>
<div data-pagefind-body>
<div hidden data-pagefind-ignore>
<span data-pagefind-meta="title">{title}</span>
<span data-pagefind-meta="story" data-pagefind-filter="story">{story}</span>
<span data-pagefind-meta="date">{date}</span>
<span data-pagefind-filter="year">{year}</span>
</div>
{article}
</div>
</body>
</html>
"""


def _search_page(meta: dict, article: str) -> str:
    return _SEARCH_PAGE.format(lang=html.escape(meta.get("lang") or ""), direction=html.escape(meta.get("direction") or "ltr"),
                               title=meta["title"], story=meta.get("story", ""), date=meta["search"]["date"],
                               year=html.escape(meta["search"]["year"]), article=article)


def index_site(pages: Path, settings: Settings, output: Path) -> None:
    """Index the search pages (SearchPages) into `output`."""
    start_index(pages, settings, output).wait()


class IndexRun:
    """Pagefind indexing a site, in its own process, while we go on with
    work that writes no HTML page."""

    def __init__(self, command: list[str], pages: Path):
        self.started = time.monotonic()
        self.cpu = 0.0  # Pagefind's CPU seconds, once waited for
        # In the pages' folder, so that no pagefind.yml of the project's applies.
        self.process = subprocess.Popen(command, cwd=pages, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def wait(self) -> None:
        before = waited_for_cpu()
        output, _ = self.process.communicate()
        self.cpu = waited_for_cpu() - before  # no other process ends meanwhile
        if self.process.returncode != 0:
            message = " ".join(output.split())[-300:]
            raise ContentErrors([Problem("mkdocs.yml", 1, 1, f"search index: Pagefind failed: {message}")])

    def stop(self) -> None:
        if self.process.returncode is None:  # not waited for yet
            self.process.kill()
            self.process.communicate()


def start_index(pages: Path, settings: Settings, output: Path) -> IndexRun:
    """Start indexing the search pages (SearchPages) into `output`."""
    command = [str(_pagefind()), "--site", str(pages), "--output-path", str(output.resolve()),
               "--force-language", index_language(settings.language), "--silent"]
    return IndexRun(command, pages)


def index_language(language: str) -> str:
    """Pagefind's language: the primary subtag ('pt' for 'pt-BR', 'zh' for 'zh-Hant')."""
    return language.replace("_", "-").split("-")[0].lower() or "en"


def _pagefind() -> Path:
    from pagefind.service import get_executable  # prefers the extended binary (Chinese, Japanese)

    found = get_executable()
    if found is None or not found.is_file():
        raise ContentErrors([Problem("mkdocs.yml", 1, 1, "search index: the Pagefind binary is missing; run `make build`")])
    return found


def replace_index(pages: Path, settings: Settings, live: Path) -> None:
    """Index the search pages beside the live index, then swap it in, so a
    reader searching meanwhile (the preview) never reads half an index. No
    brief, no index (Pagefind makes none of nothing)."""
    fresh = live.with_name(live.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    if any(pages.iterdir()):
        index_site(pages, settings, fresh)
    old = live.with_name(live.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    if fresh.exists():
        fresh.rename(live)
    shutil.rmtree(old, ignore_errors=True)


class BackgroundIndex:
    """The preview's search: its search pages written from its rendered
    Markdown (`docs`) into `pages` and indexed into `site`, again in the
    background after every rebuild, so a save shows at once and search
    catches up a few seconds later. Saves during a run make one more run,
    not one each."""

    def __init__(self, docs: Path, pages: Path, site: Path, report: Callable):
        self.docs, self.pages, self.site, self.report = docs, SearchPages(pages), site, report
        self._lock = threading.Lock()
        self._wanted: Settings | None = None
        self._thread: threading.Thread | None = None

    def request(self, settings: Settings) -> None:
        with self._lock:
            self._wanted = settings
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
            self._thread.start()

    def wait(self) -> None:
        """Until the index is up to date with the last request."""
        thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._lock:
                settings, self._wanted = self._wanted, None
                if settings is None:
                    self._thread = None
                    return
            try:
                self.pages.write(self.docs)
                replace_index(self.pages.folder, settings, self.site / SEARCH_DIR)
            except ContentErrors as failed:
                self.report(failed.problems)
            except OSError:  # a clean rebuild emptied the site meanwhile; it asked for the next run
                pass
