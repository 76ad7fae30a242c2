"""Markdown -> the static site, published atomically.

A build first validates and renders everything (nothing is written while
content could still fail), then MkDocs builds into a fresh folder beside
`site/`, and only a complete build is swapped in, in one rename
(publish.py), one build of a project at a time.
"""
from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from . import cards as social_cards
from .cards import draw_into, missing_cards, project_cards, write_cards
from .docs_folder import is_brief_page, remove_stale, write_changed, write_pages
from .embed import write_embeds
from .engine import BUILD_DIR, Engine, PreviewRun, rendered_pages, run_address
from .feeds import write_data_files
from .mkdocs_engine import MKDOCS
from .model import Project, last_revised
from .notes import language_notes
from .publish import one_build_at_a_time, remove_leftovers, staging_folder, swap_in
from .problems import ContentErrors, Problem, relative
from .render import PageCache, Renderer
from .schemas import SCHEMAS_DIR, write_json_schemas
from .search import SEARCH_DIR, SEARCH_PAGES, SearchPages, index_site, start_index
from .settings import load_settings
from .stage_clock import StageClock, StageTime
from .stopping import leave_ctrl_c_to_the_parent
from .check_cache import CheckCache
from .cms import write_form
from .validate import Checked, ParsedFiles, check_files, validate_project
from .workers import ONE, Meanwhile, Workers
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


def check_project(root: Path, include_drafts: bool = True, parsed: ParsedFiles | None = None,
                  workers: Workers = ONE) -> Project:
    """Validate every file; raises ContentErrors with all problems. `parsed`
    keeps files whose bytes did not change from an earlier check. A large
    project's files are read by `workers` (validate.py)."""
    return validate_project(root, load_settings(root), include_drafts, parsed, workers)


def check_with_cache(root: Path, workers: Workers = ONE) -> Checked:
    """`briefs check`: every problem, as check_project finds them (raised as
    ContentErrors), with files that passed before, unchanged, not parsed
    again; else what it checked. A build never uses the cache: it checks
    from scratch."""
    settings = load_settings(root)
    try:
        checked = check_files(root, settings, CheckCache(root / BUILD_DIR / CHECK_CACHE, settings), workers)
    except ContentErrors as errors:
        raise ContentErrors(errors.problems, [*errors.notes, *language_notes(root, settings)]) from None
    return replace(checked, notes=[*checked.notes, *language_notes(root, settings)])


# Briefs from which the render is shared out: a forked copy's start costs
# less than the pages it renders from about here.
RENDER_SHARED_FROM = 200


def render_project(root: Path, project: Project, cache: PageCache | None = None,
                   docs: Path | None = None, workers: Workers = ONE) -> tuple[list[str], list]:
    """Markdown for the project (drafts are in it only if the check kept them)
    into `docs` (by default the build's, build/docs); `cache` keeps pages
    whose inputs did not change from an earlier render. A large project's
    briefs are shared out between `workers` (see `_render_shared`)."""
    renderer = Renderer(project, cache)
    docs = docs or rendered_pages(root)
    parts = workers.share(sum(len(entry.briefs) for entry in project.stories), RENDER_SHARED_FROM)
    if parts > 1:
        written = _render_shared(renderer, docs, workers, parts)
    else:
        written = write_pages(renderer.pages(), docs)
    return written, renderer.nav()


def _render_shared(renderer: Renderer, docs: Path, workers: Workers, parts: int) -> list[str]:
    """Each of `parts` processes renders every parts-th brief, this one also
    the other pages. The pages and the error (that of the first failing page
    in the one-process order) are the same as one process's."""
    makers = [name for name, _ in renderer.page_makers()]
    part_of = {name: i % parts for i, name in enumerate(name for name in makers if is_brief_page(name))}
    outcomes = workers.run([functools.partial(_render_part, renderer, docs, part_of, part) for part in range(parts)])
    failures = sorted(failure for _, failure in outcomes if failure is not None)
    if failures:
        raise ContentErrors(failures[0][1])
    remove_stale(docs, set(makers))
    return [name for written, _ in outcomes for name in written]


def _render_part(renderer: Renderer, docs: Path, part_of: dict[str, int], part: int):
    """Render and write the part's pages (part 0 has every page that is not
    a brief); at the first that fails, stop and return its place in the
    pages' order and its problems."""
    pages = {}
    for position, (name, make) in enumerate(renderer.page_makers()):
        if part_of.get(name, 0) == part:
            try:
                pages[name] = make()
            except ContentErrors as bad:
                return [], (position, bad.problems)
    return write_changed(pages, docs), None


# What `--engine` chooses from; MKDOCS also runs the preview (serve.py).
ENGINES: dict[str, Engine] = {engine.name: engine for engine in (MKDOCS, ZENSICAL)}


# Briefs from which the search index is made only once the process that
# held the model and MkDocs' pages has ended (with more than one job, a
# forked copy made the site): Pagefind holds about 0.3 MiB a page while it
# indexes (docs/benchmarks.md), 1.4 GiB at 5,000 briefs.
INDEX_ALONE_FROM = 2000


def build_site(root: Path, include_drafts: bool = False, site: Path | None = None, engine: str = "mkdocs",
               waiting: Callable[[int | None], None] = lambda holder: None, workers: Workers = ONE) -> BuildResult:
    """Check, render and build; the previous site stays whole on any failure.
    One build of a project at a time: while another holds the project's
    lock, `waiting(its process id)` is called, and this one waits for it.
    With more than one job, all but a large archive's search index is made
    in a forked copy (`workers.apart`), whose memory is given back before
    Pagefind takes its own; each stage shares its work between `workers`."""
    root = root.resolve()
    site = (site or root / "site").resolve()
    staging = staging_folder(site)
    clock = StageClock()
    try:
        with one_build_at_a_time(root, root / BUILD_DIR / BUILD_HOLDER, waiting):
            try:
                remove_leftovers(site)
                made = workers.apart(functools.partial(_stage_site, root, staging, site, include_drafts, engine,
                                                       clock.origin, workers))
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


def _stage_site(root: Path, staging: Path, site: Path, include_drafts: bool, engine: str,
                origin: float, workers: Workers) -> BuildResult:
    """The whole site into `staging`, but for a large archive's search
    index, left to the caller. Stages are timed from `origin`."""
    clock = StageClock(origin)
    with clock.stage("check"):
        project = check_project(root, include_drafts, workers=workers)
    briefs = sum(len(entry.briefs) for entry in project.stories)
    index_after = briefs >= INDEX_ALONE_FROM
    cards = None
    try:
        with clock.stage("cards: which to draw; workers started on them"):
            missing = missing_cards(project_cards(project).values(), root / BUILD_DIR / CARDS_CACHE)
            cards = workers.meanwhile(missing, draw_into, social_cards.DRAW_SHARED_FROM)
        with clock.stage("render (Markdown of every page)"):
            written, nav = render_project(root, project, workers=workers)
        make_site(root, staging, nav, project, engine=ENGINES[engine], cards=cards, index=not index_after, clock=clock,
                  workers=workers)
    finally:
        if cards is not None:
            cards.stop()
    return BuildResult(site, written, briefs, len(project.stories), index_after, tuple(clock.stages))


def _unwritable(bad: OSError, root: Path) -> Problem:
    where = relative(Path(os.fsdecode(bad.filename)), root) if bad.filename else "site"
    return Problem(where, 1, 1, f"cannot write the site, nothing was published: {bad.strerror or bad}")


def make_site(root: Path, site_dir: Path, nav: list | None, project: Project | None,
              preview: PreviewRun | None = None, engine: Engine = MKDOCS, cards: Meanwhile | None = None,
              index: bool = True, clock: StageClock | None = None, workers: Workers = ONE) -> None:
    """Everything after the render, the same for a build and a preview: the
    engine's pages, then the briefs' search pages from our render and their
    index (unless `index` is false: the caller makes it), made by Pagefind
    while we write the files we write ourselves (none while a preview has
    no valid project yet) and finish the cards (`cards`, drawn meanwhile).
    `clock` times the stages; `workers` share the pages and the cards still
    to draw out. A build's search pages are its own under the
    project's lock; a preview writes and indexes its own in the background
    (serve.py)."""
    clock = clock or StageClock()
    search_pages = root / BUILD_DIR / SEARCH_PAGES
    with clock.stage(f"HTML pages ({engine.name})"):
        engine.build_pages(root, site_dir, nav, newest_epoch(project), preview, workers)
    write_form(site_dir, form_stories(root, project), project.settings if project else load_settings(root))
    if project is None:
        return
    indexing = None
    if preview is None:
        with clock.stage("search pages (our render of each brief)"):
            briefs = SearchPages(search_pages).write(rendered_pages(root))
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
            write_cards(project, root / BUILD_DIR / CARDS_CACHE, site_dir, workers)
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
