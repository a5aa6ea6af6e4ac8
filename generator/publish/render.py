"""Render stage: comparisons in, docs files (Markdown pages and JSON) out, as strings.

Pages are rendered from the Jinja2 templates in ``templates/`` with
autoescaping on: article text is data and is never interpreted as HTML,
Markdown or template syntax.  HTML escaping alone does not stop Markdown: a
line break inside a value would let it start a block of its own (a heading,
an image with an ``{: onerror=… }`` attribute list).  So every value a
template prints goes through :func:`inline_text` (the environment's
``finalize``), which also puts line breaks out as spaces and the marks that
open a link, image, code span or attribute list as entities.  Text that lands
in Markdown context (page titles, headings) goes through :func:`md_escape`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown import Markdown
from markupsafe import Markup

from generator import __version__
from generator.models import SCHEMA, Comparison, MatchEvidence, TranslationVerdict
from generator.publish.views import (
    ALONE_SHOWN,
    FACT_VALUES_SHOWN,
    FINDINGS_SHOWN,
    LATEST_TOPICS,
    TIP_CHARS,
    Fragment,
    TopicSummary,
    article_view,
    by_outlet,
    by_year,
    fact_display,
    fact_groups,
    kind_class,
    kind_tag,
    newest_first,
    relation,
    safe_url,
    shorten,
    snippets,
    topic_view,
)
from generator.slug import slugify, unique_slug

# templates/ at the top of a checkout; generator/templates in an installed wheel (see pyproject.toml).
_CHECKOUT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TEMPLATES = _CHECKOUT_TEMPLATES if _CHECKOUT_TEMPLATES.is_dir() else Path(__file__).resolve().parents[1] / "templates"

# HTML's five specials, as markupsafe.escape writes them.
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}
# Everything str.splitlines() ends a line at; Markdown itself splits at \r and \n.
_LINE_ENDS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# The marks that open a Markdown link or image, a code span or an attribute list, as HTML entities.
_MD_OPENERS = {"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;", "`": "&#96;"}
# inline_text in one pass over the text (escaping, then replacing, then translating was most of the render stage).
_INLINE = str.maketrans({**_HTML, **dict.fromkeys(_LINE_ENDS, " "), **_MD_OPENERS})
_INLINE_SPECIAL = re.compile("[" + re.escape("".join(_HTML) + _LINE_ENDS + "".join(_MD_OPENERS)) + "]")
# md_escape in one pass: &, < and > as HTML (quote=False), then a backslash before each of
# Python-Markdown's own list of characters a backslash turns into plain text (> is already &gt;).
_MD = str.maketrans({**{c: "\\" + c for c in Markdown().ESCAPED_CHARS}, "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def inline_text(value: object) -> Markup:
    """``value`` as text on one line of a generated page: HTML-escaped, line breaks as spaces,
    Markdown's openers as entities.  Markup (a filter's or macro's output) is already safe and passes."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    return Markup(text.translate(_INLINE) if _INLINE_SPECIAL.search(text) else text)


def joined(items: Iterable[object], sep: str = "") -> Markup:
    """Jinja's ``join`` with every item and the separator through :func:`inline_text`."""
    return Markup(inline_text(sep)).join([inline_text(item) for item in items])


def md_escape(text: object) -> Markup:
    """Escape ``text`` for Markdown inline context: HTML-escaped, then every Markdown mark backslashed.

    Only the characters Python-Markdown unescapes get a backslash, so no
    stray backslash ever shows on the page.
    """
    return Markup(" ".join(str(text).translate(_MD).split()))


def plain_title(title: str) -> str:
    """A page title that is safe both as HTML and after ``striptags``, which unescapes entities.

    Themes print page titles unescaped (Material's ``<title>`` runs
    ``striptags``, turning ``&lt;/title&gt;`` back into markup), so the
    title keeps no angle bracket in any spelling: they become ‹ and ›.
    """
    text = html.unescape(re.sub(r"<[^>]*>", "", title))
    return html.escape(text.replace("<", "\u2039").replace(">", "\u203a"))


_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\r\n\x85\u2028\u2029])\s*")


def line_breaks(text: object) -> Markup:
    """Escaped ``text`` with each run of line breaks shown as one ``<br>``, for text that spans paragraphs."""
    parts = _LINE_BREAKS.split(str(text))
    return inline_text(parts[0]) if len(parts) == 1 else Markup("<br>".join([inline_text(part) for part in parts]))


def fragments_html(fragments: Iterable[Fragment]) -> Markup:
    """One version of a passage with its differences marked up (``<mark>``/``<del>``, tag, spoken tip).

    Built here rather than by a template macro: a topic page has thousands of
    fragments, and a macro call per fragment was a large share of rendering.
    """
    return Markup("".join([_fragment_html(s) for s in fragments]))


def _fragment_html(s: Fragment) -> str:
    text = line_breaks(s.text)
    if not s.kind:
        return text
    tag = "del" if s.removed else "mark"
    css, label = _kind_markup(s.kind)
    tip = _tip(s)
    return (
        f'<{tag} class="sc-d sc-k-{css}" title="{tip}">{text}</{tag}>'
        f'<sup class="sc-tag sc-k-{css}" aria-hidden="true">{label}</sup>'
        f'<span class="sc-sr"> ({tip})</span>'
    )


@lru_cache(maxsize=64)
def _kind_markup(kind: str) -> tuple[str, str]:
    """A kind's escaped CSS class suffix and tag, worked out once per kind rather than per difference."""
    return inline_text(kind_class(kind)), inline_text(kind_tag(kind))


def _tip(s: Fragment) -> str:
    """What a difference is, in words: the mark's tooltip and the screen-reader text."""
    kind = inline_text(s.kind)
    base = inline_text(shorten(s.base_text, TIP_CHARS))  # the base card beside it shows the words in full
    if s.removed:
        tip = f"{kind}: missing here; the base reading has “{base}”"
    elif s.base_text:
        tip = f"{kind}: the base reading has “{base}”"
    else:
        tip = f"{kind}: not in the base reading"
    return f"{tip} ({inline_text(s.note)})" if s.note else tip


def environment(templates: Path = TEMPLATES) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=inline_text,
    )
    env.filters["md"] = md_escape
    env.filters["join"] = joined
    env.filters["breaks"] = line_breaks
    env.filters["fragments"] = fragments_html
    env.filters["fact_groups"] = fact_groups
    env.filters["relation"] = relation
    env.filters["fact_display"] = fact_display
    env.globals["FACT_VALUES_SHOWN"] = FACT_VALUES_SHOWN
    env.filters["thousands"] = "{:,}".format
    env.filters["shorten"] = shorten
    return env


def article_slugs(comparison: Comparison) -> dict[str, str]:
    """A unique, path-safe page slug for every article of a topic."""
    slugs: dict[str, str] = {}
    for article in comparison.topic.articles:
        slugs[article.id] = unique_slug(slugify(article.id), slugs.values())
    return slugs


def topic_data(c: Comparison) -> dict[str, Any]:
    """The topic as a ``source-compare/1`` JSON object (see docs/data-contract.md)."""
    verdicts = c.translation
    languages = {a.id: a.language for a in c.topic.articles}
    return {
        "schema": SCHEMA,
        "generator": __version__,
        "topic": {"slug": c.topic.slug, "title": c.topic.title, "summary": c.topic.summary},
        "articles": [
            {
                "id": a.id,
                "path": a.path,
                "outlet": a.outlet,
                "title": a.title,
                "url": a.url,
                "published": a.published,
                "language": a.language,
                "encoding": a.encoding,
                "chars": a.chars,
                "translation": _verdict(verdicts.get(a.id)),
                "unique": [{"start": s.start, "end": s.end, "text": a.text[s.start : s.end]} for s in c.unique.get(a.id, ())],
            }
            for a in c.topic.articles
        ],
        "passages": [
            {
                "id": p.id,
                "kind": p.kind,
                "base": p.base_member.article,
                "similarity": round(p.similarity, 4),
                "confidence": round(p.confidence, 3),
                "evidence": _match(p.evidence),
                "members": [
                    {"article": m.article, "start": m.start, "end": m.end, "text": m.text, "kind": m.kind, "evidence": _match(m.evidence),
                     "language": languages[m.article]}
                    for m in p.members
                ],
                "differences": [
                    {
                        "article": d.article,
                        "start": d.start,
                        "end": d.end,
                        "text": d.text,
                        "base_text": d.base_text,
                        "kind": d.kind,
                        "base_start": d.base_start,
                        "base_end": d.base_end,
                        "note": d.note,
                    }
                    for d in p.differences
                ],
            }
            for p in c.passages
        ],
        "facts": [
            {
                "kind": f.kind,
                "label": f.label,
                "agree": f.agree,
                "relation": f.relation,
                "values": [
                    {"article": v.article, "start": v.start, "end": v.end, "text": v.text, "value": v.value,
                     "attributed_to": v.attributed_to}
                    for v in f.values
                ],
            }
            for f in c.facts
        ],
        "findings": [
            {
                "kind": f.kind,
                "article": f.article,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "other_article": f.other_article,
                "other_start": f.other_start,
                "other_end": f.other_end,
                "other_text": f.other_text,
                "note": f.note,
            }
            for f in c.findings
        ],
        "cross_language": _cross_language(c),
    }


def _cross_language(c: Comparison) -> dict[str, Any] | None:
    """Which articles are versions of one another in other languages, and what each lacks; None for a one-language topic."""
    x = c.cross_language
    if x is None:
        return None
    texts = {a.id: a.text for a in c.topic.articles}

    def stretches(spans: Any) -> list[dict[str, Any]]:
        return [{"start": s.start, "end": s.end, "text": texts[s.article][s.start : s.end]} for s in spans]

    return {
        "note": x.note,
        "renditions": [
            {
                "original": r.original,
                "translation": r.translation,
                "evidence": r.evidence,
                "dropped": stretches(r.dropped),
                "added": stretches(r.added),
            }
            for r in x.renditions
        ],
    }


def _match(e: MatchEvidence | None) -> dict[str, Any] | None:
    """Why two wordings were taken for one statement (paraphrases only; reuse has ``None``)."""
    if e is None:
        return None
    return {"confidence": e.confidence, "model": e.model, "words": e.words, "shared": list(e.shared), "attribution": e.attribution}


def _verdict(v: TranslationVerdict | None) -> dict[str, Any]:
    if v is None:
        return {"suspected": False, "score": 0.0, "evidence": [], "source": None}
    return {
        "suspected": v.suspected,
        "score": round(v.score, 4),
        "source": v.source,
        "evidence": [
            {
                "kind": e.kind,
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "note": e.note,
                "other_article": e.other_article,
                "other_text": e.other_text,
            }
            for e in v.evidence
        ],
    }


def dump_json(data: Any) -> str:
    """Deterministic JSON text: same data, same bytes.  Compact, because only then does Python use
    its C encoder (indenting falls back to the pure-Python one, a fifth of the render stage)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def render_topic(env: Environment, c: Comparison) -> dict[str, str]:
    """The files of one topic, keyed by path relative to the docs folder."""
    slugs = article_slugs(c)
    data = topic_data(c)
    files = {f"data/{c.topic.slug}.json": dump_json(data)}
    view = topic_view(c, slugs)
    ctx = {"v": view, "alone_shown": ALONE_SHOWN, "findings_shown": FINDINGS_SHOWN}
    files[f"topics/{c.topic.slug}.md"] = env.get_template("topic.md.j2").render(ctx)
    if any(g.listed for g in view.groups):
        files[f"topics/{c.topic.slug}/more.md"] = env.get_template("topic_more.md.j2").render(ctx)
    article_page = env.get_template("article.md.j2")
    for cov in view.coverage:
        a = cov.article
        verdict = c.translation.get(a.id)
        evidence = snippets(a, verdict)
        blocks = article_view(a, c.passages, [e for e, _ in evidence], c.unique.get(a.id, ()))
        ctx = {"v": view, "article": a, "coverage": cov, "blocks": blocks, "url": safe_url(a.url), "verdict": verdict, "evidence": evidence}
        files[f"articles/{c.topic.slug}/{slugs[a.id]}.md"] = article_page.render(ctx)
    return files


def render_index(env: Environment, summaries: Sequence[TopicSummary]) -> dict[str, str]:
    """The front page (latest topics) and the browse pages by year and by outlet.

    The navigation lists only these few pages, never one entry per topic, so it
    stays the same size however many topics there are.  Built from summaries
    alone, so a build with nothing changed loads no comparison.
    """
    years = by_year(summaries)
    ctx = {"latest": newest_first(summaries)[:LATEST_TOPICS], "total": len(summaries), "years": years}
    files = {"index.md": env.get_template("index.md.j2").render(ctx)}
    year_page = env.get_template("year.md.j2")
    for year in years:
        files[f"browse/{year.name}.md"] = year_page.render({"year": year})
    files["browse/outlets.md"] = env.get_template("outlets.md.j2").render({"outlets": by_outlet(summaries), "years": years})
    return files
