"""Injection: hostile article text, titles, metadata and file names show as text and never run.

The payloads set ``window.__pwned`` or call ``alert``; the built pages are
checked statically and then loaded in headless Chromium.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.pipeline.build import build
from generator.pipeline.output import UnsafePath, safe_path
from generator.slug import slugify

from .conftest import serve_folder

SCRIPT = "<script>window.__pwned='script'</script>"
IMG = "<img src=x onerror=\"window.__pwned='img'\">"
SVG = "<svg onload=alert('svg')>"
BREAKOUT = "</title></textarea><script>alert('breakout')</script>"
JS_LINK = "[click](javascript:alert('link'))"
JINJA = "{{ 7*7 }} {% if true %}jinja-ran{% endif %} {{ config.site_name }}"
ATTR = "{: onclick=\"alert('attr')\" }"
PAYLOAD = f"{SCRIPT} {IMG} {SVG} {BREAKOUT} {JS_LINK} {JINJA} **bold** _it_ {ATTR}"
SHARED = (
    "The attack began shortly after midnight when several armed men opened fire on a crowded cafe "
    "in the eleventh district of the city, witnesses told reporters at the scene."
)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile")
    topic = out / "seeds" / f"evil {SCRIPT[:8]}"
    topic.mkdir(parents=True)
    meta = {
        "slug": "../../../escaped",
        "title": PAYLOAD,
        "summary": SCRIPT,
        "articles": {"a <b onmouseover=alert(1)>.txt": {"outlet": BREAKOUT, "url": "javascript:alert('url')"}},
    }
    (topic / "topic.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    (topic / "a <b onmouseover=alert(1)>.txt").write_text(
        f"{PAYLOAD}\r\n\r\n{SHARED}\r\n# Not a heading {IMG}\r\n* not a list {SCRIPT}\r\n    not code\r\n{SHARED}\r\n",
        encoding="utf-8",
    )
    (topic / "b\"onclick=alert(2).md").write_text(
        f"---\n{yaml.safe_dump({'title': BREAKOUT, 'outlet': IMG})}---\n# {SVG}\n\n"
        f"{SHARED}\n\n<div onclick=\"alert('raw')\">raw html {SCRIPT}</div>\n\n"
        f"{JS_LINK} {JINJA}\n\n{SHARED}\n",
        encoding="utf-8",
    )
    build(out / "seeds", out / "docs", out / "site", log=lambda _m: None)
    return out


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_script:
            self.script_text.append(data)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_generated_files_stay_inside_the_output_folders(hostile_build: Path) -> None:
    produced = sorted(p.relative_to(hostile_build).as_posix() for p in hostile_build.rglob("*") if p.is_file())
    assert not (hostile_build.parent / "escaped").exists()
    assert all(name.startswith(("seeds/", "docs/", "site/")) for name in produced)
    assert "docs/topics/escaped.md" in produced
    assert "docs/articles/escaped/a-b-onmouseover-alert-1.md" in produced


def test_no_payload_becomes_markup_in_the_built_html(hostile_build: Path) -> None:
    pages = _pages(hostile_build / "site")
    assert len(pages) >= 4
    for page in pages:
        parser = _Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.found:
            assert tag not in ("svg", "img") or "onerror" not in attrs, page
            for name, value in attrs.items():
                assert not name.startswith("on"), (page, tag, name)
                assert not (value or "").strip().lower().startswith("javascript:"), (page, tag, name)
        assert not any("__pwned" in s or "alert(" in s for s in parser.script_text), page


def test_payloads_show_as_text_on_the_pages(hostile_build: Path) -> None:
    html = (hostile_build / "site" / "topics" / "escaped" / "index.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", html, re.S)
    assert h1 is not None
    assert "&lt;script&gt;window.__pwned='script'&lt;/script&gt;" in h1.group(1)
    assert "{{ 7*7 }}" in h1.group(1) and "**bold** _it_" in h1.group(1) and "\\" not in h1.group(1)
    assert "49" not in h1.group(1)
    parser = _Elements()
    parser.feed((hostile_build / "site" / "articles" / "escaped" / "a-b-onmouseover-alert-1" / "index.html").read_text())
    shown = "".join(parser.text)
    assert IMG in shown and SCRIPT in shown and "# " in shown and "* not a list" in shown
    assert "{% if true %}jinja-ran{% endif %} {{ config.site_name }}" in shown
    assert [tag for tag, _attrs in parser.found].count("h1") == 1


@pytest.mark.browser
def test_no_injected_script_runs_in_chromium(hostile_build: Path, page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    server, url = serve_folder(hostile_build / "site")
    try:
        visited = 0
        for html in _pages(hostile_build / "site"):
            rel = html.relative_to(hostile_build / "site").as_posix()
            if rel == "404.html":
                continue
            page.goto(url + rel, wait_until="load")
            page.wait_for_timeout(50)
            for link in page.locator("a, b, div, p, li").all()[:200]:
                link.dispatch_event("mouseover")
            assert page.evaluate("window.__pwned === undefined"), rel
            assert "breakout" not in page.title() or "‹" in page.title(), rel
            visited += 1
        assert visited >= 4
    finally:
        server.shutdown()
    assert dialogs == []


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd", "..", ".", "C:\\Windows\\system32", "con", "NUL.txt", "index", "", "\x00"]
)
def test_slugs_of_hostile_names_are_plain_path_segments(name: str, tmp_path: Path) -> None:
    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert slug not in ("con", "nul", "index")
    assert safe_path(tmp_path, f"topics/{slug}.md").parent == tmp_path / "topics"


@pytest.mark.parametrize("rel", ["../x.md", "/etc/x.md", "a/../../x.md", "a//b.md", "C:/x.md", "a\\..\\x.md", "", "./x.md"])
def test_safe_path_refuses_to_leave_the_output_folder(rel: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafePath):
        safe_path(tmp_path, rel)
