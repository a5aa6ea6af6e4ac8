"""The backbone: reading .txt and .md, topic.yml, the JSON contract, reproducibility."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from generator.ingest.read import discover, parse_md, read_topic
from generator.pipeline.build import build, generate_files

from .conftest import ROOT, SEED_TOPIC

SCHEMA = json.loads((ROOT / "docs/schema/source-compare-1.schema.json").read_text(encoding="utf-8"))


def seed_data(seed_site: Path) -> dict:
    return json.loads((seed_site / "docs/data/iran-missile-strikes-2020.json").read_text(encoding="utf-8"))


def decoded(seeds: Path, data: dict) -> dict[str, str]:
    """Each article's text as the contract defines it: decoded, newlines untranslated."""
    out = {}
    for a in data["articles"]:
        with open(seeds / a["path"], encoding=a["encoding"], newline="") as f:
            out[a["id"]] = f.read()
    return out


def test_txt_article_first_nonempty_line_is_headline(tmp_path):
    topic = tmp_path / "seeds" / "quake"
    topic.mkdir(parents=True)
    (topic / "a.txt").write_bytes(b"\r\n\r\n  Quake hits city\r\nFirst paragraph.\r\n\r\nSecond one.\r\n")
    (article,) = read_topic(discover(tmp_path / "seeds")[0], tmp_path / "seeds").articles
    assert article.title == "Quake hits city"
    assert [article.text[b.start : b.end] for b in article.blocks] == ["Quake hits city", "First paragraph.", "Second one."]
    assert article.blocks[0].kind == "headline"
    assert "\r\n" in article.text  # newlines untranslated: offsets match open(newline="")


def test_md_article_front_matter_and_block_offsets():
    text = (
        "---\ntitle: Front title\noutlet: Daily Example\nurl: https://example.org/a\n"
        "published: 2020-01-08\nlanguage: en\n---\n# Heading here\n\nA paragraph\nthat wraps.\n\n- a list item\n"
    )
    title, blocks, meta = parse_md(text)
    assert title == "Front title"
    assert meta["outlet"] == "Daily Example" and meta["language"] == "en"
    texts = [text[b.start : b.end] for b in blocks if b.kind != "markup"]
    assert texts == ["Heading here", "A paragraph", "that wraps.", "a list item"]
    assert blocks[0].kind == "markup" and text[blocks[0].start : blocks[0].end].startswith("---")


def test_md_article_without_front_matter_takes_first_heading_as_title(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "t").mkdir(parents=True)
    (seeds / "t" / "story.md").write_text("Intro *line*.\n\n## The real headline ##\n\nBody.\n", encoding="utf-8")
    (article,) = read_topic(discover(seeds)[0], seeds).articles
    assert article.title == "The real headline"
    assert article.id == "story" and article.path == "t/story.md"


def test_topic_yml_metadata_wins(seed_site):
    data = seed_data(seed_site)
    assert data["topic"]["title"].startswith("Iranian missile strikes")
    outlets = {a["id"]: a["outlet"] for a in data["articles"]}
    assert outlets["001_1e0f96428eb82f3b"] == "National Review"
    assert outlets["004_2351e39fdcd1b2f7"] == "LBC"
    assert {a["published"] for a in data["articles"]} == {"2020-01-07", "2020-01-08"}


def test_seed_json_matches_schema(seed_site):
    jsonschema.validate(seed_data(seed_site), SCHEMA)


def test_offset_invariant_holds_for_every_span(seed_site):
    data = seed_data(seed_site)
    texts = decoded(ROOT / "seeds", data)
    assert data["passages"], "the seed topic must have shared passages"
    checked = 0
    for a in data["articles"]:
        assert a["chars"] == len(texts[a["id"]])
        for u in a.get("unique", []):
            assert texts[a["id"]][u["start"] : u["end"]] == u["text"]
        for e in a["translation"]["evidence"]:
            assert texts[a["id"]][e["start"] : e["end"]] == e["text"]
    for p in data["passages"]:
        assert len(p["members"]) >= 2
        base = p.get("base")
        for m in p["members"]:
            assert texts[m["article"]][m["start"] : m["end"]] == m["text"]
            checked += 1
        for d in p["differences"]:
            assert texts[d["article"]][d["start"] : d["end"]] == d["text"]
            if base is not None and "base_start" in d:
                assert texts[base][d["base_start"] : d["base_end"]] == d["base_text"]
            checked += 1
    for f in data.get("facts", []):
        for v in f["values"]:
            assert texts[v["article"]][v["start"] : v["end"]] == v["text"]
    assert checked > 10


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file of a docs folder but the build cache (which records file times, see generator/pipeline/cache.py)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(folder).parts
    }


def test_two_builds_of_same_input_are_byte_identical(tmp_path):
    build(ROOT / "seeds", tmp_path / "one", None, log=lambda _m: None)
    build(ROOT / "seeds", tmp_path / "two", None, log=lambda _m: None)
    one, two = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert one == two
    assert "topics/iran-missile-strikes-2020.md" in one and "data/iran-missile-strikes-2020.json" in one


def test_build_writes_site_with_one_page_per_topic(seed_site):
    site = seed_site / "site"
    assert (site / "index.html").is_file()
    assert (site / "topics/iran-missile-strikes-2020/index.html").is_file()
    assert (site / "data/iran-missile-strikes-2020.json").is_file()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "topics/iran-missile-strikes-2020/" in index


def test_rebuild_leaves_unchanged_files_alone_and_removes_stale_topics(tmp_path, seeds_copy):
    docs = tmp_path / "docs"
    first = build(seeds_copy, docs, None, log=lambda _m: None)
    assert first.comparisons == ()  # a build holds no topic's comparison once its files are written, unless asked
    assert len(build(seeds_copy, tmp_path / "kept", None, log=lambda _m: None, keep_comparisons=True).comparisons) == 1
    second = build(seeds_copy, docs, None, log=lambda _m: None)
    assert second.written == ()
    (seeds_copy / "iran-missile-strikes-2020").rename(seeds_copy / "renamed-topic")
    third = build(seeds_copy, docs, None, log=lambda _m: None)
    assert "topics/iran-missile-strikes-2020.md" in third.removed
    assert (docs / "topics/renamed-topic.md").is_file()


def test_generate_files_for_loose_files_makes_a_topic(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for p in SEED_TOPIC.glob("*.txt"):
        (seeds / p.name).write_bytes(p.read_bytes())
    comparisons, files = generate_files(seeds, log=lambda _m: None)
    assert sum(len(c.topic.articles) for c in comparisons) == 5
    assert "index.md" in files


@pytest.mark.parametrize("name", ["000_2ce643f1a1350952.txt", "004_2351e39fdcd1b2f7.txt"])
def test_seed_files_are_byte_identical_to_shared(shared, name):
    assert (SEED_TOPIC / name).read_bytes() == (shared / "seeds" / name).read_bytes()


def test_said_only_here_lists_whole_sentences_never_scraps_or_captions(seed_site):
    """The seed JSON once listed `,” Hoffman said.`, a name line and a photo caption as what an article says alone."""
    data = seed_data(seed_site)
    items = [u["text"] for a in data["articles"] for u in a["unique"]]
    assert len(items) > 40
    for text in items:
        assert len(text.split()) >= 8 and text.rstrip("”\"’') ").endswith((".", "!", "?")), text
        assert text[0].isupper() or text[0] in "“\"‘", text
    joined = "\n".join(items)
    scraps = (",” Hoffman said.", "Iranian foreign minister Mohammad Javad Zarif ", "A picture of the Iranian", "Marines arrive on")
    for scrap in scraps:
        assert scrap not in joined


def test_headline_skips_the_date_line(seed_site):
    titles = {a["id"]: a["title"] for a in seed_data(seed_site)["articles"]}
    assert titles["003_b1d62ed8f169936c"] == "Iran launched more than a dozen missiles at two Iraqi bases…"
