"""Grouping benchmark: WikiRef220 alone or in a mixed pile, with default settings.

WikiRef220 labels come from the file names (``ParisAttacks2015 (7).txt`` ->
``ParisAttacks2015``, ``malaysia.airlines.flight.84.txt`` ->
``malaysia.airlines.flight``); an invented pile's from its ``labels.json``
(file -> event, or ``"stray"``); the seed articles are one event.  All files
are copied loose into one folder and grouped as ``generator group`` would.
Unmatched articles count as topics of their own.  Reported: ARI and NMI on
WikiRef220's labels, and for every other event whether it is one topic
holding nothing else, for every stray whether it stands alone, and which
found topics hold two labels.

``--tuning`` leaves the held-out WikiRef220 labels (``ParisAttacks2015``,
``malaysia.airlines.flight``) in the pile but out of every figure and line
printed, so that tuning never sees how they are grouped.

    .venv/bin/python benchmarks/eval_group.py                                  # WikiRef220 alone
    .venv/bin/python benchmarks/eval_group.py --seeds --pile tests/data/pile   # the mixed pile
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from generator.ingest.piles import group_articles
from generator.ingest.read import read_article

SHARED = next(
    (p for p in (Path(__file__).resolve().parents[1].parent / "shared", Path("/work/shared")) if p.is_dir()),
    Path("/work/shared"),
)
CORPUS = SHARED / "corpora" / "wikiref220"
SEEDS = SHARED / "seeds"
HELD_OUT = frozenset({"ParisAttacks2015", "malaysia.airlines.flight"})
WIKIREF = "wikiref:"  # prefix of WikiRef220 labels in a mixed pile


def label(path: Path) -> str:
    """The topic a WikiRef220 file name gives: the name without its trailing number."""
    return re.sub(r"(?:\s*\(\d+\)|\.\d+)$", "", path.stem)


def pile_files(corpus: Path | None, seeds: bool, piles: list[Path]) -> dict[Path, str]:
    """Every file of the mixed pile with its label; strays get a label of their own."""
    files: dict[Path, str] = {}
    if corpus:
        files |= {p: WIKIREF + label(p) for p in sorted(corpus.glob("*.txt"))}
    if seeds:
        files |= {p: "seeds" for p in sorted(SEEDS.glob("*.txt"))}
    for pile in piles:
        for name, event in sorted(json.loads((pile / "labels.json").read_text(encoding="utf-8")).items()):
            files[pile / name] = f"stray:{name}" if event == "stray" else event
    return files


def evaluate(corpus: Path | None = CORPUS, seeds: bool = False, piles: list[Path] | None = None, tuning: bool = False) -> dict:
    """Group the mixed pile with default settings and score it."""
    files = pile_files(corpus, seeds, piles or [])
    with tempfile.TemporaryDirectory() as tmp:
        loose = Path(tmp)
        for p in files:
            shutil.copyfile(p, loose / p.name)
        articles = [read_article(loose / p.name, loose) for p in files]
    truth = list(files.values())
    started = time.perf_counter()
    grouping = group_articles(articles)
    seconds = time.perf_counter() - started
    found = [len(grouping.groups) + i for i in range(len(files))]  # unmatched: a topic of its own
    for n, g in enumerate(grouping.groups):
        for m in g.members:
            found[m] = n
    hidden = {m for m, t in enumerate(truth) if tuning and t.removeprefix(WIKIREF) in HELD_OUT}
    shown = [m for m in range(len(truth)) if m not in hidden]
    wiki = [m for m in shown if truth[m].startswith(WIKIREF)]
    topics = [[m for m in g.members if m not in hidden] for g in grouping.groups]
    for g in topics:
        if g:
            print(f"  {len(g):3d}  {dict(Counter(truth[m].removeprefix(WIKIREF) for m in g))}")
    print(f"  unmatched: {dict(Counter(truth[m].removeprefix(WIKIREF) for m in grouping.unmatched if m not in hidden))}")
    events = sorted({t for t in truth if not t.startswith((WIKIREF, "stray:"))})
    whole = [e for e in events if any(g and all(truth[m] == e for m in g) and len(g) == truth.count(e) for g in topics)]
    strays = [m for m in shown if truth[m].startswith("stray:")]
    alone = [m for m in strays if m in grouping.unmatched]
    mixed = [g for g in topics if len({truth[m] for m in g}) > 1]
    invented_mixed = [g for g in topics if len({truth[m] for m in g if not truth[m].startswith(WIKIREF)}) > 1]
    score = {
        "articles": len(shown),
        "labels": len({truth[m] for m in shown}),
        "ari": adjusted_rand_score([truth[m] for m in wiki], [found[m] for m in wiki]) if wiki else float("nan"),
        "nmi": normalized_mutual_info_score([truth[m] for m in wiki], [found[m] for m in wiki]) if wiki else float("nan"),
        "pile_ari": adjusted_rand_score([truth[m] for m in shown], [found[m] for m in shown]),
        "topics": sum(1 for g in topics if g),
        "unmatched": len([m for m in grouping.unmatched if m not in hidden]),
        "mixed": len(mixed),
        "events": len(events),
        "events_whole": len(whole),
        "broken": [e for e in events if e not in whole],
        "strays": len(strays),
        "strays_alone": len(alone),
        "events_merged": len(invented_mixed),
        "seconds": seconds,
    }
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="WikiRef220 folder (default: %(default)s)")
    parser.add_argument("--no-corpus", action="store_true", help="leave WikiRef220 out of the pile")
    parser.add_argument("--seeds", action="store_true", help="add the five seed articles to the pile, as one event")
    parser.add_argument("--pile", type=Path, action="append", default=[], help="add an invented pile (a folder with labels.json)")
    parser.add_argument("--tuning", action="store_true", help="keep the held-out WikiRef220 labels out of every figure and line")
    args = parser.parse_args(argv)
    s = evaluate(None if args.no_corpus else args.corpus, args.seeds, args.pile, args.tuning)
    print(f"articles: {s['articles']}, labelled topics: {s['labels']}{' (held-out labels hidden)' if args.tuning else ''}")
    print(f"topics found: {s['topics']} groups + {s['unmatched']} unmatched")
    print(f"WikiRef220 ARI: {s['ari']:.3f}  NMI: {s['nmi']:.3f}  (whole pile ARI: {s['pile_ari']:.3f})")
    print(f"groups mixing two labels: {s['mixed']}")
    print(f"other events one topic holding nothing else: {s['events_whole']}/{s['events']} {s['broken'] or ''}")
    print(f"strays alone: {s['strays_alone']}/{s['strays']}; groups holding two invented events: {s['events_merged']}")
    print(f"grouping time: {s['seconds']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
