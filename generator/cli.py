"""The `briefs` command: check, build, serve, edit, new, schemas.

Content errors are reported here, in one place, and set the exit status:
0 fine, 1 content errors, 2 usage mistakes. A traceback is a bug.
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from pathlib import Path

from .build import ENGINES, build_site, check_with_cache
from .card_text import MissingFonts
from .corrections import lost_corrections
from .new_brief import CannotCreate, new_brief
from .problems import ContentErrors
from .schemas import EDITOR_GUIDE, SCHEMAS_DIR, STATUS_STYLES, write_all
from .stage_clock import timings_table
from .stopping import stopped_as_interrupted
from .summary import summary
from .workers import WorkerLost, Workers, cores


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = Path.cwd()
    if not (root / "mkdocs.yml").is_file():
        print("briefs: no mkdocs.yml here; run briefs from the project root", file=sys.stderr)
        return 2
    try:
        with stopped_as_interrupted():
            return args.run(args, root)
    except ContentErrors as errors:
        report(errors.problems, args.format)
        return 1
    except (MissingFonts, WorkerLost) as trouble:  # the machine's, not the content's: nothing published
        print(f"briefs: {trouble}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"briefs {args.command}: stopped", file=sys.stderr)
        return 130


def report(problems, output_format: str = "human") -> None:
    show(problems, output_format)
    count = len(problems)
    print(f"{count} error{'s' if count != 1 else ''}.", file=sys.stderr)


def show(problems, output_format: str = "human") -> None:
    """Errors or notes, one line each; with --format github, as annotations too."""
    for problem in problems:
        print(problem.human(), file=sys.stderr)
        if output_format == "github":
            print(problem.github())


def _check(args, root: Path) -> int:
    problems = lost_corrections(root, args.against)
    checked = None
    try:
        checked = check_with_cache(root, Workers(args.jobs))
        show(checked.notes, args.format)
    except ContentErrors as errors:
        problems += errors.problems
        show(errors.notes, args.format)
    if args.format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _write_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), summary(root, args.against, problems))
    if problems or checked is None:
        raise ContentErrors(problems)
    print(checked.line())
    return 0


def _write_summary(path: Path, text: str) -> None:
    """Added to the step's summary file, as GitHub's own steps do."""
    try:
        with path.open("a", encoding="utf-8") as file:
            file.write(text)
    except OSError as failed:
        print(f"briefs check: could not write the summary to {path}: {failed.strerror}", file=sys.stderr)


def _build(args, root: Path) -> int:
    started = time.monotonic()
    missing = ENGINES[args.engine].missing()
    if missing:
        print(f"briefs build: {missing}", file=sys.stderr)
        return 2
    try:
        result = build_site(root, include_drafts=args.drafts, engine=args.engine, waiting=_waiting, workers=Workers(args.jobs))
    except KeyboardInterrupt:
        print("briefs build: stopped; nothing was published, the site is as it was", file=sys.stderr)
        return 130
    briefs, stories = result.briefs, result.stories
    took = time.monotonic() - started
    print(f"Built {briefs} brief{'s' if briefs != 1 else ''} in {stories} stor{'ies' if stories != 1 else 'y'} "
          f"into {result.site} in {took:.1f} s.")
    if args.timings:
        print(timings_table(result.stages, took))
    # Opened from the disk, the site's folder links show folder listings: it needs a server.
    print("To look at it: `make serve` (or `briefs serve`), then open http://127.0.0.1:8000/ ; or, as published:"
          f" python3 -m http.server -d {shlex.quote(str(result.site))} -b 127.0.0.1 8000")
    return 0


def _waiting(holder: int | None) -> None:
    by = f" (process {holder})" if holder else ""
    print(f"briefs build: another build of this project is running{by}; this one starts when it ends", file=sys.stderr, flush=True)


def _schemas(args, root: Path) -> int:
    for path in write_all(root):
        print(path.relative_to(root).as_posix())
    return 0


def _new(args, root: Path) -> int:
    try:
        written = new_brief(root, args.story, args.title)
    except CannotCreate as refused:
        print(f"briefs new: {refused}", file=sys.stderr)
        return 2 if refused.usage else 1
    for path in written:
        print(path.relative_to(root).as_posix())
    return 0


def _serve(args, root: Path) -> int:
    from .serve import serve

    host, port = args.address
    serve(root, host, port, report)
    return 0


def _edit(args, root: Path) -> int:
    """The preview, with the editing form at /admin/ opened in the browser."""
    import webbrowser

    from .cms import ADMIN_DIR
    from .serve import serve

    host, port = args.address
    form = f"http://{host}:{port}/{ADMIN_DIR}/"

    def open_form() -> None:
        print(f"The editing form: {form} . Choose \"Work with Local Repository\" and pick this project's folder"
              " (Chrome, Edge or another Chromium-based browser); the preview shows each save.", flush=True)
        if not args.no_browser:
            webbrowser.open(form)

    serve(root, host, port, report, ready=open_form)
    return 0


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")  # an IPv6 address, written [::1]:8000
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"'{value}' is not HOST:PORT, e.g. 127.0.0.1:8000")
    return host, int(port)


# Each job is a copy of the whole build's memory: beyond a few per core
# they only add memory (the work is bound by CPU), and thousands would
# exhaust it.
JOBS_PER_CORE = 4


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes, e.g. 1 or 4")
    most = JOBS_PER_CORE * cores()
    if int(value) > most:
        raise argparse.ArgumentTypeError(f"{value} processes is more than this machine can use: at most {most} ({JOBS_PER_CORE} per core)")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefs", description="Validate news briefs and build the briefing site.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate every file under briefs/ and print every error")
    check.add_argument("--against", default="HEAD", metavar="REF",
                       help="the published version to compare with, as git names it (default HEAD, the last saved version): "
                            "its corrections must all still be there")
    check.set_defaults(run=_check)
    build = commands.add_parser("build", help="check, then build the whole site into site/")
    build.add_argument("--drafts", action="store_true", help="include briefs marked draft: true")
    build.add_argument("--engine", choices=sorted(ENGINES), default="mkdocs",
                       help="what builds the pages: mkdocs (MkDocs with Material, the default) or zensical")
    build.add_argument("--timings", action="store_true",
                       help="also print how long each stage took, in wall and CPU seconds (stages on two cores take more CPU than wall)")
    build.set_defaults(run=_build)
    new = commands.add_parser("new", help="write a new brief, dated today, with every section stubbed")
    new.add_argument("story", help="the story folder under briefs/, e.g. gaza-truce-talks")
    new.add_argument("title", help="the development's headline; the file name is made from it")
    new.set_defaults(run=_new, format="human")
    schemas = commands.add_parser("schemas", help=f"write the files made from the brief format: the JSON Schemas for editors' tools into {SCHEMAS_DIR}/, "
                                         f"the status styles into {STATUS_STYLES}, the editor guide into {EDITOR_GUIDE}")
    schemas.set_defaults(run=_schemas, format="human")
    serve = commands.add_parser("serve", help="live preview with drafts, rebuilt when a file changes")
    serve.add_argument("-a", "--dev-addr", dest="address", type=_address, default=("127.0.0.1", 8000),
                       metavar="HOST:PORT", help="where to serve the preview (default 127.0.0.1:8000)")
    serve.set_defaults(run=_serve, format="human")
    edit = commands.add_parser("edit", help="the live preview with the editing form (/admin/) opened in your browser")
    edit.add_argument("-a", "--dev-addr", dest="address", type=_address, default=("127.0.0.1", 8000),
                      metavar="HOST:PORT", help="where to serve them (default 127.0.0.1:8000)")
    edit.add_argument("--no-browser", action="store_true", help="print the form's address without opening a browser")
    edit.set_defaults(run=_edit, format="human")
    for command in (check, build):
        command.add_argument("-j", "--jobs", type=_jobs, default=cores(), metavar="N",
                             help=f"how many processes may share the work (default: this machine's cores, {cores()}); "
                                  "1 runs everything in one process, the reference the others match byte for byte")
        command.add_argument("--format", choices=("human", "github"), default="human",
                             help="github: also print errors as GitHub Actions annotations")
    return parser


if __name__ == "__main__":
    sys.exit(main())
