"""The translation detector: general signals, strong evidence only, and the seed verdicts."""

from __future__ import annotations

import pytest

from generator.compare import compare
from generator.models import Member, Passage
from generator.translation import broken_quotes, quote_regions
from tests.test_differences import article, topic, whole

QUOTE = "“We are aware of the reports. The president has been briefed and is monitoring the situation closely and consulting with his team,” said Grisham."
DRIFTED = "“We are aware of reports. The president has been informed and is following the situation closely and is consulting with his team, “said Grisham."
STATEMENT = "“The Department of Defense has taken all appropriate measures to safeguard our personnel and partners,” Hoffman said."
CALQUE = "“The Ministry of Defense has taken all appropriate measures to protect our personnel and partners,” Hoffman said."


def _passages(t):
    by_text = {}
    for a in t.articles:
        for k, part in enumerate(a.text.split("\n")):
            start = a.text.index(part)
            by_text.setdefault(k, []).append(Member(a.id, start, start + len(part), part))
    return [Passage(f"p{k}", "reuse", tuple(ms)) for k, ms in by_text.items()]


def test_drifted_quotes_calque_and_broken_marks_make_a_suspect() -> None:
    t = topic(QUOTE + "\n" + STATEMENT, QUOTE + "\n" + STATEMENT, DRIFTED + "\n" + CALQUE)
    c = compare(t, _passages(t))
    v = c.translation
    assert v["a2"].suspected and not v["a0"].suspected and not v["a1"].suspected
    kinds = {e.kind for e in v["a2"].evidence}
    assert kinds == {"drifted quote", "calque", "broken quotation marks"}
    marked = {d.text for p in c.passages for d in p.differences if d.kind == "translation"}
    assert {"informed", "following", "Ministry", "protect"} <= marked
    assert all(d.article == "a2" for p in c.passages for d in p.differences)


def test_ordinary_editing_is_not_translation() -> None:
    edited = "“We are aware of the reports. The president has been briefed and is monitoring the situation closely,” a spokesman said."
    t = topic(QUOTE, QUOTE, edited)
    c = compare(t, [Passage("p1", "reuse", tuple(whole(a) for a in t.articles))])
    assert not any(v.suspected for v in c.translation.values())
    assert not any(d.kind == "translation" for d in c.passages[0].differences)


def test_one_swapped_word_is_weak_evidence() -> None:
    t = topic(QUOTE, QUOTE, QUOTE.replace("monitoring", "watching"))
    c = compare(t, [Passage("p1", "reuse", tuple(whole(a) for a in t.articles))])
    v = c.translation["a2"]
    assert [e.kind for e in v.evidence] == ["drifted quote"] and not v.suspected and 0 < v.score < 0.5


def test_broken_quotation_marks() -> None:
    assert [e.kind for e in broken_quotes(article("a", DRIFTED))] == ["broken quotation marks"]
    assert broken_quotes(article("b", QUOTE)) == []
    assert broken_quotes(article("c", "its strikes “concluded” its response")) == []


def test_quote_regions_cover_quoted_words() -> None:
    a = article("a", 'He said "we will win" and left. “Open quote to the end')
    regions = quote_regions(a)
    assert [a.text[s:e] for s, e in regions] == ['"we will win"', "“Open quote to the end"]


def test_seed_verdicts(seed_topic) -> None:
    from benchmarks.eval_differences import gold_passages

    c = compare(seed_topic, gold_passages(seed_topic))
    suspected = {a for a, v in c.translation.items() if v.suspected}
    assert suspected == {"003_b1d62ed8f169936c"}
    marked = {d.text for p in c.passages for d in p.differences if d.kind == "translation"}
    assert {"Ministry", "informed", "following", "protect"} <= marked


def test_inverted_compound_is_a_calque_only_when_the_coverage_writes_the_compound() -> None:
    from generator.translation import _folded, inverted_compounds

    native = [article(f"n{k}", f"The Suez Canal Authority said traffic resumed on Friday night, report {k}.") for k in range(3)]
    translated = article("t", "The Authority of the Suez Canal said that traffic resumed in the night of Friday.")
    found = inverted_compounds(translated, [_folded(a) for a in native])
    assert [e.text for e in found] == ["Authority of the Suez Canal", "night of Friday"]
    assert all(translated.text[e.start : e.end] == e.text for e in found)
    # the compound used by one article among many is not the coverage's wording
    crowd = native[:1] + [article(f"c{k}", "Shipping resumed after the blockage ended.") for k in range(8)]
    assert inverted_compounds(translated, [_folded(a) for a in crowd]) == []
    # the article itself writing the compound elsewhere: its own usage, not a calque
    both = article("b", "The Suez Canal Authority spoke. The Authority of the Suez Canal agreed.")
    assert inverted_compounds(both, [_folded(a) for a in native]) == []


def test_translated_reporting_verbs_after_quotes() -> None:
    from generator.translation import reporting_verbs

    a = article("a", '"We work to refloat the ship," declared the president. "It is like a whale," affirmed Berdowski.')
    assert [e.text for e in reporting_verbs(a)] == ["declared", "affirmed"]
    plain = article("p", '"We work to refloat the ship," the president said. He declared an emergency.')
    assert reporting_verbs(plain) == []


def test_held_out_translated_articles_are_suspected_and_the_others_not() -> None:
    from pathlib import Path

    from generator.align import align
    from generator.read import discover, read_topic

    data = Path(__file__).resolve().parent / "data"
    for source in discover(data):
        t = read_topic(source, data)
        verdicts = compare(t, align(t.articles)).translation
        assert {a for a, v in verdicts.items() if v.suspected} == {a.id for a in t.articles if "translated" in a.id}, t.slug


@pytest.mark.slow
def test_no_article_of_a_real_untranslated_corpus_is_suspected(shared) -> None:
    """WikiRef220's 220 native English articles: ordinary editing across many outlets is not translation."""
    from generator.build import generate_files

    comparisons, _files = generate_files(shared / "corpora" / "wikiref220", log=lambda _m: None)
    suspected = [a for c in comparisons for a, v in c.translation.items() if v.suspected]
    assert sum(len(c.topic.articles) for c in comparisons) == 220
    assert suspected == []
