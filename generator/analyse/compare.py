"""Compare stage: a base reading per passage and every member's word-level differences.

Diffs run through diff-match-patch (Google's C++ implementation, as
``fast_diff_match_patch``) at word level: each distinct folded word
(case, accents, inner dots and US/UK spelling folded away) is mapped to one
character, the character strings are diffed and semantically cleaned up,
and the result is mapped back to the words' offsets.  Words that fold alike
but are written differently ("U.S."/"US", "defence"/"defense") and changed
punctuation between two matching words become changes of their own, so
every difference points at exact characters of its article and has exactly
one kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from difflib import Match, SequenceMatcher

import fast_diff_match_patch
import numpy as np
from rapidfuzz import fuzz, process

from generator.analyse.differences import Vocabulary, findings
from generator.analyse.facts import facts
from generator.analyse.translation import detect, retag
from generator.models import Article, Comparison, CrossLanguage, Difference, Member, Passage, Span, Topic
from generator.normalise import WORD, Token, padded, quote_regions, tokenize

_SPACE = re.compile(r"\s+")
# Below this similarity of folded words (0-100), two members of a paraphrase are rewordings, not edits.
REWORDED = 70
PARTIAL_QUOTE = 8  # words of the base missing at a member's edge above which the member quotes part of the passage


@dataclass(frozen=True)
class Change:
    """One aligned change: base ``[base_start, base_end)`` became ``[start, end)``, in article offsets."""

    base_start: int
    base_end: int
    start: int
    end: int


def _gap(tokens: Sequence[Token], k: int, text: str) -> tuple[int, int]:
    """The non-space stretch between word ``k`` and word ``k + 1`` (empty, at the first word's end, if none)."""
    s, e = tokens[k].end, tokens[k + 1].start
    chunk = text[s:e]
    stripped = chunk.strip()
    if not stripped:
        return s, s
    lead = len(chunk) - len(chunk.lstrip())
    return s + lead, s + lead + len(stripped)


def word_diff(base: Member, other: Member) -> Iterator[Change]:
    """The changes that turn ``base`` into ``other``, word by word, in reading order.

    Words are the members' own (cached) tokens, with offsets into the member's
    text; only the changes found are moved to article offsets.
    """
    bw, ow = tokenize(base.text), tokenize(other.text)
    bt, ot = base.text, other.text
    codes: dict[str, str] = {}

    def encode(ws: Sequence[Token]) -> str:
        for w in ws:
            if w.norm not in codes:
                codes[w.norm] = chr(0xE000 + len(codes))
        return "".join([codes[w.norm] for w in ws])

    def change(b0: int, b1: int, o0: int, o1: int) -> Change:
        return Change(b0 + base.start, b1 + base.start, o0 + other.start, o1 + other.start)

    runs = fast_diff_match_patch.diff(encode(bw), encode(ow), timelimit=0, checklines=False, cleanup="Semantic", counts_only=True)
    bi = oi = 0
    pending: list[int] | None = None  # [b0, b1, o0, o1] in word indices
    for op, n in [*runs, ("=", 0)]:
        if op != "=":
            pending = pending or [bi, bi, oi, oi]
            if op == "-":
                bi += n
                pending[1] = bi
            else:
                oi += n
                pending[3] = oi
            continue
        if pending:
            b0, b1, o0, o1 = pending
            yield change(*_bounds(bw, b0, b1, base), *_bounds(ow, o0, o1, other))
            pending = None
        # A run written alike but for spacing has no change inside; otherwise look word by word.
        alike = n and _SPACE.sub(" ", bt[bw[bi].start : bw[bi + n - 1].end]) == _SPACE.sub(" ", ot[ow[oi].start : ow[oi + n - 1].end])
        for k in range(n if alike else 0, n):
            b, o = bw[bi + k], ow[oi + k]
            if bt[b.start : b.end] != ot[o.start : o.end]:
                yield change(b.start, b.end, o.start, o.end)
            if k + 1 < n:
                gb, go = _gap(bw, bi + k, bt), _gap(ow, oi + k, ot)
                if _SPACE.sub("", bt[gb[0] : gb[1]]) != _SPACE.sub("", ot[go[0] : go[1]]):
                    yield change(*gb, *go)
        bi, oi = bi + n, oi + n


def _bounds(words: Sequence[Token], i0: int, i1: int, member: Member) -> tuple[int, int]:
    """Member-text offsets of words ``[i0, i1)``; for no words, the place where word ``i0`` would be."""
    if i1 > i0:
        return words[i0].start, words[i1 - 1].end
    at = words[i0].start if i0 < len(words) else member.end - member.start
    return at, at


def split_change(c: Change, texts: dict[str, str], base: Member, member: Member, vocab: Vocabulary) -> list[Difference]:
    """One difference per change, or one per word when a run of equally long readings mixes kinds."""
    bt, mt = texts[base.article], texts[member.article]
    bwords = [(m.start() + c.base_start, m.end() + c.base_start) for m in WORD.finditer(bt[c.base_start : c.base_end])]
    mwords = [(m.start() + c.start, m.end() + c.start) for m in WORD.finditer(mt[c.start : c.end])]
    pairs = [(c.base_start, c.base_end, c.start, c.end)]
    if len(bwords) == len(mwords) > 1:
        pairs = [(b[0], b[1], m[0], m[1]) for b, m in zip(bwords, mwords)]
    out: list[Difference] = []
    for bs, be, s, e in pairs:
        if len(pairs) > 1 and bt[bs:be] == mt[s:e]:
            continue
        kind = vocab.kind(bt[bs:be], mt[s:e])
        if out and out[-1].kind == kind == "wording" and len(pairs) > 1:
            prev = out.pop()
            bs, s = prev.base_start, prev.start
        out.append(Difference(member.article, s, e, mt[s:e], bt[bs:be], kind, bs, be))
    if len(pairs) > 1 and all(d.kind == "wording" for d in out):
        whole = bt[c.base_start : c.base_end]
        return [Difference(member.article, c.start, c.end, mt[c.start : c.end], whole, "wording", c.base_start, c.base_end)]
    return out


def _window(base: Member, member: Member) -> Member:
    """The stretch of the base reading that a much shorter member quotes: from the first to the last
    base word it shares ("So far, so good!" of a whole tweet), so the rest of the tweet is not a change."""
    bw, mw = tokenize(base.text), tokenize(member.text)
    if 2 * len(mw) >= len(bw):
        return base
    bn, mn = [t.norm for t in bw], [t.norm for t in mw]
    at = _first_run(bn, mn)
    if at is not None:  # a member quoted word for word is its own longest match, so SequenceMatcher's only block
        blocks = [Match(at, 0, len(mn))]
    else:
        blocks = [b for b in SequenceMatcher(None, bn, mn, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return base
    start, end = bw[blocks[0].a].start, bw[blocks[-1].a + blocks[-1].size - 1].end
    return Member(base.article, base.start + start, base.start + end, base.text[start:end], base.kind)


def _first_run(words: list[str], run: list[str]) -> int | None:
    """Where ``run`` first stands in ``words`` word for word, if anywhere (and it is not empty)."""
    at = -1
    while run:
        try:
            at = words.index(run[0], at + 1)
        except ValueError:
            return None
        if words[at : at + len(run)] == run:
            return at
    return None


def _quotes_a_part(d: Difference, member: Member) -> bool:
    """A long stretch of the base reading missing at a member's start or end: the member quotes part of
    the statement (one passage per statement), it does not cut it."""
    at_edge = d.start == member.start or d.start == member.end
    return d.kind == "omission" and at_edge and len(WORD.findall(d.base_text)) >= PARTIAL_QUOTE


def _folded(text: str) -> str:
    return padded(tokenize(text))


def _printed_elsewhere(d: Difference, siblings: list[str]) -> bool:
    """An omission whose words the article prints in another member of the passage is no omission."""
    return d.kind == "omission" and bool(d.base_text.strip()) and any(_folded(d.base_text) in s for s in siblings)


def _ratios(members: Sequence[Member]) -> list[list[float]]:
    """``fuzz.ratio`` of every two members' texts, in one compiled call (which computes half: the ratio is symmetric)."""
    texts = [m.text for m in members]
    return process.cdist(texts, texts, scorer=fuzz.ratio, dtype=np.float64).tolist()


def choose_base(members: Sequence[Member], avoid: frozenset[str] = frozenset(), ratios: list[list[float]] | None = None) -> int:
    """The member the others agree with most; ties go to an article not in ``avoid``, then the earliest.

    A place that reproduces the text is preferred to one that states it in other words.
    Only a member at least half as long as the longest can be the base: a passage
    whose outlets quote two words of a tweet that one outlet embeds whole reads
    against the whole tweet.  ``ratios`` are the members' :func:`_ratios`, when already known.
    """
    longest = max(len(m.text) for m in members)
    ratios = ratios or _ratios(members)
    scores = [sum(r for o, r in zip(members, row) if o is not m) for m, row in zip(members, ratios)]

    def rank(k: int) -> tuple[bool, bool, float, bool, int]:
        m = members[k]
        return 2 * len(m.text) >= longest, m.kind == "reuse", round(scores[k], 6), m.article not in avoid, -k

    return max(range(len(members)), key=rank)


def differences(passage: Passage, texts: dict[str, str], vocab: Vocabulary, avoid: frozenset[str] = frozenset()) -> Passage:
    """``passage`` with its base reading chosen and every member diffed against it."""
    ratios = _ratios(passage.members)
    base_index = choose_base(passage.members, avoid, ratios)
    base = passage.members[base_index]
    found: list[Difference] = []
    for member in passage.members:
        if member is base:
            continue
        paraphrase = passage.kind == "paraphrase" or member.kind == "paraphrase"
        if paraphrase and fuzz.ratio(_folded(base.text), _folded(member.text)) < REWORDED:
            found.extend(reworded(base, member))
        else:
            siblings = [_folded(m.text) for m in passage.members if m.article == member.article and m is not member]
            for c in word_diff(_window(base, member), member):
                found.extend(
                    d for d in split_change(c, texts, base, member, vocab)
                    if not _printed_elsewhere(d, siblings) and not _quotes_a_part(d, member)
                )
    similarity = min(r / 100 for r in ratios[base_index])
    return replace(passage, base=base_index, differences=tuple(found), similarity=similarity)


def _rediffed(passage: Passage, first: Passage, texts: dict[str, str], vocab: Vocabulary, avoid: frozenset[str]) -> Passage:
    """The second pass's diff of ``passage``: the first pass's when avoiding ``avoid`` picks the same base."""
    if choose_base(passage.members, avoid) == first.base:
        return first
    return differences(passage, texts, vocab, avoid)


def reworded(base: Member, member: Member) -> list[Difference]:
    """A paraphrase says the same with mostly other words: only a changed figure is worth pointing at.

    A word-by-word diff of two rewordings (or one change painting the whole
    member) points at no change a reader can check; one figure given otherwise
    ("15 missiles" / "16 missiles") is a ``number`` difference at its place.
    """
    figures = [[t for t in tokenize(m.text) if t.norm.isdigit()] for m in (base, member)]
    norms = [{t.norm for t in f} for f in figures]
    gone = [t for t in figures[0] if t.norm not in norms[1]]
    new = [t for t in figures[1] if t.norm not in norms[0]]
    if len(gone) != 1 or len(new) != 1:
        return []
    b, m = gone[0], new[0]
    return [
        Difference(
            member.article, member.start + m.start, member.start + m.end, member.text[m.start : m.end],
            base.text[b.start : b.end], "number", base.start + b.start, base.start + b.end, note="paraphrase",
        )
    ]


# A sentence and where it ends: its final mark, then any closing quote, before a capital or the end (“All is well!” and said …
# goes on); an abbreviation's dot ends nothing.
_SENTENCE = re.compile(r"\S.*?(?:[.!?](?:[”\"’']+(?=\s+[“\"‘(]?[A-Z0-9]|\s*$)|(?=\s+[“\"‘(]?[A-Z0-9])|$)|$)", re.DOTALL)
_NOT_ENDS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No"
                       r"|[A-Z]|[ap]\.m)\.$")  # "at 1:30 a.m. (2230 GMT)" goes on
UNIQUE_SENTENCE_WORDS = 8


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as offsets, trimmed of surrounding space."""
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text, start, end):
        if out and _NOT_ENDS.search(text[out[-1][0] : out[-1][1]]):
            out[-1] = (out[-1][0], m.end())
        else:
            out.append((m.start(), m.end()))
    return out


# What a photo caption looks like: "A picture of …", "Photo: …", a credit, or a place and month to end it ("…, Iraq, June 2018.").
_CAPTION = re.compile(
    r"^(?:A |The )?(?:picture|photo|photograph|file photo|image)s?\b(?: of\b|:)|^pictured\b|\b(?:REUTERS|AFP|AP Photo|Getty Images)\b"
    r"|,\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}\.?$",
    re.IGNORECASE,
)


def _is_sentence(text: str) -> bool:
    """A whole statement: long enough, ending like a sentence, and no photo caption (name lines and scraps are none)."""
    ends = text.rstrip("”\"’') ").endswith((".", "!", "?"))
    return len(WORD.findall(text)) >= UNIQUE_SENTENCE_WORDS and ends and not _CAPTION.search(text)


def unique_spans(article: Article, passages: Sequence[Passage]) -> tuple[Span, ...]:
    """The whole sentences of ``article`` that no passage touches, runs of them joined into one span.

    A sentence a passage covers in part is left out, so what is listed is
    never a scrap (",” Hoffman said.") of a shared sentence, and a caption
    or name line is no sentence.
    """
    covered = sorted((m.start, m.end) for p in passages for m in p.members if m.article == article.id)
    out: list[Span] = []
    for block in article.content_blocks():
        run: tuple[int, int] | None = None
        for s, e in sentences(article.text, block.start, block.end):
            alone = all(ce <= s or cs >= e for cs, ce in covered) and _is_sentence(article.text[s:e])
            if alone:
                run = (run[0], e) if run else (s, e)
            elif run:
                out.append(Span(article.id, *run))
                run = None
        if run:
            out.append(Span(article.id, *run))
    return tuple(out)


def compare(topic: Topic, passages: Sequence[Passage], crossing: CrossLanguage | None = None) -> Comparison:
    """Differences, translation verdicts, facts and each article's own text for one topic.

    Passages are diffed twice: the first pass feeds the translation detector,
    the second prefers a base reading that is not a suspected translation,
    so that drifted words show up on the translated article, where they belong.
    Cross-language passages (``crossing``) come with their differences and join after the diffs.
    """
    texts = {a.id: a.text for a in topic.articles}
    vocab = Vocabulary.of(topic.articles)
    quotes = {a.id: quote_regions(a) for a in topic.articles}
    first = tuple(differences(p, texts, vocab) for p in passages)
    verdicts = detect(topic, first, quotes)
    suspected = frozenset(a for a, v in verdicts.items() if v.suspected)
    diffed = tuple(_rediffed(p, f, texts, vocab, suspected) for p, f in zip(passages, first)) if suspected else first
    diffed = tuple(retag(p, verdicts, quotes) for p in diffed) + (crossing.passages if crossing else ())
    unique = {a.id: unique_spans(a, diffed) for a in topic.articles}
    return Comparison(
        topic=topic,
        passages=diffed,
        translation=verdicts,
        facts=facts(topic.articles),
        unique=unique,
        findings=findings(topic.articles, diffed, vocab),
        cross_language=crossing,
    )
