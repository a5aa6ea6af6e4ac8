"""View models: what the topic, article and index pages show, computed from a :class:`Comparison`.

Pure functions, no markup: the templates decide how things look, this module
decides what there is to see (inline differences cut into segments, how much
of each article is shared, which passage each stretch of an article belongs
to, the findings that the page's summary states).  Every text piece is an
exact slice of an article's decoded text, so nothing here can lose offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from .kinds import BY_NAME, KINDS, MINOR
from .models import Article, Comparison, Difference, Fact, FactValue, Member, Passage, Rendition, TranslationVerdict
from .read import WEB_URL
from .relations import BY_NAME as RELATIONS
from .relations import Relation

# How many topics the front page lists before pointing to the pages by year.
LATEST_TOPICS = 50
# Kinds that are editing noise rather than a change of what is said.
MINOR_KINDS = MINOR
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# The short label printed after each highlighted difference, so kinds are told apart without colour.
KIND_TAGS = {k.name: k.tag for k in KINDS}


def kind_tag(kind: str) -> str:
    return KIND_TAGS.get(kind, kind[:5])


def kind_class(kind: str) -> str:
    """CSS class suffix for a difference kind: ``spelling variant`` → ``spelling-variant``."""
    if kind in BY_NAME:
        return BY_NAME[kind].css
    return re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "other"


# --- inline differences -------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A stretch of one member's text as the page shows it.

    ``kind`` is None for text that matches the base reading.  A ``removed``
    segment stands for base words the member lacks: its ``text`` is the base
    reading's words, shown struck through at the place they would be.
    """

    text: str
    kind: str | None = None
    base_text: str = ""
    note: str = ""
    removed: bool = False


def segments(text: str, start: int, diffs: Iterable[Difference]) -> tuple[Segment, ...]:
    """Cut ``text`` (which begins at article offset ``start``) at its differences.

    Differences outside the text or overlapping an earlier one are left out of
    the inline view (they stay in the JSON).
    """
    out: list[Segment] = []
    cursor, end = start, start + len(text)
    for d in sorted(diffs, key=lambda d: (d.start, d.end)):
        if d.start < cursor or d.end > end:
            continue
        if d.start > cursor:
            out.append(Segment(text[cursor - start : d.start - start]))
        if d.start == d.end:
            out.append(Segment(d.base_text, d.kind, d.base_text, d.note, removed=True))
        else:
            out.append(Segment(text[d.start - start : d.end - start], d.kind, d.base_text, d.note))
        cursor = d.end
    if cursor < end or not out:
        out.append(Segment(text[cursor - start :]))
    return tuple(out)


@dataclass(frozen=True)
class Place:
    """Where a wording sits in one article: the anchors of its places on the article page."""

    article: Article
    anchors: tuple[str, ...]


@dataclass(frozen=True)
class Version:
    """One card of a passage: a wording and every place that has exactly this wording."""

    places: tuple[Place, ...]
    segments: tuple[Segment, ...]
    is_base: bool
    kinds: tuple[tuple[str, int], ...]

    @property
    def changed(self) -> int:
        return sum(n for _, n in self.kinds)


@dataclass(frozen=True)
class PassageView:
    passage: Passage
    versions: tuple[Version, ...]
    kinds: tuple[tuple[str, int], ...]
    suspected: bool

    @property
    def id(self) -> str:
        return self.passage.id

    @property
    def articles(self) -> int:
        return len(self.passage.articles)


def member_anchor(passage: Passage, index: int) -> str:
    """The id of a member's place on its article page (unique within that page)."""
    return f"{passage.id}-{index + 1}"


def passage_view(p: Passage, articles: dict[str, Article], suspected: frozenset[str] = frozenset()) -> PassageView:
    """The passage's cards: the base reading first, then one card per distinct wording.

    Members with the same text share a card, so a passage that fifty outlets
    copied verbatim is one card listing fifty places, not fifty cards.
    """
    of_article: dict[str, list[Member]] = {}
    for m in p.members:
        of_article.setdefault(m.article, []).append(m)
    by_member: dict[tuple[str, int, int], list[Difference]] = {}
    for d in p.differences:
        for m in of_article.get(d.article, ()):
            if m.start <= d.start and d.end <= m.end:
                by_member.setdefault((m.article, m.start, m.end), []).append(d)
                break
    base = p.base_member
    groups: dict[str, list[tuple[int, Member]]] = {base.text: []}
    for i, m in enumerate(p.members):
        groups.setdefault(m.text, []).append((i, m))
    versions = []
    for text, members in groups.items():
        is_base = text == base.text
        first = base if is_base else members[0][1]
        diffs = () if is_base else by_member.get((first.article, first.start, first.end), ())
        anchors: dict[str, list[str]] = {}
        for i, m in members:
            anchors.setdefault(m.article, []).append(member_anchor(p, i))
        versions.append(
            Version(
                places=tuple(Place(articles[a], tuple(ids)) for a, ids in anchors.items()),
                segments=segments(first.text, first.start, diffs),
                is_base=is_base,
                kinds=tuple(sorted(Counter(d.kind for d in diffs).items())),
            )
        )
    kinds = tuple(sorted(Counter(d.kind for d in p.differences).items()))
    return PassageView(p, tuple(versions), kinds, any(a in suspected for a in p.articles))


# --- how much of each article is shared ---------------------------------------------------


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of ``(start, end)`` spans."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif e > s:
            out.append((s, e))
    return out


def covered(spans: Iterable[tuple[int, int]], within: Iterable[tuple[int, int]]) -> int:
    """Characters of the union of ``spans`` that fall inside the union of ``within``."""
    a, b = merged(spans), merged(within)
    total = i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0, hi - lo)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass(frozen=True)
class Coverage:
    """Churnalism's "% pasted": how much of an article's own text other articles share."""

    article: Article
    chars: int
    shared: int

    @property
    def percent(self) -> int:
        return round(100 * self.shared / self.chars) if self.chars else 0


def coverage(c: Comparison) -> tuple[Coverage, ...]:
    """Shared characters per article, counting only passages that reach another article."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for p in c.passages:
        if len(p.articles) > 1:
            for m in p.members:
                spans.setdefault(m.article, []).append((m.start, m.end))
    out = []
    for a in c.topic.articles:
        content = [(b.start, b.end) for b in a.content_blocks()]
        out.append(Coverage(a, sum(e - s for s, e in merged(content)), covered(spans.get(a.id, ()), content)))
    return tuple(out)


@dataclass(frozen=True)
class Cell:
    """One article's presence in one passage, for the coverage matrix."""

    state: str  # "base", "same", "changed" or "" (absent)
    changes: int = 0
    count: int = 0


def matrix(c: Comparison) -> dict[tuple[str, str], Cell]:
    """Cells keyed by ``(article id, passage id)``; absent pairs are simply missing."""
    cells: dict[tuple[str, str], Cell] = {}
    for p in c.passages:
        changes = Counter(d.article for d in p.differences if d.kind not in MINOR_KINDS)
        count = Counter(m.article for m in p.members)
        for a in p.articles:
            if a == p.base_member.article:
                state = "base"
            else:
                state = "changed" if changes[a] else "same"
            cells[(a, p.id)] = Cell(state, changes[a], count[a])
    return cells


# --- article pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A stretch of an article page's text, with the passages that cover it."""

    text: str
    passages: tuple[str, ...] = ()
    anchors: tuple[tuple[str, str], ...] = ()  # (anchor id, passage id) of members starting here


@dataclass(frozen=True)
class BlockView:
    kind: str
    pieces: tuple[Piece, ...]


def article_view(article: Article, passages: Sequence[Passage]) -> tuple[BlockView, ...]:
    """The article's blocks cut where its shared passages begin and end.

    Each member's anchor is placed on the first piece it covers, so the topic
    page can link to the exact place of a passage in the article.
    """
    members = [(m.start, m.end, p.id, member_anchor(p, i)) for p in passages for i, m in enumerate(p.members) if m.article == article.id]
    members.sort()
    placed: set[str] = set()
    blocks = []
    for b in article.blocks:
        if b.kind == "markup":
            continue
        inside = [m for m in members if m[0] < b.end and b.start < m[1]]
        cuts = sorted({b.start, b.end} | {x for s, e, _, _ in inside for x in (s, e) if b.start < x < b.end})
        pieces = []
        for lo, hi in zip(cuts, cuts[1:]):
            over = [m for m in inside if m[0] < hi and lo < m[1]]
            new = tuple((anchor, pid) for _, _, pid, anchor in over if anchor not in placed)
            placed.update(anchor for anchor, _ in new)
            pieces.append(Piece(article.text[lo:hi], tuple(dict.fromkeys(pid for _, _, pid, _ in over)), new))
        blocks.append(BlockView(b.kind, tuple(pieces)))
    return tuple(blocks)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address a link may point to, else None (shown as text only)."""
    if url and WEB_URL.match(url.strip()):
        return url.strip()
    return None


# --- dates ----------------------------------------------------------------------------------


def parse_date(value: str | None) -> date | None:
    if value and _ISO_DATE.match(str(value)):
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    return None


def format_date(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def date_range(values: Iterable[str | None]) -> str:
    """``7–8 January 2020`` style range of the ISO dates among ``values``; empty when none parse."""
    dates = sorted(d for d in map(parse_date, values) if d)
    if not dates:
        return ""
    lo, hi = dates[0], dates[-1]
    if lo == hi:
        return format_date(lo)
    if (lo.year, lo.month) == (hi.year, hi.month):
        return f"{lo.day}–{format_date(hi)}"
    if lo.year == hi.year:
        return f"{lo.day} {lo:%B} – {format_date(hi)}"
    return f"{format_date(lo)} – {format_date(hi)}"


# --- the topic page as a whole --------------------------------------------------------------


@dataclass(frozen=True)
class Findings:
    """What the page's summary paragraph says the comparison found."""

    most_shared: PassageView | None
    disagreement: Fact | None  # the conflict that the most articles take part in
    # value, (article, who states it) for the first few, how many more
    disagreement_values: tuple[tuple[str, tuple[tuple[str, str | None], ...], int], ...]
    most_changed: PassageView | None
    suspected: tuple[tuple[Article, TranslationVerdict], ...]


def outlets(articles: Iterable[Article]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a.outlet for a in articles if a.outlet))


# How many values of a fact the page shows before folding the rest behind a disclosure, and how many
# sources of each value the header names.
FACT_VALUES_SHOWN = 4
HEADER_SOURCES = 3


def fact_groups(fact: Fact) -> tuple[tuple[str, tuple[FactValue, ...]], ...]:
    """A fact's distinct values with the statements of each, in the facts stage's order (values that conflict first)."""
    groups: dict[str, list[FactValue]] = {}
    for v in fact.values:
        groups.setdefault(v.value, []).append(v)
    return tuple((value, tuple(vs)) for value, vs in groups.items())


@dataclass(frozen=True)
class FactDisplay:
    """A fact row as the page shows it: a handful of values with a handful of statements each, the rest folded."""

    shown: tuple[tuple[str, tuple[FactValue, ...], int], ...]  # value, its first statements, how many more are folded
    folded: tuple[tuple[str, tuple[FactValue, ...]], ...]
    more_values: int

    @property
    def more_statements(self) -> int:
        return sum(len(vs) for _, vs in self.folded)


def fact_display(fact: Fact, n: int = FACT_VALUES_SHOWN) -> FactDisplay:
    groups = fact_groups(fact)
    shown = tuple((value, vs[:n], max(0, len(vs) - n)) for value, vs in groups[:n])
    folded = tuple((value, vs[n:]) for value, vs in groups[:n] if len(vs) > n) + groups[n:]
    return FactDisplay(shown, folded, len(groups[n:]))


def relation(fact: Fact) -> Relation:
    return RELATIONS[fact.relation]


def findings(views: Sequence[PassageView], c: Comparison) -> Findings:
    shared = [v for v in views if v.articles > 1]
    most_shared = max(shared, key=lambda v: (v.articles, len(v.passage.base_member.text)), default=None)
    conflicts = [f for f in c.facts if f.relation == "conflict"]
    disagreement = max(conflicts, key=lambda f: (len({v.article for v in f.values}), -len(fact_groups(f))), default=None)

    def substantive(v: PassageView) -> int:
        return sum(n for k, n in v.kinds if k not in MINOR_KINDS)

    most_changed = max((v for v in views if substantive(v)), key=substantive, default=None)
    articles = {a.id: a for a in c.topic.articles}
    suspected = tuple(
        sorted(
            ((articles[aid], v) for aid, v in c.translation.items() if v.suspected and aid in articles),
            key=lambda av: -av[1].score,
        )
    )
    groups = fact_groups(disagreement)[:FACT_VALUES_SHOWN] if disagreement else ()
    sources = [tuple(dict.fromkeys((v.article, v.attributed_to) for v in vs)) for _, vs in groups]
    values = tuple((value, who[:HEADER_SOURCES], max(0, len(who) - HEADER_SOURCES)) for (value, _), who in zip(groups, sources))
    return Findings(most_shared, disagreement, values, most_changed, suspected)


@dataclass(frozen=True)
class TopicView:
    c: Comparison
    articles: dict[str, Article]
    slugs: dict[str, str]
    outlets: tuple[str, ...]
    dates: str
    passages: tuple[PassageView, ...]
    coverage: tuple[Coverage, ...]
    matrix: dict[tuple[str, str], Cell]
    findings: Findings
    kinds: tuple[str, ...]

    def label(self, article_id: str) -> str:
        """How the page names an article: its outlet, else its file id."""
        a = self.articles.get(article_id)
        return (a.outlet or a.id) if a else article_id


def topic_view(c: Comparison, slugs: dict[str, str], kinds: Sequence[str]) -> TopicView:
    articles = {a.id: a for a in c.topic.articles}
    suspected = frozenset(aid for aid, v in c.translation.items() if v.suspected)
    views = tuple(passage_view(p, articles, suspected) for p in c.passages)
    return TopicView(
        c=c,
        articles=articles,
        slugs=slugs,
        outlets=outlets(c.topic.articles),
        dates=date_range(a.published for a in c.topic.articles),
        passages=views,
        coverage=coverage(c),
        matrix=matrix(c),
        findings=findings(views, c),
        kinds=tuple(kinds),
    )


# --- index pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicSummary:
    """One topic as the index pages list it; small, so an index of thousands stays cheap."""

    slug: str
    title: str
    articles: int
    outlets: tuple[str, ...]
    first: date | None
    last: date | None
    dates: str  # the range as pages show it, formatted once with the topic rather than at every index build
    passages: int
    suspected: int

    @property
    def year(self) -> str:
        return str(self.last.year) if self.last else "undated"


def topic_summary(c: Comparison) -> TopicSummary:
    dates = sorted(d for d in (parse_date(a.published) for a in c.topic.articles) if d)
    return TopicSummary(
        slug=c.topic.slug,
        title=c.topic.title,
        articles=len(c.topic.articles),
        outlets=outlets(c.topic.articles),
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        dates=date_range(d.isoformat() for d in dates[:1] + dates[-1:]),
        passages=sum(1 for p in c.passages if len(p.articles) > 1),
        suspected=sum(1 for v in c.translation.values() if v.suspected),
    )


def newest_first(summaries: Iterable[TopicSummary]) -> list[TopicSummary]:
    """Dated topics newest first, then undated ones; ties by title so the order is stable."""
    dated = sorted((s for s in summaries if s.last), key=lambda s: (s.title.casefold(), s.slug))
    dated.sort(key=lambda s: s.last, reverse=True)  # stable: titles stay alphabetical within a day
    undated = sorted((s for s in summaries if not s.last), key=lambda s: (s.title.casefold(), s.slug))
    return dated + undated


@dataclass(frozen=True)
class Year:
    """One page of the archive: a year's topics, newest first, by month."""

    name: str
    months: tuple[tuple[str, tuple[TopicSummary, ...]], ...]

    @property
    def count(self) -> int:
        return sum(len(topics) for _, topics in self.months)


def by_year(summaries: Sequence[TopicSummary]) -> tuple[Year, ...]:
    """Newest-first topics grouped by year (``undated`` last), and within a year by month."""
    years: dict[str, dict[str, list[TopicSummary]]] = {}
    for s in newest_first(summaries):
        month = f"{s.last:%B %Y}" if s.last else "No date"
        years.setdefault(s.year, {}).setdefault(month, []).append(s)
    return tuple(Year(y, tuple((m, tuple(ts)) for m, ts in months.items())) for y, months in years.items())


def by_outlet(summaries: Sequence[TopicSummary]) -> list[tuple[str, list[TopicSummary]]]:
    """Every outlet with the topics it appears in, outlets alphabetically."""
    outlets_: dict[str, list[TopicSummary]] = {}
    for s in newest_first(summaries):
        for o in s.outlets:
            outlets_.setdefault(o, []).append(s)
    return sorted(outlets_.items(), key=lambda kv: kv[0].casefold())


# --- across languages -----------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of a cross-language passage: its article, language and text, changed figures and names marked."""

    article: Article
    language: str
    segments: tuple[Segment, ...]
    original: bool  # the evidence names this article the original


@dataclass(frozen=True)
class AlignedPair:
    passage: Passage
    left: Side  # the original, or the article not in the topic's main language
    right: Side


@dataclass(frozen=True)
class RenditionView:
    rendition: Rendition
    original: Article
    translation: Article
    pairs: tuple[AlignedPair, ...]
    figures: int  # translation differences about figures
    names: int


@dataclass(frozen=True)
class CrossLanguageView:
    note: str
    renditions: tuple[RenditionView, ...]


def across_languages(c: Comparison) -> CrossLanguageView | None:
    """Each article beside its version in another language, passage by passage; None for a one-language topic."""
    from .crosslang import language_name

    x = c.cross_language
    if x is None:
        return None
    articles = {a.id: a for a in c.topic.articles}
    out = []
    for r in x.renditions:
        pairs = []
        for p in x.passages:
            if set(p.articles) != {r.original, r.translation}:
                continue
            by = {m.article: m for m in p.members}
            o, t = by[r.original], by[r.translation]
            marks = [replace(d, start=d.base_start, end=d.base_end, text=d.base_text, base_text=d.text) for d in p.differences]
            sides = [
                Side(articles[m.article], language_name(articles[m.article].language), segments(m.text, m.start, diffs), m is o and bool(r.evidence))
                for m, diffs in ((o, marks), (t, p.differences))
            ]
            pairs.append(AlignedPair(p, *sides))
        notes = Counter(d.note.split()[0] for p in pairs for d in p.passage.differences)
        out.append(RenditionView(r, articles[r.original], articles[r.translation], tuple(pairs), notes["figure"], notes["name"]))
    return CrossLanguageView(x.note, tuple(out))
