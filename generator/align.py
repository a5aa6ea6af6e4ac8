"""Align stage: find the passages that two or more places share.

The shape follows the text-reuse systems that work (passim, TextPAIR, the PAN
text-alignment winners), at word level and without all-pairs comparison:

1. every place's words are folded (:mod:`normalise`) with their offsets kept;
2. an inverted index over word 3-grams yields seed hits between places, minus
   banal n-grams (stopwords only, or so frequent that they say nothing);
3. seeds of one pair of places are chained into pairwise matches that tolerate
   substituted words and clauses cut or added, then fragments of one match are
   merged and the ends extended word by word, so a match runs from the first
   to the last shared word;
4. pairwise matches are linked into groups when their spans in a common place
   mostly coincide (not merely touch), which keeps unrelated passages from
   chaining together through one long paragraph;
5. a paraphrase pass scores sentence pairs that no reuse group covers yet by
   weighted content-word overlap and groups each one's best match; a sentence
   that renders a reuse passage in other words joins that passage's group.

Everything works on a canonical order of the articles (by id), so aligning
``[A, B]`` and ``[B, A]`` gives the same groups.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher


from rapidfuzz import fuzz

from .models import Article, Member, Passage, PassageKind
from .normalise import STOPWORDS, Token, tokenize

SEED = 3  # words per seed n-gram
MIN_WORDS = 8  # a passage shares at least this many words between two places
MIN_CONTENT = 4  # ... of which this many are not stopwords
MIN_WORDS_SELF = 12  # one article repeats short phrases by chance; a duplicated passage is longer
SUBSTITUTION_GAP = 4  # words that may differ on both sides between two matching stretches
EDGE = 5  # words a stretch needs before a paragraph break to run on into the next paragraph
INDEL_GAP = 12  # words that one side may add between two matching stretches (a clause)
REPEAT_SHARE = 0.9  # word share of a match that may overlap a longer one of the same pair (a repeat)
MIN_OVERLAP = 0.5  # share of the longer span two matches must have in common to be one passage
PARAPHRASE_MIN = 0.25  # weighted content-word overlap of two sentences that say the same
PARAPHRASE_MIN_REUSED = 0.37  # ... when one of them is part of a reuse passage already
PARAPHRASE_MIN_JOIN = 0.4  # ... to join that reuse passage as one more place (below: a paraphrase of its sentence)
PARAPHRASE_MIN_SHARED = 3  # content words two paraphrased sentences share at least
REUSE_WORD_SHARE = 0.5  # share of matching words above which a sentence pair counts as reuse
STEM = 6  # content words compare on their first letters, so "missile" matches "missiles"

# Words of site furniture: a passage made mostly of them is boilerplate, not reporting.
BOILERPLATE_WORDS = frozenset(
    """advertisement advertising share shares facebook twitter whatsapp email print subscribe
    subscription newsletter sign signup login register click read more comments comment cookie
    cookies privacy policy terms copyright rights reserved reproduced redistributed rewritten
    loading playlist played recently listen live watch video follow tip tips latest related
    stories story app download""".split()
)
_MONTH_NAMES = "january february march april may june july august september october november december".split()
MONTHS = {w: n for n, full in enumerate(_MONTH_NAMES, 1) for w in (full, full[:3])} | {"sept": 9}
NEGATIONS = frozenset("no not never nor none nothing nobody without cannot".split())
NEGATED_VERBS = frozenset("do does did is are was were have has had can could would should wo ca".split())  # "didnt", "wont"
NEGATION_SCOPE = 3  # words after a negation that it denies
ABBREVIATIONS = frozenset("mr mrs ms dr gen col lt sgt rep sen gov st jan feb mar apr jun jul aug sep sept oct nov dec no vs".split())


@dataclass(frozen=True)
class Place:
    """One article's alignable words, in the canonical order of the topic."""

    article: Article
    tokens: list[Token]
    blocks: list[int]  # per word, the number of its block among the blocks that have words


def _place(article: Article) -> Place:
    tokens: list[Token] = []
    blocks: list[int] = []
    for block in article.content_blocks():
        words = tokenize(article.text, block.start, block.end)
        blocks.extend([blocks[-1] + 1 if blocks else 0] * len(words))
        tokens.extend(words)
    return Place(article, tokens, blocks)


@dataclass(frozen=True)
class Match:
    """Words ``[a0, a1)`` of place ``a`` and ``[b0, b1)`` of place ``b`` are one passage."""

    a: int
    a0: int
    a1: int
    b: int
    b0: int
    b1: int


Segment = list[int]  # [a0, a1, b0, b1, last_a0, last_b0] while chaining


def _seed_hits(places: Sequence[Place]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Word positions ``(i, j)`` where places ``a <= b`` share an informative 3-gram inside one paragraph."""
    index: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    for p, place in enumerate(places):
        norms = [t.norm for t in place.tokens]
        stop = [w in STOPWORDS for w in norms]
        blocks = place.blocks
        for i, gram in enumerate(zip(*(norms[k:] for k in range(SEED)))):
            if blocks[i] == blocks[i + SEED - 1] and not all(stop[i : i + SEED]):
                index[gram].append((p, i))
    cap = 2 * len(places) + 4  # a gram in more places than that is a formula, not a quote
    hits: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for postings in index.values():
        if not 2 <= len(postings) <= cap:
            continue
        for x, (a, i) in enumerate(postings):
            for b, j in postings[x + 1 :]:
                if a != b or j >= i + SEED:
                    hits[(a, b)].append((i, j))
    return hits


def _chain(segments: Iterable[tuple[int, int, int, int]], pa: Place, pb: Place) -> list[Segment]:
    """Join matching stretches that follow each other on both sides into longer ones.

    A stretch joins the chain whose end it follows most closely, when the words
    between them are a substitution (a few words on both sides, or up to a clause
    on both sides that still shares some words: a rephrased clause), or an
    insertion (up to a clause on one side, but not a whole paragraph);
    reordered passages never join.
    """
    blocks_a, blocks_b = pa.blocks, pb.blocks
    chains: list[Segment] = []
    active: list[Segment] = []
    for a0, a1, b0, b1 in sorted(segments):
        active = [c for c in active if a0 - c[1] <= INDEL_GAP]
        best: Segment | None = None
        best_cost = (0, 0)
        for c in active:
            if a0 <= c[4] or b0 <= c[5]:
                continue
            ga, gb = a0 - c[1], b0 - c[3]
            if max(ga, gb) > INDEL_GAP or b0 < c[2]:
                continue
            if min(ga, gb) > SUBSTITUTION_GAP and 3 * _common_words(_norms(pa, c[1], a0), _norms(pb, c[3], b0)).total() < min(ga, gb):
                continue
            breaks_a, breaks_b = blocks_a[a0] - blocks_a[c[1] - 1], blocks_b[b0] - blocks_b[c[3] - 1]
            if breaks_a > 1 or breaks_b > 1:
                continue  # a whole paragraph lies between: two passages, not one with an insertion
            if breaks_a and breaks_b and ga != gb:
                continue  # both start a new paragraph after words of their own: the next passage begins
            if (breaks_a or breaks_b) and min(c[1] - c[0], c[3] - c[2]) < EDGE:
                continue  # a paragraph's last few words (an attribution) do not open the next paragraph's passage
            cost = (abs(ga - gb), max(ga, gb))
            if best is None or cost < best_cost:
                best, best_cost = c, cost
        if best is None:
            best = [a0, a1, b0, b1, a0, b0]
            chains.append(best)
            active.append(best)
        else:
            best[1], best[3] = max(best[1], a1), max(best[3], b1)
            best[4], best[5] = a0, b0
    return chains


def _diagonal_runs(hits: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Seeds that follow each other word by word, joined into one stretch first (cheap, and most seeds are)."""
    runs: list[list[int]] = []
    open_runs: dict[int, list[int]] = {}  # diagonal -> run whose last seed starts one word back
    for i, j in sorted(hits):
        run = open_runs.pop(i - j, None)
        if run is not None and run[4] == i - 1:
            run[1], run[3], run[4] = i + SEED, j + SEED, i
        else:
            run = [i, i + SEED, j, j + SEED, i]
            runs.append(run)
        open_runs[i - j] = run
    return [(r[0], r[1], r[2], r[3]) for r in runs]


def _extend(pa: Place, pb: Place, a0: int, a1: int, b0: int, b1: int) -> tuple[int, int, int, int]:
    """Grow a match outwards over equal words, stepping over one differing word when two equal ones follow.

    Growth stays inside the paragraphs the match ends in: a word that happens to
    match across a paragraph break ("... hospital. / The ...") is not shared text.
    """
    a, b = pa.tokens, pb.tokens

    def grow(i: int, j: int, step: int) -> tuple[int, int]:
        block_a, block_b = pa.blocks[i - step], pb.blocks[j - step]

        def ok(x: int, y: int) -> bool:
            return 0 <= x < len(a) and 0 <= y < len(b) and pa.blocks[x] == block_a and pb.blocks[y] == block_b and a[x].norm == b[y].norm

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


def _pair_matches(places: Sequence[Place], a: int, b: int, hits: list[tuple[int, int]]) -> list[Match]:
    """Pairwise matches between places ``a`` and ``b`` (``a == b``: a passage repeated in one article)."""
    na = [t.norm for t in places[a].tokens]
    nb = [t.norm for t in places[b].tokens]
    chains = _chain(_diagonal_runs(hits), places[a], places[b])
    fragments = _chain(((c[0], c[1], c[2], c[3]) for c in chains), places[a], places[b])
    matches = []
    for c in fragments:
        a0, a1, b0, b1 = _extend(places[a], places[b], c[0], c[1], c[2], c[3])
        if a == b and a1 > b0:
            continue  # a stretch overlapping itself is a repetition pattern, not a duplicate
        shared = _common_words(na[a0:a1], nb[b0:b1])
        if _is_passage(shared, MIN_WORDS_SELF if a == b else MIN_WORDS):
            matches.append((2 * shared.total() / (a1 - a0 + b1 - b0), Match(a, a0, a1, b, b0, b1)))
    return _uncrossed(matches)


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
    return [t.norm for t in place.tokens[start:end]]


def _is_passage(shared: Counter[str], min_words: int) -> bool:
    """Enough shared words, enough of them informative, and not site furniture."""
    content = sum(n for w, n in shared.items() if w not in STOPWORDS)
    if shared.total() < min_words or content < MIN_CONTENT:
        return False
    return sum(n for w, n in shared.items() if w in BOILERPLATE_WORDS) < 0.4 * content


def _common_words(a: Sequence[str], b: Sequence[str]) -> Counter[str]:
    """The words two stretches have in common, counted as multisets (``Counter(a) & Counter(b)``, whose
    lookup of every word of ``a`` missing from ``b`` goes through a Python-level ``__missing__``)."""
    in_b = Counter(b)
    return Counter({w: min(n, in_b[w]) for w, n in Counter(a).items() if w in in_b})


def _word_share(a: Sequence[str], b: Sequence[str]) -> float:
    """Share of words two stretches have in common: 1 for the same words, 0 for none."""
    return 2 * _common_words(a, b).total() / max(1, len(a) + len(b))


class _Groups:
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


def _group(spans: list[Span3], links: Iterable[tuple[int, int]]) -> list[list[Span3]]:
    """Passage groups: linked spans, plus spans of one place that mostly coincide.

    Per place, the spans of a group that overlap are merged into one member.
    """
    uf = _Groups(len(spans))
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
    groups = [_merged(spans[k] for k in ks) for ks in uf.groups()]
    return [g for g in groups if len(g) >= 2]


def _merged(spans: Iterable[Span3]) -> list[Span3]:
    """Spans of one place that overlap, merged into one member."""
    runs: list[list[int]] = []
    for p, s, e in sorted(spans):
        if runs and runs[-1][0] == p and s < runs[-1][2]:
            runs[-1][2] = max(runs[-1][2], e)
        else:
            runs.append([p, s, e])
    return [(p, s, e) for p, s, e in runs]


def _reuse_groups(places: Sequence[Place]) -> list[list[Span3]]:
    spans: list[Span3] = []
    links = []
    for (a, b), hits in sorted(_seed_hits(places).items()):
        for m in _pair_matches(places, a, b, hits):
            spans.extend(((m.a, m.a0, m.a1), (m.b, m.b0, m.b1)))
            links.append((len(spans) - 2, len(spans) - 1))
    return _group(spans, links)


_SENTENCE_END = re.compile(r"[.!?…]")


def _sentences(place: Place) -> list[tuple[int, int]]:
    """Word ranges of the sentences of a place: split at end marks before a capital, and at block ends."""
    text, tokens = place.article.text, place.tokens
    out, start = [], 0
    for k in range(1, len(tokens) + 1):
        if k < len(tokens):
            gap = text[tokens[k - 1].end : tokens[k].start]
            if "\n" not in gap:
                if not _SENTENCE_END.search(gap) or not (gap[-1].isspace() or not gap[-1].isalnum()):
                    continue
                if not text[tokens[k].start].isupper() or tokens[k - 1].norm in ABBREVIATIONS:
                    continue
                if "." in text[tokens[k - 1].start : tokens[k - 1].end] and gap.strip() == ".":
                    continue  # "U.S. troops", "a.m. Tuesday": an abbreviation, not an end
        out.append((start, k))
        start = k
    return [s for s in out if s[1] > s[0]]


def _statements(place: Place) -> list[tuple[int, int]]:
    """Sentences, with one too short to be a passage joined to the next of its paragraph ("All is lost. We have ...")."""
    out: list[tuple[int, int]] = []
    pending: int | None = None
    for s, e in _sentences(place):
        start = s if pending is None or place.blocks[pending] != place.blocks[s] else pending
        if pending is not None and start != pending:
            out.append((pending, s))
        if e - start < MIN_WORDS:
            pending = start
        else:
            out.append((start, e))
            pending = None
    if pending is not None:
        out.append((pending, len(place.tokens)))
    return out


def _homes(places: Sequence[Place], sentences: list[Span3], reuse: list[list[Span3]]) -> list[int | None]:
    """Per sentence, the reuse group that covers at least half of it, if any."""
    owner: list[list[int | None]] = [[None] * len(place.tokens) for place in places]  # per word, its first group
    for g, group in enumerate(reuse):
        for p, s, e in group:
            words = owner[p]
            words[s:e] = [g if o is None else o for o in words[s:e]]
    homes: list[int | None] = []
    for p, s, e in sentences:
        counts = Counter(g for g in owner[p][s:e] if g is not None)
        g, n = counts.most_common(1)[0] if counts else (None, 0)
        homes.append(g if 2 * n >= e - s else None)
    return homes


@dataclass(frozen=True)
class Statement:
    """One sentence of a place, reduced to what two wordings of one proposition keep in common."""

    place: int
    start: int
    end: int
    home: int | None  # the reuse group that covers at least half of the sentence
    words: frozenset[str]  # content-word stems and figures, with the topic's synonyms folded together
    numbers: frozenset[str]  # figures and years, and dates as month/figure
    denied: frozenset[str]  # stems that follow a negation closely: "no casualties" does not state "casualties"
    names: frozenset[str] = frozenset()  # stems written with a capital inside the sentence: who and where, not what


def _statements_of(places: Sequence[Place], reuse: list[list[Span3]]) -> list[Statement]:
    """The topic's sentences long enough to be a passage, with the reuse group each lies in."""
    spans = [(p, s, e) for p, place in enumerate(places) for s, e in _statements(place) if e - s >= MIN_WORDS]
    homes = _homes(places, spans, reuse)
    synonyms = _substitutions(places, reuse)
    return [
        _statement(places[p].tokens[s:e], (p, s, e), home, synonyms, places[p].article.text) for (p, s, e), home in zip(spans, homes)
    ]


def _statement(tokens: Sequence[Token], span: Span3, home: int | None, synonyms: dict[str, str], text: str) -> Statement:
    """Figures count as content words: two sentences that give the same figure likely report the same fact."""
    norms = [t.norm for t in tokens]
    stems = [synonyms.get(s, s) for s in map(_stem, norms)]
    words = frozenset(s for w, s in zip(norms, stems) if _is_content(w))
    negation = [_is_negation(w) for w in norms]
    denied = frozenset(s for k, s in enumerate(stems) if any(negation[max(0, k - NEGATION_SCOPE) : k]))
    names = frozenset(
        s for k, (t, s) in enumerate(zip(tokens, stems)) if k and text[t.start].isupper() and t.norm not in MONTHS
    )
    return Statement(*span, home, words, _numbers(norms), denied, names)


# Words of attribution, shared by any two reported sentences whatever they report.
ATTRIBUTION = frozenset(w[:STEM] for w in "said says say told tells reported reports statement according official officials spokesman spokesperson added".split())
PREDICATE_MIN = 1  # common words besides names and attribution that two wordings of one statement share


def _stem(norm: str) -> str:
    return norm[:STEM]


def _is_content(norm: str) -> bool:
    return norm not in STOPWORDS and (len(norm) > 2 or norm.isdigit())


def _is_negation(norm: str) -> bool:
    return norm in NEGATIONS or norm.endswith("nt") and norm[:-2] in NEGATED_VERBS


def _numbers(norms: Sequence[str]) -> frozenset[str]:
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


def _disagree(x: Statement, y: Statement) -> bool:
    """Two sentences on one subject that cannot state the same.

    One denies a word the other asserts ("no Iraqi casualties" / "casualties
    among Iraqis"), or both give figures of one kind (dates, years, other
    figures) and share none.  Negation counts only close before a shared word:
    a "not" elsewhere in a long sentence says nothing about the shared claim.
    """
    if (x.denied ^ y.denied) & x.words & y.words:
        return True
    for kind in ("date", "year", "figure"):
        a, b = {n for n in x.numbers if _kind(n) == kind}, {n for n in y.numbers if _kind(n) == kind}
        if a and b and not a & b:
            return True
    return False


def _kind(number: str) -> str:
    if "/" in number:
        return "date"
    return "year" if len(number) == 4 and 1800 <= int(number) <= 2100 else "figure"


def _substitutions(places: Sequence[Place], reuse: list[list[Span3]]) -> dict[str, str]:
    """The topic's synonyms: content words that replace each other one for one inside reuse passages.

    A word swapped for another in a copied passage ("decreed" for "declared",
    "American" for "US") is evidence that the two say the same elsewhere in the
    topic too.  Each member is compared with the longest member of its group;
    the map sends every stem to the first-seen stem of its class.
    """
    ids: dict[str, int] = {}
    pairs = []
    for group in reuse:
        words = [[t.norm for t in places[p].tokens[s:e]] for p, s, e in group]
        base = max(words, key=len)
        for other in words:
            if other is base:
                continue
            for op, i1, i2, j1, j2 in SequenceMatcher(None, base, other, autojunk=False).get_opcodes():
                if op == "replace" and i2 - i1 == j2 - j1 <= 2:
                    for u, v in zip(base[i1:i2], other[j1:j2]):
                        if _is_content(u) and _is_content(v) and not (u.isdigit() or v.isdigit()):
                            pairs.append((ids.setdefault(_stem(u), len(ids)), ids.setdefault(_stem(v), len(ids))))
    classes = _Groups(len(ids))
    for k, q in pairs:
        classes.union(k, q)
    stems = sorted(ids, key=ids.__getitem__)
    return {w: stems[classes.find(k)] for w, k in ids.items()}


def _weights(statements: Sequence[Statement]) -> dict[str, float]:
    """Inverse document frequency over the topic's sentences: a word most sentences use says little."""
    df = Counter(w for st in statements for w in st.words)
    return {w: math.log(1 + len(statements) / c) for w, c in df.items()}


def _candidates(statements: Sequence[Statement], n_places: int) -> Counter[tuple[int, int]]:
    """Pairs of sentences (one outside reuse) that share indexed stems, from an inverted index, with the count shared."""
    df = Counter(w for st in statements for w in st.words)
    postings: dict[str, list[int]] = defaultdict(list)
    cap = 2 * n_places + 4  # as for seeds: a word in most sentences of every article pairs nothing
    for k, st in enumerate(statements):
        for w in sorted(st.words):
            if df[w] <= cap:
                postings[w].append(k)
    shared: Counter[tuple[int, int]] = Counter()
    for ks in postings.values():
        for x, u in enumerate(ks):
            for v in ks[x + 1 :]:
                if statements[u].home is None or statements[v].home is None:
                    shared[(u, v)] += 1
    return shared


def _score(x: Statement, y: Statement, weight: dict[str, float]) -> float:
    """Idf-weighted overlap of two sentences' content (0–1); too few common words score 0.

    Two sentences about the same people and places may still say different
    things ("Pelosi said on Twitter" / "Pelosi discussed the situation"): the
    common words must include some of what is said, not only who said it.
    """
    common = x.words & y.words
    if len(common) < PARAPHRASE_MIN_SHARED or len(common - x.names - y.names - ATTRIBUTION) < PREDICATE_MIN:
        return 0.0
    return 2 * sum(weight[w] for w in common) / (sum(weight[w] for w in x.words) + sum(weight[w] for w in y.words))


def _threshold(x: Statement, y: Statement) -> float:
    """A pair that would add a place to a reuse passage must agree more: the error spreads to all its members."""
    return PARAPHRASE_MIN if x.home is None and y.home is None else PARAPHRASE_MIN_REUSED


def _scored_pairs(statements: Sequence[Statement], n_places: int) -> dict[tuple[int, int], float]:
    """Scores of the sentence pairs that may state the same proposition."""
    weight = _weights(statements)
    scores = {}
    for (u, v), count in _candidates(statements, n_places).items():
        x, y = statements[u], statements[v]
        if count < PARAPHRASE_MIN_SHARED - 1 or _overlap(_span(x), _span(y)) or _disagree(x, y):
            continue
        score = _score(x, y, weight)
        if score >= _threshold(x, y):
            scores[(u, v)] = score
    return scores


def _span(st: Statement) -> Span3:
    return (st.place, st.start, st.end)


def _best_pairs(statements: Sequence[Statement], scores: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """Pairs where one sentence is the other's best match in its article: one statement does not pull in every loose echo.

    Best in either direction, not both: a sentence that merges two statements of
    another article is the best match of each, though only one is its best.
    """
    best: dict[tuple[int, int], tuple[float, int]] = {}  # (sentence, other place) -> (score, sentence)
    for (u, v), score in scores.items():
        for x, y in ((u, v), (v, u)):
            key = (x, statements[y].place)
            if key not in best or (score, -y) > (best[key][0], -best[key][1]):
                best[key] = (score, y)
    return [(u, v) for u, v in scores if best[(u, statements[v].place)][1] == v or best[(v, statements[u].place)][1] == u]


def _paraphrase_groups(places: Sequence[Place], reuse: list[list[Span3]]) -> list[list[Span3]]:
    """Groups of sentences that say the same in other words, where reuse found nothing.

    Sentence pairs come from an inverted index over content-word stems (the
    topic's synonyms folded together), are dropped when they disagree on a
    figure, a date or a negation, and are kept when their idf-weighted overlap
    is high and one is the other's best match in its article.  At least one
    sentence of a pair lies outside the reuse groups; when its partner lies
    inside one (a translation drifted from a quote that others reproduce), the
    sentence joins that reuse group (updated in place) as one more place of the
    passage if the whole group agrees closely (``PARAPHRASE_MIN_JOIN``); a looser
    rewording becomes a paraphrase passage of its own with the sentences it
    rewords, so a doubtful join never spreads to every member of a reuse passage.
    """
    statements = _statements_of(places, reuse)
    scores = _scored_pairs(statements, len(places))
    groups = []
    for group in _cliques(_best_pairs(statements, scores), scores):
        home = min((h for k in group if (h := statements[k].home) is not None), default=None)
        spans = [_span(statements[k]) for k in group if statements[k].home is None]
        if home is None:
            groups.append(_merged(spans))
        elif min(scores.get((min(u, v), max(u, v)), 1.0) for u in group for v in group if u != v) >= PARAPHRASE_MIN_JOIN:
            reuse[home] = _merged(reuse[home] + [x for x in spans if _joins(x, reuse[home], reuse)])
        else:  # a looser rewording of a reused sentence: a paraphrase of that sentence, not a place of the passage
            groups.append(_merged([_span(statements[k]) for k in group]))
    return groups


def _joins(sentence: Span3, group: list[Span3], reuse: list[list[Span3]]) -> bool:
    """A drifted sentence is one more place of a reuse passage when its article has none yet.

    A sentence around a reused quote of another passage (its attribution), or a
    second, looser version in an article that already holds the passage, is not.
    """
    return all(m[0] != sentence[0] for m in group) and not any(_overlap(sentence, m) for g in reuse for m in g)


def _overlap(x: Span3, y: Span3) -> bool:
    return x[0] == y[0] and x[1] < y[2] and y[1] < x[2]


def _cliques(pairs: list[tuple[int, int]], scores: dict[tuple[int, int], float]) -> list[set[int]]:
    """Grow groups from the strongest pairs, adding a sentence only when it matches every member.

    Loose statements echo each other in chains (A like B, B like C, C unlike A);
    requiring the whole group to agree keeps those chains apart.
    """
    groups: list[set[int]] = []
    for u, v in sorted(pairs, key=lambda p: (-scores[p], p)):
        for group in groups:
            if u in group or v in group:
                new = v if u in group else u
                if new in group or all((min(new, k), max(new, k)) in scores for k in group):
                    group.add(new)
                    break
        else:
            groups.append({u, v})
    return groups


def _describe(places: Sequence[Place], group: list[Span3]) -> tuple[PassageKind, float]:
    """Reuse when the members keep most of the longest member's words, else paraphrase; and their mean similarity (0–1)."""
    words = [[t.norm for t in places[p].tokens[s:e]] for p, s, e in group]
    base = max(range(len(words)), key=lambda k: (len(words[k]), -k))
    others = [w for k, w in enumerate(words) if k != base]
    share = sum(_word_share(words[base], w) for w in others) / len(others)
    ratio = sum(fuzz.ratio(" ".join(words[base]), " ".join(w)) for w in others) / len(others)
    return ("reuse" if share >= REUSE_WORD_SHARE else "paraphrase"), round(ratio / 100, 3)


def align(articles: Sequence[Article]) -> list[Passage]:
    """Passage groups shared by two or more places of ``articles``."""
    canonical = sorted(range(len(articles)), key=lambda k: (articles[k].id, articles[k].text, k))
    places = [_place(articles[k]) for k in canonical]
    order = {p: canonical[p] for p in range(len(places))}  # place -> position in the caller's list
    reuse = _reuse_groups(places)
    passages = []
    paraphrases = _paraphrase_groups(places, reuse)
    for group, found_by_wording in [(g, False) for g in reuse] + [(g, True) for g in paraphrases]:
        kind, similarity = _describe(places, group)
        kind = "paraphrase" if found_by_wording else kind
        members = []
        for p, s, e in group:
            art, toks = places[p].article, places[p].tokens
            start, end = toks[s].start, toks[e - 1].end
            members.append((order[p], start, end, Member(art.id, start, end, art.text[start:end])))
        members.sort(key=lambda m: m[:3])
        passages.append((members, kind, similarity))
    passages.sort(key=lambda x: ([m[:3] for m in x[0]], x[1]))
    return [
        Passage(id=f"p{n + 1}", kind=kind, members=tuple(m[3] for m in members), similarity=similarity)
        for n, (members, kind, similarity) in enumerate(passages)
    ]
