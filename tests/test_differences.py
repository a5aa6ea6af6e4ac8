"""Each difference kind pinned with small readings, word diffs with exact offsets, and the seed gold."""

from __future__ import annotations

import json
from pathlib import Path

import fast_diff_match_patch
import pytest
from diff_match_patch import diff_match_patch
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analyse.compare import compare, word_diff
from generator.analyse.differences import Vocabulary, classify, findings, is_name_variant, skeleton, slips
from generator.models import Article, Block, Finding, Member, Passage, Topic

GOLD = Path(__file__).resolve().parent / "gold"


def article(aid: str, text: str) -> Article:
    return Article(aid, f"{aid}.txt", text, aid, "utf-8", (Block(0, len(text), "paragraph"),))


def topic(*texts: str) -> Topic:
    return Topic("t", "t", tuple(article(f"a{k}", t) for k, t in enumerate(texts)))


def whole(a: Article) -> Member:
    return Member(a.id, 0, len(a.text), a.text)


def diff_kinds(*texts: str) -> list[tuple[str, str, str]]:
    """(base_text, text, kind) of every difference when each text is one member of one passage."""
    t = topic(*texts)
    c = compare(t, [Passage("p1", "reuse", tuple(whole(a) for a in t.articles))])
    return [(d.base_text, d.text, d.kind) for d in c.passages[0].differences]


@pytest.mark.parametrize(
    ("base", "text", "kind"),
    [
        ("U.S.", "US", "punctuation"),
        ("president", "President", "capitalisation"),
        ("these", "These", "capitalisation"),
        ("al-Asad", "Al-Asad", "capitalisation"),
        ("“Hello”", '"Hello"', "punctuation"),
        ("defence", "defense", "spelling variant"),
        ("localised", "localized", "spelling variant"),
        ("self-defence", "self-defense", "spelling variant"),
        ("airbase", "air base", "spelling variant"),
        ("Al-Asad", "Al-Assad", "name variant"),
        ("Erbil", "Irbil", "name variant"),
        ("Qassem", "Qasem", "name variant"),
        ("15", "more than a dozen", "number"),
        ("ten", "eleven", "number"),
        ("Tuesday", "Wednesday", "number"),
        ("briefed", "informed", "wording"),
        ("planned", "was planning", "wording"),
        ("", "Hoffman said", "addition"),
        ("at Al-Asad", "", "omission"),
    ],
)
def test_classify_pins_each_kind(base: str, text: str, kind: str) -> None:
    assert classify(base, text) == kind


def test_typo_needs_the_right_spelling_established_in_the_topic() -> None:
    vocab = Vocabulary.of(topic("General Soleimani was killed.", "Soleimani was buried.", "Martyr Soleimai").articles)
    assert classify("Soleimani", "Soleimai", vocab) == "typo"
    # without the topic's evidence the same pair is only a name variant
    assert classify("Soleimani", "Soleimai", Vocabulary()) == "name variant"


def test_real_word_typo_in_an_aligned_passage() -> None:
    vocab = Vocabulary.of(topic("a base in Irbil", "one base was hit", "the Erbil vase in Kurdistan").articles)
    assert classify("base", "vase", vocab) == "typo"
    assert classify("base", "bases", vocab) == "wording"  # an inflection is not a slip


def test_skeleton_ignores_vowels_and_doubling_but_keeps_consonants() -> None:
    assert skeleton("Qassem") == skeleton("Qasem")
    assert skeleton("Mohammad") == skeleton("Muhammad")
    assert skeleton("Iran") != skeleton("Iranian")
    assert not is_name_variant("Iran", "Iraq")


def test_word_diff_offsets_point_into_the_articles() -> None:
    a = article("a", "He said the base at Al-Asad was hit, officials said.")
    b = article("b", "xx He said the base at Al-Assad was hit officials said.")
    base, other = whole(a), Member("b", 3, len(b.text), b.text[3:])
    changes = list(word_diff(base, other))
    assert [(a.text[c.base_start : c.base_end], b.text[c.start : c.end]) for c in changes] == [("Al-Asad", "Al-Assad"), (",", "")]


# Word codes as word_diff makes them: one private-use character per distinct word, few words so that many repeat.
_WORD_CODES = st.lists(st.integers(0, 12), max_size=120).map(lambda ks: "".join(chr(0xE000 + k) for k in ks))


@settings(max_examples=300, deadline=None)
@given(_WORD_CODES, _WORD_CODES)
def test_compiled_diff_match_patch_gives_the_pure_python_edits(a: str, b: str) -> None:
    """word_diff uses the C++ port for speed; its runs must be the reference implementation's, or pages change."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    reference = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(reference)
    ops = {-1: "-", 0: "=", 1: "+"}
    fast = fast_diff_match_patch.diff(a, b, timelimit=0, checklines=False, cleanup="Semantic", counts_only=True)
    assert fast == [(ops[op], len(chunk)) for op, chunk in reference]


def test_punctuation_between_matching_words_is_its_own_difference() -> None:
    assert diff_kinds("partners, and allies in the region", "partners and allies in the region") == [(",", "", "punctuation")]


def test_mixed_change_is_split_per_word_when_kinds_differ() -> None:
    got = diff_kinds("troops at Al-Asad on Tuesday said", "troops at Al-Assad on Wednesday said")
    assert got == [("Al-Asad", "Al-Assad", "name variant"), ("Tuesday", "Wednesday", "number")]


def test_findings_report_typos_name_inconsistency_and_duplicates() -> None:
    t = topic(
        "Foreign minister Javad Zarif said so. Zarif spoke at the base in Erbil.",
        "Javad Zarif wrote on Twitter about the base.",
        "Minister Javad Zafrim said the Erbil vase in Kurdistan and a base in Irbil were hit. Zarif agreed.",
    )
    c = compare(t, [])
    got = {(f.kind, f.text) for f in c.findings}
    assert ("typo", "Zafrim") in got
    assert ("name variant", "Irbil") in got
    for f in c.findings:
        assert t.article(f.article).text[f.start : f.end] == f.text


def test_real_words_and_other_peoples_names_are_not_typos() -> None:
    """A rare word one letter from a frequent one is often just another word ("threw"/"three") or another person."""
    t = topic(
        "Three men were seen. Manuel Valls spoke. Ismael Omar was named. Three more arrived. Manuel said three.",
        "He threw a grenade. Three people died. Manuel Valls said so. Ismael Omar was known.",
        "Samuel Smith spoke for the Israeli embassy. Three were hurt and Ismael Omar fled.",
    )
    c = compare(t, [])
    assert [f.text for f in c.findings if f.kind == "typo"] == []


def test_doubled_word_and_wrong_inflection_are_typos_in_the_seeds(seed_topic) -> None:
    c = compare(seed_topic, [])
    lbc = "004_2351e39fdcd1b2f7"
    got = {(f.article, f.text, f.note) for f in c.findings if f.kind == "typo"}
    assert (lbc, "the", "word printed twice") in got
    assert (lbc, "charged", "a wrong inflection: “in charge of”") in got
    assert {f.text for f in c.findings if f.kind == "typo"} == {"Soleimai", "Zafrim", "the", "charged"}
    for f in c.findings:
        assert seed_topic.article(f.article).text[f.start : f.end] == f.text
        assert seed_topic.article(f.other_article).text[f.other_start : f.other_end] == f.other_text


def test_grammatical_doubles_are_not_slips() -> None:
    assert slips([article("a", "He had had enough; all it was was noise, and the the end.")]) == [
        Finding("typo", "a", 49, 52, "the", "a", 45, 48, "the", "word printed twice")
    ]


def test_duplicate_paragraph_is_a_finding() -> None:
    text = "The attack was named Martyr Soleimani by state media.\nOther text.\nThe attack was named Martyr Soleimani by state media."
    a = article("a", text)
    second = text.rindex("The attack")
    p = Passage("p1", "reuse", (Member("a", 0, 52, text[:52]), Member("a", second, second + 52, text[second : second + 52])))
    found = findings([a], [p], Vocabulary.of([a]))
    assert [(f.kind, f.start, f.other_start) for f in found] == [("duplicate", second, 0)]


def _gold(name: str) -> dict:
    return json.loads((GOLD / name).read_text(encoding="utf-8"))


def test_gold_is_anchored_in_the_seed_texts(seed_topic) -> None:
    texts = {a.id: a.text for a in seed_topic.articles}
    for g in _gold("differences-iran.json")["differences"]:
        assert texts[g["article"]][g["start"] : g["end"]] == g["text"]
    for p in _gold("passages-iran.json")["passages"]:
        for m in p["members"]:
            assert texts[m["article"]][m["start"] : m["end"]] == m["text"]


def test_gold_differences_found_on_hand_specified_passages(seed_topic) -> None:
    from benchmarks.eval_differences import gold_passages, score

    c = compare(seed_topic, gold_passages(seed_topic))
    s = score(c, _gold("differences-iran.json")["differences"])
    assert s["recall"] >= 0.9
    assert s["gold_hits"] + s["wrong_kind_at_gold_place"] + len(s["not_in_gold"]) == s["reported"]
    assert len(s["not_in_gold"]) + s["wrong_kind_at_gold_place"] <= 0.1 * s["reported"]
    for p in c.passages:
        for d in p.differences:
            assert seed_topic.article(d.article).text[d.start : d.end] == d.text
            assert seed_topic.article(p.base_member.article).text[d.base_start : d.base_end] == d.base_text


def test_a_paraphrase_member_points_only_at_a_changed_figure_not_at_its_rewording():
    t = topic(
        "We are working on initial battle damage assessments tonight, the spokesman said of the 15 missiles.",
        "Officials said the Pentagon is assessing the damage the 16 missiles caused.",
        "We are working on initial battle damage assessment tonight, the spokesman said of the 15 missiles.",
    )
    c = compare(t, [Passage("p1", "paraphrase", tuple(whole(a) for a in t.articles))])
    diffs = c.passages[0].differences
    reworded = [(d.kind, d.base_text, d.text) for d in diffs if d.article == "a1"]
    assert reworded == [("number", "15", "16")]  # no "wording" wall over the whole sentence
    # the near-identical member still gets word-level differences against the base
    near = [(d.base_text, d.text) for d in diffs if d.article != "a1"]
    assert sorted(near[0]) == ["assessment", "assessments"] and len(near) == 1


def test_a_change_that_keeps_every_figure_is_not_a_number_change():
    assert classify("at least two Iraqi military bases", "at least two Iraqi facilities") == "wording"
    assert classify("at least two Iraqi military bases", "at least three Iraqi military bases") == "number"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("a b c d".split()), max_size=14), st.integers(0, 14), st.integers(0, 6))
def test_a_member_quoted_word_for_word_is_the_block_sequencematcher_finds(words: list[str], start: int, length: int) -> None:
    """_window skips SequenceMatcher when the member's words stand in the base word for word: its one matching block is that run."""
    from difflib import SequenceMatcher

    from generator.analyse.compare import _first_run

    run = words[start : start + length] or ["b"]
    at = _first_run(words, run)
    blocks = [b for b in SequenceMatcher(None, words, run, autojunk=False).get_matching_blocks() if b.size]
    assert at is None or blocks == [(at, 0, len(run))]
    assert (at is None) == (words.count(run[0]) == 0 or all(words[i : i + len(run)] != run for i in range(len(words))))
