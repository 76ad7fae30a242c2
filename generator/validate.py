"""Files under briefs/ -> the validated model, with every problem found.

Two passes, as MkDocs builds: read and check every file, collecting
problems as values; only a project with none goes on to be rendered.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .check_cache import CheckCache
from .load_yaml import MAX_FILE_BYTES, load_yaml_bytes, load_yaml_file
from .model import AUTHORS_FILE, BRIEF, SOURCES_FILE, STORY, Author, Brief, Project, Source, SourceId, Story, StoryEntry, moment
from .problems import ContentErrors, Problem, Spellings, did_you_mean, relative
from .schema import At, slug_problem
from .settings import Settings
from .workers import ONE, Workers

# Folders the site uses itself, and `templates`, which MkDocs leaves out of every build.
RESERVED_STORY_SLUGS = frozenset(["tags", "assets", "search", "schemas", "guide", "stylesheets", "javascripts", "templates", "admin", "authors"])
RESERVED_BRIEF_SLUGS = frozenset(["index", "embed"])  # the story hub's own page, the story for other sites
YAML_SUFFIXES = (".yaml", ".yml")
ALLOWED_OTHER_FILES = frozenset(["README.md"])
SYMLINK_REFUSED = ("is a symbolic link; briefs reads nothing outside briefs/ and follows no link: "
                   "put the file or folder itself here")


class ParsedFiles:
    """Files parsed before, kept with their bytes. `briefs serve` keeps one
    between saves, so a save parses again only the files whose bytes
    changed; the rules across files still run on the whole project."""

    def __init__(self):
        self.files: dict[tuple, tuple[bytes, object, list[Problem]]] = {}

    @staticmethod
    def read(path: Path) -> bytes | None:
        """The file's bytes, or None for a file the loader itself must judge."""
        try:
            return path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None
        except OSError:
            return None


class _Walk:
    """One validation run: where problems go, the settings it reads, and
    what it may reuse (files parsed before; files a check cache knows).
    A walk with a check cache is `briefs check`'s, which wants the
    problems only: it keeps no model (`keeps_model`), so it leaves cited
    sources unresolved."""

    def __init__(self, root: Path, settings: Settings, parsed: ParsedFiles | None = None,
                 cache: CheckCache | None = None):
        self.root, self.settings, self.parsed, self.cache = root, settings, parsed, cache
        self.keeps_model = cache is None
        self.problems: list[Problem] = []
        self._registry_spellings: Spellings | None = None
        self._registry_ids: str | None = None
        self._cache_keys: dict[Path, str] = {}
        self._known_keys: dict[Path, str] = {}
        self.story_files: dict[str, Path] = {}  # by story folder name
        # By story folder name: whether each brief is a draft (None: it could not be read).
        self.drafts: dict[str, list[bool | None]] = {}

    def registry_spellings(self, registry: dict) -> Spellings:
        """The registry's ids for suggestions, indexed once per run."""
        if self._registry_spellings is None:
            self._registry_spellings = Spellings(registry)
        return self._registry_spellings

    def registry_ids(self, registry: dict | None) -> str:
        """The registry's ids, all a brief's verdict depends on besides its
        own bytes (an unreadable sources.yaml, None, is told apart from an
        empty one)."""
        if self._registry_ids is None:
            self._registry_ids = "\0unreadable" if registry is None else " ".join(sorted(registry))
        return self._registry_ids

    def shown(self, path: Path) -> str:
        return relative(path, self.root)

    def file_error(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.shown(path), 1, 1, message))

    def load(self, path: Path, declared, depends_on: str = ""):
        """The file parsed as `declared`, or None; its problems go to the run's.
        With a check cache, also None for a file that passed before with the
        same bytes and the same `depends_on`: it is not parsed again."""
        data = ParsedFiles.read(path) if self.parsed or self.cache else None
        if data is None:
            return self._parse(path, declared, None)
        if self.cache is not None:
            cache_key = self.cache.key(data, f"{declared.words}\0{depends_on}")
            if self.cache.knows(cache_key):
                self._known_keys[path] = cache_key
                return None
            self._cache_keys[path] = cache_key
        if self.parsed is None:
            return self._parse(path, declared, data)
        key = (path, declared, self.settings.timezone)
        known = self.parsed.files.get(key)
        if known is not None and known[0] == data:
            self.problems.extend(known[2])
            return known[1]
        first = len(self.problems)
        value = self._parse(path, declared, data)
        self.parsed.files[key] = (data, value, self.problems[first:])
        return value

    def passed(self, path: Path, draft: bool = False) -> None:
        """The file loaded, and every rule about it, across files too, found
        no problem: the check cache may remember it (and whether it is a draft)."""
        key = self._cache_keys.pop(path, None)
        if key is not None and self.cache is not None:
            self.cache.add(key, draft)

    def known_draft(self, path: Path) -> bool | None:
        """For a file the check cache knows passed: whether it is a draft; else None."""
        key = self._known_keys.get(path)
        return None if key is None or self.cache is None else self.cache.is_draft(key)

    def _parse(self, path: Path, declared, data: bytes | None):
        shown = self.shown(path)
        node, problems = load_yaml_file(path, shown) if data is None else load_yaml_bytes(data, shown)
        self.problems.extend(problems)
        if node is None:
            return None
        return declared.parse(node, At(shown, self.problems, self.settings.timezone))


@contextlib.contextmanager
def _collector_paused():
    """The check makes objects that all live on (the model, its records):
    the collector's passes over them free nothing, and cost the check about
    as much as the rest of it (docs/benchmarks.md, \"the collector paused
    while the check reads\"). Only for the check, and as it was after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@_collector_paused()
def validate_project(root: Path, settings: Settings, include_drafts: bool = True,
                     parsed: ParsedFiles | None = None, workers: Workers = ONE) -> Project:
    """The whole model, or ContentErrors with every problem of every file.
    A project of READ_SHARED_FROM files or more is read by `workers`, as
    check_files reads it; the copies send back their records as well as
    their problems (see `_read_shared`). Not with `parsed`: what a copy
    parsed would not be kept for the next check."""
    walk = _Walk(root, settings, parsed)
    registry, story_dirs, authors = _registry_and_stories(walk)
    reads = _file_reads(walk, story_dirs, registry)
    parts = 1 if parsed is not None else workers.share(len(reads), READ_SHARED_FROM)
    if parts == 1:
        results = [read() for _, read in reads]
    else:
        results = _read_shared(walk, [read for _, read in reads], workers, parts)
    if walk.problems:
        raise ContentErrors(walk.problems)
    stories = _stories(walk, [folder for folder, _ in reads], results)
    if not include_drafts:
        stories = [StoryEntry(e.story, tuple(b for b in e.briefs if not b.draft)) for e in stories]
    # A story with nothing to publish is not published: no hub, card, feed or entry anywhere.
    published = tuple(entry for entry in stories if entry.briefs)
    return Project(settings, tuple((registry or {}).values()), published, authors)


@dataclass(frozen=True)
class Checked:
    """What a passing `briefs check` read, and its notes (not errors)."""

    stories: int
    briefs: int
    drafts: int
    notes: list[Problem]

    def line(self) -> str:
        """The line a clean check ends with: "3 stories, 14 briefs (1 draft): no errors."."""
        drafts = f" ({_count(self.drafts, 'draft')})" if self.drafts else ""
        return f"{_count(self.stories, 'story', 'stories')}, {_count(self.briefs, 'brief')}{drafts}: no errors."


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number:,} {one if number == 1 else many or one + 's'}"


@_collector_paused()
def check_files(root: Path, settings: Settings, cache: CheckCache, workers: Workers = ONE) -> Checked:
    """What `briefs check` needs: ContentErrors with the same problems as
    validate_project (and the notes), but no model; else what it read. Files `cache` knows passed are not
    parsed; the rules about names, folders and sources.yaml run on all.
    A rule that judges a file by others must see them: what it reads goes
    into the file's key, as a brief's `depends_on` holds the registry's ids.

    A project of READ_SHARED_FROM files or more is read by `workers`:
    each of `parts` processes reads every parts-th file (the first part
    this one, the others forked copies of it), and a copy returns only its
    problems and the cache keys of its files that passed: no rule across
    files is left to it (the registry is read before, and the rules about
    names and folders run on the listings, here), and problems are sorted
    when reported, so they are one process's, in the same order."""
    walk = _Walk(root, settings, cache=cache)
    try:
        registry, story_dirs, _ = _registry_and_stories(walk)
        reads = [read for _, read in _file_reads(walk, story_dirs, registry)]
        parts = workers.share(len(reads), READ_SHARED_FROM)
        first = len(walk.problems)
        for problems, passed, drafts in workers.run([functools.partial(_read, walk, reads[part::parts], first)
                                                     for part in range(parts)])[1:]:
            walk.problems.extend(problems)
            for key, draft in passed.items():
                cache.add(key, draft)
            for story, flags in drafts.items():
                walk.drafts.setdefault(story, []).extend(flags)
        notes = _unpublished_stories(walk)
        if walk.problems:
            raise ContentErrors(walk.problems, notes)
    finally:
        cache.save()
    briefs = [draft for flags in walk.drafts.values() for draft in flags]
    return Checked(len(walk.story_files), len(briefs), briefs.count(True), notes)


def _unpublished_stories(walk: _Walk) -> list[Problem]:
    """A note for each story with no brief, or only drafts: it is not published yet."""
    notes = []
    for story, path in walk.story_files.items():
        drafts = walk.drafts.get(story, [])
        if not drafts:
            why = (f"it has no brief yet; add a brief file to briefs/{story}/ "
                   f"(briefs new {story} \"<title>\" writes one)")
        elif all(draft is True for draft in drafts):
            why = ("its only brief is a draft (draft: true); set draft: false in it" if len(drafts) == 1 else
                   f"its {len(drafts)} briefs are all drafts (draft: true); set draft: false in a brief")
            why += ", or delete that line, to publish it"
        else:
            continue
        notes.append(Problem(walk.shown(path), 1, 1, f"this story is not published yet: {why}", "note"))
    return notes


# A project of this many files or more is read by several processes:
# starting a second costs less than the half it reads from about 100.
READ_SHARED_FROM = 100
Read = tuple[list[Problem], dict[str, bool], dict[str, list[bool | None]]]
FileRead = Callable[[], Story | Brief | None]


def _file_reads(walk: _Walk, story_dirs: list[Path], registry: dict[str, Source] | None) -> list[tuple[Path, FileRead]]:
    """Every story.yaml and brief to read, each with its story folder, in
    the order one process reads them; the errors of the folders' listings."""
    reads: list[tuple[Path, FileRead]] = []
    for folder in story_dirs:
        story_file, brief_files = _story_files(walk, folder)
        if story_file is not None:
            walk.story_files[folder.name] = story_file
            reads.append((folder, functools.partial(_story_file, walk, story_file)))
        reads += [(folder, functools.partial(_brief, walk, path, stem, folder.name, registry)) for stem, path in brief_files]
    return reads


def _read(walk: _Walk, reads: list[FileRead], first: int) -> Read:
    """Read the files; the problems after the `first`, the keys the cache
    took, and which briefs read are drafts."""
    for read in reads:
        read()
    return walk.problems[first:], walk.cache.passed, walk.drafts  # type: ignore[union-attr]  # a check's walk has its cache


def _read_shared(walk: _Walk, reads: list[FileRead], workers: Workers, parts: int) -> list:
    """Each file's record (or None), as `[read() for read in reads]`, each
    of `parts` processes reading every parts-th file; the copies send
    theirs back with their problems."""
    tasks: list[Callable[[], Any]] = [functools.partial(_records, reads[0::parts])]
    tasks += [functools.partial(_their_records, walk, reads[part::parts]) for part in range(1, parts)]
    mine, *theirs = workers.run(tasks)
    results: list = [None] * len(reads)
    results[0::parts] = mine
    for part, (problems, records) in enumerate(theirs, start=1):
        results[part::parts] = records
        walk.problems.extend(problems)
    return results


def _records(reads: list[FileRead]) -> list:
    return [read() for read in reads]


def _their_records(walk: _Walk, reads: list[FileRead]) -> tuple[list[Problem], list]:
    """In a copy: the problems it found, and the records of the files it read."""
    first = len(walk.problems)
    records = _records(reads)
    return walk.problems[first:], records


def _stories(walk: _Walk, folders: list[Path], records: list) -> list[StoryEntry]:
    """The stories of a project without problems, from each file's record
    and folder: every folder has its story, its briefs in order of time."""
    grouped: dict[Path, list] = {}
    for folder, record in zip(folders, records):
        grouped.setdefault(folder, []).append(record)
    timezone = walk.settings.timezone
    return [StoryEntry(next(r for r in group if isinstance(r, Story)),
                       tuple(sorted((r for r in group if isinstance(r, Brief)), key=lambda b: (moment(b.date, timezone), b.slug))))
            for group in grouped.values()]


def _registry_and_stories(walk: _Walk) -> tuple[dict[str, Source] | None, list[Path], tuple[Author, ...]]:
    """What reading any story or brief needs first: the registry (see
    `_registry`) and the story folders, with the errors of briefs/'s listing,
    and the authors; ContentErrors when there is no briefs/ folder to read."""
    content = walk.root / "briefs"
    if content.is_symlink():
        raise ContentErrors([Problem("briefs", 1, 1, f"briefs/ {SYMLINK_REFUSED}")])
    if not content.is_dir():
        raise ContentErrors([Problem("briefs", 1, 1, "there is no briefs/ folder; run briefs from the project root")])
    story_dirs, shared = _top_level(walk, content)
    return _registry(walk, content, shared.get("sources")), story_dirs, _authors(walk, shared.get("authors"))


def _visible(walk: _Walk, folder: Path) -> list[Path]:
    """The folder's entries that are not hidden; a symbolic link, hidden or
    not, is an error and is never followed (nor its content quoted)."""
    visible = []
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            walk.file_error(path, f"this {SYMLINK_REFUSED}")
        elif not path.name.startswith("."):
            visible.append(path)
    return visible


SHARED_FILES = ("sources", "authors")  # briefs/<name>.yaml, beside the story folders


def _top_level(walk: _Walk, content: Path) -> tuple[list[Path], dict[str, Path]]:
    """The story folders, and the shared files (SHARED_FILES) by name."""
    story_dirs: list[Path] = []
    shared: dict[str, list[Path]] = {name: [] for name in SHARED_FILES}
    for path in _visible(walk, content):
        if path.is_dir():
            if _slug_ok(walk, path, path.name, "story folder"):
                if path.name in RESERVED_STORY_SLUGS:
                    walk.file_error(path, f"'{path.name}' is a name the site uses itself; choose another story folder name")
                else:
                    story_dirs.append(path)
        elif path.stem in shared and path.suffix in YAML_SUFFIXES:
            shared[path.stem].append(path)
        elif path.name not in ALLOWED_OTHER_FILES:
            walk.file_error(path, "only story folders, sources.yaml, authors.yaml and README.md belong directly under briefs/: move this file into a story folder, or delete it")
    for found in shared.values():
        if len(found) > 1:
            walk.file_error(found[1], f"both {found[0].name} and {found[1].name} exist; keep one")
    return story_dirs, {name: found[0] for name, found in shared.items() if found}


def _slug_ok(walk: _Walk, path: Path, slug: str, what: str) -> bool:
    problem = slug_problem(slug, f"a valid {what} name")
    if problem:
        walk.file_error(path, problem)
    return problem is None


def _registry(walk: _Walk, content: Path, path: Path | None) -> dict[str, Source] | None:
    """The shared sources by id; None when sources.yaml is there but could
    not be read (its error says why)."""
    if path is None:
        linked = any((content / f"sources{suffix}").is_symlink() for suffix in YAML_SUFFIXES)
        return None if linked else {}
    sources = walk.load(path, SOURCES_FILE)
    if sources is None:
        return None
    registry: dict[str, Source] = {}
    shown = walk.shown(path)
    for i, source in enumerate(sources):
        if source.id in registry:
            _id_error(walk, shown, f"[{i}].id", source, f"duplicate source id '{source.id}'; give one of the two another id")
        elif source.id:
            registry[source.id] = source
    return registry


def _id_error(walk: _Walk, shown: str, key_path: str, source: Source | Author, message: str, key: str = "id") -> None:
    node = next((v for k, v in source.node.value if k.value == key), source.node)
    walk.problems.append(Problem(shown, node.line, node.column, f"{key_path}: {message}"))


def _authors(walk: _Walk, path: Path | None) -> tuple[Author, ...]:
    """briefs/authors.yaml: ids and names unique, as a byline finds its
    author by name and the author's page is at its id."""
    if path is None:
        return ()
    authors = walk.load(path, AUTHORS_FILE)
    if not authors:
        return ()
    shown = walk.shown(path)
    ids: dict[str, int] = {}
    names: dict[str, int] = {}
    for i, author in enumerate(authors):
        if author.id in ids:
            _id_error(walk, shown, f"[{i}].id", author, f"duplicate author id '{author.id}' (also [{ids[author.id]}])")
        if author.name in names:
            _id_error(walk, shown, f"[{i}].name", author, f"two authors named '{author.name}' (also [{names[author.name]}]): "
                      "a byline could not tell them apart; write each name as its bylines do, e.g. with a middle initial", key="name")
        ids.setdefault(author.id, i)
        names.setdefault(author.name, i)
    return tuple(authors)


def _story_files(walk: _Walk, folder: Path) -> tuple[Path | None, list[tuple[str, Path]]]:
    """The folder's story.yaml and its briefs (slug, path), with the errors of its listing."""
    files: dict[str, list[Path]] = {}
    for path in _visible(walk, folder):
        if path.is_file() and path.suffix in YAML_SUFFIXES:
            files.setdefault(path.stem, []).append(path)
        elif path.name not in ALLOWED_OTHER_FILES:
            walk.file_error(path, "a story folder holds only story.yaml and one .yaml file per brief: move this file out of briefs/, or delete it")
    for stem, paths in files.items():
        if len(paths) > 1:
            walk.file_error(paths[1], f"{paths[0].name} and {paths[1].name} have the same name; keep one")
    story_file = files.pop("story", [None])[0]
    if story_file is None:
        walk.file_error(folder, "the story folder has no story.yaml: add one with the story's title and summary")
    return story_file, [(stem, paths[0]) for stem, paths in files.items()]


def _story_file(walk: _Walk, path: Path) -> Story | None:
    first = len(walk.problems)
    story = walk.load(path, STORY)
    if len(walk.problems) == first:
        walk.passed(path)
    return None if story is None else dataclasses.replace(story, slug=path.parent.name, path=walk.shown(path))


def _brief(walk: _Walk, path: Path, slug: str, story: str, registry: dict[str, Source] | None) -> Brief | None:
    """The brief, or None when it cannot be published; every error of its
    name and of each of its fields is reported either way, so fixing one
    never reveals another."""
    publishable = _slug_ok(walk, path, slug, "brief file")
    if publishable and slug in RESERVED_BRIEF_SLUGS:
        walk.file_error(path, f"'{slug}' is the story page's own name; choose another file name")
        publishable = False
    first = len(walk.problems)
    brief = walk.load(path, BRIEF, depends_on=walk.registry_ids(registry))
    if brief is None:
        # passed before, unchanged (a draft or not), or not readable (None)
        walk.drafts.setdefault(story, []).append(walk.known_draft(path))
        return None
    walk.drafts.setdefault(story, []).append(bool(brief.draft))
    brief = _resolve_sources(walk, dataclasses.replace(brief, slug=slug, story=story, path=walk.shown(path)), registry)
    if len(walk.problems) == first:
        walk.passed(path, bool(brief.draft))
    # Without a valid date a brief has no place in its story; its error is reported.
    return brief if publishable and brief.date is not None else None


def _resolve_sources(walk: _Walk, brief: Brief, registry: dict[str, Source] | None) -> Brief:
    """Replace every SourceId by its Source; unknown and duplicate ids are errors,
    except that an id is not called unknown when sources.yaml could not be read
    (one error there, not one for every citation)."""
    unreadable = registry is None
    registry = registry or {}
    local: dict[str, Source] = {}
    for i, source in enumerate(brief.sources):
        if source.id is None:  # its missing id is reported already
            continue
        if source.id in registry:
            _id_error(walk, brief.path, f"sources[{i}].id", source, f"source id '{source.id}' is already in briefs/sources.yaml; cite it without redefining it")
        elif source.id in local:
            _id_error(walk, brief.path, f"sources[{i}].id", source, f"duplicate source id '{source.id}'; give one of the two another id")
        else:
            local[source.id] = source
    known = {**registry, **local}

    def resolve(ref: Source | None) -> Source | None:
        if not isinstance(ref, SourceId):
            return ref
        if ref.id in known:
            return known[ref.id]
        if unreadable:
            return None
        hint = did_you_mean(ref.id, local, walk.registry_spellings(registry))
        walk.problems.append(Problem(brief.path, ref.node.line, ref.node.column,
                                     f"{ref.at.path}: unknown source id '{ref.id}'{hint}"))
        return None

    if not walk.keeps_model:  # the errors are all `briefs check` wants
        for ref in (*(r for c in brief.what_we_know or () for r in c.sources),
                    *(q.source for p in brief.positions for q in p.quotes), *(e.source for e in brief.timeline)):
            resolve(ref)
        return brief
    claims = tuple(
        dataclasses.replace(c, sources=tuple(s for r in c.sources if (s := resolve(r))))
        for c in brief.what_we_know or ()
    )
    positions = tuple(
        dataclasses.replace(p, quotes=tuple(dataclasses.replace(q, source=resolve(q.source)) for q in p.quotes))
        for p in brief.positions
    )
    timeline = tuple(dataclasses.replace(e, source=resolve(e.source)) for e in brief.timeline)
    return dataclasses.replace(brief, what_we_know=claims, positions=positions, timeline=timeline)
