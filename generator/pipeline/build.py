"""Build stage: run the pipeline over a seeds folder and write docs and site.

The pure stages (read → align → compare → render) turn a seeds folder into a
mapping of docs-relative paths to file contents; this module is the edge that
writes that mapping to disk and hands the docs folder to MkDocs.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.ingest.problems import Problem, Unusable, Warn
from generator.ingest.read import discover, read_inputs, terminal_safe
from generator.models import Comparison
from generator.pipeline.cache import CACHE_DIR, Stamp, TopicCache
from generator.pipeline.executor import BuildStats, run_topics
from generator.pipeline.output import LazyStage, replace_file, staging, swap_in
from generator.pipeline.publisher import MISSING, MemorySink, Publisher, Sink
from generator.pipeline.runners import ALL_CORES, SERIAL, Runner
from generator.pipeline.topic import page_environment
from generator.publish.render import render_index

PROJECT = Path(__file__).resolve().parents[2]
CONFIG = PROJECT / "mkdocs.yml"
SEEDS = PROJECT / "seeds"
DOCS = PROJECT / "docs"
SITE = PROJECT / "site"

PLUGIN = "source-compare"  # the MkDocs plugin's name (generator/pipeline/plugin.py)
# What the generator owns inside a docs folder; everything else there is hand-written.
GENERATED = ("index.md", "topics", "articles", "data", "browse")

Log = Callable[[str], None]


def log_stderr(message: str) -> None:
    print(terminal_safe(message), file=sys.stderr, flush=True)


def log_warning(problem: Problem, log: Log = log_stderr) -> None:
    log(problem.line())


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` did; ``comparisons`` (asked for with ``keep_comparisons``) are the topics it re-did or loaded
    (``stats.summaries`` lists all)."""

    comparisons: tuple[Comparison, ...]
    written: tuple[str, ...]
    removed: tuple[str, ...]
    warnings: tuple[Problem, ...] = ()
    stats: BuildStats | None = None


class StrictError(Exception):
    """The input had problems and the build was strict: nothing was written."""

    def __init__(self, warnings: Sequence[Problem]) -> None:
        super().__init__(f"{len(warnings)} input problem(s) with --strict; docs and site left as they were")
        self.warnings = tuple(warnings)


def check_folders(seeds: Path, docs: Path, site: Path | None) -> None:
    """Refuse output folders that are, hold or lie inside the seeds folder or each other.

    Outputs are replaced whole, so an output holding the seeds would delete
    them, and seeds inside an output would be deleted with it.  Raised before
    anything is written; the message names both folders.
    """
    roles = [("seeds", seeds), ("docs", docs)] + ([("site", site)] if site is not None else [])
    for i, (role, path) in enumerate(roles):
        for other, other_path in roles[i + 1 :]:
            a, b = path.resolve(), other_path.resolve()
            if a == b:
                relation = "is also"
            elif b.is_relative_to(a):
                relation = "contains"
            elif a.is_relative_to(b):
                relation = "lies inside"
            else:
                continue
            problem = f"the {role} folder {relation} the {other} folder {other_path}"
            raise Unusable(Problem.at(path, f"{problem}; nothing written (choose folders apart from each other)", "error"))


def publish_topics(
    seeds: Path,
    sink: Sink,
    warn: Warn,
    *,
    runner: Runner = SERIAL,
    cache: TopicCache | None = None,
    log: Log = log_stderr,
    keep_comparisons: bool = False,
) -> tuple[tuple[Comparison, ...], BuildStats]:
    """Every generated docs file for ``seeds`` into ``sink``, the index last, from all topics' summaries.

    Problems with single files or topics go to ``warn`` and the rest still
    builds; only an unusable seeds folder raises.  Topics come from ``cache``
    when their inputs did not change, the others run through ``runner`` (see
    :mod:`generator.pipeline.executor`).  Returns, with ``keep_comparisons``,
    the comparisons of the topics re-done or loaded (a cached topic whose files
    the sink still holds as written is not even loaded), and what the build did.
    """
    tty = log is log_stderr and sys.stderr.isatty()
    inputs = [read_inputs(source, seeds) for source in discover(seeds, warn)]
    publisher = Publisher(sink, cache, warn, keep=keep_comparisons)
    stats = run_topics(inputs, publisher, runner, log, tty)
    sink.write(render_index(page_environment(), stats.summaries))
    return tuple(publisher.comparisons), stats


def generate_files(
    seeds: Path, log: Log = log_stderr, warn: Warn | None = None, *, runner: Runner = SERIAL, cache: TopicCache | None = None
) -> tuple[tuple[Comparison, ...], dict[str, str]]:
    """Every generated docs file for ``seeds``, keyed by docs-relative path, with the comparisons of every topic.

    Problems go to ``warn`` (by default logged); topics run in this process
    unless ``runner`` says otherwise (:func:`build` uses all cores).
    """
    sink = MemorySink()
    report = warn or (lambda problem: log_warning(problem, log))
    comparisons, _stats = publish_topics(seeds, sink, report, runner=runner, cache=cache, log=log, keep_comparisons=True)
    return comparisons, sink.files


class DocsWriter:
    """A :class:`~generator.pipeline.publisher.Sink` into a docs folder through a :class:`LazyStage`:
    writes as topics come, removes stale files last, stages only what it changes."""

    def __init__(self, stage: LazyStage) -> None:
        self.stage = stage
        self.paths: set[str] = set()
        self.written: list[str] = []

    def write(self, files: dict[str, str]) -> None:
        """Write ``files``, leaving files that already hold the same bytes untouched."""
        self.paths.update(files)
        for rel, content in sorted(files.items()):
            data = content.encode("utf-8")
            current = self.stage.current(rel)
            if current.is_file() and current.read_bytes() == data:
                continue
            replace_file(self.stage.writable(rel), data)
            self.written.append(rel)

    def reuse(self, stamps: dict[str, Stamp]) -> bool:
        """Keep the files ``stamps`` names when every one is there exactly as last written or seen."""
        if MISSING in stamps.values() or self.stamps(stamps) != stamps:
            return False
        self.paths.update(stamps)
        return True

    def stamps(self, paths: Iterable[str]) -> dict[str, Stamp]:
        """Size and modification time of each docs-relative path where it is now."""
        out = {}
        for rel in paths:
            try:
                st = self.stage.current(rel).stat()
                out[rel] = (st.st_size, st.st_mtime_ns)
            except OSError:
                out[rel] = MISSING
        return out

    def finish(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``(written, removed)``: every file this build wrote, and the generated files it removed."""
        removed = [rel for name in GENERATED for rel in _existing(self.stage.current(name), name) if rel not in self.paths]
        for rel in removed:
            self.stage.writable(rel).unlink()
        for name in sorted({rel.split("/", 1)[0] for rel in removed}):
            _prune_empty_dirs(self.stage.staged / name)
        return tuple(sorted(self.written)), tuple(sorted(removed))


def _existing(path: Path, rel: str) -> Iterable[str]:
    """Docs-relative paths of the files at ``path`` (a file or folder at docs path ``rel``), through
    ``os.walk``: a thousand-topic docs folder lists in milliseconds with no Path objects."""
    if path.is_file():
        yield rel
    for folder, _dirs, names in os.walk(path):
        sub = os.path.relpath(folder, path).replace(os.sep, "/")
        prefix = rel if sub == "." else f"{rel}/{sub}"
        yield from (f"{prefix}/{n}" for n in names)


def _prune_empty_dirs(root: Path) -> None:
    """Remove the folders under ``root`` that hold nothing, deepest first (``root`` itself stays)."""
    for folder, _dirs, _names in os.walk(root, topdown=False):
        if folder != str(root) and not os.listdir(folder):
            os.rmdir(folder)


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
            replace_file(dest, src.read_bytes())


def site_config(docs: Path, site: Path, strict: bool = True) -> Any:
    """The project's ``mkdocs.yml`` settings for building ``site`` from ``docs``, whose pages are already generated:
    the ``source-compare`` plugin does all it does but run the generator again."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's banner is noise in build logs
    from mkdocs.config import load_config

    config = load_config(config_file=str(CONFIG), docs_dir=str(docs.resolve()), site_dir=str(site.resolve()), strict=strict)
    plugin = config.plugins.get(PLUGIN)
    if plugin is not None:
        plugin.generate = False
    return config


def mkdocs_build(docs: Path, site: Path, strict: bool = True, log: Log = log_stderr) -> None:
    """Build ``site`` from ``docs`` with the project's ``mkdocs.yml`` settings; MkDocs' warnings and errors go to ``log``.

    Raises :class:`SiteError` when MkDocs gives up (in strict mode, on any warning).
    """
    from mkdocs.commands.build import build as mkdocs_build_
    from mkdocs.exceptions import Abort, MkDocsException

    with mkdocs_messages(log) as messages:
        try:
            mkdocs_build_(site_config(docs, site, strict))
        except (Abort, MkDocsException) as exc:  # Abort is a SystemExit: uncaught, the run ended with no word
            raise SiteError(str(exc.message if hasattr(exc, "message") else exc), tuple(messages)) from None


class SiteError(Exception):
    """MkDocs could not build the site; ``messages`` are the warnings and errors it logged on the way."""

    def __init__(self, problem: str, messages: tuple[str, ...] = ()) -> None:
        super().__init__(f"mkdocs: {problem}")
        self.messages = messages


@contextmanager
def mkdocs_messages(log: Log) -> Iterator[list[str]]:
    """MkDocs' own warnings and errors, printed as ``warning: mkdocs: …`` lines and collected while the block runs."""
    messages: list[str] = []

    class Show(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            messages.append(message)
            log(f"{'error' if record.levelno >= logging.ERROR else 'warning'}: mkdocs: {message}")

    handler = Show(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


# A docs path of one topic in MkDocs' messages ("Doc file 'topics/x.md' contains a link …").
_TOPIC_PATH = re.compile(r"\b(?:topics/(?P<page>[a-z0-9-]+)\.md|articles/(?P<article>[a-z0-9-]+)/)")
WITHDRAWN = """# Topic not published

<p>MkDocs rejected the pages of this topic, so they are left out of the site; the build log says why.
The comparison itself is in <a href="../../data/{slug}.json">the topic's data</a>.</p>
"""


def build_site(docs: Path, site: Path, log: Log = log_stderr) -> tuple[str, ...]:
    """MkDocs over ``docs`` into ``site``; returns the slugs of topics it rejected.

    One topic's pages must not take every topic's site down: when MkDocs
    gives up and its messages name topic pages, those topics are reported,
    their pages are replaced by a notice and the site is built again.
    """
    try:
        mkdocs_build(docs, site, log=log)
        return ()
    except SiteError as exc:
        rejected = sorted({m["page"] or m["article"] for message in exc.messages for m in _TOPIC_PATH.finditer(message)})
        if not rejected:
            raise
    for slug in rejected:
        log(f"error: topic {slug!r}: MkDocs rejected its pages; it is left out of the site, the other topics are published")
        replace_file(docs / "topics" / f"{slug}.md", WITHDRAWN.format(slug=slug).encode("utf-8"))
        shutil.rmtree(docs / "articles" / slug, ignore_errors=True)
    mkdocs_build(docs, site, log=log)
    return tuple(rejected)


def publish_docs(staged: Path, docs: Path, changed: Iterable[str]) -> None:
    """Swap the generated parts that ``changed`` touches from ``staged`` into ``docs``; hand-written files stay."""
    docs.mkdir(parents=True, exist_ok=True)
    for name in sorted({rel.split("/", 1)[0] for rel in changed}):
        swap_in(staged / name, docs / name)
    copy_static_docs(docs)


def build(
    seeds: Path = SEEDS,
    docs: Path = DOCS,
    site: Path | None = SITE,
    log: Log = log_stderr,
    strict: bool = False,
    runner: Runner = ALL_CORES,
    use_cache: bool = True,
    keep_comparisons: bool = False,
) -> BuildResult:
    """The whole build: generate docs from ``seeds``, then the site unless ``site`` is None.

    Everything is built in staging folders beside ``docs`` and ``site`` and
    swapped in only when the whole build succeeded.  With ``strict``, any
    input problem raises :class:`StrictError` and nothing is written.  With
    ``use_cache`` topics whose inputs did not change since the last build
    into the same ``docs`` folder are not re-done (see :mod:`generator.pipeline.cache`).
    """
    check_folders(seeds, docs, site)
    warnings: list[Problem] = []

    def warn(problem: Problem) -> None:
        warnings.append(problem)
        log_warning(problem, log)

    with staging(docs) as staged_docs:
        stage = LazyStage(docs, staged_docs)
        cache = TopicCache(docs, staged_docs) if use_cache else None
        writer = DocsWriter(stage)
        comparisons, stats = publish_topics(seeds, writer, warn, runner=runner, cache=cache, log=log, keep_comparisons=keep_comparisons)
        if strict and warnings:
            raise StrictError(warnings)
        written, removed = writer.finish()
        changed = [*written, *removed, *([CACHE_DIR] if cache is not None and cache.finish() else [])]
        log(f"docs: {len(writer.paths)} files in {docs} ({len(written)} written, {len(removed)} removed)")
        if site is None:
            publish_docs(staged_docs, docs, changed)
        else:
            log(f"site: mkdocs build into {site}")
            stage.complete()
            copy_static_docs(staged_docs)
            with staging(site) as staged_site:
                withdrawn = build_site(staged_docs, staged_site, log)
                changed += [f"topics/{slug}.md" for slug in withdrawn] + [f"articles/{slug}" for slug in withdrawn]
                # The site first: when it cannot be swapped in, docs are still the old ones too.
                swap_in(staged_site, site)
                publish_docs(staged_docs, docs, changed)
    return BuildResult(comparisons, written, removed, tuple(warnings), stats)
