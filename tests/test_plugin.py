"""The ``source-compare`` MkDocs plugin in a project that is not this one: plain ``mkdocs build`` runs the pipeline."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import SEED_TOPIC

OWN_PAGE = "# Our newsroom\n\nThe desk's own notes, written by hand.\n"
CONFIG = """site_name: A newsroom of its own
plugins:
  - search
  - source-compare:
      seeds: seeds
"""


def foreign_project(root: Path) -> Path:
    """A MkDocs project with a page of its own and a seeds folder holding two articles of the seed topic."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(OWN_PAGE, encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    topic = root / "seeds" / SEED_TOPIC.name
    topic.mkdir(parents=True)
    for article in sorted(SEED_TOPIC.glob("*.txt"))[:2]:
        shutil.copy(article, topic / article.name)
    return root


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--config-file", str(project / "mkdocs.yml")],
        cwd=project.parent,  # folders in mkdocs.yml are the project's, wherever the build runs from
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_plain_mkdocs_build_of_a_foreign_project_adds_comparison_pages_beside_its_own(tmp_path: Path) -> None:
    project = foreign_project(tmp_path / "newsroom")
    done = mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    site = project / "site"
    assert "The desk's own notes, written by hand." in (site / "index.html").read_text(encoding="utf-8")
    topic_page = (site / "topics" / SEED_TOPIC.name / "index.html").read_text(encoding="utf-8")
    assert "2</strong> articles" in topic_page and 'id="passages"' in topic_page
    assert len(list((site / "articles" / SEED_TOPIC.name).glob("*/index.html"))) == 2
    assert (site / "data" / f"{SEED_TOPIC.name}.json").is_file()
    assert "assets/stylesheets/compare.css" in topic_page and (site / "assets" / "stylesheets" / "compare.css").is_file()
    # The project's docs folder holds what it held: the pages were generated beside it.
    assert sorted(p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*")) == ["index.md"]


def test_a_second_build_takes_unchanged_topics_from_the_cache_and_an_edit_reaches_the_site(tmp_path: Path) -> None:
    project = foreign_project(tmp_path / "newsroom")
    assert mkdocs_build(project).returncode == 0
    data = project / "site" / "data" / f"{SEED_TOPIC.name}.json"
    first = data.read_bytes()
    again = mkdocs_build(project)
    assert again.returncode == 0 and "cache: 1 of 1 topics unchanged" in again.stderr
    assert data.read_bytes() == first
    article = sorted((project / "seeds" / SEED_TOPIC.name).glob("*.txt"))[0]
    article.write_bytes(article.read_bytes() + b"\nA paragraph only this newsroom's copy has, about unusualword.\n")
    assert mkdocs_build(project).returncode == 0
    assert b"unusualword" in data.read_bytes()
