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

The search plugin then parses each page's HTML to index it, and skips the
elements marked ``data-search-exclude`` (every version of a passage but the
base reading, the coverage matrix): three quarters of a topic page, parsed
only to be skipped.  So the search plugin is shown the page without them and
the whole page is put back after it has indexed; the index and the page are
the same either way.

MkDocs converts every page before it renders any and keeps each page's
Markdown and HTML until the build ends: at 10,000 topics that is several
gigabytes.  So a generated page's Markdown is dropped once converted, its
whole HTML waits compressed until its turn to be rendered, and its HTML is
dropped once the page is written.
"""

from __future__ import annotations

import os
import re
import zlib
from functools import cache
from pathlib import Path

from mkdocs.plugins import event_priority

from generator.ingest.read import InputError
from generator.pipeline.build import GENERATED, build, log_stderr
from generator.publish.render import plain_title


def on_pre_build(config) -> None:
    seeds = os.environ.get("SOURCE_COMPARE_SEEDS")
    if not seeds:
        return
    try:
        build(Path(seeds), Path(config["docs_dir"]), None)
    except (InputError, OSError) as exc:  # keep serving the last good pages
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
    """Put the set-aside HTML back; titles come from article text and themes print them unescaped: make them plain text.

    A generated page is returned as the search plugin needs to see it
    (:func:`search_view`; nothing for a page search leaves out, such as an
    article's); :func:`on_page_context` restores it whole.
    """
    blocks = _set_aside.pop(page.file.src_uri, None)
    if blocks:
        html = re.sub(r"<p>SCRAWHTML(\d+)X</p>", lambda m: blocks[int(m.group(1))], html)
    if page.title:
        page.title = plain_title(page.title)
    if is_generated(page.file.src_uri):
        page.markdown = None
        _whole[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
        return "" if (page.meta.get("search") or {}).get("exclude") else search_view(html)
    return html


_whole: dict[str, bytes] = {}
_SEARCH_ATTRIBUTE = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")  # what the search plugin strips from every page


def on_page_context(context, page, config, nav):
    """After the search plugin (hooks run after plugins): the whole page again, cleaned as the plugin cleans pages."""
    _rebuilt.add(page.url)
    whole = _whole.pop(page.file.src_uri, None)
    if whole is not None:
        page.content = _SEARCH_ATTRIBUTE.sub("", zlib.decompress(whole).decode("utf-8"))
    return context


def on_post_page(output: str, page, config) -> str:
    """A generated page is written: nothing later reads its HTML, so MkDocs need not keep it."""
    if is_generated(page.file.src_uri):
        page.content = None
    return output


_EXCLUDED = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\sdata-search-exclude\b[^>]*>")


def search_view(html: str) -> str:
    """``html`` without the elements marked ``data-search-exclude``, which the search plugin would skip.

    An element whose end cannot be found (not our templates' HTML) is left
    in: the plugin then skips it itself.
    """
    out, pos = [], 0
    for m in _EXCLUDED.finditer(html):
        if m.start() < pos:
            continue  # inside an element already cut
        end = _element_end(html, m.group(1), m.end())
        if end is not None:
            out.append(html[pos : m.start()])
            pos = end
    out.append(html[pos:])
    return "".join(out)


def _element_end(html: str, tag: str, start: int) -> int | None:
    """Offset just past the end tag that closes the ``tag`` element whose start tag ends at ``start``."""
    depth = 1
    for m in _tags(tag).finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return None


@cache
def _tags(tag: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){tag}\b[^>]*>")


# Serve's dirty reloads: which pages this build rendered, and which pages the site has.
_rebuilt: set[str] = set()
_pages: set[str] = set()


def on_env(env, config, files):
    """Before any page is rendered: start counting rebuilt pages, note every page's URL."""
    _pages.clear()
    _pages.update(f.page.url for f in files.documentation_pages() if f.page is not None)
    _rebuilt.clear()
    return env


@event_priority(50)  # before the search plugin writes its index
def on_post_build(config) -> None:
    """Keep the preview's search index whole when ``generator serve`` rebuilds only changed pages.

    Under a dirty reload Material's search plugin indexes only the pages it
    rebuilt and merges them into the previous index, dropping the previous
    entries of the first rebuilt page only (all of them when that page is the
    home page).  A regenerated topic rewrites its topic page and often the
    home page too, so the merge is done here instead: the previous entries of
    every page that was rebuilt or is gone are dropped, the new ones added.
    """
    search = config.plugins.get("material/search")
    previous = getattr(search, "search_index_prev", None)
    current = getattr(search, "search_index", None)
    if previous is None or current is None or previous is current:
        return
    kept = [e for e in previous.entries if (page := e["location"].split("#", 1)[0]) in _pages and page not in _rebuilt]
    current.entries = kept + current.entries
    search.search_index_prev = None  # merged: the plugin writes the index as it now stands
