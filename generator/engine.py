"""The engine seam: what turns our rendered Markdown into the site's HTML pages.

briefs hands an engine Markdown with HTML blocks, headed by JSON front
matter (page_meta.py), and the project's mkdocs.yml; everything else (the
feeds, briefs.json, the search index, the cards) briefs writes itself,
after the engine, from the model and its own render. An engine is a value
of the `Engine` Protocol: `mkdocs_engine.MKDOCS` (MkDocs with Material,
which also runs the preview) and `zensical_engine.ZENSICAL` implement it
side by side, and `build.ENGINES` picks one by name (`briefs build --engine`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from .page_language import masthead
from .search import theme_extra
from .settings import Settings, SiteAddress, load_settings
from .words import bundled, words_for, words_language
from .workers import ONE, Workers

BUILD_DIR = "build"  # rendered Markdown (build/docs) and caches; not committed
DOCS = "docs"  # under build/: the build's rendered Markdown (a preview renders into its own folder)
WORDS_KEY = "briefs_words"  # config.extra key overrides/partials/language.html reads: the theme's words per language


@dataclass(frozen=True)
class PreviewRun:
    """How `briefs serve` runs the engine: at its own address, from its own
    rendered Markdown (`docs`, never the build's), with the errors of the
    last save above every page, rebuilding only the pages whose Markdown
    changed when nothing that every page shows has."""

    address: SiteAddress
    docs: Path
    errors: tuple[str, ...] = ()
    errors_title: str = ""
    dirty: bool = False


def run_address(settings: Settings, preview: PreviewRun | None) -> SiteAddress:
    """This run's site address: the preview's own, else the site's."""
    return preview.address if preview is not None else SiteAddress.published(settings)


def rendered_pages(root: Path, preview: PreviewRun | None = None) -> Path:
    """The Markdown the engine reads: the preview's own, else the build's,
    build/docs, which only the build holding the project's lock (publish.py)
    writes or reads."""
    return preview.docs if preview is not None else root / BUILD_DIR / DOCS


class Engine(Protocol):
    """What an engine does for us: our Markdown into a folder of HTML pages."""

    @property
    def name(self) -> str:
        """As `--engine` names it."""
        ...

    def missing(self) -> str | None:
        """What to install before it can build, in a sentence; None when it can."""
        ...

    def build_pages(self, root: Path, site_dir: Path, nav: list | None, epoch: int,
                    preview: PreviewRun | None = None, workers: Workers = ONE) -> None:
        """`rendered_pages(root, preview)` into `site_dir`, with the navigation
        `nav` (None: the engine's own), dated by `epoch` (the content's newest
        moment, never the clock), its work shared out between `workers` where
        the engine can. A mistake in the settings or the theme is raised as
        ContentErrors. Only a `PreviewEngine` takes a `preview`."""
        ...


class PreviewEngine(Engine, Protocol):
    """An engine that also runs `briefs serve`: dirty rebuilds at the
    preview's address, served with live reload."""

    def live_reload_server(self, build: Callable[[], None], host: str, port: int, site: Path,
                           watched: list[Path], own_hosts: frozenset[str]):
        """A server of `site` that runs `build` when a watched path changes and
        reloads the browser, answering only requests whose Host is one of `own_hosts`."""
        ...


def site_extra(root: Path) -> dict:
    """What the theme reads from `config.extra` besides mkdocs.yml's own, for
    either engine: the search box's settings, and the words of the page's language."""
    return {**theme_extra(), WORDS_KEY: theme_words(load_settings(root))}


def theme_words(settings: Settings) -> dict:
    """The words the theme shows, for every words language a page can have
    (page.meta.words, generator/words.py): the search box's, the footer
    (the newsroom's masthead) and the language of Material's own words;
    `site` is the site's, for a page without one (404)."""
    pages = {}
    for language in {*bundled(), *settings.words}:
        words = words_for(language, settings.words)
        pages[language] = {"search": words.group("search"), "masthead": masthead(settings, words),
                           "theme": _theme_language(language, settings)}
    return {"site": words_for(settings.language, settings.words).language, "pages": pages}


def _theme_language(language: str, settings: Settings) -> str:
    """Material's translation for a words language (partials/languages/): the
    site's own (theme.language, `pt-BR` say) for the site's words language,
    else Material's file of that language, else the site's."""
    import material

    if words_language(settings.language) == language:
        return settings.language
    name = {"zh-Hans": "zh"}.get(language, language)
    known = Path(material.__file__).parent / "templates" / "partials" / "languages" / f"{name}.html"
    return name if known.is_file() else settings.language
