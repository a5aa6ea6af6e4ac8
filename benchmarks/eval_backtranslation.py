"""How the back-translation test (``stable round trip``) does on its own, and the fit of its ``STABILITY`` table.

Every article is judged alone by ``round_trip_test`` (the sequential test of
``generator.analyse.translation``), without the gate that the build puts in
front of it:

- *MT*: the tune round trips (``tests/data/mt-round-trips/tune``) and the extra round trips of ``--train``
  (made with ``benchmarks/make_round_trips.py`` from tuned-topic WikiRef220 articles, never a frozen fixture's source);
- *originals*: the WikiRef220 articles outside ``ParisAttacks2015`` and ``malaysia.airlines.flight``, and the four
  original seed articles;
- *other MT* (reported, not fitted): seed 003 and the hand-made translated fixtures of ``tests/data``.

``--fit`` prints the ``STABILITY`` rows instead: per class of sentence length and bin of round-trip similarity,
ln of the share of MT sentences over the share of original sentences of that length (each with half a sentence
added), over every sentence that the test may read (``round_tripped``: the first ``MAX_STABLE_SENTENCES`` of ``STABLE_WORDS`` words, at most
``MAX_STABLE_WORDS`` words in all).

    .venv/bin/python benchmarks/eval_backtranslation.py --train /tmp/mt-train/rt [--fit] [--show]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_translation import DATA, ROUND_TRIPS, SEED_TRANSLATION, seed_topic, wikiref_topics  # noqa: E402
from generator.analyse.translation import STABILITY, round_trip_test, round_tripped  # noqa: E402
from generator.ingest.read import discover, read_article, read_topic  # noqa: E402
from generator.models import Article  # noqa: E402

# Lower edges of the similarity bins that ``--fit`` measures.
BINS = (100.0, 95.0, 90.0, 85.0, 80.0, 70.0, 0.0)


def material(train: Path | None) -> dict[str, list[Article]]:
    tuned = wikiref_topics(held_out=False)
    seeds = seed_topic()
    mt = [read_article(p, ROUND_TRIPS) for p in sorted((ROUND_TRIPS / "tune").glob("rt_*.txt"))]
    mt += [read_article(p, p.parent) for p in sorted(train.glob("*.txt"))] if train else []
    other = [a for a in seeds.articles if a.id == SEED_TRANSLATION]
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir() and p != ROUND_TRIPS):
        topic = read_topic(next(s for s in discover(DATA) if s.folder == folder), DATA)
        other += [a for a in topic.articles if "translated" in a.id]
    originals = [a for t in tuned.values() for a in t.articles] + [a for a in seeds.articles if a.id != SEED_TRANSLATION]
    return {"MT": mt, "originals": originals, "other MT": other}


def fit(sets: dict[str, list[Article]]) -> None:
    print("STABILITY = {")
    for lo, hi in STABILITY:
        counts = {}
        for name in ("MT", "originals"):
            ratios = [t.ratio for a in sets[name] for t in round_tripped(a) if lo <= t.words <= hi]
            counts[name] = [sum(next(k for k, low in enumerate(BINS) if r >= low) == b for r in ratios) for b in range(len(BINS))]
        mt, news = counts["MT"], counts["originals"]
        rows = []
        for k, low in enumerate(BINS):
            step = math.log((mt[k] + 0.5) / (sum(mt) + 0.5 * len(BINS))) - math.log((news[k] + 0.5) / (sum(news) + 0.5 * len(BINS)))
            rows.append(f"({low:.1f}, {step:.2f})")
        print(f"    ({lo}, {hi}): ({', '.join(rows)}),  # sentences: MT {sum(mt)} {mt}, originals {sum(news)} {news}")
    print("}")


def judge(name: str, articles: Iterable[Article], show: bool) -> None:
    flagged = nearly = total = words = 0
    scores = []
    for a in articles:
        test = round_trip_test(a)
        flagged += test.stable
        nearly += test.kind == "nearly stable round trip"
        total += 1
        words += test.words
        scores.append(test.llr)
        if show:
            print(f"  {a.id}: {test.kind or 'cleared'} llr={test.llr:.2f} words={test.words}")
    top = max(scores, default=0.0)
    per = words / max(total, 1)
    print(
        f"{name}: stable round trip {flagged}/{total}, nearly stable {nearly}/{total}; words round-tripped {per:.0f} per article; "
        f"highest llr {top:.2f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, help="extra round trips of tuned-topic articles")
    parser.add_argument("--fit", action="store_true", help="print the STABILITY table instead")
    parser.add_argument("--show", action="store_true", help="print every article's test")
    args = parser.parse_args(argv)
    sets = material(args.train)
    start = time.process_time()
    if args.fit:
        fit(sets)
    else:
        for name, articles in sets.items():
            judge(name, articles, args.show)
    print(f"process time {time.process_time() - start:.1f} s")


if __name__ == "__main__":
    main()
