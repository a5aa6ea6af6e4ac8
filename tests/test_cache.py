"""Incremental builds: unchanged topics come from <docs>/.cache, changed ones are re-done."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.synth import write_corpus
from generator.ingest.read import discover, read_inputs
from generator.pipeline import executor
from generator.pipeline.build import build, generate_files
from generator.pipeline.cache import CACHE_DIR, Entry, TopicCache, fingerprint
from generator.pipeline.runners import Runner

SERIAL = Runner(jobs=1)


def quiet(_message: str) -> None:
    pass


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "seeds", topics=3, articles=3, seed=7)


def run(seeds: Path, docs: Path, **kwargs):
    return build(seeds, docs, None, log=quiet, runner=SERIAL, **kwargs)


def snapshot(docs: Path) -> dict[str, tuple[int, bytes]]:
    """Every generated file with its modification time, to tell rewritten files from untouched ones."""
    return {
        p.relative_to(docs).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(docs.rglob("*"))
        if p.is_file() and CACHE_DIR not in p.parts
    }


def test_second_build_redoes_nothing_and_rewrites_nothing(corpus, tmp_path):
    docs = tmp_path / "docs"
    first = run(corpus, docs)
    assert first.stats.redone == ["event-0000", "event-0001", "event-0002"]
    before = snapshot(docs)
    cache_before = {p: p.stat().st_mtime_ns for p in (docs / CACHE_DIR).rglob("*")}
    second = run(corpus, docs)
    assert second.stats.redone == [] and second.stats.cached == 3
    assert second.written == () and second.removed == ()
    assert snapshot(docs) == before
    assert {p: p.stat().st_mtime_ns for p in (docs / CACHE_DIR).rglob("*")} == cache_before


def test_unchanged_build_loads_no_comparison_yet_lists_every_topic(corpus, tmp_path, monkeypatch):
    """The index comes from the entries' summaries; comparisons and pages stay on disk unread."""
    docs = tmp_path / "docs"
    first = run(corpus, docs)
    index = (docs / "index.md").read_bytes()

    def unread(_entry):
        raise AssertionError("an unchanged topic was loaded")

    monkeypatch.setattr(Entry, "comparisons", unread)
    monkeypatch.setattr(Entry, "files", unread)
    second = run(corpus, docs)
    assert second.stats.summaries == first.stats.summaries and len(second.stats.summaries) == 3
    assert (docs / "index.md").read_bytes() == index


def test_editing_one_article_redoes_only_its_topic(corpus, tmp_path):
    docs = tmp_path / "docs"
    run(corpus, docs)
    before = snapshot(docs)
    article = sorted((corpus / "event-0001").glob("*.txt"))[0]
    article.write_bytes(article.read_bytes() + b"\nA late paragraph the wire did not carry.\n")
    result = run(corpus, docs)
    assert result.stats.redone == ["event-0001"]
    after = snapshot(docs)
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    assert changed and all("event-0001" in rel or rel == "index.md" for rel in changed)


def test_topic_yml_is_an_input(corpus, tmp_path):
    docs = tmp_path / "docs"
    run(corpus, docs)
    meta = corpus / "event-0002" / "topic.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("title:", "title: Renamed -", 1), encoding="utf-8")
    assert run(corpus, docs).stats.redone == ["event-0002"]


def test_another_generator_fingerprint_redoes_everything(corpus, tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    run(corpus, docs)
    monkeypatch.setattr(executor, "fingerprint", lambda: "another generator")
    assert run(corpus, docs).stats.redone == ["event-0000", "event-0001", "event-0002"]


def test_cached_output_is_byte_identical_to_a_fresh_build(corpus, tmp_path):
    docs = tmp_path / "docs"
    run(corpus, docs)
    cached = generate_files(corpus, quiet, runner=SERIAL, cache=TopicCache(docs))[1]
    fresh = generate_files(corpus, quiet, runner=SERIAL)[1]
    assert cached == fresh


def test_a_broken_entry_is_rebuilt_not_fatal(corpus, tmp_path):
    docs = tmp_path / "docs"
    run(corpus, docs)
    entries = sorted((docs / CACHE_DIR / "topics").iterdir())
    entries[0].write_bytes(b"not a pickle")
    result = run(corpus, docs)
    assert len(result.stats.redone) == 1
    assert result.written == ()


def test_removed_topic_leaves_no_cache_entry(corpus, tmp_path):
    docs = tmp_path / "docs"
    run(corpus, docs)
    for p in (corpus / "event-0000").iterdir():
        p.unlink()
    (corpus / "event-0000").rmdir()
    run(corpus, docs)
    keys = {read_inputs(s, corpus).key(fingerprint()) for s in discover(corpus)}
    assert {p.stem for p in (docs / CACHE_DIR / "topics").iterdir()} == keys


def test_each_docs_folder_has_its_own_cache(corpus, tmp_path):
    run(corpus, tmp_path / "one")
    assert run(corpus, tmp_path / "two").stats.redone == ["event-0000", "event-0001", "event-0002"]
    assert (tmp_path / "two" / CACHE_DIR / "topics").is_dir()


def test_no_cache_neither_reads_nor_writes_it(corpus, tmp_path):
    docs = tmp_path / "docs"
    run(corpus, docs)
    assert len(run(corpus, docs, use_cache=False).stats.redone) == 3
    run(corpus, tmp_path / "fresh", use_cache=False)
    assert not (tmp_path / "fresh" / CACHE_DIR).exists()


def test_published_site_leaves_the_cache_out(seed_site):
    assert (seed_site / "docs" / CACHE_DIR).is_dir()
    assert not any(CACHE_DIR in p.parts for p in (seed_site / "site").rglob("*"))


def test_a_lost_output_file_is_restored_from_the_cache(corpus, tmp_path):
    docs = tmp_path / "docs"
    run(corpus, docs)
    before = snapshot(docs)
    page = next((docs / "topics").glob("*.md"))
    page.unlink()
    result = run(corpus, docs)
    assert result.stats.redone == []
    assert result.written == (page.relative_to(docs).as_posix(),)
    assert {rel: data for rel, (_t, data) in snapshot(docs).items()} == {rel: data for rel, (_t, data) in before.items()}
