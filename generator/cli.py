"""Command line: ``generator build`` and ``generator serve``.

Progress goes to stderr.  A bad input ends the run with exit code 2 and one
line that names the file and the problem.  Problems the build works around
(a bad file left out) are ``warning:`` lines; ``--strict`` makes them end the
run with exit code 2 before anything is written.  A failure to write (a full
or read-only disk, no permission, a busy folder) or a failed site build ends
it with exit code 1, Ctrl-C with 130 and SIGTERM with 143: each with one
``error:`` line, and the previous docs and site left as they were.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from generator import __version__
from generator.ingest.problems import Unusable
from generator.ingest.read import discover, read_topic, terminal_safe
from generator.pipeline.build import (
    CONFIG,
    DOCS,
    PLUGIN,
    SEEDS,
    SITE,
    SiteError,
    StrictError,
    build,
    log_stderr,
    log_warning,
    mkdocs_messages,
)
from generator.pipeline.runners import EXECUTORS, Runner

EXIT_INPUT = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM
UNCHANGED = "docs and site left as they were"


class Terminated(BaseException):
    """SIGTERM, raised where the build is so that staging folders are cleaned up on the way out."""


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while the block runs (only the main thread can take signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _os_problem(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


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
        with terminate_cleanly():
            if args.command == "build":
                runner = Runner(args.jobs, args.executor, args.scheduler)
                site = None if args.no_site else args.site
                build(args.seeds, args.docs, site, strict=args.strict, runner=runner, use_cache=not args.no_cache)
            elif args.command == "group":
                return group(args.seeds, args.write)
            elif args.command == "serve":
                return serve(args.seeds, args.docs, args.dev_addr)
    except (Unusable, StrictError) as exc:
        return _error(str(exc), EXIT_INPUT)
    except SiteError as exc:
        return _error(f"{exc}; {UNCHANGED}", EXIT_FAILED)
    except OSError as exc:
        return _error(f"{_os_problem(exc)}; {UNCHANGED}", EXIT_FAILED)
    except KeyboardInterrupt:
        return _error(f"interrupted; {UNCHANGED}", EXIT_INTERRUPTED)
    except Terminated:
        return _error(f"terminated; {UNCHANGED}", EXIT_TERMINATED)
    return 0


def _error(problem: str, code: int) -> int:
    log_stderr(f"error: {problem}")
    return code


def _quiet_dirty_note(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning on dirty builds, which it repeats on every reload; serve says it once."""
    return not record.getMessage().startswith("A 'dirty' build")


def serve_plugins(seeds: Path) -> dict[str, Any]:
    """The project's ``mkdocs.yml`` plugins, the ``source-compare`` plugin set to regenerate ``seeds`` into the docs folder.

    As a mapping: MkDocs loads the configuration again on every reload, and it
    empties the single-key mappings of a plugin list as it reads them.
    """
    listed = (yaml.safe_load(CONFIG.read_text(encoding="utf-8")) or {}).get("plugins") or []
    plugins = dict(next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in listed)
    plugins[PLUGIN] = {**(plugins.get(PLUGIN) or {}), "seeds": str(seeds.resolve()), "in_docs": True}
    return plugins


def serve(seeds: Path, docs: Path, dev_addr: str) -> int:
    """Generate the docs, then run MkDocs' preview server; the plugin regenerates them on every rebuild.

    The plugin's options come from here, not from ``mkdocs.yml``: it watches
    and regenerates ``seeds`` into ``docs``, whichever folders they are.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    build(seeds, docs, None)
    logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_note)
    log_stderr(f"serve: previewing at http://{dev_addr}/ (Ctrl+C stops it)")
    log_stderr("serve: previews are incremental: a reload re-renders only the pages that changed; `generator build` makes the full site")
    stopped: list[int] = []

    def stop(signum: int, frame: object) -> None:
        stopped.append(signum)
        raise KeyboardInterrupt  # MkDocs' own way out of the preview: it stops its server and watcher threads

    previous = signal.signal(signal.SIGTERM, stop) if threading.current_thread() is threading.main_thread() else None
    with mkdocs_messages(log_stderr):
        mkdocs_serve(
            config_file=str(CONFIG),
            dev_addr=dev_addr,
            livereload=True,
            build_type="dirty",  # a reload renders only the pages whose files the generator rewrote
            strict=False,  # a warning (such as MkDocs' note on dirty builds) must not stop the preview
            docs_dir=str(docs.resolve()),
            plugins=serve_plugins(seeds),
        )
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)
    if stopped:
        raise Terminated()
    return 0


def group(seeds: Path, write: bool) -> int:
    """Print the proposed grouping of the loose files with reasons; with ``write``, apply it."""
    from generator.ingest.piles import group_articles, left_out, reasons, topic_slug, topic_title, write_grouping

    loose = next((s for s in discover(seeds, log_warning) if s.loose), None)
    if loose is None:
        print(terminal_safe(f"no loose article files in {seeds}; topic folders stay as they are"))
        return 0
    pile = read_topic(loose, seeds, log_warning)
    grouping = group_articles(pile.articles)
    for n, g in enumerate(grouping.groups, 1):
        members = [pile.articles[m] for m in g.members]
        shared = ", ".join(f"{name} ({count})" for name, count in g.names) or "none (shared passages only)"
        print(terminal_safe(f"topic {n}: {topic_title(members)}  [{topic_slug(members)}]"))
        print(terminal_safe(f"  {len(members)} articles; rare names its members share (articles naming each): {shared}"))
        for a, why in zip(members, reasons(pile.articles, g)):
            print(terminal_safe(f"  - {a.path}: {why}"))
    if grouping.unmatched:
        print("unmatched (each becomes a topic of its own):")
        for miss in grouping.misses:
            print(terminal_safe(f"  - {pile.articles[miss.article].path}: {left_out(pile.articles, grouping, miss)}"))
    if write:
        for folder in write_grouping(pile, seeds):
            print(terminal_safe(f"wrote {folder}"), file=sys.stderr)
    else:
        print("dry run: nothing moved (use --write to move files into topic folders)", file=sys.stderr)
    return 0
