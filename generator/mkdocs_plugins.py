"""Our MkDocs plugins, added by generator/mkdocs_engine.py (never named in
mkdocs.yml, which another engine reads too); imported only when MkDocs runs."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import jinja2
import jinja2.ext
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils.meta import YAML_RE


class CompiledThemeTemplates(BasePlugin):
    """MkDocs compiles Material's templates on every build, and a preview
    builds on every save; Jinja's bytecode cache keeps them compiled in
    build/jinja, each under a checksum of its source, so an edited
    template is compiled again. They are compiled without the indentation
    of their lines (`UnindentedTemplates`), hence the cache's own name."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.cache = jinja2.FileSystemBytecodeCache(str(folder), pattern="__unindented_%s.cache")

    def on_env(self, env, *, config, files):
        env.add_extension(UnindentedTemplates)
        env.bytecode_cache = self.cache
        return env


class UnindentedTemplates(jinja2.ext.Extension):
    """Removes the spaces and tabs that start each line of a theme
    template: indentation for the templates' authors that every reader
    would download (about 3 KB a brief, 15 MiB of a 5,000-brief site). In
    HTML a line break alone still separates what the spaces did; no
    theme template holds <pre> or <textarea>, where they would show
    (tested). The page's own content is a value, not template source, so
    its code blocks keep theirs."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _LINE_INDENTATION.sub("", source)


_LINE_INDENTATION = re.compile(r"^[ \t]+", re.MULTILINE)


class SkipPages(BasePlugin):
    """Marks pages excluded from this MkDocs run: they are neither read nor
    built, while links to them still resolve (MkDocs logs those at INFO)."""

    def __init__(self, skipped: frozenset[str]):
        self.skipped = skipped

    def on_files(self, files, *, config):
        from mkdocs.structure.files import InclusionLevel

        for file in files:
            if file.src_uri in self.skipped:
                file.inclusion = InclusionLevel.EXCLUDED
        return files


class JsonFrontMatter(BasePlugin):
    """Our pages' front matter is JSON (generator/page_meta.py), which MkDocs
    reads as YAML: a call of PyYAML's Python constructor for every value of
    every page. Here the C JSON decoder reads it, to the same `page.meta`:
    the render has read every text of it back through MkDocs' reader
    (page_meta.FrontMatter), and JSON's other values are ours. A page
    without JSON front matter is left to MkDocs."""

    def __init__(self):
        self.meta: dict[str, dict] = {}

    def on_page_read_source(self, page, *, config):
        text = page.file.content_string
        found = YAML_RE.match(text)
        if found is None or not found.group(1).startswith("{"):
            return None
        try:
            meta = json.loads(found.group(1))
        except ValueError:
            return None
        self.meta[page.file.src_uri] = meta
        return "---\n{}\n---\n" + text[found.end():]  # an empty mapping: MkDocs keeps the body as it would

    @event_priority(100)  # before any other plugin reads page.meta
    def on_page_markdown(self, markdown, *, page, config, files):
        meta = self.meta.pop(page.file.src_uri, None)
        if meta is not None:
            page.meta = meta
        return markdown


class BuildDate(BasePlugin):
    """Dates the build by the content, not the clock, so a build is
    reproducible. MkDocs reads that date from SOURCE_DATE_EPOCH in the
    environment (each page's `update_date`, hence the sitemap's dates and
    its gzip time, and the templates' `build_date_utc`); setting it here on
    the pages and contexts leaves the process environment alone."""

    def __init__(self, epoch: int):
        self.moment = datetime.fromtimestamp(epoch, timezone.utc)

    def on_env(self, env, *, config, files):  # every page exists by now; the sitemap is built next
        for file in files.documentation_pages():
            if file.page is not None:
                file.page.update_date = self.moment.strftime("%Y-%m-%d")
        return env

    def on_template_context(self, context, *, template_name, config):
        context["build_date_utc"] = self.moment
        return context

    def on_page_context(self, context, *, page, config, nav):
        context["build_date_utc"] = self.moment
        return context
