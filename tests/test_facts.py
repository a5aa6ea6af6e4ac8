"""Counts, clock times and names across outlets, normalised so that agreeing statements agree."""

from __future__ import annotations

from generator.facts import count_statements, facts, time_statements
from tests.test_differences import article, topic


def test_counts_become_ranges() -> None:
    a = article("a", "Iran fired 15 ballistic missiles, more than a dozen missiles, dozens of missiles and tens of rockets.")
    got = [(s.text, s.key, s.low, s.high) for s in count_statements(a)]
    assert got[0] == ("15 ballistic missiles", "missiles", 15, 15)
    assert got[1][2:] == (13, float("inf"))
    assert got[2][2:] == (24, 144)
    assert got[3][1:] == ("rockets", 20, 99)
    for text, *_ in got:
        assert text in a.text


def test_missile_counts_disagree_across_outlets() -> None:
    fs = facts(topic("Iran fired 15 missiles.", "Iran fired more than a dozen missiles.", "Iran hit the base with dozens of missiles.").articles)
    (count,) = [f for f in fs if f.kind == "count"]
    assert count.label == "missiles" and not count.agree
    assert [v.value for v in count.values] == ["15", "13 or more", "24–144"]


def test_compatible_counts_agree() -> None:
    fs = facts(topic("Iran fired 15 missiles.", "Iran fired more than a dozen missiles.").articles)
    assert [f.agree for f in fs if f.kind == "count"] == [True]


def test_times_agree_once_converted_to_utc() -> None:
    t = topic(
        "The strike came at about 1:30 a.m. (2230 GMT on Tuesday).",
        "Missiles were launched at about 5:30 p.m. EST.",
        "The attack, launched at around 1.30am local time (10.30pm GMT), hit the base.",
        "At approximately 5:30 pm on Jan. 7, Iran launched missiles.",
    )
    (time,) = [f for f in facts(t.articles) if f.kind == "time"]
    assert time.agree
    assert [v.value for v in time.values] == ["22:30 UTC", "22:30 UTC", "22:30 UTC", "17:30 (no time zone)"]


def test_times_that_disagree() -> None:
    t = topic("It began at 2230 GMT.", "It began at 6:15 p.m. EST.")
    (time,) = [f for f in facts(t.articles) if f.kind == "time"]
    assert not time.agree


def test_local_time_takes_the_zone_of_the_time_it_pairs_with() -> None:
    (s,) = time_statements(article("a", "at 1:30 a.m. (2230 GMT)"))
    assert (s.text, s.low) == ("1:30 a.m. (2230 GMT", 22 * 60 + 30)


def test_names_spelled_differently() -> None:
    t = topic("Missiles hit Al-Asad and Erbil.", "Missiles hit Al-Assad and Irbil.", "Missiles hit Ain al-Asad air base.")
    names = {f.label: f for f in facts(t.articles) if f.kind == "name"}
    assert {v.text for v in names["Asad"].values} == {"Al-Asad", "Al-Assad", "Ain al-Asad"}
    assert not names["Asad"].agree
    assert {frozenset(v.text for v in f.values) for f in names.values()} == {frozenset({"Al-Asad", "Al-Assad", "Ain al-Asad"}), frozenset({"Erbil", "Irbil"})}


def test_seed_fact_table(seed_topic) -> None:
    fs = facts(seed_topic.articles)
    missiles = next(f for f in fs if f.kind == "count" and f.label == "missiles")
    assert not missiles.agree and {"15", "13 or more", "24–144"} <= {v.value for v in missiles.values}
    times = [f for f in fs if f.kind == "time"]
    assert len(times) == 1 and times[0].agree and len({v.article for v in times[0].values}) == 3
    assert {f.label for f in fs if f.kind == "name"} >= {"Asad", "Qassem"}


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
