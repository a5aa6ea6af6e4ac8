"""Build stage: run the pipeline over a seeds folder and write docs and site.

The pure stages (read → align → compare → render) turn a seeds folder into a
mapping of docs-relative paths to file contents; this module is the edge that
writes that mapping to disk and hands the docs folder to MkDocs.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .cache import TopicCache
from .executor import BuildStats, Runner, Sink, topic_outputs
from .models import Comparison
from .read import discover
from .render import environment, render_index

PROJECT = Path(__file__).resolve().parent.parent
CONFIG = PROJECT / "mkdocs.yml"
SEEDS = PROJECT / "seeds"
DOCS = PROJECT / "docs"
SITE = PROJECT / "site"

# What the generator owns inside a docs folder; everything else there is hand-written.
GENERATED = ("index.md", "topics", "articles", "data", "browse")

Log = Callable[[str], None]


def log_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class BuildResult:
    comparisons: tuple[Comparison, ...]
    written: tuple[str, ...]
    removed: tuple[str, ...]
    stats: BuildStats | None = None


def generate_files(
    seeds: Path,
    log: Log = log_stderr,
    *,
    runner: Runner = Runner(),
    cache: TopicCache | None = None,
    stats: BuildStats | None = None,
    sink: Sink | None = None,
) -> tuple[tuple[Comparison, ...], dict[str, str]]:
    """Every generated docs file for ``seeds``, keyed by docs-relative path.

    Topics come from ``cache`` when their inputs did not change, the others
    run through ``runner`` (see :mod:`generator.executor`); the index is
    rendered last, from all of them.  With a ``sink`` every file goes there
    as soon as it is ready and the mapping returned is empty.
    """
    tty = log is log_stderr and sys.stderr.isatty()
    outputs = topic_outputs(discover(seeds), seeds, runner, cache, log, tty, stats, sink)
    files: dict[str, str] = {}
    for output in outputs:
        files.update(output.files)
    comparisons = tuple(c for output in outputs for c in output.comparisons)
    index = render_index(environment(), comparisons)
    if sink is None:
        files.update(index)
    else:
        sink.write(index)
    return comparisons, files


def write_docs(docs: Path, files: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write ``files`` under ``docs``, leaving unchanged files untouched and removing stale generated ones."""
    return tuple(write_files(docs, files)), tuple(remove_stale(docs, set(files)))


class DocsWriter:
    """A :class:`~generator.executor.Sink` into a docs folder: writes as topics come, removes stale files last."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs
        self.paths: set[str] = set()
        self.written: list[str] = []

    def write(self, files: dict[str, str]) -> None:
        self.paths.update(files)
        self.written.extend(write_files(self.docs, files))

    def keep(self, paths: Iterable[str]) -> None:
        self.paths.update(paths)

    def finish(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``(written, removed)``: every file this build wrote, and the generated files it removed."""
        return tuple(sorted(self.written)), tuple(remove_stale(self.docs, self.paths))


def write_files(docs: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` under ``docs``, leaving files that already hold the same bytes untouched."""
    written = []
    for rel, content in sorted(files.items()):
        path = docs / rel
        data = content.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(rel)
    return written


def remove_stale(docs: Path, keep: set[str]) -> list[str]:
    """Remove generated files under ``docs`` that are not in ``keep``, and folders left empty."""
    removed = []
    for rel in _existing_generated(docs):
        if rel not in keep:
            (docs / rel).unlink()
            removed.append(rel)
    for name in GENERATED:
        _prune_empty_dirs(docs / name)
    return removed


def _existing_generated(docs: Path) -> Iterable[str]:
    for name in GENERATED:
        path = docs / name
        if path.is_file():
            yield name
        elif path.is_dir():
            yield from (p.relative_to(docs).as_posix() for p in sorted(path.rglob("*")) if p.is_file())


def _prune_empty_dirs(root: Path) -> None:
    if root.is_dir():
        for d in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
            if not any(d.iterdir()):
                d.rmdir()


def copy_static_docs(docs: Path) -> None:
    """Copy the project's hand-written docs (guides, assets, schema) into another docs folder."""
    if docs.resolve() == DOCS.resolve():
        return
    for src in sorted(DOCS.rglob("*")):
        rel = src.relative_to(DOCS)
        if rel.parts[0] in GENERATED or rel.parts[0].startswith(".") or not src.is_file():
            continue
        dest = docs / rel
        if not dest.is_file() or dest.read_bytes() != src.read_bytes():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)


def mkdocs_build(docs: Path, site: Path, strict: bool = True) -> None:
    """Build ``site`` from ``docs`` with the project's ``mkdocs.yml`` settings."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's banner is noise in build logs
    from mkdocs.commands.build import build as mkdocs_build_
    from mkdocs.config import load_config

    config = load_config(config_file=str(CONFIG), docs_dir=str(docs.resolve()), site_dir=str(site.resolve()), strict=strict)
    mkdocs_build_(config)


def build(
    seeds: Path = SEEDS,
    docs: Path = DOCS,
    site: Path | None = SITE,
    log: Log = log_stderr,
    runner: Runner = Runner(),
    use_cache: bool = True,
) -> BuildResult:
    """The whole build: generate docs from ``seeds``, then the site unless ``site`` is None.

    With ``use_cache`` topics whose inputs did not change since the last build
    into the same ``docs`` folder are not re-done (see :mod:`generator.cache`).
    """
    stats = BuildStats()
    cache = TopicCache(docs) if use_cache else None
    writer = DocsWriter(docs)
    comparisons, _ = generate_files(seeds, log, runner=runner, cache=cache, stats=stats, sink=writer)
    copy_static_docs(docs)
    written, removed = writer.finish()
    log(f"docs: {len(writer.paths)} files in {docs} ({len(written)} written, {len(removed)} removed)")
    if site is not None:
        log(f"site: mkdocs build into {site}")
        mkdocs_build(docs, site)
    return BuildResult(comparisons, written, removed, stats)
