"""`briefs serve`: a live preview that rebuilds when a brief, a template,
the theme or the settings change.

MkDocs' own live-reload server does the watching, serving and browser
reloading; each rebuild runs the same stages as `briefs build` (validate,
render, then `make_site`: MkDocs, schemas, data files) with drafts
included, but MkDocs rebuilds only the pages whose Markdown changed, and
search is indexed again in the background (search.BackgroundIndex), a few
seconds behind the pages. Content errors never stop the preview: they are
reported on the terminal and shown on every page, above the last version
that was valid, so the preview never goes stale without a word.

A preview works in a temporary folder of its own (its rendered Markdown
and its site, drafts in both), so a build or another preview running
meanwhile never reads or removes a file of it, nor it one of theirs.
"""
from __future__ import annotations

import shutil
import socket
import tempfile
from pathlib import Path
from typing import Callable

from .build import check_project, make_site, render_project
from .docs_folder import write_pages
from .engine import PreviewEngine, PreviewRun
from .mkdocs_engine import MKDOCS
from .model import Project
from .problems import ContentErrors, Problem
from .page_language import TEMPLATES
from .render import PageCache
from .search import SEARCH_PAGES, BackgroundIndex
from .settings import Settings, SiteAddress
from .stopping import stops_held
from .validate import ParsedFiles
from .words import FALLBACK, words_for
from .workers import Workers, cores


PREVIEW_ENGINE: PreviewEngine = MKDOCS  # the one engine that runs dirty rebuilds and a live-reload server


class Preview:
    def __init__(self, root: Path, folder: Path, address: SiteAddress, report: Callable):
        """A preview of `root` at `address`, made in `folder`, the preview's own:
        its site (`site/`, what is served) and its Markdown (`docs/`)."""
        self.root, self.address, self.report = root, address, report
        self.site, self.docs = folder / "site", folder / "docs"
        self.site.mkdir(parents=True, exist_ok=True)  # served from the start
        self.nav: list | None = None  # from the last valid build
        self.shown_errors: tuple[str, ...] | None = None  # what the last build showed
        self.theme_stamp: float | None = None
        self.parsed = ParsedFiles()  # a save parses again only the files it changed
        self.pages = PageCache()  # and re-renders only the pages it affects
        self.search = BackgroundIndex(self.docs, folder / SEARCH_PAGES, self.site, report)
        self.settings: Settings | None = None  # of the last valid check, for the search index

    def _theme_stamp(self) -> float:
        """Latest change to what every page is made with (settings, theme, templates)."""
        files = [self.root / "mkdocs.yml", *TEMPLATES.rglob("*"), *(self.root / "overrides").rglob("*")]
        return max((f.stat().st_mtime for f in files if f.is_file()), default=0.0)

    def build(self) -> None:
        try:
            self._build()
        except ContentErrors as errors:  # a theme template's or MkDocs' settings' mistake; the server goes on
            self.report(errors.problems)

    def _build(self) -> None:
        project: Project | None = None
        problems: list[Problem] = []
        stamp = self._theme_stamp()
        if stamp != self.theme_stamp:
            self.pages = PageCache()  # templates or settings changed: every page may have
        try:
            project = check_project(self.root, include_drafts=True, parsed=self.parsed)
            _, self.nav = render_project(self.root, project, self.pages, docs=self.docs)
        except ContentErrors as bad:
            problems = bad.problems
            self.report(problems)
            if self.nav is None:  # nothing valid yet: a page to show the errors on
                write_pages({"index.md": "# Preview\n"}, self.docs)
        errors = tuple(p.human() for p in problems)
        # Only pages whose Markdown the render rewrote are rebuilt (MkDocs'
        # dirty build), unless what every page shows has changed: the error
        # banner, the settings, the theme or the templates.
        dirty = errors == self.shown_errors and stamp == self.theme_stamp
        self.shown_errors, self.theme_stamp = errors, stamp
        site_words = words_for(self.settings.language, self.settings.words) if self.settings else words_for(FALLBACK)
        preview = PreviewRun(self.address, self.docs, errors, site_words.one("words.errors_title"), dirty)
        # The preview runs threads, so nothing forks; the cards still share out (a fresh interpreter each).
        make_site(self.root, self.site, self.nav, project, preview, PREVIEW_ENGINE, workers=Workers(cores()))
        if project is not None:
            self.settings = project.settings
            print(f"Preview updated: {self.address.url}", flush=True)
        if self.settings is not None:  # a clean MkDocs build has removed the index
            self.search.request(self.settings)


WILDCARDS = ("0.0.0.0", "::")  # bound to every address of the machine


def own_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers the preview answers (lower case): its own address,
    127.0.0.1 and localhost, at its port; bound to every address, the
    machine's own addresses and names too. Any other name reaching it is
    another site's (DNS rebinding), and gets 400."""
    names = {host, "127.0.0.1", "localhost"}
    if host in WILDCARDS:
        names |= _machine_names()
    headers = set()
    for name in names:
        literal = (f"[{name}]" if ":" in name else name).lower()  # an IPv6 address, as a Host header writes it
        headers.add(f"{literal}:{port}")
        if port == 80:  # a browser leaves out the scheme's own port
            headers.add(literal)
    return frozenset(headers)


def _machine_names() -> set[str]:
    import psutil

    names = {socket.gethostname(), socket.getfqdn()}
    for addresses in psutil.net_if_addrs().values():
        names.update(a.address.split("%")[0] for a in addresses if a.family in (socket.AF_INET, socket.AF_INET6))
    return names


def serve(root: Path, host: str, port: int, report: Callable, ready: Callable[[], None] = lambda: None) -> None:
    """The preview until stopped; `ready()` once it answers (`briefs edit` opens the form then)."""
    # Stopped by Ctrl+C (SIGINT) or by a process manager (SIGTERM, which the
    # command turns into the same KeyboardInterrupt: stopping.py), the
    # preview removes its temporary folder; the `try` is in place before the
    # folder exists, so a stop at any moment cleans up.
    folder: Path | None = None
    preview: Preview | None = None
    address = SiteAddress.preview(host, port)
    try:
        with stops_held():  # a stop as the folder is made still finds its name below
            folder = Path(tempfile.mkdtemp(prefix="briefs-preview-"))
        preview = Preview(root, folder, address, report)
        preview.build()
        watched = [root / "briefs", root / "mkdocs.yml", TEMPLATES, root / "overrides"]
        server = PREVIEW_ENGINE.live_reload_server(preview.build, host, port, preview.site, watched, own_hosts(host, port))
        print(f"Serving the preview, drafts included, on {address.url} (Ctrl+C to stop)", flush=True)
        if host in WILDCARDS:
            print(f"The preview and its drafts are reachable from the network, at http://{socket.gethostname()}:{port}/ "
                  "and this machine's every address", flush=True)
        ready()
        try:
            server.serve()
        finally:
            server.shutdown()
    except KeyboardInterrupt:
        pass
    finally:
        if preview is not None:
            preview.search.wait()  # Pagefind writes into the folder removed next
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
