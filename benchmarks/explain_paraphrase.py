"""Why the aligner misses gold paraphrase pairs: one line per missed pair, with the cause.

For every pair of members of a gold paraphrase passage (two articles, or one
article twice) that the aligner does not link, the cause is the first step of
the paraphrase pass that loses it:

* ``split``: no sentence of the pass covers most of a gold member (sentence
  splitting or the minimum length);
* ``no candidate``: the two sentences share too few indexed stems (or both lie
  in passages already);
* ``says nothing``: they share names and words of attribution only;
* ``disagree``: the figure/date/negation rule rejects the pair;
* ``other source``: they name different speakers, or different actors;
* ``headline and body``: a headline against another article's body;
* ``below report``: the confidence is under ``REPORT_MIN`` (two body sentences of one article and two
  rows of one list are never reported) (shown with the model cosine and the word overlap);
* ``not best``: another sentence of the same article is more confident;
* ``grouping``: the link was kept but the groups were not joined (a clique or a
  word claimed by another passage).

Run: ``python -m benchmarks.explain_paraphrase [gold.json ...]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.eval_align import DEFAULT_GOLD, gold_articles, resolve
from generator.align import statements as aligner
from generator.models import Article, Passage

Place = tuple[str, int, int]


def _covering(statements: Sequence[aligner.Statement], places: Sequence[aligner.Place], member: Place) -> int | None:
    """The statement that covers most of a gold member's characters, when it covers at least half of it."""
    article, s, e = member
    best, best_chars = None, 0
    for k, st in enumerate(statements):
        place = places[st.place]
        if place.article.id != article:
            continue
        a, b = place.tokens[st.start].start, place.tokens[st.end - 1].end
        chars = min(b, e) - max(a, s)
        if chars > best_chars:
            best, best_chars = k, chars
    return best if 2 * best_chars >= e - s else None


def _linked(passages: Sequence[Passage], x: Place, y: Place) -> bool:
    """Some detected passage has members overlapping both gold members."""

    def hits(p: Passage, m: Place) -> bool:
        return any(q.article == m[0] and q.start < m[2] and m[1] < q.end for q in p.members)
    return any(hits(p, x) and hits(p, y) and (x[0] != y[0] or sum(q.article == x[0] for q in p.members) > 1) for p in passages)


def _snippet(articles: Sequence[Article], member: Place) -> str:
    return next(a.text for a in articles if a.id == member[0])[member[1] : member[2]][:70]


def explain(articles: Sequence[Article], gold: dict) -> list[str]:
    """One line per gold paraphrase pair that no detected passage links, with the step that lost it."""
    passages = aligner.align(articles)
    canonical = sorted(range(len(articles)), key=lambda k: (articles[k].id, articles[k].text, k))
    places = [aligner.place_of(articles[k]) for k in canonical]
    reuse = aligner.reuse_passages(places)
    statements = aligner._statements_of(places, reuse)
    candidates = aligner._candidates(statements, len(places))
    found = {(k.u, k.v): k for k in aligner.links(places, statements)}
    reported = [k for k in found.values() if k.confidence >= aligner._report_min(statements[k.u], statements[k.v])]
    kept = {(k.u, k.v) for k in aligner._best_links(statements, reported)}
    lines = []
    for g in resolve(gold, articles):
        if g.kind == "reuse":
            continue
        for i, x in enumerate(g.members):
            for y in g.members[i + 1 :]:
                if _linked(passages, x, y):
                    continue
                u, v = _covering(statements, places, x), _covering(statements, places, y)
                head = f"{x[0][:3]}~{y[0][:3]} {_snippet(articles, x)!r} / {_snippet(articles, y)!r}"
                if u is None or v is None or u == v:
                    lines.append(f"split           {head}")
                    continue
                u, v = min(u, v), max(u, v)
                su, sv = statements[u], statements[v]
                link = found.get((u, v))
                if candidates.get((u, v), 0) < aligner.PARAPHRASE_MIN_SHARED - 1:
                    cause = "no candidate"
                elif not aligner._says_something(su, sv):
                    cause = "says nothing"
                elif aligner._disagree(su, sv):
                    cause = f"disagree {sorted(su.numbers)} {sorted(sv.numbers)} denied={sorted(su.denied ^ sv.denied)}"
                elif aligner._other_source(su, sv):
                    cause = f"other source {sorted(su.sources)} {sorted(sv.sources)}"
                elif aligner._headline_and_body(su, sv):
                    cause = "headline and body"
                elif link is None:
                    cause = "below report, not embedded"
                elif link.confidence < aligner._report_min(su, sv):
                    cause = f"below report {link.confidence:.2f} (model {link.model:.2f}, words {link.words:.2f})"
                elif (u, v) not in kept:
                    cause = f"not best {link.confidence:.2f}"
                else:
                    cause = f"grouping {link.confidence:.2f}"
                lines.append(f"{cause:<15} {head}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path, default=DEFAULT_GOLD)
    args = parser.parse_args(argv)
    for path in args.gold:
        gold = json.loads(path.read_text(encoding="utf-8"))
        print(f"## {path.name}")
        for line in explain(gold_articles(gold), gold):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
