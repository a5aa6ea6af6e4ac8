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
from .build import CONFIG, DOCS, SEEDS, SITE, StrictError, build, log_warning
from .executor import EXECUTORS, Runner
from .read import InputError, discover, read_topic

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
    b.add_argument("--jobs", type=_positive, default=None, metavar="N", help="topics processed at once (default: one per core)")
    b.add_argument("--executor", choices=EXECUTORS, default="local", help="where topics run (default: %(default)s)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address for --executor dask, e.g. tcp://host:8786")
    b.add_argument("--no-cache", action="store_true", help="redo every topic, ignoring and not updating <docs>/.cache")

    s = sub.add_parser("serve", help="build, then preview with live reload on changes to seeds and templates")
    s.add_argument("--seeds", type=Path, default=SEEDS, help="folder of topics (default: %(default)s)")
    s.add_argument("--docs", type=Path, default=DOCS, help="docs folder to write (default: %(default)s)")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    g = sub.add_parser("group", help="propose topics for the loose article files in the seeds folder")
    g.add_argument("--seeds", type=Path, default=SEEDS, help="folder of topics (default: %(default)s)")
    g.add_argument("--write", action="store_true", help="move grouped files into topic folders with a topic.yml")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "build" and (args.executor == "dask") != bool(args.scheduler):
        parser.error("--executor dask and --scheduler ADDRESS go together")
    try:
        if args.command == "build":
            runner = Runner(args.jobs, args.executor, args.scheduler)
            build(args.seeds, args.docs, None if args.no_site else args.site, strict=args.strict, runner=runner, use_cache=not args.no_cache)
        elif args.command == "group":
            return group(args.seeds, args.write)
        elif args.command == "serve":
            return serve(args.seeds, args.docs, args.dev_addr)
    except (InputError, StrictError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    return 0


def serve(seeds: Path, docs: Path, dev_addr: str) -> int:
    """Generate the docs, then run MkDocs' preview server; its hook regenerates on every rebuild.

    The seeds folder is watched too (``mkdocs.yml`` only names the project's own ``seeds/``).
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    build(seeds, docs, None)
    os.environ["SOURCE_COMPARE_SEEDS"] = str(seeds.resolve())
    mkdocs_serve(
        config_file=str(CONFIG),
        dev_addr=dev_addr,
        livereload=True,
        build_type="dirty",  # a reload renders only the pages whose files the generator rewrote
        strict=False,  # a warning (such as MkDocs' note on dirty builds) must not stop the preview
        watch=[str(seeds.resolve())],
        docs_dir=str(docs.resolve()),
    )
    return 0


def group(seeds: Path, write: bool) -> int:
    """Print the proposed grouping of the loose files with reasons; with ``write``, apply it."""
    from .group import group_articles, left_out, reasons, topic_slug, topic_title, write_grouping

    loose = next((s for s in discover(seeds, log_warning) if s.loose), None)
    if loose is None:
        print(f"no loose article files in {seeds}; topic folders stay as they are")
        return 0
    pile = read_topic(loose, seeds, log_warning)
    grouping = group_articles(pile.articles)
    for n, g in enumerate(grouping.groups, 1):
        members = [pile.articles[m] for m in g.members]
        shared = ", ".join(f"{name} ({count})" for name, count in g.names) or "none (shared passages only)"
        print(f"topic {n}: {topic_title(members)}  [{topic_slug(members)}]")
        print(f"  {len(members)} articles; rare names its members share (articles naming each): {shared}")
        for a, why in zip(members, reasons(pile.articles, g)):
            print(f"  - {a.path}: {why}")
    if grouping.unmatched:
        print("unmatched (each becomes a topic of its own):")
        for miss in grouping.misses:
            print(f"  - {pile.articles[miss.article].path}: {left_out(pile.articles, grouping, miss)}")
    if write:
        for folder in write_grouping(pile, seeds):
            print(f"wrote {folder}", file=sys.stderr)
    else:
        print("dry run: nothing moved (use --write to move files into topic folders)", file=sys.stderr)
    return 0
