"""Compare stage: a base reading per passage and every member's word-level differences.

Diffs run through diff-match-patch at word level: each distinct word or
punctuation mark is mapped to one character, the character strings are
diffed and semantically cleaned up, and the result is mapped back to the
words' offsets, so every difference points at exact characters of its
article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from diff_match_patch import diff_match_patch
from rapidfuzz import fuzz

from .models import Article, Comparison, Difference, Member, Passage, Span, Topic

_PIECE = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Change:
    """One aligned change: base pieces ``[b0, b1)`` became member pieces ``[m0, m1)``, in absolute offsets."""

    base_start: int
    base_end: int
    start: int
    end: int


def pieces(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Words and punctuation marks of ``text`` as ``(start, end, piece)`` with offsets shifted by ``offset``."""
    return [(m.start() + offset, m.end() + offset, m.group()) for m in _PIECE.finditer(text)]


def word_diff(base: Member, other: Member) -> Iterator[Change]:
    """The changes that turn ``base`` into ``other``, word by word."""
    bp, op = pieces(base.text, base.start), pieces(other.text, other.start)
    codes: dict[str, str] = {}

    def encode(ps: list[tuple[int, int, str]]) -> str:
        return "".join(codes.setdefault(p[2], chr(0xE000 + len(codes))) for p in ps)

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    diffs = dmp.diff_main(encode(bp), encode(op), False)
    dmp.diff_cleanupSemantic(diffs)
    bi = oi = 0
    pending: list[int] | None = None  # [b0, b1, o0, o1] in piece indices
    for op_code, chunk in diffs + [(0, "")]:
        n = len(chunk)
        if op_code == 0:
            if pending:
                yield _change(base, other, bp, op, *pending)
                pending = None
            bi, oi = bi + n, oi + n
            continue
        if pending is None:
            pending = [bi, bi, oi, oi]
        if op_code < 0:
            bi += n
            pending[1] = bi
        else:
            oi += n
            pending[3] = oi


def _change(base: Member, other: Member, bp, op, b0: int, b1: int, o0: int, o1: int) -> Change:
    def bounds(ps, i0: int, i1: int, member: Member) -> tuple[int, int]:
        if i1 > i0:
            return ps[i0][0], ps[i1 - 1][1]
        at = ps[i0][0] if i0 < len(ps) else member.end
        return at, at

    bs, be = bounds(bp, b0, b1, base)
    s, e = bounds(op, o0, o1, other)
    return Change(bs, be, s, e)


def classify(base_text: str, text: str) -> str:
    """A first classification of one change (refined by the differences module)."""
    if not text.strip():
        return "omission"
    if not base_text.strip():
        return "addition"
    if not re.search(r"\w", base_text + text):
        return "punctuation"
    if re.sub(r"\W", "", base_text).lower() == re.sub(r"\W", "", text).lower():
        return "punctuation"
    if _NUMBER.search(base_text) or _NUMBER.search(text):
        return "number"
    return "wording"


def choose_base(members: Sequence[Member]) -> int:
    """The member the others agree with most (ties: the earliest)."""
    if len(members) <= 2:
        return 0
    scores = [sum(fuzz.ratio(m.text, o.text) for o in members if o is not m) for m in members]
    return max(range(len(members)), key=lambda k: (scores[k], -k))


def differences(passage: Passage, texts: dict[str, str]) -> Passage:
    """``passage`` with its base reading chosen and every member diffed against it."""
    base_index = choose_base(passage.members)
    base = passage.members[base_index]
    found = []
    for member in passage.members:
        if member is base:
            continue
        for c in word_diff(base, member):
            base_text = texts[base.article][c.base_start : c.base_end]
            text = texts[member.article][c.start : c.end]
            found.append(
                Difference(
                    article=member.article,
                    start=c.start,
                    end=c.end,
                    text=text,
                    base_text=base_text,
                    kind=classify(base_text, text),
                    base_start=c.base_start,
                    base_end=c.base_end,
                )
            )
    similarity = min((fuzz.ratio(base.text, m.text) / 100 for m in passage.members), default=1.0)
    return replace(passage, base=base_index, differences=tuple(found), similarity=similarity)


def unique_spans(article: Article, passages: Sequence[Passage]) -> tuple[Span, ...]:
    """The content blocks (or parts of them) of ``article`` that no passage covers."""
    covered = sorted((m.start, m.end) for p in passages for m in p.members if m.article == article.id)
    out = []
    for block in article.content_blocks():
        pos = block.start
        for s, e in covered:
            if e <= pos or s >= block.end:
                continue
            if s > pos:
                out.append(Span(article.id, pos, s))
            pos = max(pos, e)
        if pos < block.end:
            out.append(Span(article.id, pos, block.end))
    return tuple(s for s in out if len(article.text[s.start : s.end].split()) >= 3)


def compare(topic: Topic, passages: Sequence[Passage]) -> Comparison:
    """Differences, base readings and each article's own text for one topic."""
    texts = {a.id: a.text for a in topic.articles}
    diffed = tuple(differences(p, texts) for p in passages)
    unique = {a.id: unique_spans(a, diffed) for a in topic.articles}
    return Comparison(topic=topic, passages=diffed, unique=unique)
