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

from .align import align
from .compare import compare
from .group import split_pile
from .models import Comparison, Topic
from .read import TopicSource, discover, read_topic
from .render import environment, render_index, render_topic

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


def read_topics(source: TopicSource, seeds: Path) -> tuple[Topic, ...]:
    """The topics of one source: a topic folder is one topic, loose files are grouped into several."""
    topic = read_topic(source, seeds)
    return split_pile(topic) if source.loose else (topic,)


def compare_topic(topic: Topic) -> Comparison:
    """Align and compare one topic: the whole per-topic pipeline after reading."""
    return compare(topic, align(topic.articles))


def generate_files(seeds: Path, log: Log = log_stderr) -> tuple[tuple[Comparison, ...], dict[str, str]]:
    """Every generated docs file for ``seeds``, keyed by docs-relative path."""
    sources = discover(seeds)
    comparisons = []
    for n, source in enumerate(sources, 1):
        log(f"[{n}/{len(sources)}] {source.folder.name if not source.loose else '(loose files)'}: {len(source.files)} articles")
        comparisons.extend(compare_topic(topic) for topic in read_topics(source, seeds))
    env = environment()
    files: dict[str, str] = {}
    for c in comparisons:
        files.update(render_topic(env, c))
    files.update(render_index(env, comparisons))
    return tuple(comparisons), files


def write_docs(docs: Path, files: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write ``files`` under ``docs``, leaving unchanged files untouched and removing stale generated ones."""
    written = []
    for rel, content in sorted(files.items()):
        path = docs / rel
        data = content.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(rel)
    removed = []
    for rel in _existing_generated(docs):
        if rel not in files:
            (docs / rel).unlink()
            removed.append(rel)
    for name in GENERATED:
        _prune_empty_dirs(docs / name)
    return tuple(written), tuple(removed)


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


def build(seeds: Path = SEEDS, docs: Path = DOCS, site: Path | None = SITE, log: Log = log_stderr) -> BuildResult:
    """The whole build: generate docs from ``seeds``, then the site unless ``site`` is None."""
    comparisons, files = generate_files(seeds, log)
    docs.mkdir(parents=True, exist_ok=True)
    copy_static_docs(docs)
    written, removed = write_docs(docs, files)
    log(f"docs: {len(files)} files in {docs} ({len(written)} written, {len(removed)} removed)")
    if site is not None:
        log(f"site: mkdocs build into {site}")
        mkdocs_build(docs, site)
    return BuildResult(comparisons, written, removed)
