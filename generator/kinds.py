"""The kinds of difference between two readings of a passage: one table that everything else reads.

The page (tags, CSS classes, the legend's element, which kinds count as
editing noise) and the translation retagger (which kinds machine translation
may explain) derive from :data:`KINDS`; :data:`DifferenceKind` (the type of
``Difference.kind``, spelled out for the type checker), the classifier's rules
(``analyse/differences.py``), the JSON Schema's enum, the stylesheet and the
how-to-read legend are checked against it by ``tests/test_kinds.py``.  So a new
kind is one row here (and its name in the Literal) and, when the classifier
should find it, one rule there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DifferenceKind = Literal[
    "punctuation",
    "capitalisation",
    "spelling variant",
    "name variant",
    "typo",
    "number",
    "wording",
    "omission",
    "addition",
    "translation",
]


@dataclass(frozen=True)
class Kind:
    """One kind of difference: its name in the JSON, its short tag on the page, and what it means."""

    name: DifferenceKind
    tag: str
    minor: bool  # editing noise rather than a change of what is said
    translatable: bool  # machine translation may explain it (a suspected translation's change is retagged)
    description: str
    element: Literal["mark", "del"] = "mark"  # how the page marks it: ``del`` for base words this version lacks

    @property
    def css(self) -> str:
        """CSS class suffix: ``spelling variant`` → ``spelling-variant``."""
        return self.name.replace(" ", "-")


KINDS: tuple[Kind, ...] = (
    Kind("punctuation", "punct", True, False, "punctuation only, including straight versus curly quote marks"),
    Kind("capitalisation", "caps", True, False, "the same words with other capital letters (President/president)"),
    Kind("spelling variant", "spell", True, False, "a US/UK spelling of the same word"),
    Kind("name variant", "name", False, False, "another transliteration of a proper noun"),
    Kind("typo", "typo", False, False, "a misspelling of a word spelled right elsewhere, or a word printed twice"),
    Kind("number", "num", False, False, "a count, time, date or amount differs"),
    Kind("wording", "word", False, True, "other words for the same place in the text"),
    Kind("omission", "omit", False, True, "words of the base reading this version leaves out (struck through)", "del"),
    Kind("addition", "add", False, True, "words this version adds"),
    Kind(
        "translation", "MT", False, False,
        "a change typical of machine translation; in a passage across languages, a figure or name the two sides give differently",
    ),
)
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
NAMES: tuple[DifferenceKind, ...] = tuple(k.name for k in KINDS)
MINOR: frozenset[DifferenceKind] = frozenset(k.name for k in KINDS if k.minor)
TRANSLATABLE: tuple[DifferenceKind, ...] = tuple(k.name for k in KINDS if k.translatable)
