"""Untrusted input: encodings, bad files, odd names, warnings, --strict, atomic and reproducible builds."""

from __future__ import annotations

import codecs
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from generator.cli import main
from generator.ingest.problems import Problem, Warn
from generator.ingest.read import TopicSource, decode, read_article, read_topic
from generator.pipeline import build as build_module
from generator.pipeline.build import build, generate_files

from .conftest import ROOT, SEEDS

SENTENCES = [
    "The minister said the new budget would raise spending on schools and hospitals next year.",
    "Opposition leaders called the plan reckless and demanded a vote in parliament before the summer.",
    "Markets rose sharply after the announcement, with bank shares leading the gains in early trading.",
    "Analysts warned that inflation could return if the central bank kept interest rates this low.",
    "Thousands of people gathered in the capital on Sunday to protest against the proposed cuts.",
]


def article_text(headline: str, *extra: str) -> str:
    return "\r\n".join([headline, "", *SENTENCES, *extra]) + "\r\n"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def collect() -> tuple[list[Problem], Warn]:
    found: list[Problem] = []
    return found, found.append


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- decoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Café “quoted” — PARIS".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Café — PARIS".encode(), "utf-8-sig"),
        ("Café — PARIS".encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + "Café — PARIS".encode("utf-16-be"), "utf-16"),
        ("Café — PARIS".encode("utf-32"), "utf-32"),
    ],
)
def test_unicode_encodings_are_exact(data: bytes, encoding: str) -> None:
    text, found = decode(data)
    assert found == encoding
    assert text.startswith("Café") and "\ufeff" not in text


def test_windows_1252_punctuation_survives() -> None:
    text, encoding = decode(b"PARIS\x97Seven attackers \x93coordinated\x94 a \xa32m plot\x85\r\n")
    assert (text, encoding) == ("PARIS—Seven attackers “coordinated” a £2m plot…\r\n", "windows-1252")


def test_latin_1_without_windows_bytes_is_named_latin_1() -> None:
    data = "Le président a déclaré à la presse que l'économie était en très bonne santé.".encode("latin-1")
    assert decode(data) == (data.decode("latin-1"), "iso-8859-1")


def test_utf_16_without_bom_is_detected() -> None:
    data = " ".join(SENTENCES).encode("utf-16-le")
    assert decode(data)[0] == " ".join(SENTENCES)


def test_non_western_legacy_text_is_not_read_as_windows_1252() -> None:
    russian = "Президент заявил, что правительство примет меры по поддержке экономики в ближайшие месяцы. " * 3
    assert decode(russian.encode("cp1251"))[0] == russian


def test_crlf_and_nel_are_kept_and_offsets_point_into_them(tmp_path: Path) -> None:
    raw = "Headline\r\n\r\nFirst line\u0085second line\r\nThird\r\n"
    path = write(tmp_path / "t" / "a.txt", raw)
    article = read_article(path, tmp_path)
    assert article.text == raw
    assert [article.text[b.start : b.end] for b in article.blocks] == ["Headline", "First line", "second line", "Third"]


def test_encoding_is_recorded_per_article(tmp_path: Path) -> None:
    write(tmp_path / "t" / "a.txt", article_text("Héadline").encode("cp1252"))
    write(tmp_path / "t" / "b.txt", article_text("Héadline “two”").encode("utf-16"))
    source = TopicSource(tmp_path / "t", (tmp_path / "t" / "a.txt", tmp_path / "t" / "b.txt"))
    topic = read_topic(source, tmp_path)
    assert [(a.encoding, a.title) for a in topic.articles] == [("iso-8859-1", "Héadline"), ("utf-16", "Héadline “two”")]


# --- bad files: each is left out or worked around with a warning naming it -------------------


@pytest.fixture
def messy_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A seeds folder with one good topic and one of every kind of bad input."""
    seeds = tmp_path / "seeds"
    good = seeds / "good"
    write(good / "Le Monde (1).txt", article_text("Budget row", "Le Monde adds a line of its own here today."))
    write(good / "Süddeutsche Zeitung.txt", article_text("Budget row in the capital").encode("cp1252"))
    write(good / "report.md", "---\ntitle: Budget\noutlet: Wire\n---\n" + article_text("# Budget row"))
    bad = seeds / "bad"
    write(bad / "ok-1.txt", article_text("One"))
    write(bad / "ok-2.txt", article_text("Two", "An extra sentence makes this one different from the first."))
    write(bad / "repeat of ok-1.txt", (bad / "ok-1.txt").read_bytes())
    write(bad / "ok-2.md", article_text("# Same id as ok-2.txt", "But other words in it."))
    write(bad / "empty.txt", b"")
    write(bad / "blank.txt", b" \r\n\t\r\n")
    write(bad / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    write(bad / "huge.txt", b"word " * 4_000_000)
    write(bad / "locked.txt", article_text("Locked"))
    write(bad / "frontmatter.md", "---\ntitle: [unclosed\n---\n" + article_text("# Front matter broken"))
    write(bad / "topic.yml", "title: [unclosed\narticles: {\n")
    write(bad / ".hidden.txt", article_text("Hidden"))
    write(bad / "notes.docx", b"PK\x03\x04")
    write(seeds / "single" / "only.txt", article_text("Alone"))
    (seeds / "empty-folder").mkdir()
    real_open = os.open

    def refuse(path, *args, **kwargs) -> int:
        if Path(path).name == "locked.txt":  # chmod cannot lock files away from root, so simulate it
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    return seeds


def test_bad_files_are_left_out_with_a_warning_naming_them(messy_seeds: Path) -> None:
    warnings, warn = collect()
    comparisons, files = generate_files(messy_seeds, log=lambda _m: None, warn=warn)
    by_slug = {c.topic.slug: c.topic for c in comparisons}
    assert sorted(by_slug) == ["bad", "good", "single"]
    assert [a.id for a in by_slug["bad"].articles] == ["frontmatter", "ok-1", "ok-2"]
    assert len(by_slug["good"].articles) == 3
    problems = {Path(w.path).name: w.message for w in warnings}
    expected = {
        "repeat of ok-1.txt": "same text as bad/ok-1.txt",
        "ok-2.txt": "same file name as bad/ok-2.md",
        "empty.txt": "no text",
        "blank.txt": "no text",
        "photo.txt": "binary data",
        "huge.txt": "MB is more than",
        "locked.txt": "Permission denied",
        "frontmatter.md": "malformed front matter",
        "topic.yml": "malformed YAML",
        ".hidden.txt": "hidden file",
        "notes.docx": "not an article file",
        "single": "only one article",
        "empty-folder": "no article files",
    }
    for name, problem in expected.items():
        assert problem in problems.get(name, ""), (name, problems.get(name))
    assert all(str(messy_seeds) in str(w) for w in warnings)
    assert len(warnings) == len(expected)
    assert "topics/good.md" in files and "topics/bad.md" in files


def test_front_matter_problems_keep_the_article_and_drop_only_its_metadata(tmp_path: Path) -> None:
    path = write(tmp_path / "t" / "a.md", "---\n- just\n- a list\n---\n# Real headline\n\nBody text.\n")
    warnings, warn = collect()
    article = read_article(path, tmp_path, warn=warn)
    assert article.title == "Real headline" and article.outlet is None
    assert [w.message.split(":")[0] for w in warnings] == ["malformed front matter, metadata ignored"]
    assert read_article(path, tmp_path) == article  # without a warn callback the problem passes silently


def test_metadata_urls_must_be_web_addresses(tmp_path: Path) -> None:
    path = write(tmp_path / "t" / "a.txt", article_text("Headline"))
    warnings, warn = collect()
    meta = {"url": "javascript:alert(1)", "outlet": {"nested": "map"}, "note": "fine"}
    article = read_article(path, tmp_path, meta, warn)
    assert (article.url, article.outlet, article.note) == (None, None, "fine")
    assert len(warnings) == 2
    assert read_article(path, tmp_path, {"url": " https://example.org/a?b=c "}).url == "https://example.org/a?b=c"


def test_topic_yml_naming_missing_files_is_reported(tmp_path: Path) -> None:
    write(tmp_path / "t" / "a.txt", article_text("A"))
    write(tmp_path / "t" / "b.txt", article_text("B", "More."))
    write(tmp_path / "t" / "topic.yml", "title: T\narticles:\n  a.txt: {outlet: A}\n  gone.txt: {outlet: G}\n")
    warnings, warn = collect()
    topic = read_topic(TopicSource(tmp_path / "t", (tmp_path / "t" / "a.txt", tmp_path / "t" / "b.txt")), tmp_path, warn)
    assert topic.articles[0].outlet == "A"
    assert [w.message for w in warnings] == ["lists 'gone.txt', which is not an article file of this topic"]


def test_names_with_spaces_parentheses_accents_and_decomposed_forms(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    nfd = unicodedata.normalize("NFD", "Zürich Zeitung")
    write(seeds / "Élections (2024) à Zürich" / f"{nfd}.txt", article_text("Z"))
    write(seeds / "Élections (2024) à Zürich" / "BBC News (2).txt", article_text("B", "More words."))
    comparisons, files = generate_files(seeds, log=lambda _m: None, warn=lambda w: pytest.fail(str(w)))
    topic = comparisons[0].topic
    assert topic.slug == "elections-2024-a-zurich"
    assert [a.id for a in topic.articles] == ["BBC News (2)", "Zürich Zeitung"]
    assert sorted(f for f in files if "elections" in f) == [
        "articles/elections-2024-a-zurich/bbc-news-2.md",
        "articles/elections-2024-a-zurich/zurich-zeitung.md",
        "data/elections-2024-a-zurich.json",
        "topics/elections-2024-a-zurich.md",
    ]


def test_topics_whose_names_fold_to_one_slug_get_distinct_pages(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    for name in ("Paris", "paris", "PARIS!"):
        write(seeds / name / "a.txt", article_text(name))
        write(seeds / name / "b.txt", article_text(name, "Another line."))
    warnings, warn = collect()
    comparisons, files = generate_files(seeds, log=lambda _m: None, warn=warn)
    assert [c.topic.slug for c in comparisons] == ["paris", "paris-2", "paris-3"]
    assert len([f for f in files if f.startswith("topics/")]) == 3
    assert len(warnings) == 2


def test_sixty_article_topic_builds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    for n in range(60):
        extra = f"Reporter number {n} added a sentence of their own about event {n * 7919 % 1000}."
        write(seeds / "big" / f"outlet-{n:02d}.txt", article_text(f"Headline {n}", extra))
    comparisons, files = generate_files(seeds, log=lambda _m: None, warn=lambda w: pytest.fail(str(w)))
    assert len(comparisons[0].topic.articles) == 60
    assert len([f for f in files if f.startswith("articles/big/")]) == 60
    assert comparisons[0].passages


# --- CLI: warnings, --strict, fatal input errors ----------------------------------------------


def test_cli_warns_and_builds_then_strict_fails_without_writing(messy_seeds: Path, tmp_path: Path, capsys) -> None:
    docs = tmp_path / "docs"
    # --jobs 1: the fixture's unreadable file is a monkeypatch, which worker processes would not see
    assert main(["build", "--jobs", "1", "--seeds", str(messy_seeds), "--docs", str(docs), "--no-site"]) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "photo.txt: binary data" in err
    before = snapshot(docs)
    write(messy_seeds / "good" / "new.txt", article_text("A new article", "With new words."))
    assert main(["build", "--jobs", "1", "--strict", "--seeds", str(messy_seeds), "--docs", str(docs), "--no-site"]) == 2
    err = capsys.readouterr().err
    warning_lines = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warning_lines) == 13
    assert err.splitlines()[-1].startswith("error: 13 input problem(s) with --strict")
    assert snapshot(docs) == before


def test_cli_bad_seeds_folder_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["build", "--seeds", str(tmp_path / "nope"), "--docs", str(tmp_path / "d"), "--no-site"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {tmp_path / 'nope'}: seeds folder not found"]
    assert not (tmp_path / "d").exists()


# --- atomic output ----------------------------------------------------------------------------


@pytest.mark.parametrize("failure", [RuntimeError("mkdocs broke"), KeyboardInterrupt()])
def test_failed_or_interrupted_build_leaves_previous_output(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    docs, site = tmp_path / "docs", tmp_path / "site"
    write(docs / "assets" / "mine.css", "/* hand-written */\n")
    build(seeds_copy, docs, site, log=lambda _m: None)
    before_docs, before_site = snapshot(docs), snapshot(site)
    assert "topics/iran-missile-strikes-2020.md" in before_docs and "index.html" in before_site
    shutil.rmtree(seeds_copy / "iran-missile-strikes-2020")
    write(seeds_copy / "other" / "a.txt", article_text("Other"))
    write(seeds_copy / "other" / "b.txt", article_text("Other", "More."))

    def broken(staged_docs: Path, staged_site: Path, **_options: object) -> None:
        (staged_site / "half-written.html").write_text("<p>")
        raise failure

    monkeypatch.setattr(build_module, "mkdocs_build", broken)
    with pytest.raises(type(failure)):
        build(seeds_copy, docs, site, log=lambda _m: None)
    assert snapshot(docs) == before_docs
    assert snapshot(site) == before_site
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "seeds", "site"]


def test_rebuild_swaps_generated_parts_and_keeps_hand_written_files(seeds_copy: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "guide" / "mine.md", "# Hand-written\n")
    build(seeds_copy, docs, None, log=lambda _m: None)
    unchanged = docs / "topics" / "iran-missile-strikes-2020.md"
    mtime = unchanged.stat().st_mtime_ns
    write(seeds_copy / "other" / "a.txt", article_text("Other"))
    write(seeds_copy / "other" / "b.txt", article_text("Other", "More."))
    result = build(seeds_copy, docs, None, log=lambda _m: None)
    assert {"articles/other/a.md", "articles/other/b.md", "data/other.json", "topics/other.md"} <= set(result.written)
    assert unchanged.stat().st_mtime_ns == mtime
    assert (docs / "guide" / "mine.md").read_text() == "# Hand-written\n"
    shutil.rmtree(seeds_copy / "other")
    result = build(seeds_copy, docs, None, log=lambda _m: None)
    assert "topics/other.md" in result.removed and not (docs / "articles" / "other").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "seeds"]


# --- reproducibility --------------------------------------------------------------------------


def _build_in_subprocess(seeds: Path, out: Path, hash_seed: str, site: bool) -> None:
    args = [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(out / "docs")]
    args += ["--site", str(out / "site")] if site else ["--no-site"]
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(args, check=True, cwd=ROOT, env=env, capture_output=True)


def _copy_in_order(src: Path, dest: Path, reverse: bool) -> None:
    """Copy a seeds folder creating entries in the given order, so directory order on disk differs."""
    for path in sorted(src.rglob("*"), key=lambda p: p.as_posix(), reverse=reverse):
        target = dest / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def _reproducible(tmp_path: Path, site: bool) -> tuple[dict[str, bytes], dict[str, bytes]]:
    seeds = tmp_path / "src"
    shutil.copytree(SEEDS, seeds)
    write(seeds / "loose one.txt", article_text("Loose one"))
    write(seeds / "loose two.txt", article_text("Loose two", "Extra.").encode("cp1252"))
    outputs = []
    for n, (hash_seed, reverse) in enumerate([("1", False), ("2024", True)]):
        copy = tmp_path / f"seeds{n}"
        _copy_in_order(seeds, copy, reverse)
        _build_in_subprocess(copy, tmp_path / f"out{n}", hash_seed, site)
        # the build cache records file times (generator/pipeline/cache.py): not output
        outputs.append({name: data for name, data in snapshot(tmp_path / f"out{n}").items() if "/.cache/" not in name})
    return outputs[0], outputs[1]


def test_docs_and_json_are_byte_identical_across_hash_seeds_and_file_order(tmp_path: Path) -> None:
    first, second = _reproducible(tmp_path, site=False)
    assert any(name.startswith("docs/data/") for name in first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.slow
def test_site_is_byte_identical_across_hash_seeds_and_file_order(tmp_path: Path) -> None:
    first, second = _reproducible(tmp_path, site=True)
    assert "site/index.html" in first
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


# --- a real messy corpus ----------------------------------------------------------------------

MOJIBAKE = ("\ufffd", "â€", "Ã©", "Ã¨", "Â£", "Ł")


def _wikiref_by_label(corpus: Path, seeds: Path) -> None:
    """One folder per label: the file name without its trailing number ("ParisAttacks2015 (7)" → "ParisAttacks2015")."""
    for path in corpus.glob("*.txt"):
        label = re.sub(r"[ .]?\(?\d+\)?$", "", path.stem)
        write(seeds / label / path.name, path.read_bytes())


def _assert_no_mojibake(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.suffix in (".md", ".json", ".html"):
            text = path.read_text(encoding="utf-8")
            assert not [m for m in MOJIBAKE if m in text], path


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["loose files", "folder per label"])
def test_wikiref220_builds_without_mojibake(shared: Path, tmp_path: Path, layout: str) -> None:
    corpus = shared / "corpora" / "wikiref220"
    seeds = tmp_path / "seeds"
    if layout == "loose files":
        shutil.copytree(corpus, seeds)
    else:
        _wikiref_by_label(corpus, seeds)
    site = None if layout == "loose files" else tmp_path / "site"  # one site build keeps CI short
    result = build(seeds, tmp_path / "docs", site, log=lambda _m: None, keep_comparisons=True)
    articles = [a for c in result.comparisons for a in c.topic.articles]
    assert len(articles) == 220
    assert {a.encoding for a in articles} <= {"utf-8", "windows-1252", "iso-8859-1"}
    assert all(w.message == "only one article: nothing to compare it with" for w in result.warnings)
    paris = [a for a in articles if a.id == "ParisAttacks2015 (17)"]
    assert "PARIS—" in paris[0].text
    assert "PARIS—" in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "docs" / "data").glob("*.json"))
    _assert_no_mojibake(tmp_path / "docs")
    if site is not None:
        assert len(list((site / "articles").rglob("index.html"))) == 220
        _assert_no_mojibake(site)
