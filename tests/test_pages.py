"""The pages: view models, templates and the built site, without a browser.

Comparisons are built by hand here, facts and translation verdicts included,
so the page design is pinned independently of what the pipeline finds.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import get_args
from urllib.parse import urljoin, urlparse

import markdown
import pytest
import yaml

from generator.kinds import DifferenceKind
from generator.models import (
    Article,
    Block,
    Comparison,
    Difference,
    Evidence,
    Fact,
    FactValue,
    Member,
    Passage,
    Span,
    Topic,
    TranslationVerdict,
)
from generator.publish.render import environment, render_index, render_topic
from generator.publish.views import (
    Fragment,
    article_view,
    by_year,
    coverage,
    date_range,
    fragments,
    newest_first,
    passage_view,
    safe_url,
    topic_summary,
)

from .conftest import ROOT

HOSTILE = "<script>alert(1)</script> **bold** [x](javascript:alert(1)) {{ 7*7 }} &amp; <!-- `code` #"


def article(aid: str, text: str, **meta) -> Article:
    """An article whose blocks are its lines (the first is the headline)."""
    blocks, pos = [], 0
    for n, line in enumerate(text.split("\n")):
        if line:
            blocks.append(Block(pos, pos + len(line), "headline" if n == 0 else "paragraph"))
        pos += len(line) + 1
    return Article(id=aid, path=f"t/{aid}.txt", text=text, title=text.split("\n")[0], encoding="utf-8", blocks=tuple(blocks), **meta)


def member(a: Article, needle: str, nth: int = 0) -> Member:
    start = -1
    for _ in range(nth + 1):
        start = a.text.index(needle, start + 1)
    return Member(a.id, start, start + len(needle), needle)


def diff(m: Member, old: str, new: str, kind: str, base: Member) -> Difference:
    """A difference at the first ``new`` inside member ``m`` (an empty ``new`` sits before ``old``'s place)."""
    at = m.start + (m.text.index(new) if new else base.text.index(old))
    return Difference(m.article, at, at + len(new), new, old, kind)


@pytest.fixture
def comparison() -> Comparison:
    """Three outlets share a wire sentence; one changes a number and a word, one is suspected of translation."""
    a = article(
        "a",
        "Strikes hit base\nIran fired 15 missiles at the base, officials said.\nOnly A says this.",
        outlet="Wire",
        published="2020-01-08",
        url="https://example.org/a?x=1&y=2",
    )
    b = article(
        "b",
        "Missiles at dawn\nIran fired 15 missiles at the base, officials said.",
        outlet="Paper",
        published="2020-01-07",
        url="javascript:alert(1)",
    )
    c = article(
        "c",
        "Rockets\nIran fired dozens of rockets at the base, officials told.",
        outlet="Translated",
        published="2020-01-07",
        language="en",
    )
    ma, mb, mc = (
        member(a, "Iran fired 15 missiles at the base, officials said."),
        member(b, "Iran fired 15 missiles at the base, officials said."),
        member(c, "Iran fired dozens of rockets at the base, officials told."),
    )
    p1 = Passage(
        "p1",
        "reuse",
        (ma, mb, mc),
        base=0,
        differences=(
            diff(mc, "15", "dozens of", "number", ma),
            diff(mc, "missiles", "rockets", "wording", ma),
            diff(mc, "said", "told", "translation", ma),
        ),
        similarity=0.8,
    )
    topic = Topic("strikes", "Strikes on the base", (a, b, c), summary="Three outlets, one wire story.")
    facts = (
        Fact(
            "count",
            "missiles fired",
            (
                FactValue("a", ma.start + 11, ma.start + 13, "15", "15"),
                FactValue("c", mc.start + 11, mc.start + 20, "dozens of", "24+", "the Guards"),
            ),
            "conflict",
        ),
        Fact("place", "base", (FactValue("a", 0, 4, "base", "base"), FactValue("b", 0, 4, "base", "base")), "same"),
    )
    verdict = TranslationVerdict(
        True,
        0.91,
        (Evidence("quote drift", mc.end - 5, mc.end - 1, "told", "a quote's verb rendered by a synonym", "a", "said"),),
        source="a",
    )
    return Comparison(
        topic,
        (p1,),
        translation={"c": verdict, "a": TranslationVerdict()},
        facts=facts,
        unique={"a": (Span("a", a.text.index("Only"), len(a.text)),)},
    )


def to_html(page: str) -> str:
    """A generated page through Python-Markdown with the site's extensions, front matter dropped."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    exts = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    body = re.sub(r"\A---\n.*?\n---\n", "", page, flags=re.S)
    return markdown.markdown(body, extensions=exts)


# --- view models ------------------------------------------------------------------------


def test_fragments_cut_text_at_differences_and_keep_every_character():
    text = "Iran fired dozens of rockets at the base"
    start = 100
    diffs = [
        Difference("c", 111, 120, "dozens of", "15", "number"),
        Difference("c", 121, 128, "rockets", "missiles", "wording"),
        Difference("c", 140, 140, "", " by night", "omission"),
        Difference("c", 112, 115, "ozen", "x", "typo"),  # overlaps an earlier one: left out of the inline view
    ]
    segs = fragments(text, start, diffs)
    assert "".join(s.text for s in segs if not s.removed) == text
    assert [(s.text, s.kind) for s in segs if s.kind] == [("dozens of", "number"), ("rockets", "wording"), (" by night", "omission")]
    assert segs[-1].removed and segs[-1].base_text == " by night"


def test_fragments_of_an_unchanged_text_is_one_plain_fragment():
    assert fragments("same words", 5, ()) == (Fragment("same words"),)


def test_passage_view_puts_base_first_and_groups_identical_wordings(comparison):
    articles = {a.id: a for a in comparison.topic.articles}
    view = passage_view(comparison.passages[0], articles, frozenset({"c"}))
    base, changed = view.versions
    assert base.is_base and [p.article.id for p in base.places] == ["a", "b"]
    assert [p.anchors for p in base.places] == [("p1-1",), ("p1-2",)]
    assert not changed.is_base and changed.places[0].anchors == ("p1-3",)
    assert dict(changed.kinds) == {"number": 1, "wording": 1, "translation": 1}
    assert view.suspected


def test_coverage_counts_only_text_shared_with_another_article(comparison):
    cov = {c.article.id: c for c in coverage(comparison)}
    a = comparison.topic.article("a")
    shared = len("Iran fired 15 missiles at the base, officials said.")
    assert cov["a"].shared == shared
    assert cov["a"].chars == sum(b.end - b.start for b in a.blocks)
    assert cov["a"].percent == round(100 * shared / cov["a"].chars)


def test_article_view_marks_passages_and_anchors_each_member_once(comparison):
    a = comparison.topic.article("a")
    blocks = article_view(a, comparison.passages)
    assert ["".join(p.text for p in b.pieces) for b in blocks] == [a.text[b.start : b.end] for b in a.blocks]
    anchors = [x for b in blocks for p in b.pieces for x in p.anchors]
    assert anchors == [("p1-1", "p1")]
    marked = [p.text for b in blocks for p in b.pieces if p.passages]
    assert marked == ["Iran fired 15 missiles at the base, officials said."]


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>", None),
        ('https://x.org/"onmouseover="alert(1)', None),
        ("//example.org", None),
        (None, None),
    ],
)
def test_only_http_addresses_become_links(url, link):
    assert safe_url(url) == link


@pytest.mark.parametrize(
    ("dates", "text"),
    [
        (["2020-01-08", "2020-01-07", None], "7–8 January 2020"),
        (["2020-01-08"], "8 January 2020"),
        (["2019-12-30", "2020-01-02"], "30 December 2019 – 2 January 2020"),
        (["2020-02-27", "2020-03-01T10:00"], "27 February – 1 March 2020"),
        (["yesterday", None], ""),
    ],
)
def test_date_range(dates, text):
    assert date_range(dates) == text


def test_index_order_is_newest_first_with_undated_topics_last(comparison):
    def variant(slug: str, published: str | None) -> Comparison:
        arts = tuple(Article(**{**a.__dict__, "published": published}) for a in comparison.topic.articles)
        return Comparison(Topic(slug, slug.title(), arts), ())

    summaries = [
        topic_summary(variant(s, d)) for s, d in [("old", "2019-05-01"), ("none", None), ("new", "2021-03-02"), ("mid", "2020-07-09")]
    ]
    assert [s.slug for s in newest_first(summaries)] == ["new", "mid", "old", "none"]
    assert [y.name for y in by_year(summaries)] == ["2021", "2020", "2019", "undated"]


# --- rendered pages ---------------------------------------------------------------------


def test_topic_page_shows_findings_facts_translation_and_json_link(comparison):
    files = render_topic(environment(), comparison)
    page = to_html(files["topics/strikes.md"])
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert 'href="../../data/strikes.json"' in page
    assert json.loads(files["data/strikes.json"])["topic"]["slug"] == "strikes"
    # header and summary paragraph
    assert "7–8 January 2020" in text and "Three outlets, one wire story." in text
    assert re.search(r"most shared passage,\s+p1", text)
    assert re.search(r"biggest conflict is on\s+missiles fired\s*:\s*15 \(Wire\) vs 24\+ \(the Guards, in Translated\)", text)
    assert re.search(r"Suspected machine translation:\s+Translated", text)
    # every kind is in the legend, and each difference names its kind in a tooltip and in text
    for kind in get_args(DifferenceKind):
        assert f'value="{kind.replace(" ", "-")}"' in page
    assert re.search(
        r'<mark class="sc-d sc-k-number" title="number: the base reading has “15”">dozens of</mark>'
        r'<sup class="sc-tag sc-k-number" aria-hidden="true">num</sup>',
        page,
    )
    assert 'class="sc-d sc-k-translation"' in page
    # links to each member's place on its article page
    assert 'href="../../articles/strikes/c/#p1-3"' in page
    # facts, translation report and what each article says alone
    assert "≠ conflict" in text and "✓ same" in text and re.search(r"“dozens of”\s+— the Guards", text)
    assert "quote drift" in text and "a quote's verb rendered by a synonym" in text and "likely source: Wire" in text
    assert "Only A says this." in text


def test_a_long_fact_row_shows_a_handful_and_folds_the_rest(comparison):
    a = comparison.topic.articles[0]
    values = tuple(FactValue(a.id, 0, 4, a.text[:4], f"{n}") for n in range(1, 8))
    c = dataclasses.replace(comparison, facts=(Fact("count", "people", values, "conflict"),))
    page = render_topic(environment(), c)["topics/strikes.md"]
    facts = page[page.index("## Facts across outlets") :]
    visible, folded = facts.split('<details class="sc-fact-more">', 1)
    assert visible.count("<li>") == 4 and "<summary>3 more values, 3 more statements</summary>" in folded
    header = page[: page.index("## Articles")]
    assert "biggest conflict is on" in header and "1 (Wire) vs 2 (Wire) vs 3 (Wire) vs 4 (Wire) and other values" in header


def test_the_header_names_no_conflict_where_there_is_none(comparison):
    a, b = comparison.topic.articles[:2]
    spelling = Fact("name", "Erbil", (FactValue(a.id, 0, 4, a.text[:4], "erbil"), FactValue(b.id, 0, 4, b.text[:4], "irbil")), "spelling")
    page = render_topic(environment(), dataclasses.replace(comparison, facts=(spelling,)))["topics/strikes.md"]
    assert "conflict" not in page[: page.index("## Articles")]
    assert "Aa spelling" in page and "Written “" in page


def test_article_page_links_back_and_shows_metadata(comparison):
    files = render_topic(environment(), comparison)
    page_a = to_html(files["articles/strikes/a.md"])
    assert '<a class="sc-ref" id="p1-1" href="../../../topics/strikes/#p1"' in page_a
    assert '<a href="https://example.org/a?x=1&amp;y=2" rel="nofollow noopener">' in page_a
    page_b = to_html(files["articles/strikes/b.md"])
    assert "javascript:" not in re.sub(r"<code>[^<]*</code>", "", page_b)
    assert "<code>javascript:alert(1)</code>" in page_b


def test_untrusted_text_never_becomes_markup(comparison):
    """Hostile text in every field a page shows comes out as the same text, with no element or link."""
    t = comparison.topic
    evil = tuple(
        Article(
            **{
                **a.__dict__,
                "text": a.text.replace("Only A says this.", HOSTILE),
                "title": HOSTILE,
                "outlet": HOSTILE + a.id,
                "note": HOSTILE,
                "byline": HOSTILE,
            }
        )
        for a in t.articles
    )
    unique = {"a": (Span("a", evil[0].text.index(HOSTILE), len(evil[0].text)),)}
    fact = Fact("count", HOSTILE, (FactValue("a", 0, 3, HOSTILE, HOSTILE, HOSTILE),), "conflict")
    c = Comparison(Topic(t.slug, HOSTILE, evil, summary=HOSTILE), comparison.passages, comparison.translation, (fact,), unique)
    files = render_topic(environment(), c)
    files.update(render_index(environment(), [topic_summary(c)]))
    for name, page in files.items():
        if not name.endswith(".md"):
            continue
        out = to_html(page)
        assert "<script" not in out and "<strong>bold" not in out and "<em>" not in out, name
        assert 'href="javascript' not in out and "<!--" not in out and "49" not in out, name
    topic_text = html.unescape(re.sub(r"<[^>]+>", "", to_html(files["topics/strikes.md"])))
    assert topic_text.count(HOSTILE) >= 4  # title, summary, fact, what A says alone


def test_index_pages_list_topics_and_keep_navigation_small(comparison):
    files = render_index(environment(), [topic_summary(comparison)])
    assert set(files) == {"index.md", "browse/2020.md", "browse/outlets.md"}
    index = to_html(files["index.md"])
    assert 'href="topics/strikes/"' in index and 'href="browse/2020/"' in index
    assert "Wire, Paper, Translated" in index
    outlets = to_html(files["browse/outlets.md"])
    assert outlets.count('href="../../topics/strikes/"') == 3
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert len(nav) <= 5  # topics are reached through the index pages, never listed in the nav


# --- the built seed site ------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in ("a", "link") and a.get("href"):
            self.hrefs.append(a["href"])


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.mark.slow
def test_every_internal_link_and_anchor_of_the_seed_site_resolves(seed_site):
    """Raw HTML links are not checked by MkDocs' validation, so check the built site here."""
    site = seed_site / "site"
    base = "http://site.invalid/"
    parsed: dict[Path, _Links] = {}
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        links = parsed.setdefault(page, _parse(page))
        page_url = base + page.relative_to(site).as_posix()
        for href in links.hrefs:
            url = urlparse(urljoin(page_url, href))
            if url.netloc != "site.invalid":
                continue
            target = site / url.path.lstrip("/")
            if target.is_dir() or url.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif url.fragment and target.suffix == ".html":
                if url.fragment not in parsed.setdefault(target, _parse(target)).ids:
                    broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    assert not broken


@pytest.mark.slow
def test_search_indexes_each_passage_once_and_no_article_page(seed_site):
    index = json.loads((seed_site / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in index["docs"]]
    assert not [loc for loc in locations if loc.startswith(("articles/", "browse/2"))]
    data = json.loads((seed_site / "docs" / "data" / "iran-missile-strikes-2020.json").read_text(encoding="utf-8"))
    sections = {d["location"].split("#")[-1]: d["text"] for d in index["docs"] if d["location"].startswith("topics/")}
    checked = 0
    for p in data["passages"]:
        texts = list(dict.fromkeys(m["text"] for m in p["members"]))
        if len(texts) < 2:
            continue
        # a word every version has exactly once: indexed once if only the base reading is indexed
        words = [w for w in set(re.findall(r"[A-Za-z]{6,}", texts[0])) if all(len(re.findall(rf"\b{w}\b", t)) == 1 for t in texts)]
        for w in words:
            assert len(re.findall(rf"\b{w}\b", sections[p["id"]])) == 1, (p["id"], w)
            checked += 1
    assert checked


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


@pytest.mark.slow
def test_serve_rebuilds_the_page_after_a_seed_changes(seeds_copy, tmp_path):
    port = _free_port()
    docs = tmp_path / "docs"
    cmd = [sys.executable, "-m", "generator", "serve", "--seeds", str(seeds_copy), "--docs", str(docs), "--dev-addr", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/articles/iran-missile-strikes-2020/001-1e0f96428eb82f3b/"
    try:

        def wait_for(text: str, timeout: float = 90) -> bool:
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                if text in _get(url):
                    return True
                if proc.poll() is not None:
                    pytest.fail(f"generator serve exited: {proc.stderr.read().decode()[-2000:]}")
                time.sleep(0.5)
            return False

        assert wait_for("National Review")
        seed = seeds_copy / "iran-missile-strikes-2020" / "001_1e0f96428eb82f3b.txt"
        seed.write_bytes(seed.read_bytes() + b"\nA sentence added while serving.\n")
        assert wait_for("A sentence added while serving.")
        seed.write_bytes(seed.read_bytes() + b"\nA second sentence added while serving.\n")
        assert wait_for("A second sentence added while serving.")
        assert not (
            ROOT / "docs" / "articles" / "iran-missile-strikes-2020" / "001-1e0f96428eb82f3b.md"
        ).is_file() or "added while serving" not in (
            ROOT / "docs" / "articles" / "iran-missile-strikes-2020" / "001-1e0f96428eb82f3b.md"
        ).read_text(encoding="utf-8")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    # After two reloads: the address said, the note on incremental previews said once, MkDocs' own warning never.
    said = proc.stderr.read().decode()
    assert f"http://127.0.0.1:{port}/" in said
    assert said.count("previews are incremental") == 1 and "'dirty' build" not in said


VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _vnu_errors(pages: list[Path]) -> dict[str, set[str]]:
    """Nu Html Checker errors per page, as messages without positions."""
    out = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, pages)], capture_output=True, text=True, check=True
    )
    errors: dict[str, set[str]] = {str(p): set() for p in pages}
    for m in json.loads(out.stderr or out.stdout)["messages"]:
        if m["type"] == "error" or m.get("subType") == "fatal":
            errors[urlparse(m["url"]).path].add(m["message"])
    return errors


@pytest.mark.slow
def test_pages_have_no_html_error_beyond_the_themes_empty_page(seed_site, tmp_path):
    if not VNU.is_file() or not shutil.which("java"):
        pytest.fail("vnu-jar or java missing: run ./tasks.sh test, which runs npm ci")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Baseline\ntheme:\n  name: material\n  font: false\n", encoding="utf-8")
    mkdocs_build(load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    baseline = tmp_path / "site" / "index.html"
    site = seed_site / "site"
    ours = [
        site / "index.html",
        *sorted(site.glob("topics/*/index.html")),
        *sorted(site.glob("articles/*/*/index.html")),
        *sorted(site.glob("browse/**/index.html")),
        site / "guide" / "how-to-read" / "index.html",
    ]
    errors = _vnu_errors([baseline, *ours])
    allowed = errors.pop(str(baseline))
    extra = {page: sorted(msgs - allowed) for page, msgs in errors.items() if msgs - allowed}
    assert not extra


def test_generated_pages_skip_markdown_but_render_the_same_html(seed_site):
    """The hooks that set raw HTML aside before Markdown, and excluded parts aside from search, must not
    change what the page shows."""
    import re
    from types import SimpleNamespace

    import markdown

    from generator.pipeline.plugin import SourceComparePlugin

    def convert(text: str) -> str:
        return markdown.markdown(text, extensions=["attr_list", "md_in_html", "toc"])

    import yaml

    plugin = SourceComparePlugin()
    article = min((seed_site / "docs" / "articles").rglob("*.md")).relative_to(seed_site / "docs").as_posix()
    for rel in ("topics/iran-missile-strikes-2020.md", "index.md", article):
        source = (seed_site / "docs" / rel).read_text(encoding="utf-8")
        head, body = source[4:].split("\n---\n", 1) if source.startswith("---\n") else ("", source)
        page = SimpleNamespace(file=SimpleNamespace(src_uri=rel), title=None, content=None, url=rel, meta=yaml.safe_load(head) or {})
        set_aside = plugin.on_page_markdown(body, page, None, None)
        assert len(set_aside) < len(body) / 10  # nearly everything skipped Markdown
        page.content = plugin.on_page_content(convert(set_aside), page, None, None)
        plugin.on_page_context({}, page, None, None)  # the search plugin has indexed the page
        squash = lambda html: re.sub(r">\s+<", "><", html).strip()  # noqa: E731 - blank lines between blocks may differ
        clean = lambda html: re.sub(r'\s?data-search-\w+="[^"]+"', "", html)  # noqa: E731 - as the search plugin does
        assert squash(page.content) == squash(clean(convert(body)))


def test_search_sees_a_topic_page_without_its_excluded_parts_and_indexes_the_same(seed_site):
    """Cutting the ``data-search-exclude`` elements before the search plugin parses a page leaves its entries as they were."""
    from types import SimpleNamespace

    import markdown
    from material.plugins.search.plugin import SearchIndex

    from generator.pipeline.plugin import SourceComparePlugin

    def convert(text: str) -> str:
        return markdown.markdown(text, extensions=["attr_list", "md_in_html", "toc"])

    def entries(content: str) -> list[dict]:
        index = SearchIndex()
        index.add_entry_from_context(SimpleNamespace(meta={}, content=content, toc=[], url="t/", title="T"))
        return index.entries

    rel = "topics/iran-missile-strikes-2020.md"
    body = (seed_site / "docs" / rel).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    page = SimpleNamespace(file=SimpleNamespace(src_uri=rel), title=None, content=None, url=rel, meta={})
    plugin = SourceComparePlugin()
    view = plugin.on_page_content(convert(plugin.on_page_markdown(body, page, None, None)), page, None, None)
    plugin.on_page_context({}, page, None, None)
    whole = convert(body)  # what the search plugin saw before these hooks
    assert "data-search-exclude" in whole and len(view) < 0.75 * len(whole)  # the passages' cards and diffs are a large share
    assert len(entries(view)) > 10
    assert entries(view) == entries(whole)


@pytest.mark.parametrize(
    ("html", "view"),
    [
        ('<p>a</p><div data-search-exclude="true"><div>x</div><div>y</div></div><p>b</p>', "<p>a</p><p>b</p>"),
        ('<div data-search-exclude="true"><div data-search-exclude="true">x</div></div>z', "z"),
        ('<p>a</p><div data-search-exclude="true"><div>unclosed</div>', '<p>a</p><div data-search-exclude="true"><div>unclosed</div>'),
    ],
)
def test_search_view_cuts_whole_excluded_elements_only(html, view):
    from generator.pipeline.plugin import search_view

    assert search_view(html) == view


def _serve_build(docs: Path, site: Path) -> None:
    """One rebuild as ``generator serve`` runs it once the docs are regenerated: MkDocs' dirty build, plugins kept from the last one."""
    from mkdocs.commands.build import build as mkdocs_build

    from generator.pipeline.build import site_config

    config = site_config(docs, site, strict=False)
    config.plugins.on_startup(command="serve", dirty=True)
    mkdocs_build(config, dirty=True)


def _search_entries(site: Path) -> list[tuple[str, str, str]]:
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return sorted((d["location"], d["title"], d["text"]) for d in docs)


def test_a_serve_reload_renders_only_the_changed_topic_and_keeps_search_whole(tmp_path):
    """After a topic's articles change, the preview re-renders that topic's pages (and the lists
    that name it) only, and its search index is the one a full build of the new docs would write:
    no page missing, none twice."""
    from generator.pipeline.build import build

    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds" / "iran-missile-strikes-2020", seeds / "iran-missile-strikes-2020")
    for held in sorted((ROOT / "tests" / "data").iterdir()):
        shutil.copytree(held, seeds / held.name)
    docs, site = tmp_path / "docs", tmp_path / "site"
    build(seeds, docs, None, log=lambda _m: None)
    _serve_build(docs, site)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    time.sleep(0.05)  # a rewritten file gets a later modification time

    topic = seeds / "morocco-earthquake-2023"
    article = sorted(p for p in topic.iterdir() if p.name != "topic.yml")[0]
    article.write_bytes(article.read_bytes() + b"\n\nA sentence added for the preview, with unusualword in it.\n")
    # One more article: the home page and the lists that count articles change too.
    (topic / "05_late_update.txt").write_text(
        "Late update on unusualword\n\n"
        "A later report says the earthquake damaged two more villages near the mountains and that roads were cut.\n",
        encoding="utf-8",
    )
    build(seeds, docs, None, log=lambda _m: None)
    _serve_build(docs, site)

    changed = {p.relative_to(site).parts[:2] for p, mtime in before.items() if p.stat().st_mtime_ns != mtime}
    assert changed and all(
        parts[1] == "morocco-earthquake-2023" for parts in changed if len(parts) > 1 and parts[0] in ("topics", "articles")
    )
    assert not any(parts[0] in ("topics", "articles") and parts[1] != "morocco-earthquake-2023" for parts in changed)

    entries = _search_entries(site)
    assert len({e[0] for e in entries}) == len(entries)
    full = tmp_path / "full-site"
    from generator.pipeline.build import mkdocs_build

    mkdocs_build(docs, full, strict=False)
    assert entries == _search_entries(full)
    assert any("unusualword" in text for _loc, _title, text in entries)


# --- order, groups and the header's count (issue 16) -------------------------------------------


def _pile(n_articles: int = 4) -> tuple[Article, ...]:
    return tuple(
        article(
            f"a{i}",
            f"Head {i}\nThe minister said the bridge will reopen in May after repairs.\nShort shared words here.\n"
            f"Other wording of the same thing {i}.\nOwn text {i}.",
            outlet=f"Outlet {i}",
        )
        for i in range(n_articles)
    )


def _passage(pid: str, kind: str, arts: tuple[Article, ...], needle: str, confidence: float = 1.0, nth: int = 0) -> Passage:
    return Passage(pid, kind, tuple(member(a, needle, nth) for a in arts), confidence=confidence)


def _ordered_comparison() -> Comparison:
    arts = _pile()
    a0, a1, a2, a3 = arts
    twice = article("a4", "Twice\nSaid twice in here.\nSaid twice in here.", outlet="Outlet 4")
    passages = (
        _passage("p1", "paraphrase", (a0, a1, a2), "The minister said the bridge will reopen in May after repairs."),  # 3 × 12 words
        _passage("p2", "reuse", (a0, a1), "Short shared words here."),  # 2 × 4
        _passage("p3", "reuse", (a0, a1, a2, a3), "The minister said the bridge"),  # 4 × 5
        _passage("p4", "paraphrase", (a2, a3), "Other wording of the same thing", confidence=0.3),  # uncertain
        Passage("p5", "reuse", (member(twice, "Said twice in here."), member(twice, "Said twice in here.", 1))),
    )
    return Comparison(Topic("order", "Order", (*arts, twice)), passages)


def test_passages_come_most_shared_first_reuse_before_paraphrase_uncertain_and_single_article_apart():
    from generator.publish.views import passage_groups

    c = _ordered_comparison()
    articles = {a.id: a for a in c.topic.articles}
    groups = passage_groups([passage_view(p, articles) for p in c.passages])
    assert [(g.title, [pv.id for pv in g.passages]) for g in groups] == [
        ("Shared passages", ["p3", "p2", "p1"]),
        ("Possible paraphrases (low confidence)", ["p4"]),
        ("Repeated inside one article", ["p5"]),
    ]


def test_topic_page_counts_the_passages_it_shows_and_labels_the_uncertain_ones():
    c = _ordered_comparison()
    page = to_html(render_topic(environment(), c)["topics/order.md"])
    shown = re.findall(r'<h3 id="(p\d+)"[^>]*>', page)
    assert sorted(shown) == ["p1", "p2", "p3", "p4", "p5"]
    header = re.search(r'class="sc-count">(\d+)<', page)
    assert header and int(header.group(1)) == len(shown) == topic_summary(c).passages
    low = page.index("Possible paraphrases (low confidence)")
    assert page.index('id="p1"') < low < page.index('id="p4"') < page.index("Repeated inside one article") < page.index('id="p5"')
    assert re.search(r'data-kind="paraphrase" data-sources="2 3" data-differs="0" aria-labelledby="p4"', page)
    assert "(low confidence)</span>" in page or "paraphrase (low confidence)" in page


def test_a_big_topic_shows_the_top_passages_whole_and_folds_the_rest():
    from generator.publish.views import FULL_PASSAGES

    line = " ".join(f"word{n}" for n in range(FULL_PASSAGES + 3))
    arts = (article("a0", f"Head\n{line}", outlet="A"), article("a1", f"Head\n{line}", outlet="B"))
    passages = tuple(_passage(f"p{n + 1}", "reuse", arts, " ".join(line.split()[: n + 1])) for n in range(FULL_PASSAGES + 2))
    page = to_html(render_topic(environment(), Comparison(Topic("big", "Big", arts), passages))["topics/big.md"])
    sections = re.findall(r'<section class="sc-passage[^>]*>\s*<h3[^>]*>.*?</h3>\s*(<details|<div class="sc-versions")', page, re.S)
    assert len(sections) == FULL_PASSAGES + 2
    assert sections[FULL_PASSAGES:] == ["<details"] * 2 and "<details" not in sections[:FULL_PASSAGES]
    # the longest first: p12 has the most words
    assert re.findall(r'<h3 id="(p\d+)"', page)[:2] == [f"p{FULL_PASSAGES + 2}", f"p{FULL_PASSAGES + 1}"]


def test_heat_strip_covers_each_article_from_start_to_end(comparison):
    from generator.publish.views import heat

    strips = heat(comparison)
    for a in comparison.topic.articles:
        s = strips[a.id].stretches
        assert s[0][0] == 0 and s[-1][1] == 100 and all(x[1] == y[0] for x, y in zip(s, s[1:]))
    a = comparison.topic.article("a")
    start = a.text.index("Iran fired")
    assert [lv for lo, hi, lv in strips["a"].stretches] == [0, 2, 0]  # the passage two other articles share
    assert strips["a"].stretches[1][0] == round(100 * start / len(a.text), 1)
    assert "var(--sc-heat-2)" in strips["a"].gradient


def test_translation_evidence_is_cut_at_word_boundaries_and_linked_to_its_place(comparison):
    c = comparison
    art = c.topic.article("c")
    at = art.text.index("officials") + 3  # evidence that starts mid-word, as a detector may cut it
    mid = Evidence("drifted quote", at, at + 6, art.text[at : at + 6], "a word changed", "a", "said")
    verdict = TranslationVerdict(True, 0.91, (mid,), source="a")
    files = render_topic(environment(), Comparison(c.topic, c.passages, {"c": verdict}, c.facts, c.unique))
    topic = to_html(files["topics/strikes.md"])
    assert re.search(r'<a href="../../articles/strikes/c/#mt-1"[^>]*>“[^”]*<mark class="sc-evidence">officials</mark>', topic)
    page = to_html(files["articles/strikes/c.md"])
    assert 'id="mt-1"' in page and "suspected translation" in page and "likely from Wire" in page
    assert '<a href="#mt-1">' in page and '<mark class="sc-evidence">officials</mark>' in page


def test_article_page_says_when_its_article_is_not_suspected(comparison):
    page = to_html(render_topic(environment(), comparison)["articles/strikes/a.md"])
    assert "Not suspected of machine translation" in page


def test_article_page_underlines_what_it_says_alone_and_the_topic_page_links_there(comparison):
    files = render_topic(environment(), comparison)
    page = to_html(files["articles/strikes/a.md"])
    assert re.search(r'<span class="sc-alone-ref" id="alone-1"></span><span class="sc-alone">Only A says this.</span>', page)
    assert 'href="../../articles/strikes/a/#alone-1"' in to_html(files["topics/strikes.md"])


# --- a folder topic without topic.yml, read from real files -------------------------------------


def test_a_folder_without_topic_yml_is_titled_by_a_headline_sorted_naturally_and_says_outlet_unknown(shared, tmp_path):
    from generator.ingest.read import discover, read_topic

    sources = sorted((shared / "corpora" / "wikiref220").glob("premier.league.*.txt"))[:11]
    folder = tmp_path / "seeds" / "premier"
    folder.mkdir(parents=True)
    for n, src in enumerate(sources, 1):
        shutil.copy2(src, folder / f"report ({n}).txt")
    topic = read_topic(next(iter(discover(tmp_path / "seeds"))), tmp_path / "seeds")
    assert [a.id for a in topic.articles] == [f"report ({n})" for n in range(1, 12)]
    assert topic.title in {a.title for a in topic.articles} and topic.title != "premier"
    page = to_html(render_topic(environment(), Comparison(topic, ()))["topics/premier.md"])
    header = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="sc-facts-line">.*?</p>', page, re.S).group()))
    assert "outlet unknown" in header and "0 outlets" not in header


def test_passages_beyond_the_page_are_listed_one_line_each_and_shown_whole_on_the_second_page():
    from generator.publish.views import PAGE_PASSAGES

    line = " ".join(f"word{n}" for n in range(PAGE_PASSAGES + 3))
    arts = (article("a0", f"Head\n{line}", outlet="A"), article("a1", f"Head\n{line}", outlet="B"))
    passages = tuple(_passage(f"p{n + 1}", "reuse", arts, " ".join(line.split()[: n + 1])) for n in range(PAGE_PASSAGES + 2))
    files = render_topic(environment(), Comparison(Topic("big", "Big", arts), passages))
    page, more = to_html(files["topics/big.md"]), to_html(files["topics/big/more.md"])
    assert len(re.findall(r'<h3 id="p\d+"', page)) == PAGE_PASSAGES + 2  # every passage has its place on the page
    assert re.findall(r'href="more/#(p\d+)"', page) == ["p2", "p1"]  # the two shortest, listed last
    assert re.findall(r'<h3 id="(p\d+)"', more) == ["p2", "p1"]
    assert 'href="../#p1"' in more and 'href="../../../articles/big/a1/#p1-2"' in more
