"""Counts, clock times and names across outlets, normalised so that agreeing statements agree."""

from __future__ import annotations

from generator.analyse.facts import count_statements, facts, time_statements
from tests.test_differences import article, topic


def test_counts_become_ranges_and_vague_words_stay_open() -> None:
    a = article("a", "Iran fired 15 ballistic missiles, more than a dozen missiles, dozens of missiles and tens of rockets.")
    got = [(s.text, s.key, s.low, s.high, s.vague) for s in count_statements(a)]
    assert got[0] == ("15 ballistic missiles", "missiles", 15, 15, False)
    assert got[1][2:] == (13, float("inf"), False)
    assert got[2][2:] == (12, float("inf"), True)  # "dozens" is no invented 24-144
    assert got[3][1:] == ("rockets", 10, float("inf"), True)
    for text, *_ in got:
        assert text in a.text


def test_a_round_figure_and_the_exact_one_it_contains_are_compatible() -> None:
    t = topic("Iran fired 15 missiles.", "Iran fired more than a dozen missiles.", "Iran hit the base with dozens of missiles.",
              "Iran fired a few missiles.")
    (count,) = [f for f in facts(t.articles) if f.kind == "count"]
    assert count.label == "missiles" and count.relation == "compatible" and count.agree
    assert sorted(v.value for v in count.values) == ["13 or more", "15", "dozens (vague)", "few (vague)"]


def test_counts_that_cannot_both_be_true_about_the_same_thing_conflict() -> None:
    fs = facts(topic("Iran fired 15 missiles at the base in Iraq.", "Iran fired 25 missiles at the base in Iraq.").articles)
    (count,) = [f for f in fs if f.kind == "count"]
    assert count.relation == "conflict" and not count.agree


def test_different_counts_of_different_things_are_no_conflict() -> None:
    """"won 129 seats" and "lost 33 seats" share the noun, not the subject."""
    fs = facts(topic("New Democracy won 129 seats overall.", "Socialists lost 33 seats yesterday.").articles)
    assert [f.relation for f in fs if f.kind == "count"] == ["compatible"]


def test_a_value_carries_who_states_it() -> None:
    t = topic(
        "The Pentagon confirmed the attack, and a Pentagon official told ABC News that 15 ballistic missiles had been launched.",
        "“We launched tens of ballistic missiles,” Iran’s Islamic Revolutionary Guard Corps said in a statement.",
        "According to the US military, 15 missiles hit the base.",
        "Iran fired 15 missiles.",
    )
    (count,) = [f for f in facts(t.articles) if f.kind == "count"]
    who = {v.article: v.attributed_to for v in count.values}
    assert who == {"a0": "a Pentagon official", "a1": "Iran’s Islamic Revolutionary Guard Corps", "a2": "the US military", "a3": None}


def test_times_agree_once_converted_to_utc() -> None:
    t = topic(
        "The strike came at about 1:30 a.m. (2230 GMT on Tuesday).",
        "Missiles were launched at about 5:30 p.m. EST.",
        "The attack, launched at around 1.30am local time (10.30pm GMT), hit the base.",
        "At approximately 5:30 pm on Jan. 7, Iran launched missiles.",
    )
    (time,) = [f for f in facts(t.articles) if f.kind == "time"]
    assert time.relation == "compatible"  # the unzoned 5:30 pm may be the same moment, in US Eastern time
    assert [v.value for v in time.values] == ["22:30 UTC", "22:30 UTC", "22:30 UTC", "17:30 (no time zone)"]


def test_times_that_disagree() -> None:
    t = topic("It began at 2230 GMT.", "It began at 6:15 p.m. EST.")
    (time,) = [f for f in facts(t.articles) if f.kind == "time"]
    assert time.relation == "conflict" and not time.agree


def test_local_time_takes_the_zone_of_the_time_it_pairs_with() -> None:
    (s,) = time_statements(article("a", "at 1:30 a.m. (2230 GMT)"))
    assert (s.text, s.low) == ("1:30 a.m. (2230 GMT", 22 * 60 + 30)


def test_names_spelled_differently_are_spelling_never_disagreement() -> None:
    t = topic("Missiles hit Al-Asad and Erbil.", "Missiles hit Al-Assad and Irbil.", "Missiles hit Ain al-Asad air base.")
    names = {f.label: f for f in facts(t.articles) if f.kind == "name"}
    rows = {frozenset(v.text for v in f.values) for f in names.values()}
    assert rows == {frozenset({"Al-Asad", "Al-Assad", "Ain al-Asad"}), frozenset({"Erbil", "Irbil"})}
    assert {f.relation for f in names.values()} == {"spelling"} and all(f.agree for f in names.values())


def test_different_people_sharing_a_first_name_are_different_entities() -> None:
    t = topic(
        "Pope Francis prayed for the victims. Michael Smith said Russia would help.",
        "Francois Hollande spoke. Charles Michel said RUSI analysts agreed. Paris St Germain cancelled the match.",
        "Francois Hollande and Pope Francis met. Michael Smith, a German, said so. Charles Michel agreed.",
    )
    rows = [frozenset(v.text for v in f.values) for f in facts(t.articles) if f.kind == "name"]
    assert rows == []


def test_whole_names_that_differ_in_one_spelling_are_one_entity() -> None:
    t = topic("Hillary Clinton said so. Qassem Soleimani was killed.", "Hilary Clinton said so. Qasem Soleimani was killed.")
    rows = sorted(sorted(v.text for v in f.values) for f in facts(t.articles) if f.kind == "name")
    assert rows == [["Hilary Clinton", "Hillary Clinton"], ["Qasem Soleimani", "Qassem Soleimani"]]


def test_a_claim_asserted_in_one_outlet_and_denied_in_another_conflicts() -> None:
    t = topic(
        "There are casualties among Iraqis at the base, an Iraqi security source told CNN.",
        "Iraqi officials later told CNN that there were no Iraqi casualties.",
        "It was not immediately clear whether there were casualties among Iraqis.",
    )
    (claim,) = [f for f in facts(t.articles) if f.kind == "claim"]
    assert claim.relation == "conflict" and claim.label == "Iraqi casualties"
    assert [(v.article, v.value, v.attributed_to) for v in claim.values] == [
        ("a0", "casualties", "an Iraqi security source"),
        ("a1", "no casualties", "Iraqi officials"),
    ]


def test_a_party_confirming_in_one_outlet_and_denying_in_another_conflicts() -> None:
    t = topic(
        "The Pentagon confirmed the attack on Tuesday.",
        "The Pentagon denied the attack, officials said.",
        "Iran's Revolutionary Guards confirmed they fired.",
    )
    (claim,) = [f for f in facts(t.articles) if f.kind == "claim"]
    assert (claim.label, claim.relation) == ("Pentagon on attack", "conflict")
    assert [v.value for v in claim.values] == ["confirmed attack", "denied attack"]


def test_seed_fact_table(seed_topic) -> None:
    fs = facts(seed_topic.articles)
    by_label = {f.label: f for f in fs}
    assert fs[0].relation == "conflict" and fs[0].label == "Iraqi casualties"
    assert {v.text for v in fs[0].values} == {"There are casualties among Iraqis", "there were no Iraqi casualties"}
    assert [f.label for f in fs if f.relation == "conflict"] == ["Iraqi casualties"]
    assert by_label["Irbil"].relation == "spelling" and {v.text for v in by_label["Irbil"].values} == {"Erbil", "Irbil"}
    assert by_label["Qassem Soleimani"].relation == "spelling"
    assert {"Qassem Soleimani", "Qasem Soleimani"} <= {v.text for v in by_label["Qassem Soleimani"].values}
    assert by_label["al-Asad"].relation == "spelling"
    missiles = by_label["missiles"]
    assert missiles.relation == "compatible" and missiles.agree
    assert {"15", "13 or more", "dozens (vague)", "tens (vague)"} <= {v.value for v in missiles.values}
    guards = next(v for v in missiles.values if v.text == "tens of ballistic missiles")
    assert guards.attributed_to == "Iran’s Islamic Revolutionary Guard Corps"
    assert {v.attributed_to for v in missiles.values if v.value == "15"} == {"a Pentagon official", "American officials"}
    times = [f for f in fs if f.kind == "time"]
    assert len(times) == 1 and times[0].agree and len({v.article for v in times[0].values}) == 3
    for f in fs:
        for v in f.values:
            assert seed_topic.article(v.article).text[v.start : v.end] == v.text


def test_counts_of_things_the_coverage_is_not_about_are_left_out() -> None:
    """In a large topic, "2 miles" and "300 miles" in unrelated paragraphs are no disagreement between outlets."""
    fs = facts(
        topic(
            "Gunmen killed 130 people. The stadium is 2 miles from the centre.",
            "At least 129 people died. The suspects drove 300 miles overnight.",
            "The attacks killed 130 people in Paris.",
            "Police said 130 people were killed over three days.",
            "Officials said 129 people had died after two days of raids.",
        ).articles
    )
    assert sorted(f.label for f in fs if f.kind == "count") == ["people"]


def test_a_count_never_runs_across_a_sentence_end_and_a_vague_word_with_punctuation_is_shown() -> None:
    """A 1,000-topic build once stopped on "dozens. Of announced their supplies": the count crossed the full stop."""
    texts = [
        "Rescuers said the floods destroyed dozens. Of course their supplies were lost.",
        "The floods destroyed dozens, officials said. Of course their supplies were lost.",
        "Officials said the floods destroyed 40 farms and their supplies.",
    ]
    arts = [article(f"a{i}", text) for i, text in enumerate(texts)]
    assert not [s for a in arts for s in count_statements(a) if "." in s.text]
    facts(arts)  # no exception on a vague word followed by punctuation
