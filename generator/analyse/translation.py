"""Machine-translation detector: which article reads like another outlet's report translated back.

Editors cut and rephrase their own sentences, but they do not swap words
inside a quotation that other outlets reproduce verbatim, render an
institution's name word by word, or misplace quotation marks.  Translation
does all three, so the detector collects exactly these signals as evidence:

- *drifted quote*: a word of a quotation replaced (a synonym, a tense
  shift) where another member of the passage keeps the quoted wording;
- *calque*: a capitalised "X of Y" name whose head differs from the one the
  rest of the topic uses (Ministry of Defense against Department of Defense);
- *broken quotation marks*: an opening mark where a closing one belongs
  (``team, “said Grisham``);
- *calque* also covers a compound turned inside out: "X of (the) Y" where the
  rest of the topic writes "Y X" ("Authority of the Suez Canal" against
  "Suez Canal Authority", "storm of sand" against "sandstorm");
- *translated reporting verb*: a quote attributed with a verb that English
  news almost never puts after a quotation but Romance-language reporting
  does (``," declared the minister``, ``," affirmed …``);
- *reworded copy*: the article follows one other article sentence by
  sentence, most of those sentences reworded (a reprint copies them);
- *foreign forms* that any MT output carries over from its source language and
  English news almost never writes: a 24-hour clock (``19:24``, ``14h30``),
  decimal commas and dotted thousands (``3,5 percent``, ``1.500 soldiers``),
  dates in the source language's shape (``7 de janeiro``, ``the 7 of January``),
  an article before a title and name (``the President Trump``), first-person
  speech attributed with ``, he said`` whose quotation marks translation lost,
  and lower-case words that are no English word (``yearnaries``);
- *stable round trip*: put through machine translation again (English →
  Portuguese → English, ``generator.backtranslation``), sentence after sentence
  comes back nearly unchanged.  MT output is a fixed point of MT; a human
  writer's sentences are not.  A sequential test over the article's first
  sentences stops as soon as it is sure either way, and runs only where it can
  change the verdict (see ``needs_round_trip``): it is the one costly signal.

Every kind is weighed by how often articles show it in original English news
(WikiRef220's articles outside the held-out topics, none a translation)
against real MT output (round trips through Bergamot, and the translated
fixtures): ``RATES`` and ``ARTICLE_RATES`` hold both rates, measured by
``benchmarks/eval_translation.py --fit``.  The score is the posterior of the
likelihood ratio over all kinds (even prior odds, see ``llr``), so a kind that
original news also writes counts little, and a long article with no evidence
scores low.  An article is ``suspected`` when the log likelihood ratio passes
``SUSPECT_LLR`` and its own text shows at least one sign (``OWN_KINDS``).

A likely source is named only when the article renders one other article
as a translation renders its source: three in four of its sentences follow it,
from that article's opening on, clearly more than any other article rendered
so (see ``likely_source``).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Levenshtein
from wordfreq import zipf_frequency

from generator.align.crosslang import primary
from generator.analyse.differences import WORD, is_name_variant
from generator.backtranslation import round_trip
from generator.kinds import TRANSLATABLE
from generator.models import Article, Difference, Evidence, Member, Passage, Topic, TranslationVerdict
from generator.normalise import MONTH_NAMES, STOPWORDS, article_tokens, padded, tokenize

# Per thousand words: (rate in original English news, rate in machine translation), from
# `benchmarks/eval_translation.py --fit` on the tuning material only (see its docstring).
RATES: dict[str, tuple[float, float]] = {
    "24-hour clock": (0.0260, 0.1352),
    "broken quotation marks": (0.0185, 0.0239),
    "calque": (0.0556, 0.5092),
    "drifted quote": (0.0111, 0.9457),
    "foreign number format": (0.0037, 0.0875),
    "non-word": (0.1595, 0.7874),
    "translated reporting verb": (0.0037, 0.0398),
    "unquoted speech": (0.0037, 0.1034),
}
# Chance that an article shows the kind at all: (in original news, in machine translation).
ARTICLE_RATES: dict[str, tuple[float, float]] = {
    "drifted copy": (0.0026, 0.7876),
    "reworded copy": (0.0078, 0.0359),
    # 0 of 149 original articles, 114 of 143 round trips (benchmarks/eval_backtranslation.py, tuning material)
    "stable round trip": (0.0033, 0.7951),
    # 12 of 143 round trips; 0 of the 149, but the hand-made morocco `01_wire` (6.79) of the 6 hand-made originals
    "nearly stable round trip": (0.0096, 0.0868),
}
# Kinds whose absence says nothing: an article shows a drifted copy only when its source is in the topic, and a stable
# round trip is looked for only where it can change the verdict.
PRESENCE_ONLY = frozenset({"drifted copy", "stable round trip", "nearly stable round trip"})
# Chance per article below which a kind's rate in news is not known: half an article among the 151 looked at.
NEWS_FLOOR = 0.5 / 152
# A kind not measured (``follows``, the reason for a likely source): as common in news as in MT, so it weighs nothing.
UNMEASURED = (0.01, 0.01)
# Signs that the article's own text shows, whatever the rest of the coverage wrote.  Signs against the coverage have an
# ordinary explanation too (an outlet re-editing a wire story, a story updated), which a reference of articles that
# seldom share text cannot measure: an article is suspected only with at least one sign of its own.
OWN_KINDS = frozenset(
    {"24-hour clock", "foreign number format", "foreign date", "article before a title", "unquoted speech", "non-word"}
    | {"broken quotation marks", "translated reporting verb", "stable round trip", "nearly stable round trip"}
)
# A drifted copy also settles it: which of the two texts is the translation was decided from their own words.
DECISIVE_KINDS = OWN_KINDS | {"drifted copy"}
# ln(likelihood ratio) from which an article is suspected: MT 25 times likelier than original news (posterior 0.96).
SUSPECT_LLR = math.log(25)
MAX_DRIFT_WORDS = 4

_BROKEN = (
    re.compile(r"“(?=[a-z])(?![^”\n]*”)"),  # an opener in front of lower-case words that nothing closes
    re.compile(r"”(?=[^\W\d_])"),  # a closer glued to the next word
    re.compile(r"(?<=[^\W\d_])“"),  # an opener glued to the previous word
)
_CALQUE = re.compile(r"\b([A-Z][a-z]+) of (?:the )?([A-Z][\w-]+(?: [A-Z][\w-]+)*)")
# "head of (the) w1 [w2 [w3]]": the shape in which a translated compound shows
_OF_PHRASE = re.compile(r"\b([A-Za-z]{3,}) of (?:the )?([A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,2})")
# Verbs of saying that French, Spanish, Italian or Portuguese reports put after a quote
# ("a déclaré", "afirmó", "ha assicurato") and machine translation carries over; English says "said".
_REPORTING = re.compile(
    r"(?:[,.!?][\"”]|[\"”],)\s+(declared|affirmed|assured|indicated|specified|underlined|testified|informed|"
    r"estimated|manifested|precised|expressed|signalled|signaled)\b",
    re.IGNORECASE,
)


def inside(regions: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in regions)


@dataclass(frozen=True)
class Clue:
    """Evidence not yet pinned on one article: it points at ``candidates`` (one, or both sides of a pair)."""

    candidates: tuple[str, ...]
    evidence: dict[str, Evidence]


def _words(text: str) -> int:
    return len(WORD.findall(text))


def _drift_clues(p: Passage, quotes: dict[str, tuple[tuple[int, int], ...]], texts: dict[str, str]) -> list[Clue]:
    base = p.base_member
    clues = []
    for d in p.differences:
        if d.kind != "wording" or max(_words(d.text), _words(d.base_text)) > MAX_DRIFT_WORDS:
            continue
        if not (inside(quotes[d.article], d.start, d.end) and inside(quotes[base.article], d.base_start, d.base_end)):
            continue
        if is_name_variant(d.base_text, d.text):
            continue
        keepers = [m for m in p.members if m is not base and m.article != d.article and _keeps(p, m, d, texts)]
        here = Evidence("drifted quote", d.start, d.end, d.text, f"others quote “{d.base_text}”", base.article, d.base_text)
        there = Evidence("drifted quote", d.base_start, d.base_end, d.base_text, f"others quote “{d.text}”", d.article, d.text)
        candidates = (d.article,) if keepers else (d.article, base.article)
        clues.append(Clue(candidates, {d.article: here, base.article: there}))
    return clues


def _keeps(p: Passage, member: Member, d: Difference, texts: dict[str, str]) -> bool:
    """True when ``member`` reads the base words of ``d``, with a neighbour word on each side, as the base does."""
    base = p.base_member
    text = texts[base.article]
    before = [m.start() for m in WORD.finditer(text, base.start, d.base_start)]
    after = [m.end() for m in WORD.finditer(text, d.base_end, base.end)]
    lo, hi = (before[-1] if before else d.base_start), (after[0] if after else d.base_end)
    return padded(tokenize(text, lo, hi)) in padded(tokenize(member.text))


def _folded(article: Article) -> str:
    return padded(article_tokens(article))


def _calque_clues(p: Passage, texts: dict[str, str], folded: dict[str, str]) -> list[Clue]:
    base = p.base_member
    clues = []
    for d in p.differences:
        if d.kind != "wording" or _words(d.text) != 1 or _words(d.base_text) != 1:
            continue
        mine = _CALQUE.match(texts[d.article], d.start)
        theirs = _CALQUE.match(texts[base.article], d.base_start)
        if not (mine and theirs) or mine.group(2).lower()[:4] != theirs.group(2).lower()[:4] or is_name_variant(d.text, d.base_text):
            continue
        use = {
            k: sum(f" {' '.join(WORD.findall(m.group(0).lower()))} " in f for f in folded.values())
            for k, m in (("mine", mine), ("theirs", theirs))
        }
        here = Evidence(
            "calque", d.start, d.start + len(mine.group(0)), mine.group(0), f"others say “{theirs.group(0)}”", base.article, theirs.group(0)
        )
        there = Evidence(
            "calque",
            d.base_start,
            d.base_start + len(theirs.group(0)),
            theirs.group(0),
            f"others say “{mine.group(0)}”",
            d.article,
            mine.group(0),
        )
        if use["mine"] < use["theirs"]:
            candidates: tuple[str, ...] = (d.article,)
        elif use["theirs"] < use["mine"]:
            candidates = (base.article,)
        else:
            candidates = (d.article, base.article)
        clues.append(Clue(candidates, {d.article: here, base.article: there}))
    return clues


# Heads of "X of Y" that quantify rather than name ("most of the people", "one of the first").
QUANTIFIERS = frozenset("all any both each few many more most much none one part parts rest several some half".split())
# A compound is the topic's own wording when at least this share of the other articles writes it.
COMPOUND_SHARE = 0.25


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def inverted_compounds(article: Article, others: Sequence[str], mine: str | None = None) -> list[Evidence]:
    """ "X of (the) Y" phrases that the other articles write as the compound "Y X" and never as this.

    ``others`` are the other articles' folded texts (``_folded``), ``mine`` this one's if known.  In a large
    topic somebody writes almost any compound, so the compound must be the
    usual wording of the coverage: at least ``COMPOUND_SHARE`` of the others use it.  One piece of
    evidence per distinct phrase, so a calque repeated is not counted twice.
    """
    if not others:
        return []
    mine = _folded(article) if mine is None else mine
    # each folded text starts and ends with a space and holds no line break, so no phrase matches across two of them
    pool = "\n".join(others)
    found: dict[str, Evidence] = {}
    for block in article.content_blocks():
        for m in _OF_PHRASE.finditer(article.text, block.start, block.end):
            head = " ".join(t.norm for t in tokenize(m.group(1)))
            if head in STOPWORDS or head in QUANTIFIERS:
                continue
            tail = [t.norm for t in tokenize(m.group(2))]
            for n in range(len(tail), 0, -1):
                words = [w for w in tail[:n] if w not in STOPWORDS]
                if not words or tail[n - 1] in STOPWORDS:
                    continue
                compound = " ".join([*words[:-1], _singular(words[-1]), _singular(head)])
                closed = compound.replace(" ", "")
                phrase = " ".join([head, "of", *tail[:n]])
                # one search of all the others together first: most compounds are written nowhere
                if f" {compound} " not in pool and not (n == 1 and f" {closed} " in pool):
                    continue
                users = sum(f" {compound} " in o or (n == 1 and f" {closed} " in o) for o in others)
                if users >= max(1, math.ceil(COMPOUND_SHARE * len(others))) and not (
                    f" {compound} " in mine or any(f" {phrase} " in o for o in others)
                ):
                    end = m.start(2) + len(" ".join(m.group(2).split(" ")[:n]))
                    text = article.text[m.start() : end]
                    found.setdefault(text.lower(), Evidence("calque", m.start(), end, text, f"others write “{compound}”"))
                    break
    return sorted(found.values(), key=lambda e: e.start)


def reporting_verbs(article: Article) -> list[Evidence]:
    """Quotes attributed with a translated verb of saying (``," declared the president``)."""
    found = []
    for block in article.content_blocks():
        for m in _REPORTING.finditer(article.text, block.start, block.end):
            s, e = m.start(1), m.end(1)
            found.append(Evidence("translated reporting verb", s, e, article.text[s:e], "English news says “said” here"))
    return found


def broken_quotes(article: Article) -> list[Evidence]:
    """Quotation marks that translation put the wrong way round or glued to a word."""
    found = []
    for block in article.content_blocks():
        chunk = article.text[block.start : block.end]
        for rx in _BROKEN:
            for m in rx.finditer(chunk):
                s = block.start + m.start()
                lo, hi = max(block.start, s - 12), min(block.end, s + 12)
                found.append(Evidence("broken quotation marks", lo, hi, article.text[lo:hi], "quotation mark the wrong way round"))
    return found


_MONTHS = "|".join(m.capitalize() for m in MONTH_NAMES)
# Month names of the languages news is most often machine-translated from, left untranslated or half-translated.
_FOREIGN_MONTHS = (
    "janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|"
    "enero|febrero|marzo|mayo|junio|julio|septiembre|octubre|noviembre|diciembre|"
    "janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "Januar|Februar|März|Juni|Juli|Oktober|Dezember|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
)
_FOREIGN_FORMS = {
    # 13:00-23:59 and 00:xx cannot be a 12-hour clock; "14h30" is the French and Portuguese way.
    "24-hour clock": re.compile(r"(?<![\d:.,])(?:(?:1[3-9]|2[0-3]|00)[:.][0-5]\d|(?:[01]?\d|2[0-3])h[0-5]\d)(?![\d:])(?!\s*[ap]\.?\s?m\b)"),
    # "3,5 percent", "1.500 soldiers": the decimal comma and the dotted thousands of most of Europe.
    "foreign number format": re.compile(r"(?<![\d.,])(?:\d+,\d{1,2}(?![\d,])|\d{1,3}(?:\.\d{3})+(?![\d.,]))(?!\.\d)(?=\s+[a-z%])"),
    "foreign date": re.compile(
        rf"\b\d{{1,2}}\.? (?:de |del )?(?:{_FOREIGN_MONTHS})\b|\bthe \d{{1,2}} of (?:{_MONTHS})\b|\b(?:{_FOREIGN_MONTHS}) de \d{{4}}\b"
    ),
    # English writes "President Trump" or "the president, Donald Trump"; Romance languages and German put the article in.
    "article before a title": re.compile(
        r"\bthe (?:President|Minister|Prime Minister|Chancellor|Senator|Secretary of State|Pope|Mayor|Governor|General|Colonel) "
        r"(?:[A-Z][a-z]+ )?[A-Z][a-z]{2,}\b(?! (?:of|[A-Z]))"
    ),
}
# First-person speech attributed as a quote but with no quotation mark left in its paragraph.
_ATTRIBUTED = re.compile(r",\s+(?:he|she|they|[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)\s+(?:said|says|added|wrote|told\b[^.]*)\.?\s*$")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|we|We|we're|We're|our|Our|us|my|My)\b")
_ANY_QUOTE = re.compile('["“”«»„]')
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]{4,}(?![\w'’-])")


# The forms that begin with a figure no digit stands before (their patterns look behind for one), and those that hold a
# figure somewhere: the first are tried only where a run of digits starts, the second only in a block with a digit.
_FROM_A_FIGURE = frozenset({"24-hour clock", "foreign number format"})
_WITH_A_FIGURE = _FROM_A_FIGURE | {"foreign date"}
_DIGITS = re.compile(r"\d+")


def foreign_forms(article: Article) -> list[Evidence]:
    """Clock times, numbers, dates and titles in the shape of another language."""
    found = []
    text = article.text
    for block in article.content_blocks():
        runs = [m.start() for m in _DIGITS.finditer(text, block.start, block.end)]
        for kind, rx in _FOREIGN_FORMS.items():
            if kind in _WITH_A_FIGURE and not runs:
                continue
            matches = _matches_from(rx, text, runs, block.end) if kind in _FROM_A_FIGURE else rx.finditer(text, block.start, block.end)
            for m in matches:
                found.append(Evidence(kind, m.start(), m.end(), m.group(), "English news writes this another way"))
    return found


def _matches_from(rx: re.Pattern[str], text: str, starts: list[int], end: int) -> Iterator[re.Match[str]]:
    """``rx.finditer`` over a block for a pattern whose every match begins at one of ``starts``: only those are tried
    (the regex engine otherwise tries every character of the block)."""
    after = 0
    for at in starts:
        if at >= after and (m := rx.match(text, at, end)):
            after = m.end()
            yield m


def unquoted_speech(article: Article) -> list[Evidence]:
    """Paragraphs of first-person speech ending ``, X said.`` without a quotation mark: translation lost them."""
    found = []
    for block in article.content_blocks():
        text = article.text[block.start : block.end]
        said = _ATTRIBUTED.search(text)
        if said and not _ANY_QUOTE.search(text) and _FIRST_PERSON.search(text, 0, said.start()):
            found.append(
                Evidence(
                    "unquoted speech", block.start, block.end, text, "first-person words attributed like a quote, with no quotation marks"
                )
            )
    return found


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def non_words(article: Article) -> list[Evidence]:
    """Lower-case words that no English word list has: MT coins them from pieces of the source word."""
    found = []
    for block in article.content_blocks():
        for m in _LOWER_WORD.finditer(article.text, block.start, block.end):
            if _zipf(m.group()) == 0:
                found.append(Evidence("non-word", m.start(), m.end(), m.group(), "not an English word"))
    return found


# Back-translation stability.  A sentence of ``STABLE_WORDS`` words is put through MT again and compared with its
# round trip word by word (Levenshtein similarity of the folded words, 0–100: MT swaps, drops and adds words).  Per class
# of sentence length, rows (lowest similarity, ln likelihood ratio of MT against original news), first row that fits: a
# long sentence of a human writer seldom survives two translations unchanged, a short one often does, so the same
# similarity says more in a longer sentence.  Measured on the tuning material by ``benchmarks/eval_backtranslation.py --fit``.
STABILITY: dict[tuple[int, int], tuple[tuple[float, float], ...]] = {
    (14, 20): ((100.0, 2.01), (95.0, 2.00), (90.0, 0.68), (85.0, -0.16), (80.0, -0.51), (70.0, -0.89), (0.0, -2.26)),
    (21, 30): ((100.0, 3.28), (95.0, 1.58), (90.0, 0.80), (85.0, -0.30), (80.0, -0.83), (70.0, -1.69), (0.0, -2.70)),
    (31, 40): ((100.0, 3.39), (95.0, 2.29), (90.0, 1.00), (85.0, 0.30), (80.0, -1.06), (70.0, -1.57), (0.0, -3.88)),
}
STABLE_WORDS = (min(lo for lo, _hi in STABILITY), max(hi for _lo, hi in STABILITY))
# The sequential test reads the article's sentences in order, at most this many and this many words of them, and
# stops as soon as the ln ratios summed reach ``STABLE_LLR`` (a stable round trip) or fall to ``CLEAR_LLR``.
MAX_STABLE_SENTENCES, MAX_STABLE_WORDS = 16, 400
STABLE_LLR, CLEAR_LLR = 8.0, -2.0
# A test that runs out of sentences (a short article) or of its budget still leaning towards MT, at least this far,
# is weak evidence of its own (``nearly stable round trip``): too weak alone, enough beside another sign of translation.
LEANING_LLR = 4.0


@dataclass(frozen=True)
class RoundTripTest:
    """How the sequential test ended: its summed ln ratio, the words it round-tripped, the sentences that changed little."""

    llr: float
    words: int
    evidence: tuple[Evidence, ...]

    @property
    def stable(self) -> bool:
        return self.llr >= STABLE_LLR

    @property
    def kind(self) -> str | None:
        """``stable round trip``, ``nearly stable round trip`` (it ran out leaning towards MT), or None (cleared, undecided)."""
        return "stable round trip" if self.stable else "nearly stable round trip" if self.llr >= LEANING_LLR else None


def _stability(ratio: float, words: int) -> float:
    rows = next(rows for (lo, hi), rows in STABILITY.items() if lo <= words <= hi)
    return next(step for lowest, step in rows if ratio >= lowest)


@dataclass(frozen=True)
class RoundTripped:
    """A sentence the test reads (from ``start``, past its leading space), its round trip and their similarity."""

    start: int
    end: int
    words: int
    back: str
    ratio: float


def round_tripped(article: Article) -> Iterator[RoundTripped]:
    """The sentences the test may read, in order, each round-tripped only when the test asks for it."""
    tested = used = 0
    for s in sentences(article):
        if not STABLE_WORDS[0] <= len(s.folded) <= STABLE_WORDS[1]:
            continue
        if tested == MAX_STABLE_SENTENCES or used + len(s.folded) > MAX_STABLE_WORDS:
            return
        raw = article.text[s.start : s.end]
        back = round_trip(raw.strip())
        ratio = 100 * Levenshtein.normalized_similarity(s.folded, [t.norm for t in tokenize(back)])
        tested, used = tested + 1, used + len(s.folded)
        yield RoundTripped(s.start + len(raw) - len(raw.lstrip()), s.end, len(s.folded), back, ratio)


def round_trip_test(article: Article) -> RoundTripTest:
    """The sequential test of back-translation stability over ``article``'s first sentences (see ``STABILITY``)."""
    total, used = 0.0, 0
    kept: list[RoundTripped] = []
    for r in round_tripped(article):
        step = _stability(r.ratio, r.words)
        total, used = total + step, used + r.words
        if step > 0:
            kept.append(r)
        if total >= STABLE_LLR or total <= CLEAR_LLR:
            break
    kind = RoundTripTest(total, used, ()).kind
    if kind is None:
        return RoundTripTest(total, used, ())
    note = "machine-translated again (into Portuguese and back) it comes back {:.0f} % the same: “{}”"
    evidence = (Evidence(kind, r.start, r.end, article.text[r.start : r.end], note.format(r.ratio, r.back)) for r in kept)
    return RoundTripTest(total, used, tuple(evidence))


def word_count(article: Article) -> int:
    return sum(_words(article.text[b.start : b.end]) for b in article.content_blocks())


# A sentence is matched in another article at this Dice overlap of content words, and copied at ``COPIED``.
MATCHED, COPIED = 0.5, 0.9
# Sentences with fewer content words say too little to be matched.
MIN_SENTENCE_WORDS = 4
# A source is followed when this share of the article's sentences is best matched there, and the runner-up trails by ``LEAD``;
# it is a reworded copy when at least ``REWORDED_SHARE`` of those sentences are reworded, not copied.
FOLLOWED_SHARE, LEAD, REWORDED_SHARE = 0.5, 0.25, 0.5
# Fewer sentences followed than this are a shared statement or two, not an article followed.
MIN_FOLLOWED = 5
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’)]*|$)")


@dataclass(frozen=True)
class Sentence:
    """A sentence: its span, its content words (to match it), and all its folded words in order (to tell a copy)."""

    start: int
    end: int
    words: frozenset[str]
    folded: tuple[str, ...]


def sentences(article: Article) -> tuple[Sentence, ...]:
    """The sentences of ``article``'s text blocks, each with its content words."""
    out = []
    for block in article.content_blocks():
        every = tokenize(article.text, block.start, block.end)
        starts = [t.start for t in every]
        for m in _SENTENCE.finditer(article.text, block.start, block.end):
            folded = tuple(t.norm for t in every[bisect_left(starts, m.start()) : bisect_left(starts, m.end())])
            words = frozenset(w for w in folded if w not in STOPWORDS and len(w) > 1)
            if len(words) >= MIN_SENTENCE_WORDS:
                out.append(Sentence(m.start(), m.end(), words, folded))
    return tuple(out)


@dataclass(frozen=True)
class SentenceIndex:
    """Every sentence of a topic numbered, with its article, and per content word (numbered) the sentences it is in."""

    owners: tuple[str, ...]
    sentences: tuple[Sentence, ...]
    numbers: dict[str, int]  # each content word's number
    postings: np.ndarray  # sentence numbers, word by word, each word's in order
    starts: np.ndarray  # per word, where its sentences start in ``postings``
    sizes: np.ndarray  # per word, in how many sentences it is


def sentence_index(split: dict[str, tuple[Sentence, ...]]) -> SentenceIndex:
    """Every article's sentences by content word, to find the candidates a sentence can match."""
    owners = [a for a, sents in split.items() for _s in sents]
    numbered = [s for sents in split.values() for s in sents]
    numbers: dict[str, int] = {}
    word = np.array([numbers.setdefault(w, len(numbers)) for s in numbered for w in s.words], dtype=np.int64)
    sentence = np.repeat(np.arange(len(numbered)), [len(s.words) for s in numbered])
    sizes = np.bincount(word, minlength=len(numbers))
    postings = sentence[np.lexsort((sentence, word))]
    return SentenceIndex(tuple(owners), tuple(numbered), numbers, postings, np.cumsum(sizes) - sizes, sizes)


def _shared_words(mine: Sequence[Sentence], index: SentenceIndex) -> np.ndarray:
    """How many content words each sentence of ``mine`` (rows) shares with each sentence of the index (columns), in numpy."""
    ids = [[index.numbers[w] for w in s.words if w in index.numbers] for s in mine]
    word = np.array([w for row in ids for w in row], dtype=np.int64)
    row = np.repeat(np.arange(len(mine)), [len(r) for r in ids])
    sizes = index.sizes[word]
    at = np.repeat(index.starts[word] - (np.cumsum(sizes) - sizes), sizes) + np.arange(int(sizes.sum()))
    columns = len(index.sentences)
    return np.bincount(np.repeat(row, sizes) * columns + index.postings[at], minlength=len(mine) * columns).reshape(len(mine), columns)


@dataclass(frozen=True)
class Following:
    """How closely one article follows another: its sentences best matched there, and how many of them reworded."""

    other: str
    matched: int
    reworded: int
    sentences: int
    first: tuple[Sentence, Sentence]
    # the sentence pairs matched, and how many of them read word for word the same
    pairs: tuple[tuple[Sentence, Sentence], ...]
    verbatim: int

    @property
    def share(self) -> float:
        return self.matched / self.sentences if self.sentences else 0.0


def followings(article_id: str, mine: Sequence[Sentence], index: SentenceIndex) -> list[Following]:
    """For every other article, the sentences of ``article_id`` best matched there, best followed first.

    A sentence counts for every article that matches it best (a wire story
    carried by two outlets is followed in both), so a source stands out only
    when the article follows it further than any copy.  Of two equally good
    matches in one article the earlier is kept: the same choice in every run
    (the order of a set of words would change with Python's hash seed).
    """
    matched: Counter[str] = Counter()
    reworded: Counter[str] = Counter()
    verbatim: Counter[str] = Counter()
    pairs: dict[str, list[tuple[Sentence, Sentence]]] = {}
    owners, numbered = index.owners, index.sentences
    shared = _shared_words(mine, index)
    # Only a sentence within 0.05 of a match can count: it shares at least this many words (t has MIN_SENTENCE_WORDS).
    need = (MATCHED - 0.05) / 2 * (np.array([len(s.words) for s in mine], dtype=np.int64) + MIN_SENTENCE_WORDS)
    rows, columns = np.nonzero(shared >= need[:, None])
    candidates: dict[int, list[int]] = {}
    for r, k in zip(rows.tolist(), columns.tolist()):
        candidates.setdefault(r, []).append(k)
    for r, s in enumerate(mine):
        best: dict[str, tuple[float, Sentence]] = {}
        for k in candidates.get(r, ()):
            other = owners[k]
            if other == article_id:
                continue
            t = numbered[k]
            dice = 2 * int(shared[r, k]) / (len(s.words) + len(t.words))
            if other not in best or dice > best[other][0] or dice == best[other][0] and t.start < best[other][1].start:
                best[other] = (dice, t)
        top = max((d for d, _t in best.values()), default=0.0)
        if top < MATCHED:
            continue
        for other, (dice, t) in best.items():
            if dice >= top - 0.05:
                matched[other] += 1
                reworded[other] += dice < COPIED
                verbatim[other] += s.folded == t.folded
                pairs.setdefault(other, []).append((s, t))
    return sorted(
        (Following(o, matched[o], reworded[o], len(mine), pairs[o][0], tuple(pairs[o]), verbatim[o]) for o in matched),
        key=lambda f: (-f.matched, f.other),
    )


def followed(ranked: Sequence[Following]) -> Following | None:
    """The article followed, when one leads: most sentences matched there, clearly more than anywhere else."""
    if not ranked or ranked[0].share < FOLLOWED_SHARE or ranked[0].matched < MIN_FOLLOWED:
        return None
    runner = ranked[1].share if len(ranked) > 1 else 0.0
    return ranked[0] if ranked[0].share - runner >= LEAD else None


# An article is a drifted copy of another when at least ``DRIFT_SHARE`` of its sentences (and ``MIN_FOLLOWED``) are best
# matched there and at most ``VERBATIM_SHARE`` of those read word for word the same: a reprint copies its sentences, an
# editor rewrites some and keeps the rest, a translation back into English changes a word or two in nearly every one.
DRIFT_SHARE, VERBATIM_SHARE = 0.75, 1 / 3
# ln odds, per vote, that the translation is the side whose changed words are the commoner English words
# (translation simplifies: "travel overseas" comes back as "travel abroad"); about 0.65 on the tuning round trips.
SIMPLER_ODDS = math.log(0.65 / 0.35)
# Of two articles that are drifted copies of each other, one is taken for the translation only this far ahead (ln odds).
DIRECTION_MARGIN = math.log(4)


def is_drifted_copy(f: Following) -> bool:
    return f.matched >= MIN_FOLLOWED and f.share >= DRIFT_SHARE and f.verbatim <= VERBATIM_SHARE * f.matched


def _mean_zipf(words: Counter[str]) -> float:
    return sum(_zipf(w) * n for w, n in words.items()) / sum(words.values())


def simpler_wording(f: Following) -> tuple[int, int]:
    """Votes that this article's changed words are the commoner ones, and that the other's are.

    Each sentence pair of ``f`` that differs votes twice: by the mean
    frequency of the words each side changed, and by the rarest of them.
    """
    mine = theirs = 0
    for s, t in f.pairs:
        a, b = Counter(s.folded), Counter(t.folded)
        here, there = a - b, b - a
        if here and there:
            for zh, zt in ((_mean_zipf(here), _mean_zipf(there)), (min(map(_zipf, here)), min(map(_zipf, there)))):
                mine += zh > zt
                theirs += zt > zh
    return mine, theirs


def sign_weight(evidence: Sequence[Evidence], words: int) -> float:
    """How much an article's own signs speak for translation (ln odds of the kinds present, nothing for absent ones)."""
    return sum(max(0.0, llr([e], words) - llr([], words)) for e in {e.kind: e for e in evidence}.values())


def drift_evidence(article: Article, f: Following, votes: tuple[int, int], texts: dict[str, str]) -> Evidence:
    """Why ``article`` is taken for a translation of ``f.other``: drift in nearly every sentence, towards commoner words."""
    mine, theirs = next(((s, t) for s, t in f.pairs if s.folded != t.folded), f.first)
    note = (
        f"{f.matched} of its {f.sentences} sentences follow {f.other}, only {f.verbatim} of them word for word; "
        f"where the words differ, this article's are the commoner English words by {votes[0]} votes to {votes[1]}"
    )
    quoted = texts[f.other][theirs.start : theirs.end]
    return Evidence("drifted copy", mine.start, mine.end, article.text[mine.start : mine.end], note, f.other, quoted)


def drifted_copies(
    tops: dict[str, Following], own: dict[str, float], articles: dict[str, Article], texts: dict[str, str]
) -> dict[str, Evidence]:
    """The articles that are drifted copies of another and, of each such pair, the one that reads as the translation.

    A drifted copy alone does not say which of the two was translated.  The
    translation is the one whose changed words are the commoner ones in more
    sentences, and whose own signs with those sentences weigh more; when both
    are drifted copies of each other, it must lead by ``DIRECTION_MARGIN``, else
    neither is taken.
    """
    found = {}
    for a, f in tops.items():
        if not is_drifted_copy(f):
            continue
        votes = simpler_wording(f)
        lead = own[a] - own[f.other] + SIMPLER_ODDS * (votes[0] - votes[1])
        back = tops.get(f.other)
        mutual = back is not None and back.other == a and is_drifted_copy(back)
        if votes[0] > votes[1] and lead >= (DIRECTION_MARGIN if mutual else 0.0):
            found[a] = drift_evidence(articles[a], f, votes, texts)
    return found


# A likely source is named only when the article renders it as a translation renders its source: at least
# ``DRIFT_SHARE`` of its sentences (and ``MIN_FOLLOWED``) follow it, from its opening on (its headline or first sentence,
# the first ``OPENING`` of its sentences).  An article followed only further in carries the translated text inside text
# of its own (a blog that reprints a report whole after its own introduction): the translation may have been made from
# the report, not from it.  Of the articles rendered so, the source must lead the next by ``LEAD``.
OPENING = 2


def first_followed(f: Following, theirs: Sequence[Sentence]) -> int:
    """The position, among the other article's ``theirs`` sentences, of the first one that ``f`` follows (0: its headline)."""
    starts = {t.start for _s, t in f.pairs}
    return next(k for k, t in enumerate(theirs) if t.start in starts)


def renders(f: Following, theirs: Sequence[Sentence]) -> bool:
    return f.matched >= MIN_FOLLOWED and f.share >= DRIFT_SHARE and first_followed(f, theirs) < OPENING


def likely_source(ranked: Sequence[Following], split: dict[str, tuple[Sentence, ...]]) -> Following | None:
    """The article translated, when the evidence backs one: rendered from its opening through most of this one, ahead of any other."""
    rendered = [f for f in ranked if renders(f, split[f.other])]
    runner = rendered[1].share if len(rendered) > 1 else 0.0
    return rendered[0] if rendered and rendered[0].share - runner >= LEAD else None


def source_evidence(
    article: Article, source: Following, ranked: Sequence[Following], split: dict[str, tuple[Sentence, ...]], texts: dict[str, str]
) -> Evidence:
    """Why ``source`` is named: how much of this article follows it, from where, and how far the next article is followed."""
    mine, theirs = source.first
    others = [f for f in ranked if f is not source]
    after = ""
    if others:
        f = others[0]
        first = first_followed(f, split[f.other])
        where = "from its opening" if first < OPENING else f"only from its sentence {first + 1} on"
        after = f"; next, {f.other}: {f.matched}, {where}"
    note = (
        f"{source.matched} of its {source.sentences} sentences follow {source.other} from its opening on, "
        f"{source.reworded} of them reworded{after}"
    )
    quoted = texts[source.other][theirs.start : theirs.end]
    return Evidence("follows", mine.start, mine.end, article.text[mine.start : mine.end], note, source.other, quoted)


def following_evidence(article: Article, lead: Following, ranked: Sequence[Following], texts: dict[str, str]) -> Evidence:
    """Why ``lead`` is taken as the article followed: a ``reworded copy`` when translation reworded it throughout."""
    mine, theirs = lead.first
    after = f"; next, {ranked[1].other}: {ranked[1].matched}" if len(ranked) > 1 else ""
    note = f"{lead.matched} of its {lead.sentences} sentences are best matched in {lead.other}, {lead.reworded} of them reworded{after}"
    kind = "reworded copy" if lead.reworded >= REWORDED_SHARE * lead.matched else "follows"
    return Evidence(
        kind, mine.start, mine.end, article.text[mine.start : mine.end], note, lead.other, texts[lead.other][theirs.start : theirs.end]
    )


def llr(evidence: Sequence[Evidence], words: int) -> float:
    """ln P(evidence | machine translation) − ln P(evidence | original news).

    What counts is which kinds an article shows, not how often: a house style
    (an outlet that writes 24-hour times) repeats a form as often as it writes
    one.  A kind measured per word is present in an article of ``words`` words
    with chance 1 − exp(−rate × words), in news at least ``NEWS_FLOOR`` (what
    151 articles can tell, so one piece of evidence in a short text stays
    weak); a kind measured per article (``ARTICLE_RATES``) with its rate.
    """
    present = {e.kind for e in evidence}
    total = 0.0
    for kind in (set(RATES) | set(ARTICLE_RATES) | present) - (PRESENCE_ONLY - present):
        if kind in ARTICLE_RATES:
            news, mt = ARTICLE_RATES[kind]
        else:
            news_rate, mt_rate = RATES.get(kind, UNMEASURED)
            news, mt = (1 - math.exp(-r * max(words, 1) / 1000) for r in (news_rate, mt_rate))
            news = max(news, min(mt, NEWS_FLOOR))
        total += math.log(mt / news) if kind in present else math.log((1 - mt) / (1 - news))
    return total


def score(evidence: Sequence[Evidence], words: int) -> float:
    """The posterior chance of machine translation at even prior odds."""
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, llr(evidence, words)))))


def _distinct(evidence: Sequence[Evidence]) -> list[Evidence]:
    """One piece of evidence per place: a calque is not also a drifted word, two passages not two drifts."""
    kept: dict[int, Evidence] = {}
    for e in sorted(evidence, key=lambda e: (e.kind != "calque", e.start, e.kind)):
        if not any(k.start <= e.start < k.end or e.start <= k.start < e.end for k in kept.values()):
            kept[e.start] = e
    return sorted(kept.values(), key=lambda e: (e.start, e.kind))


Lead = tuple[Following, Evidence]


def collect(
    topic: Topic, passages: Sequence[Passage], quotes: dict[str, tuple[tuple[int, int], ...]]
) -> tuple[dict[str, list[Evidence]], dict[str, Lead]]:
    """Every article's evidence, one piece per place, and its likely source (with why), if any (see ``likely_source``).

    The evidence is its own text's, what the passages pin on it, a
    ``reworded copy`` when it follows another article reworded throughout, and
    last, where that does not settle it, its ``stable round trip`` sentences.
    """
    texts = {a.id: a.text for a in topic.articles}
    folded = {a.id: _folded(a) for a in topic.articles}
    evidence: dict[str, list[Evidence]] = {
        a.id: broken_quotes(a)
        + reporting_verbs(a)
        + foreign_forms(a)
        + unquoted_speech(a)
        + non_words(a)
        + inverted_compounds(a, [f for o, f in folded.items() if o != a.id], folded[a.id])
        for a in topic.articles
    }
    words = {a.id: word_count(a) for a in topic.articles}
    split = {a.id: sentences(a) for a in topic.articles}
    index = sentence_index(split)
    leads: dict[str, Lead] = {}
    sources: dict[str, Lead] = {}
    tops: dict[str, Following] = {}
    for a in topic.articles:
        ranked = followings(a.id, split[a.id], index)
        lead, source = followed(ranked), likely_source(ranked, split)
        if ranked:
            tops[a.id] = ranked[0]
        if lead:
            leads[a.id] = (lead, following_evidence(a, lead, ranked, texts))
        if source:
            sources[a.id] = (source, source_evidence(a, source, ranked, split, texts))
    # Two articles that follow each other are one text twice: which of them changed a quote or a name cannot
    # be told from the two alone, so what their passages say against each other goes to whichever one's own
    # text reads more like a translation, and to neither when their texts say nothing apart.
    mutual = {
        frozenset((a, lead.other))
        for a, (lead, _why) in leads.items()
        if leads.get(lead.other, (None,))[0] and leads[lead.other][0].other == a
    }
    clues = [c for p in passages for c in _drift_clues(p, quotes, texts) + _calque_clues(p, texts, folded)]
    clues = [Clue(tuple(c.evidence), c.evidence) if frozenset(c.evidence) in mutual else c for c in clues]
    # An article whose own text shows no sign has no say: a shorter text is not likelier a translation.
    own = {a: llr(_distinct(ev), words[a]) if ev else -math.inf for a, ev in evidence.items()}
    for c in clues:
        if len(c.candidates) == 1 and frozenset(c.evidence) not in mutual:
            evidence[c.candidates[0]].append(c.evidence[c.candidates[0]])
    settled = {a: llr(_distinct(ev), words[a]) for a, ev in evidence.items()}
    for c in clues:
        if len(c.candidates) > 1:
            judge = own if frozenset(c.evidence) in mutual else settled
            order = sorted(c.candidates, key=lambda a: -judge[a])
            if judge[order[0]] > judge[order[1]] and judge[order[0]] > -math.inf:
                evidence[order[0]].append(c.evidence[order[0]])
    distinct = {a: _distinct(ev) for a, ev in evidence.items()}
    weights = {a.id: sign_weight(distinct[a.id], words[a.id]) for a in topic.articles if a.id in tops}
    copies = drifted_copies(tops, weights, {a.id: a for a in topic.articles}, texts)
    for aid, (lead, why) in leads.items():
        if why.kind == "reworded copy" and aid not in copies and (frozenset((aid, lead.other)) not in mutual or own[aid] > own[lead.other]):
            distinct[aid].append(why)
    for aid, why in copies.items():
        distinct[aid].append(why)
    for a in topic.articles:
        if needs_round_trip(a, distinct[a.id], words[a.id], tops.get(a.id)):
            distinct[a.id].extend(round_trip_test(a).evidence)
    return distinct, sources


def is_suspected(evidence: Sequence[Evidence], words: int) -> bool:
    return llr(evidence, words) >= SUSPECT_LLR and any(e.kind in DECISIVE_KINDS for e in evidence)


def is_reprint(f: Following) -> bool:
    """The article copies another's sentences word for word: a wire story reprinted, which translation would have reworded."""
    return f.matched >= MIN_FOLLOWED and f.verbatim > VERBATIM_SHARE * f.matched


def needs_round_trip(article: Article, evidence: Sequence[Evidence], words: int, top: Following | None) -> bool:
    """Whether the costly back-translation test can change the verdict: English, not suspected on cheaper signs, no reprint.

    An original article stops the test after about 60 words (two or three
    sentences' round trips clear it), a translation after about 150.
    """
    return primary(article.language) == "en" and not is_suspected(evidence, words) and not (top and is_reprint(top))


def detect(topic: Topic, passages: Sequence[Passage], quotes: dict[str, tuple[tuple[int, int], ...]]) -> dict[str, TranslationVerdict]:
    """A verdict for every article of ``topic`` from the first-pass differences of ``passages``."""
    evidence, sources = collect(topic, passages, quotes)
    verdicts = {}
    for a in topic.articles:
        ev, words = evidence[a.id], word_count(a)
        suspected = is_suspected(ev, words)
        source, why = sources.get(a.id, (None, None))
        if suspected and why:
            ev = [*ev, why]
        verdicts[a.id] = TranslationVerdict(
            suspected=suspected,
            score=score(ev, words),
            evidence=tuple(ev),
            source=source.other if suspected and source else None,
        )
    return verdicts


def retag(p: Passage, verdicts: dict[str, TranslationVerdict], quotes: dict[str, tuple[tuple[int, int], ...]]) -> Passage:
    """Mark as ``translation`` the changes a suspected article made inside quotes or to a calqued name."""
    base = p.base_member

    def is_translation(d: Difference) -> bool:
        v = verdicts.get(d.article)
        if not (v and v.suspected) or d.kind not in TRANSLATABLE:
            return False
        if max(_words(d.text), _words(d.base_text)) > MAX_DRIFT_WORDS:
            return False
        if any(e.kind == "calque" and e.start <= d.start < e.end for e in v.evidence):
            return True
        return inside(quotes[d.article], d.start, d.end) and inside(quotes[base.article], d.base_start, d.base_end)

    return replace(p, differences=tuple(replace(d, kind="translation") if is_translation(d) else d for d in p.differences))
