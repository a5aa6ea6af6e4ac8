"""Align stage: the passages that two or more places share, reused or reworded (:func:`align`).

The reused stretches come from :mod:`generator.align.reuse`. Groups that still
overlap or touch in some place are one statement, so one passage: no word of an
article is in two passages. A paraphrase pass then links sentence pairs that
share informative words and rules out pairs whose figures, negations, sources
or actors conflict; the sentence model and the word overlap give each remaining
pair a calibrated confidence; a sentence that states a reuse passage in other
words joins that passage as a paraphrase place, other confident groups become
paraphrase passages, each with its evidence.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from difflib import Match as Match_
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import compress

import numpy as np
from rapidfuzz import fuzz

from generator.align.reuse import (
    MIN_CONTENT,
    MIN_WORDS,
    MIN_WORDS_SELF,
    QUOTE_MIN_WORDS,
    SENTENCE_END,
    STEM,
    SUBSTITUTION_GAP,
    Place,
    Span3,
    UnionFind,
    common_words,
    figure_kind,
    figures,
    figures_conflict,
    merged_spans,
    place_of,
    posting_pairs,
    reuse_groups,
    touches,
)
from generator.embeddings import embed
from generator.models import Article, Attribution, MatchEvidence, Member, Passage, PassageKind
from generator.normalise import ABBREVIATIONS, MONTHS, STOPWORDS, Token, fold, padded, quote_regions

PARAPHRASE_MIN_SHARED = 3  # content words two paraphrased sentences share at least
REUSE_WORD_SHARE = 0.5  # share of matching words above which a sentence pair counts as reuse
NEGATIONS = frozenset("no not never nor none nothing nobody without cannot".split())
NEGATED_VERBS = frozenset("do does did is are was were have has had can could would should wo ca".split())  # "didnt", "wont"
NEGATION_SCOPE = 3  # words after a negation that it denies




def _sentences(place: Place) -> list[tuple[int, int]]:
    """Word ranges of the sentences of a place: split at end marks before a capital, and at block ends."""
    text, tokens = place.article.text, place.tokens
    out, start = [], 0
    for k in [*_marked_gaps(text, tokens), len(tokens)]:
        if k < len(tokens):
            gap = text[tokens[k - 1].end : tokens[k].start]
            if "\n" not in gap:
                if not SENTENCE_END.search(gap) or not (gap[-1].isspace() or not gap[-1].isalnum()):
                    continue
                if not text[tokens[k].start].isupper() or tokens[k - 1].norm in ABBREVIATIONS:
                    continue
                if "." in text[tokens[k - 1].start : tokens[k - 1].end] and gap.strip() == ".":
                    continue  # "U.S. troops", "a.m. Tuesday": an abbreviation, not an end
        out.append((start, k))
        start = k
    return [s for s in out if s[1] > s[0]]


def _marked_gaps(text: str, tokens: Sequence[Token]) -> list[int]:
    """The ``k`` whose gap between words ``k - 1`` and ``k`` holds an end mark or a line break, in order: no other gap
    ends a sentence, and one pass of the regex engine over the text finds them, not one search per gap."""
    if not tokens:
        return []
    starts = [t.start for t in tokens]
    found: list[int] = []
    for m in _GAP_MARK.finditer(text, tokens[0].end, tokens[-1].start):
        k = bisect_right(starts, m.start())
        if m.start() >= tokens[k - 1].end and (not found or found[-1] != k):
            found.append(k)
    return found


_GAP_MARK = re.compile("[\n" + SENTENCE_END.pattern[1:-1] + "]")  # SENTENCE_END's marks and a line break


Sentences = Sequence[Sequence[tuple[int, int]]]  # per place, the word ranges of its sentences


def sentences_of(places: Sequence[Place]) -> list[list[tuple[int, int]]]:
    return [_sentences(place) for place in places]


def _statements(place: Place, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences, with one too short to be a passage joined to the next of its paragraph ("All is lost. We have ...")."""
    out: list[tuple[int, int]] = []
    pending: int | None = None
    for s, e in sentences:
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
        top, n = counts.most_common(1)[0] if counts else (None, 0)
        homes.append(top if 2 * n >= e - s else None)
    return homes


@dataclass(frozen=True)
class Statement:
    """One sentence of a place, reduced to what two wordings of one proposition keep in common."""

    place: int
    start: int
    end: int
    home: int | None  # the passage that covers at least half of the sentence
    words: frozenset[str]  # content-word stems and figures, with the topic's synonyms folded together
    numbers: frozenset[str]  # figures and years, and dates as month/figure
    denied: frozenset[str]  # stems that follow a negation closely: "no casualties" does not state "casualties"
    names: frozenset[str] = frozenset()  # stems of the topic's proper names: who and where, not what
    sources: frozenset[str] = frozenset()  # names and roles next to a word of attribution: who says it
    headline: bool = False
    units: frozenset[tuple[str, str]] = frozenset()  # (figure, the word it counts): "128 seats", "2.0MP", "three years"
    line: bool = False  # a standalone line (headline, subhead, bullet, table row), not a sentence of running text
    row: tuple[str, ...] = ()  # the words of a line written without a full stop (a title, a list item, a table row)
    own_voice: bool = False  # the writer speaks in the first person outside quotation marks ("we'll have more soon")
    numbered: bool = False  # a standalone line that begins with a figure: an item of a numbered list or a timeline


def _statements_of(places: Sequence[Place], passages: list[list[Span3]], sentences: Sentences | None = None) -> list[Statement]:
    """The topic's sentences long enough to be a passage, with the passage each lies in."""
    sentences = sentences or sentences_of(places)
    spans = [(p, s, e) for p, place in enumerate(places) for s, e in _statements(place, sentences[p]) if e - s >= MIN_WORDS]
    homes = _homes(places, spans, passages)
    synonyms = _substitutions(places, passages)
    proper = _proper_stems(places, sentences)
    words = [_words_of(place, synonyms, proper) for place in places]
    kinds = [[b.kind for b in place.article.content_blocks()] for place in places]
    lines = [_lines(place, spans) for place, spans in zip(places, sentences)]
    one_line = [set(found) for found, _ in lines]
    quotes = [quote_regions(place.article) for place in places]
    return [
        _statement(
            places[p], words[p], (p, s, e), home,
            headline=kinds[p][places[p].blocks[s]] == "headline",
            line=(s, e) in one_line[p],
            row=tuple(places[p].norms[s:e]) if (s, e) in lines[p][1] else (),
            numbered=(s, e) in one_line[p] and places[p].article.text[places[p].tokens[s].start].isdigit(),
            own_voice=_own_voice(places[p], s, e, quotes[p]),
        )
        for (p, s, e), home in zip(spans, homes)
    ]


@dataclass(frozen=True)
class _Words:
    """Per word of a place, what its statements are made of: worked out once per place, not once per sentence."""

    raw: list[str]  # stems
    stems: list[str]  # stems, the topic's synonyms folded together
    content: list[bool]
    negation: list[bool]
    named: list[bool]  # a stem of the topic's proper names
    attribution: list[bool]  # a stem of a verb of attribution ("said", "told")
    counted: list[tuple[str, str]]  # see _counted
    figured: list[int]  # the words that are figures or number words (``counted`` has a value)


def _words_of(place: Place, synonyms: dict[str, str], proper: frozenset[str]) -> _Words:
    text, norms = place.article.text, place.norms
    raw = [w[:STEM] for w in norms]
    counted = [_counted(text[t.start : t.end]) for t in place.tokens]
    return _Words(
        raw,
        [synonyms.get(s, s) for s in raw],
        [_is_content(w) for w in norms],
        [_is_negation(w) for w in norms],
        [r in proper for r in raw],
        [r in ATTRIBUTION_VERBS for r in raw],
        counted,
        [k for k, (value, _) in enumerate(counted) if value],
    )


def _own_voice(place: Place, start: int, end: int, quotes: Sequence[tuple[int, int]]) -> bool:
    """A first-person word outside quotation marks; only words that fold like one are looked at as written."""
    if FIRST_PERSON_FOLDED.isdisjoint(place.norms[start:end]):
        return False
    text = place.article.text
    return any(
        t.norm in FIRST_PERSON_FOLDED and _first_person(text, t) and not _inside(t.start, quotes) for t in place.tokens[start:end]
    )


def _statement(
    place: Place, words: _Words, span: Span3, home: int | None, *,
    headline: bool, line: bool, row: tuple[str, ...], own_voice: bool, numbered: bool,
) -> Statement:
    """Figures count as content words: two sentences that give the same figure likely report the same fact."""
    _, start, end = span
    n = end - start
    tokens, norms, text = place.tokens[start:end], place.norms, place.article.text
    raw, stems, is_name = words.raw[start:end], words.stems[start:end], words.named[start:end]
    content = frozenset(compress(stems, words.content[start:end]))
    denied = frozenset(
        stems[k] for j in compress(range(n), words.negation[start:end]) for k in range(j + 1, min(j + 1 + NEGATION_SCOPE, n))
    )
    names = frozenset(compress(stems, is_name))
    sources = set()
    for k in compress(range(n), words.attribution[start:end]):
        for step in (-1, 1):
            j = k
            while 0 <= j + step < n and abs(j + step - k) <= SOURCE_WINDOW and not _clause_break(tokens, j, step, text):
                j += step
                if is_name[j] or raw[j] in SOURCE_ROLES:
                    sources.add(stems[j])
    units, glued = set(), set()
    counted = words.counted
    for at in words.figured[bisect_left(words.figured, start) : bisect_left(words.figured, end)]:
        value, unit = counted[at]
        if unit:
            units.add((value, unit))
            if not norms[at].isdigit():
                glued.add(re.sub(r"\D", "", (value.rstrip("0").rstrip(".") or "0") if "." in value else value))
        elif at + 1 < end and words.content[at + 1] and not counted[at + 1][0]:
            units.add((value, _unit(norms[at + 1])))
    figured = figures(norms[start:end]) | glued
    return Statement(
        *span, home, content, figured, denied, names, frozenset(sources),
        headline=headline, units=frozenset(units), line=line, row=row, own_voice=own_voice, numbered=numbered,
    )


@lru_cache(maxsize=65536)
def _counted(word: str) -> tuple[str, str]:
    """A word as a figure and the unit glued to it ("2.0MP" -> ("2", "megapi"), "2,800mAh", "16-megapixel"),
    or a number word ("three" -> ("3", "")); ("", "") for any other word.

    The figure keeps its decimals as written: "2.1" is not "21", and "2.0" is "2" given to one decimal.
    """
    w = word.lower()
    if w in NUMBER_WORDS:
        return NUMBER_WORDS[w], ""
    m = _COUNT.match(w)
    if m is None:
        return "", ""
    value = m[1].replace(",", "")
    unit = m[2] or ""
    if unit in ORDINAL_SUFFIXES:
        return "", ""
    return value, _unit(unit) if unit else ""


def _unit(word: str) -> str:
    """A unit's stem, singular and spelt out ("years", "yrs" -> "year"; "MP", "megapixels" -> "megapi")."""
    unit = UNIT_ABBREVIATIONS.get(word, word)
    return _stem(unit[:-1] if len(unit) > 3 and unit.endswith("s") and not unit.endswith("ss") else unit)


_COUNT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(?:-?([a-z]+))?$")
# Number words that count something ("three years" / "3 years"); "one" is left out, being a pronoun as often.
NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate("_ _ two three four five six seven eight nine ten eleven twelve".split())
    if n >= 2
} | {w: str(10 * n) for n, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if n >= 2}
ORDINAL_SUFFIXES = frozenset("s st nd rd th".split())  # "3rd", "1990s": a rank or a decade, not a count
# Units written short beside a figure and in full elsewhere ("2.0MP" / "2.1 megapixels").
UNIT_ABBREVIATIONS = {
    "mp": "megapixel", "gb": "gigabyte", "mb": "megabyte", "tb": "terabyte", "ghz": "gigahertz", "mhz": "megahertz",
    "mah": "milliamp", "km": "kilometer", "kg": "kilogram", "bn": "billion", "pc": "percent", "yrs": "year",
}


def _first_person(text: str, token: Token) -> bool:
    word = text[token.start : token.end].replace("’", "'")
    return word in FIRST_PERSON or word.lower() in FIRST_PERSON_ANY_CASE


def _inside(offset: int, regions: Sequence[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in regions)


def _clause_break(tokens: Sequence[Token], k: int, step: int, text: str) -> bool:
    """Punctuation between word ``k`` and its neighbour ``k + step``: the source of "said" does not lie beyond it."""
    a, b = (tokens[k], tokens[k + 1]) if step > 0 else (tokens[k - 1], tokens[k])
    return bool(_CLAUSE.search(text, a.end, b.start))


_CLAUSE = re.compile(r"[,;:()\"“”‘’«».!?]")


# Words of attribution, shared by any two reported sentences whatever they report.
ATTRIBUTION = frozenset(
    w[:STEM]
    for w in "said says say told tells reported reports statement according official officials spokesman spokesperson added".split()
)
ATTRIBUTION_VERBS = frozenset(
    w[:STEM]
    for w in "said says say saying told tells tweeted tweet wrote writes according stated announced claimed confirmed added warned".split()
)
SOURCE_ROLES = frozenset(
    w[:STEM]
    for w in (
        "official officials spokesman spokesperson spokeswoman source sources minister ministry police pentagon chief executive chairman"
    ).split()
)
# The writer's own voice, as written (folded, "we'll" and "we're" would be "well" and "were"; "US" is a country).
FIRST_PERSON = frozenset("i me my mine myself we us our ours ourselves i'm i've i'd i'll we'll we've we're we'd".split())
FIRST_PERSON_ANY_CASE = FIRST_PERSON - {"us"}  # capitalised too ("We", "I"); "US" is the country
FIRST_PERSON_FOLDED = frozenset(map(fold, FIRST_PERSON))  # the words' folded forms: no other word is one of them
NAMED_SOURCE = 2  # name stems that make a source someone in particular ("Jonathan Hoffman", "Mr Trump"; "US" alone is not)
SOURCE_WINDOW = 4  # words either side of "said" that may name who said it
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
PREDICATE_MIN = 1  # common words besides names and attribution that two wordings of one statement share
TITLE_CASE = 0.6  # share of capitalised longer words above which a line is a headline in title case


def _stem(norm: str) -> str:
    return norm[:STEM]


def _is_content(norm: str) -> bool:
    return norm not in STOPWORDS and (len(norm) > 2 or norm.isdigit())


def _is_negation(norm: str) -> bool:
    return norm in NEGATIONS or norm.endswith("nt") and norm[:-2] in NEGATED_VERBS


def _proper_stems(places: Sequence[Place], sentences: Sequence[Sequence[tuple[int, int]]]) -> frozenset[str]:
    """Stems the topic writes with a capital inside sentences more often than without: its names.

    Judged over the whole topic, so a name that opens a sentence ("Iran launched ...")
    is still a name, and a title-case headline makes nothing a name.
    """
    caps: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for place, spans in zip(places, sentences):
        text, norms = place.article.text, place.norms
        initials = [text[t.start] for t in place.tokens]
        upper = [c.isupper() for c in initials]
        counts = [c.isalpha() and w not in MONTHS and w not in WEEKDAYS for c, w in zip(initials, norms)]
        long = [len(w) > 3 for w in norms]
        for s, e in spans:
            n_long = sum(long[s:e])
            if n_long and sum(compress(upper[s:e], long[s:e])) >= TITLE_CASE * n_long:
                continue
            for k in compress(range(s + 1, e), counts[s + 1 : e]):
                (caps if upper[k] else lower)[norms[k][:STEM]] += 1
    return frozenset(w for w, n in caps.items() if n > lower[w])


def _disagree(x: Statement, y: Statement) -> bool:
    """Two sentences on one subject that cannot state the same.

    One denies a word the other asserts ("no Iraqi casualties" / "casualties
    among Iraqis"), or both give figures of one kind (dates, years, other
    figures) and share none.  Negation counts only close before a shared word:
    a "not" elsewhere in a long sentence says nothing about the shared claim.
    A figure rounded to fewer decimals is the same figure ("£5.1bn" / "£5.136bn").
    """
    if (x.denied ^ y.denied) & x.words & y.words:
        return True
    for unit in {u for _, u in x.units} & {u for _, u in y.units}:
        a, b = {n for n, u in x.units if u == unit}, {n for n, u in y.units if u == unit}
        if _unmatched(a, b) and _unmatched(b, a):
            return True  # "128 seats" / "129 seats", "2.1 megapixels" / "2.0MP": the same count, another figure
    decimals = {n.replace(".", ""): n for n, _ in x.units | y.units}  # a statement's figures lost their decimal point
    for kind in ("date", "year", "figure"):
        a, b = ({decimals.get(n, n) for n in st.numbers if figure_kind(n) == kind} for st in (x, y))
        if a and b and len(_unmatched(a, b)) == len(a):
            return True
    return False


def _unmatched(a: set[str], b: set[str]) -> set[str]:
    """The figures of ``a`` that no figure of ``b`` gives, to the same decimals or rounded to fewer."""
    return {n for n in a if not any(_rounded(n, m) for m in b)}


def _rounded(a: str, b: str) -> bool:
    """``a`` and ``b`` are one figure, or one is the other rounded or cut to fewer decimals ("5.1" / "5.136",
    "5" / "4.8"); "2.0" and "2.1" are given to one decimal each, and differ."""
    if a == b:
        return True
    try:
        x, y = Decimal(a), Decimal(b)
    except InvalidOperation:
        return False  # a date ("12/2018")
    (short, places), (long_, more) = sorted(((x, len(a.partition(".")[2])), (y, len(b.partition(".")[2]))), key=lambda f: f[1])
    if places == more:
        return short == long_
    step = Decimal(1).scaleb(-places)
    return short in (long_.quantize(step, ROUND_HALF_UP), long_.quantize(step, ROUND_DOWN))


def _other_source(x: Statement, y: Statement) -> bool:
    """Both sentences name who speaks, or who acts, and the names have nothing in common: two statements.

    "Hoffman said the Pentagon is assessing the damage" and "Mr Trump tweeted ...
    an assessment of damages" share the claim's words but not its source;
    "Ibrahim Abdeslam blew himself up outside the Comptoir Voltaire" and "Bilal
    Hadfi blew himself up outside the Stade de France" share the act but not
    who did it, or where.
    """
    named_x, named_y = x.sources & x.names, y.sources & y.names
    if len(named_x) >= NAMED_SOURCE and len(named_y) >= NAMED_SOURCE and not x.sources & y.sources:
        return True
    if x.own_voice and y.own_voice and x.place != y.place:
        return True  # two writers each speaking for themselves ("We'll have more soon" / "We'll be going hands-on soon")
    return bool(x.names and y.names and not x.names & y.names)


def _compatible(x: Statement, y: Statement) -> bool:
    """Nothing rules out that the two sentences state the same: no conflicting figure, negation, source or actor."""
    return not (_disagree(x, y) or _other_source(x, y) or _headline_and_body(x, y))


def _list_items(x: Statement, y: Statement) -> bool:
    """Two rows of one article's list or table ("4.0 out of 5 for Color shading in low light" / "... in
    bright light"): lines without a full stop that keep one formula and swap some of its words state one
    item each, not one statement.  A subhead that its lead restates words it otherwise."""
    if x.place != y.place or not x.row or not y.row:
        return False
    ops = SequenceMatcher(None, x.row, y.row, autojunk=False).get_opcodes()
    kept = sum(i2 - i1 for op, i1, i2, _, _ in ops if op == "equal")
    swapped = [op for op, *_ in ops if op != "equal"]
    return bool(swapped) and all(op == "replace" for op in swapped) and 2 * kept >= max(len(x.row), len(y.row))


def _report_min(x: Statement, y: Statement) -> float:
    """The confidence a pair needs to be reported; never reached by two sentences of one article's running
    text, by two items of one article's numbered list or timeline, nor by two rows of one list.

    A writer seldom states a thing twice in the body of one article, while its sentences share the
    article's own vocabulary ("battery life", "200 nits", "device power" in every paragraph of a review):
    even above 0.85, half of such pairs in samsung.galaxy.s5 were two claims; and lines that each begin
    with a figure ("32 Football League attendances ... up 8.5%" / "10 FA Cup attendances ... up by 8.5%",
    "1989-90: Nebbeling is the only Fulham player ...") are the items of a list.  A headline, subhead or
    bullet that its body restates is the usual case and needs no more than any pair.
    """
    if _list_items(x, y):
        return math.inf
    if x.place == y.place and (not (x.line or y.line) or x.numbered and y.numbered):
        return math.inf
    return REPORT_MIN


def _headline_and_body(x: Statement, y: Statement) -> bool:
    """A headline sums up its story: it is compared with other headlines, or with its own article's body."""
    return x.headline != y.headline and x.place != y.place


def _attribution(x: Statement, y: Statement) -> Attribution:
    if x.sources and y.sources:
        return "same"  # conflicting sources were rejected before
    return "one" if x.sources or y.sources else "none"


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
        words = [places[p].norms[s:e] for p, s, e in group]
        base = max(words, key=len)
        for other in words:
            if other is base or other == base:
                continue  # a verbatim copy swaps no word
            for op, i1, i2, j1, j2 in SequenceMatcher(None, base, other, autojunk=False).get_opcodes():
                if op == "replace" and i2 - i1 == j2 - j1 <= 2:
                    for u, v in zip(base[i1:i2], other[j1:j2]):
                        if _is_content(u) and _is_content(v) and not (u.isdigit() or v.isdigit()):
                            pairs.append((ids.setdefault(_stem(u), len(ids)), ids.setdefault(_stem(v), len(ids))))
    classes = UnionFind(len(ids))
    for k, q in pairs:
        classes.union(k, q)
    stems = sorted(ids, key=ids.__getitem__)
    return {w: stems[classes.find(k)] for w, k in ids.items()}


def _weights(statements: Sequence[Statement]) -> dict[str, float]:
    """Inverse document frequency over the topic's sentences: a word most sentences use says little."""
    df = Counter(w for st in statements for w in st.words)
    return {w: math.log(1 + len(statements) / c) for w, c in df.items()}


def _candidates(statements: Sequence[Statement], n_places: int) -> Counter[tuple[int, int]]:
    """Pairs of sentences (one outside every passage) that share indexed stems, from an inverted index, with the count shared.

    The pairs of each stem's postings come out of :func:`posting_pairs` in numpy, not a loop per pair.
    """
    ids: dict[str, int] = {}
    stem = np.array([ids.setdefault(w, len(ids)) for st in statements for w in st.words], dtype=np.int64)
    sentence = np.repeat(np.arange(len(statements)), [len(st.words) for st in statements])
    order = np.lexsort((sentence, stem))  # each stem's postings in sentence order
    cap = 2 * n_places + 4  # as for seeds: a word in most sentences of every article pairs nothing
    x, y = posting_pairs(stem[order], cap)
    u, v = sentence[order][x], sentence[order][y]
    loose = np.array([st.home is None for st in statements], dtype=bool)
    keep = loose[u] | loose[v]
    pairs, counts = np.unique(u[keep] * len(statements) + v[keep], return_counts=True)
    return Counter(dict(zip(zip((pairs // len(statements)).tolist(), (pairs % len(statements)).tolist()), counts.tolist())))


def claim(x: Statement) -> frozenset[str]:
    """What a sentence claims: its content words, less names, sources and words of attribution.

    Two quotes attributed to "a Pentagon official told ABC News" share their
    source, not their claim.
    """
    return x.words - x.sources - x.names - ATTRIBUTION


def word_overlap(cx: frozenset[str], cy: frozenset[str], weight: dict[str, float]) -> float:
    """Idf-weighted overlap of two claims (0–1)."""
    total = sum(weight[w] for w in cx) + sum(weight[w] for w in cy)
    return 2 * sum(weight[w] for w in cx & cy) / total if total else 0.0


def _says_something(x: Statement, y: Statement) -> bool:
    """The common words include some of what is said, not only who said it ("Pelosi said on Twitter" /
    "Pelosi discussed the situation")."""
    common = x.words & y.words
    claim = common - x.names - y.names - x.sources - y.sources - ATTRIBUTION
    return len(common) >= PARAPHRASE_MIN_SHARED and len(claim) >= PREDICATE_MIN


# Confidence that two sentences state the same: a logistic function of the sentence model's cosine,
# the idf-weighted overlap of their claims, whether both name their (same) source, whether they are two
# sentences of one article, whether they give the same figure, and how many of their names they share;
# fitted on the tune gold with ``python -m benchmarks.eval_align --fit``.
CONFIDENCE_WEIGHTS = (-5.22, 2.78, 9.9, 1.05, -0.8, 0.99, 1.18)  # intercept, model, words, same source, same article, figure, names
CANDIDATE_MIN = 0.4  # below this confidence a pair is looked at no further (neither a drifted copy nor a paraphrase)
# Below REPORT_MIN a pair is not reported at all: on real topics no rule was fitted on, a paraphrase
# passage under 0.7 stated the same thing less than half the time (benchmarks/RESULTS.md, precision audit).
REPORT_MIN = 0.7
DRIFT_SHARE = 0.5  # share of a drifted copy's words (first to last shared word) that the two places share in order
DRIFT_MIN_WORDS = 6  # ... and at least this many words
LINE_WORDS = 20  # words of a standalone line (headline, subhead, summary bullet) whose repeat in its own body is looked for
LINE_CANDIDATES = 3  # sentences, those sharing most of a line's stems, compared with it word by word
LINE_SHARE = 0.7  # share of the words, first to last shared one, that such a line and its repeat share in order
QUOTED_SOME = 0.25  # share of a sentence in quotation marks below which it holds no quote that could have drifted
MODEL_CEILING = 0.9  # a cosine two different sentences seldom exceed in the sentence model (the bound for embedding a pair)
RESCUE_MODEL = 0.7  # the sentence model's cosine that takes a pair sharing few words to the confidence function
MIN_STATEMENT = 4  # words of a paraphrase member at least ("Tsipras conceded defeat" is a statement)
TRIM_GAP = 6  # words between a shared word at a member's edge and the next one, above which the edge word is dropped


@dataclass(frozen=True)
class Link:
    """Two sentences that may state the same, with the evidence for it."""

    u: int
    v: int
    model: float  # cosine of the two sentences in the sentence model
    words: float  # idf-weighted overlap of their claims (names and attribution aside)
    attribution: Attribution
    same_article: bool
    figure: bool = False  # both give a figure, and one of them is the same
    names: float = 0.0  # share of their names they have in common (0 when either names none)

    @property
    def features(self) -> tuple[float, ...]:
        """What the confidence is a logistic function of, in the order of ``CONFIDENCE_WEIGHTS`` (1 for the intercept)."""
        return (1.0, self.model, self.words, float(self.attribution == "same"), float(self.same_article), float(self.figure), self.names)

    @property
    def confidence(self) -> float:
        z = sum(w * f for w, f in zip(CONFIDENCE_WEIGHTS, self.features))
        return 1 / (1 + math.exp(-z))


def links(places: Sequence[Place], statements: Sequence[Statement], floor: float = CANDIDATE_MIN) -> list[Link]:
    """Every candidate pair of sentences that nothing rules out, with its features.

    Ruled out: overlapping sentences, pairs whose figures, dates or negations
    disagree, and pairs whose sources or actors are other people or places.
    Only pairs that the sentence model could lift to ``floor`` are embedded;
    pairs that share only names and words of attribution need a high cosine.
    """
    weight = _weights(statements)
    claims = [claim(st) for st in statements]
    pairs = [pair for pair, count in sorted(_candidates(statements, len(places)).items()) if count >= PARAPHRASE_MIN_SHARED - 1]
    pending = []  # (link with the model's cosine still unknown, whether only the model can back it)
    for (u, v), reach in zip(pairs, _within_reach(statements, claims, weight, pairs, floor).tolist()):
        x, y = statements[u], statements[v]
        if not reach or _overlap(_span(x), _span(y)) or not _compatible(x, y):
            continue
        names = len(x.names & y.names) / len(x.names | y.names) if x.names and y.names else 0.0
        overlap = round(word_overlap(claims[u], claims[v], weight), 4)
        link = Link(u, v, MODEL_CEILING, overlap, _attribution(x, y), x.place == y.place, bool(x.numbers & y.numbers), round(names, 4))
        if link.confidence >= floor:  # else even a cosine at the ceiling would not lift it to a report: no need to embed
            pending.append((link, not _says_something(x, y)))
    needed = sorted({k for link, _ in pending for k in (link.u, link.v)})
    row = {k: n for n, k in enumerate(needed)}
    vectors = embed([_text(places, statements[k]) for k in needed])
    out = []
    for link, weak in pending:
        model = round(float(vectors[row[link.u]] @ vectors[row[link.v]]), 4)
        if not weak or model >= RESCUE_MODEL:
            out.append(replace(link, model=model))
    return out


def _within_reach(
    statements: Sequence[Statement], claims: Sequence[frozenset[str]], weight: dict[str, float], pairs: Sequence[tuple[int, int]],
    floor: float,
) -> np.ndarray:
    """Per pair, whether :attr:`Link.confidence` with the model's cosine at its ceiling reaches ``floor``
    (less a margin for rounding), worked out for every pair at once in numpy.

    Most candidate pairs fall short on their words alone; ruling them out one
    by one (figures, negations, sources) was most of the cost of linking.  A
    pair within reach is judged in full, so the margin only lets a few more through.
    """
    if not pairs or not 0 < floor < 1:
        return np.ones(len(pairs), dtype=bool)
    u, v = np.array(pairs, dtype=np.int64).T
    claimed = np.array([sum(weight[w] for w in c) for c in claims])
    total = claimed[u] + claimed[v]
    words = np.divide(2 * _shared(claims, u, v, weight), total, out=np.zeros(len(u)), where=total > 0)
    figure = _shared([st.numbers for st in statements], u, v) > 0
    named = np.array([len(st.names) for st in statements])
    common = _shared([st.names for st in statements], u, v)
    names = np.divide(common, named[u] + named[v] - common, out=np.zeros(len(u)), where=(named[u] > 0) & (named[v] > 0))
    sourced = np.array([bool(st.sources) for st in statements])
    place = np.array([st.place for st in statements])
    features = (np.ones(len(u)), np.full(len(u), MODEL_CEILING), words, sourced[u] & sourced[v], place[u] == place[v], figure, names)
    z = sum(w * f for w, f in zip(CONFIDENCE_WEIGHTS, features))
    return z >= math.log(floor / (1 - floor)) - REACH_MARGIN


REACH_MARGIN = 1e-3  # in the logit: the bound sums in another order than the confidence, and before its rounding


def _shared(sets: Sequence[frozenset[str]], u: np.ndarray, v: np.ndarray, weight: dict[str, float] | None = None) -> np.ndarray:
    """Per pair ``(u[k], v[k])``, what sets ``u[k]`` and ``v[k]`` have in common: how many elements, or their summed ``weight``."""
    ids: dict[str, int] = {}
    members = [np.array(sorted(ids.setdefault(w, len(ids)) for w in s), dtype=np.int64) for s in sets]
    n = max(len(ids), 1)
    keys = np.concatenate([k * n + m for k, m in enumerate(members)])  # sorted: by set, then element
    if not len(keys):
        return np.zeros(len(u))
    of_u = np.concatenate([members[k] for k in u.tolist()])
    pair = np.repeat(np.arange(len(u)), [len(members[k]) for k in u.tolist()])
    query = v[pair] * n + of_u
    hit = keys[np.minimum(np.searchsorted(keys, query), len(keys) - 1)] == query
    values = np.ones(n) if weight is None else np.array([weight[w] for w in ids])
    return np.bincount(pair[hit], weights=values[of_u[hit]], minlength=len(u))


def _text(places: Sequence[Place], st: Statement) -> str:
    place = places[st.place]
    return place.article.text[place.tokens[st.start].start : place.tokens[st.end - 1].end]


def _span(st: Statement) -> Span3:
    return (st.place, st.start, st.end)


def _best_links(statements: Sequence[Statement], found: Sequence[Link]) -> list[Link]:
    """Links where one sentence is the other's best match in its article: one statement does not pull in every loose echo.

    Best in either direction, not both: a sentence that merges two statements of
    another article is the best match of each, though only one is its best.
    """
    best: dict[tuple[int, int], tuple[float, int]] = {}  # (sentence, other place) -> (confidence, sentence)
    for link in found:
        for x, y in ((link.u, link.v), (link.v, link.u)):
            key = (x, statements[y].place)
            if key not in best or (link.confidence, -y) > (best[key][0], -best[key][1]):
                best[key] = (link.confidence, y)
    return [
        link
        for link in found
        if best[(link.u, statements[link.v].place)][1] == link.v or best[(link.v, statements[link.u].place)][1] == link.u
    ]


def _cliques(statements: Sequence[Statement], found: Sequence[Link]) -> list[tuple[set[int], dict[tuple[int, int], Link]]]:
    """Grow groups from the strongest links, adding a sentence when it is linked to every member, or
    confidently to one and in conflict with none.

    Loose statements echo each other in chains (A like B, B like C, C unlike A);
    requiring the whole group to agree keeps those chains apart.  Two sentences of one
    article's running text meet in a group only when they are linked themselves (see
    :func:`_report_min`): through a third sentence they would be two statements of one review.
    """
    by_pair = {(link.u, link.v): link for link in found}
    groups: list[set[int]] = []
    of: dict[int, set[int]] = {}  # sentence -> its group: a sentence is in one group at most
    for link in sorted(found, key=lambda k: (-k.confidence, k.u, k.v)):
        u, v = link.u, link.v
        if u not in of and v not in of:
            groups.append({u, v})
            of[u] = of[v] = groups[-1]
            continue
        if u in of and v in of:
            continue
        group, new = (of[u], v) if u in of else (of[v], u)
        linked = [(min(new, k), max(new, k)) in by_pair for k in group]
        if all(linked) or (
            all(_compatible(statements[new], statements[k]) for k in group)
            and all(ok or _report_min(statements[new], statements[k]) == REPORT_MIN for ok, k in zip(linked, group))
        ):
            group.add(new)
            of[new] = group
    return [(g, {pair: by_pair[pair] for pair in by_pair if pair[0] in g and pair[1] in g}) for g in groups]


def _overlap(x: Span3, y: Span3) -> bool:
    return x[0] == y[0] and x[1] < y[2] and y[1] < x[2]


def reuse_passages(places: Sequence[Place], sentences: Sentences | None = None) -> list[list[Span3]]:
    """The reused-text passages, one per statement, each member at full length (drifted ends included)."""
    return _at_full_length(places, one_per_statement(reuse_groups(places), places), sentences or sentences_of(places))


def one_per_statement(groups: list[list[Span3]], places: Sequence[Place]) -> list[list[Span3]]:
    """Groups that overlap in some place, or touch inside one sentence, are one statement: one passage.

    Pairwise matches of one quote end in different places in different articles
    ("It is clear that these missiles were launched from Iran" alone, or with the
    rest of the statement); each article's spans of the merged group that overlap
    or touch become one member.
    """
    groups = _statements_through_copies(groups, places)
    uf = UnionFind(len(groups))
    by_place: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for g, group in enumerate(groups):
        for p, s, e in group:
            by_place[p].append((s, e, g))
    for p, spans in by_place.items():
        spans.sort()
        reach, owner = -1, -1
        for s, e, g in spans:
            if owner >= 0 and (s < reach or touches(places[p], reach, s)):
                uf.union(owner, g)
            if e > reach:
                reach, owner = e, g
    merged = [merged_spans([span for g in ks for span in groups[g]], places) for ks in uf.groups()]
    return sorted(merged)


def _one_block_twice(group: Sequence[Span3], places: Sequence[Place]) -> bool:
    """The group is one article's run of paragraphs printed twice or more (a scraped page that holds its body
    twice): every member in one place, across paragraphs."""
    p, s, e = group[0]
    return len(group) >= 2 and all(q == p for q, _, _ in group) and places[p].blocks[s] != places[p].blocks[e - 1]


def _statements_through_copies(groups: list[list[Span3]], places: Sequence[Place]) -> list[list[Span3]]:
    """A run of paragraphs an article prints twice holds many statements; merged through it, the statements
    other articles share with it would become one passage of unrelated sentences (samsung.galaxy.s5: a review
    printed three times gathered a sensor, the water rating and a card slot from five other articles).

    Each such statement keeps its own passage.  Where the copies have the same words, it takes its place in
    every copy, and the stretches of the copies left between such statements stay repeat passages; copies that
    differ are not mapped onto each other, and their repeat is left out where it holds another article's statement.
    """
    out = [list(g) for g in groups]
    copied = {g for g, group in enumerate(groups) if _one_block_twice(group, places)}
    pieces: list[list[Span3]] = []
    for g in sorted(copied):
        copies = groups[g]
        p, c0, c1 = copies[0]
        if any(places[p].norms[a:b] != places[p].norms[c0:c1] for _, a, b in copies):
            continue
        taken: list[tuple[int, int]] = []  # word ranges of a copy, counted from its start, that a statement holds
        for h, other in enumerate(out):
            if h in copied:
                continue
            mapped: list[Span3] = []
            for q, s, e in other:
                for _, a0, a1 in copies:
                    if q == p and s < a1 and a0 < e:
                        a, b = max(s, a0) - a0, min(e, a1) - a0
                        taken.append((a, b))
                        mapped.extend((p, d0 + a, d0 + b) for _, d0, _ in copies)
            if mapped:
                out[h] = merged_spans(other + mapped)
        pos = 0
        for a, b in sorted(taken) + [(c1 - c0, c1 - c0)]:
            if a - pos >= MIN_WORDS_SELF:
                pieces.append([(p, d0 + pos, d0 + a) for _, d0, _ in copies])
            pos = max(pos, b)
        out[g] = []
    shared: dict[int, list[tuple[int, int]]] = defaultdict(list)  # per place, the spans of statements other articles share
    for h, group in enumerate(out):
        if h not in copied:
            for q, s, e in group:
                shared[q].append((s, e))

    def apart(group: Sequence[Span3]) -> bool:
        return not any(
            a < e and s < b or touches(places[q], e, a) or touches(places[q], b, s) for q, s, e in group for a, b in shared[q]
        )

    kept = [group for h, group in enumerate(out) if h not in copied]
    return kept + [group for h, group in enumerate(out) if h in copied and group and apart(group)] + [g for g in pieces if apart(g)]


Claims = dict[int, list[tuple[int, int]]]  # per place, the word ranges some passage holds


def _free_part(span: Span3, claims: Claims, min_words: int = MIN_WORDS) -> Span3 | None:
    """The longest run of ``span``'s words that no passage holds yet, if it is long enough to be a place."""
    p, s, e = span
    taken = sorted((a, b) for a, b in claims.get(p, ()) if a < e and s < b)
    best, pos = (s, s), s
    for a, b in taken + [(e, e)]:
        if a - pos > best[1] - best[0]:
            best = (pos, min(a, e))
        pos = max(pos, b)
    return (p, *best) if best[1] - best[0] >= min_words else None


def _trimmed(places: Sequence[Place], statements: Sequence[Statement], k: int, link: Link) -> Span3:
    """Sentence ``k`` from its first to its last content word that the linked sentence shares.

    A shared word far from the others ("... saying his party would not join a
    New Democracy-led government") does not stretch the member: the statement
    is where the shared words are.
    """
    x, y = statements[k], statements[link.v if k == link.u else link.u]
    common = x.words & y.words
    tokens = places[x.place].tokens
    at = [i for i in range(x.start, x.end) if _is_content(tokens[i].norm) and _stem(tokens[i].norm) in common or tokens[i].norm in common]
    while len(at) > 2 and at[1] - at[0] > TRIM_GAP:
        at.pop(0)
    while len(at) > 2 and at[-1] - at[-2] > TRIM_GAP:
        at.pop()
    if len(at) < 2:
        return _span(x)
    theirs = set(places[y.place].norms[y.start : y.end])
    start, end = at[0], at[-1] + 1
    while start > x.start and tokens[start - 1].norm in theirs:  # "U.S." and "The" before "Geological Survey" are shared too
        start -= 1
    while end < x.end and tokens[end].norm in theirs:
        end += 1
    return (x.place, start, end)


def _says_enough(places: Sequence[Place], statements: Sequence[Statement], k: int, link: Link, span: Span3) -> bool:
    """The member that is left of sentence ``k`` still holds the claim it shares with the linked sentence.

    Where a passage already holds part of a sentence, the rest can be a fragment around one or two shared
    words ("making it just as fast", "fitness hardware of its own—there's" beside a reused "a heart rate
    sensor located next to the LED flash"): it states nothing the other sentence states.  It must hold
    three of the claim's shared words, or all of them when the two share fewer ("Hoffman said the Pentagon
    is assessing the damage" / "We are working on initial battle damage assessments").
    """
    x, y = statements[k], statements[link.v if k == link.u else link.u]
    shared = claim(x) & claim(y)
    _, start, end = span
    inside = {stem for t in places[x.place].tokens[start:end] if (stem := _stem(t.norm)) in shared or t.norm in shared}
    return len(inside) >= min(PARAPHRASE_MIN_SHARED, len(shared))


def _strongest(pairs: dict[tuple[int, int], Link], k: int, others: Iterable[int]) -> Link | None:
    """The most confident link of sentence ``k`` to one of ``others``."""
    found = [pairs[key] for o in others if o != k and (key := (min(k, o), max(k, o))) in pairs]
    return max(found, key=lambda q: (q.confidence, -q.u, -q.v), default=None)


def _states_the_passage(places: Sequence[Place], statements: Sequence[Statement], k: int, link: Link, group: Sequence[Span3]) -> bool:
    """Most of what sentence ``k`` shares with the passage's sentence lies in the passage's own words.

    A sentence of another article that repeats only the other half of a sentence
    around the passage ("The quake hit at 11:11 p.m." beside a reused "its
    epicenter was ...") says something else.
    """
    anchor = statements[link.v if k == link.u else link.u]
    common = statements[k].words & anchor.words
    place = places[anchor.place]
    inside = {_stem(t.norm) for p, s, e in group if p == anchor.place for t in place.tokens[max(s, anchor.start) : min(e, anchor.end)]}
    return 2 * len(common & inside) >= len(common)


def _holds(group: Sequence[Span3], sentence: Span3) -> bool:
    return any(_overlap(m, sentence) for m in group)


@dataclass(frozen=True)
class Found:
    """A passage before it becomes one: its places (with how each was found) and the kind of match."""

    members: tuple[tuple[Span3, MatchEvidence | None], ...]
    found_by_wording: bool
    confidence: float = 1.0
    evidence: MatchEvidence | None = None


def _evidence(link: Link, places: Sequence[Place], statements: Sequence[Statement], first: int) -> MatchEvidence:
    """The link's evidence, with the shared words as sentence ``first`` writes them."""
    x, y = statements[first], statements[link.v if first == link.u else link.u]
    common = x.words & y.words
    place, seen, shared = places[x.place], set(), []
    for t in place.tokens[x.start : x.end]:
        word = place.article.text[t.start : t.end]
        if _stem(t.norm) in common and t.norm not in seen and _is_content(t.norm):
            seen.add(t.norm)
            shared.append(word)
    return MatchEvidence(round(link.confidence, 3), link.model, link.words, tuple(shared), link.attribution)


def _copied_stretch(places: Sequence[Place], x: Span3, y: Span3, share: float = DRIFT_SHARE) -> tuple[Span3, Span3] | None:
    """The stretches of two sentences from their first to their last shared word, when most words between are shared.

    A quote that drifted through translation keeps most of its words in order
    ("We are working to refloat the ship as quickly as possible" / "We work to
    refloat the ship the most rapidly possible") but too few in a row for the
    reuse pass.  Stray matches of one stopword do not stretch the ends.
    """
    (xp, xs, xe), (yp, ys, ye) = x, y
    a, b = places[xp].norms[xs:xe], places[yp].norms[ys:ye]
    blocks = [m for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if m.size]
    solid = [m for m in blocks if m.size >= 2 or _is_content(a[m.a])]
    if not solid:
        return None
    near = [m for m in blocks if _near(m, solid[0]) or _near(solid[-1], m)]  # a stray "we" just before the quote's words counts
    solid = sorted(set(solid) | set(near))
    a0, b0 = solid[0].a, solid[0].b
    a1, b1 = solid[-1].a + solid[-1].size, solid[-1].b + solid[-1].size
    shared = [w for m in blocks if a0 <= m.a < a1 for w in a[m.a : m.a + m.size]]
    content = sum(_is_content(w) for w in shared)
    if len(shared) < DRIFT_MIN_WORDS or content < MIN_CONTENT or len(shared) < share * max(a1 - a0, b1 - b0):
        return None
    return (xp, xs + a0, xs + a1), (yp, ys + b0, ys + b1)


def _quoted(places: Sequence[Place], quotes: Sequence[tuple[tuple[int, int], ...]], span: Span3, share: float = 0.5) -> bool:
    """At least ``share`` of the stretch's characters lie inside quotation marks."""
    p, s, e = span
    start, end = places[p].tokens[s].start, places[p].tokens[e - 1].end
    inside = sum(max(0, min(end, qe) - max(start, qs)) for qs, qe in quotes[p])
    return inside >= share * (end - start) and inside > 0


def _mostly_in(span: Span3, group: Sequence[Span3]) -> bool:
    """At least half of the stretch's words lie in the passage's member of that place."""
    p, s, e = span
    return 2 * sum(max(0, min(e, me) - max(s, ms)) for mp, ms, me in group if mp == p) >= e - s


def _can_take(span: Span3, home: int | None, groups: Sequence[Sequence[Span3]], claims: Claims) -> bool:
    """A drifted copy is a new place when no passage holds its words, or lies mostly in its sentence's own passage."""
    return _free_part(span, claims) == span if home is None else _mostly_in(span, groups[home])


def _near(first: Match_, then: Match_) -> bool:
    """Block ``then`` follows block ``first`` within a substitution's gap on both sides."""
    ga, gb = then.a - (first.a + first.size), then.b - (first.b + first.size)
    return 0 <= ga <= SUBSTITUTION_GAP and 0 <= gb <= SUBSTITUTION_GAP


def _with_drifted(
    places: Sequence[Place], reuse: list[list[Span3]], statements: Sequence[Statement], found: Sequence[Link]
) -> tuple[list[list[Span3]], list[Statement], list[Link]]:
    """Reuse passages grown by drifted quotes: a quote that keeps most words of a quote of another
    article in order is reused text, from its first to its last shared word, not a paraphrase.

    Returns the passages, the sentences with their new homes, and the links left for the paraphrase pass.
    """
    groups = [list(g) for g in reuse]
    homes = [st.home for st in statements]
    claims: Claims = defaultdict(list)
    for group in groups:
        for p, s, e in group:
            claims[p].append((s, e))
    quotes = [quote_regions(place.article) for place in places]
    rest = []
    for link in sorted(found, key=lambda k: (-k.words, k.u, k.v)):
        x, y = statements[link.u], statements[link.v]
        both_home = homes[link.u] is not None and homes[link.v] is not None
        some_quoted = _quoted(places, quotes, _span(x), QUOTED_SOME) and _quoted(places, quotes, _span(y), QUOTED_SOME)
        if both_home or link.same_article or not some_quoted:
            rest.append(link)
            continue
        stretch = _copied_stretch(places, _span(x), _span(y))
        if stretch is None or not all(_quoted(places, quotes, span) for span in stretch):
            rest.append(link)
            continue
        sides = [(link.u, stretch[0]), (link.v, stretch[1])]
        free = [(k, span) for k, span in sides if _can_take(span, homes[k], groups, claims)]
        if len(free) < 2:
            rest.append(link)
            continue
        home = next((homes[k] for k, _ in sides if homes[k] is not None), None)
        if home is None:
            groups.append([])
            home = len(groups) - 1
        for k, span in sides:
            if homes[k] is None:
                groups[home] = merged_spans(groups[home] + [span])
                claims[span[0]].append(span[1:])
                homes[k] = home
    kept = [k for k in rest if homes[k.u] is None or homes[k.v] is None]
    return groups, [replace(st, home=h) for st, h in zip(statements, homes)], kept


def _short_quotes(places: Sequence[Place], groups: list[list[Span3]]) -> list[list[Span3]]:
    """Passages grown by short quotes: words in quotation marks that a passage's member contains word for word.

    "All is well!", quoted by three outlets from a tweet that a fourth embeds in
    full, is too short for the reuse pass; each quote is one more place of the
    tweet's passage.  A quote that matches members of two passages joins neither.
    """
    claims: Claims = defaultdict(list)
    texts: list[list[str]] = []
    for group in groups:
        texts.append([padded(places[p].tokens[s:e]) for p, s, e in group])
        for p, s, e in group:
            claims[p].append((s, e))
    out = [list(g) for g in groups]
    for p, place in enumerate(places):
        starts = [t.start for t in place.tokens]
        for qs, qe in quote_regions(place.article):
            i0, i1 = bisect_left(starts, qs), bisect_left(starts, qe)
            while i1 > i0 and place.tokens[i1 - 1].end > qe:
                i1 -= 1
            words = place.tokens[i0:i1]
            if not QUOTE_MIN_WORDS <= len(words) < MIN_WORDS or not any(_is_content(t.norm) for t in words):
                continue
            if _free_part((p, i0, i1), claims, len(words)) != (p, i0, i1):
                continue
            quote = padded(words)
            homes = [g for g, members in enumerate(texts) if any(quote in m for m in members)]
            if len(homes) == 1:
                out[homes[0]] = merged_spans(out[homes[0]] + [(p, i0, i1)])
                claims[p].append((i0, i1))
    return out


def _at_full_length(places: Sequence[Place], groups: list[list[Span3]], sentences: Sentences) -> list[list[Span3]]:
    """Reuse members grown over the drifted words at their ends, up to the next words their sentences share.

    A copy that drifted (a translated quote, a retold wire sentence: "The quake was ... in the city of
    Agadir" / "The earthquake was ... in Agadir") breaks the reuse pass's run of equal words, so its
    match ends where the drift starts.  A member grows past a few substituted words (or a few words
    one side adds) to the next shared word, as long as such steps go on; a step over a shared
    stopword alone must be a one-for-one substitution.  Only words no other passage holds are taken.
    """
    owner = [[-1] * len(place.tokens) for place in places]
    for g, group in enumerate(groups):
        for p, s, e in group:
            owner[p][s:e] = [g] * (e - s)
    sentence = []  # per place, per word, the range of its sentence
    for place, spans in zip(places, sentences):
        ranges = [(0, 0)] * len(place.tokens)
        for s, e in spans:
            ranges[s:e] = [(s, e)] * (e - s)
        sentence.append(ranges)
    out = []
    for g, group in enumerate(groups):
        grown = list(group)
        windows = [_sentence_of(m, sentence[m[0]]) for m in group]
        for i, (x, wx) in enumerate(zip(group, windows)):
            for y, wy in zip(group[i + 1 :], windows[i + 1 :]):
                if not (x[1] > wx[1] and y[1] > wy[1] or x[2] < wx[2] and y[2] < wy[2]) or _overlap(wx, wy):
                    continue  # no end has room to grow on both sides, or the two share a sentence
                for span in _drift_ends(places, x, y, wx, wy):
                    p, s, e = span
                    if all(owner[p][k] in (-1, g) for k in range(s, e)):
                        owner[p][s:e] = [g] * (e - s)
                        grown.append(span)
        out.append(merged_spans(grown))
    return out


def _sentence_of(span: Span3, ranges: Sequence[tuple[int, int]]) -> Span3:
    p, s, e = span
    return (p, ranges[s][0], ranges[e - 1][1])


def _drift_ends(places: Sequence[Place], x: Span3, y: Span3, wx: Span3, wy: Span3) -> list[Span3]:
    """The two members' spans grown, inside their sentences ``wx`` and ``wy``, by steps over drifted words.

    A step passes a few words in all (``SUBSTITUTION_GAP``, both sides together) and ends on a shared
    content word; it stops at a figure given otherwise (a swapped figure is another fact, not drift)
    and at a quotation mark (a quote's end is the copy's end).
    """
    a, b = places[x[0]].norms[wx[1] : wx[2]], places[y[0]].norms[wy[1] : wy[2]]
    blocks = [m for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks() if m.size]
    a0, a1, b0, b1 = x[1] - wx[1], x[2] - wx[1], y[1] - wy[1], y[2] - wy[1]
    if not any(a0 <= m.a < a1 and b0 <= m.b < b1 for m in blocks):
        return []  # the sentences' shared words lie elsewhere: another alignment, not this copy

    def step(gap_a: tuple[int, int], gap_b: tuple[int, int]) -> bool:
        (i, j), (k, q) = gap_a, gap_b
        if not (0 <= j - i and 0 <= q - k and j - i + q - k <= SUBSTITUTION_GAP):
            return False
        if any(w.isdigit() for w in a[i:j]) and any(w.isdigit() for w in b[k:q]):
            return False
        return not (_crosses_quote(places[x[0]], wx[1] + i - 1, wx[1] + j) or _crosses_quote(places[y[0]], wy[1] + k - 1, wy[1] + q))

    for m in blocks:  # rightwards, to the block's last content word
        content = [n for n in range(m.size) if _is_content(a[m.a + n])]
        if content and step((a1, m.a), (b1, m.b)):
            a1, b1 = m.a + content[-1] + 1, m.b + content[-1] + 1
    for m in reversed(blocks):  # leftwards, to the block's first content word
        content = [n for n in range(m.size) if _is_content(a[m.a + n])]
        if content and step((m.a + m.size, a0), (m.b + m.size, b0)):
            a0, b0 = m.a + content[0], m.b + content[0]
    return [(x[0], wx[1] + a0, wx[1] + a1), (y[0], wy[1] + b0, wy[1] + b1)]


_QUOTE_MARK = re.compile(r"[\"“”«»]|(?<!\w)[‘’]|[‘’](?!\w)")


def _crosses_quote(place: Place, last: int, first: int) -> bool:
    """A quotation mark lies between word ``last`` and word ``first`` (the end of a quote, or its start)."""
    return bool(_QUOTE_MARK.search(place.article.text, place.tokens[last].end, place.tokens[first].start))


def _norms(places: Sequence[Place], span: Span3) -> list[str]:
    p, s, e = span
    return places[p].norms[s:e]


def _lines(place: Place, sentences: Sequence[tuple[int, int]]) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """Word ranges of the place's one-sentence blocks short enough to be a headline, subhead or summary
    bullet (a photo caption, a description and its credit, is two), and those of them without a full
    stop (titles, bullets, table rows: a body sentence is not written so)."""
    blocks = Counter(place.blocks[s] for s, _ in sentences)
    text, tokens = place.article.text, place.tokens
    lines = [(s, e) for s, e in sentences if blocks[place.blocks[s]] == 1 and e - s <= LINE_WORDS]
    return lines, {(s, e) for s, e in lines if not _FULL_STOP.match(text, tokens[e - 1].end)}


_FULL_STOP = re.compile(r"[\"”’')\]]*[.!?…]")


def _repeated_lines(places: Sequence[Place], groups: list[list[Span3]], sentences: Sentences) -> list[list[Span3]]:
    """Passages grown by lines an article repeats in its own body: a subhead or bullet whose words come
    back mostly in order in one of its sentences ("... after Japan's Meteorological Agency did same" /
    "The move Monday comes after Japan's Meteorological Agency did the same").

    Such a repeat is too short for the reuse pass, which asks more of a repeat inside one article (short
    phrases recur there by chance); a line that keeps most of its words in order does not.  The repeat
    joins the passage that holds its other place, or forms a reuse passage; it takes only free words.
    """
    claims: Claims = defaultdict(list)
    for group in groups:
        for p, s, e in group:
            claims[p].append((s, e))
    out = [list(g) for g in groups]
    for p, place in enumerate(places):
        stems = [_stem(w) if _is_content(w) else "" for w in place.norms]
        spans = sentences[p]
        lines, titles = _lines(place, spans)
        postings: dict[str, list[int]] = defaultdict(list)  # stem -> the sentences that use it
        for k, (s, e) in enumerate(spans):
            for w in set(stems[s:e]) - {""}:
                postings[w].append(k)
        for ls, le in lines:
            shared = Counter(k for w in set(stems[ls:le]) - {""} for k in postings[w] if spans[k] != (ls, le))
            found = [
                (spans[k], stretch)
                for k, n in sorted(shared.most_common(LINE_CANDIDATES))
                if n >= MIN_CONTENT
                and (stretch := _copied_stretch(places, (p, ls, le), (p, *spans[k]), LINE_SHARE)) is not None
                and not figures_conflict(*(_norms(places, span) for span in stretch))
            ]
            for sentence, stretch in found:
                if sentence in titles:
                    continue  # a title like another title: a list's formula
                if any(other is not stretch and _overlap(other[0], stretch[0]) for _, other in found):
                    continue  # the same words of the line recur in several sentences: a formula, not one statement repeated
                free = [span for span in stretch if _free_part(span, claims, DRIFT_MIN_WORDS) == span]
                if not free:
                    continue
                held = [g for span in stretch if span not in free for g, group in enumerate(out) if _mostly_in(span, group)]
                if len(free) == 1 and not held:
                    continue  # the other place is split between passages, or only partly in one
                g = held[0] if held else len(out)
                if not held:
                    out.append([])
                out[g] = merged_spans(out[g] + free)
                for span in free:
                    claims[p].append(span[1:])
    return out


def _assemble(places: Sequence[Place], reuse: list[list[Span3]], statements: Sequence[Statement], found: Sequence[Link]) -> list[Found]:
    """Reuse passages, each with the sentences that state it in other words, then paraphrase passages.

    Every word belongs to one passage at most: a sentence joins a reuse passage
    (as a paraphrase place) or forms a paraphrase passage only with the words no
    passage holds yet, and the strongest groups claim first.
    """
    claims: Claims = defaultdict(list)
    for passage in reuse:
        for p, s, e in passage:
            claims[p].append((s, e))
    joined: dict[int, list[tuple[Span3, MatchEvidence]]] = defaultdict(list)
    paraphrases: list[Found] = []
    reported = [k for k in _best_links(statements, found) if k.confidence >= _report_min(statements[k.u], statements[k.v])]
    cliques = _cliques(statements, reported)
    for group, pairs in sorted(cliques, key=lambda c: (-min(k.confidence for k in c[1].values()), sorted(c[0]))):
        homes = sorted({h for k in group if (h := statements[k].home) is not None})
        if homes:
            home = homes[0]
            anchors = [k for k in group if statements[k].home == home]
            for k in sorted(group):
                if statements[k].home is not None:
                    continue
                link = _strongest(pairs, k, anchors)
                if link is None or _holds(reuse[home], _span(statements[k])):
                    continue  # not linked to its places, or the rest of a sentence the passage holds a part of (its attribution)
                if not _states_the_passage(places, statements, k, link, reuse[home]):
                    continue
                span = _free_part(_trimmed(places, statements, k, link), claims, MIN_STATEMENT)
                if span is not None and _says_enough(places, statements, k, link, span):
                    claims[span[0]].append(span[1:])
                    joined[home].append((span, _evidence(link, places, statements, k)))
            continue
        strongest = {k: link for k in sorted(group) if (link := _strongest(pairs, k, group)) is not None}
        trimmed = {k: _trimmed(places, statements, k, link) for k, link in strongest.items()}
        free = {
            k: span
            for k, t in trimmed.items()
            if (span := _free_part(t, claims, MIN_STATEMENT)) is not None and _says_enough(places, statements, k, strongest[k], span)
        }
        best = {k: strongest[k] for k in free}
        if len(best) < 2:
            continue
        for p, s, e in (free[k] for k in best):
            claims[p].append((s, e))
        weakest = min(best.values(), key=lambda q: (q.confidence, q.u, q.v))
        evidence = tuple((free[k], _evidence(link, places, statements, k)) for k, link in best.items())
        paraphrases.append(Found(evidence, True, round(weakest.confidence, 3), _evidence(weakest, places, statements, weakest.u)))
    passages = [Found(tuple((span, None) for span in group) + tuple(joined[g]), False) for g, group in enumerate(reuse)]
    return passages + paraphrases


def _describe(places: Sequence[Place], group: Sequence[Span3]) -> tuple[PassageKind, float]:
    """Reuse when the members' words are mostly found in the longest member (a member may quote only
    part of it), else paraphrase; and their mean similarity (0–1)."""
    words = [places[p].norms[s:e] for p, s, e in group]
    base = max(range(len(words)), key=lambda k: (len(words[k]), -k))
    others = [w for k, w in enumerate(words) if k != base]
    share = sum(common_words(words[base], w).total() / max(1, len(w)) for w in others) / len(others)
    ratio = sum(fuzz.ratio(" ".join(words[base]), " ".join(w)) for w in others) / len(others)
    return ("reuse" if share >= REUSE_WORD_SHARE else "paraphrase"), round(ratio / 100, 3)


def align(articles: Sequence[Article]) -> list[Passage]:
    """Passages shared by two or more places of ``articles``; no character of an article is in two."""
    canonical = sorted(range(len(articles)), key=lambda k: (articles[k].id, articles[k].text, k))
    places = [place_of(articles[k]) for k in canonical]
    order = {p: canonical[p] for p in range(len(places))}  # place -> position in the caller's list
    sentences = sentences_of(places)
    reuse = reuse_passages(places, sentences)
    statements = _statements_of(places, reuse, sentences)
    reuse, statements, remaining = _with_drifted(places, reuse, statements, links(places, statements))
    reuse = _repeated_lines(places, _short_quotes(places, reuse), sentences)
    homes = _homes(places, [_span(st) for st in statements], reuse)  # a short quote or a repeated line may now hold half a sentence
    statements = [replace(st, home=h) if st.home is None and h is not None else st for st, h in zip(statements, homes)]
    passages = []
    for found in _assemble(places, reuse, statements, remaining):
        if len(found.members) < 2:  # a degenerate repeat ("the men, the men, ...") merged into one span is shared by no one
            continue
        copied = [span for span, evidence in found.members if evidence is None]
        kind, similarity = _describe(places, copied if len(copied) >= 2 else [span for span, _ in found.members])
        kind = "paraphrase" if found.found_by_wording else kind
        members = []
        for (p, s, e), evidence in found.members:
            art, toks = places[p].article, places[p].tokens
            start, end = toks[s].start, toks[e - 1].end
            how: PassageKind = "reuse" if evidence is None else "paraphrase"
            members.append((order[p], start, end, Member(art.id, start, end, art.text[start:end], how, evidence)))
        members.sort(key=lambda m: m[:3])
        passages.append((members, kind, similarity, found.confidence, found.evidence))
    passages.sort(key=lambda x: ([m[:3] for m in x[0]], x[1]))
    return [
        Passage(id=f"p{n + 1}", kind=kind, members=tuple(m[3] for m in members), similarity=similarity, confidence=conf, evidence=evidence)
        for n, (members, kind, similarity, conf, evidence) in enumerate(passages)
    ]
