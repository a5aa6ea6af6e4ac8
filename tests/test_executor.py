"""Topics in a process pool and on a Dask cluster give the same bytes as one process."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.synth import write_corpus
from generator.cli import main
from generator.ingest.problems import Problem
from generator.ingest.read import discover, read_inputs
from generator.pipeline.build import generate_files
from generator.pipeline.progress import Progress
from generator.pipeline.runners import Runner
from generator.pipeline.topic import process_remote


def quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "seeds", topics=4, articles=3, seed=11)


@pytest.fixture(scope="module")
def serial_files(corpus: Path) -> dict[str, str]:
    return generate_files(corpus, quiet, runner=Runner(jobs=1))[1]


def broken(seeds: Path) -> Path:
    """A copy of a one-topic corpus whose Markdown article has malformed front matter."""
    bad = seeds / "event-0000" / "009-bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    return bad


def test_process_pool_output_is_byte_identical(corpus, serial_files):
    assert generate_files(corpus, quiet, runner=Runner(jobs=2))[1] == serial_files


@pytest.fixture(scope="module")
def dask_scheduler():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def test_dask_output_is_byte_identical(corpus, serial_files, dask_scheduler):
    files = generate_files(corpus, quiet, runner=Runner(executor="dask", scheduler=dask_scheduler))[1]
    assert files == serial_files


def test_dask_input_warning_names_the_client_file(tmp_path, dask_scheduler):
    seeds = write_corpus(tmp_path / "seeds", topics=1, articles=2, seed=3)
    bad = broken(seeds)
    warnings: list[Problem] = []
    generate_files(seeds, quiet, warnings.append, runner=Runner(executor="dask", scheduler=dask_scheduler))
    assert [w.path for w in warnings] == [str(bad)]


def test_pool_input_warnings_come_back_in_discovery_order(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", topics=3, articles=2, seed=3)
    bad = [broken(seeds), seeds / "event-0002" / "009-bad.md"]
    bad[1].write_bytes(bad[0].read_bytes())
    warnings: list[Problem] = []
    generate_files(seeds, quiet, warnings.append, runner=Runner(jobs=2))
    assert [w.path for w in warnings] == [str(p) for p in bad]


def test_worker_with_another_generator_refuses(corpus):
    inputs = read_inputs(discover(corpus)[0], corpus)
    with pytest.raises(RuntimeError, match="another generator"):
        process_remote(inputs, "0" * 64)


def test_plain_progress_lines_are_throttled_but_end_with_the_total():
    lines: list[str] = []
    progress = Progress(5, lines.append, tty=False, every=3600)
    for n in range(5):
        progress.update(f"topic-{n}")
    assert lines == ["[1/5] topic-0", "[5/5] topic-4"]


def test_terminal_progress_is_a_bar(capsys):
    progress = Progress(3, lambda _m: pytest.fail("no plain lines on a terminal"), tty=True)
    for n in range(3):
        progress.update(f"topic-{n}")
    progress.close()
    assert "3/3" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [["--executor", "dask"], ["--scheduler", "tcp://127.0.0.1:8786"], ["--jobs", "0"]],
)
def test_cli_rejects_inconsistent_executor_options(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--no-site", *args])
    assert exit_.value.code == 2
    assert "error:" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_build_on_a_dask_worker_process_matches_a_local_build(corpus, tmp_path):
    """A real worker process: the task, its inputs and its output cross process boundaries."""
    distributed = pytest.importorskip("distributed")
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert main(["build", "--seeds", str(corpus), "--docs", str(local), "--no-site", "--jobs", "1"]) == 0
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        args = ["build", "--seeds", str(corpus), "--docs", str(remote), "--no-site", "--executor", "dask"]
        assert main([*args, "--scheduler", cluster.scheduler_address]) == 0

    def generated(docs: Path) -> dict[str, bytes]:
        return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file() and ".cache" not in p.parts}

    assert generated(remote) == generated(local)


def test_a_fault_on_one_topic_is_reported_by_name_and_the_others_are_published(tmp_path, monkeypatch):
    """A 1,000-topic build once ended on an exception raised by one topic's text; now that topic alone is left out."""
    import generator.pipeline.topic as topic_pipeline

    seeds = write_corpus(tmp_path / "seeds", topics=3, articles=2, seed=5)
    compare = topic_pipeline.compare

    def faulty(topic, passages, crossing):
        if topic.folder.endswith("event-0002"):
            raise StopIteration  # what a generator bug looks like from outside
        return compare(topic, passages, crossing)

    monkeypatch.setattr(topic_pipeline, "compare", faulty)
    warnings: list[Problem] = []
    comparisons, files = generate_files(seeds, quiet, warnings.append, runner=Runner(jobs=1))
    assert len(comparisons) == 2 and not any("event-0002" in path for path in files)
    (warning,) = warnings
    assert warning.path.endswith("event-0002") and "could not be compared (StopIteration" in warning.message


_FROM_WHEEL = """
import json, sys
from pathlib import Path
import generator
from generator.ingest.read import discover, read_inputs
from generator.pipeline.cache import fingerprint
from generator.pipeline.topic import process_topic
seeds = Path(sys.argv[1])
out = process_topic(read_inputs(discover(seeds)[0], seeds))
print(json.dumps({"package": generator.__file__, "fingerprint": fingerprint(), "files": out.files}))
"""


@pytest.mark.slow
def test_a_worker_installed_from_the_wheel_renders_as_the_checkout_does(corpus, tmp_path):
    """A Dask worker is installed from a wheel, not a checkout: the wheel once held no templates, so no page rendered."""
    import json
    import subprocess
    import sys
    import zipfile

    from generator.pipeline.cache import fingerprint
    from generator.pipeline.topic import process_topic

    from .conftest import ROOT

    wheel_build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "wheel"), str(ROOT)]
    subprocess.run(wheel_build, check=True, timeout=600)
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    zipfile.ZipFile(wheel).extractall(tmp_path / "site-packages")  # a pure-Python wheel unpacked is its install
    run = subprocess.run(
        [sys.executable, "-c", _FROM_WHEEL, str(corpus)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site-packages"), "PATH": ""},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    worker = json.loads(run.stdout)
    assert Path(worker["package"]).is_relative_to(tmp_path / "site-packages")
    assert worker["fingerprint"] == fingerprint()  # the client's check accepts this worker
    assert worker["files"] == process_topic(read_inputs(discover(corpus)[0], corpus)).files
