"""Align stage: find the passages that two or more places share.

First version: hashed word n-gram seeds between every pair of token
streams, seeds on nearby diagonals chained into pairwise matches, and
overlapping matches linked into passage groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .models import Article, Member, Passage
from .normalise import Token, article_tokens

SEED = 4
MIN_WORDS = 8
MAX_GAP = 6


def _seeds(a: list[Token], b: list[Token], same: bool) -> list[tuple[int, int]]:
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in range(len(b) - SEED + 1):
        index[tuple(t.norm for t in b[j : j + SEED])].append(j)
    hits = []
    for i in range(len(a) - SEED + 1):
        for j in index.get(tuple(t.norm for t in a[i : i + SEED]), ()):
            if not same or j > i + SEED:
                hits.append((i, j))
    return hits


def _chains(hits: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Chain seeds into ``(a_start, a_end, b_start, b_end)`` token ranges."""
    chains: list[list[int]] = []
    for i, j in sorted(hits):
        for c in chains:
            if 0 <= i - c[1] <= MAX_GAP and 0 <= j - c[3] <= MAX_GAP and abs((i - c[0]) - (j - c[2])) <= MAX_GAP:
                c[1], c[3] = max(c[1], i + SEED), max(c[3], j + SEED)
                break
        else:
            chains.append([i, i + SEED, j, j + SEED])
    return [tuple(c) for c in chains if min(c[1] - c[0], c[3] - c[2]) >= MIN_WORDS]  # type: ignore[misc]


def align(articles: Sequence[Article]) -> list[Passage]:
    """Passage groups shared by two or more places of ``articles``."""
    tokens = {a.id: article_tokens(a) for a in articles}
    spans: list[tuple[str, int, int]] = []
    links: list[tuple[int, int]] = []
    ids = [a.id for a in articles]
    for x, ax in enumerate(ids):
        for ay in ids[x:]:
            ta, tb = tokens[ax], tokens[ay]
            for a0, a1, b0, b1 in _chains(_seeds(ta, tb, ax == ay)):
                spans.append((ax, ta[a0].start, ta[a1 - 1].end))
                spans.append((ay, tb[b0].start, tb[b1 - 1].end))
                links.append((len(spans) - 2, len(spans) - 1))
    parent = list(range(len(spans)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for u, v in links:
        parent[find(u)] = find(v)
    by_place: dict[str, list[int]] = defaultdict(list)
    for k, (art, _, _) in enumerate(spans):
        by_place[art].append(k)
    for ks in by_place.values():
        ks.sort(key=lambda k: spans[k][1])
        for p, q in zip(ks, ks[1:]):
            if spans[q][1] < spans[p][2]:
                parent[find(q)] = find(p)
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(spans)):
        groups[find(k)].append(k)
    text = {a.id: a.text for a in articles}
    order = {a: n for n, a in enumerate(ids)}
    passages = []
    for ks in groups.values():
        merged: dict[str, list[list[int]]] = defaultdict(list)
        for art, s, e in sorted(spans[k] for k in ks):
            runs = merged[art]
            if runs and s < runs[-1][1]:
                runs[-1][1] = max(runs[-1][1], e)
            else:
                runs.append([s, e])
        members = sorted(
            (Member(art, s, e, text[art][s:e]) for art, runs in merged.items() for s, e in runs),
            key=lambda m: (order[m.article], m.start),
        )
        if len(members) >= 2:
            passages.append(members)
    passages.sort(key=lambda ms: (order[ms[0].article], ms[0].start))
    return [Passage(id=f"p{n + 1}", kind="reuse", members=tuple(ms)) for n, ms in enumerate(passages)]
