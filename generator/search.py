"""Search: Pagefind indexes the built site, the briefs' articles only.

After MkDocs has written the pages, Pagefind (its binary ships in the
`pagefind-bin-extended` wheel) reads every page whose article
overrides/main.html marked `data-pagefind-body` (the briefs), and writes a
static index into `assets/pagefind/`, split into small chunks: a reader's
browser fetches nothing of it until the reader opens search, then the
entry files and only the chunks a query needs, so what a search costs a
reader does not grow with the archive.

One index for the whole site, in the site's language (Pagefind's
`force_language`), so every brief is found from every page whatever its
story's language.
"""
from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable

from .problems import ContentErrors, Problem
from .settings import Settings
from .stage_clock import waited_for_cpu

SEARCH_DIR = "assets/pagefind"  # under assets/, a reserved story slug
SEARCH_KEY = "briefs_search"  # config.extra key overrides/partials/search.html reads


def theme_extra() -> dict:
    """What the search box reads from `config.extra`: where the index is
    (for either engine). Its words are the page's (engine.theme_words)."""
    return {SEARCH_KEY: {"bundle": SEARCH_DIR + "/"}}


def index_site(site: Path, settings: Settings, output: Path | None = None) -> None:
    """Index the built site into `output` (default: its own assets/pagefind)."""
    start_index(site, settings, output).wait()


class IndexRun:
    """Pagefind indexing a site, in its own process, while we go on with
    work that writes no HTML page."""

    def __init__(self, command: list[str], site: Path):
        self.started = time.monotonic()
        self.cpu = 0.0  # Pagefind's CPU seconds, once waited for
        # In the site folder, so that no pagefind.yml of the project's applies.
        self.process = subprocess.Popen(command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

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


def start_index(site: Path, settings: Settings, output: Path | None = None) -> IndexRun:
    """Start indexing the built site into `output` (default: its own assets/pagefind)."""
    output = output or site / SEARCH_DIR
    command = [str(_pagefind()), "--site", str(site), "--output-path", str(output.resolve()),
               "--force-language", index_language(settings.language),
               "--exclude-selectors", ".headerlink", "--silent"]  # a heading's ¶ link
    return IndexRun(command, site)


def index_language(language: str) -> str:
    """Pagefind's language: the primary subtag ('pt' for 'pt-BR', 'zh' for 'zh-Hant')."""
    return language.replace("_", "-").split("-")[0].lower() or "en"


def _pagefind() -> Path:
    from pagefind.service import get_executable  # prefers the extended binary (Chinese, Japanese)

    found = get_executable()
    if found is None or not found.is_file():
        raise ContentErrors([Problem("mkdocs.yml", 1, 1, "search index: the Pagefind binary is missing; run `make build`")])
    return found


def replace_index(site: Path, settings: Settings) -> None:
    """Index beside the live index, then swap it in, so a reader searching
    meanwhile (the preview) never reads half an index."""
    live = site / SEARCH_DIR
    fresh = live.with_name(live.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    index_site(site, settings, fresh)
    old = live.with_name(live.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    fresh.rename(live)
    shutil.rmtree(old, ignore_errors=True)


class BackgroundIndex:
    """The preview's search: indexed again in the background after every
    rebuild, so a save shows at once and search catches up a few seconds
    later. Saves during a run make one more run, not one each."""

    def __init__(self, site: Path, report: Callable):
        self.site, self.report = site, report
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
                replace_index(self.site, settings)
            except ContentErrors as failed:
                self.report(failed.problems)
            except OSError:  # a clean rebuild emptied the site meanwhile; it asked for the next run
                pass
