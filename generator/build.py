"""Build stage: run the pipeline over a seeds folder and write docs and site.

The pure stages (read → align → compare → render) turn a seeds folder into a
mapping of docs-relative paths to file contents; this module is the edge that
writes that mapping to disk and hands the docs folder to MkDocs.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .align import align
from .compare import compare
from .group import split_pile
from .models import Comparison, Topic
from .output import copy_entry, safe_path, staging, swap_in
from .read import InputError, TopicSource, Warn, discover, ignore, read_topic
from .render import environment, render_index, render_topic
from .slug import unique_slug

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


def log_warning(problem: InputError, log: Log = log_stderr) -> None:
    log(f"warning: {problem}")


@dataclass(frozen=True)
class BuildResult:
    comparisons: tuple[Comparison, ...]
    written: tuple[str, ...]
    removed: tuple[str, ...]
    warnings: tuple[InputError, ...] = ()


class StrictError(Exception):
    """The input had problems and the build was strict: nothing was written."""

    def __init__(self, warnings: Sequence[InputError]) -> None:
        super().__init__(f"{len(warnings)} input problem(s) with --strict; docs and site left as they were")
        self.warnings = tuple(warnings)


def read_topics(source: TopicSource, seeds: Path, warn: Warn = ignore) -> tuple[Topic, ...]:
    """The topics of one source: a topic folder is one topic, loose files are grouped into several."""
    topic = read_topic(source, seeds, warn)
    return split_pile(topic) if source.loose else (topic,)


def compare_topic(topic: Topic) -> Comparison:
    """Align and compare one topic: the whole per-topic pipeline after reading."""
    return compare(topic, align(topic.articles))


def generate_files(
    seeds: Path, log: Log = log_stderr, warn: Warn | None = None
) -> tuple[tuple[Comparison, ...], dict[str, str]]:
    """Every generated docs file for ``seeds``, keyed by docs-relative path.

    Problems with single files or topics go to ``warn`` (by default logged)
    and the rest still builds; only an unusable seeds folder raises.
    """
    warn = warn or (lambda problem: log_warning(problem, log))
    sources = discover(seeds, warn)
    comparisons = []
    for n, source in enumerate(sources, 1):
        log(f"[{n}/{len(sources)}] {source.folder.name if not source.loose else '(loose files)'}: {len(source.files)} articles")
        try:
            topics = read_topics(source, seeds, warn)
        except InputError as exc:
            warn(exc)
            continue
        comparisons.extend(compare_topic(topic) for topic in topics)
    comparisons = distinct_slugs(comparisons, warn)
    env = environment()
    files: dict[str, str] = {}
    for c in comparisons:
        files.update(render_topic(env, c))
    files.update(render_index(env, comparisons))
    return tuple(comparisons), files


def distinct_slugs(comparisons: Sequence[Comparison], warn: Warn) -> list[Comparison]:
    """The comparisons with every topic slug made unique (two folders can fold to one slug)."""
    taken: list[str] = []
    out = []
    for c in comparisons:
        slug = unique_slug(c.topic.slug, taken)
        if slug != c.topic.slug:
            warn(InputError(c.topic.folder, f"its slug {c.topic.slug!r} is taken by another topic; published as {slug!r}"))
            c = replace(c, topic=replace(c.topic, slug=slug))
        taken.append(slug)
        out.append(c)
    return out


def write_docs(docs: Path, files: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write ``files`` under ``docs``, leaving unchanged files untouched and removing stale generated ones."""
    written = []
    for rel, content in sorted(files.items()):
        path = safe_path(docs, rel)
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


def stage_docs(docs: Path, staged: Path, files: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A complete docs folder in ``staged``: ``docs`` as it is, the project's hand-written pages, then ``files``."""
    if docs.is_dir():
        for entry in sorted(docs.iterdir()):
            if not entry.name.startswith("."):
                copy_entry(entry, staged / entry.name)
    copy_static_docs(staged)
    return write_docs(staged, files)


def publish_docs(staged: Path, docs: Path, changed: Iterable[str]) -> None:
    """Swap the generated parts that ``changed`` touches from ``staged`` into ``docs``; hand-written files stay."""
    docs.mkdir(parents=True, exist_ok=True)
    for name in sorted({rel.split("/", 1)[0] for rel in changed}):
        swap_in(staged / name, docs / name)
    copy_static_docs(docs)


def build(
    seeds: Path = SEEDS, docs: Path = DOCS, site: Path | None = SITE, log: Log = log_stderr, strict: bool = False
) -> BuildResult:
    """The whole build: generate docs from ``seeds``, then the site unless ``site`` is None.

    Everything is built in staging folders beside ``docs`` and ``site`` and
    swapped in only when the whole build succeeded.  With ``strict``, any
    input problem raises :class:`StrictError` before anything is written.
    """
    warnings: list[InputError] = []

    def warn(problem: InputError) -> None:
        warnings.append(problem)
        log_warning(problem, log)

    comparisons, files = generate_files(seeds, log, warn)
    if strict and warnings:
        raise StrictError(warnings)
    with staging(docs) as staged_docs:
        written, removed = stage_docs(docs, staged_docs, files)
        log(f"docs: {len(files)} files in {docs} ({len(written)} written, {len(removed)} removed)")
        if site is None:
            publish_docs(staged_docs, docs, written + removed)
        else:
            log(f"site: mkdocs build into {site}")
            with staging(site) as staged_site:
                mkdocs_build(staged_docs, staged_site)
                publish_docs(staged_docs, docs, written + removed)
                swap_in(staged_site, site)
    return BuildResult(comparisons, written, removed, tuple(warnings))
