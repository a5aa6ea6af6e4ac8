"""The code stays clean under ruff and type-checks under mypy (both configured in pyproject.toml).

Run as tests so that ``./tasks.sh test`` (and so CI) fails on a lint or type error, with the tools'
own report as the failure message.
"""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing() -> None:
    done = _run("ruff", "check", "--no-cache", "--output-format", "concise", "generator", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing() -> None:
    done = _run("mypy")  # the files and settings are [tool.mypy] in pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr
