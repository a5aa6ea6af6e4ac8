"""The tables of difference kinds and fact relations are the one source: schema, guide, styles and code agree with them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import pytest

from generator import kinds, relations
from generator.analyse import translation
from generator.analyse.differences import FALLBACK, RULES, Edit, Vocabulary, classify
from generator.models import DIFFERENCE_KINDS, Article, Block
from generator.publish import views

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs/schema/source-compare-1.schema.json").read_text(encoding="utf-8"))
GUIDE = (ROOT / "docs/guide/how-to-read.md").read_text(encoding="utf-8")
CONTRACT = (ROOT / "docs/guide/data-contract.md").read_text(encoding="utf-8")
CSS = (ROOT / "docs/assets/stylesheets/compare.css").read_text(encoding="utf-8")


def test_schema_enums_are_the_tables() -> None:
    passage = SCHEMA["properties"]["passages"]["items"]["properties"]
    assert passage["differences"]["items"]["properties"]["kind"]["enum"] == list(kinds.NAMES)
    row = re.search(r"^\| `passages\[\]\.differences\[\]\.kind` \| (.+) \|$", CONTRACT, re.M)
    assert row and tuple(re.findall(r"`([^`]+)`", row.group(1))) == kinds.NAMES
    fact = SCHEMA["properties"]["facts"]["items"]["properties"]
    assert set(fact["relation"]["enum"]) == set(relations.NAMES)


def test_code_derives_from_the_kinds_table() -> None:
    assert DIFFERENCE_KINDS == kinds.NAMES
    assert views.KIND_TAGS == {k.name: k.tag for k in kinds.KINDS}
    assert views.MINOR_KINDS == {"punctuation", "capitalisation", "spelling variant"}
    assert translation.TRANSLATABLE == ("wording", "omission", "addition")
    assert {kind for *_, kind in RULE_EXAMPLES} <= set(kinds.NAMES)
    assert [views.kind_class(k.name) for k in kinds.KINDS] == [k.css for k in kinds.KINDS]
    assert get_args(kinds.DifferenceKind) == kinds.NAMES  # the type of Difference.kind is the table's names


_TYPO_VOCAB = Vocabulary.of(
    Article(f"a{k}", f"a{k}.txt", t, t, "utf-8", (Block(0, len(t)),))
    for k, t in enumerate(("General Soleimani was killed.", "Soleimani was buried.", "Martyr Soleimai"))
)
# For each of the classifier's rules, a change it decides: (rule, base reading, reading, topic words, kind).
RULE_EXAMPLES = (
    ("omission", "at Al-Asad", "", None, "omission"),
    ("addition", "", "Hoffman said", None, "addition"),
    ("capitalisation", "president", "President", None, "capitalisation"),
    ("punctuation", "U.S.", "US", None, "punctuation"),
    ("compound", "airbase", "air base", None, "spelling variant"),
    ("us-uk spelling", "defence", "defense", None, "spelling variant"),
    ("number", "ten", "eleven", None, "number"),
    ("sound-alike name", "Erbil", "Irbil", None, "name variant"),
    ("typo", "Soleimani", "Soleimai", _TYPO_VOCAB, "typo"),
    ("name", "Soleimani", "Soleimai", None, "name variant"),
)


def _deciding_rule(base: str, text: str, vocab: Vocabulary | None) -> str | None:
    edit = Edit(base, text, vocab or Vocabulary())
    return next((name for name, rule in RULES if rule(edit) is not None), None)


@pytest.mark.parametrize(("rule", "base", "text", "vocab", "kind"), RULE_EXAMPLES, ids=[e[0] for e in RULE_EXAMPLES])
def test_each_rule_decides_its_kind(rule: str, base: str, text: str, vocab: Vocabulary | None, kind: str) -> None:
    assert _deciding_rule(base, text, vocab) == rule
    assert classify(base, text, vocab) == kind


def test_every_rule_has_an_example_and_every_kind_a_source() -> None:
    """A rule without an example is untested; a table kind nothing gives would be a dead row (translation: the MT stage)."""
    assert [name for name, _ in RULES] == [e[0] for e in RULE_EXAMPLES]
    given = {kind for *_, kind in RULE_EXAMPLES} | {FALLBACK, "translation"}
    assert given == set(kinds.NAMES)
    assert _deciding_rule("briefed", "informed", None) is None and classify("briefed", "informed") == FALLBACK


@pytest.mark.parametrize(
    ("base", "text", "holds", "kind"),
    [
        ("U.S.", "u.s.", {"capitalisation", "punctuation"}, "capitalisation"),  # a change of case alone is capitalisation
        ("June", "Juno", {"number", "sound-alike name", "name"}, "number"),  # a figure beats a name
        ("airbase", "Air base", {"compound", "us-uk spelling"}, "spelling variant"),
    ],
)
def test_the_first_rule_that_holds_decides(base: str, text: str, holds: set[str], kind: str) -> None:
    edit = Edit(base, text, Vocabulary())
    assert holds <= {name for name, rule in RULES if rule(edit) is not None}
    assert classify(base, text) == kind


def test_every_kind_is_in_the_legend_and_styled() -> None:
    row = r'^\| <(mark|del) class="sc-d sc-k-([a-z-]+)">[^<]+</\1><sup class="sc-tag sc-k-\2">([^<]+)</sup> \| ([^|]+) \| ([^|]+) \|$'
    legend = re.findall(row, GUIDE, re.M)
    assert legend == [(k.element, k.css, k.tag, k.name, k.description) for k in kinds.KINDS]
    for k in kinds.KINDS:
        assert f".sc-k-{k.css} {{" in CSS, k.name
        assert f'.sc-show[value="{k.css}"]:not(:checked)) .sc-versions .sc-k-{k.css}' in CSS, k.name
        assert f'.sc-show[value="{k.css}"]:not(:checked)) .sc-versions sup.sc-k-{k.css}' in CSS, k.name


def test_every_relation_is_explained_in_the_guide() -> None:
    for r in relations.RELATIONS:
        assert f"| {r.label} | {r.name} |" in GUIDE, r.name
        assert r.agree == (r.name != "conflict")
