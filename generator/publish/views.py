"""View models: what the topic, article and index pages show, computed from a :class:`Comparison`.

Pure functions, no markup: the templates decide how things look, this module
decides what there is to see (inline differences cut into fragments, how much
of each article is shared, which passage each stretch of an article belongs
to, the highlights that the page's summary states).  Every text piece is an
exact slice of an article's decoded text, so nothing here can lose offsets.
:class:`TopicView` is all a topic page's templates see: they never reach into
the :class:`Comparison` behind it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from generator.ingest.read import WEB_URL
from generator.kinds import BY_NAME, KINDS, MINOR, Kind
from generator.models import (
    Article,
    Comparison,
    Difference,
    Evidence,
    Fact,
    FactValue,
    Finding,
    Member,
    Passage,
    Rendition,
    Span,
    Topic,
    TranslationVerdict,
)
from generator.relations import BY_NAME as RELATIONS
from generator.relations import Relation
from generator.slug import natural_key

# How many topics the front page lists before pointing to the pages by year.
LATEST_TOPICS = 50
# Kinds that are editing noise rather than a change of what is said.
MINOR_KINDS = MINOR
# How many passages a topic page shows in full; the others are folded under a one-line summary,
# so a topic of any size opens on its most shared passages and stays light.
FULL_PASSAGES = 10
# How many passages the topic page holds (the first FULL_PASSAGES whole, the others folded); the rest are
# listed one line each and shown side by side on the topic's second page.
PAGE_PASSAGES = 60
# Paraphrases the aligner is less sure of than this are listed apart, never beside confident matches.
LOW_CONFIDENCE = 0.9
# How many of the most shared passages the coverage table shows as columns; the rest are counted.
COVERAGE_COLUMNS = 6
# A difference's base reading longer than this is shortened in its tooltip (the base card shows it whole).
TIP_CHARS = 80
# How many stretches "said alone" and findings per article the topic page lists; the article page has them all.
ALONE_SHOWN = 5
FINDINGS_SHOWN = 8
# How far an evidence snippet may grow to reach a word boundary on either side.
WORD_REACH = 30
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# The short label printed after each highlighted difference, so kinds are told apart without colour.
KIND_TAGS: dict[str, str] = {k.name: k.tag for k in KINDS}


def kind_tag(kind: str) -> str:
    return KIND_TAGS.get(kind, kind[:5])


def kind_class(kind: str) -> str:
    """CSS class suffix for a difference kind: ``spelling variant`` → ``spelling-variant``."""
    if kind in BY_NAME:
        return BY_NAME[kind].css
    return re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "other"


# --- inline differences -------------------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """A stretch of one member's text as the page shows it.

    ``kind`` is None for text that matches the base reading.  A ``removed``
    fragment stands for base words the member lacks: its ``text`` is the base
    reading's words, shown struck through at the place they would be.
    """

    text: str
    kind: str | None = None
    base_text: str = ""
    note: str = ""
    removed: bool = False


def fragments(text: str, start: int, diffs: Iterable[Difference]) -> tuple[Fragment, ...]:
    """Cut ``text`` (which begins at article offset ``start``) at its differences.

    Differences outside the text or overlapping an earlier one are left out of
    the inline view (they stay in the JSON).
    """
    out: list[Fragment] = []
    cursor, end = start, start + len(text)
    for d in sorted(diffs, key=lambda d: (d.start, d.end)):
        if d.start < cursor or d.end > end:
            continue
        if d.start > cursor:
            out.append(Fragment(text[cursor - start : d.start - start]))
        if d.start == d.end:
            out.append(Fragment(d.base_text, d.kind, d.base_text, d.note, removed=True))
        else:
            out.append(Fragment(text[d.start - start : d.end - start], d.kind, d.base_text, d.note))
        cursor = d.end
    if cursor < end or not out:
        out.append(Fragment(text[cursor - start :]))
    return tuple(out)


@dataclass(frozen=True)
class ArticlePlaces:
    """Where a wording sits in one article: the anchors of its places on the article page.

    (Not ``align.reuse.Place``, which is an article's words prepared for alignment.)
    """

    article: Article
    anchors: tuple[str, ...]


@dataclass(frozen=True)
class Version:
    """One card of a passage: a wording and every place that has exactly this wording."""

    places: tuple[ArticlePlaces, ...]
    fragments: tuple[Fragment, ...]
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

    @property
    def differs(self) -> bool:
        """Whether some version changes what is said (more than punctuation, capitals or spelling)."""
        return any(k not in MINOR_KINDS for k, _ in self.kinds)

    @property
    def uncertain(self) -> bool:
        return is_uncertain(self.passage)


def share_weight(p: Passage) -> int:
    """How widely and how much a passage is shared: its articles times the words of its base reading."""
    return len(p.articles) * len(p.base_member.text.split())


def is_uncertain(p: Passage) -> bool:
    """A paraphrase the aligner is not confident of: shown apart, as a possibility only."""
    return p.kind == "paraphrase" and p.confidence < LOW_CONFIDENCE


def most_shared_first(passages: Iterable[Passage]) -> tuple[Passage, ...]:
    """Reuse before paraphrase, then the widest and longest first; ties in id order (p2 before p10)."""
    return tuple(sorted(passages, key=lambda p: (p.kind != "reuse", -share_weight(p), natural_key(p.id))))


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
                places=tuple(ArticlePlaces(articles[a], tuple(ids)) for a, ids in anchors.items()),
                fragments=fragments(first.text, first.start, diffs),
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


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + "…"


def word_span(text: str, start: int, end: int, reach: int = WORD_REACH) -> tuple[int, int]:
    """``start``/``end`` moved outwards to the nearest word boundaries (at most ``reach`` characters each way)."""
    lo, hi = max(0, start), min(len(text), end)
    floor, ceiling = max(0, lo - reach), min(len(text), hi + reach)
    while lo > floor and text[lo - 1].isalnum() and lo < len(text) and text[lo].isalnum():
        lo -= 1
    while hi < ceiling and hi > 0 and text[hi - 1].isalnum() and text[hi].isalnum():
        hi += 1
    return lo, hi


# Heat levels of the coverage strip: how many other articles share a stretch of text.
HEAT_LEVELS = ((4, 3), (2, 2), (1, 1))


def heat_level(others: int) -> int:
    """0 for own text, 1 for text one other article shares, 2 for two or three, 3 for four or more."""
    return next((level for least, level in HEAT_LEVELS if others >= least), 0)


@dataclass(frozen=True)
class Heat:
    """Where along one article its text is shared, and how widely: ``(from %, to %, level)`` stretches."""

    stretches: tuple[tuple[float, float, int], ...]

    @property
    def gradient(self) -> str:
        """The strip as a CSS gradient with hard stops, one stop pair per stretch (compact at any size)."""
        stops = [f"var(--sc-heat-{level}) {lo:g}% {hi:g}%" for lo, hi, level in self.stretches]
        return f"linear-gradient(90deg, {', '.join(stops)})" if stops else "none"


def heat(c: Comparison) -> dict[str, Heat]:
    """One strip per article: its text from first to last character, each stretch at the level of
    the widest passage covering it."""
    edges: dict[str, list[tuple[int, int, int]]] = {}
    for p in c.passages:
        others = len(p.articles) - 1
        if others:
            for m in p.members:
                edges.setdefault(m.article, []).append((m.start, m.end, heat_level(others)))
    out = {}
    for a in c.topic.articles:
        length = max(1, len(a.text))
        spans = edges.get(a.id, [])
        cuts = sorted({0, length} | {x for s, e, _ in spans for x in (s, e)})
        stretches: list[list[float | int]] = []
        for lo, hi in zip(cuts, cuts[1:]):
            level = max((lv for s, e, lv in spans if s < hi and lo < e), default=0)
            a_lo, a_hi = round(100 * lo / length, 1), round(100 * hi / length, 1)
            if stretches and stretches[-1][2] == level:
                stretches[-1][1] = a_hi
            elif a_hi > a_lo:
                stretches.append([a_lo, a_hi, level])
        out[a.id] = Heat(tuple((float(lo), float(hi), int(lv)) for lo, hi, lv in stretches))
    return out


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
    evidence: tuple[str, ...] = ()  # anchor ids of translation evidence starting here
    alone: bool = False  # said in no other article
    alone_anchors: tuple[str, ...] = ()  # anchor ids of "said alone" stretches starting here


@dataclass(frozen=True)
class BlockView:
    kind: str
    pieces: tuple[Piece, ...]


def evidence_anchor(index: int) -> str:
    """The id of a piece of translation evidence on its article page."""
    return f"mt-{index + 1}"


def alone_anchor(index: int) -> str:
    """The id of a stretch the article says alone, on its article page."""
    return f"alone-{index + 1}"


def article_view(
    article: Article, passages: Sequence[Passage], evidence: Sequence[Evidence] = (), alone: Sequence[Span] = ()
) -> tuple[BlockView, ...]:
    """The article's blocks cut where its shared passages, translation evidence and text said nowhere
    else begin and end.

    Each member's anchor is placed on the first piece it covers, so the topic
    page can link to the exact place of a passage in the article; evidence and
    "said alone" anchors go where they start (or on the next block shown, when
    that is a block the page leaves out).
    """
    members = [(m.start, m.end, p.id, member_anchor(p, i)) for p in passages for i, m in enumerate(p.members) if m.article == article.id]
    members.sort()
    shown = [b for b in article.blocks if b.kind != "markup"]
    starts: dict[int, list[tuple[str, bool]]] = {}  # offset -> (anchor, is evidence) of the anchors placed there
    placings = [(e.start, evidence_anchor(i), True) for i, e in enumerate(evidence)]
    placings += [(u.start, alone_anchor(i), False) for i, u in enumerate(alone)]
    for at, anchor, is_evidence in placings:
        block = next((b for b in shown if at < b.end), shown[-1] if shown else None)
        if block is not None:
            starts.setdefault(min(max(at, block.start), block.end), []).append((anchor, is_evidence))
    own = merged((u.start, u.end) for u in alone)
    placed: set[str] = set()
    blocks = []
    for b in shown:
        inside = [m for m in members if m[0] < b.end and b.start < m[1]]
        marks = {x for x in starts if b.start < x < b.end} | {x for span in own for x in span if b.start < x < b.end}
        cuts = sorted({b.start, b.end} | marks | {x for s, e, _, _ in inside for x in (s, e) if b.start < x < b.end})
        pieces = []
        for lo, hi in zip(cuts, cuts[1:]):
            over = [m for m in inside if m[0] < hi and lo < m[1]]
            new = tuple((anchor, pid) for _, _, pid, anchor in over if anchor not in placed)
            placed.update(anchor for anchor, _ in new)
            here = [(a, is_evidence) for a, is_evidence in starts.get(lo, ()) if a not in placed]
            placed.update(a for a, _ in here)
            said_alone = any(s <= lo and hi <= e for s, e in own)
            passages_here = tuple(dict.fromkeys(pid for _, _, pid, _ in over))
            mt, own_here = tuple(a for a, is_ev in here if is_ev), tuple(a for a, is_ev in here if not is_ev)
            pieces.append(Piece(article.text[lo:hi], passages_here, new, mt, said_alone, own_here))
        blocks.append(BlockView(b.kind, tuple(pieces)))
    return tuple(blocks)


@dataclass(frozen=True)
class Snippet:
    """A piece of evidence in its sentence: whole words before and after it, the evidence itself marked."""

    before: str
    text: str
    after: str
    anchor: str


def snippet(article: Article, e: Evidence, index: int, reach: int = 2 * WORD_REACH) -> Snippet:
    """Evidence widened to whole words, with up to ``reach`` characters of context cut at word boundaries."""
    text = article.text
    lo, hi = word_span(text, e.start, e.end)
    left = text[max(0, lo - reach) : lo]
    if lo - reach > 0 and " " in left:
        left = "…" + left.split(" ", 1)[1]
    right = text[hi : hi + reach]
    if hi + reach < len(text) and " " in right:
        right = right.rsplit(" ", 1)[0] + "…"
    return Snippet(left.rsplit("\n", 1)[-1], text[lo:hi], right.split("\n", 1)[0], evidence_anchor(index))  # context stays in its paragraph


def snippets(article: Article, verdict: TranslationVerdict | None) -> tuple[tuple[Evidence, Snippet], ...]:
    """Each piece of the article's translation evidence with its snippet and its anchor on the article page."""
    return tuple((e, snippet(article, e, i)) for i, e in enumerate(verdict.evidence)) if verdict else ()


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
class Highlights:
    """What the page's summary paragraph says the comparison found.

    (Not the comparison's ``findings``, which are the odd things inside single articles.)
    """

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


def highlights(views: Sequence[PassageView], c: Comparison) -> Highlights:
    shared = [v for v in views if v.articles > 1 and not v.uncertain]
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
    return Highlights(most_shared, disagreement, values, most_changed, suspected)


@dataclass(frozen=True)
class PassageGroup:
    """One section of the topic page's passages: the first ``full`` shown whole, those up to ``paged``
    folded, the rest listed one line each with their versions on the topic's second page."""

    key: str
    title: str
    note: str
    passages: tuple[PassageView, ...]
    full: int = 0
    paged: int = 0

    @property
    def shown(self) -> tuple[PassageView, ...]:
        return self.passages[: self.full]

    @property
    def folded(self) -> tuple[PassageView, ...]:
        return self.passages[self.full : self.paged]

    @property
    def listed(self) -> tuple[PassageView, ...]:
        return self.passages[self.paged :]


def passage_groups(views: Sequence[PassageView], full: int = FULL_PASSAGES, paged: int = PAGE_PASSAGES) -> tuple[PassageGroup, ...]:
    """The page's passages, most shared first: confident matches across articles, then possible
    paraphrases (low confidence), then passages repeated inside one article.  The first ``full``
    confident ones are shown whole and the page holds ``paged`` passages in all (repeats inside one
    article are only listed); empty groups are left out."""
    ordered = {p.id: i for i, p in enumerate(most_shared_first(v.passage for v in views))}
    views = sorted(views, key=lambda v: ordered[v.id])
    uncertain = tuple(v for v in views if v.uncertain)
    shared = tuple(v for v in views if not v.uncertain and v.articles > 1)
    inside = tuple(v for v in views if not v.uncertain and v.articles == 1)
    left = max(0, paged - len(shared))
    groups = (
        PassageGroup(
            "shared-passages",
            "Shared passages",
            "Reuse first, then paraphrase; within each, the passages in most articles and with most words first.",
            shared,
            min(full, paged),
            paged,
        ),
        PassageGroup(
            "possible-paraphrases",
            "Possible paraphrases (low confidence)",
            "Passages that may say the same thing in other words; the match is uncertain, so check them before relying on them.",
            uncertain,
            0,
            left,
        ),
        PassageGroup(
            "repeated-inside-one-article",
            "Repeated inside one article",
            "Passages one article has more than once, shared with no other article.",
            inside,
        ),
    )
    return tuple(g for g in groups if g.passages)


@dataclass(frozen=True)
class Source:
    """A choice of the page's outlet filter: an outlet (or, when unknown, one article) and its articles."""

    label: str
    articles: tuple[str, ...]


def sources(articles: Sequence[Article]) -> tuple[Source, ...]:
    """Outlets in page order, each with its articles; an article of unknown outlet stands for itself."""
    out: dict[str, list[str]] = {}
    for a in articles:
        out.setdefault(a.outlet or a.id, []).append(a.id)
    return tuple(Source(label, tuple(ids)) for label, ids in out.items())


@dataclass(frozen=True)
class TopicView:
    """Everything a topic's pages show, and all their templates see (no :class:`Comparison` behind it)."""

    topic: Topic
    articles: dict[str, Article]
    slugs: dict[str, str]
    outlets: tuple[str, ...]
    dates: str
    passages: tuple[PassageView, ...]
    groups: tuple[PassageGroup, ...]
    coverage: tuple[Coverage, ...]
    heat: dict[str, Heat]
    matrix: dict[tuple[str, str], Cell]
    columns: tuple[PassageView, ...]
    sources: tuple[Source, ...]
    highlights: Highlights
    kinds: tuple[Kind, ...]  # the legend: every kind of difference, in the table's order
    suspected: frozenset[str]  # ids of the articles suspected of machine translation
    verdicts: dict[str, TranslationVerdict]  # by article id, in page order, for the articles analysed
    facts: tuple[Fact, ...]
    alone: tuple[tuple[Article, tuple[str, ...]], ...]  # each article with the stretches of text no other article has
    inside: tuple[tuple[Article, tuple[Finding, ...], tuple[tuple[str, int], ...]], ...]
    cross_language: CrossLanguageView | None

    def label(self, article_id: str) -> str:
        """How the page names an article: its outlet, else its file id."""
        a = self.articles.get(article_id)
        return (a.outlet or a.id) if a else article_id

    def href(self, root: str, article_id: str, anchor: str = "") -> str:
        """The link to an article's page (at ``anchor``) from a page ``root`` below the site root.

        A method, not a template macro: a topic page has thousands of links, and
        a macro call for each was a large share of rendering.
        """
        return f"{root}articles/{self.topic.slug}/{self.slugs[article_id]}/" + (f"#{anchor}" if anchor else "")

    def source_ids(self, pv: PassageView) -> str:
        """The outlet filter's choices a passage belongs to, as the page's ``data-sources`` lists them."""
        ids = pv.passage.articles
        return " ".join(str(i) for i, s in enumerate(self.sources) if any(a in ids for a in s.articles))

    def evidence(self, article_id: str) -> tuple[tuple[Evidence, Snippet], ...]:
        """The article's translation evidence with snippets whose anchors match its article page."""
        return snippets(self.articles[article_id], self.verdicts.get(article_id))

    def elsewhere(self, article_id: str) -> int:
        """How many passages beyond the coverage table's columns reach this article."""
        shown = {pv.id for pv in self.columns}
        return sum(1 for (a, pid) in self.matrix if a == article_id and pid not in shown)


def inside_articles(c: Comparison) -> tuple[tuple[Article, tuple[Finding, ...], tuple[tuple[str, int], ...]], ...]:
    """Findings inside each article, by article in page order, with how many of each kind."""
    out = []
    for a in c.topic.articles:
        found = tuple(f for f in c.findings if f.article == a.id)
        if found:
            out.append((a, found, tuple(sorted(Counter(f.kind for f in found).items()))))
    return tuple(out)


def topic_view(c: Comparison, slugs: dict[str, str]) -> TopicView:
    articles = {a.id: a for a in c.topic.articles}
    suspected = frozenset(aid for aid, v in c.translation.items() if v.suspected)
    views = tuple(passage_view(p, articles, suspected) for p in c.passages)
    groups = passage_groups(views)
    ordered = tuple(pv for g in groups for pv in g.passages)
    shared = next((g.passages for g in groups if g.key == "shared-passages"), ())
    return TopicView(
        topic=c.topic,
        articles=articles,
        slugs=slugs,
        outlets=outlets(c.topic.articles),
        dates=date_range(a.published for a in c.topic.articles),
        passages=ordered,
        groups=groups,
        coverage=coverage(c),
        heat=heat(c),
        matrix=matrix(c),
        columns=shared[:COVERAGE_COLUMNS],
        sources=sources(c.topic.articles),
        highlights=highlights(views, c),
        kinds=KINDS,
        suspected=suspected,
        verdicts={a.id: c.translation[a.id] for a in c.topic.articles if a.id in c.translation},
        facts=c.facts,
        alone=tuple((a, tuple(a.text[s.start : s.end] for s in c.unique.get(a.id, ()))) for a in c.topic.articles),
        inside=inside_articles(c),
        cross_language=across_languages(c),
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
        passages=len(c.passages),  # every passage the topic page lists, as its header counts them
        suspected=sum(1 for v in c.translation.values() if v.suspected),
    )


def newest_first(summaries: Iterable[TopicSummary]) -> list[TopicSummary]:
    """Dated topics newest first, then undated ones; ties by title so the order is stable."""
    dated = sorted((s for s in summaries if s.last), key=lambda s: (s.title.casefold(), s.slug))
    dated.sort(key=lambda s: s.last or date.min, reverse=True)  # stable: titles stay alphabetical within a day
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
    fragments: tuple[Fragment, ...]
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
    from generator.align.crosslang import language_name

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
                Side(
                    articles[m.article], language_name(articles[m.article].language), fragments(m.text, m.start, diffs),
                    m is o and bool(r.evidence),
                )
                for m, diffs in ((o, marks), (t, p.differences))
            ]
            pairs.append(AlignedPair(p, *sides))
        notes = Counter(d.note.split()[0] for p in pairs for d in p.passage.differences)
        out.append(RenditionView(r, articles[r.original], articles[r.translation], tuple(pairs), notes["figure"], notes["name"]))
    return CrossLanguageView(x.note, tuple(out))
