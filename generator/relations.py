"""How the statements of one fact relate: one table that the facts, the page, the JSON and the guide read.

``agree`` in the JSON predates relations and keeps its meaning: it is false
only for a conflict, so a reader of the old field never takes two spellings
of one name, or a round figure and the exact one it contains, for outlets
contradicting each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RelationName = Literal["same", "compatible", "spelling", "conflict"]


@dataclass(frozen=True)
class Relation:
    name: RelationName
    agree: bool
    label: str  # the badge on the page
    description: str  # what the guide and the badge's tooltip say


RELATIONS: tuple[Relation, ...] = (
    Relation("conflict", False, "≠ conflict", "the values cannot all be true: one outlet (or the party it quotes) contradicts another"),
    Relation(
        "compatible", True, "≈ compatible",
        "the values differ but can all be true: ranges that overlap, a round figure that contains the exact one, "
        "a vague word such as “dozens”",
    ),
    Relation("spelling", True, "Aa spelling", "one name written several ways (a transliteration, a doubled letter): not a disagreement"),
    Relation("same", True, "✓ same", "every article gives the same value"),
)
BY_NAME: dict[str, Relation] = {r.name: r for r in RELATIONS}
NAMES: tuple[RelationName, ...] = tuple(r.name for r in RELATIONS)
