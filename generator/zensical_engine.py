"""Zensical, Material's successor: our Markdown -> the site's pages, for
the day Material for MkDocs is gone (its end of life is 5 May 2027).

Zensical reads an mkdocs.yml. The generator writes one for it into build/
(JSON, which is YAML): the project's own settings with our navigation and
build/docs, and runs Zensical's command on it. Zensical ignores the plugins
it does not know and runs the templates in overrides/ without Python, so
the pages carry what our Markdown and the typed front matter carry; the
files we write ourselves (feeds, briefs.json, schemas) are the same.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .engine import BUILD_DIR, DOCS, PreviewRun, site_extra
from .problems import ContentErrors, Problem
from .settings import mkdocs_settings
from .workers import ONE, Workers

CONFIG_NAME = "zensical.yml"
SITE_NAME = "zensical-site"  # Zensical builds only inside its settings' folder


def build_pages(root: Path, site_dir: Path, nav: list | None, epoch: int, preview: PreviewRun | None = None,
                workers: Workers = ONE) -> None:
    """Zensical builds the pages in a process of its own, which shares its work out itself (`workers` unused)."""
    if preview is not None:
        raise ValueError("the preview runs on a PreviewEngine (MkDocs)")
    work = root / BUILD_DIR
    built = work / SITE_NAME
    shutil.rmtree(built, ignore_errors=True)
    config_file = work / CONFIG_NAME
    config_file.write_text(json.dumps(zensical_settings(root, nav), ensure_ascii=False, indent=1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--config-file", str(config_file)],
        cwd=root, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)},
    )
    if result.returncode != 0 or not built.is_dir():
        said = (result.stderr or result.stdout).strip().splitlines() or ["it stopped without a word"]
        raise ContentErrors([Problem("mkdocs.yml", 1, 1, f"Zensical: {said[-1]}")])
    os.rename(built, site_dir)


def zensical_settings(root: Path, nav: list | None) -> dict:
    """The project's mkdocs.yml with our navigation, for a file in build/."""
    settings = mkdocs_settings(root)
    theme = {**(settings.get("theme") or {}), "variant": "classic"}  # Material's look, which overrides/ is made for
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    extra = {**(settings.get("extra") or {}), **site_extra(root)}
    return {**settings, "theme": theme, "extra": extra, "nav": nav, "docs_dir": DOCS, "site_dir": SITE_NAME}


class Zensical:
    """Zensical as our `Engine` (engine.py), chosen with `briefs build --engine zensical`."""

    name = "zensical"
    build_pages = staticmethod(build_pages)

    def missing(self) -> str | None:
        try:
            import zensical  # noqa: F401
        except ImportError:
            return "--engine zensical needs Zensical: pip install zensical"
        return None


ZENSICAL = Zensical()
