"""One topic from its bytes to its files: parse → align → analyse → views → files, each stage timed.

A pure function of a :class:`~generator.ingest.read.TopicInputs` value (and
the generator installed), so it runs the same in this process, in a worker
process or on a Dask worker, and its result can be cached under the inputs' key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment

from generator.align.crosslang import cross_language
from generator.align.statements import align
from generator.analyse.compare import compare
from generator.ingest.problems import Problem
from generator.ingest.read import TopicInputs, parse_topic
from generator.models import Comparison, Topic
from generator.pipeline.cache import fingerprint
from generator.publish.render import environment, render_topic
from generator.publish.views import TopicSummary, topic_summary

STAGES = ("read", "align", "compare", "render")


@dataclass(frozen=True)
class TopicOutput:
    """The comparisons and rendered files of one topic source, with the seconds each stage took.

    A topic folder gives one comparison; the loose files of a seeds folder
    are grouped into as many topics as they hold.  A topic left out (no
    readable article, a fault of the generator) has no comparison, and its
    problem says why.
    """

    comparisons: tuple[Comparison, ...]
    files: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    summaries: tuple[TopicSummary, ...] = ()  # the topics as the index lists them


@lru_cache(maxsize=1)
def page_environment() -> Environment:
    """The templates, loaded once per process."""
    return environment()


class Stopwatch:
    """Seconds per stage, summed over the topics of one source."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] += now - self.last
        self.last = now


def topics_of(topic: Topic, loose: bool) -> tuple[Topic, ...]:
    """The topics of one source: a topic folder is one topic, loose files are grouped into several."""
    if not loose:
        return (topic,)
    from generator.ingest.piles import split_pile  # numpy, scipy and networkx load only when there are loose files to group

    return split_pile(topic)


def process_topic(inputs: TopicInputs) -> TopicOutput:
    """Parse, align, compare and render the topics of one source, timing each stage."""
    watch = Stopwatch()
    parsed, problems = parse_topic(inputs)
    if parsed is None:
        return TopicOutput((), {}, problems=problems[-1:])  # the topic's own problem says it is left out
    topics = topics_of(parsed, inputs.loose)
    watch.lap("read")
    comparisons, files = [], {}
    for topic in topics:
        try:
            passages = align(topic.articles)
            crossing = cross_language(topic)
            watch.lap("align")
            comparisons.append(compare(topic, passages, crossing))
            watch.lap("compare")
            files.update(render_topic(page_environment(), comparisons[-1]))
            watch.lap("render")
        except Exception as exc:  # a fault of the generator on one topic's text must not take every other topic down
            fault = f"could not be compared ({type(exc).__name__}: {exc}); topic left out, please report it"
            return TopicOutput((), {}, problems=(Problem.at(inputs.where(), fault),))
    summaries = tuple(topic_summary(c) for c in comparisons)
    return TopicOutput(tuple(comparisons), files, watch.seconds, problems, summaries)


def process_remote(inputs: TopicInputs, generator: str) -> TopicOutput:
    """:func:`process_topic` on another machine (a Dask worker), once it is known to run the client's generator."""
    if generator != fingerprint():
        raise RuntimeError(f"worker runs another generator (fingerprint {fingerprint()[:12]}, client {generator[:12]})")
    return process_topic(inputs)
