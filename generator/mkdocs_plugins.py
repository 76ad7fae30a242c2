"""Our MkDocs plugins, added by generator/mkdocs_engine.py (never named in
mkdocs.yml, which another engine reads too); imported only when MkDocs runs."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import jinja2
from mkdocs.plugins import BasePlugin


class CompiledThemeTemplates(BasePlugin):
    """MkDocs compiles Material's templates on every build, and a preview
    builds on every save; Jinja's bytecode cache keeps them compiled in
    build/jinja, each under a checksum of its source, so an edited
    template is compiled again."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.cache = jinja2.FileSystemBytecodeCache(str(folder))

    def on_env(self, env, *, config, files):
        env.bytecode_cache = self.cache
        return env


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
