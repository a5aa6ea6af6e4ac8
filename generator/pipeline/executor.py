"""Run the per-topic pipeline over many topics: each from the cache when its inputs are unchanged, the others
through a runner, every result handed to the publisher as it comes.

The pieces have their own modules: :mod:`~generator.pipeline.topic` (one
topic, bytes to files), :mod:`~generator.pipeline.runners` (this process, a
process pool, Dask), :mod:`~generator.pipeline.publisher` (discovery order,
distinct slugs, files, cache writes), :mod:`~generator.pipeline.cache` and
:mod:`~generator.pipeline.progress`.  This one only plans and drives a run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from generator.ingest.read import TopicInputs
from generator.pipeline.cache import Entry, TopicCache, fingerprint, gc_paused
from generator.pipeline.progress import Progress, label
from generator.pipeline.publisher import Publisher
from generator.pipeline.runners import Runner
from generator.pipeline.topic import STAGES
from generator.publish.views import TopicSummary

Log = Callable[[str], None]


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


def cached_entries(inputs: Sequence[TopicInputs], cache: TopicCache | None) -> dict[int, tuple[str | None, Entry | None]]:
    """Each topic's cache key and, when its inputs did not change, its cache entry."""
    if cache is None:
        return {n: (None, None) for n in range(len(inputs))}
    generator = fingerprint()
    found: dict[int, tuple[str | None, Entry | None]] = {}
    with gc_paused():
        for n, topic in enumerate(inputs):
            key = topic.key(generator)
            found[n] = (key, cache.get(key))
    return found


def run_topics(inputs: Sequence[TopicInputs], publisher: Publisher, runner: Runner, progress: Log, tty: bool = False) -> BuildStats:
    """Publish every topic of ``inputs``: from the publisher's cache when its inputs are unchanged, else through ``runner``.

    Progress of the topics re-done goes to ``progress`` (a bar when ``tty``).
    """
    stats = BuildStats(topics=len(inputs))
    entries = cached_entries(inputs, publisher.cache)
    todo = [(n, topic) for n, topic in enumerate(inputs) if entries[n][1] is None]
    if len(todo) < len(inputs):
        progress(f"cache: {len(inputs) - len(todo)} of {len(inputs)} topics unchanged")
    for n, (key, entry) in entries.items():
        if entry is not None:
            publisher.take(n, entry, key)
    bar = Progress(len(todo), progress, tty)
    try:
        for n, output in runner.run(todo):
            if output.comparisons:
                stats.redone.append(inputs[n].folder)
                for stage, s in output.seconds.items():
                    stats.seconds[stage] = stats.seconds.get(stage, 0.0) + s
            publisher.take(n, output, entries[n][0])
            bar.update(label(inputs[n]))
    finally:
        bar.close()
    stats.redone.sort()
    stats.summaries = list(publisher.summaries)
    return stats
