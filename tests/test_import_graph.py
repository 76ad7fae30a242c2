"""Data flows one way: files -> validated model -> Markdown -> site. A stage
may import from its own stage or an earlier one, never from a later one, so
no stage reaches back. A new module must say which stage it belongs to."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

STAGES = [
    ("shared", {"problems", "stopping", "workers", "stage_clock", "transliteration"}),
    ("load", {"yaml_engine", "load_yaml", "yaml_slips"}),
    ("model", {"markdown_engine", "text", "schema", "model", "words", "settings", "check_cache", "validate", "notes"}),
    ("render", {"changes", "page_meta", "sharing", "tags", "page_language", "stubs", "docs_folder", "render"}),
    ("build", {"feeds", "news_sitemap", "html_blocks", "mkdocs_plugins", "search", "engine", "mkdocs_engine", "zensical_engine", "card_text", "cards", "cms", "embed", "schemas", "publish", "build"}),
    ("command", {"serve", "new_brief", "corrections", "summary", "cli"}),
]
STAGE_OF = {module: rank for rank, (_, modules) in enumerate(STAGES) for module in modules}
# What later stages take from render.py: its pages (the Renderer, its cache
# between saves, the guide). Helpers they share have homes of their own
# (status counts and a brief's tags in model.py, words and dates in
# page_language.py, the page files in docs_folder.py, stubs in stubs.py),
# so render.py stays the Markdown stage rather than a hub.
RENDER_API = {"Renderer", "PageCache", "guide_markdown", "guide_for_github"}


def generator_imports(path: Path) -> set[str]:
    """The generator modules a module imports, at its top or inside a function."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                imported.add(node.module.split(".")[0])
            else:  # from . import model
                imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
            imported.add(node.module.split(".")[1])
    return imported


def names_taken(path: Path, module: str) -> set[str]:
    """The names a module imports from the generator module `module`."""
    return {
        alias.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        and ((node.level == 1 and node.module == module) or node.module == f"generator.{module}")
        for alias in node.names
    }


def modules() -> dict[str, Path]:
    return {p.stem: p for p in (ROOT / "generator").glob("*.py") if p.stem != "__init__"}


def test_every_module_has_a_stage():
    unplaced = sorted(set(modules()) - set(STAGE_OF))
    assert not unplaced, f"add these modules to STAGES in {Path(__file__).name}: {unplaced}"


def test_no_stage_imports_a_later_one():
    backwards = [
        f"{name} ({STAGES[STAGE_OF[name]][0]}) imports {other} ({STAGES[STAGE_OF[other]][0]})"
        for name, path in modules().items() if name in STAGE_OF
        for other in generator_imports(path) if other in STAGE_OF and STAGE_OF[other] > STAGE_OF[name]
    ]
    assert not backwards


def test_the_check_fails_on_a_backward_import(tmp_path):
    """The test above can fail: a load-stage module importing the renderer is caught."""
    bad = tmp_path / "load_yaml.py"
    bad.write_text("from .render import Renderer\n", encoding="utf-8")
    assert "render" in generator_imports(bad)
    assert STAGE_OF["render"] > STAGE_OF["load_yaml"]


def test_later_stages_take_only_pages_from_the_renderer():
    taken = [
        f"{name} imports {sorted(names_taken(path, 'render') - RENDER_API)} from render"
        for name, path in modules().items() if names_taken(path, "render") - RENDER_API
    ]
    assert not taken, "give these a home of their own, not render.py"


def test_the_check_fails_on_a_helper_taken_from_the_renderer(tmp_path):
    """The test above can fail: a stage taking status counts from render.py is caught."""
    bad = tmp_path / "cards.py"
    bad.write_text("from .render import Renderer, status_counts\nfrom generator.render import fill\n", encoding="utf-8")
    assert names_taken(bad, "render") - RENDER_API == {"status_counts", "fill"}


PARALLEL_MODULES = {"multiprocessing", "concurrent"}  # concurrent.futures' process pools
FORKS = {"fork", "forkpty"}  # os.fork(), os.forkpty()


def runs_work_in_parallel(path: Path) -> list[str]:
    """Where a module imports multiprocessing (or a process pool) or forks."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [f"import {alias.name}" for alias in node.names if alias.name.split(".")[0] in PARALLEL_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in PARALLEL_MODULES:
            found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and any(alias.name in FORKS for alias in node.names):
            found.append("from os import fork")
        elif isinstance(node, ast.Attribute) and node.attr in FORKS and isinstance(node.value, ast.Name) and node.value.id == "os":
            found.append(f"os.{node.attr}")
    return found


def test_workers_is_the_only_module_that_runs_work_in_parallel():
    """One way to run work in parallel (generator/workers.py, behind --jobs):
    no other module imports multiprocessing or forks."""
    elsewhere = {name: found for name, path in modules().items() if name != "workers" and (found := runs_work_in_parallel(path))}
    assert not elsewhere, f"run work in parallel through generator/workers.py: {elsewhere}"
    assert runs_work_in_parallel(modules()["workers"])


def test_the_parallel_check_finds_a_fork_and_a_pool(tmp_path):
    """The test above can fail: each way of starting a process beside us is caught."""
    bad = tmp_path / "render.py"
    bad.write_text("import os\nfrom concurrent.futures import ProcessPoolExecutor\nimport multiprocessing.pool\n"
                   "def f():\n    return os.fork()\n", encoding="utf-8")
    assert runs_work_in_parallel(bad) == ["from concurrent.futures import ...", "import multiprocessing.pool", "os.fork"]
