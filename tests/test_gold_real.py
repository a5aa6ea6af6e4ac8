"""The hand-made real-article gold stays usable: every snippet resolves, held-out topics stay out, each file says its split."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from .conftest import ROOT

GOLD = ROOT / "tests" / "gold" / "real"
_spec = importlib.util.spec_from_file_location("check_gold", GOLD / "check_gold.py")
check_gold = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_gold)

FILES = check_gold.gold_files()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_snippet_resolves_in_its_article(path: Path, shared: Path) -> None:
    assert check_gold.problems(path, shared) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_held_out_topic_is_named(path: Path) -> None:
    assert check_gold.held_out_names(path.read_text(encoding="utf-8")) == []


def test_tune_and_frozen_splits_cover_25_articles_in_4_topics() -> None:
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in FILES]
    assert {g["split"] for g in golds} == {"tune", "frozen"}
    assert len(golds) >= 4
    assert sum(len(g["articles"]) for g in golds) >= 25


def test_check_reports_a_drifted_snippet_and_a_held_out_name(tmp_path: Path, shared: Path) -> None:
    """The check is only worth running if it fails: a snippet one character off, or a held-out file, is reported."""
    gold = json.loads(FILES[0].read_text(encoding="utf-8"))
    member = gold["passages"][0]["members"][0]
    member["text"] = member["text"] + "~"
    broken = tmp_path / "alignment-broken.json"
    broken.write_text(json.dumps(gold), encoding="utf-8")
    assert any("not found" in p for p in check_gold.problems(broken, shared))
    gold["articles"]["x"] = "corpora/wikiref220/" + "ParisAttacks2015" + ".1.txt"
    broken.write_text(json.dumps(gold), encoding="utf-8")
    assert any("held-out" in p for p in check_gold.problems(broken, shared))
