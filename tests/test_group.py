"""Grouping loose articles into events: the merge and split cases on small invented piles, seeds, slugs, the CLI.

The invented piles are real files: ``tests/data/pile-tune`` (two ferry disasters, each a wire copy,
a rewrite and a feature piece, and two strays; the grouping was tuned on it) and
``tests/data/pile`` (four events, two explosions and two summits, and four strays; frozen before
tuning and scored apart in benchmarks/RESULTS.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from generator.cli import main
from generator.ingest.piles import POSTING_CAP, Profile, group_articles, group_profiles, links, names, split_pile, topic_slug
from generator.ingest.read import discover, read_article, read_topic
from generator.pipeline.build import generate_files

from .conftest import ROOT, SEED_TOPIC, run_offline

WIKIREF = "corpora/wikiref220"
TUNE = ROOT / "tests" / "data" / "pile-tune"
FROZEN = ROOT / "tests" / "data" / "pile"
KIVU = ("kasoro_feature.txt", "kasoro_rewrite.txt", "kasoro_wire.txt")
MINDORO = ("calapan_feature.txt", "calapan_rewrite.txt", "calapan_wire.txt")
STRAYS = ("stray_court_ruling.txt", "stray_phone_launch.txt")


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    """A seeds folder of loose files: ``name -> text``."""
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    for name, text in files.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return seeds


def _copy(tmp_path: Path, *sources: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    for p in sources:
        shutil.copyfile(p, seeds / p.name)
    return seeds


def _pile_topic(seeds: Path):
    source = next(s for s in discover(seeds) if s.loose)
    return read_topic(source, seeds)


def _found(seeds: Path) -> tuple[list[list[str]], list[str]]:
    """The groups (sorted file names) and unmatched files of the loose pile in ``seeds``."""
    pile = _pile_topic(seeds)
    grouping = group_articles(pile.articles)
    groups = sorted(sorted(pile.articles[m].path for m in g.members) for g in grouping.groups)
    return groups, sorted(pile.articles[m].path for m in grouping.unmatched)


def _tune(tmp_path: Path, *names_: str) -> Path:
    return _copy(tmp_path, *(TUNE / n for n in names_))


def test_two_ferry_disasters_stay_two_topics_and_strays_stay_alone(tmp_path: Path) -> None:
    """Same kind of event, same vocabulary (ferry, passengers, coast guard, missing, rescued): no shared names, no merge."""
    groups, unmatched = _found(_tune(tmp_path, *KIVU, *MINDORO, *STRAYS))
    assert groups == [list(MINDORO), list(KIVU)]
    assert unmatched == list(STRAYS)


def test_feature_piece_joins_its_event_on_names_alone(tmp_path: Path) -> None:
    """The reporter's piece from Nkombo shares no passage with the wire copy, but its people and places."""
    feature, rewrite, wire = (read_article(TUNE / n, TUNE) for n in KIVU)
    profiles = [Profile(frozenset(), names(a), a.title) for a in (feature, rewrite, wire)]
    assert {"kibuye", "nkombo", "lake kivu", "emmanuel nsengiyumva"} <= profiles[0].names & profiles[2].names
    groups, _ = _found(_tune(tmp_path, *KIVU, *MINDORO))
    assert list(KIVU) in groups


def test_short_wire_copy_joins_the_event_it_copies(tmp_path: Path) -> None:
    """Two paragraphs of the wire story under another headline (about 90 words) still join their event."""
    wire = (TUNE / "kasoro_wire.txt").read_text(encoding="utf-8").split("\n\n")
    brief = "Boat disaster on Rwandan lake\n\n" + "\n\n".join(wire[1:3]) + "\n"
    seeds = _tune(tmp_path, *KIVU, *MINDORO, *STRAYS)
    (seeds / "brief.txt").write_text(brief, encoding="utf-8")
    assert len(brief.split()) < 100
    groups, unmatched = _found(seeds)
    assert sorted([*KIVU, "brief.txt"]) in groups and "brief.txt" not in unmatched


KELVARA = """Fire at Kelvara refinery injures twelve

KELVARA - Emergency officials said on Wednesday that the fire at the Ostrand refinery had been brought under control
after several hours, and that the number of people injured had risen to 12. "Our crews worked through the night and the
situation is now stable," the regional fire chief told reporters. Residents were told to keep their windows closed while
inspectors measured the air, and the government promised a full investigation into the causes of the disaster.

The company said it would cooperate fully with investigators and that production had been halted. Prosecutors opened an
investigation, and the prime minister cancelled a planned trip abroad to visit the injured in hospital.
"""

TUMBARRO = """Seven hurt as fire sweeps Tumbarro paper mill

TUMBARRO - Seven people were injured when fire swept through the Quillon paper mill, and crews needed most of Wednesday
to bring it under control, emergency officials said. The situation was stable by the evening, according to the fire
chief of the region. Inspectors measured the air around the mill while residents kept their windows closed; the
government said the causes of the disaster would be investigated in full.

Production at the mill was halted, and its owners told investigators they would cooperate. The prime minister, who
visited the injured in hospital, had cancelled a trip abroad; prosecutors have opened an investigation.
"""


def test_unrelated_events_with_the_same_news_words_are_never_one_topic(tmp_path: Path) -> None:
    """Two reports that share nearly all their words (fire, crews, injured, investigation, prime minister, ...) but no
    passage of eight words and no rare name."""
    groups, unmatched = _found(_folder(tmp_path, {"a.txt": KELVARA, "b.txt": TUMBARRO}))
    assert groups == [] and unmatched == ["a.txt", "b.txt"]


def test_shared_site_furniture_links_nothing() -> None:
    """A long run of player boilerplate shared by unrelated pages is no evidence without a name or a like lead."""
    furniture = frozenset({"media player press enter to return or tab", "player press enter to return or tab to",
                           "press enter to return or tab to continue", "help out of media player press enter"})
    leads = np.eye(2, dtype="float32")  # leads unlike each other
    found = links([Profile(furniture, frozenset({"kelvara"}), ""), Profile(furniture, frozenset({"tumbarro"}), "")], leads)
    assert found[(0, 1)].passages == 4 and not found[(0, 1)].decisive
    assert group_profiles([Profile(furniture, frozenset(), ""), Profile(furniture, frozenset(), "")], leads).groups == ()


def test_small_event_tied_to_a_large_topic_by_one_link_stands_apart() -> None:
    """A three-article event whose rewrite shares five country names with one of forty football pieces, in a large pile."""
    from generator.ingest.piles import Link, events

    found = {}
    for i in range(40):  # a loose topic: each piece linked to the next few by a name or two
        for j in range(i + 1, min(40, i + 4)):
            found[(i, j)] = Link(j, 0, ("premier league", f"club{i}"), 2.2, 0.4)
    for i, j in ((40, 41), (40, 42), (41, 42)):  # the event: wire copy, rewrite, feature
        found[(i, j)] = Link(j, 40, ("lome", "kossi adjavon", "edem agbodjan"), 9.0, 0.7)
    found[(7, 41)] = Link(41, 0, ("gabon", "senegal", "cameroon", "ghana", "nigeria"), 4.0, 0.0)
    for k in range(43, 643, 3):  # the rest of a large pile: 200 other events (modularity's resolution limit)
        for i, j in ((k, k + 1), (k, k + 2), (k + 1, k + 2)):
            found[(i, j)] = Link(j, 40, (f"place{k}",), 9.0, 0.7)
    groups = events(643, found)
    assert [40, 41, 42] in groups and [m for g in groups for m in g if m < 40] == list(range(40))


def test_names_alone_do_not_link_reports_published_months_apart() -> None:
    """The same people and places a year later are another event (an anniversary, a trial); copied text still links."""

    shared = frozenset({"kibuye", "nkombo", "emmanuel nsengiyumva", "claudine uwase"})
    leads = np.ones((3, 1), dtype="float32")
    dated = [Profile(frozenset(), shared, "", "2026-05-06"), Profile(frozenset(), shared, "", "2026-05-08"),
             Profile(frozenset(), shared, "", "2027-05-06")]
    found = links(dated, leads)
    assert found[(0, 1)].decisive and not found[(0, 2)].decisive and found[(0, 2)].far_apart


def test_whole_names_not_their_common_words() -> None:
    """Titles leave a name, a surname stands for the full name given earlier, headlines are left out."""
    article = read_article(FROZEN / "wolnica_wire.txt", FROZEN)
    found = names(article)
    assert {"jan kowal", "marek sowinski", "tomasz wierzbicki", "azotan chemical works", "wolnica"} <= found
    assert "sowinski" not in found  # "Sowinski told reporters" is Marek Sowinski
    assert not {"prime minister", "wednesday", "the", "polish fertiliser"} & found


def test_grouping_does_not_depend_on_file_order(tmp_path: Path) -> None:
    articles = [read_article(TUNE / n, TUNE) for n in (*KIVU, *MINDORO, *STRAYS)]
    forward = group_articles(articles)
    backward = group_articles(articles[::-1])
    last = len(articles) - 1
    assert sorted(g.members for g in forward.groups) == sorted(tuple(sorted(last - m for m in g.members)) for g in backward.groups)


def test_pairs_are_bounded_not_all_pairs() -> None:
    """3,000 articles that all name one place: the index drops the name, twins still find each other by their own."""

    profiles = [Profile(frozenset({f"passage {n // 2} {k}" for k in range(4)}), frozenset({"kelvara", f"name{n // 2}"}), "")
                for n in range(3000)]
    leads = np.ones((3000, 1), dtype="float32")
    found = links(profiles, leads)
    assert len(found) == 1500 > POSTING_CAP  # only the twins: the shared name is in more than POSTING_CAP articles
    assert all(j == i + 1 and i % 2 == 0 for i, j in found)


def test_seeds_as_loose_files_make_one_topic_of_five(tmp_path: Path, shared: Path) -> None:
    comparisons, files = generate_files(_copy(tmp_path, *sorted((shared / "seeds").glob("*.txt"))), log=lambda _m: None)
    assert [len(c.topic.articles) for c in comparisons] == [5]
    assert f"topics/{comparisons[0].topic.slug}.md" in files


# Four full reports of the 2011 Tohoku earthquake and a piece on something else.
TOHOKU = tuple(f"tohoku.earthquake.tsunami.{n}.txt" for n in (3, 9, 12, 14))
ODD_ONE = "stephen.hawking.275.txt"


def test_seeds_wikiref_event_and_an_odd_one_out(tmp_path: Path, shared: Path) -> None:
    seeds = _copy(tmp_path, *sorted((shared / "seeds").glob("*.txt")), *(shared / WIKIREF / n for n in (*TOHOKU, ODD_ONE)))
    pile = _pile_topic(seeds)
    grouping = group_articles(pile.articles)
    found = sorted(sorted(pile.articles[m].id[:3] for m in g.members) for g in grouping.groups)
    assert found == [["000", "001", "002", "003", "004"], ["toh"] * 4]
    assert [pile.articles[m].path for m in grouping.unmatched] == [ODD_ONE]
    topics = split_pile(pile)
    unmatched = [t for t in topics if len(t.articles) == 1]
    assert [t.articles[0].path for t in unmatched] == [ODD_ONE]
    assert unmatched[0].summary.startswith("Unmatched")
    assert len({t.slug for t in topics}) == len(topics)
    for t in topics:
        assert t.title in {a.title for a in t.articles}


def test_topic_folders_stay_as_they_are(seeds_copy: Path, shared: Path) -> None:
    for name in TOHOKU:
        shutil.copyfile(shared / WIKIREF / name, seeds_copy / name)
    comparisons, _ = generate_files(seeds_copy, log=lambda _m: None)
    by_folder = {c.topic.folder: sorted(a.id for a in c.topic.articles) for c in comparisons}
    assert by_folder[SEED_TOPIC.name] == sorted(p.stem for p in SEED_TOPIC.glob("*.txt"))
    assert sorted(by_folder["."]) == sorted(Path(n).stem for n in TOHOKU)


def test_slug_stays_when_an_article_joins(tmp_path: Path, shared: Path) -> None:
    first = _pile_topic(_copy(tmp_path, *sorted((shared / "seeds").glob("*.txt"))))
    four = tuple(a for a in first.articles if not a.id.startswith("000"))
    assert topic_slug(four) == topic_slug(first.articles)
    assert topic_slug(first.articles) == "iran-attacks-us-troops-donald-trump-says-all-is-well-after-tehra"


def test_cli_explains_each_topic_and_each_unmatched_article(tmp_path: Path, capsys) -> None:
    seeds = _tune(tmp_path, *KIVU, *MINDORO, *STRAYS)
    before = sorted(p.name for p in seeds.iterdir())
    assert main(["group", "--seeds", str(seeds)]) == 0
    out = capsys.readouterr().out
    kivu = next(line for line in out.splitlines() if line.startswith("  - kasoro_wire.txt"))
    assert "with kasoro_rewrite" in kivu and "shared passages (" in kivu and "nsengiyumva" in kivu
    assert "nkombo (3)" in out  # a name the topic's members share, with how many name it
    stray = next(line for line in out.splitlines() if line.startswith("  - stray_court_ruling.txt"))
    assert "nearest topic" in stray and ("no passage and no rare name" in stray or "left out" in stray)
    assert sorted(p.name for p in seeds.iterdir()) == before

    assert main(["group", "--seeds", str(seeds), "--write"]) == 0
    folders = sorted(p for p in seeds.iterdir() if p.is_dir())
    assert sorted(sorted(q.name for q in f.glob("*.txt")) for f in folders) == [list(MINDORO), list(KIVU)]
    assert sorted(p.name for p in seeds.iterdir() if p.is_file()) == list(STRAYS)
    for folder in folders:
        meta = yaml.safe_load((folder / "topic.yml").read_text(encoding="utf-8"))
        assert meta["slug"] == folder.name
        assert set(meta["articles"]) == {p.name for p in folder.glob("*.txt")}


BLOCKED_GROUP = """
from pathlib import Path
from generator.ingest.piles import group_articles
from generator.ingest.read import read_article
folder = Path(%r)
articles = [read_article(p, folder) for p in sorted(folder.glob("*.txt"))]
print(len(group_articles(articles).groups))
"""


def test_grouping_runs_with_the_network_blocked() -> None:
    """wordfreq's word lists and the sentence model both load from their wheels."""
    assert run_offline(BLOCKED_GROUP % str(TUNE)).strip() == "2"


def test_frozen_pile_labels_name_every_file() -> None:
    labels = json.loads((FROZEN / "labels.json").read_text(encoding="utf-8"))
    assert sorted(labels) == sorted(p.name for p in FROZEN.glob("*.txt"))
    events = {e for e in labels.values() if e != "stray"}
    assert len(events) >= 4 and all(list(labels.values()).count(e) >= 3 for e in events)


@pytest.mark.slow
def test_mixed_pile_benchmark_keeps_its_level() -> None:
    """WikiRef220, the seeds and both invented piles loose in one folder (figures in RESULTS.md)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import eval_group

    score = eval_group.evaluate(eval_group.CORPUS, seeds=True, piles=[FROZEN, TUNE])
    assert score["events_whole"] == score["events"] and score["strays_alone"] == score["strays"]
    assert score["events_merged"] == 0
    assert score["ari"] >= 0.97


def test_grouping_is_the_same_in_every_process(tmp_path: Path) -> None:
    """Set order changes with Python's hash seed; the proposed grouping and its reasons must not."""
    seeds = _tune(tmp_path, *KIVU, *MINDORO, *STRAYS)
    outputs = [
        subprocess.run([sys.executable, "-m", "generator", "group", "--seeds", str(seeds)], capture_output=True, text=True,
                       timeout=300, env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1] and "topic 2:" in outputs[0]


def _subject_pile() -> tuple[list[Profile], np.ndarray]:
    """Twelve pieces on one person, each naming her, her foundation, her gallery and two of her family, and a
    biography of her husband.

    The biography names her family and its lead is like theirs, so the evidence graph ties it to every piece; it
    names her by her first name only."""
    family = ["arvid varnhagen", "maren", "tjark"]
    pieces = [Profile(frozenset(), frozenset({"ilse varnhagen", "varnhagen foundation", "lindqvist gallery", family[n % 3],
                                              family[(n + 1) % 3], f"place{n}"}), "", headline=f"ilse varnhagen story {n}")
              for n in range(12)]
    biography = Profile(frozenset(), frozenset({*family, "ilse", "kessler law school"}), "", headline="president arvid varnhagen")
    return [*pieces, biography], np.ones((13, 1), dtype="float32")


def test_a_biography_of_the_husband_is_a_stranger_to_the_topic_on_his_wife() -> None:
    """The Barack Obama biography among the Michelle Obama pieces: linked to all of them, about none of them."""
    from generator.ingest.piles import events

    profiles, leads = _subject_pile()
    found = links(profiles, leads)
    assert all(found[(n, 12)].decisive for n in range(12))
    assert [list(range(13))] == events(13, found)  # the evidence graph alone holds it in
    grouping = group_profiles(profiles, leads)
    assert [g.members for g in grouping.groups] == [tuple(range(12))] and grouping.unmatched == (12,)
    miss = grouping.misses[0]
    assert miss.nearest == 0 and miss.core == ("ilse varnhagen", "lindqvist gallery", "varnhagen foundation") and miss.mentioned == ()


def test_copies_of_a_stranger_make_a_topic_of_their_own() -> None:
    """Two outlets ran the husband's biography: out of the wife's topic, the two copies are still one topic."""
    profiles, leads = _subject_pile()
    copied = frozenset({f"the president was born in kessler county run {k}" for k in range(6)})
    biography = Profile(copied, profiles[12].names, "", headline=profiles[12].headline)
    profiles[12:] = [biography, biography]
    grouping = group_profiles(profiles, np.ones((14, 1), dtype="float32"))
    assert sorted(g.members for g in grouping.groups) == [tuple(range(12)), (12, 13)] and grouping.unmatched == ()


def test_a_wire_copy_cut_short_of_the_topic_names_is_no_stranger() -> None:
    """A copy of one piece whose cut kept a paragraph on the family, not the ones naming her: its passages decide."""
    from generator.ingest.piles import _around, name_weights, strangers

    profiles, leads = _subject_pile()
    wire = frozenset({f"the family spent the summer at the lake house run {k}" for k in range(3)})
    profiles[12] = Profile(frozenset(), frozenset({"maren", "tjark"}), "", headline="summer at the lake")
    pile = list(range(13))
    assert strangers([pile], profiles, name_weights(profiles), _around(links(profiles, leads))) == [pile[:12]]
    profiles[0] = Profile(wire, profiles[0].names, "", headline=profiles[0].headline)
    profiles[12] = Profile(wire, profiles[12].names, "", headline=profiles[12].headline)
    assert strangers([pile], profiles, name_weights(profiles), _around(links(profiles, leads))) == [pile]


def test_a_piece_naming_the_topic_only_in_its_headline_is_no_stranger() -> None:
    """"Michelle Obama makes Vogue cover" over a text saying only "the first lady" and "Obama": the headline counts."""
    profiles, leads = _subject_pile()
    profiles[12] = Profile(frozenset(), profiles[12].names, "", headline="ilse varnhagen opens the lindqvist gallery")
    assert [g.members for g in group_profiles(profiles, leads).groups] == [tuple(range(13))]


def test_names_inside_longer_names_are_mentioned() -> None:
    """"Samsung Galaxy S5 Active" mentions the Galaxy S5; the headline's words count; "michelle" alone does not stand
    for "michelle obama"."""
    p = Profile(frozenset(), frozenset({"samsung galaxy s5 active", "michelle"}), "", headline="a review of the phone")
    assert {"galaxy s5", "samsung", "s5 active", "michelle", "review of the"} <= p.mentions
    assert "michelle obama" not in p.mentions


def test_designations_are_one_name_however_they_are_spaced(tmp_path: Path) -> None:
    """"G-20" and "G20", "Galaxy S 5" and "Galaxy S5": a letter and a number are one designation."""
    seeds = _folder(tmp_path, {
        "a.txt": "Samsung Galaxy S 5 Review\n\nReporters at the G-20 meeting in Antalya were shown the Galaxy S 5 by Min-jun Park.\n",
        "b.txt": "Phones at the summit\n\nAt the G20 meeting in Antalya, Min-jun Park showed the Galaxy S5 to reporters.\n",
    })
    a, b = (read_article(seeds / n, seeds) for n in ("a.txt", "b.txt"))
    assert {"g20", "galaxy s5", "antalya"} <= names(a) & names(b)
    assert "galaxy s5" in Profile(frozenset(), names(b), "", headline="samsung galaxy s5 review").mentions


def test_the_barack_obama_biography_is_no_michelle_obama_piece(tmp_path: Path, shared: Path, capsys) -> None:
    """The case of issue 15 on real files: WikiRef220's 38 Michelle Obama pieces and a Barack Obama biography that names
    Michelle, Malia and Sasha; the biography stays out of every topic, and `generator group` says why."""
    corpus = shared / WIKIREF
    seeds = _copy(tmp_path, *sorted(corpus.glob("michelle.obama.*.txt")), corpus / "barack.obama.1.txt")
    groups, unmatched = _found(seeds)
    assert "barack.obama.1.txt" in unmatched and max(len(g) for g in groups) >= 25
    assert main(["group", "--seeds", str(seeds)]) == 0
    why = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("  - barack.obama.1.txt"))
    assert "nearly every member names michelle obama; it names none of them" in why
