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
  does (``," declared the minister``, ``," affirmed …``).

Each piece of evidence adds to a score in 0..1; an article is ``suspected``
only when the score is high *and* two different kinds of evidence agree.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .differences import WORD, is_name_variant
from .kinds import TRANSLATABLE
from .models import Article, Difference, Evidence, Member, Passage, Topic, TranslationVerdict
from .normalise import STOPWORDS, article_tokens, padded, tokenize

WEIGHTS = {"drifted quote": 0.2, "calque": 0.45, "broken quotation marks": 0.35, "translated reporting verb": 0.3}
SUSPECT_SCORE = 0.75
SUSPECT_KINDS = 2
MAX_DRIFT_WORDS = 4

_OPEN, _CLOSE, _BOTH = "“«„‘", "”»’", '"'
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


# The marks that open or close a quote region (single quotes are apostrophes too often).
_QUOTE_MARK = re.compile("[" + re.escape(_OPEN[:3] + _CLOSE[:2] + _BOTH) + "]")


def quote_regions(article: Article) -> tuple[tuple[int, int], ...]:
    """Stretches of ``article`` inside quotation marks; a quote left open runs to its block's end."""
    regions = []
    for block in article.content_blocks():
        opened = None
        for m in _QUOTE_MARK.finditer(article.text, block.start, block.end):
            k, ch = m.start(), m.group()
            if ch in _OPEN[:3] or (ch == _BOTH and opened is None):
                opened = k if opened is None else opened
            elif (ch in _CLOSE[:2] or ch == _BOTH) and opened is not None:
                regions.append((opened, k + 1))
                opened = None
        if opened is not None:
            regions.append((opened, block.end))
    return tuple(regions)


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
        use = {k: sum(f" {' '.join(WORD.findall(m.group(0).lower()))} " in f for f in folded.values()) for k, m in (("mine", mine), ("theirs", theirs))}
        here = Evidence("calque", d.start, d.start + len(mine.group(0)), mine.group(0), f"others say “{theirs.group(0)}”", base.article, theirs.group(0))
        there = Evidence("calque", d.base_start, d.base_start + len(theirs.group(0)), theirs.group(0), f"others say “{mine.group(0)}”", d.article, mine.group(0))
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
    """"X of (the) Y" phrases that the other articles write as the compound "Y X" and never as this.

    ``others`` are the other articles' folded texts (``_folded``), ``mine`` this one's if known.  In a large
    topic somebody writes almost any compound, so the compound must be the
    usual wording of the coverage: at least ``COMPOUND_SHARE`` of the others use it.  One piece of
    evidence per distinct phrase, so a calque repeated is not counted twice.
    """
    if not others:
        return []
    mine = _folded(article) if mine is None else mine
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


def score(evidence: Sequence[Evidence]) -> float:
    """1 minus the chance that every piece of evidence is a coincidence, taking each on its own."""
    remaining = 1.0
    for e in evidence:
        remaining *= 1 - WEIGHTS[e.kind]
    return 1 - remaining


def _distinct(evidence: Sequence[Evidence]) -> list[Evidence]:
    """One piece of evidence per place: a calque is not also a drifted word, two passages not two drifts."""
    kept: dict[int, Evidence] = {}
    for e in sorted(evidence, key=lambda e: (e.kind != "calque", e.start, e.kind)):
        if not any(k.start <= e.start < k.end or e.start <= k.start < e.end for k in kept.values()):
            kept[e.start] = e
    return sorted(kept.values(), key=lambda e: (e.start, e.kind))


def detect(topic: Topic, passages: Sequence[Passage], quotes: dict[str, tuple[tuple[int, int], ...]]) -> dict[str, TranslationVerdict]:
    """A verdict for every article of ``topic`` from the first-pass differences of ``passages``."""
    texts = {a.id: a.text for a in topic.articles}
    folded = {a.id: _folded(a) for a in topic.articles}
    evidence: dict[str, list[Evidence]] = {
        a.id: broken_quotes(a) + reporting_verbs(a) + inverted_compounds(a, [f for o, f in folded.items() if o != a.id], folded[a.id])
        for a in topic.articles
    }
    clues = [c for p in passages for c in _drift_clues(p, quotes, texts) + _calque_clues(p, texts, folded)]
    for c in clues:
        if len(c.candidates) == 1:
            evidence[c.candidates[0]].append(c.evidence[c.candidates[0]])
    settled = {a: score(_distinct(ev)) for a, ev in evidence.items()}
    for c in clues:
        if len(c.candidates) > 1:
            ranked = sorted(c.candidates, key=lambda a: -settled[a])
            if settled[ranked[0]] > settled[ranked[1]]:
                evidence[ranked[0]].append(c.evidence[ranked[0]])
    verdicts = {}
    for a in topic.articles:
        ev = _distinct(evidence[a.id])
        s = score(ev)
        kinds = {e.kind for e in ev}
        sources = Counter(e.other_article for e in ev if e.other_article)
        verdicts[a.id] = TranslationVerdict(
            suspected=s >= SUSPECT_SCORE and len(kinds) >= SUSPECT_KINDS,
            score=s,
            evidence=tuple(ev),
            source=sources.most_common(1)[0][0] if sources else None,
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
