"""Facts and in-article findings per topic: fact rows by relation, typo and name findings, "said only here" items.

Runs the pipeline (read, align, compare) on the seeds and on WikiRef220
topics copied into a temporary seeds folder, one folder per label, and
prints per topic how many fact rows have each relation, the conflicts, the
typo findings and how many "said only here" items are not whole sentences.
The two WikiRef220 topics held out for evaluation are refused unless
``--held-out`` is given (run that once, to report, never to tune).

    .venv/bin/python benchmarks/eval_facts.py [--show] [--topics premier.league michelle.obama ...]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.align.statements import align  # noqa: E402
from generator.analyse.compare import compare  # noqa: E402
from generator.ingest.read import discover, read_topic  # noqa: E402

WIKIREF = next((p for p in (ROOT.parent / "shared/corpora/wikiref220", Path("/work/shared/corpora/wikiref220")) if p.is_dir()), None)
HELD_OUT = ("ParisAttacks2015", "malaysia.airlines.flight")
TUNING = ("premier.league", "michelle.obama", "samsung.galaxy.s5", "tohoku.earthquake.tsunami", "smartphone", "greek.elections",
          "debt.crisis.greece", "cypriot.financial.crisis", "barack.obama")


def wikiref_topics(corpus: Path, labels: list[str], dest: Path) -> Path:
    """The files of each label in a folder of its own, as a user would lay them out."""
    for path in sorted(corpus.glob("*.txt")):
        label = re.sub(r"(?: \(\d+\)|\.\d+)$", "", path.stem)
        if label in labels:
            (dest / label).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest / label / path.name)
    return dest


def report(seeds: Path, show: bool) -> None:
    for source in discover(seeds):
        topic = read_topic(source, seeds)
        c = compare(topic, align(topic.articles))
        relations = Counter(f.relation for f in c.facts)
        typos = [f for f in c.findings if f.kind == "typo"]
        respelled = [f for f in c.findings if f.kind == "name variant"]
        items = [(a, s) for a in topic.articles for s in c.unique.get(a.id, ())]
        scraps = [a.text[s.start : s.end] for a, s in items if len(a.text[s.start : s.end].split()) < 8]
        rows = " ".join(f"{r}={relations[r]}" for r in ("conflict", "compatible", "spelling", "same"))
        print(f"{topic.slug}: {len(topic.articles)} articles; {len(c.facts)} fact rows ({rows}); "
              f"{len(typos)} typo findings; {len(respelled)} name-variant findings; "
              f"{len(items)} said-only-here items, {len(scraps)} under eight words")
        for f in c.facts:
            if f.relation == "conflict" or show:
                values = "; ".join(f"{v.value} “{v.text}”" + (f" [{v.attributed_to}]" if v.attributed_to else "") for v in f.values[:6])
                print(f"  {f.relation:10} {f.kind:5} {f.label}: {values}{' …' if len(f.values) > 6 else ''}")
        if show:
            for t in typos + respelled:
                print(f"  {t.kind:10} {t.article}: “{t.text}” ({t.note})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", nargs="*", default=list(TUNING), help="WikiRef220 labels (default: the tuning topics)")
    parser.add_argument("--no-seeds", action="store_true", help="skip the project's seeds")
    parser.add_argument("--held-out", action="store_true", help="allow the held-out topics (for the final report only)")
    parser.add_argument("--show", action="store_true", help="list every fact row and typo finding")
    args = parser.parse_args()
    if not args.held_out and set(args.topics) & set(HELD_OUT):
        parser.error(f"{', '.join(HELD_OUT)} are held out for evaluation: pass --held-out to report on them")
    if not args.no_seeds:
        report(ROOT / "seeds", args.show)
    if args.topics and WIKIREF:
        with tempfile.TemporaryDirectory() as tmp:
            report(wikiref_topics(WIKIREF, args.topics, Path(tmp)), args.show)


if __name__ == "__main__":
    main()
