"""Markdown -> the static site, published atomically.

A build first validates and renders everything (nothing is written while
content could still fail), then MkDocs builds into a fresh folder beside
`site/`, and only a complete build is swapped in, in one rename
(publish.py), one build of a project at a time.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from . import cards as social_cards
from . import mkdocs_engine
from .card_text import MissingFonts
from .cards import draw_in_background, draw_taken, missing_cards, project_cards, write_cards
from .docs_folder import is_brief_page, remove_stale, write_changed, write_pages
from .embed import write_embeds
from .engine import BUILD_DIR, Engine, PreviewRun, rendered_pages, run_address
from .feeds import write_data_files
from .forking import may_fork, start_sharing_memory
from .mkdocs_engine import MKDOCS
from .model import Project, last_revised
from .notes import language_notes
from .publish import one_build_at_a_time, remove_leftovers, staging_folder, swap_in
from .problems import ContentErrors, Problem, relative
from .render import PageCache, Renderer
from .schemas import SCHEMAS_DIR, write_json_schemas
from .search import SEARCH_DIR, SEARCH_PAGES, index_site, start_index, write_search_pages
from .settings import load_settings
from .stage_clock import StageClock, StageTime
from .stopping import leave_ctrl_c_to_the_parent
from .check_cache import CheckCache
from .cms import write_form
from .validate import Checked, ParsedFiles, check_files, validate_project
from .zensical_engine import ZENSICAL

CARDS_CACHE = "cards"  # under build/: social cards by content hash, drawn once
CHECK_CACHE = "check-cache"  # under build/: the files `briefs check` found valid (check_cache.py)
BUILD_HOLDER = "build.pid"  # under build/: the process id of the build at work (publish.py)


@dataclass(frozen=True)
class BuildResult:
    site: Path
    written: list[str]  # Markdown pages rewritten this time
    briefs: int
    stories: int
    index_after: bool = False  # the search index is still to be made, from the search pages
    stages: tuple[StageTime, ...] = ()  # how long each stage took (stage_clock.py)


def check_project(root: Path, include_drafts: bool = True, parsed: ParsedFiles | None = None) -> Project:
    """Validate every file; raises ContentErrors with all problems. `parsed`
    keeps files whose bytes did not change from an earlier check. From the
    `briefs` command (one thread), a large project is read on two cores."""
    return validate_project(root, load_settings(root), include_drafts, parsed, _both if _can_fork() else None)


def check_with_cache(root: Path) -> Checked:
    """`briefs check`: every problem, as check_project finds them (raised as
    ContentErrors), with files that passed before, unchanged, not parsed
    again; else what it checked. A build never uses the cache: it checks
    from scratch."""
    settings = load_settings(root)
    try:
        checked = check_files(root, settings, CheckCache(root / BUILD_DIR / CHECK_CACHE, settings), _both if _can_fork() else None)
    except ContentErrors as errors:
        raise ContentErrors(errors.problems, [*errors.notes, *language_notes(root, settings)]) from None
    return replace(checked, notes=[*checked.notes, *language_notes(root, settings)])


def _both(here: Callable, there: Callable):
    """`there()` in a forked process while this one calls `here()`; what `there` returned."""
    with Forked(there) as other:
        here()
        return other.result()


def render_project(root: Path, project: Project, cache: PageCache | None = None,
                   split_from: int | None = None, docs: Path | None = None) -> tuple[list[str], list]:
    """Markdown for the project (drafts are in it only if the check kept them)
    into `docs` (by default the build's, build/docs); `cache` keeps pages
    whose inputs did not change from an earlier render. With `split_from`,
    a project of that many briefs or more is rendered on two cores (see
    `_render_in_two`)."""
    renderer = Renderer(project, cache)
    docs = docs or rendered_pages(root)
    briefs = sum(len(entry.briefs) for entry in project.stories)
    if split_from is not None and briefs >= split_from and _can_fork():
        written = _render_in_two(renderer, docs)
    else:
        written = write_pages(renderer.pages(), docs)
    return written, renderer.nav()


def _can_fork() -> bool:
    """Worth forking (a second core) and safe to (forking.may_fork)."""
    return (os.cpu_count() or 1) > 1 and may_fork()


def _render_in_two(renderer: Renderer, docs: Path) -> list[str]:
    """A forked process renders every other brief while this one renders
    the rest and the other pages. The pages and the error (that of the
    first failing page in the one-process order) are the same as one
    process's."""
    makers = [name for name, _ in renderer.page_makers()]
    briefs = [name for name in makers if is_brief_page(name)]
    theirs = set(briefs[1::2])
    with Forked(_render_part, renderer, docs, theirs.__contains__) as child:
        written, failure = _render_part(renderer, docs, lambda name: name not in theirs)
        their_written, their_failure = child.result()
    failures = sorted(f for f in (failure, their_failure) if f is not None)
    if failures:
        raise ContentErrors(failures[0][1])
    remove_stale(docs, set(makers))
    return written + their_written


def _render_part(renderer: Renderer, docs: Path, wanted: Callable[[str], bool]):
    """Render and write the wanted pages; at the first that fails, stop and
    return its place in the pages' order and its problems."""
    pages = {}
    for position, (name, make) in enumerate(renderer.page_makers()):
        if wanted(name):
            try:
                pages[name] = make()
            except ContentErrors as bad:
                return [], (position, bad.problems)
    return write_changed(pages, docs), None


class Forked:
    """`work(*args)` in a forked process, which starts with a copy of this
    one's memory (the model, at no cost) but only the thread that forked
    (see `_can_fork`). `result()` waits for its value, or raises what it
    raised: content errors, a file it could not write, missing fonts as
    themselves, anything else as a bug with its traceback. Leaving the
    block early stops it, unless it has answered."""

    EXPECTED = (ContentErrors, OSError, MissingFonts)

    def __init__(self, work: Callable, *args):
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(work, args, writer))
        self.answered = False
        start_sharing_memory(self.process)
        writer.close()

    @classmethod
    def _run(cls, work: Callable, args: tuple, parent) -> None:
        leave_ctrl_c_to_the_parent()
        try:
            parent.send(("done", work(*args)))
        except KeyboardInterrupt:  # stopped: nobody waits for an answer
            pass
        except BrokenPipeError:  # the parent is gone (killed): nobody to tell
            pass
        except cls.EXPECTED as expected:
            cls._tell(parent, ("raised", expected))
        except BaseException:  # noqa: BLE001 - a bug: the parent raises it with this traceback
            cls._tell(parent, ("bug", traceback.format_exc()))
        finally:
            parent.close()

    @staticmethod
    def _tell(parent, outcome: tuple) -> None:
        with contextlib.suppress(BrokenPipeError):
            parent.send(outcome)

    def result(self):
        try:
            kind, value = self.reader.recv()
            self.answered = True
        except EOFError:  # it was killed
            kind, value = "bug", f"the forked process ended with status {self.process.exitcode} and no result"
        if kind == "raised":
            raise value
        if kind == "bug":
            raise RuntimeError(f"a forked process failed:\n{value}")
        return value

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *raised) -> None:
        # Stopped while it was still at work; once it has answered, it is
        # ending on its own (stopping it then would leave its semaphores).
        if raised[0] is not None and not self.answered:
            self.process.terminate()
        self.process.join()
        self.reader.close()


class CardsMeanwhile:
    """The social cards the cache lacks, drawn by a worker process while
    this one renders and runs MkDocs; what is left when the pages are
    built, this process draws with it (each takes the next card from a
    shared counter)."""

    def __init__(self, project: Project, cache: Path):
        self.jobs = missing_cards(project_cards(project).values(), cache)
        context = multiprocessing.get_context("spawn")  # not fork: nothing of this process's memory is needed
        self.taken = context.Value("q", 0)
        self.worker = None
        if len(self.jobs) >= social_cards.DRAW_IN_TWO_FROM and (os.cpu_count() or 1) > 1:
            self.worker = context.Process(target=draw_in_background, args=(self.jobs, self.taken), daemon=True)
            self.worker.start()

    def finish(self) -> None:
        """Until every card is drawn."""
        draw_taken(self.jobs, self.taken)
        if self.worker is not None:
            self.worker.join()  # a card it failed on is missing still, and drawn by write_cards

    def stop(self) -> None:
        if self.worker is not None and self.worker.is_alive():
            self.worker.terminate()
            self.worker.join()


# What `--engine` chooses from; MKDOCS also runs the preview (serve.py).
ENGINES: dict[str, Engine] = {engine.name: engine for engine in (MKDOCS, ZENSICAL)}


# Briefs from which the search index is made only once the process that
# held the model and MkDocs' pages has ended: Pagefind holds about 0.3 MiB
# a page while it indexes (docs/benchmarks.md), 1.4 GiB at 5,000 briefs.
INDEX_ALONE_FROM = 2000


def build_site(root: Path, include_drafts: bool = False, site: Path | None = None, engine: str = "mkdocs",
               waiting: Callable[[int | None], None] = lambda holder: None) -> BuildResult:
    """Check, render and build; the previous site stays whole on any failure.
    One build of a project at a time: while another holds the project's
    lock, `waiting(its process id)` is called, and this one waits for it.
    From the `briefs` command (one thread), all but a large archive's search
    index is made in a forked process, whose memory is given back before
    Pagefind takes its own."""
    root = root.resolve()
    site = (site or root / "site").resolve()
    staging = staging_folder(site)
    clock = StageClock()
    try:
        with one_build_at_a_time(root, root / BUILD_DIR / BUILD_HOLDER, waiting):
            try:
                remove_leftovers(site)
                if _can_fork():
                    with Forked(_stage_site, root, staging, site, include_drafts, engine, True, clock.origin) as child:
                        made = child.result()
                else:
                    made = _stage_site(root, staging, site, include_drafts, engine, False, clock.origin)
                if made.index_after:
                    with clock.stage("search index (Pagefind)"):
                        index_site(root / BUILD_DIR / SEARCH_PAGES, load_settings(root), staging / SEARCH_DIR)
                with clock.stage("publish (the new site swapped in)"):
                    swap_in(staging, site)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
                shutil.rmtree(root / BUILD_DIR / SEARCH_PAGES, ignore_errors=True)
    except OSError as bad:  # a full disk, a folder we may not write: the previous site stays
        raise ContentErrors([_unwritable(bad, root)]) from None
    return replace(made, stages=made.stages + tuple(clock.stages))


def _stage_site(root: Path, staging: Path, site: Path, include_drafts: bool, engine: str, may_index_after: bool,
                origin: float) -> BuildResult:
    """The whole site into `staging`; with `may_index_after`, a large
    archive's search index is left to the caller. Stages are timed from `origin`."""
    clock = StageClock(origin)
    with clock.stage("check"):
        project = check_project(root, include_drafts)
    briefs = sum(len(entry.briefs) for entry in project.stories)
    index_after = may_index_after and briefs >= INDEX_ALONE_FROM
    cards = None
    try:
        with clock.stage("cards: which to draw; a worker started on them"):
            cards = CardsMeanwhile(project, root / BUILD_DIR / CARDS_CACHE)
        with clock.stage("render (Markdown of every page)"):
            written, nav = render_project(root, project, split_from=mkdocs_engine.SPLIT_FROM)  # as MkDocs splits (read here: a test lowers it)
        make_site(root, staging, nav, project, engine=ENGINES[engine], cards=cards, index=not index_after, clock=clock)
    finally:
        if cards is not None:
            cards.stop()
    return BuildResult(site, written, briefs, len(project.stories), index_after, tuple(clock.stages))


def _unwritable(bad: OSError, root: Path) -> Problem:
    where = relative(Path(os.fsdecode(bad.filename)), root) if bad.filename else "site"
    return Problem(where, 1, 1, f"cannot write the site, nothing was published: {bad.strerror or bad}")


def make_site(root: Path, site_dir: Path, nav: list | None, project: Project | None,
              preview: PreviewRun | None = None, engine: Engine = MKDOCS, cards: CardsMeanwhile | None = None,
              index: bool = True, clock: StageClock | None = None) -> None:
    """Everything after the render, the same for a build and a preview: the
    engine's pages, then the briefs' search pages from our render and their
    index (unless `index` is false: the caller makes it), made by Pagefind
    while we write the files we write ourselves (none while a preview has
    no valid project yet) and finish the cards (`cards`, drawn meanwhile).
    `clock` times the stages. A build's search pages are its own under the
    project's lock; a preview writes and indexes its own in the background
    (serve.py)."""
    clock = clock or StageClock()
    search_pages = root / BUILD_DIR / SEARCH_PAGES
    with clock.stage(f"HTML pages ({engine.name})"):
        engine.build_pages(root, site_dir, nav, newest_epoch(project), preview)
    write_form(site_dir, form_stories(root, project), project.settings if project else load_settings(root))
    if project is None:
        return
    indexing = None
    if preview is None:
        with clock.stage("search pages (our render of each brief)"):
            briefs = write_search_pages(rendered_pages(root), search_pages)
        if index and briefs:  # Pagefind makes no index of nothing
            indexing = start_index(search_pages, project.settings, site_dir / SEARCH_DIR)
    try:
        with clock.stage("feeds, data files, JSON Schemas"):
            write_json_schemas(site_dir / SCHEMAS_DIR)
            address = run_address(project.settings, preview)
            write_data_files(project, site_dir, address, rendered_pages(root, preview))
            write_embeds(project, site_dir, address)
        with clock.stage("cards: the rest drawn, every card linked"):
            if cards is not None:
                cards.finish()
            write_cards(project, root / BUILD_DIR / CARDS_CACHE, site_dir)
        if indexing is not None:
            indexing.wait()
            clock.ran_beside("search index (Pagefind, beside the two stages above)", indexing.started, indexing.cpu)
    except BaseException:
        if indexing is not None:
            indexing.stop()
        raise
    finally:
        if index and preview is None:
            shutil.rmtree(search_pages, ignore_errors=True)


def form_stories(root: Path, project: Project | None) -> list[tuple[str, str]]:
    """Each story folder (slug, title) the editing form offers, published or
    not yet: the title where the check read it, else the folder's name."""
    titles = {entry.story.slug: entry.story.title for entry in project.stories} if project else {}
    content = root / "briefs"
    folders = sorted(p.name for p in content.iterdir() if p.is_dir() and not p.name.startswith(".")) if content.is_dir() else []
    return [(slug, titles.get(slug, slug)) for slug in folders]


def newest_epoch(project: Project | None) -> int:
    """The newest moment in the content, as seconds: what a build is dated by."""
    if project is None:
        return 0
    timezone = project.settings.timezone
    return int(max((last_revised(b, timezone).timestamp() for e in project.stories for b in e.briefs), default=0))
