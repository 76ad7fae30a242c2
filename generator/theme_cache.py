"""The theme's templates compiled once, not on every MkDocs build."""
from __future__ import annotations

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
