"""Time the aligner against CollateX and a difflib baseline, and check how it scales.

All figures come from one run on the same machine, so ratios are meaningful
even when absolute timings are noisy.

* seed topic: our ``align`` vs CollateX (multi-witness collation of the five
  articles' content words) vs difflib (``SequenceMatcher`` on every pair);
* scaling: the seed articles made 1x, 4x and 16x as long (see ``lengthened``);
* a 60-article topic of ~5 KB articles built from the seeds' passages.

Run: ``python -m benchmarks.bench_align [--no-collatex]``.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import random
import re
import time
from collections.abc import Callable, Sequence
from functools import partial

from generator.align.statements import align
from generator.ingest.read import text_blocks
from generator.models import Article

from .eval_align import ROOT, load_articles

SEED_TOPIC = ROOT / "seeds" / "iran-missile-strikes-2020"


def best_of(fn: Callable[[], object], runs: int) -> float:
    """The fastest of ``runs`` timings, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def content(a: Article) -> str:
    return "\n".join(a.text[b.start : b.end] for b in a.content_blocks())


def difflib_baseline(articles: Sequence[Article]) -> int:
    """Matching blocks of 8+ words between every pair of articles, with difflib."""
    words = [content(a).split() for a in articles]
    found = 0
    for x, y in itertools.combinations(words, 2):
        sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
        found += sum(1 for m in sm.get_matching_blocks() if m.size >= 8)
    return found


def collatex_baseline(articles: Sequence[Article]) -> None:
    from collatex import Collation, collate

    collation = Collation()
    for a in articles:
        collation.add_plain_witness(a.id, content(a))
    collate(collation, output="table", segmentation=True, near_match=False)


def _article(aid: str, text: str) -> Article:
    return Article(aid, f"{aid}.txt", text, text.split("\n", 1)[0], "utf-8", tuple(text_blocks(text)))


def _tagged(body: str, tag: str) -> str:
    """``body`` with ``tag`` glued to every word, so a copy shares no n-gram with the original."""
    return _WORD.sub(lambda m: m.group() + tag, body)


def lengthened(articles: Sequence[Article], factor: int) -> list[Article]:
    """Each article ``factor`` times as long, as if the event ran ``factor`` times.

    Copy ``n`` of an article tags every word with ``n`` ("strike" -> "strikebd"), so
    copy ``n`` of one article shares text with copy ``n`` of the others, as the
    original does, but not with other copies: the topic grows, its reuse does
    not turn into repetition.
    """
    out = []
    for a in articles:
        body = content(a)
        copies = [body] + [_tagged(body, _tag(n)) for n in range(1, factor)]
        out.append(_article(a.id, "\n\n".join(copies)))
    return out


_WORD = re.compile(r"\w+")


def _tag(n: int) -> str:
    letters = ""
    while n:
        n, r = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
    return letters


def big_topic(articles: Sequence[Article], count: int, rng: random.Random, size: int = 5000) -> list[Article]:
    """``count`` articles of about ``size`` characters mixing the seeds' paragraphs, as wire copy is mixed."""
    pool = [a.text[b.start : b.end] for a in articles for b in a.content_blocks() if b.end - b.start > 60]
    out = []
    for n in range(count):
        parts: list[str] = []
        while sum(map(len, parts)) < size:
            p = rng.choice(pool)
            parts.append(p if rng.random() < 0.7 else p.replace("the", "a", 1))
        out.append(_article(f"a{n:03d}", "\n\n".join(parts)))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-collatex", action="store_true", help="skip CollateX (tens of seconds)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rng = random.Random(7)
    seeds = list(load_articles(SEED_TOPIC))
    chars = sum(len(content(a)) for a in seeds)

    ours = best_of(lambda: align(seeds), args.runs)
    dl = best_of(lambda: difflib_baseline(seeds), max(1, args.runs // 2))
    print(f"seed topic: {len(seeds)} articles, {chars} content characters")
    print(f"| aligner | seconds | x ours |\n|---|---|---|\n| ours (align) | {ours:.4f} | 1 |")
    print(f"| difflib pairwise | {dl:.4f} | {dl / ours:.0f} |")
    if not args.no_collatex:
        cx = best_of(lambda: collatex_baseline(seeds), 1)
        print(f"| CollateX | {cx:.2f} | {cx / ours:.0f} |")

    print("\nscaling (same articles, longer):\n| length | content chars | seconds | seconds per 1x |\n|---|---|---|---|")
    base = None
    for factor in (1, 4, 16):
        longer = lengthened(seeds, factor)
        t = best_of(partial(align, longer), max(3, args.runs // factor))
        base = base or t
        print(f"| {factor}x | {sum(len(content(a)) for a in longer)} | {t:.3f} | {t / factor / base:.2f} |")

    topic = big_topic(seeds, 60, rng)
    t = best_of(lambda: align(topic), 3)
    kb = sum(len(a.text) for a in topic) / len(topic) / 1000
    print(f"\n60-article topic (~{kb:.1f} KB each): {t:.2f} s, {len(align(topic))} passages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
