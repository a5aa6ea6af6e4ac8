"""Score the compare stage against the gold differences of the seed topic.

Two runs: ``pipeline`` reads, aligns (with whatever aligner is in
``generator/align/statements.py``) and compares, as the build does; ``gold-passages``
compares hand-specified passage groups (``tests/gold/passages-iran.json``),
so the figures for classification do not depend on the aligner.

A gold difference is *found* when a reported difference (or an in-article
finding of a difference kind) of the same article and the same kind lies at
its place (spans touch, within two characters).  Every reported item that is
not a gold hit is printed with ``--show`` so a reader can judge it.

    .venv/bin/python benchmarks/eval_differences.py [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.align.statements import align  # noqa: E402
from generator.analyse.compare import compare  # noqa: E402
from generator.ingest.read import discover, read_topic  # noqa: E402
from generator.models import DIFFERENCE_KINDS, Comparison, Member, Passage  # noqa: E402

GOLD = ROOT / "tests" / "gold"
SEEDS = ROOT / "seeds"
SLACK = 2


def load_topic(name: str = "iran-missile-strikes-2020"):
    source = next(s for s in discover(SEEDS) if s.folder.name == name)
    return read_topic(source, SEEDS)


def gold_passages(topic) -> list[Passage]:
    data = json.loads((GOLD / "passages-iran.json").read_text(encoding="utf-8"))
    texts = {a.id: a.text for a in topic.articles}

    def member(m: dict) -> Member:
        return Member(m["article"], m["start"], m["end"], texts[m["article"]][m["start"] : m["end"]])

    return [Passage(p["id"], "reuse", tuple(member(m) for m in p["members"])) for p in data["passages"]]


def reported(c: Comparison) -> list[dict]:
    """Every difference the comparison reports: passage differences and findings of a difference kind."""
    out = [
        {"article": d.article, "start": d.start, "end": d.end, "text": d.text, "base_text": d.base_text, "kind": d.kind, "where": p.id}
        for p in c.passages
        for d in p.differences
    ]
    out += [
        {"article": f.article, "start": f.start, "end": f.end, "text": f.text, "base_text": f.other_text, "kind": f.kind}
        | {"where": "finding"}
        for f in c.findings
        if f.kind in DIFFERENCE_KINDS
    ]
    return out


def at_place(r: dict, g: dict) -> bool:
    return r["article"] == g["article"] and r["start"] <= g["end"] + SLACK and r["end"] >= g["start"] - SLACK


def score(c: Comparison, gold: list[dict]) -> dict:
    found = reported(c)
    hits = [g for g in gold if any(at_place(r, g) and r["kind"] == g["kind"] for r in found)]
    right = [r for r in found if any(at_place(r, g) and r["kind"] == g["kind"] for g in gold)]
    wrong_kind = [r for r in found if r not in right and any(at_place(r, g) for g in gold)]
    other = [r for r in found if r not in right and r not in wrong_kind]
    return {
        "gold": len(gold),
        "found": len(hits),
        "recall": len(hits) / len(gold) if gold else 1.0,
        "reported": len(found),
        "gold_hits": len(right),
        "wrong_kind_at_gold_place": len(wrong_kind),
        "not_in_gold": other,
        "missed": [g for g in gold if g not in hits],
        "wrong_kind": wrong_kind,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print missed gold items and reported items outside the gold")
    args = ap.parse_args(argv)
    gold = json.loads((GOLD / "differences-iran.json").read_text(encoding="utf-8"))["differences"]
    topic = load_topic()
    runs = {"pipeline": compare(topic, align(topic.articles)), "gold-passages": compare(topic, gold_passages(topic))}
    for name, c in runs.items():
        s = score(c, gold)
        verdicts = {a[:3]: (v.suspected, round(v.score, 2)) for a, v in c.translation.items()}
        print(
            f"{name}: recall {s['found']}/{s['gold']} = {s['recall']:.2f}; reported {s['reported']}, "
            f"{s['gold_hits']} on gold, {s['wrong_kind_at_gold_place']} wrong kind at a gold place, "
            f"{len(s['not_in_gold'])} outside the gold; translation {verdicts}"
        )
        if args.show:
            for g in s["missed"]:
                print(f"  MISSED {g['article'][:3]} {g['kind']}: {g['base_text']!r} -> {g['text']!r}")
            for r in s["wrong_kind"]:
                print(f"  WRONG KIND {r['article'][:3]} {r['kind']}: {r['base_text']!r} -> {r['text']!r} ({r['where']})")
            for r in s["not_in_gold"]:
                print(f"  OUTSIDE {r['article'][:3]} {r['kind']}: {r['base_text']!r} -> {r['text']!r} ({r['where']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
