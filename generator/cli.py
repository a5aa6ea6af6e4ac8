"""Command line: ``generator build`` and ``generator serve``.

Progress goes to stderr.  A bad input ends the run with exit code 2 and one
line that names the file and the problem.  Problems the build works around
(a bad file left out) are ``warning:`` lines; ``--strict`` makes them end the
run with exit code 2 before anything is written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import CONFIG, DOCS, SEEDS, SITE, StrictError, build
from .read import InputError

EXIT_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="generator", description="Build source-comparison pages from folders of articles.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build docs pages and the static site from a seeds folder")
    b.add_argument("--seeds", type=Path, default=SEEDS, help="folder of topics (default: %(default)s)")
    b.add_argument("--docs", type=Path, default=DOCS, help="docs folder to write (default: %(default)s)")
    b.add_argument("--site", type=Path, default=SITE, help="site folder to write (default: %(default)s)")
    b.add_argument("--no-site", action="store_true", help="stop after writing the docs folder")
    b.add_argument("--strict", action="store_true", help="treat input warnings as errors: exit 2 and write nothing")

    s = sub.add_parser("serve", help="build, then preview with live reload on changes to seeds and templates")
    s.add_argument("--seeds", type=Path, default=SEEDS, help="folder of topics (default: %(default)s)")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            build(args.seeds, args.docs, None if args.no_site else args.site, strict=args.strict)
        elif args.command == "serve":
            return serve(args.seeds, args.dev_addr)
    except (InputError, StrictError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    return 0


def serve(seeds: Path, dev_addr: str) -> int:
    """Generate the docs, then run MkDocs' preview server; its hook regenerates on every rebuild."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    build(seeds, DOCS, None)
    os.environ["SOURCE_COMPARE_SEEDS"] = str(seeds.resolve())
    mkdocs_serve(config_file=str(CONFIG), dev_addr=dev_addr, livereload=True)
    return 0
