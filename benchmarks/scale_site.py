"""MkDocs at archive scale, without waiting for the generator: N × k topics made from the real pages of N.

    .venv/bin/python -m benchmarks.scale_site DOCS --copies 1 3 10 --work W [--json FILE]

``DOCS`` is a docs folder the generator wrote (its cache included), for
example ``W/synthetic-1000x6/docs`` of ``benchmarks.run --work W``.  For
each k, ``W/copies-k/docs`` holds every topic of ``DOCS`` k times: copy c of
topic ``s`` is ``s-cc`` in its paths and in every link to it, with the same
pages otherwise, and the index and browse pages are rendered by the
generator's own :func:`~generator.publish.render.render_index` from the
cached summaries (copies titled "… (copy c)").  Then ``mkdocs build`` runs on
it in a fresh process (``benchmarks.run.run_phase``: wall time, peak memory,
pages, search index).  Everything MkDocs does per page (navigation, file
handling, link checks, search, the sitemap) is measured at 1, 3 and 10 times
the archive; the comparison itself is not, since every copy's pages already
exist.  Cost per topic against k = 1 says whether anything grows faster than
the archive.
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.run import run_phase


def topic_files(docs: Path, slug: str) -> list[Path]:
    """Every generated file of one topic: its page(s), its article pages and its JSON."""
    out = [docs / "topics" / f"{slug}.md", docs / "data" / f"{slug}.json"]
    out += sorted((docs / "topics" / slug).rglob("*.md")) if (docs / "topics" / slug).is_dir() else []
    out += sorted((docs / "articles" / slug).rglob("*.md"))
    return [p for p in out if p.is_file()]


def copy_name(slug: str, copy: int) -> str:
    return slug if copy == 1 else f"{slug}-c{copy}"


def replicate(docs: Path, dest: Path, copies: int) -> dict[str, Any]:
    """Write ``dest``: every topic of ``docs`` ``copies`` times, index pages for all of them; returns counts and seconds."""
    from generator.pipeline.build import copy_static_docs
    from generator.publish.render import environment, render_index

    shutil.rmtree(dest, ignore_errors=True)
    slugs = sorted(p.stem for p in (docs / "topics").glob("*.md"))
    for slug in slugs:
        files = [(p.relative_to(docs).as_posix(), p.read_text(encoding="utf-8")) for p in topic_files(docs, slug)]
        for c in range(1, copies + 1):
            new = copy_name(slug, c)
            for rel, text in files:
                if c > 1:
                    rel = rel.replace(f"/{slug}/", f"/{new}/").replace(f"/{slug}.", f"/{new}.")
                    text = text.replace(f"/{slug}/", f"/{new}/").replace(f"/{slug}.json", f"/{new}.json")
                out = dest / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(text, encoding="utf-8")
    summaries = []
    for entry in sorted((docs / ".cache" / "topics").glob("*.pickle")):
        with entry.open("rb") as f:
            pickle.load(f)
            found, _warnings = pickle.load(f)
        summaries += [
            replace(s, slug=copy_name(s.slug, c), title=s.title if c == 1 else f"{s.title} (copy {c})")
            for s in found
            for c in range(1, copies + 1)
        ]
    start = time.perf_counter()
    index = render_index(environment(), summaries)
    seconds = time.perf_counter() - start
    for rel, text in index.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, encoding="utf-8")
    copy_static_docs(dest)
    sizes = {rel: len(text.encode("utf-8")) for rel, text in index.items()}
    return {"topics": len(summaries), "render_index_s": seconds, "index_pages_kb": {rel: n / 1e3 for rel, n in sorted(sizes.items())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="MkDocs on k copies of a generated archive.")
    parser.add_argument("docs", type=Path)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 3, 10])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = []
    for k in args.copies:
        docs, site = args.work / f"copies-{k}" / "docs", args.work / f"copies-{k}" / "site"
        print(f"[{time.strftime('%H:%M:%S')}] {k} copies: writing docs", flush=True)
        made = replicate(args.docs, docs, k)
        print(f"[{time.strftime('%H:%M:%S')}] {k} copies: mkdocs build of {made['topics']} topics", flush=True)
        results.append({"copies": k, **made, "mkdocs": run_phase("mkdocs", docs=str(docs), site=str(site))})
        shutil.rmtree(site, ignore_errors=True)  # gigabytes at 10 copies; the figures are kept
        shutil.rmtree(docs, ignore_errors=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    base = results[0]
    per = base["mkdocs"]["wall"] / base["topics"]
    print("| topics | pages | mkdocs s | per topic vs first | peak MB | search index MB | entries | render_index s | largest index page |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        m = r["mkdocs"]
        biggest = max(r["index_pages_kb"].items(), key=lambda kv: kv[1])
        print(
            f"| {r['topics']} | {m['pages']} | {m['wall']:.1f} | {m['wall'] / r['topics'] / per:.2f} | {m['peak_mb']:.0f} | "
            f"{m['search_index_mb']:.2f} | {m['search_entries']} | {r['render_index_s']:.2f} | {biggest[1]:.0f} ({biggest[0]}) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
