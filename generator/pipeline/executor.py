"""Run the per-topic pipeline over many topics: cached, in a process pool, or on a Dask cluster.

Topics are independent (read → align → compare → render touches one topic
folder only), so they spread over processes and machines with no shared
state.  Results are put back in discovery order, so the output does not
depend on which worker finished first: a build on a Dask cluster is byte
for byte the build of one machine.

A Dask worker gets the topic's bytes (:class:`~generator.pipeline.cache.TopicInputs`),
not a path, so the cluster needs no shared file system, only the same
generator installed: its fingerprint is checked before any work is done.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from jinja2 import Environment

from generator.align.crosslang import cross_language
from generator.align.statements import align
from generator.analyse.compare import compare
from generator.ingest.read import TOPIC_FILE, InputError, TopicSource, Warn, ignore, read_topic, terminal_safe
from generator.models import Comparison, Topic
from generator.pipeline.cache import Entry, TopicCache, TopicInputs, Warning_, fingerprint, gc_paused, read_inputs
from generator.publish.render import environment, render_topic
from generator.publish.views import TopicSummary, topic_summary
from generator.slug import unique_slug

STAGES = ("read", "align", "compare", "render")
EXECUTORS = ("local", "dask")

Log = Callable[[str], None]


@dataclass(frozen=True)
class TopicOutput:
    """The comparisons and rendered files of one topic source, with the seconds each stage took.

    A topic folder gives one comparison; the loose files of a seeds folder
    are grouped into as many topics as they hold.
    """

    comparisons: tuple[Comparison, ...]
    files: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: tuple[Warning_, ...] = ()
    summaries: tuple[TopicSummary, ...] = ()  # the topics as the index lists them


@dataclass(frozen=True)
class Failure:
    """An input error raised in a worker, carried back as a value (InputError itself does not unpickle)."""

    path: str
    problem: str


@dataclass(frozen=True)
class Runner:
    """Where topics run: ``jobs`` local processes (None: one per core) or the Dask ``scheduler``."""

    jobs: int | None = None
    executor: str = "local"
    scheduler: str | None = None

    def workers(self, topics: int) -> int:
        return max(1, min(self.jobs or os.cpu_count() or 1, topics))


SERIAL = Runner(jobs=1)


@dataclass
class BuildStats:
    """What a build did: how many topic sources, which were re-done, stage seconds summed over
    topics, and every topic it published, as the index lists them."""

    topics: int = 0
    redone: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    summaries: list[TopicSummary] = field(default_factory=list)

    @property
    def cached(self) -> int:
        return self.topics - len(self.redone)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return environment()


def read_topics(source: TopicSource, seeds: Path, warn: Warn = ignore) -> tuple[Topic, ...]:
    """The topics of one source: a topic folder is one topic, loose files are grouped into several."""
    topic = read_topic(source, seeds, warn)
    if not source.loose:
        return (topic,)
    from generator.ingest.piles import split_pile  # numpy, scipy and networkx load only when there are loose files to group

    return split_pile(topic)


def process_topic(source: TopicSource, seeds: Path) -> TopicOutput | Failure:
    """Read, align, compare and render the topics of one source, timing each stage."""
    clock = [time.perf_counter()]

    def lap() -> float:
        clock.append(time.perf_counter())
        return clock[-1] - clock[-2]

    problems: list[InputError] = []
    try:
        topics = read_topics(source, seeds, problems.append)
    except InputError as exc:
        return Failure(exc.path, exc.problem)
    seconds = dict.fromkeys(STAGES, 0.0)
    seconds["read"] = lap()
    comparisons, files = [], {}
    for topic in topics:
        try:
            passages = align(topic.articles)
            crossing = cross_language(topic)
            seconds["align"] += lap()
            comparisons.append(compare(topic, passages, crossing))
            seconds["compare"] += lap()
            files.update(render_topic(_environment(), comparisons[-1]))
            seconds["render"] += lap()
        except Exception as exc:  # a fault of the generator on one topic's text must not take every other topic down
            return Failure(str(source.folder), f"could not be compared ({type(exc).__name__}: {exc}); topic left out, please report it")
    summaries = tuple(topic_summary(c) for c in comparisons)
    return TopicOutput(tuple(comparisons), files, seconds, tuple((p.path, p.problem) for p in problems), summaries)


def process_inputs(inputs: TopicInputs, generator: str, origin: str) -> TopicOutput | Failure:
    """:func:`process_topic` on a machine that only has the topic's bytes (a Dask worker).

    The files are laid out in a temporary seeds folder under their own names,
    so paths relative to the seeds folder, and so the output, are the same;
    an input error names the file in ``origin``, the client's seeds folder.
    """
    if generator != fingerprint():
        raise RuntimeError(f"worker runs another generator (fingerprint {fingerprint()[:12]}, client {generator[:12]})")
    with tempfile.TemporaryDirectory(prefix="source-compare-") as tmp:
        seeds = Path(tmp)
        folder = seeds / inputs.folder
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in inputs.articles:
            if data is not None:
                (folder / name).write_bytes(data)
        if inputs.topic_file is not None:
            (folder / TOPIC_FILE).write_bytes(inputs.topic_file)
        unread = tuple((str(Path(origin) / inputs.folder / name), "cannot read; article left out") for name, data in inputs.articles if data is None)
        source = TopicSource(folder, tuple(folder / name for name, data in inputs.articles if data is not None), inputs.loose)
        result = process_topic(source, seeds)

        def local(path: str) -> str:
            return str(Path(origin) / Path(path).relative_to(seeds)) if Path(path).is_relative_to(seeds) else path

    if isinstance(result, Failure):
        return Failure(local(result.path), result.problem)
    return replace(result, warnings=unread + tuple((local(path), problem) for path, problem in result.warnings))


class Progress:
    """A tqdm bar on a terminal; plain lines, at most one per ``every`` seconds, in logs."""

    def __init__(self, total: int, log: Log, tty: bool, every: float = 1.0) -> None:
        self.total, self.log, self.every = total, log, every
        self.done, self.last = 0, float("-inf")
        self.bar = None
        if tty and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="topic", file=sys.stderr, dynamic_ncols=True)

    def update(self, label: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(label, refresh=False)
            self.bar.update()
            return
        now = time.monotonic()
        if self.done == self.total or now - self.last >= self.every:
            self.last = now
            self.log(f"[{self.done}/{self.total}] {label}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _label(source: TopicSource) -> str:
    return terminal_safe(f"{'(loose files)' if source.loose else source.folder.name}: {len(source.files)} articles")


class Sink(Protocol):
    """Where topic files go as soon as they are ready, so a build never holds all of them at once."""

    def locate(self, rel: str) -> Path:
        """Where the file ``rel`` (docs-relative) is now."""

    def write(self, files: dict[str, str]) -> None:
        """Write ``files`` (docs-relative path to content)."""

    def keep(self, paths: Iterable[str]) -> None:
        """``paths`` are already on disk as they should be."""


def topic_outputs(
    sources: Sequence[TopicSource],
    seeds: Path,
    runner: Runner = Runner(),
    cache: TopicCache | None = None,
    log: Log = print,
    tty: bool = False,
    stats: BuildStats | None = None,
    sink: Sink | None = None,
    warn: Warn = ignore,
) -> list[TopicOutput]:
    """The output of every topic, in the order of ``sources``: from ``cache`` when the inputs are unchanged.

    Outputs are taken in discovery order, whatever order workers finish in:
    input warnings go to ``warn`` in that order, and a topic whose slug an
    earlier topic already took is published under the next free one.  With
    a ``sink`` the files go there and the outputs keep only the comparisons;
    a cached topic whose files are still as written is not even loaded.
    """
    stats = stats if stats is not None else BuildStats()
    stats.topics = len(sources)
    generator = fingerprint()
    ready: dict[int, TopicOutput | Entry | Failure] = {}
    keys: list[str | None] = [None] * len(sources)
    inputs: dict[int, TopicInputs] = {}
    if cache is not None or runner.executor == "dask":
        with gc_paused():
            for n, source in enumerate(sources):
                inputs[n] = read_inputs(source, seeds)
                if cache is not None:
                    keys[n] = inputs[n].key(generator)
                    entry = cache.get(keys[n])
                    if entry is not None:
                        ready[n] = entry
    todo = [n for n in range(len(sources)) if n not in ready]
    if len(todo) < len(sources):
        log(f"cache: {len(sources) - len(todo)} of {len(sources)} topics unchanged")
    publish = _Publisher(cache, sink, warn)
    outputs: list[TopicOutput] = []

    def flush() -> None:
        while len(publish.done) < len(sources) and len(publish.done) in ready:
            n = len(publish.done)
            out = publish(ready.pop(n), keys[n])
            if out is not None:
                outputs.append(out)

    progress = Progress(len(todo), log, tty)
    try:
        flush()
        for n, result in _run(todo, sources, seeds, runner, inputs, generator):
            if isinstance(result, TopicOutput):
                stats.redone.append(sources[n].folder.relative_to(seeds).as_posix())
                for stage, s in result.seconds.items():
                    stats.seconds[stage] = stats.seconds.get(stage, 0.0) + s
            ready[n] = result
            flush()
            progress.update(_label(sources[n]))
    finally:
        progress.close()
    stats.redone.sort()
    return outputs


class _Publisher:
    """Takes topic outputs in discovery order: warnings, distinct slugs, files to the sink, entries to the cache."""

    def __init__(self, cache: TopicCache | None, sink: Sink | None, warn: Warn) -> None:
        self.cache, self.sink, self.warn = cache, sink, warn
        self.taken: set[str] = set()
        self.done: list[int] = []

    def __call__(self, item: TopicOutput | Entry | Failure, key: str | None) -> TopicOutput | None:
        self.done.append(len(self.done))
        if isinstance(item, Failure):
            self.warn(InputError(item.path, item.problem))
            return None
        for path, problem in item.warnings:
            self.warn(InputError(path, problem))
        fresh = isinstance(item, TopicOutput)
        if isinstance(item, Entry):
            if self.sink is not None and self._untouched(item, self.sink):
                self.taken.update(s.slug for s in item.summaries)
                self.sink.keep(item.stamps)
                return TopicOutput((), {}, warnings=item.warnings, summaries=item.summaries)
            item = TopicOutput(item.comparisons(), item.files(), warnings=item.warnings, summaries=item.summaries)
        comparisons = tuple(self._distinct(c) for c in item.comparisons)
        files, summaries = item.files, item.summaries
        if comparisons != item.comparisons:
            files = {r: t for c in comparisons for r, t in render_topic(_environment(), c).items()}
            summaries = tuple(topic_summary(c) for c in comparisons)
        if self.sink is not None:
            self.sink.write(files)
        if self.cache is not None and key is not None and (fresh or self.sink is not None):
            locate = self.sink.locate if self.sink is not None else self.cache.docs.joinpath
            self.cache.put(key, item.summaries, item.warnings, item.comparisons, item.files, self.cache.stamps(item.files, locate))
        return TopicOutput(comparisons, files if self.sink is None else {}, item.seconds, item.warnings, summaries)

    def _untouched(self, entry: Entry, sink: Sink) -> bool:
        """Whether a cached topic can stay as it is on disk without even being loaded:
        its slugs are still free and its files are in ``sink`` exactly as written."""
        return (
            self.cache is not None
            and not any(s.slug in self.taken for s in entry.summaries)
            and self.cache.intact(entry, sink.locate)
        )

    def _distinct(self, c: Comparison) -> Comparison:
        slug = unique_slug(c.topic.slug, self.taken)
        if slug != c.topic.slug:
            self.warn(InputError(c.topic.folder, f"its slug {c.topic.slug!r} is taken by another topic; published as {slug!r}"))
            c = replace(c, topic=replace(c.topic, slug=slug))
        self.taken.add(slug)
        return c


def _run(
    todo: list[int],
    sources: Sequence[TopicSource],
    seeds: Path,
    runner: Runner,
    inputs: dict[int, TopicInputs],
    generator: str,
) -> Iterator[tuple[int, TopicOutput | Failure]]:
    if not todo:
        return
    if runner.executor == "dask":
        yield from _run_dask(todo, runner, inputs, generator, str(seeds))
    elif runner.workers(len(todo)) == 1:
        for n in todo:
            yield n, process_topic(sources[n], seeds)
    else:
        yield from _run_pool(todo, sources, seeds, runner.workers(len(todo)))


def _run_pool(todo: list[int], sources: Sequence[TopicSource], seeds: Path, workers: int) -> Iterator[tuple[int, TopicOutput | Failure]]:
    # forkserver: workers start from a clean process, safe even when the caller runs threads (Dask, tqdm).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["generator.pipeline.executor"])
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),))
    try:
        pending: dict[Future, int] = {pool.submit(process_topic, sources[n], seeds): n for n in todo}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()
    except BaseException:  # Ctrl-C, SIGTERM, a failed topic: stop the workers now rather than let them finish
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


WATCH_SECONDS = 1.0


def _worker_start(parent: int) -> None:
    """Set a worker up: it dies with the build, leaves Ctrl-C to it, and collects garbage less often.

    Workers are children of the forkserver, not of the build, so they are
    told to die with their parent (Linux) and also watch the build's process:
    a build killed with SIGKILL leaves no worker computing for nobody.
    Ctrl-C reaches the whole process group; the build handles it and stops
    the workers, which would otherwise each print a traceback.  A topic
    allocates hundreds of thousands of short-lived, acyclic objects (tokens,
    diffs), and each default-sized batch of them set off a collection walking
    the imported modules too (4 % of a topic's CPU).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    threading.Thread(target=_watch, args=(parent,), name="watch-build", daemon=True).start()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def _watch(parent: int) -> None:
    """End this worker as soon as the build process ``parent`` is gone."""
    while not _gone(parent):
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended: no such process, or (Linux) a zombie its own parent has not reaped yet."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _run_dask(
    todo: list[int], runner: Runner, inputs: dict[int, TopicInputs], generator: str, origin: str
) -> Iterator[tuple[int, TopicOutput | Failure]]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise RuntimeError("--executor dask needs dask[distributed]: pip install 'source-compare[dask]'") from exc
    if not runner.scheduler:
        raise ValueError("--executor dask needs --scheduler ADDRESS")
    with Client(runner.scheduler, set_as_default=False) as client:
        futures = {
            client.submit(process_inputs, inputs[n], generator, origin, key=f"topic-{generator[:8]}-{n}-{inputs[n].key(generator)[:16]}"): n
            for n in todo
        }
        try:
            for future in as_completed(futures, loop=client.loop):
                yield futures[future], future.result()
        finally:
            client.cancel(list(futures))
