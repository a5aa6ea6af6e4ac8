"""MkDocs hooks: regenerate the docs before every build of ``generator serve``; keep page titles
inert; let generated pages' raw HTML skip Markdown.

``mkdocs.yml`` watches ``seeds/`` and ``templates/``; when one changes, MkDocs
rebuilds and this hook first re-runs the generator so the new text is served.
It only acts when ``generator serve`` set ``SOURCE_COMPARE_SEEDS``, so plain
``mkdocs build`` and ``generator build`` do not generate twice.

Generated pages are Markdown headings (for the table of contents) around
blocks of raw HTML that the templates have already escaped.  Python-Markdown
would parse every one of those blocks with an HTML parser only to pass it
through unchanged, which was most of a site build's time; so each block is
set aside before conversion behind a placeholder paragraph and put back into
the converted page.  The page's HTML is the same either way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from generator.build import GENERATED, build, log_stderr
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


# A heading line of a generated page: the templates always set it off with blank lines.
_HEADING = re.compile(r"(?:\A|\n\n)(#{1,6} [^\n]*)(?=\n\n|\n?\Z)")
_PLACEHOLDER = "SCRAWHTML{}X"
_set_aside: dict[str, list[str]] = {}


def is_generated(src_uri: str) -> bool:
    return src_uri.split("/", 1)[0] in GENERATED


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Set aside the raw HTML between a generated page's headings, leaving placeholders."""
    if not is_generated(page.file.src_uri):
        return markdown
    blocks: list[str] = []
    out: list[str] = []
    pos = 0
    for m in [*_HEADING.finditer(markdown), None]:
        chunk = markdown[pos : m.start(1) if m else len(markdown)].strip("\n")
        if chunk.strip():
            out.append(_PLACEHOLDER.format(len(blocks)))
            blocks.append(chunk)
        if m:
            out.append(m.group(1))
            pos = m.end(1)
    _set_aside[page.file.src_uri] = blocks
    return "\n\n".join(out) + "\n"


def on_page_content(html: str, page, config, files) -> str:
    """Put the set-aside HTML back; titles come from article text and themes print them unescaped: make them plain text."""
    blocks = _set_aside.pop(page.file.src_uri, None)
    if blocks:
        html = re.sub(r"<p>SCRAWHTML(\d+)X</p>", lambda m: blocks[int(m.group(1))], html)
    if page.title:
        page.title = plain_title(page.title)
    return html
