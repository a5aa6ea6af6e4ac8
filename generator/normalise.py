"""Normalise stage: words with their offsets, folded for matching.

Matching wants "U.S." to equal "US", "defence" to equal "defense" and
"Café" to equal "cafe"; readers want the original characters back.  So a
:class:`Token` keeps both: the folded ``norm`` used for matching and the
``start``/``end`` offsets of the original word in the article's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from breame.spelling import BRITISH_ENGLISH_SPELLINGS
from unidecode import unidecode

from generator.models import Article

# A word: letters/digits, allowing inner apostrophes, dots (U.S.), hyphens and
# digit separators (1,000 / 2.5), so that each stays one token.
WORD = re.compile(r"\w+(?:[’'.,:\-]\w+)*", re.UNICODE)
_STRIP = re.compile(r"[’'.\-]")
_ISATION = re.compile(r"isation(?=s?$)")

# Abbreviations whose full stop ends no sentence ("Gen. Soleimani", "Jan. 7", "No. 10").
ABBREVIATIONS = frozenset("mr mrs ms dr gen col lt sgt capt rep sen gov st jan feb mar apr jun jul aug sep sept oct nov dec no vs".split())

# Words so frequent that a match on them alone says nothing; used by the
# aligner to keep n-gram seeds informative, never to drop text from a span.
STOPWORDS = frozenset(
    """a an the and or but of to in on at by for from with as is was were be been
    are it its that this these those he she they we i you his her their our
    has have had not no said says will would could should than then there
    which who whom what when where while into over after before about also""".split()
)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of an article: where it is, and its folded form for matching."""

    start: int
    end: int
    norm: str


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Fold a word for matching: ASCII, lower case, no inner punctuation, US spelling.

    Numbers keep their separators removed so that "1,000" matches "1000".
    """
    w = unidecode(word).lower()
    w = _STRIP.sub("", w)
    if w.replace(",", "").replace(":", "").isdigit():
        return w.replace(",", "")
    if w in BRITISH_ENGLISH_SPELLINGS:
        return BRITISH_ENGLISH_SPELLINGS[w]
    # Word lists miss rarer derived forms; "-isation" is always the British "-ization".
    return _ISATION.sub("ization", w)


@lru_cache(maxsize=4096)
def tokenize(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """The words of ``text[start:end]`` with offsets into ``text``.

    Cached: the stages tokenize the same blocks and passage members again and
    again (alignment, the vocabulary, diffs of both passes, translation checks),
    and building the tokens is a large share of a topic's cost.  Entries are
    immutable.  The cache holds the blocks and passages of a large topic (a
    38-article WikiRef220 topic has about 1,100 blocks), so that each block is
    tokenized once, not once per stage.
    """
    end = len(text) if end is None else end
    return tuple([Token(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text, start, end)])


def padded(tokens: Iterable[Token]) -> str:
    """Folded words joined by spaces, with a space at each end: ``f" {phrase} " in padded(...)``
    then finds a folded phrase on word boundaries only."""
    return " " + " ".join(t.norm for t in tokens) + " "


def article_tokens(article: Article) -> list[Token]:
    """The words of every block of ``article`` that takes part in alignment."""
    tokens: list[Token] = []
    for block in article.content_blocks():
        tokens.extend(tokenize(article.text, block.start, block.end))
    return tokens


MONTH_NAMES = tuple("january february march april may june july august september october november december".split())
MONTHS = {w: n for n, full in enumerate(MONTH_NAMES, 1) for w in (full, full[:3])} | {"sept": 9}
"""A month's number by its English name or abbreviation, lower case ("sept" included)."""

QUOTE_OPEN, QUOTE_CLOSE, QUOTE_BOTH = "“«„‘", "”»’", '"'
# The marks that open or close a quote region (single quotes are apostrophes too often).
_QUOTE_MARK = re.compile("[" + re.escape(QUOTE_OPEN[:3] + QUOTE_CLOSE[:2] + QUOTE_BOTH) + "]")


def quote_regions(article: Article) -> tuple[tuple[int, int], ...]:
    """Stretches of ``article`` inside quotation marks; a quote left open runs to its block's end."""
    regions = []
    for block in article.content_blocks():
        opened = None
        for m in _QUOTE_MARK.finditer(article.text, block.start, block.end):
            k, ch = m.start(), m.group()
            if ch in QUOTE_OPEN[:3] or (ch == QUOTE_BOTH and opened is None):
                opened = k if opened is None else opened
            elif (ch in QUOTE_CLOSE[:2] or ch == QUOTE_BOTH) and opened is not None:
                regions.append((opened, k + 1))
                opened = None
        if opened is not None:
            regions.append((opened, block.end))
    return tuple(regions)
