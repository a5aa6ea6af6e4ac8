"""Cross-language comparison against the fixtures' known pairing (``tests/data/crosslang-*``).

For each fixture (an English article, its Portuguese translation with a changed figure and name,
and other English articles of the topic), prints:

- paragraphs aligned: the original's paragraphs that a cross-language passage pairs with their
  translation, out of the original's paragraphs that have a translation;
- pairs right: the paragraph pairs the passages make between original and translation that the
  pairing records, out of all such pairs;
- edits found: the hand edits (changed figure, changed name) found as ``translation`` differences,
  and how many other ``translation`` differences were reported (false alarms, or real changes
  machine translation made: check them with ``--show``);
- seconds: cross-language comparison of the topic, model loading included; and a whole build of
  the seed topic's five articles plus the Portuguese version of one (6 articles, one foreign).

    .venv/bin/python benchmarks/eval_crosslang.py [--show]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.align.crosslang import cross_language, sentence_model  # noqa: E402
from generator.ingest.read import discover, read_topic  # noqa: E402
from generator.models import Article, Difference  # noqa: E402

DATA = ROOT / "tests" / "data"


def paragraphs(article: Article) -> list[tuple[int, int]]:
    """Offsets of the article file's non-empty lines, as the pairing counts them."""
    out, pos = [], 0
    for line in article.text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def index_of(spans: list[tuple[int, int]], start: int) -> int:
    return next(k for k, (s, e) in enumerate(spans) if s <= start < e + 1)


def _is_edit(d: Difference, before: str, after: str) -> bool:
    """Whether ``d`` pairs the edited word with the word the original has there (either way round)."""
    edited, original = next((w.strip("(),.;:"), x.strip("(),.;:")) for w, x in zip(after.split(), before.split()) if w != x)
    return {d.text, d.base_text} == {edited, original} or {d.text, d.base_text} & {edited} and bool({d.text, d.base_text} - {edited})


def evaluate(folder: Path, show: bool) -> dict[str, float]:
    pairing = yaml.safe_load((folder / "pairing.yml").read_text(encoding="utf-8"))
    source = next(s for s in discover(folder.parent) if s.folder == folder)
    topic = read_topic(source, folder.parent)
    ids = {Path(a.path).name: a.id for a in topic.articles}
    original, translation = topic.article(ids[pairing["original"]]), topic.article(ids[pairing["translation"]])
    po, pt = paragraphs(original), paragraphs(translation)
    content = {index_of(po, b.start) for b in original.content_blocks()}
    known = {(o, t) for o, t in pairing["paragraphs"] if o in content}
    t0 = time.perf_counter()
    result = cross_language(topic)
    seconds = time.perf_counter() - t0
    made = set()
    for p in result.passages:
        by = {m.article: m for m in p.members}
        if original.id in by and translation.id in by:
            made.add((index_of(po, by[original.id].start), index_of(pt, by[translation.id].start)))
    aligned = {o for o, t in known if (o, t) in made}
    differences = [d for p in result.passages for d in p.differences if d.kind == "translation"]
    edits = [(e["translated"], e["edited"]) for e in pairing["edits"]]
    found = sum(any(_is_edit(d, before, after) for d in differences) for before, after in edits)
    if show:
        print(f"\n{folder.name}: languages {[a.language for a in topic.articles]}")
        for o, t in sorted(known - made):
            print(f"  missed {o}->{t}: {original.text[slice(*po[o])][:90]!r}")
        for o, t in sorted(made - known):
            print(f"  wrong  {o}->{t}: {original.text[slice(*po[o])][:60]!r} / {translation.text[slice(*pt[t])][:60]!r}")
        for d in differences:
            print(f"  translation difference: {d.base_text!r} -> {d.text!r} ({d.note})")
        for r in result.renditions:
            print(f"  rendition: original {r.original} ({r.evidence or 'no evidence'}), dropped {len(r.dropped)}, added {len(r.added)}")
    return {
        "paragraphs": len(known),
        "aligned": len(aligned),
        "pairs": len(made),
        "right": len(made & known),
        "edits": len(edits),
        "found": found,
        "other_differences": len(differences) - found,
        "seconds": seconds,
    }


def six_article_build(site: bool) -> tuple[float, float]:
    """Wall and CPU seconds of ``generator build --no-cache`` (a fresh process, as a user runs it) of the
    seed topic plus the Portuguese version of its first article; with ``site``, MkDocs included.
    CPU seconds tell the cost on a machine that other work keeps busy."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        shutil.copytree(ROOT / "seeds", seeds)
        shutil.copy(DATA / "crosslang-iran" / "000_2ce643f1a1350952-pt.txt", seeds / "iran-missile-strikes-2020")
        command = [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(Path(tmp) / "docs"), "--no-cache"]
        command += ["--site", str(Path(tmp) / "site")] if site else ["--no-site"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true", help="list misses, wrong pairs and every translation difference")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of crosslang-* fixtures (default: tests/data)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    sentence_model()
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    total: dict[str, float] = {}
    print(f"{'fixture':<20} {'aligned':>12} {'pairs right':>12} {'edits found':>12} {'other diffs':>12} {'seconds':>8}")
    for folder in sorted(args.data.glob("crosslang-*")):
        r = evaluate(folder, args.show)
        for k, v in r.items():
            total[k] = total.get(k, 0) + v
        print(
            f"{folder.name:<20} {r['aligned']:>5}/{r['paragraphs']:<3} {r['aligned'] / r['paragraphs']:>3.0%}"
            f" {r['right']:>5}/{r['pairs']:<3} {r['right'] / max(1, r['pairs']):>3.0%} {r['found']:>6}/{r['edits']:<5}"
            f" {r['other_differences']:>12.0f} {r['seconds']:>8.2f}"
        )
    print(
        f"{'all':<20} {total['aligned'] / total['paragraphs']:>12.1%} {total['right'] / max(1, total['pairs']):>12.1%}"
        f" {total['found']:>6.0f}/{total['edits']:<5.0f} {total['other_differences']:>12.0f} {total['seconds']:>8.2f}"
    )
    for site in (False, True):
        wall, cpu = six_article_build(site)
        print(f"6-article topic, one foreign, generator build {'with the site' if site else '--no-site'}: {wall:.2f} s ({cpu:.2f} CPU s)")
    print(f"load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
