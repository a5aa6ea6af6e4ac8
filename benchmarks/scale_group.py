"""Grouping time as the pile grows: WikiRef220 articles copied with perturbation.

Each synthetic article is a WikiRef220 article with a random fifth of its
paragraphs left out, so copies of one article are near duplicates, as
several outlets' versions of one wire story are.  The held-out labels
(``ParisAttacks2015``, ``malaysia.airlines.flight``) are left out of the
copies.  Prints the time of grouping at each size (each article's names and
passages, the sentence model on the leads, then linking and grouping), its
ratio to the first size and the ratio per article, also for linking and
grouping alone, the groups found and how many mix WikiRef220 labels,
measured in one run (timings on a shared machine are noisy; ratios are what
to compare).

    .venv/bin/python benchmarks/scale_group.py [SIZE ...]
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_group import CORPUS, HELD_OUT, label  # noqa: E402

from generator.embeddings import embed  # noqa: E402
from generator.ingest.piles import group_profiles, profile  # noqa: E402
from generator.ingest.read import read_article  # noqa: E402
from generator.models import Article  # noqa: E402


def perturbed(article: Article, copy: int, rng: random.Random) -> Article:
    """``article`` with each paragraph left out with probability 1/5 (the headline stays)."""
    blocks = tuple(b for b in article.blocks if b.kind != "paragraph" or rng.random() >= 0.2)
    return replace(article, id=f"{article.id}~{copy}", path=f"{article.id}~{copy}.txt", blocks=blocks)


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [220, 2200]
    files = [p for p in sorted(CORPUS.glob("*.txt")) if label(p) not in HELD_OUT]
    base = [read_article(p, CORPUS) for p in files]
    labels = [label(p) for p in files]
    rng = random.Random(0)
    first = None
    for size in sizes:
        articles = [perturbed(base[i % len(base)], i // len(base), rng) for i in range(size)]
        started = time.perf_counter()
        profiles = [profile(a) for a in articles]
        read = time.perf_counter()
        leads = embed([p.lead for p in profiles])
        embedded = time.perf_counter()
        grouping = group_profiles(profiles, leads)
        done = time.perf_counter()
        seconds = done - started
        first = first or (seconds, done - embedded)
        mixed = sum(len({labels[m % len(base)] for m in g.members}) > 1 for g in grouping.groups)
        print(
            f"{size:6d} articles: {seconds:7.2f} s (x{seconds / first[0]:.1f}; per article x{seconds / first[0] * sizes[0] / size:.2f});"
            f" names and passages {read - started:.2f} s, leads {embedded - read:.2f} s, linking and grouping {done - embedded:.2f} s"
            f" (per article x{(done - embedded) / first[1] * sizes[0] / size:.2f}); {len(grouping.groups)} groups,"
            f" {mixed} mixing labels, {len(grouping.unmatched)} unmatched"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
