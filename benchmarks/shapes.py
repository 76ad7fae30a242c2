"""How long do the pathological shapes of editor text take? One run, one table.

    .venv/bin/python benchmarks/shapes.py [--out docs/benchmarks.md]

Each shape is one brief of almost 1 MiB (the largest file briefs reads) in
a project of its own: `briefs check`, then `briefs build`, each timed in
CPU seconds (user + system of the child). The shapes Python-Markdown once
took minutes or a RecursionError on are refused by the limits of
generator/text.py; the others are what the limits let through, as dense
as allowed (marks up to the file's budget, lists as deep as allowed,
thousands of claims, tags, sources...), and are built.

    .venv/bin/python benchmarks/shapes.py --only tags   # some shapes, printed only
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
sys.path.insert(0, str(ROOT))  # this checkout's generator, as the commands below run it
from generator.model import Brief, Claim, Position  # noqa: E402
from generator.schema import ListOf  # noqa: E402
from generator.text import MAX_FILE_MARKS, marks  # noqa: E402
TEXT_BYTES = 1_000_000  # the YAML around it keeps the file under 1 MiB
BEGIN, END = "<!-- shapes:begin -->", "<!-- shapes:end -->"


def fill(unit: str, size: int = TEXT_BYTES) -> str:
    """`unit` repeated to about `size` bytes as it is written in the file (a JSON string)."""
    bytes_per_character = (len(json.dumps(unit, ensure_ascii=False).encode()) - 2) / len(unit)
    characters = int(size / bytes_per_character)
    return (unit * (characters // len(unit) + 1))[:characters]


def brief(claim: str = "Something is known.", context: str = "", sources: str = "", more: str = "") -> str:
    return (f"title: Shape\ndate: 2024-05-07\nsummary: A shape.\ncontext: {json.dumps(context, ensure_ascii=False)}\n"
            f"what_we_know:\n  - text: {json.dumps(claim, ensure_ascii=False)}\n    status: confirmed\n{sources}{more}")


def items(unit: str, size: int = TEXT_BYTES) -> str:
    """As many copies of a YAML list item (`unit`, with {n} for its number) as fit in `size` bytes."""
    out, total, n = [], 0, 0
    while total + len(unit) + 8 < size:
        item = unit.replace("{n}", str(n))
        out.append(item)
        total, n = total + len(item.encode()), n + 1
    return "".join(out)


def citing(ids: list[str]) -> str:
    """A brief whose claims cite `ids`, as many to a claim as a claim may cite."""
    per_claim = Claim.FIELDS["sources"].type.max_items
    claims = "".join(f"  - text: Claim {n}.\n    status: reported\n    sources: [{', '.join(ids[n:n + per_claim])}]\n"
                     for n in range(0, len(ids), per_claim))
    return brief(more=claims)


def unknown_ids() -> tuple[str, str]:
    registry = "".join(f"- id: outlet-{n:05d}\n  name: Outlet {n}\n" for n in range(15_000))
    return registry, citing([f"outlet-{n:05d}x" for n in range(1_000)])


def registry_shape() -> tuple[str, str]:
    """A sources.yaml of almost 1 MiB, 1,000 of its sources cited."""
    registry = items("- id: outlet-{n}\n  name: Outlet {n}\n  url: https://example.org/{n}\n", TEXT_BYTES - 20_000)
    return registry, citing([f"outlet-{n}" for n in range(1_000)])


def marked(paragraph: str, budget: int = MAX_FILE_MARKS, size: int = TEXT_BYTES) -> str:
    """As many paragraphs of marks as the budget allows (each line break of
    block text counts as one too), then prose to `size` bytes, one paragraph."""
    dense = paragraph * ((budget - 2) // marks(paragraph, block=True))
    return dense + fill("The talks resumed in Cairo on Tuesday. ", size - len(dense))


def at_every_cap() -> str:
    """Every list of a brief as long as the declaration allows, claims with
    links, emphasis and 20 sources each, then the marks budget spent in the
    context and prose up to 1 MB."""
    caps = {name: field.type.max_items for name, field in Brief.FIELDS.items() if isinstance(field.type, ListOf)}
    cite = caps["sources"] and min(caps["sources"], Claim.FIELDS["sources"].type.max_items)
    ids = ", ".join(f"s{i}" for i in range(cite))
    yaml_lists = {
        "what_we_know": "".join(f"  - text: Claim {n} [link](https://example.org/{n}) *now*.\n    status: reported\n    sources: [{ids}]\n"
                                for n in range(caps["what_we_know"])),
        "what_we_dont_know": "".join(f"  - Question {n}?\n" for n in range(caps["what_we_dont_know"])),
        "positions": "".join(f"  - party: Party {n}\n    stance: Stance {n}.\n    quotes:\n" + "".join(
            f"      - text: Quote {q}.\n        by: Someone\n        source: s0\n" for q in range(Position.FIELDS["quotes"].type.max_items))
            for n in range(caps["positions"])),
        "timeline": "".join(f"  - date: 2024-05-0{1 + n % 7}\n    text: Event {n}.\n    source: s1\n" for n in range(caps["timeline"])),
        "whats_next": "".join(f"  - Next {n}.\n" for n in range(caps["whats_next"])),
        "sources": "".join(f"  - id: s{n}\n    name: Source {n}\n    url: https://example.org/s{n}\n" for n in range(caps["sources"])),
        "corrections": "".join(f"  - date: 2024-05-08\n    text: Correction {n}.\n" for n in range(caps["corrections"])),
        "tags": "".join(f"  - Tag {n}\n" for n in range(caps["tags"])),
        "authors": "".join(f"  - Author {n}\n" for n in range(caps["authors"])),
    }
    lists = "".join(f"{name}:\n{items}" for name, items in yaml_lists.items())
    spent = sum(marks(line) for line in lists.splitlines())
    head = "title: Shape\ndate: 2024-05-07\nsummary: A shape.\n"
    context = marked("*a* " * 50 + "\n\n", MAX_FILE_MARKS - spent, TEXT_BYTES - len(lists.encode()) - 200)
    return f"{head}context: {json.dumps(context, ensure_ascii=False)}\n{lists}"


# A list nested as deep as the limit lets through.
DEEP_LIST = "".join("    " * level + f"- level {level}\n" for level in range(8)) + "\n"


SHAPES = {
    "10^6 '[' after a colon": lambda: brief(claim="see: " + fill("[")),
    "link openers '[a]('": lambda: brief(claim=fill("[a](")),
    "emphasis runs '*a'": lambda: brief(claim=fill("*a")),
    "backtick runs '`a'": lambda: brief(claim=fill("`a")),
    "nesting '> ' (context)": lambda: brief(context=fill("> ")),
    "nesting '- ' (context)": lambda: brief(context=fill("- ")),
    "1,000 unknown ids, 15,000 sources": unknown_ids,
    "paragraphs of 200 marks": lambda: brief(context=fill("*a* " * 50 + "\n\n")),
    "paragraphs of links": lambda: brief(context=fill("[a](https://example.org/) " * 30 + "\n\n")),
    "one 1 MB paragraph, 8 open '['": lambda: brief(context="[" * 8 + fill("word ") + " *a*" * 50),
    "10,000 marks of emphasis, then prose": lambda: brief(context=marked("*a* " * 50 + "\n\n")),
    "10,000 marks of links, then prose": lambda: brief(context=marked("[a](https://example.org/) " * 30 + "\n\n")),
    "plain prose (baseline)": lambda: brief(context=fill("The talks resumed in Cairo on Tuesday. " * 20 + "\n\n")),
    "prose, one line per sentence": lambda: brief(context=fill("The talks resumed in Cairo on Tuesday.\n")),
    "one unbroken word": lambda: brief(context=fill("x")),
    "emoji and right-to-left text": lambda: brief(context=fill("محادثات 😀 שיחות " * 20 + "\n\n")),
    "HTML- and table-looking text": lambda: brief(context=fill("<b>x</b> | a | b |\n|---|---|\n<script>x</script> &amp; &#60; {{ x }} {: .x }\n\n")),
    "entities '&amp;'": lambda: brief(context=fill("&amp; &#38; &lt; ")),
    "escapes '\\*'": lambda: brief(context=fill("\\* \\[ \\` " * 20 + "\n\n")),
    "lists 8 deep": lambda: brief(context=fill(DEEP_LIST)),
    "lists 8 deep to the budget, then prose": lambda: brief(context=marked(DEEP_LIST)),
    "headings to the budget, then prose": lambda: brief(context=marked("### a\n\n")),
    "headings '### a'": lambda: brief(context=fill("### a\n\n")),
    "every list at its cap, marks to the budget": at_every_cap,
    "tiny claims": lambda: brief(more=items("  - text: a{n}\n    status: confirmed\n")),
    "claims citing 20 sources": lambda: brief(
        sources="    sources: [s0]\n",
        more=items("  - text: a{n}\n    status: reported\n    sources: [" + ", ".join(f"s{i}" for i in range(20)) + "]\n", TEXT_BYTES - 2_000)
        + "sources:\n" + "".join(f"  - id: s{i}\n    name: S{i}\n" for i in range(20))),
    "sources.yaml of 1 MB, 1,000 cited": registry_shape,
    "tags": lambda: brief(more="tags:\n" + items("  - t{n}\n")),
    "open questions": lambda: brief(more="what_we_dont_know:\n" + items("  - q{n}?\n")),
    "timeline events": lambda: brief(more="timeline:\n" + items("  - date: 2024\n    text: e{n}\n")),
    "positions with quotes": lambda: brief(more="positions:\n" + items(
        "  - party: p{n}\n    stance: s\n    quotes:\n      - text: q\n        by: b\n        source: {name: n}\n")),
    "corrections": lambda: brief(more="corrections:\n" + items("  - date: 2024-05-08\n    text: c{n}\n")),
    "authors": lambda: brief(more="authors:\n" + items("  - a{n}\n")),
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
    shutil.copy(ROOT / "tests/fixtures/example/mkdocs.yml", project)  # the frozen example's settings, not the newsroom's
    shutil.copytree(ROOT / "overrides", project / "overrides")
    story = project / "briefs/shape"
    story.mkdir(parents=True)
    (story / "story.yaml").write_text("title: Shape\nsummary: A shape.\n", encoding="utf-8")
    content = make()
    if isinstance(content, tuple):  # a sources.yaml and a brief citing it
        registry, content = content
        (project / "briefs/sources.yaml").write_text(registry, encoding="utf-8")
    path = story / "2024-05-07-shape.yaml"
    path.write_text(content, encoding="utf-8")
    check, check_status = cpu_seconds(project, "check")
    build, build_status = cpu_seconds(project, "build")
    outcome = "built" if build_status == 0 else "refused" if check_status == 1 else f"exit {build_status}"
    return f"| {name} | {path.stat().st_size:,} | {check:.2f} | {build:.2f} | {outcome} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs/benchmarks.md"))
    parser.add_argument("--only", help="run the shapes whose name holds this text; print, write nothing")
    args = parser.parse_args()
    out = Path(args.out)
    rows = ["| shape | file bytes | check (CPU s) | build (CPU s) | outcome |", "|---|---:|---:|---:|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in SHAPES.items():
            if args.only is None or args.only in name:
                rows.append(measure(name, make, Path(tmp)))
                print(rows[-1], flush=True)
    if args.only is not None:
        return
    table = "\n".join([BEGIN, *rows, END])
    text = out.read_text(encoding="utf-8")
    if BEGIN in text:
        text = text[:text.index(BEGIN)] + table + text[text.index(END) + len(END):]
    else:
        text += "\n" + table + "\n"
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
