"""Metadata read from scraped text: pinned on the seeds and on small invented examples."""

from __future__ import annotations

import pytest

from generator.ingest.metadata import extract, find_date, guess_language, headline, is_dateline, outlet_hint
from generator.ingest.read import parse_txt, read_article

from .conftest import SEED_TOPIC


def _extract(text: str):
    _, blocks, _ = parse_txt(text)
    blocks, found = extract(text, blocks)
    return blocks, found, [text[b.start : b.end] for b in blocks if b.kind == "boilerplate"]


BODY = "The council voted on Tuesday to close the old bridge to traffic while engineers assess the damage. " * 2


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("7 January 2020, 23:50 | Updated: 8 January 2020, 08:34", "2020-01-07T23:50"),
        ("date 2020-01-07 advertisement", "2020-01-07"),
        ("March 3, 2014 at 5:30 pm", "2014-03-03T17:30"),
        ("Published 12th Nov 2015", "2015-11-12"),
        ("31 February 2020", None),
        ("The Premier League season", None),
    ],
)
def test_find_date(line: str, iso: str | None) -> None:
    assert find_date(line) == iso


def test_a_dateline_is_mostly_a_date() -> None:
    assert is_dateline("7 January 2020, 23:50 | Updated: 8 January 2020, 08:34")
    assert not is_dateline("On 7 January 2020 the missiles were launched from three sites in western Iran.")


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("More from 620 CKRM", "620 CKRM"),
        ("Send a tip to the news team at NR.", "NR"),
        ("© 2021 Example Gazette. All rights reserved.", "Example Gazette"),
        ("Follow The Daily Planet on Twitter", "The Daily Planet"),
        ("More than 5,000 US troops remain in Iraq.", None),
    ],
)
def test_outlet_hint(line: str, outlet: str | None) -> None:
    assert outlet_hint(line) == outlet


def test_invented_article_with_furniture_at_both_edges() -> None:
    text = (
        "Morning Drive 6am - 9am\r\n"
        "Bridge closed after flood damage\r\n"
        "By Jane Roe | Local reporter\r\n"
        "3 May 2021, 07:15\r\n"
        f"{BODY}\r\n"
        f"{BODY}\r\n"
        "Advertisement\r\n"
        "More from Riverside Radio\r\n"
    )
    blocks, found, boilerplate = _extract(text)
    assert boilerplate == [
        "Morning Drive 6am - 9am",
        "By Jane Roe | Local reporter",
        "3 May 2021, 07:15",
        "Advertisement",
        "More from Riverside Radio",
    ]
    assert headline(text, blocks) == "Bridge closed after flood damage"
    assert found == {"byline": "Jane Roe", "published": "2021-05-03T07:15", "outlet": "Riverside Radio", "language": "en"}
    # Offsets survive: every block is still the exact text it stands for.
    assert all(text[b.start : b.end].strip() == text[b.start : b.end] for b in blocks)


def test_what_the_text_does_not_say_stays_empty() -> None:
    text = f"Bridge closed after flood damage\n\n{BODY}\n"
    blocks, found, boilerplate = _extract(text)
    assert boilerplate == []
    assert found == {"language": "en"}
    assert headline(text, blocks) == "Bridge closed after flood damage"


def test_a_furniture_line_on_top_leaves_the_body_as_body_and_the_title_comes_from_the_lede() -> None:
    text = f"advertisement\n{BODY}\n"
    blocks, _, boilerplate = _extract(text)
    assert boilerplate == ["advertisement"]
    assert [b.kind for b in blocks if b.kind != "boilerplate"] == ["paragraph"]
    assert headline(text, blocks) == "The council voted on Tuesday to close the old bridge to traffic…"


def test_furniture_words_inside_the_body_are_kept() -> None:
    text = f"Headline here\n{BODY}\nThe Latest\n{BODY}\n"
    _, _, boilerplate = _extract(text)
    assert boilerplate == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (BODY, "en"),
        ("Le conseil a voté mardi pour fermer le vieux pont à la circulation pendant que les ingénieurs évaluent les dégâts, "
         "et la ville est en colère. " * 2, "fr"),
        ("Der Rat hat am Dienstag beschlossen, die alte Brücke für den Verkehr zu sperren, "
         "und die Stadt ist nicht zufrieden mit dem Plan. " * 2, "de"),
        ("Too short to tell", None),
    ],
)
def test_guess_language(text: str, lang: str | None) -> None:
    assert guess_language(text) == lang


SEED_EXPECTED = {
    "000_2ce643f1a1350952.txt": ("Iran Missile Attacks Target US Forces in Iraq; Trump Says ‘All Is Well!’", {}, []),
    "001_1e0f96428eb82f3b.txt": (
        "Iran Retaliates, Launches ‘More than a Dozen’ Missiles at U.S. Troops Based in Iraq",
        {"outlet": "NR"},
        ["Send a tip to the news team at NR.", "The Latest"],
    ),
    "002_c4eb374933563d5b.txt": (
        "Iran fires missiles at military bases hosting U.S., coalition forces in Iraq, Pentagon says",
        {"outlet": "620 CKRM"},
        ["More from 620 CKRM", "Recently Played", "Loading playlist…"],
    ),
    "003_b1d62ed8f169936c.txt": (
        "Iran launched more than a dozen missiles at two Iraqi bases…",  # its first line is a date line, and it has no headline
        {"published": "2020-01-07"},
        ["date 2020-01-07 advertisement", "This is a breaking story and will be updated."],
    ),
    "004_2351e39fdcd1b2f7.txt": (
        "Iran attacks US troops: Donald Trump says 'all is well' after Tehran fires 15 rockets",
        {"published": "2020-01-07T23:50"},
        ["Clive Bull 1am - 4am", "7 January 2020, 23:50 | Updated: 8 January 2020, 08:34"],
    ),
}


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_seed_metadata(shared, name: str) -> None:
    text = (shared / "seeds" / name).read_bytes().decode("utf-8")
    title, fields, furniture = SEED_EXPECTED[name]
    blocks, found, boilerplate = _extract(text)
    assert headline(text, blocks) == title
    assert found == {**fields, "language": "en"}
    assert boilerplate == furniture


def test_topic_yml_wins_over_the_text() -> None:
    path = SEED_TOPIC / "002_c4eb374933563d5b.txt"
    given = read_article(path, SEED_TOPIC.parent, {"outlet": "620 CKRM (Reuters / Canadian Press)"})
    guessed = read_article(path, SEED_TOPIC.parent)
    assert given.outlet == "620 CKRM (Reuters / Canadian Press)"
    assert guessed.outlet == "620 CKRM"
    assert [b.kind for b in given.blocks] == [b.kind for b in guessed.blocks]


def test_read_article_titles_an_article_without_headline_by_its_lede_never_its_file_name() -> None:
    """The CNN seed's first line is a date line: its title is the story's opening, not "003_b1d62ed8f169936c"."""
    article = read_article(SEED_TOPIC / "003_b1d62ed8f169936c.txt", SEED_TOPIC.parent)
    assert article.title == "Iran launched more than a dozen missiles at two Iraqi bases…"
    assert article.published == "2020-01-07"
    assert "advertisement" not in [article.text[b.start : b.end] for b in article.content_blocks()]


def test_a_language_the_metadata_gives_is_not_guessed(tmp_path, monkeypatch) -> None:
    """The language model runs only for articles whose language nobody gave (loading and running it was a
    tenth of reading a topic); a given language is kept, a missing one still guessed."""
    import generator.ingest.metadata as metadata

    french = "Le conseil a voté mardi pour fermer le vieux pont à la circulation pendant que les ingénieurs évaluent les dégâts. " * 2
    (tmp_path / "given.md").write_text(f"---\nlanguage: fr\n---\n\n{french}\n", encoding="utf-8")
    (tmp_path / "guessed.txt").write_text(f"Le pont\n\n{french}\n", encoding="utf-8")
    guessed = read_article(tmp_path / "guessed.txt", tmp_path)
    monkeypatch.setattr(metadata, "guess_language", lambda text: pytest.fail("guessed a language the metadata gives"))
    assert read_article(tmp_path / "given.md", tmp_path).language == "fr"
    assert read_article(tmp_path / "guessed.txt", tmp_path, {"language": "fr-CA"}).language == "fr-CA"
    assert guessed.language == "fr"
