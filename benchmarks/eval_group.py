"""Grouping benchmark on WikiRef220: ARI, NMI and topics found with default settings.

Labels come from the file names (``ParisAttacks2015 (7).txt`` -> ``ParisAttacks2015``,
``malaysia.airlines.flight.84.txt`` -> ``malaysia.airlines.flight``); unmatched articles
count as topics of their own.  A found topic "mixes" when it holds two labels.

    .venv/bin/python benchmarks/eval_group.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from generator.group import group_articles
from generator.read import read_article

CORPUS = next(
    (p for p in (Path(__file__).resolve().parents[1].parent / "shared", Path("/work/shared")) if p.is_dir()),
    Path("/work/shared"),
) / "corpora" / "wikiref220"


def label(path: Path) -> str:
    """The topic a WikiRef220 file name gives: the name without its trailing number."""
    return re.sub(r"(?:\s*\(\d+\)|\.\d+)$", "", path.stem)


def evaluate(corpus: Path) -> dict[str, float]:
    """Group every article of ``corpus`` with default settings and score it against the file-name labels."""
    files = sorted(corpus.glob("*.txt"))
    articles = [read_article(p, corpus) for p in files]
    truth = [label(p) for p in files]
    started = time.perf_counter()
    grouping = group_articles(articles)
    seconds = time.perf_counter() - started
    found = [len(grouping.groups) + i for i in range(len(files))]  # unmatched: a topic of its own
    for n, g in enumerate(grouping.groups):
        for m in g.members:
            found[m] = n
    mixed = [Counter(truth[m] for m in g.members) for g in grouping.groups if len({truth[m] for m in g.members}) > 1]
    for g in grouping.groups:
        print(f"  {len(g.members):3d}  {dict(Counter(truth[m] for m in g.members))}  [{', '.join(g.signature[:5])}]")
    print(f"  unmatched: {dict(Counter(truth[m] for m in grouping.unmatched))}")
    return {
        "articles": len(files),
        "labels": len(set(truth)),
        "ari": adjusted_rand_score(truth, found),
        "nmi": normalized_mutual_info_score(truth, found),
        "topics": len(grouping.groups),
        "unmatched": len(grouping.unmatched),
        "mixed": len(mixed),
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    s = evaluate(args.corpus)
    print(f"articles: {s['articles']}, labelled topics: {s['labels']}")
    print(f"topics found: {s['topics']} groups + {s['unmatched']} unmatched")
    print(f"ARI: {s['ari']:.3f}  NMI: {s['nmi']:.3f}")
    print(f"groups mixing two labels: {s['mixed']}")
    print(f"grouping time: {s['seconds']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
