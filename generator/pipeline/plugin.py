"""The MkDocs plugin ``source-compare``: comparison pages from a seeds folder, in any MkDocs site.

``plugins: [search, source-compare: {seeds: seeds}]`` in a project's
``mkdocs.yml`` is all it takes: before every build (``mkdocs build``, each
reload of ``mkdocs serve``) the plugin runs the generator over the seeds
folder, cached and on all cores, into its ``output`` folder, and MkDocs
publishes those pages beside the project's own (a page of the project's own
with the same name, such as its ``index.md``, wins).  A project whose docs
folder the generator owns, like this one, sets ``in_docs: true``.
``generator build`` generates first and then runs MkDocs with this same
plugin, told that the pages are already there; ``generator serve`` passes its
seeds and docs folders as the plugin's options.

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

import re
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.ingest.problems import Unusable
from generator.pipeline.build import GENERATED, build, log_stderr
from generator.publish.render import plain_title

# What generated pages need from the site around them, added to a project that lacks it.
STYLES = ("assets/stylesheets/compare.css",)
SCRIPTS = ("assets/javascripts/compare.js",)
MARKDOWN = ("attr_list", "md_in_html")

# A heading line of a generated page: the templates always set it off with blank lines.
_HEADING = re.compile(r"(?:\A|\n\n)(#{1,6} [^\n]*)(?=\n\n|\n?\Z)")
_PLACEHOLDER = "SCRAWHTML{}X"
_SEARCH_ATTRIBUTE = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")  # what the search plugin strips from every page


def is_generated(src_uri: str) -> bool:
    return src_uri.split("/", 1)[0] in GENERATED


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


class SourceCompareConfig(base.Config):
    """The plugin's options in ``mkdocs.yml``; folders are relative to the ``mkdocs.yml`` they are set in."""

    seeds = c.Type(str, default="seeds")
    in_docs = c.Type(bool, default=False)  # generate into the docs folder itself: the generator owns its generated parts there
    output = c.Type(str, default=".cache/source-compare")  # else: where the pages are generated, to be published beside the project's
    cache = c.Type(bool, default=True)


class SourceComparePlugin(BasePlugin[SourceCompareConfig]):
    """Generate the comparison pages before a build; keep page titles inert; let generated pages' raw HTML skip
    Markdown and their hidden versions skip the search plugin; keep the preview's search index whole."""

    def __init__(self) -> None:
        self.generate = True  # False when the pages were generated before MkDocs started (``generator build``)
        self.seeds = Path("seeds")
        self.output = Path(".cache/source-compare")
        self.set_aside: dict[str, list[str]] = {}  # per page: the raw HTML blocks behind its placeholders
        self.whole: dict[str, bytes] = {}  # per generated page: its HTML (compressed) before the search plugin's view of it
        self.rebuilt: set[str] = set()  # the pages this build rendered
        self.pages: set[str] = set()  # the pages the site has

    def on_config(self, config: Any) -> Any:
        root = Path(config.config_file_path or ".").resolve().parent
        self.seeds = root / self.config.seeds
        self.output = Path(config.docs_dir) if self.config.in_docs else root / self.config.output
        if not self.config.in_docs:  # beside another project's pages: bring what they need
            config.extra_css.extend(s for s in STYLES if s not in config.extra_css)
            config.extra_javascript.extend(s for s in SCRIPTS if s not in [str(j) for j in config.extra_javascript])
            config.markdown_extensions.extend(m for m in MARKDOWN if m not in config.markdown_extensions)
        return config

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.seeds))
        return server

    def on_pre_build(self, config: Any) -> None:
        """Regenerate the pages, so that a build, or a preview's reload, shows the seeds as they are now."""
        if not self.generate:
            return
        try:
            build(self.seeds, self.output, None, use_cache=self.config.cache)
        except (Unusable, OSError) as exc:  # keep serving the last good pages
            log_stderr(f"error: {exc}")

    def on_files(self, files: Files, config: Any) -> Files:
        """Add the generated pages when they are not in the docs folder itself: out of the navigation (a topic is
        reached from the topics' list), and a file of the project's own with the same name wins."""
        if not self.generate or self.config.in_docs or not self.output.is_dir():
            return files
        for path in sorted(p for p in self.output.rglob("*") if p.is_file()):
            rel = path.relative_to(self.output).as_posix()
            if not rel.startswith(".") and files.get_file_from_path(rel) is None:
                files.append(File(rel, str(self.output), config.site_dir, config.use_directory_urls, inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
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
        self.set_aside[page.file.src_uri] = blocks
        return "\n\n".join(out) + "\n"

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        """Put the set-aside HTML back; titles come from article text and themes print them unescaped: make them plain text.

        A generated page is returned as the search plugin needs to see it
        (:func:`search_view`; nothing for a page search leaves out, such as an
        article's); :meth:`on_page_context` restores it whole.
        """
        blocks = self.set_aside.pop(page.file.src_uri, None)
        if blocks:
            html = re.sub(r"<p>SCRAWHTML(\d+)X</p>", lambda m: blocks[int(m.group(1))], html)
        if page.title:
            page.title = plain_title(page.title)
        if is_generated(page.file.src_uri):
            page.markdown = None
            self.whole[page.file.src_uri] = zlib.compress(html.encode("utf-8"), 1)
            return "" if (page.meta.get("search") or {}).get("exclude") else search_view(html)
        return html

    @event_priority(-50)  # after the search plugin has indexed the page, wherever the project lists this plugin
    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        """The whole page again, cleaned as the search plugin cleans pages."""
        self.rebuilt.add(page.url)
        whole = self.whole.pop(page.file.src_uri, None)
        if whole is not None:
            page.content = _SEARCH_ATTRIBUTE.sub("", zlib.decompress(whole).decode("utf-8"))
        return context

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """A generated page is written: nothing later reads its HTML, so MkDocs need not keep it."""
        if is_generated(page.file.src_uri):
            page.content = None
        return output

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        """Before any page is rendered: start counting rebuilt pages, note every page's URL."""
        self.pages = {f.page.url for f in files.documentation_pages() if f.page is not None}
        self.rebuilt = set()
        return env

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, config: Any) -> None:
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
        kept = [e for e in previous.entries if (page := e["location"].split("#", 1)[0]) in self.pages and page not in self.rebuilt]
        current.entries = kept + current.entries
        search.search_index_prev = None  # merged: the plugin writes the index as it now stands
