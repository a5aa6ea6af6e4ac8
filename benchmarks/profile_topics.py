"""Profile the generator's per-topic work (read, align, compare, render) in one process.

    python -m benchmarks.profile_topics --topics 20
    python -m benchmarks.profile_topics --seeds seeds --top 40 --sort tottime

Topics are read with :func:`generator.ingest.read.read_inputs` (outside the
profile: it is file reading) and run through
:func:`generator.pipeline.topic.process_topic`, as a build's workers run
them, under ``cProfile``.  The first topic runs before
the profile starts, so loading the models (the sentence model, py3langid)
is left out and what is printed is the cost that grows with the number of
topics; garbage collection is then set up as in a build's workers.  Synthetic topics are those of :mod:`benchmarks.synth` (seed 1).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import tempfile
import time
from pathlib import Path

from benchmarks.synth import write_corpus
from generator.ingest.read import discover, read_inputs
from generator.pipeline.topic import STAGES, process_topic


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topics", type=int, default=20, help="synthetic topics to write (default: 20, the first the warm-up)")
    parser.add_argument("--articles", type=int, default=6)
    parser.add_argument("--seeds", type=Path, help="profile this seeds folder instead of a synthetic corpus")
    parser.add_argument("--top", type=int, default=30, help="lines of the profile to print")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (default: cumulative)")
    parser.add_argument("--repeat", type=int, default=1, help="run the profiled topics this many times (after the warm-up)")
    parser.add_argument("--save", type=Path, help="also write the raw profile here (for pstats, snakeviz)")
    parser.add_argument("--no-profile", action="store_true", help="only time the topics (cProfile's overhead is not even)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="profile-") as tmp:
        seeds = args.seeds or write_corpus(Path(tmp) / "seeds", args.topics, args.articles)
        inputs = [read_inputs(source, seeds) for source in discover(seeds)]
        first, rest = inputs[0], inputs[1:] or inputs
        process_topic(first)
        gc.freeze()  # as the build's workers do (executor._worker_start)
        gc.set_threshold(20_000, 50, 100)
        profile = cProfile.Profile()
        stages = dict.fromkeys(STAGES, 0.0)
        start, cpu = time.perf_counter(), time.process_time()
        if not args.no_profile:
            profile.enable()
        for _ in range(args.repeat):
            for topic in rest:
                result = process_topic(topic)
                if not result.comparisons:
                    raise SystemExit("\n".join(map(str, result.problems)))
                for stage, seconds in result.seconds.items():
                    stages[stage] += seconds
        profile.disable()
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{len(rest) * args.repeat} topics in {wall:.2f} s, {cpu:.2f} s of CPU" + ("" if args.no_profile else " (under cProfile)"))
    print("stages (wall s): " + ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in stages.items()))
    if args.no_profile:
        return 0
    if args.save:
        profile.dump_stats(args.save)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
