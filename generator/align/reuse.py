"""Reused text: the word stretches that two or more places share, found as passim and TextPAIR find them.

At word level and without all-pairs comparison:

1. every place's words are folded (:mod:`generator.normalise`) with their offsets kept;
2. an inverted index over word 3-grams yields seed hits between places, minus
   banal n-grams (stopwords only, or so frequent that they say nothing);
3. seeds of one pair of places are chained into pairwise matches that tolerate
   substituted words and clauses cut or added, then fragments of one match are
   merged and the ends extended word by word, so a match runs from the first
   to the last shared word;
4. pairwise matches are linked into groups when their spans in a common place
   mostly coincide (:func:`group_spans`).

Everything works on a canonical order of the articles (by id), so aligning
``[A, B]`` and ``[B, A]`` gives the same groups.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from wordfreq import zipf_frequency

from generator.models import Article
from generator.normalise import MONTHS, STOPWORDS, Token, tokenize

SEED = 3  # words per seed n-gram
MIN_WORDS = 8  # a passage shares at least this many words between two places
MIN_CONTENT = 4  # ... of which this many are not stopwords
SHORT_MATCH = 16  # words below which a match that changes a figure is a shared formula, not copied text
QUOTE_MIN_WORDS = 3  # words of a quote in quotation marks that a passage's member may contain word for word
MIN_WORDS_SELF = 12  # one article repeats short phrases by chance; a duplicated passage is longer
SUBSTITUTION_GAP = 4  # words that may differ on both sides between two matching stretches
EDGE = 5  # words a stretch needs before a paragraph break to run on into the next paragraph
INDEL_GAP = 12  # words that one side may add between two matching stretches (a clause)
REPEAT_SHARE = 0.9  # word share of a match that may overlap a longer one of the same pair (a repeat)
MIN_OVERLAP = 0.5  # share of the longer span two matches must have in common to be one passage
STEM = 6  # content words compare on their first letters, so "missile" matches "missiles"
STOCK_ZIPF = 5.0  # wordfreq Zipf frequency above which a word is everyday English ("players" 5.3, "sensor" 3.9)

# Words of site furniture: a passage made mostly of them is boilerplate, not reporting.
BOILERPLATE_WORDS = frozenset(
    """advertisement advertising share shares facebook twitter whatsapp email print subscribe
    subscription newsletter sign signup login register click read more comments comment cookie
    cookies privacy policy terms copyright rights reserved reproduced redistributed rewritten
    loading playlist played recently listen live watch video follow tip tips latest related
    stories story app download""".split()
)


@dataclass(frozen=True)
class Place:
    """One article's alignable words, in the canonical order of the topic."""

    article: Article
    tokens: list[Token]
    blocks: list[int]  # per word, the number of its block among the blocks that have words
    norms: list[str]  # per word, its folded form: listed once, for the stages slice it again and again


def place_of(article: Article) -> Place:
    tokens: list[Token] = []
    blocks: list[int] = []
    for block in article.content_blocks():
        words = tokenize(article.text, block.start, block.end)
        blocks.extend([blocks[-1] + 1 if blocks else 0] * len(words))
        tokens.extend(words)
    return Place(article, tokens, blocks, [t.norm for t in tokens])


@dataclass(frozen=True)
class Match:
    """Words ``[a0, a1)`` of place ``a`` and ``[b0, b1)`` of place ``b`` are one passage."""

    a: int
    a0: int
    a1: int
    b: int
    b0: int
    b1: int


@dataclass(slots=True)
class Chain:
    """Words ``[a0, a1)`` of one place against ``[b0, b1)`` of another, grown in place while chaining;
    ``last_a``, ``last_b`` are where its last joined stretch starts (a later stretch must start after them)."""

    a0: int
    a1: int
    b0: int
    b1: int
    last_a: int
    last_b: int


def _seed_hits(places: Sequence[Place]) -> dict[tuple[int, int], np.ndarray]:
    """Word positions ``(i, j)`` (rows) where places ``a <= b`` share an informative 3-gram inside one paragraph.

    In numpy: a topic has tens of thousands of 3-grams, and a Python
    inverted index of them was a large share of alignment.
    """
    vocab: dict[str, int] = {}
    codes, where = [], []
    for p, place in enumerate(places):
        n = len(place.tokens) - SEED + 1
        if n <= 0:
            continue
        ids = np.array([vocab.setdefault(w, len(vocab)) for w in place.norms], dtype=np.int64)
        stop = np.array([w in STOPWORDS for w in place.norms])
        blocks = np.asarray(place.blocks)
        keep = (blocks[:n] == blocks[SEED - 1 :]) & ~np.logical_and.reduce([stop[k : k + n] for k in range(SEED)])
        at = np.flatnonzero(keep)
        codes.append(np.stack([ids[k : k + n][at] for k in range(SEED)], axis=1))
        where.append(np.stack([np.full(len(at), p), at], axis=1))
    if not codes:
        return {}
    grams, (place_of_seed, word) = np.concatenate(codes), np.concatenate(where).T
    # One number per gram, word by word (two-word prefixes numbered first, so nothing overflows).
    gram = grams[:, 0]
    for k in range(1, SEED):
        gram = np.unique(gram * len(vocab) + grams[:, k], return_inverse=True)[1].ravel()
    order = np.argsort(gram, kind="stable")  # stable: a gram's postings stay in (place, word) order
    gram, place_of_seed, word = gram[order], place_of_seed[order], word[order]
    x, y = posting_pairs(gram, 2 * len(places) + 4)  # a gram in more places than that is a formula, not a quote
    a, i, b, j = place_of_seed[x], word[x], place_of_seed[y], word[y]
    keep = (a != b) | (j >= i + SEED)
    if not keep.any():
        return {}
    a, i, b, j = a[keep], i[keep], b[keep], j[keep]
    order = np.lexsort((j, i, b, a))
    a, b, ij = a[order], b[order], np.stack([i[order], j[order]], axis=1)
    cuts = np.flatnonzero((a[1:] != a[:-1]) | (b[1:] != b[:-1])) + 1
    return {(int(a[k]), int(b[k])): part for k, part in zip(np.r_[0, cuts].tolist(), np.split(ij, cuts))}


def posting_pairs(keys: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``x < y`` of every two entries of sorted ``keys`` that are equal, for keys held by at most ``cap`` entries.

    The pairs of an inverted index's postings without a loop per posting
    list: lists of one length are cut out of the entries as one matrix.
    """
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    left, right = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= cap)]).tolist():
        postings = starts[sizes == size][:, None] + np.arange(size)
        x, y = np.triu_indices(size, 1)
        left.append(postings[:, x].ravel())
        right.append(postings[:, y].ravel())
    return np.concatenate(left), np.concatenate(right)


def _chain(segments: Iterable[tuple[int, int, int, int]], pa: Place, pb: Place) -> list[Chain]:
    """Join matching stretches that follow each other on both sides into longer ones.

    A stretch joins the chain whose end it follows most closely, when the words
    between them are a substitution (a few words on both sides, or up to a clause
    on both sides that still shares some words: a rephrased clause), or an
    insertion (up to a clause on one side, but not a whole paragraph);
    reordered passages never join.
    """
    blocks_a, blocks_b = pa.blocks, pb.blocks
    chains: list[Chain] = []
    active: list[Chain] = []
    for a0, a1, b0, b1 in sorted(segments):
        active = [c for c in active if a0 - c.a1 <= INDEL_GAP]
        best: Chain | None = None
        best_cost = (0, 0)
        for c in active:
            if a0 <= c.last_a or b0 <= c.last_b:
                continue
            ga, gb = a0 - c.a1, b0 - c.b1
            if max(ga, gb) > INDEL_GAP or b0 < c.b0:
                continue
            if min(ga, gb) > SUBSTITUTION_GAP and 3 * common_words(_norms(pa, c.a1, a0), _norms(pb, c.b1, b0)).total() < min(ga, gb):
                continue
            breaks_a, breaks_b = blocks_a[a0] - blocks_a[c.a1 - 1], blocks_b[b0] - blocks_b[c.b1 - 1]
            if breaks_a > 1 or breaks_b > 1:
                continue  # a whole paragraph lies between: two passages, not one with an insertion
            if breaks_a and breaks_b and ga != gb:
                continue  # both start a new paragraph after words of their own: the next passage begins
            if (breaks_a or breaks_b) and min(c.a1 - c.a0, c.b1 - c.b0) < EDGE:
                continue  # a paragraph's last few words (an attribution) do not open the next paragraph's passage
            cost = (abs(ga - gb), max(ga, gb))
            if best is None or cost < best_cost:
                best, best_cost = c, cost
        if best is None:
            best = Chain(a0, a1, b0, b1, a0, b0)
            chains.append(best)
            active.append(best)
        else:
            best.a1, best.b1 = max(best.a1, a1), max(best.b1, b1)
            best.last_a, best.last_b = a0, b0
    return chains


def _diagonal_runs(hits: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Seeds that follow each other word by word, joined into one stretch first (cheap, and most seeds are).

    Per diagonal ``i - j``, each run of seeds at consecutive words, from its first seed to its last.
    """
    i = hits[:, 0]
    d = i - hits[:, 1]
    order = np.lexsort((i, d))
    i, d = i[order], d[order]
    first = np.flatnonzero(np.r_[True, (d[1:] != d[:-1]) | (i[1:] != i[:-1] + 1)])
    last = np.r_[first[1:], len(i)] - 1
    a0, a1, diagonal = i[first], i[last] + SEED, d[first]
    return list(zip(a0.tolist(), a1.tolist(), (a0 - diagonal).tolist(), (a1 - diagonal).tolist()))


def _extend(pa: Place, pb: Place, a0: int, a1: int, b0: int, b1: int) -> tuple[int, int, int, int]:
    """Grow a match outwards over equal words, stepping over one differing word when two equal ones follow.

    Growth stays inside the paragraphs the match ends in: a word that happens to
    match across a paragraph break ("... hospital. / The ...") is not shared text.
    """
    a, b = pa.norms, pb.norms

    def grow(i: int, j: int, step: int) -> tuple[int, int]:
        block_a, block_b = pa.blocks[i - step], pb.blocks[j - step]

        def ok(x: int, y: int) -> bool:
            return 0 <= x < len(a) and 0 <= y < len(b) and pa.blocks[x] == block_a and pb.blocks[y] == block_b and a[x] == b[y]

        while True:
            if ok(i, j):
                i, j = i + step, j + step
                continue
            for di, dj in ((1, 1), (1, 0), (0, 1)):
                x, y = i + step * di, j + step * dj
                if ok(x, y) and ok(x + step, y + step):
                    i, j = x, y
                    break
            else:
                return i, j

    # The first unequal position on each side: inclusive on the left, exclusive on the right.
    left_a, left_b = grow(a0 - 1, b0 - 1, -1)
    right_a, right_b = grow(a1, b1, 1)
    return left_a + 1, right_a, left_b + 1, right_b


def _pair_matches(places: Sequence[Place], a: int, b: int, hits: np.ndarray) -> list[Match]:
    """Pairwise matches between places ``a`` and ``b`` (``a == b``: a passage repeated in one article)."""
    na, nb = places[a].norms, places[b].norms
    chains = _chain(_diagonal_runs(hits), places[a], places[b])
    fragments = _chain(((c.a0, c.a1, c.b0, c.b1) for c in chains), places[a], places[b])
    matches = []
    for c in fragments:
        a0, a1, b0, b1 = _extend(places[a], places[b], c.a0, c.a1, c.b0, c.b1)
        if a == b and a1 > b0:
            continue  # a stretch overlapping itself is a repetition pattern, not a duplicate
        shared = common_words(na[a0:a1], nb[b0:b1])
        if not _is_passage(shared, MIN_WORDS_SELF if a == b else MIN_WORDS):
            continue
        if min(a1 - a0, b1 - b0) < SHORT_MATCH and figures_conflict(na[a0:a1], nb[b0:b1]):
            continue  # "of the vote and 128 seats in the 300-seat parliament" / "... 129 seats ...": a formula with another figure
        if min(a1 - a0, b1 - b0) < SHORT_MATCH and _stock_phrase(shared):
            continue  # "one of the best players in the world": any writer's words, not copied text
        matches.append((2 * shared.total() / (a1 - a0 + b1 - b0), Match(a, a0, a1, b, b0, b1)))
    return _uncrossed(matches)


def figures(norms: Sequence[str]) -> frozenset[str]:
    """Figures, years and dates of a sentence; a month next to a figure is one date ("December 2018")."""
    out, in_date = set(), set()
    for k, w in enumerate(norms):
        if w in MONTHS:
            for j in (k + 1, k - 1):
                if 0 <= j < len(norms) and norms[j].isdigit():
                    out.add(f"{MONTHS[w]}/{norms[j]}")
                    in_date.add(j)
                    break
    out.update(w for k, w in enumerate(norms) if w.isdigit() and k not in in_date)
    return frozenset(out)


def figure_kind(number: str) -> str:
    """A figure as a date (month/day or month/year), a year or another number."""
    if "/" in number:
        return "date"
    return "year" if len(number) == 4 and 1800 <= int(number) <= 2100 else "figure"


def figures_conflict(a: Sequence[str], b: Sequence[str]) -> bool:
    """Each side gives a figure of one kind (date, year, other) that the other side does not."""
    x, y = figures(a), figures(b)
    for kind in ("date", "year", "figure"):
        xk, yk = {n for n in x if figure_kind(n) == kind}, {n for n in y if figure_kind(n) == kind}
        if xk - yk and yk - xk:
            return True
    return False


def _uncrossed(matches: list[tuple[float, Match]]) -> list[Match]:
    """Drop a weaker match that overlaps a stronger one of the same pair, unless it is a close copy.

    A stretch of one place is one passage of the other: a quote's attribution
    that also echoes the quote's first words ("of the reports ..., said X") is a
    crossing, weaker alignment.  A close copy is kept: the other place repeats
    the passage, or quotes part of it on its own.
    """
    kept: list[Match] = []
    for share, m in sorted(matches, key=lambda x: (-x[1].a1 + x[1].a0 - x[1].b1 + x[1].b0, x[1].a0, x[1].b0)):
        if share >= REPEAT_SHARE or all(_apart(m.a0, m.a1, k.a0, k.a1) and _apart(m.b0, m.b1, k.b0, k.b1) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.a0, m.b0))


def _apart(s: int, e: int, ks: int, ke: int) -> bool:
    """``[s, e)`` and ``[ks, ke)`` share no more than two words (ends that touch)."""
    return min(e, ke) - max(s, ks) <= 2


def _norms(place: Place, start: int, end: int) -> list[str]:
    return place.norms[start:end]


def _is_passage(shared: Counter[str], min_words: int) -> bool:
    """Enough shared words, enough of them informative, and not site furniture."""
    content = sum(n for w, n in shared.items() if w not in STOPWORDS)
    if shared.total() < min_words or content < MIN_CONTENT:
        return False
    return sum(n for w, n in shared.items() if w in BOILERPLATE_WORDS) < 0.4 * content


def _stock_phrase(shared: Counter[str]) -> bool:
    """A short match made only of everyday words (each as common in English as "players" or "world", no
    figure, no rarer name): two writers reach for it on their own."""
    content = [w for w in shared if w not in STOPWORDS]
    return all(w.isalpha() and zipf_frequency(w, "en") >= STOCK_ZIPF for w in content)


def common_words(a: Sequence[str], b: Sequence[str]) -> Counter[str]:
    """The words two stretches have in common, counted as multisets (``Counter(a) & Counter(b)``, whose
    lookup of every word of ``a`` missing from ``b`` goes through a Python-level ``__missing__``)."""
    in_b = Counter(b)
    return Counter({w: min(n, in_b[w]) for w, n in Counter(a).items() if w in in_b})


class UnionFind:
    """Union-find over span indices."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, u: int, v: int) -> None:
        ru, rv = self.find(u), self.find(v)
        if ru != rv:
            self.parent[max(ru, rv)] = min(ru, rv)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for k in range(len(self.parent)):
            out[self.find(k)].append(k)
        return list(out.values())


Span3 = tuple[int, int, int]  # (place, first word, end word)
SENTENCE_END = re.compile(r"[.!?…]")


def group_spans(spans: list[Span3], links: Iterable[tuple[int, int]]) -> list[list[Span3]]:
    """Passage groups: linked spans, plus spans of one place that mostly coincide.

    Per place, the spans of a group that overlap are merged into one member.
    """
    uf = UnionFind(len(spans))
    for u, v in links:
        uf.union(u, v)
    by_place: dict[int, list[int]] = defaultdict(list)
    for k, (p, _, _) in enumerate(spans):
        by_place[p].append(k)
    for ks in by_place.values():
        ks.sort(key=lambda k: spans[k][1:])
        for x, k in enumerate(ks):
            _, s, e = spans[k]
            for q in ks[x + 1 :]:
                _, s2, e2 = spans[q]
                if s2 >= e:
                    break
                if min(e, e2) - s2 >= MIN_OVERLAP * max(e - s, e2 - s2):
                    uf.union(k, q)
    groups = [merged_spans(spans[k] for k in ks) for ks in uf.groups()]
    return [g for g in groups if len(g) >= 2]


def touches(place: Place, end: int, start: int) -> bool:
    """Word ``start`` follows word ``end - 1`` directly, in the same sentence (nothing but spaces and commas between)."""
    if start != end or not 0 < end < len(place.tokens) or place.blocks[end] != place.blocks[end - 1]:
        return False
    gap = place.article.text[place.tokens[end - 1].end : place.tokens[end].start]
    return not SENTENCE_END.search(gap)


def merged_spans(spans: Iterable[Span3], places: Sequence[Place] = ()) -> list[Span3]:
    """Spans of one place that overlap (or, given ``places``, touch inside a sentence), merged into one member."""
    runs: list[list[int]] = []
    for p, s, e in sorted(spans):
        if runs and runs[-1][0] == p and (s < runs[-1][2] or places and touches(places[p], runs[-1][2], s)):
            runs[-1][2] = max(runs[-1][2], e)
        else:
            runs.append([p, s, e])
    return [(p, s, e) for p, s, e in runs]


def reuse_groups(places: Sequence[Place]) -> list[list[Span3]]:
    spans: list[Span3] = []
    links = []
    for (a, b), hits in sorted(_seed_hits(places).items()):
        for m in _pair_matches(places, a, b, hits):
            spans.extend(((m.a, m.a0, m.a1), (m.b, m.b0, m.b1)))
            links.append((len(spans) - 2, len(spans) - 1))
    return group_spans(spans, links)
