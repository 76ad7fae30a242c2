"""How long do the pathological shapes of editor text take? One run, one table.

    .venv/bin/python benchmarks/shapes.py [--out docs/benchmarks.md]

Each shape is one brief of almost 1 MiB (the largest file briefs reads) in
a project of its own: `briefs check`, then `briefs build`, each timed in
CPU seconds (user + system of the child). The shapes Python-Markdown once
took minutes or a RecursionError on are refused by the limits of
generator/text.py; the last ones are what the limits let through, as
dense as allowed, and are built.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_BYTES = 1_000_000  # the YAML around it keeps the file under 1 MiB
BEGIN, END = "<!-- shapes:begin -->", "<!-- shapes:end -->"


def fill(unit: str, size: int = TEXT_BYTES) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def brief(claim: str = "Something is known.", context: str = "", sources: str = "") -> str:
    return (f"title: Shape\ndate: 2024-05-07\nsummary: A shape.\ncontext: {json.dumps(context)}\n"
            f"what_we_know:\n  - text: {json.dumps(claim)}\n    status: confirmed\n{sources}")


def unknown_ids() -> tuple[str, str]:
    registry = "".join(f"- id: outlet-{n:05d}\n  name: Outlet {n}\n" for n in range(15_000))
    cited = "".join(f"      - outlet-{n:05d}x\n" for n in range(1_000))
    return registry, f"    sources:\n{cited}"


SHAPES = {
    "10^6 '[' after a colon": lambda: brief(claim="see: " + fill("[")),
    "link openers '[a]('": lambda: brief(claim=fill("[a](")),
    "emphasis runs '*a'": lambda: brief(claim=fill("*a")),
    "backtick runs '`a'": lambda: brief(claim=fill("`a")),
    "nesting '> ' (context)": lambda: brief(context=fill("> ")),
    "nesting '- ' (context)": lambda: brief(context=fill("- ")),
    "1,000 unknown ids, 15,000 sources": None,  # two files, below
    "paragraphs of 200 marks (built)": lambda: brief(context=fill("*a* " * 50 + "\n\n")),
    "paragraphs of links (built)": lambda: brief(context=fill("[a](https://example.org/) " * 30 + "\n\n")),
    "one 1 MB paragraph, 8 open '[' (built)": lambda: brief(context="[" * 8 + fill("word ") + " *a*" * 50),
}


def cpu_seconds(project: Path, *args: str) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=project,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result.returncode


def measure(name: str, make, work: Path) -> str:
    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    story = project / "briefs/shape"
    story.mkdir(parents=True)
    (story / "story.yaml").write_text("title: Shape\nsummary: A shape.\n", encoding="utf-8")
    if make is None:
        registry, cited = unknown_ids()
        (project / "briefs/sources.yaml").write_text(registry, encoding="utf-8")
        content = brief(sources=cited)
    else:
        content = make()
    path = story / "2024-05-07-shape.yaml"
    path.write_text(content, encoding="utf-8")
    check, check_status = cpu_seconds(project, "check")
    build, build_status = cpu_seconds(project, "build")
    outcome = "built" if build_status == 0 else "refused" if check_status == 1 else f"exit {build_status}"
    return f"| {name} | {path.stat().st_size:,} | {check:.2f} | {build:.2f} | {outcome} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs/benchmarks.md"))
    out = Path(parser.parse_args().out)
    rows = ["| shape | file bytes | check (CPU s) | build (CPU s) | outcome |", "|---|---:|---:|---:|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in SHAPES.items():
            rows.append(measure(name, make, Path(tmp)))
            print(rows[-1], flush=True)
    table = "\n".join([BEGIN, *rows, END])
    text = out.read_text(encoding="utf-8")
    if BEGIN in text:
        text = text[:text.index(BEGIN)] + table + text[text.index(END) + len(END):]
    else:
        text += "\n" + table + "\n"
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
