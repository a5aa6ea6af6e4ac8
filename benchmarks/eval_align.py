"""Score the aligner PAN-style, at character level, and passage by passage, against gold annotations.

Gold files list passages as quoted snippets per article, so they stay readable;
the scorer resolves each snippet to offsets with ``str.find`` (``occurrence``
picks the n-th copy).  Two kinds of gold file:

* ``tests/gold/alignment-*.json``: a ``topic`` folder of this repository (the
  seeds and the invented test topics); they are tuned on;
* ``tests/gold/real/alignment-*.json``: real articles, annotated blind to the
  aligner, each with a ``split`` (``tune`` or ``frozen``) and an ``articles``
  map from article id to a path under the shared material (``/work/shared``);
  the topic is built from those files.  Only the tune split is tuned on; the
  frozen split is run for the final report.

Character figures, summed over every pair of places (two articles, or one
article with itself for a repeated passage):

* recall = gold shared characters that the aligner also marks shared, for the
  pair, divided by all gold shared characters (reuse and paraphrase gold apart;
  paraphrase counts only characters that are not also reused text of the pair);
* pair precision = aligned characters of a pair that lie inside a gold span of
  the same pair (any kind), per detected passage kind;
* precision = each aligned character once (no character is in two passages):
  correct when the gold shares it with the article of another member of its
  passage; over everything aligned, reuse and paraphrase together (a character
  that only a ``doubtful`` gold candidate shares is not scored);
* granularity = detected members that overlap a gold member, per gold member
  that is found at all (1.0 is one detection per passage, PAN's ideal).

Passage figures: gold passages that overlap or touch in some place are one gold
*statement* (one passage per statement, as the aligner reports them).  A
reported passage *says the same* when every member has at least half of its
characters inside the members of one gold statement in its article (a passage
that lies in a ``doubtful`` candidate instead is not counted).

Run: ``python -m benchmarks.eval_align [--split tune|frozen|all] [--fit] [gold.json ...]``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

import numpy as np

from generator.align import statements as aligner
from generator.ingest.read import discover, read_article, read_topic
from generator.models import Article, Passage

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").is_dir() else Path("/work/shared")
DEFAULT_GOLD = sorted((ROOT / "tests" / "gold").glob("alignment-*.json"))
REAL_GOLD = sorted((ROOT / "tests" / "gold" / "real").glob("alignment-*.json"))
BLIND_GOLD = sorted((ROOT / "tests" / "gold" / "blind").glob("alignment-*.json"))  # invented topics, written and annotated blind
TOUCH = 6  # characters between two gold members of one place that still make them one stretch (". ", ".”\n\n“")

Place = tuple[str, int, int]  # (article id, start, end)
PairChars = dict[tuple[str, str], dict[str, set[int]]]  # (article, article) -> article -> character offsets


@dataclass(frozen=True)
class GoldPassage:
    kind: str
    members: tuple[Place, ...]


@dataclass(frozen=True)
class Score:
    """Character counts summed over article pairs, and the ratios they give; passage counts."""

    reuse_gold: int
    reuse_found: int
    paraphrase_gold: int
    paraphrase_found: int
    reuse_aligned: int
    reuse_correct: int
    paraphrase_aligned: int
    paraphrase_correct: int
    granularity: float
    aligned: int = 0
    correct: int = 0
    passages: int = 0
    passages_same: int = 0
    paraphrases: int = 0
    paraphrases_same: int = 0
    places_in_two: int = 0

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
    def pair_precision(self) -> float:
        return _ratio(self.reuse_correct + self.paraphrase_correct, self.reuse_aligned + self.paraphrase_aligned)

    @property
    def precision(self) -> float:
        return _ratio(self.correct, self.aligned)

    @property
    def same_share(self) -> float:
        return _ratio(self.passages_same, self.passages)

    @property
    def paraphrase_same_share(self) -> float:
        return _ratio(self.paraphrases_same, self.paraphrases)

    def __add__(self, other: Score) -> Score:
        n, m = self.reuse_found + self.paraphrase_found, other.reuse_found + other.paraphrase_found
        granularity = (self.granularity * n + other.granularity * m) / (n + m) if n + m else 1.0
        fields = {f: getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__ if f != "granularity"}
        return Score(granularity=granularity, **fields)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def resolve(gold: dict, articles: Sequence[Article], field: str = "passages") -> list[GoldPassage]:
    """Gold passages with offsets; a snippet that is not in its article is an error in the gold file.

    ``field="doubtful"`` gives the candidates the annotator could not call one statement.
    """
    texts = {a.id: a.text for a in articles}
    passages = []
    for entry in gold.get(field, ()):
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


def statements(gold: Sequence[GoldPassage], texts: dict[str, str]) -> list[tuple[Place, ...]]:
    """Gold passages merged when a member of one overlaps or touches a member of the other in one article."""
    parent = list(range(len(gold)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    reach: tuple[str, int, int] | None = None  # (article, furthest end so far, its passage)
    for (art, start, end), g in sorted((m, g) for g, passage in enumerate(gold) for m in passage.members):
        if reach is not None and reach[0] == art:
            gap = texts[art][reach[1] : start]
            if start < reach[1] or (len(gap) <= TOUCH and not gap.strip(" \t\r\n.,;:“”\"'’‘—–-")):
                parent[find(reach[2])] = find(g)
        if reach is None or reach[0] != art or end > reach[1]:
            reach = (art, end, g)
    merged: dict[int, list[Place]] = defaultdict(list)
    for g, passage in enumerate(gold):
        merged[find(g)].extend(passage.members)
    return [tuple(sorted(set(ms))) for ms in merged.values()]


def says_the_same(p: Passage, gold_statements: Sequence[tuple[Place, ...]]) -> bool:
    """Every member of ``p`` lies (at least half of its characters) inside the members of one gold statement."""
    for members in gold_statements:
        if all(_inside(m.article, m.start, m.end, members) * 2 >= m.end - m.start for m in p.members):
            return True
    return False


def _inside(article: str, start: int, end: int, members: Iterable[Place]) -> int:
    chars: set[int] = set()
    for a, s, e in members:
        if a == article:
            chars.update(range(max(s, start), min(e, end)))
    return len(chars)


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


def _member_chars(detected: Sequence[Passage], gold_all: PairChars, doubtful: PairChars) -> tuple[int, int, int]:
    """Aligned characters (each once), those the gold shares with another member's article, and characters in two passages.

    A character that only a doubtful gold candidate shares with a partner is not scored: neither aligned nor correct.
    """
    owner: dict[tuple[str, int], str] = {}
    twice: set[tuple[str, int]] = set()
    correct: set[tuple[str, int]] = set()
    unscored: set[tuple[str, int]] = set()

    def shares(chars: PairChars, article: str, partner: str, c: int) -> bool:
        return c in chars.get((min(article, partner), max(article, partner)), {}).get(article, ())

    for p in detected:
        for m in p.members:
            partners = {o.article for o in p.members if o is not m}
            for c in range(m.start, m.end):
                key = (m.article, c)
                if owner.setdefault(key, p.id) != p.id:
                    twice.add(key)
                if any(shares(gold_all, m.article, b, c) for b in partners):
                    correct.add(key)
                elif any(shares(doubtful, m.article, b, c) for b in partners):
                    unscored.add(key)
    return len(owner) - len(unscored), len(correct), len(twice)


def score(
    gold: Sequence[GoldPassage], detected: Sequence[Passage], texts: dict[str, str] | None = None, doubtful: Sequence[GoldPassage] = ()
) -> Score:
    """Score detected passages against gold passages of the same articles; ``doubtful`` candidates are not scored."""

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
    aligned, correct, twice = _member_chars(detected, gold_all, pair_chars(g.members for g in doubtful))
    gold_statements = statements(gold, texts) if texts is not None else [g.members for g in gold]
    same = [says_the_same(p, gold_statements) for p in detected]
    unsure = [not ok and says_the_same(p, [g.members for g in doubtful]) for p, ok in zip(detected, same)]
    judged = [p for p, u in zip(detected, unsure) if not u]
    same = [ok for ok, u in zip(same, unsure) if not u]
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
        aligned=aligned,
        correct=correct,
        passages=len(judged),
        passages_same=sum(same),
        paraphrases=sum(p.kind == "paraphrase" for p in judged),
        paraphrases_same=sum(s for s, p in zip(same, judged) if p.kind == "paraphrase"),
        places_in_two=twice,
    )


def load_articles(folder: Path) -> tuple[Article, ...]:
    """The articles of the topic in ``folder``, read as the generator reads them."""
    folder = folder.resolve()
    source = next(s for s in discover(folder.parent) if s.folder.resolve() == folder)
    return read_topic(source, folder.parent).articles


def gold_articles(gold: dict) -> tuple[Article, ...]:
    """The gold's articles: its topic folder, or (real gold) the files its ``articles`` map lists, under their gold ids."""
    if "articles" not in gold:
        return load_articles(ROOT / gold["topic"])
    return tuple(replace(read_article(SHARED / path, SHARED), id=aid) for aid, path in sorted(gold["articles"].items()))


def split_of(gold: dict) -> str:
    return gold.get("split", "tune")


def evaluate(gold_path: Path) -> Score:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    articles = gold_articles(gold)
    return score(resolve(gold, articles), aligner.align(articles), {a.id: a.text for a in articles}, resolve(gold, articles, "doubtful"))


# --- calibration: fit the paraphrase confidence on the tune gold ------------------------------


def labelled_links(gold: dict) -> list[tuple[aligner.Link, bool]]:
    """Every candidate sentence pair of the topic, with whether the gold puts both sentences in one statement."""
    articles = gold_articles(gold)
    texts = {a.id: a.text for a in articles}
    gold_statements = statements(resolve(gold, articles), texts)
    canonical = sorted(range(len(articles)), key=lambda k: (articles[k].id, articles[k].text, k))
    places = [aligner.place_of(articles[k]) for k in canonical]
    reuse = aligner.reuse_passages(places)
    sts = aligner._statements_of(places, reuse)

    def place_of(st: aligner.Statement) -> Place:
        pl = places[st.place]
        return (pl.article.id, pl.tokens[st.start].start, pl.tokens[st.end - 1].end)

    def in_statement(x: Place, members: Sequence[Place]) -> bool:
        return any(a == x[0] and 2 * (min(e, x[2]) - max(s, x[1])) >= min(e - s, x[2] - x[1]) for a, s, e in members)

    unsure = [g.members for g in resolve(gold, articles, "doubtful")]
    out = []
    for link in aligner.links(places, sts, floor=0.0):
        x, y = place_of(sts[link.u]), place_of(sts[link.v])
        same = any(in_statement(x, g) and in_statement(y, g) for g in gold_statements)
        if same or not any(in_statement(x, g) and in_statement(y, g) for g in unsure):
            out.append((link, same))
    return out


def features(link: aligner.Link) -> list[float]:
    return list(link.features)


def fit(rows: Sequence[tuple[aligner.Link, bool]], l2: float = 0.1) -> np.ndarray:
    """Logistic regression by Newton's method, with a small ridge on the slopes."""
    x = np.array([features(link) for link, _ in rows])
    y = np.array([float(label) for _, label in rows])
    w = np.zeros(x.shape[1])
    ridge = np.diag([0.0] + [l2] * (x.shape[1] - 1))
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + ridge @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + ridge
        w -= np.linalg.solve(hess, grad)
    return w


def _logistic(w: np.ndarray, link: aligner.Link) -> float:
    return 1 / (1 + math.exp(-float(np.dot(w, features(link)))))


def calibration(pairs: Iterable[tuple[float, bool]], edges: Sequence[float] = (0.0, 0.3, 0.5, 0.7, 0.9, 1.01)) -> list[str]:
    """Per confidence band, how many items and what share of them the gold calls the same statement."""
    pairs = list(pairs)
    rows = []
    for lo, hi in pairwise(edges):
        band = [ok for c, ok in pairs if lo <= c < hi]
        if band:
            rows.append(f"| {lo:.1f}–{min(hi, 1.0):.1f} | {len(band)} | {sum(band) / len(band):.2f} |")
    return rows


def _golds(paths: Sequence[Path], split: str) -> list[tuple[Path, dict]]:
    out = []
    for path in paths:
        gold = json.loads(path.read_text(encoding="utf-8"))
        if split == "all" or split_of(gold) == split:
            out.append((path, gold))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path)
    parser.add_argument("--split", choices=("tune", "frozen", "all"), default="tune", help="which gold to run (default: tune)")
    parser.add_argument("--fit", action="store_true", help="fit the paraphrase confidence on the chosen gold and print it")
    args = parser.parse_args(argv)
    golds = _golds(args.gold or DEFAULT_GOLD + REAL_GOLD + BLIND_GOLD, args.split)
    if args.fit:
        rows = [row for _, gold in golds for row in labelled_links(gold)]
        w = fit(rows)
        print(f"{len(rows)} candidate pairs, {sum(ok for _, ok in rows)} the same statement")
        print("CONFIDENCE_WEIGHTS =", tuple(round(float(v), 2) for v in w))
        print("| fitted confidence | pairs | same statement |\n|---|---|---|")
        print("\n".join(calibration((_logistic(w, k), ok) for k, ok in rows)))
        return 0
    print(
        "| gold | split | reuse recall | paraphrase recall | precision (all aligned) | pair precision | reuse pair precision "
        "| paraphrase pair precision | passages saying the same | paraphrase passages saying the same | granularity "
        "| chars in two passages |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    totals: dict[str, Score] = {}
    bands: list[tuple[float, bool]] = []
    for path, gold in golds:
        articles = gold_articles(gold)
        texts = {a.id: a.text for a in articles}
        resolved = resolve(gold, articles)
        detected = aligner.align(articles)
        doubtful = resolve(gold, articles, "doubtful")
        s = score(resolved, detected, texts, doubtful)
        gold_statements = statements(resolved, texts)
        bands.extend(
            (p.confidence, ok) for p in detected
            if p.kind == "paraphrase" and ((ok := says_the_same(p, gold_statements)) or not says_the_same(p, [g.members for g in doubtful]))
        )
        split = split_of(gold)
        totals[split] = totals[split] + s if split in totals else s
        print(_row(path.name, split, s))
    for split, s in totals.items():
        print(_row("**all**", split, s))
    print("\n| paraphrase passage confidence | passages | saying the same |\n|---|---|---|")
    print("\n".join(calibration(bands)))
    return 0


def _row(name: str, split: str, s: Score) -> str:
    return (
        f"| {name} | {split} | {s.reuse_recall:.3f} | {s.paraphrase_recall:.3f} | {s.precision:.3f} | {s.pair_precision:.3f} "
        f"| {s.reuse_precision:.3f} | {s.paraphrase_precision:.3f} | {s.passages_same}/{s.passages} "
        f"| {s.paraphrases_same}/{s.paraphrases} | {s.granularity:.2f} | {s.places_in_two} |"
    )


if __name__ == "__main__":
    sys.exit(main())
