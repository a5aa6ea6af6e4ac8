"""The command line as a user meets it: exit codes, one-line errors, --no-site, other folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.cli import main

from .conftest import ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_missing_seeds_folder_exits_2_with_one_line_naming_it(tmp_path):
    missing = tmp_path / "nope"
    result = run("build", "--seeds", str(missing), "--docs", str(tmp_path / "d"), "--no-site")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(missing) in lines[0] and "not found" in lines[0]
    assert not (tmp_path / "d").exists()


def test_seeds_path_that_is_a_file_exits_2(tmp_path):
    f = tmp_path / "seeds.txt"
    f.write_text("x")
    result = run("build", "--seeds", str(f), "--docs", str(tmp_path / "d"), "--no-site")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"error: {f}: not a folder"


def test_unreadable_article_is_left_out_with_a_warning_and_strict_exits_2(tmp_path, seeds_copy, monkeypatch, capsys):
    bad = seeds_copy / "iran-missile-strikes-2020" / "001_1e0f96428eb82f3b.txt"
    real = os.open

    def refuse(path, *args, **kwargs) -> int:  # root reads a chmod 000 file, so refuse it here
        if Path(path) == bad:
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    warning = f"warning: {bad}: cannot read: Permission denied; article left out"
    code = main(["build", "--seeds", str(seeds_copy), "--docs", str(tmp_path / "d"), "--no-site"])
    assert code == 0 and warning in capsys.readouterr().err.splitlines()
    assert len(list((tmp_path / "d" / "articles").rglob("*.md"))) == 4
    code = main(["build", "--strict", "--seeds", str(seeds_copy), "--docs", str(tmp_path / "s"), "--no-site"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and warning in err and err[-1].startswith("error: 1 input problem(s) with --strict")
    assert not (tmp_path / "s").exists()


def test_build_into_other_folders_leaves_project_untouched(tmp_path):
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "docs").rglob("*") if p.is_file()}
    result = run("build", "--docs", str(tmp_path / "docs"), "--site", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site/index.html").is_file()
    assert (tmp_path / "site/topics/iran-missile-strikes-2020/index.html").is_file()
    assert (tmp_path / "docs/guide/data-contract.md").is_file()
    after = {p: p.stat().st_mtime_ns for p in (ROOT / "docs").rglob("*") if p.is_file()}
    assert after == before
    assert "iran-missile-strikes-2020" in result.stderr  # progress goes to stderr
    assert result.stdout == ""


def test_no_site_stops_after_docs(tmp_path):
    result = run("build", "--docs", str(tmp_path / "docs"), "--site", str(tmp_path / "site"), "--no-site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "docs/topics/iran-missile-strikes-2020.md").is_file()
    assert not (tmp_path / "site").exists()
