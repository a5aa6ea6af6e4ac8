"""The blind gold on invented topics stays usable: every snippet resolves in its topic folder, one topic tunes, the rest are frozen."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from .conftest import ROOT

BLIND = ROOT / "tests" / "gold" / "blind"
_spec = importlib.util.spec_from_file_location("check_blind", BLIND / "check_blind.py")
check_blind = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_blind)

FILES = check_blind.gold_files()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_snippet_resolves_in_its_topic(path: Path) -> None:
    assert check_blind.problems(path) == []


def test_one_topic_tunes_and_the_others_are_frozen() -> None:
    splits = sorted(json.loads(p.read_text(encoding="utf-8"))["split"] for p in FILES)
    assert splits == ["frozen", "frozen", "tune"]


def test_check_reports_a_drifted_snippet_a_missing_readme_and_a_held_out_name(tmp_path: Path) -> None:
    """The check is only worth running if it fails: a snippet one character off, a missing or incomplete README.yml, a held-out name."""
    gold = json.loads(FILES[0].read_text(encoding="utf-8"))
    gold["passages"][0]["members"][0]["text"] += "~"
    broken = tmp_path / "alignment-broken.json"
    broken.write_text(json.dumps(gold), encoding="utf-8")
    assert any("not found" in p for p in check_blind.problems(broken))
    topic = tmp_path / "topic"
    topic.mkdir()
    (topic / "a.txt").write_text("Head\n\nBody.\n", encoding="utf-8")
    gold = {"topic": str(topic), "split": "tune", "about": "x", "annotator": "x", "passages": [], "doubtful": []}
    broken.write_text(json.dumps(gold), encoding="utf-8")
    assert any("no README.yml" in p for p in check_blind.problems(broken))
    (topic / "README.yml").write_text("articles:\n  b.txt: {}\n", encoding="utf-8")
    assert any("describes ['b.txt'] but not ['a.txt']" in p for p in check_blind.problems(broken))
    gold["about"] = "ParisAttacks" + "2015"
    broken.write_text(json.dumps(gold), encoding="utf-8")
    assert any("held-out" in p for p in check_blind.problems(broken))
