"""Facts across outlets: counts, clock times and names that several articles state.

Each statement keeps its exact offsets and gets a normalised value so that
agreeing statements agree: a count becomes a range ("more than a dozen" is
13 or more, "dozens" 24 to 144), a clock time becomes UTC when the article
names a zone or pairs a local time with a zoned one, and a name becomes its
folded spelling.  A fact is listed when two or more articles state it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .differences import fold_text, skeleton
from .models import Article, Fact, FactValue
from .normalise import WORD

INF = math.inf
SMALL = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
SMALL.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})
# Vague quantities and the range a reader takes them to mean.
VAGUE = {"dozens": (24, 144), "tens": (20, 99), "hundreds": (200, 999), "thousands": (2000, 9999), "scores": (40, 200),
         "several": (3, 9), "multiple": (2, INF), "few": (2, 5), "handful": (2, 6), "numerous": (5, INF)}
HEDGES = {"more than": "above", "over": "above", "at least": "min", "about": "approx", "around": "approx", "approximately": "approx",
          "nearly": "max", "almost": "max", "up to": "max", "fewer than": "below", "less than": "below", "some": "approx"}
# Hedges by their first word, in HEDGES' order, so a word is checked against only the phrases it can start.
_HEDGES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _kind in HEDGES.items():
    _HEDGES_BY_FIRST.setdefault(_phrase.split()[0], []).append((tuple(_phrase.split()), _kind))
_SKIP = frozenset("of a an the".split())
_NOT_NOUNS = frozenset("was has is its this us as his hers yours ours theirs".split())
# Plural nouns without an -s, which news counts most ("130 people", "200 personnel").
IRREGULAR_PLURALS = frozenset("people children men women police personnel staff crew civilians".split())
# Counted nouns that say how long or how often, or count nothing in particular: "three days", "two
# times", "five others" in different paragraphs are rarely the same fact.
_NOT_SUBJECTS = frozenset("seconds minutes hours days nights weeks months years decades times others ones".split())

# Offsets of common zone abbreviations from UTC, in minutes.
ZONES = {"gmt": 0, "utc": 0, "z": 0, "bst": 60, "cet": 60, "cest": 120, "est": -300, "edt": -240, "et": -300,
         "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "pt": -480}
_TIME = re.compile(
    r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>[ap])\.?\s?m\b\.?(?:\s*(?P<zone>(?:" + "|".join(ZONES) + r")\b|local(?: time)?))?"
    r"|\b(?P<hhmm>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s*(?P<zone24>GMT|UTC)\b",
    re.IGNORECASE,
)
_INTEGER = re.compile(r"\d{1,3}(?:,\d{3})*|\d+")
TIME_TOLERANCE = 60
SUBJECT_SHARE = 0.5  # share of a topic's articles that must mention what a count counts
NAME_SIMILARITY = 80


@dataclass(frozen=True)
class Statement:
    article: str
    start: int
    end: int
    text: str
    key: str
    low: float = 0
    high: float = 0


# Words that can begin a quantity besides figures: a hedge, an article ("a dozen"), a number or vague word.
_QUANTITY_STARTS = frozenset(_HEDGES_BY_FIRST) | {"a", "an"} | frozenset(VAGUE) | frozenset(SMALL)


def _may_start_quantity(word: str) -> bool:
    """A cheap test that spares :func:`_quantity` the words of a block that cannot begin one."""
    return word in _QUANTITY_STARTS or word[:1].isdigit()


def _quantity(lower: list[str], i: int) -> tuple[int, float, float] | None:
    """The quantity starting at word ``i`` of a block's lower-cased words: ``(next word index, low, high)``."""
    hedge = None
    for phrase, kind in _HEDGES_BY_FIRST.get(lower[i], ()):
        if tuple(lower[i : i + len(phrase)]) == phrase:
            hedge, i = kind, i + len(phrase)
            break
    if i < len(lower) and lower[i] in ("a", "an"):
        i += 1
    if i >= len(lower):
        return None
    w = lower[i]
    if w in VAGUE:
        low, high = VAGUE[w]
    elif w[:1].isdigit() and _INTEGER.fullmatch(w):
        low = high = float(w.replace(",", ""))
    elif w in SMALL:
        low = high = float(SMALL[w])
    else:
        return None
    if hedge == "above":
        low, high = math.floor(low) + 1, INF
    elif hedge == "min":
        high = INF
    elif hedge == "below":
        low, high = 0, high - 1
    elif hedge == "max":
        low = 0
    elif hedge == "approx" and low == high:
        low, high = low * 0.8, high * 1.2
    return i + 1, low, high


def _counted(words: list[tuple[int, int, str]], j: int) -> tuple[int, str] | None:
    """The plural noun a quantity counts (up to two modifiers in between) and its key."""
    modifiers = []
    if j < len(words) and words[j][2].lower() == "of":
        j += 1
    for k in range(j, min(j + 3, len(words))):
        w = words[k][2]
        lw = w.lower()
        if lw in _SKIP or lw in _NOT_NOUNS or not w.isalpha():
            return None
        if (lw.endswith("s") and len(lw) > 3 or lw in IRREGULAR_PLURALS) and w.islower():
            return k, " ".join(modifiers + [lw])
        if w[0].isupper():
            modifiers.append(lw)
    return None


def count_statements(article: Article) -> list[Statement]:
    """Every "<quantity> <things>" of ``article``: 15 missiles, more than a dozen ballistic missiles, dozens of missiles."""
    out = []
    for block in article.content_blocks():
        words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(article.text, block.start, block.end)]
        lower = [w[2].lower() for w in words]
        i = 0
        while i < len(words):
            q = _quantity(lower, i) if _may_start_quantity(lower[i]) else None
            noun = _counted(words, q[0]) if q else None
            if q and noun:
                s, e = words[i][0], words[noun[0]][1]
                out.append(Statement(article.id, s, e, article.text[s:e], noun[1], q[1], q[2]))
                i = noun[0] + 1
            else:
                i += 1
    return out


def _range_text(low: float, high: float) -> str:
    if low == high:
        return f"{low:g}"
    if high == INF:
        return f"{low:g} or more"
    return f"{low:g}–{high:g}"


def count_facts(articles: Sequence[Article]) -> list[Fact]:
    """Counts of the same things in two or more articles, where the things are what the coverage is about.

    A count is kept only when most articles of the topic mention what it counts
    (``SUBJECT_SHARE``): in a large topic, "2 miles" and "300 miles" from two
    unrelated paragraphs are not a disagreement between outlets.
    """
    groups: dict[str, list[Statement]] = defaultdict(list)
    for a in articles:
        for st in count_statements(a):
            groups[st.key].append(st)
    vocabularies = [{w.lower() for w in WORD.findall(a.text)} for a in articles]
    needed = max(2, math.ceil(SUBJECT_SHARE * len(articles)))
    out = []
    for key, sts in groups.items():
        if len({s.article for s in sts}) < 2:
            continue
        noun = key.split()[-1]
        if noun in _NOT_SUBJECTS or sum(noun in v or noun[:-1] in v for v in vocabularies) < needed:
            continue
        agree = max(s.low for s in sts) <= min(s.high for s in sts)
        values = tuple(FactValue(s.article, s.start, s.end, s.text, _range_text(s.low, s.high)) for s in sts)
        out.append(Fact("count", key, values, agree))
    return out


def time_statements(article: Article) -> list[Statement]:
    """Clock times of ``article`` in minutes after midnight UTC, or local minutes when no zone is known.

    A local time followed within a few characters by a zoned one ("1:30 a.m.
    (2230 GMT)") is one statement of the zoned instant.
    """
    found = []
    for block in article.content_blocks():
        for m in _TIME.finditer(article.text, block.start, block.end):
            if m.group("hhmm"):
                minutes, zone = int(m.group("hhmm")) * 60 + int(m.group("mm")), m.group("zone24").lower()
            else:
                h = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
                minutes, zone = h * 60 + int(m.group("m") or 0), (m.group("zone") or "").lower()
            if zone and zone not in ZONES and not zone.startswith("local"):
                zone = ""
            found.append([m.start(), m.end(), minutes, zone])
    out: list[Statement] = []
    k = 0
    while k < len(found):
        s, e, minutes, zone = found[k]
        nxt = found[k + 1] if k + 1 < len(found) else None
        if zone in ("", "local", "local time") and nxt and nxt[3] in ZONES and nxt[0] - e <= 4:
            e, minutes, zone, k = nxt[1], nxt[2], nxt[3], k + 1
        utc = (minutes - ZONES[zone]) % 1440 if zone in ZONES else None
        key = "utc" if utc is not None else "clock"
        value = utc if utc is not None else minutes
        out.append(Statement(article.id, s, e, article.text[s:e], key, value, value))
        k += 1
    return out


def _clock(minutes: float) -> str:
    return f"{int(minutes) // 60:02d}:{int(minutes) % 60:02d}"


def time_facts(articles: Sequence[Article]) -> list[Fact]:
    """Times that point at one moment, clustered once converted to UTC; unzoned times join by clock reading."""
    sts = [s for a in articles for s in time_statements(a)]
    zoned = sorted((s for s in sts if s.key == "utc"), key=lambda s: s.low)
    clusters: list[list[Statement]] = []
    for s in zoned:
        if clusters and any(min(abs(s.low - c.low), 1440 - abs(s.low - c.low)) <= TIME_TOLERANCE for c in clusters[-1]):
            clusters[-1].append(s)
        else:
            clusters.append([s])
    unzoned = [s for s in sts if s.key == "clock"]
    for cluster in clusters:
        clocks = {(s.low + ZONES.get(_zone_of(s.text), 0)) % 1440 for s in cluster}
        cluster.extend(s for s in unzoned if s.low in clocks)
    out = []
    for cluster in clusters:
        if len({s.article for s in cluster}) < 2:
            continue
        zoned_values = {s.low for s in cluster if s.key == "utc"}
        values = tuple(
            FactValue(s.article, s.start, s.end, s.text, f"{_clock(s.low)} UTC" if s.key == "utc" else f"{_clock(s.low)} (no time zone)")
            for s in sorted(cluster, key=lambda s: (s.article, s.start))
        )
        out.append(Fact("time", f"time, about {_clock(min(zoned_values))} UTC", values, len(zoned_values) == 1))
    return out


def _zone_of(text: str) -> str:
    m = re.search(r"\b([A-Za-z]{1,4})\)?\s*$", text)
    return m.group(1).lower() if m and m.group(1).lower() in ZONES else ""


def name_statements(articles: Sequence[Article]) -> list[Statement]:
    """Capitalised names (with the capitalised words right before them) keyed by their last name part."""
    lower = {w.lower() for a in articles for w in WORD.findall(a.text) if w.islower()}
    out = []
    for a in articles:
        for block in a.content_blocks():
            words = list(WORD.finditer(a.text, block.start, block.end))
            for k, m in enumerate(words):
                word = m.group()
                core = word.rpartition("-")[2]
                if not core[:1].isupper() or word.lower() in lower or len(core) < 4 or not core.isalpha():
                    continue
                s = m.start()
                j = k - 1
                while j >= 0 and a.text[words[j].end() : s] == " " and words[j].group().isalpha() and words[j].group()[0].isupper() and words[j].group().lower() not in lower:
                    s, j = words[j].start(), j - 1
                out.append(Statement(a.id, s, m.end(), a.text[s : m.end()], core))
    return out


def name_facts(articles: Sequence[Article]) -> list[Fact]:
    """Names the outlets spell differently: the same consonant skeleton, different letters."""
    by_skeleton: dict[str, list[Statement]] = defaultdict(list)
    for s in name_statements(articles):
        by_skeleton[skeleton(s.key)].append(s)
    out = []
    for sts in by_skeleton.values():
        spellings = {fold_text(s.key) for s in sts}
        common = max(spellings, key=lambda sp: (sum(fold_text(s.key) == sp for s in sts), sp))
        sts = [s for s in sts if fuzz.ratio(fold_text(s.key), common) >= NAME_SIMILARITY]
        spellings = {fold_text(s.key) for s in sts}
        if len(spellings) < 2 or len({s.article for s in sts}) < 2:
            continue
        first: dict[tuple[str, str], Statement] = {}
        for s in sts:
            first.setdefault((s.article, s.text), s)
        values = tuple(FactValue(s.article, s.start, s.end, s.text, " ".join(fold_text(w) for w in re.split(r"[\s-]+", s.text))) for s in first.values())
        label = next(s.key for s in sts if fold_text(s.key) == common)
        out.append(Fact("name", label, values, len({v.value for v in values}) == 1))
    return out


def facts(articles: Sequence[Article]) -> tuple[Fact, ...]:
    """Every count, time and name that two or more articles state, disagreements first."""
    found = count_facts(articles) + time_facts(articles) + name_facts(articles)
    return tuple(sorted(found, key=lambda f: (f.agree, f.kind, f.label)))
