"""Publishing topic outputs in discovery order: their problems, distinct slugs, files to a sink, entries to the cache.

Workers finish in any order; the publisher holds each output until every
earlier topic is published, so problems are reported, slugs handed out and
files written in the same order whichever worker was fastest: a parallel or
distributed build is byte for byte the build of one process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

from generator.ingest.problems import Problem, Warn
from generator.models import Comparison
from generator.pipeline.cache import Entry, Stamp, TopicCache
from generator.pipeline.topic import TopicOutput, page_environment
from generator.publish.render import render_topic
from generator.publish.views import TopicSummary, topic_summary
from generator.slug import unique_slug

MISSING: Stamp = (-1, -1)


class Sink(Protocol):
    """Where topic files go as soon as they are ready, so a build never holds all of them at once."""

    def write(self, files: dict[str, str]) -> None:
        """Write ``files`` (docs-relative path to content)."""

    def reuse(self, stamps: dict[str, Stamp]) -> bool:
        """Keep the files ``stamps`` names as they are, if they still are exactly as written; whether it did."""

    def stamps(self, paths: Iterable[str]) -> dict[str, Stamp] | None:
        """Size and modification time of each written file, so a later build can :meth:`reuse` it; None when
        the files are not kept on disk."""


class MemorySink:
    """A :class:`Sink` that keeps the files in memory, for callers that want them all as one mapping."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def write(self, files: dict[str, str]) -> None:
        self.files.update(files)

    def reuse(self, stamps: dict[str, Stamp]) -> bool:
        return False  # nothing from an earlier build is here

    def stamps(self, paths: Iterable[str]) -> None:
        return None


class Publisher:
    """Takes each topic's output or cache entry with its place in discovery order, and publishes them in that order."""

    def __init__(self, sink: Sink, cache: TopicCache | None, warn: Warn, keep: bool = False) -> None:
        self.sink, self.cache, self.warn, self.keep = sink, cache, warn, keep
        self.waiting: dict[int, tuple[TopicOutput | Entry, str | None]] = {}
        self.published = 0
        self.taken: set[str] = set()
        self.comparisons: list[Comparison] = []  # with ``keep``: of the topics re-done or loaded from the cache
        self.summaries: list[TopicSummary] = []  # of every topic published

    def take(self, n: int, item: TopicOutput | Entry, key: str | None) -> None:
        """Topic ``n``'s output (or cache entry, under ``key``); publishes every topic now due."""
        self.waiting[n] = (item, key)
        while self.published in self.waiting:
            self._publish(*self.waiting.pop(self.published))
            self.published += 1

    def _publish(self, item: TopicOutput | Entry, key: str | None) -> None:
        for problem in item.problems:
            self.warn(problem)
        if isinstance(item, Entry):
            if not any(s.slug in self.taken for s in item.summaries) and self.sink.reuse(item.stamps):
                self.taken.update(s.slug for s in item.summaries)  # on disk as written: not even loaded
                self.summaries.extend(item.summaries)
                return
            output = TopicOutput(item.comparisons(), item.files(), problems=item.problems, summaries=item.summaries)
        else:
            output = item
        if not output.comparisons:
            return  # left out; its problem says why
        comparisons = tuple(self._distinct(c) for c in output.comparisons)
        files, summaries = output.files, output.summaries
        if comparisons != output.comparisons:
            files = {r: t for c in comparisons for r, t in render_topic(page_environment(), c).items()}
            summaries = tuple(topic_summary(c) for c in comparisons)
        self.sink.write(files)
        self._store(item, key, output)
        if self.keep:  # a build of 10,000 topics would hold them all (0.3 MB each) for nothing
            self.comparisons.extend(comparisons)
        self.summaries.extend(summaries)

    def _store(self, item: TopicOutput | Entry, key: str | None, output: TopicOutput) -> None:
        """Cache a topic re-done, or a cached topic whose files were written again (their stamps changed)."""
        if self.cache is None or key is None:
            return
        stamps = self.sink.stamps(output.files)
        if isinstance(item, Entry) and (stamps is None or stamps == item.stamps):
            return
        if stamps is None:
            stamps = dict.fromkeys(output.files, MISSING)
        self.cache.put(key, output.summaries, output.problems, output.comparisons, output.files, stamps)

    def _distinct(self, c: Comparison) -> Comparison:
        slug = unique_slug(c.topic.slug, self.taken)
        if slug != c.topic.slug:
            self.warn(Problem.at(c.topic.folder, f"its slug {c.topic.slug!r} is taken by another topic; published as {slug!r}"))
            c = replace(c, topic=replace(c.topic, slug=slug))
        self.taken.add(slug)
        return c
