"""Time to first search results in Chromium on a built site, as a reader meets it.

    .venv/bin/python -m benchmarks.search_time SITE [--query WORD ...] [--repeats N] [--json FILE]

``SITE`` is a folder ``mkdocs build`` wrote (for example the 1,000-topic
site of ``benchmarks.run --work W``: ``W/synthetic-1000x6/site``).  It is
served on localhost and opened in Debian's Chromium through Playwright, as
the browser tests do.  Three figures, each the median over ``--repeats``
fresh pages:

- ``ready``: from the start of navigation until Material's search worker has
  fetched and indexed ``search/search_index.json`` (the search box stops
  saying "Initializing search");
- ``cold``: opening ``SITE/?q=WORD`` (search opened with the query by the
  address) until the first result is in the page: what a reader waits for
  when they search at once;
- ``query``: with the index ready, from the key that completes the query
  until its first result is in the page.

Timings are taken inside the page (``performance.now()``), so the harness
adds nothing; on a shared machine only ratios between sites measured in one
run mean much.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import statistics
import sys
import threading
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Records, inside the page, when the search box is ready and when the first result appears.
WATCH = """
window.__search = {ready: null, first: null};
new MutationObserver(() => {
  const s = window.__search;
  if (s.first === null && document.querySelector(".md-search-result__item")) s.first = performance.now();
  const meta = document.querySelector(".md-search-result__meta");
  if (s.ready === null && meta && meta.textContent.trim() && !/Initializing/i.test(meta.textContent)) s.ready = performance.now();
}).observe(document, {childList: true, subtree: true, characterData: true});
"""
# With the index ready: empty the box, then put the query in and release a key, as typing its last letter does.
QUERY = """
async (q) => {
  const input = document.querySelector(".md-search__input");
  const list = document.querySelector(".md-search-result__list");
  input.value = "";
  input.dispatchEvent(new KeyboardEvent("keyup"));
  while (list.querySelector(".md-search-result__item")) await new Promise(r => setTimeout(r, 20));
  return await new Promise(resolve => {
    let start = 0;
    const seen = new MutationObserver(() => {
      if (list.querySelector(".md-search-result__item")) { seen.disconnect(); resolve(performance.now() - start); }
    });
    seen.observe(list, {childList: true, subtree: true});
    input.value = q;
    start = performance.now();
    input.dispatchEvent(new KeyboardEvent("keyup"));
  });
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature from the stdlib
        pass


def measure(site: Path, queries: list[str], repeats: int = 5, timeout_s: float = 120) -> dict[str, Any]:
    """Median ``ready``, ``cold`` and ``query`` milliseconds on ``site`` (see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    ready: list[float] = []
    cold: list[float] = []
    query: dict[str, list[float]] = {q: [] for q in queries}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            for _ in range(repeats):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_init_script(WATCH)
                page = context.new_page()
                page.goto(base + "?q=" + queries[0], wait_until="load")
                page.wait_for_function("window.__search.first !== null", timeout=timeout_s * 1000)
                cold.append(page.evaluate("window.__search.first"))
                context.close()

                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_init_script(WATCH)
                page = context.new_page()
                page.goto(base, wait_until="load")
                page.click(".md-search__input")
                page.wait_for_function("window.__search.ready !== null", timeout=timeout_s * 1000)
                ready.append(page.evaluate("window.__search.ready"))
                for q in queries:
                    query[q].append(page.evaluate(QUERY, q))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    index = site / "search" / "search_index.json"
    return {
        "site": str(site),
        "index_mb": index.stat().st_size / 1e6,
        "entries": len(json.loads(index.read_text(encoding="utf-8"))["docs"]),
        "repeats": repeats,
        "ready_ms": statistics.median(ready),
        "cold_ms": statistics.median(cold),
        "query_ms": {q: statistics.median(t) for q, t in query.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time to first search results in Chromium on a built site.")
    parser.add_argument("sites", type=Path, nargs="+", help="site folders written by mkdocs build")
    parser.add_argument("--query", action="append", help="words to search for (default: galden, wire service, explosion)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    queries = args.query or ["galden", "wire service", "explosion"]
    results = [measure(site, queries, args.repeats) for site in args.sites]
    print("| site | index MB | entries | index ready ms | cold search ms | " + " | ".join(f"“{q}” ms" for q in queries) + " |")
    print("|---|---:|---:|---:|---:|" + "---:|" * len(queries))
    for r in results:
        times = " | ".join(f"{r['query_ms'][q]:.0f}" for q in queries)
        print(f"| {r['site']} | {r['index_mb']:.2f} | {r['entries']} | {r['ready_ms']:.0f} | {r['cold_ms']:.0f} | {times} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
