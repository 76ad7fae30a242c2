"""The `briefs` command: check, build, serve (new comes with its issue).

Content errors are reported here, in one place, and set the exit status:
0 fine, 1 content errors, 2 usage mistakes. A traceback is a bug.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .build import build_site, check_project
from .problems import ContentErrors


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = Path.cwd()
    if not (root / "mkdocs.yml").is_file():
        print("briefs: no mkdocs.yml here; run briefs from the project root", file=sys.stderr)
        return 2
    try:
        return args.run(args, root)
    except ContentErrors as errors:
        report(errors.problems, args.format)
        return 1


def report(problems, output_format: str = "human") -> None:
    for problem in problems:
        print(problem.human(), file=sys.stderr)
        if output_format == "github":
            print(problem.github())
    count = len(problems)
    print(f"{count} error{'s' if count != 1 else ''}.", file=sys.stderr)


def _check(args, root: Path) -> int:
    check_project(root)
    return 0


def _build(args, root: Path) -> int:
    started = time.monotonic()
    result = build_site(root, include_drafts=args.drafts)
    briefs = sum(len(entry.briefs) for entry in result.project.stories)
    stories = len(result.project.stories)
    print(f"Built {briefs} brief{'s' if briefs != 1 else ''} in {stories} stor{'ies' if stories != 1 else 'y'} "
          f"into {result.site} in {time.monotonic() - started:.1f} s; open {result.site / 'index.html'}")
    return 0


def _serve(args, root: Path) -> int:
    from .serve import serve

    host, port = args.address
    serve(root, host, port, report)
    return 0


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"'{value}' is not HOST:PORT, e.g. 127.0.0.1:8000")
    return host, int(port)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefs", description="Validate news briefs and build the briefing site.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate every file under briefs/ and print every error")
    check.set_defaults(run=_check)
    build = commands.add_parser("build", help="check, then build the whole site into site/")
    build.add_argument("--drafts", action="store_true", help="include briefs marked draft: true")
    build.set_defaults(run=_build)
    serve = commands.add_parser("serve", help="live preview with drafts, rebuilt when a file changes")
    serve.add_argument("-a", "--dev-addr", dest="address", type=_address, default=("127.0.0.1", 8000),
                       metavar="HOST:PORT", help="where to serve the preview (default 127.0.0.1:8000)")
    serve.set_defaults(run=_serve, format="human")
    for command in (check, build):
        command.add_argument("--format", choices=("human", "github"), default="human",
                             help="github: also print errors as GitHub Actions annotations")
    return parser


if __name__ == "__main__":
    sys.exit(main())
