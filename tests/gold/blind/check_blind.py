"""Check the blind alignment gold on invented topics: every snippet must resolve in its article.

The same checks as ``tests/gold/real/check_gold.py`` (whose passage check this
reuses), for gold whose articles are a topic folder of this repository
(``topic``: ``tests/data/<slug>``, every ``.txt`` file in it one article, its
id the file name) rather than files under shared/.  The folder must also hold
``README.yml`` saying what each article is (wire, reprint, own prose, machine
translation of which), so an evaluation knows the truth; YAML and not Markdown
because a ``.md`` file in a topic folder would be read as one more article.

Run: ``python tests/gold/blind/check_blind.py [gold.json ...]``
(default: every ``alignment-*.json`` beside this script).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
_spec = importlib.util.spec_from_file_location("check_gold", HERE.parent / "real" / "check_gold.py")
assert _spec is not None and _spec.loader is not None
check_gold = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_gold)

FIELDS = {"topic", "split", "about", "annotator", "passages", "doubtful"}


def gold_files() -> list[Path]:
    return sorted(HERE.glob("alignment-*.json"))


def topic_texts(folder: Path) -> dict[str, str]:
    """Each article of a topic folder by id, decoded as the generator decodes it."""
    return {f.stem: check_gold.decode(f.read_bytes())[0] for f in sorted(folder.glob("*.txt"))}


def problems(path: Path) -> list[str]:
    """Everything wrong with one blind gold file; an empty list means it is usable."""
    raw = path.read_text(encoding="utf-8")
    found = [f"{path.name}: names held-out topic {name!r}" for name in check_gold.held_out_names(raw)]
    if found:
        return found
    gold = json.loads(raw)
    out = check_gold.header_problems(path.name, gold, FIELDS)
    folder = ROOT / str(gold.get("topic", ""))
    if not gold.get("topic") or not folder.is_dir():
        return [*out, f"{path.name}: topic folder {gold.get('topic')!r} not found"]
    texts = topic_texts(folder)
    out.extend(f"{path.name}: {p}" for p in readme_problems(folder, texts))
    for section in ("passages", "doubtful"):
        for n, passage in enumerate(gold.get(section, [])):
            out.extend(f"{path.name} {section}[{n}]: {p}" for p in check_gold.passage_problems(passage, texts))
    return out


def readme_problems(folder: Path, texts: dict[str, str]) -> list[str]:
    """The topic's README.yml must exist and describe every article file of the folder, and no other."""
    readme = folder / "README.yml"
    if not readme.is_file():
        return [f"{folder.name} has no README.yml saying what each article is"]
    described = set((yaml.safe_load(readme.read_text(encoding="utf-8")) or {}).get("articles") or {})
    files = {f"{article}.txt" for article in texts}
    return [f"README.yml describes {sorted(described - files)} but not {sorted(files - described)}"] if described != files else []


def counts(path: Path) -> str:
    gold = json.loads(path.read_text(encoding="utf-8"))
    kinds = [p["kind"] for p in gold.get("passages", [])]
    articles = len(topic_texts(ROOT / gold["topic"]))
    return (
        f"{path.name}: {gold.get('split')}, {articles} articles, "
        f"{kinds.count('reuse')} reuse + {kinds.count('paraphrase')} paraphrase passages, "
        f"{sum(len(p['members']) for p in gold.get('passages', []))} members, {len(gold.get('doubtful', []))} doubtful"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = args.files or gold_files()
    bad = [p for f in files for p in problems(f)]
    for line in bad:
        print(line)
    for f in files:
        print(counts(f))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
