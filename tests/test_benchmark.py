"""The benchmark suite: synthetic corpora are reproducible, and a CI-sized benchmark runs end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import profile_topics, run
from benchmarks.synth import write_corpus
from generator.pipeline.build import generate_files
from generator.pipeline.runners import Runner


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_topic_is_the_same_whatever_the_corpus_size(tmp_path):
    small = tree(write_corpus(tmp_path / "small", topics=2, articles=4, seed=5))
    large = tree(write_corpus(tmp_path / "large", topics=3, articles=4, seed=5))
    assert small and all(large[rel] == data for rel, data in small.items())
    assert tree(write_corpus(tmp_path / "other", topics=2, articles=4, seed=6)) != small


def test_synthetic_topics_share_passages_across_articles(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", topics=2, articles=4, seed=5)
    comparisons, _files = generate_files(seeds, lambda _m: None, runner=Runner(jobs=1))
    for c in comparisons:
        assert {a.outlet for a in c.topic.articles} >= {"Wire Service", "The Daily Ledger"}
        assert any(len(p.articles) >= 3 for p in c.passages)


def test_the_profiler_profiles_the_topics_of_a_seeds_folder(tmp_path, capsys):
    seeds = write_corpus(tmp_path / "seeds", topics=2, articles=3, seed=5)
    assert profile_topics.main(["--seeds", str(seeds), "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 topics in ") and "stages (wall s): read " in out
    assert "generator/pipeline/topic.py" in out and "(process_topic)" in out


@pytest.mark.slow
def test_benchmark_runs_end_to_end(tmp_path, shared):
    out = tmp_path / "results.json"
    assert (
        run.main(["--topics", "50", "--wikiref", str(shared / "corpora" / "wikiref220"), "--work", str(tmp_path), "--json", str(out)]) == 0
    )
    results = json.loads(out.read_text(encoding="utf-8"))
    synthetic, wikiref = results["corpora"]
    assert synthetic["generate"]["topics"] == 50 and synthetic["generate"]["articles"] == 300
    assert wikiref["generate"]["articles"] == 220
    for corpus in (synthetic, wikiref):
        assert corpus["rebuild"]["redone"] == []
        assert corpus["edit"]["redone"] == [corpus["edited_topic"]]
        assert corpus["reload"]["wall"] > 0
        assert corpus["mkdocs"]["pages"] > corpus["generate"]["topics"]
    assert {name for name, _value, _limit in run.ratios(results)} == set(run.TARGETS) - {"cost per topic / at smallest size"}
    assert results["align"]["wide"]["topics"]["60-articles"]["articles"] == 60
    assert synthetic["floor"]["articles"] == 300
    assert len(list((tmp_path / "synthetic-50x6" / "floor-docs" / "articles").rglob("*.md"))) == 300
    assert "Both ratio targets at once (synthetic 50×6)" in run.table(results)
