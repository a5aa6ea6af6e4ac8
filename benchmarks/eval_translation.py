"""How the translation detector does on real MT round trips and on original articles.

Figures (suspected / total per set), each article judged inside its own topic as the build does
(``align`` then ``compare``):

- *round trips, tune* and *round trips, frozen* (``tests/data/mt-round-trips/``, split fixed before
  any score was seen): every round trip beside its source article, and in place of it; a named
  likely source is right beside the source only when it is the source, and never right in place of it;
- *seeds*: the four original seed articles (none should be suspected) and 003, the translated CNN report;
- *WikiRef220, tuned topics*: the 145 articles outside ``ParisAttacks2015`` and ``malaysia.airlines.flight``;
- *WikiRef220, held out*: those two topics' 75 articles, only with ``--held-out`` (never used for tuning);
- *round trips, extra*: with ``--train FOLDER``, the extra round trips of tuned-topic articles judged like the fixtures.

``--fit`` prints the per-kind rates for ``generator.analyse.translation.RATES`` instead: original news from the
tuned WikiRef220 topics and the original English articles of the hand-made topics in ``tests/data``, machine
translation from the tune round trips (in their topics), the translated fixtures of ``tests/data`` and seed 003,
plus any extra round trips in ``--train`` (round trips of tuned-topic WikiRef220 articles, never of a frozen
fixture's source, made with ``benchmarks/make_round_trips.py``), each judged beside its source without passages:
its text-only kinds and the kinds that follow another article (``drifted copy``, ``reworded copy``).

    .venv/bin/python benchmarks/eval_translation.py [--held-out] [--show] [--tune-only] [--train FOLDER]
    .venv/bin/python benchmarks/eval_translation.py --fit [--train FOLDER]
    .venv/bin/python benchmarks/eval_translation.py --time
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.align.statements import align  # noqa: E402
from generator.analyse.compare import compare, differences  # noqa: E402
from generator.analyse.differences import Vocabulary  # noqa: E402
from generator.analyse.translation import ARTICLE_RATES, RATES, collect, detect, word_count  # noqa: E402
from generator.ingest.read import discover, read_article, read_topic  # noqa: E402
from generator.models import Article, Topic, TranslationVerdict  # noqa: E402
from generator.normalise import quote_regions  # noqa: E402

SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"
ROUND_TRIPS = DATA / "mt-round-trips"
WIKIREF = next(p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()) / "corpora" / "wikiref220"
HELD_OUT = ("ParisAttacks2015", "malaysia.airlines.flight")
SEED_TRANSLATION = "003_b1d62ed8f169936c"
# Kinds that need the rest of the topic: counted only on articles judged inside one.
TOPIC_KINDS = frozenset({"drifted quote", "calque"})


def wikiref_label(path: Path) -> str:
    return re.sub(r"(?: \(\d+\)|\.\d+)$", "", path.stem)


def wikiref_topics(held_out: bool) -> dict[str, Topic]:
    groups: dict[str, list[Article]] = {}
    for path in sorted(WIKIREF.glob("*.txt")):
        label = wikiref_label(path)
        if (label in HELD_OUT) == held_out:
            groups.setdefault(label, []).append(read_article(path, WIKIREF))
    return {label: Topic(label, label, tuple(arts)) for label, arts in groups.items()}


def seed_topic() -> Topic:
    return read_topic(next(s for s in discover(SEEDS) if s.folder.name == "iran-missile-strikes-2020"), SEEDS)


def verdicts(topic: Topic) -> dict[str, TranslationVerdict]:
    return compare(topic, align(topic.articles)).translation


@dataclass(frozen=True)
class RoundTrip:
    article: Article
    source_id: str
    topic: Topic

    def beside(self) -> Topic:
        return replace(self.topic, articles=(*self.topic.articles, self.article))

    def in_place(self) -> Topic:
        return replace(self.topic, articles=tuple(a if a.id != self.source_id else self.article for a in self.topic.articles))


def round_trips(half: str, topics: dict[str, Topic]) -> list[RoundTrip]:
    """The round trips of ``half`` ("tune" or "frozen"), each with its source's topic."""
    seeds = seed_topic()
    out = []
    for path in sorted((ROUND_TRIPS / half).glob("rt_*.txt")):
        source_id = path.stem[3:]
        topic = seeds if source_id[:3].isdigit() else topics[wikiref_label(Path(source_id))]
        out.append(RoundTrip(read_article(path, ROUND_TRIPS), source_id, topic))
    return out


def extra_round_trips(folder: Path, topics: dict[str, Topic]) -> list[RoundTrip]:
    """The round trips of ``folder`` (``benchmarks/make_round_trips.py`` output) of articles of ``topics``, each with its topic."""
    from benchmarks.make_round_trips import round_trip_name

    sources = {round_trip_name(Path(a.path)): (a.id, t) for t in topics.values() for a in t.articles}
    trips = []
    for path in sorted(folder.glob("rt_*.txt")):
        if path.name in sources:
            source_id, topic = sources[path.name]
            trips.append(RoundTrip(read_article(path, folder), source_id, topic))
    return trips


def judge_round_trips(trips: Iterable[RoundTrip], show: bool) -> dict[str, list[int]]:
    """suspected / total beside and in place of the source, and how many named sources are right."""
    # suspected, total, sources named, right ones, the source article suspected
    tally = {"beside": [0, 0, 0, 0, 0], "in place": [0, 0, 0, 0, 0]}
    for rt in trips:
        for setting, topic in (("beside", rt.beside()), ("in place", rt.in_place())):
            judged = verdicts(topic)
            v = judged[rt.article.id]
            t = tally[setting]
            t[4] += setting == "beside" and judged[rt.source_id].suspected
            t[0] += v.suspected
            t[1] += 1
            t[2] += v.source is not None
            t[3] += v.source is not None and setting == "beside" and v.source == rt.source_id
            if show:
                print(f"  {rt.article.id} {setting}: suspected={v.suspected} score={v.score:.3f} source={v.source}")
                for e in v.evidence:
                    print(f"      {e.kind}: {e.text[:90]!r}")
    return tally


def judge_originals(topics: Iterable[Topic], show: bool, skip: frozenset[str] = frozenset()) -> tuple[int, int]:
    suspected = total = 0
    for topic in topics:
        for aid, v in verdicts(topic).items():
            if aid in skip:
                continue
            suspected += v.suspected
            total += 1
            if show and (v.suspected or v.score > 0.5):
                print(f"  {aid}: suspected={v.suspected} score={v.score:.3f} {[e.kind for e in v.evidence]}")
    return suspected, total


def evaluate(held_out: bool, show: bool, tune_only: bool, train: Path | None = None) -> None:
    tuned = wikiref_topics(held_out=False)
    halves = [(half, round_trips(half, tuned)) for half in (("tune",) if tune_only else ("tune", "frozen"))]
    for half, trips in [*halves, *([("extra (--train)", extra_round_trips(train, tuned))] if train else [])]:
        tally = judge_round_trips(trips, show)
        for setting, (s, n, named, right, originals) in tally.items():
            also = f"; the source article itself suspected {originals}/{n}" if setting == "beside" else ""
            print(f"round trips {half}, {setting} source: suspected {s}/{n}; sources named {named}, right {right}{also}")
    seeds = seed_topic()
    s, n = judge_originals([seeds], show, skip=frozenset({SEED_TRANSLATION}))
    print(f"seeds, original articles: suspected {s}/{n}")
    v = verdicts(seeds)[SEED_TRANSLATION]
    print(f"seeds, {SEED_TRANSLATION} (translated CNN report): suspected={v.suspected} score={v.score:.3f} source={v.source}")
    s, n = judge_originals(tuned.values(), show)
    print(f"WikiRef220 tuned topics: suspected {s}/{n}")
    if held_out:
        s, n = judge_originals(wikiref_topics(held_out=True).values(), show)
        print(f"WikiRef220 held-out topics ({', '.join(HELD_OUT)}): suspected {s}/{n}")


@dataclass
class Tally:
    """Articles showing each kind (a kind counts once per article), and the words and articles looked at."""

    kinds: Counter[str]
    words: Counter[str]
    articles: Counter[str]

    def add(self, topic: Topic, ids: Iterable[str], in_topic: bool, aligned: bool = True) -> None:
        """Count the kinds ``ids`` show: alone (``in_topic`` false), or in ``topic``, with its passages when ``aligned``."""
        wanted = set(ids)
        texts, vocab = {a.id: a.text for a in topic.articles}, Vocabulary.of(topic.articles)
        # The first-pass differences, as compare() hands them to the detector.
        passages = [differences(p, texts, vocab) for p in align(topic.articles)] if in_topic and aligned else []
        evidence, _leads = collect(topic, passages, {a.id: quote_regions(a) for a in topic.articles})
        bases = ("text", "topic", "followed") if in_topic and aligned else ("text", "followed") if in_topic else ("text",)
        skip = (set() if aligned else TOPIC_KINDS) | (set() if in_topic else TOPIC_KINDS | set(ARTICLE_RATES))
        for a in topic.articles:
            if a.id in wanted:
                for basis in bases:
                    self.words[basis] += word_count(a)
                    self.articles[basis] += 1
                self.kinds.update({e.kind for e in evidence[a.id] if e.kind not in skip})

    def rate(self, kind: str) -> float:
        if kind in ARTICLE_RATES:
            return (self.kinds[kind] + 0.5) / (self.articles["followed"] + 1)
        return (self.kinds[kind] + 0.5) / (self.words["topic" if kind in TOPIC_KINDS else "text"] / 1000)


def fit(train: Path | None) -> None:
    tuned = wikiref_topics(held_out=False)
    news, mt = Tally(Counter(), Counter(), Counter()), Tally(Counter(), Counter(), Counter())
    for topic in tuned.values():
        news.add(topic, (a.id for a in topic.articles), in_topic=True)
    for rt in round_trips("tune", tuned):
        mt.add(rt.beside(), [rt.article.id], in_topic=True)
        mt.add(rt.in_place(), [rt.article.id], in_topic=True)
    mt.add(seed_topic(), [SEED_TRANSLATION], in_topic=True)
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir() and p != ROUND_TRIPS):
        topic = read_topic(next(s for s in discover(DATA) if s.folder == folder), DATA)
        mt.add(topic, [a.id for a in topic.articles if "translated" in a.id], in_topic=True)
        news.add(topic, [a.id for a in topic.articles if "translated" not in a.id and not a.id.endswith("-pt")], in_topic=True)
    for path in sorted(train.glob("*.txt")) if train else ():
        article = read_article(path, path.parent)
        label = wikiref_label(Path(path.stem.removeprefix("rt_")))
        if label in tuned and label not in HELD_OUT:
            # beside its source, in the source's topic: the kinds that follow another article are measured too
            mt.add(replace(tuned[label], articles=(*tuned[label].articles, article)), [article.id], in_topic=True, aligned=False)
        else:
            mt.add(Topic(article.id, article.id, (article,)), [article.id], in_topic=False)
    print(f"original news: {news.words['text']} words in {news.articles['text']} articles")
    print(
        f"MT: {mt.words['text']} words in {mt.articles['text']} articles ({mt.articles['topic']} judged inside a topic with its passages, "
        f"{mt.articles['followed']} beside other articles)"
    )
    for table, kinds in (
        ("RATES", sorted((set(news.kinds) | set(mt.kinds) | set(RATES)) - set(ARTICLE_RATES))),
        ("ARTICLE_RATES", sorted(ARTICLE_RATES)),
    ):
        print(f"{table} = {{")
        for kind in kinds:
            print(
                f'    "{kind}": ({news.rate(kind):.4f}, {mt.rate(kind):.4f}),  # in {news.kinds[kind]} news, {mt.kinds[kind]} MT articles'
            )
        print("}")


def time_detect(passes: int = 3) -> None:
    """Process time of ``detect`` alone over the seed topic and the tuned WikiRef220 topics, best of ``passes``."""
    prepared = []
    for topic in [seed_topic(), *wikiref_topics(held_out=False).values()]:
        texts, vocab = {a.id: a.text for a in topic.articles}, Vocabulary.of(topic.articles)
        passages = [differences(p, texts, vocab) for p in align(topic.articles)]
        prepared.append((topic, passages, {a.id: quote_regions(a) for a in topic.articles}))
    spent = []
    for _ in range(passes):
        start = time.process_time()
        for topic, passages, quotes in prepared:
            detect(topic, passages, quotes)
        spent.append(time.process_time() - start)
    print(f"detect over {len(prepared)} topics: {', '.join(f'{s:.2f}' for s in spent)} s process time per pass, best {min(spent):.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="also judge the held-out WikiRef220 topics")
    parser.add_argument("--show", action="store_true", help="print each verdict and its evidence")
    parser.add_argument("--fit", action="store_true", help="print the measured rates instead")
    parser.add_argument("--tune-only", action="store_true", help="leave the frozen round trips out (while tuning)")
    parser.add_argument("--train", type=Path, help="extra round trips: judged too, or (with --fit) measured for the text-only kinds")
    parser.add_argument("--time", action="store_true", help="print the process time of the detector alone instead")
    args = parser.parse_args(argv)
    if args.time:
        time_detect()
    elif args.fit:
        fit(args.train)
    else:
        evaluate(args.held_out and not args.tune_only, args.show, args.tune_only, args.train)


if __name__ == "__main__":
    main()
