"""Input costs on WikiRef220: reading and decoding all 220 files, against the whole docs build.

    .venv/bin/python benchmarks/bench_input.py

Prints the read time (discover + decode + parse, best of three), the docs build time (one run,
--no-site, one folder per label) and their ratio; timings are noisy on a shared machine.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from generator.ingest.read import discover, read_topic
from generator.pipeline.build import build

SHARED = next(p for p in (Path(__file__).resolve().parents[1].parent / "shared", Path("/work/shared")) if p.is_dir())
CORPUS = SHARED / "corpora" / "wikiref220"


def by_label(seeds: Path) -> None:
    for path in CORPUS.glob("*.txt"):
        folder = seeds / re.sub(r"[ .]?\(?\d+\)?$", "", path.stem)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / path.name)


def read_all(seeds: Path) -> list:
    return [a for s in discover(seeds) for a in read_topic(s, seeds).articles]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        by_label(seeds)
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            articles = read_all(seeds)
            runs.append(time.perf_counter() - t)
        t = time.perf_counter()
        build(seeds, Path(tmp) / "docs", None, log=lambda _m: None)
        total = time.perf_counter() - t
    print(f"articles: {len(articles)}; encodings: {dict(sorted(Counter(a.encoding for a in articles).items()))}")
    print(f"read (best of 3): {min(runs):.2f} s; docs build: {total:.2f} s; read share: {min(runs) / total:.1%}")


if __name__ == "__main__":
    sys.exit(main())
