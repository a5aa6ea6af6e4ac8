"""MkDocs hook that regenerates the docs before every build of ``generator serve``.

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


def on_pre_build(config) -> None:
    seeds = os.environ.get("SOURCE_COMPARE_SEEDS")
    if not seeds:
        return
    try:
        build(Path(seeds), Path(config["docs_dir"]), None)
    except InputError as exc:  # keep serving the last good pages
        log_stderr(f"error: {exc}")
