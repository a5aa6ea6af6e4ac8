"""Check the hand-made real-article alignment gold: every snippet must resolve in its article.

A gold file is only worth scoring against if each member is an exact piece of the
article's decoded text (decoded as the generator decodes it), so the scorer's
``str.find`` lands where the annotator meant.  The check also keeps the held-out
WikiRef220 topics out of the gold and makes every file say whether it is tuning
material or frozen.

Run: ``python tests/gold/real/check_gold.py [--shared DIR] [gold.json ...]``
(default: every ``alignment-*.json`` beside this script; shared/ found beside the checkout).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from generator.ingest.read import decode  # noqa: E402 (after the path is set, so the script runs from anywhere)

SPLITS = ("tune", "frozen")
KINDS = ("reuse", "paraphrase")
# Kept for evaluation only: no gold may name them.
HELD_OUT = ("parisattacks2015", "malaysia.airlines.flight")
FIELDS = {"topic", "split", "articles", "about", "annotator", "passages", "doubtful"}


def default_shared() -> Path:
    """shared/ beside the checkout (helpers' worktrees sit one level deeper), else /work/shared."""
    return next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), ROOT.parent / "shared")


def gold_files() -> list[Path]:
    return sorted(HERE.glob("alignment-*.json"))


def held_out_names(raw: str) -> list[str]:
    low = raw.lower()
    return [name for name in HELD_OUT if name in low]


def header_problems(name: str, gold: dict, fields: set[str]) -> list[str]:
    """A gold file's missing top-level fields and an unknown split."""
    out = []
    missing = fields - gold.keys()
    if missing:
        out.append(f"{name}: missing fields {sorted(missing)}")
    if gold.get("split") not in SPLITS:
        out.append(f"{name}: split {gold.get('split')!r} is not one of {SPLITS}")
    return out


def problems(path: Path, shared: Path) -> list[str]:
    """Everything wrong with one gold file; an empty list means it is usable."""
    raw = path.read_text(encoding="utf-8")
    found = [f"{path.name}: names held-out topic {name!r}" for name in held_out_names(raw)]
    if found:
        return found
    gold = json.loads(raw)
    out = header_problems(path.name, gold, FIELDS)
    texts = {}
    for article, rel in gold.get("articles", {}).items():
        file = shared / rel
        if Path(rel).stem != article:
            out.append(f"{path.name}: article id {article!r} is not the file name of {rel}")
        if not file.is_file():
            out.append(f"{path.name}: {rel} not found under {shared}")
            continue
        texts[article] = decode(file.read_bytes())[0]
    for section in ("passages", "doubtful"):
        for n, passage in enumerate(gold.get(section, [])):
            out.extend(f"{path.name} {section}[{n}]: {p}" for p in passage_problems(passage, texts))
    return out


def passage_problems(passage: dict, texts: dict[str, str]) -> list[str]:
    """A passage needs a kind, a note and two or more members that resolve to distinct places."""
    out = []
    if passage.get("kind") not in KINDS:
        out.append(f"kind {passage.get('kind')!r} is not one of {KINDS}")
    if not str(passage.get("note", "")).strip():
        out.append("no note")
    members = passage.get("members", [])
    if len(members) < 2:
        out.append("fewer than two members")
    places = []
    for m in members:
        article, snippet, occurrence = m.get("article"), m.get("text", ""), m.get("occurrence", 0)
        if article not in texts:
            out.append(f"member article {article!r} is not listed in 'articles'")
            continue
        start = find_nth(texts[article], snippet, occurrence)
        if not snippet or snippet != snippet.strip() or any(c in snippet for c in "\r\n"):
            out.append(f"{article}: snippet empty, padded or across a line break: {snippet[:60]!r}")
        elif start < 0:
            out.append(f"{article}: occurrence {occurrence} of snippet not found: {snippet[:80]!r}")
        else:
            places.append((article, start, start + len(snippet)))
    for i, (a, s, e) in enumerate(places):
        if any(a == b and s < f and t < e for b, t, f in places[i + 1 :]):
            out.append(f"{a}: two members overlap at {s}")
    return out


def find_nth(text: str, snippet: str, occurrence: int) -> int:
    """Offset of the ``occurrence``-th (0-based) copy of ``snippet``, or -1 — the scorer's own lookup."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(snippet, start + 1)
        if start < 0:
            return -1
    return start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--shared", type=Path, default=default_shared())
    args = parser.parse_args(argv)
    files = args.files or gold_files()
    bad = [p for f in files for p in problems(f, args.shared)]
    for line in bad:
        print(line)
    for f in files:
        gold = json.loads(f.read_text(encoding="utf-8"))
        kinds = [p["kind"] for p in gold.get("passages", [])]
        print(
            f"{f.name}: {gold.get('split')}, {len(gold.get('articles', {}))} articles, "
            f"{kinds.count('reuse')} reuse + {kinds.count('paraphrase')} paraphrase passages, "
            f"{sum(len(p['members']) for p in gold.get('passages', []))} members, {len(gold.get('doubtful', []))} doubtful"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
