"""Score the aligner PAN-style, at character level, against gold annotations.

Gold files (``tests/gold/alignment-*.json``) list passages as quoted snippets
per article, so they stay readable; the scorer resolves each snippet to
offsets with ``str.find`` (``occurrence`` picks the n-th copy).

For every pair of places (two articles, or one article with itself for a
repeated passage), the characters a group claims to be shared are the spans of
its members in those places.  Summed over all pairs:

* recall = gold shared characters that the aligner also marks shared, for the
  pair, divided by all gold shared characters (reported for reuse and for
  paraphrase gold separately; paraphrase counts only characters that are not
  also reused text of the same pair);
* precision = aligned characters that lie inside a gold span of the same pair
  (any kind), divided by all aligned characters (reported per detected kind);
* granularity = detected members that overlap a gold member, per gold member
  that is found at all (1.0 is one detection per passage, PAN's ideal).

Run: ``python -m benchmarks.eval_align [gold.json ...]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.align import align
from generator.models import Article, Passage
from generator.read import discover, read_topic

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = sorted((ROOT / "tests" / "gold").glob("alignment-*.json"))

Place = tuple[str, int, int]  # (article id, start, end)
PairChars = dict[tuple[str, str], dict[str, set[int]]]  # (article, article) -> article -> character offsets


@dataclass(frozen=True)
class GoldPassage:
    kind: str
    members: tuple[Place, ...]


@dataclass(frozen=True)
class Score:
    """Character counts summed over article pairs, and the ratios they give."""

    reuse_gold: int
    reuse_found: int
    paraphrase_gold: int
    paraphrase_found: int
    reuse_aligned: int
    reuse_correct: int
    paraphrase_aligned: int
    paraphrase_correct: int
    granularity: float

    @property
    def reuse_recall(self) -> float:
        return _ratio(self.reuse_found, self.reuse_gold)

    @property
    def paraphrase_recall(self) -> float:
        return _ratio(self.paraphrase_found, self.paraphrase_gold)

    @property
    def reuse_precision(self) -> float:
        return _ratio(self.reuse_correct, self.reuse_aligned)

    @property
    def paraphrase_precision(self) -> float:
        return _ratio(self.paraphrase_correct, self.paraphrase_aligned)

    @property
    def precision(self) -> float:
        return _ratio(self.reuse_correct + self.paraphrase_correct, self.reuse_aligned + self.paraphrase_aligned)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def resolve(gold: dict, articles: Sequence[Article]) -> list[GoldPassage]:
    """Gold passages with offsets; a snippet that is not in its article is an error in the gold file."""
    texts = {a.id: a.text for a in articles}
    passages = []
    for entry in gold["passages"]:
        members = []
        for m in entry["members"]:
            text, snippet = texts[m["article"]], m["text"]
            at = -1
            for _ in range(m.get("occurrence", 0) + 1):
                at = text.find(snippet, at + 1)
                if at < 0:
                    raise ValueError(f"gold snippet not found in {m['article']}: {snippet[:60]!r}")
            members.append((m["article"], at, at + len(snippet)))
        passages.append(GoldPassage(entry["kind"], tuple(members)))
    return passages


def pair_chars(groups: Iterable[Sequence[Place]]) -> PairChars:
    """Per pair of places, the characters of each side that the groups call shared."""
    out: PairChars = defaultdict(lambda: defaultdict(set))
    for members in groups:
        for x, (a, s, e) in enumerate(members):
            for b, s2, e2 in members[x + 1 :]:
                key = (min(a, b), max(a, b))
                out[key][a].update(range(s, e))
                out[key][b].update(range(s2, e2))
    return out


def _count(found: PairChars, within: PairChars | None = None) -> int:
    """Characters of ``found``, or of ``found`` that also lie in ``within`` for the same pair and article."""
    total = 0
    for key, sides in found.items():
        for art, chars in sides.items():
            total += len(chars if within is None else chars & within.get(key, {}).get(art, set()))
    return total


def _granularity(gold: Sequence[GoldPassage], detected: Sequence[Passage]) -> float:
    hits = []
    for g in gold:
        for a, s, e in g.members:
            n = sum(1 for p in detected for m in p.members if m.article == a and m.start < e and s < m.end)
            if n:
                hits.append(n)
    return sum(hits) / len(hits) if hits else 1.0


def score(gold: Sequence[GoldPassage], detected: Sequence[Passage]) -> Score:
    """Score detected passages against gold passages of the same articles."""

    def places(p: Passage) -> list[Place]:
        return [(m.article, m.start, m.end) for m in p.members]

    gold_reuse = pair_chars(g.members for g in gold if g.kind == "reuse")
    gold_para = pair_chars(g.members for g in gold if g.kind != "reuse")
    gold_all = pair_chars(g.members for g in gold)
    paraphrase_only = {
        key: {art: chars - gold_reuse.get(key, {}).get(art, set()) for art, chars in sides.items()}
        for key, sides in gold_para.items()
    }
    det_all = pair_chars(places(p) for p in detected)
    det_reuse = pair_chars(places(p) for p in detected if p.kind == "reuse")
    det_para = pair_chars(places(p) for p in detected if p.kind != "reuse")
    return Score(
        reuse_gold=_count(gold_reuse),
        reuse_found=_count(gold_reuse, det_all),
        paraphrase_gold=_count(paraphrase_only),
        paraphrase_found=_count(paraphrase_only, det_all),
        reuse_aligned=_count(det_reuse),
        reuse_correct=_count(det_reuse, gold_all),
        paraphrase_aligned=_count(det_para),
        paraphrase_correct=_count(det_para, gold_all),
        granularity=_granularity(gold, detected),
    )


def load_articles(folder: Path) -> tuple[Article, ...]:
    """The articles of the topic in ``folder``, read as the generator reads them."""
    folder = folder.resolve()
    source = next(s for s in discover(folder.parent) if s.folder.resolve() == folder)
    return read_topic(source, folder.parent).articles


def evaluate(gold_path: Path) -> Score:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    articles = load_articles(ROOT / gold["topic"])
    return score(resolve(gold, articles), align(articles))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path, default=DEFAULT_GOLD)
    args = parser.parse_args(argv)
    print("| gold | reuse recall | reuse precision | paraphrase recall | paraphrase precision | all precision | granularity |")
    print("|---|---|---|---|---|---|---|")
    for path in args.gold:
        s = evaluate(path)
        print(
            f"| {path.name} | {s.reuse_recall:.3f} | {s.reuse_precision:.3f} | {s.paraphrase_recall:.3f} "
            f"| {s.paraphrase_precision:.3f} | {s.precision:.3f} | {s.granularity:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
