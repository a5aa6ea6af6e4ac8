"""Grouping time as the pile grows: WikiRef220 term bags copied with perturbation.

Each synthetic article is a WikiRef220 article's term counts with a random
fifth of its word occurrences dropped, so copies of one article are near
duplicates, as several outlets' versions of one wire story are.  Prints the
time of ``group_docs`` at each size, its ratio to the first size and the
ratio per article, the groups found and how many mix WikiRef220 labels, measured
in one run (timings on a shared machine are noisy; ratios are what to compare).

    .venv/bin/python benchmarks/scale_group.py [SIZE ...]
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter

from eval_group import CORPUS, label

from generator.group import group_docs, terms
from generator.read import read_article


def perturbed(doc: Counter[str], rng: random.Random) -> Counter[str]:
    words = [t for t, c in sorted(doc.items()) for _ in range(c)]
    return Counter(w for w in words if rng.random() >= 0.2)


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [220, 2200]
    files = sorted(CORPUS.glob("*.txt"))
    base = [terms(read_article(p, CORPUS)) for p in files]
    labels = [label(p) for p in files]
    rng = random.Random(0)
    first = None
    for size in sizes:
        docs = [perturbed(base[i % len(base)], rng) for i in range(size)]
        started = time.perf_counter()
        grouping = group_docs(docs)
        seconds = time.perf_counter() - started
        first = first or seconds
        mixed = sum(len({labels[m % len(base)] for m in g.members}) > 1 for g in grouping.groups)
        print(
            f"{size:6d} articles: {seconds:7.2f} s (x{seconds / first:.1f}; per article x{seconds / first * sizes[0] / size:.2f}),"
            f" {len(grouping.groups)} groups, {mixed} mixing labels, {len(grouping.unmatched)} unmatched"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
