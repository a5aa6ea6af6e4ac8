"""MkDocs hooks: regenerate the docs before every build of ``generator serve``; keep page titles inert.

``mkdocs.yml`` watches ``seeds/`` and ``templates/``; when one changes, MkDocs
rebuilds and this hook first re-runs the generator so the new text is served.
It only acts when ``generator serve`` set ``SOURCE_COMPARE_SEEDS``, so plain
``mkdocs build`` and ``generator build`` do not generate twice.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.build import build, log_stderr
from generator.read import InputError
from generator.render import plain_title


def on_pre_build(config) -> None:
    seeds = os.environ.get("SOURCE_COMPARE_SEEDS")
    if not seeds:
        return
    try:
        build(Path(seeds), Path(config["docs_dir"]), None)
    except InputError as exc:  # keep serving the last good pages
        log_stderr(f"error: {exc}")


def on_page_content(html: str, page, config, files) -> str:
    """Titles come from article text and themes print them unescaped: make them plain text."""
    if page.title:
        page.title = plain_title(page.title)
    return html
