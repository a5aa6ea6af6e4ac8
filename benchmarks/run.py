"""Benchmark the whole build: generator stages, MkDocs, incremental rebuilds, memory.

    python -m benchmarks.run --topics 100 1000 --json benchmarks/results.json

For every synthetic corpus size (see :mod:`benchmarks.synth`) and for
WikiRef220 grouped by its labels, each measurement runs in a fresh
subprocess, so its peak memory is its own:

- ``generate``: the generator into an empty docs folder (stage seconds are
  summed over topics, i.e. over all workers; ``wall`` is elapsed time);
- ``mkdocs``: ``mkdocs build`` of the docs the generator wrote;
- ``plain``: ``mkdocs build`` of a reference site that publishes the same
  articles as one plain page each, no comparison;
- ``floor``: reading every article and writing a page for each over the
  same worker processes: what any generator here must spend before comparing;
- ``rebuild``: the generator again with nothing changed (all from cache);
- ``edit``: the generator after one article changed (one topic re-done);
- ``reload``: then MkDocs' dirty build of that change, as ``generator serve`` reloads;
- ``align``: one topic of 60 articles, and 6-article topics 1×, 4×, 16× as
  long, aligned in one process.

Timings on a shared machine are noisy; the ratios between measurements of
one invocation are what the targets are about.  Peak memory is the largest
sum of resident memory over the measured process and all its descendants
(pool workers included), sampled every 50 ms from /proc; ``peak_process_mb``
is the largest resident memory of any one of those processes.  Long phases
report to stderr as they go (topics done, with the seconds since the phase
began; memory every minute), so a run stopped early still says how far it got.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.synth import write_corpus, write_topic

ROOT = Path(__file__).resolve().parents[1]
WIKIREF = next((p for p in (ROOT.parent / "shared/corpora/wikiref220", Path("/work/shared/corpora/wikiref220")) if p.is_dir()), None)
# What each target compares; (name, measured value, limit, what it depends on).
TARGETS = {
    "generator / mkdocs of its site": 1.0,
    "whole build / plain site": 3.0,
    "rebuild unchanged / first generator": 0.02,
    "cost per topic / at smallest size": 1.3,
    "60-article topic align (s)": 5.0,
    "peak memory, generator (MB)": 2048,
    "peak memory, mkdocs (MB)": 2048,
}


# ---- phases: each runs in its own subprocess and returns a JSON-able dict -------------------------------------------


def phase_generate(seeds: str, docs: str, jobs: int | None) -> dict[str, Any]:
    """``generator build --no-site``: everything before ``mkdocs build``, staging and cache included."""
    from generator.pipeline.build import build
    from generator.pipeline.runners import Runner

    start = time.perf_counter()

    def progress(message: str) -> None:
        if message.startswith("["):  # "[120/1000] event-0119: 6 articles", at most one a second
            print(f"generate {time.perf_counter() - start:8.1f} s {message}", file=sys.stderr, flush=True)

    result = build(Path(seeds), Path(docs), None, log=progress, runner=Runner(jobs))
    wall = time.perf_counter() - start
    stats = result.stats
    assert stats is not None
    return {
        "wall": wall,
        "stages": stats.seconds,
        "topics": stats.topics,
        "redone": stats.redone,
        "articles": sum(s.articles for s in stats.summaries),
        "written": len(result.written),
    }


def phase_mkdocs(docs: str, site: str, strict: bool = True) -> dict[str, Any]:
    """``mkdocs build`` of ``docs`` with the project's settings, and what it produced."""
    from generator.pipeline.build import mkdocs_build

    start = time.perf_counter()
    mkdocs_build(Path(docs), Path(site), strict=strict)
    wall = time.perf_counter() - start
    return {"wall": wall, **site_figures(Path(site))}


def phase_reload(docs: str, site: str) -> dict[str, Any]:
    """MkDocs' dirty build, as a ``generator serve`` reload runs it: only pages newer than the site.

    A fresh process has no previous search index to merge the re-rendered
    pages into (``serve`` keeps it in memory), so the dirty build writes an
    index of those pages alone; the full build's index is put back after, so
    the site stays whole for whatever is measured on it next.
    """
    from mkdocs.commands.build import build as mkdocs_build

    from generator.pipeline.build import site_config

    index = Path(site) / "search" / "search_index.json"
    whole = index.read_bytes() if index.is_file() else None
    config = site_config(Path(docs), Path(site), strict=False)
    config.plugins.on_startup(command="serve", dirty=True)
    start = time.perf_counter()
    mkdocs_build(config, dirty=True)
    wall = time.perf_counter() - start
    if whole is not None:
        index.write_bytes(whole)
    return {"wall": wall}


def phase_plain(seeds: str, docs: str, site: str) -> dict[str, Any]:
    """MkDocs building the same articles as plain pages: the reference a comparison site is held to.

    The pages sit where the comparison site puts its article pages
    (``articles/<topic>/``), beside the same hand-written guides, so both
    sites get the same navigation settings from ``mkdocs.yml``.  Not strict:
    navigation entries that point at generated comparison pages are missing
    here, by design.
    """
    from generator.ingest.read import discover
    from generator.pipeline.build import copy_static_docs

    root = Path(docs)
    shutil.rmtree(root, ignore_errors=True)
    copy_static_docs(root)
    (root / "index.md").write_text("# Articles\n", encoding="utf-8")
    for source in discover(Path(seeds)):
        write_plain_pages(source, Path(seeds), root)
    return phase_mkdocs(docs, site, strict=False)


def write_plain_pages(source: Any, seeds: Path, root: Path) -> int:
    """Read one topic source with the generator's read stage and write each article as a plain page."""
    from generator.ingest.read import read_topic

    topic = read_topic(source, seeds)
    (root / "articles" / topic.slug).mkdir(parents=True, exist_ok=True)
    for n, article in enumerate(topic.articles):
        paras = [html.escape(article.text[b.start : b.end]) for b in article.blocks if b.kind == "paragraph"]
        page = f"# {html.escape(article.title)}\n\n" + "\n\n".join(f"<p>{p}</p>" for p in paras) + "\n"
        (root / "articles" / topic.slug / f"{n}.md").write_text(page, encoding="utf-8")
    return len(topic.articles)


def phase_floor(seeds: str, docs: str, jobs: int | None) -> dict[str, Any]:
    """The least any comparison generator here has to do, with no comparison at all: start, read every
    article with the read stage (decoding, Markdown, front matter, metadata) and write a page for each,
    over as many worker processes as the generator uses."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from generator.ingest.read import discover
    from generator.pipeline.runners import Runner

    start = time.perf_counter()
    root = Path(docs)
    shutil.rmtree(root, ignore_errors=True)
    sources = discover(Path(seeds))
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(Runner(jobs).workers(len(sources)), mp_context=context) as pool:
        articles = sum(pool.map(write_plain_pages, sources, [Path(seeds)] * len(sources), [root] * len(sources), chunksize=16))
    return {"wall": time.perf_counter() - start, "articles": articles}


def phase_align(seeds: str) -> dict[str, Any]:
    """Seconds to align each topic of ``seeds`` in this process, with its size in words."""
    from generator.align.statements import align
    from generator.ingest.read import discover, read_topic

    out = {}
    for source in discover(Path(seeds)):
        topic = read_topic(source, Path(seeds))
        start = time.perf_counter()
        passages = align(topic.articles)
        out[source.folder.name] = {
            "seconds": time.perf_counter() - start,
            "articles": len(topic.articles),
            "words": sum(len(a.text.split()) for a in topic.articles),
            "passages": len(passages),
        }
    return {"topics": out}


def site_figures(site: Path) -> dict[str, Any]:
    """Sizes that make MkDocs slow at scale: pages, HTML per page, navigation share, search index."""
    pages = list(site.rglob("*.html"))
    sizes = [p.stat().st_size for p in pages]
    sample = sorted(pages)[len(pages) // 2] if pages else None
    nav = 0
    if sample is not None:
        text = sample.read_text(encoding="utf-8")
        m = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', text, re.S)
        nav = len(m.group(0).encode()) if m else 0
    index = site / "search" / "search_index.json"
    docs = len(json.loads(index.read_text(encoding="utf-8"))["docs"]) if index.is_file() else 0
    return {
        "pages": len(pages),
        "html_mb": sum(sizes) / 1e6,
        "median_page_kb": (sorted(sizes)[len(sizes) // 2] / 1e3) if sizes else 0,
        "sample_page_nav_kb": nav / 1e3,
        "search_index_mb": index.stat().st_size / 1e6 if index.is_file() else 0,
        "search_entries": docs,
    }


PHASES: dict[str, Callable[..., dict[str, Any]]] = {
    "generate": phase_generate,
    "mkdocs": phase_mkdocs,
    "plain": phase_plain,
    "align": phase_align,
    "floor": phase_floor,
    "reload": phase_reload,
}


# ---- measuring a phase from outside -----------------------------------------------------------------------------


def _tree_rss(root: int) -> tuple[int, int]:
    """Resident bytes of process ``root`` and all its descendants, from /proc: their sum and the largest one."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
                parents[int(entry.name)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
            except (OSError, ValueError):
                continue
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    tree, frontier = {root}, [root]
    while frontier:
        for child in children.get(frontier.pop(), ()):
            tree.add(child)
            frontier.append(child)
    total = largest = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as f:
                rss = int(f.read().split()[1]) * resource.getpagesize()
        except (OSError, ValueError, IndexError):
            continue
        total += rss
        largest = max(largest, rss)
    return total, largest


def run_phase(name: str, **kwargs: Any) -> dict[str, Any]:
    """Run one phase in a fresh interpreter; adds ``peak_mb`` (whole process tree) to its result."""
    cmd = [sys.executable, "-m", "benchmarks.run", "--phase", name, json.dumps(kwargs)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    peak, stop, start = [0, 0], threading.Event(), time.perf_counter()

    def sample() -> None:
        reported = start
        while not stop.wait(0.05):
            if os.path.isdir("/proc"):
                total, largest = _tree_rss(proc.pid)
                peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
                if time.perf_counter() - reported >= 60:
                    reported = time.perf_counter()
                    print(
                        f"{name} {reported - start:8.1f} s memory now {total / 2**20:.0f} MB, peak {peak[0] / 2**20:.0f} MB"
                        f" (largest process {peak[1] / 2**20:.0f} MB)",
                        file=sys.stderr,
                        flush=True,
                    )

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode:
        raise RuntimeError(f"benchmark phase {name} failed with exit code {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak[0] / 2**20
    result["peak_process_mb"] = peak[1] / 2**20
    return result


# ---- a whole benchmark -----------------------------------------------------------------------------------------


def touch_one_article(seeds: Path) -> str:
    """Append a sentence to one article of the middle topic; returns that topic's folder name."""
    folders = sorted(p for p in seeds.iterdir() if p.is_dir())
    folder = folders[len(folders) // 2]
    article = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))[0]
    with article.open("ab") as f:
        f.write(b"\nThis report was updated with new details.\n")
    return folder.name


def bench_corpus(
    label: str, seeds: Path, work: Path, jobs: int | None, plain: bool = True, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Every build measurement on one seeds folder."""
    docs, site = work / "docs", work / "site"
    shutil.rmtree(docs, ignore_errors=True)
    log(f"{label}: generator, first build")
    result: dict[str, Any] = {"label": label, "generate": run_phase("generate", seeds=str(seeds), docs=str(docs), jobs=jobs)}
    log(f"{label}: mkdocs build of the comparison site")
    result["mkdocs"] = run_phase("mkdocs", docs=str(docs), site=str(site))
    if plain:
        log(f"{label}: mkdocs build of the plain reference site")
        result["plain"] = run_phase("plain", seeds=str(seeds), docs=str(work / "plain-docs"), site=str(work / "plain-site"))
        log(f"{label}: reading and writing alone (the generator's floor)")
        result["floor"] = run_phase("floor", seeds=str(seeds), docs=str(work / "floor-docs"), jobs=jobs)
    log(f"{label}: generator, nothing changed")
    result["rebuild"] = run_phase("generate", seeds=str(seeds), docs=str(docs), jobs=jobs)
    edited = work / "edited-seeds"
    shutil.rmtree(edited, ignore_errors=True)
    shutil.copytree(seeds, edited)
    result["edited_topic"] = touch_one_article(edited)
    log(f"{label}: generator, one article changed")
    result["edit"] = run_phase("generate", seeds=str(edited), docs=str(docs), jobs=jobs)
    log(f"{label}: MkDocs reload of the edited topic, as generator serve runs it")
    result["reload"] = run_phase("reload", docs=str(docs), site=str(site))
    return result


def wikiref_by_label(corpus: Path, dest: Path) -> Path:
    """WikiRef220 as a seeds folder: one topic folder per label (file name without its number)."""
    shutil.rmtree(dest, ignore_errors=True)
    for path in sorted(corpus.glob("*.txt")):
        label = re.sub(r"(?: \(\d+\)|\.\d+)$", "", path.stem)
        (dest / label).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / label / path.name)
    return dest


def ratios(results: dict[str, Any]) -> list[tuple[str, float, float]]:
    """``(target, measured, limit)`` for every target the results can speak to."""
    rows = []
    synth = [r for r in results["corpora"] if r["label"].startswith("synthetic")]
    if synth:
        big = synth[-1]
        gen, mk = big["generate"]["wall"], big["mkdocs"]["wall"]
        rows.append(("generator / mkdocs of its site", gen / mk, TARGETS["generator / mkdocs of its site"]))
        if "plain" in big:
            rows.append(("whole build / plain site", (gen + mk) / big["plain"]["wall"], TARGETS["whole build / plain site"]))
        rows.append(("rebuild unchanged / first generator", big["rebuild"]["wall"] / gen, TARGETS["rebuild unchanged / first generator"]))
        if len(synth) > 1:
            small = synth[0]
            per = [(r["generate"]["wall"] + r["mkdocs"]["wall"]) / r["generate"]["topics"] for r in (small, big)]
            rows.append(("cost per topic / at smallest size", per[1] / per[0], TARGETS["cost per topic / at smallest size"]))
        rows.append(("peak memory, generator (MB)", big["generate"]["peak_mb"], TARGETS["peak memory, generator (MB)"]))
        rows.append(("peak memory, mkdocs (MB)", big["mkdocs"]["peak_mb"], TARGETS["peak memory, mkdocs (MB)"]))
    wide = results.get("align", {}).get("wide")
    if wide:
        rows.append(
            ("60-article topic align (s)", max(t["seconds"] for t in wide["topics"].values()), TARGETS["60-article topic align (s)"])
        )
    return rows


def table(results: dict[str, Any]) -> str:
    """The results as Markdown tables: one row per corpus, then the targets."""
    lines = [
        "| corpus | topics | articles | generator s | read | align | compare | render | mkdocs s | plain s | rebuild s | edit s (re-done) "
        "| reload s | gen MB (largest process) | mkdocs MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in results["corpora"]:
        g, st = r["generate"], r["generate"]["stages"]
        plain = f"{r['plain']['wall']:.1f}" if "plain" in r else "–"
        redone = ", ".join(r["edit"]["redone"]) or "none"
        lines.append(
            f"| {r['label']} | {g['topics']} | {g['articles']} | {g['wall']:.2f} | {st['read']:.2f} | {st['align']:.2f} | "
            f"{st['compare']:.2f} | {st['render']:.2f} | {r['mkdocs']['wall']:.1f} | {plain} | "
            f"{r['rebuild']['wall']:.3f} | {r['edit']['wall']:.3f} ({redone}) | {r['reload']['wall']:.2f} | "
            f"{g['peak_mb']:.0f} ({g.get('peak_process_mb', 0):.0f}) | {r['mkdocs']['peak_mb']:.0f} |"
        )
    lines += [
        "",
        "| site | pages | HTML MB | median page kB | nav kB in a page | search index MB | search entries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["corpora"]:
        for name in ("mkdocs", "plain"):
            if name in r:
                s = r[name]
                lines.append(
                    f"| {r['label']} {'comparison' if name == 'mkdocs' else 'plain'} | {s['pages']} | {s['html_mb']:.1f} | "
                    f"{s['median_page_kb']:.1f} | {s['sample_page_nav_kb']:.1f} | {s['search_index_mb']:.2f} | {s['search_entries']} |"
                )
    align = results.get("align", {})
    if align:
        lines += ["", "| align test | articles | words | seconds | µs per word |", "|---|---:|---:|---:|---:|"]
        for group, measured in align.items():
            for name, t in measured["topics"].items():
                lines.append(
                    f"| {group} {name} | {t['articles']} | {t['words']} | {t['seconds']:.3f} | {1e6 * t['seconds'] / t['words']:.1f} |"
                )
    lines += ["", "| target | measured | limit | met |", "|---|---:|---:|---|"]
    for name, value, limit in ratios(results):
        lines.append(f"| {name} | {value:.3g} | {limit:g} | {'yes' if value <= limit else 'NO'} |")
    budget = joint_budget(results)
    if budget:
        lines += ["", budget]
    return "\n".join(lines)


def joint_budget(results: dict[str, Any]) -> str:
    """What the two ratio targets together leave the comparison, on the largest synthetic corpus.

    generator ≤ 1.0 × mkdocs of its site and generator + mkdocs ≤ 3.0 × plain
    give the generator at most min(mkdocs, 3 × plain − mkdocs).  From that,
    take the floor (reading and writing alone); the rest, over all workers, is
    what aligning, comparing and rendering a topic may cost.
    """
    synth = [r for r in results["corpora"] if r["label"].startswith("synthetic") and "floor" in r and "plain" in r]
    if not synth:
        return ""
    r = synth[-1]
    mk, plain = r["mkdocs"]["wall"], r["plain"]["wall"]
    budget = min(TARGETS["generator / mkdocs of its site"] * mk, TARGETS["whole build / plain site"] * plain - mk)
    floor = r["floor"]["wall"]
    topics, workers = r["generate"]["topics"], results["cpus"] or 1
    stages = r["generate"]["stages"]
    spent = (stages["align"] + stages["compare"] + stages["render"]) / topics
    left = max(0.0, budget - floor) * workers / topics
    return (
        f"Both ratio targets at once ({r['label']}): generator ≤ min(mkdocs, 3 × plain − mkdocs) = {budget:.2f} s; reading and "
        f"writing alone take {floor:.2f} s ({floor / budget:.0%} of it), leaving {1e3 * left:.2f} CPU ms per topic for align, "
        f"compare and render over {workers} cores, against {1e3 * spent:.1f} ms measured ({spent / left if left else float('inf'):.1f}×)."
    )


def bench(
    topics: list[int],
    articles: int,
    seed: int,
    jobs: int | None,
    work: Path,
    wikiref: Path | None,
    plain: bool,
    align: bool,
    log: Callable[[str], None],
    checkpoint: Path | None = None,
) -> dict[str, Any]:
    """Every measurement; with ``checkpoint``, the results so far are written there after each corpus."""
    results: dict[str, Any] = {"command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]), "cpus": os.cpu_count(), "corpora": []}
    for n in sorted(topics):
        seeds = work / f"synthetic-{n}x{articles}" / "seeds"
        if not seeds.is_dir():
            log(f"writing synthetic corpus: {n} topics × {articles} articles")
            write_corpus(seeds, n, articles, seed)
        results["corpora"].append(bench_corpus(f"synthetic {n}×{articles}", seeds, seeds.parent, jobs, plain, log))
        if checkpoint is not None:
            checkpoint.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if wikiref is not None:
        seeds = wikiref_by_label(wikiref, work / "wikiref220" / "seeds")
        results["corpora"].append(bench_corpus("wikiref220 by label", seeds, seeds.parent, jobs, plain, log))
    if align:
        log("align: 60-article topic and 6-article topics 1×, 4×, 16× as long")
        wide, long = work / "align-wide", work / "align-long"
        shutil.rmtree(wide, ignore_errors=True)
        shutil.rmtree(long, ignore_errors=True)
        write_topic(wide / "60-articles", seed, 0, 60)
        for factor in (1, 4, 16):
            write_topic(long / f"length-{factor:02d}x", seed, 0, 6, factor)
        results["align"] = {"wide": run_phase("align", seeds=str(wide)), "long": run_phase("align", seeds=str(long))}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the generator and the MkDocs build; prints Markdown tables.")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("phase_args", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--topics", type=int, nargs="+", default=[100], help="synthetic corpus sizes in topics (default: 100)")
    parser.add_argument("--articles", type=int, default=6, help="articles per synthetic topic (default: 6)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None, help="generator worker processes (default: one per core)")
    parser.add_argument("--wikiref", type=Path, default=WIKIREF, help="WikiRef220 folder (default: %(default)s)")
    parser.add_argument("--no-wikiref", action="store_true", help="skip the WikiRef220 corpus")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain reference site")
    parser.add_argument("--no-align", action="store_true", help="skip the alignment scaling topics")
    parser.add_argument("--work", type=Path, help="keep corpora and builds here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON (after each corpus)")
    args = parser.parse_args(argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](**json.loads(args.phase_args))))
        return 0

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    work = args.work or Path(tempfile.mkdtemp(prefix="source-compare-bench-"))
    try:
        wikiref = None if args.no_wikiref else args.wikiref
        results = bench(
            args.topics, args.articles, args.seed, args.jobs, work, wikiref, not args.no_plain, not args.no_align, log, args.json
        )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
