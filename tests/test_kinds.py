"""The tables of difference kinds and fact relations are the one source: schema, guide, styles and code agree with them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator import kinds, relations
from generator.analyse import translation
from generator.analyse.differences import RULES
from generator.models import DIFFERENCE_KINDS
from generator.publish import views

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs/schema/source-compare-1.schema.json").read_text(encoding="utf-8"))
GUIDE = (ROOT / "docs/guide/how-to-read.md").read_text(encoding="utf-8")
CSS = (ROOT / "docs/assets/stylesheets/compare.css").read_text(encoding="utf-8")


def test_schema_enums_are_the_tables() -> None:
    passage = SCHEMA["properties"]["passages"]["items"]["properties"]
    assert passage["differences"]["items"]["properties"]["kind"]["enum"] == list(kinds.NAMES)
    fact = SCHEMA["properties"]["facts"]["items"]["properties"]
    assert set(fact["relation"]["enum"]) == set(relations.NAMES)


def test_code_derives_from_the_kinds_table() -> None:
    assert DIFFERENCE_KINDS == kinds.NAMES
    assert views.KIND_TAGS == {k.name: k.tag for k in kinds.KINDS}
    assert views.MINOR_KINDS == {"punctuation", "capitalisation", "spelling variant"}
    assert translation.TRANSLATABLE == ("wording", "omission", "addition")
    assert {kind for kind, _ in RULES} <= set(kinds.NAMES)
    assert [views.kind_class(k.name) for k in kinds.KINDS] == [k.css for k in kinds.KINDS]


def test_every_kind_is_in_the_legend_and_styled() -> None:
    for k in kinds.KINDS:
        row = rf'class="sc-d sc-k-{k.css}">[^<]+</(?:mark|del)><sup class="sc-tag sc-k-{k.css}">{re.escape(k.tag)}</sup> \| {k.name} \|'
        assert re.search(row, GUIDE), k.name
        assert f".sc-k-{k.css} {{" in CSS, k.name
        assert f'.sc-show[value="{k.css}"]:not(:checked)) .sc-versions .sc-k-{k.css}' in CSS, k.name


def test_every_relation_is_explained_in_the_guide() -> None:
    for r in relations.RELATIONS:
        assert f"| {r.label} | {r.name} |" in GUIDE, r.name
        assert r.agree == (r.name != "conflict")
