"""Facts across outlets: counts, clock times, names and claims that several articles state.

Each statement keeps its exact offsets, who the article says states it
(``attributed_to``), and a normalised value, so that statements that can all
be true are not shown as a disagreement: a count becomes a range ("more than
a dozen" is 13 or more; a vague word such as "dozens" stays open rather than
an invented range), a clock time becomes UTC when the article names a zone,
a name is a whole name as written, and a claim is a statement with its
polarity ("there were no Iraqi casualties").  Every fact gets one relation
from :mod:`generator.relations`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from generator.analyse.differences import NAME_SIMILARITY, fold_text, is_inflection, skeleton
from generator.models import Article, Fact, FactValue
from generator.normalise import ABBREVIATIONS, STOPWORDS, WORD, tokenize
from generator.relations import NAMES as RELATION_NAMES
from generator.relations import RelationName

INF = math.inf
SMALL = {w: n for n, w in enumerate("""zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty""".split())}
SMALL.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})
# Vague quantities are open: only the least each can mean, no upper bound, so "dozens" is compatible
# with 15 or 40 and conflicts with nothing but a smaller exact figure.
VAGUE = {"dozens": 12, "tens": 10, "hundreds": 100, "thousands": 1000, "millions": 1_000_000, "scores": 20,
         "several": 2, "multiple": 2, "few": 2, "handful": 2, "numerous": 2, "many": 2}
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
CONTEXT_WORDS = 2
SUBJECT_SHARE = 0.5  # share of a topic's articles that must count a thing for its counts to be listed


@dataclass(frozen=True)
class FactStatement:
    """One article stating a value of a fact (a count, a time) at characters ``[start, end)``.

    Not the aligner's :class:`generator.align.statements.Statement` (a sentence to align).
    """

    article: str
    start: int
    end: int
    text: str
    key: str
    low: float = 0
    high: float = 0
    vague: bool = False
    attributed_to: str | None = None
    context: frozenset[str] = frozenset()  # the content words of its sentence, to tell what a count is about
    owner: str = ""  # the last name before it in its sentence: whose seats, whose missiles ("New Democracy … 129 seats")
    block: tuple[int, int] = (0, 0)  # the block it stands in, where its sentence is looked for


def described(st: FactStatement, text: str) -> FactStatement:
    """``st`` with who states it and what its sentence is about (``text`` is its article's).

    Reading the sentence is most of a count's cost and only the statements of
    the facts that are kept need it, so :func:`count_statements` and
    :func:`time_statements` leave it to this.
    """
    context, owner = _context(text, *st.block, st.start, st.end)
    return replace(st, attributed_to=attribution(text, *st.block, st.start, st.end), context=context, owner=owner)


# Words that can begin a quantity besides figures: a hedge, an article ("a dozen"), a number or vague word;
# the cheap test that spares :func:`_quantity` the words of a block that cannot begin one.
_QUANTITY_STARTS = frozenset(_HEDGES_BY_FIRST) | {"a", "an"} | frozenset(VAGUE) | frozenset(SMALL)


def _quantity(lower: list[str], i: int) -> tuple[int, float, float, bool] | None:
    """The quantity starting at word ``i`` of a block's lower-cased words: ``(next word index, low, high, vague)``."""
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
        return i + 1, VAGUE[w], INF, True
    if w[:1].isdigit() and _INTEGER.fullmatch(w):
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
    return i + 1, low, high, False


def _counted(text: str, words: list[tuple[int, int, str]], j: int) -> tuple[int, str] | None:
    """The plural noun a quantity counts (up to two modifiers in between, no punctuation) and its key."""
    modifiers: list[str] = []
    if j < len(words) and words[j][2].lower() == "of" and not text[words[j - 1][1] : words[j][0]].strip():
        j += 1  # "dozens of missiles", not "dozens. Of those ..." across a sentence end
    for k in range(j, min(j + 3, len(words))):
        w = words[k][2]
        lw = w.lower()
        if lw in _SKIP or lw in _NOT_NOUNS or lw in VAGUE or not w.isalpha() or text[words[k - 1][1] : words[k][0]].strip():
            return None
        if (lw.endswith("s") and len(lw) > 3 or lw in IRREGULAR_PLURALS) and w.islower():
            return k, " ".join(modifiers + [lw])
        if w[0].isupper():
            modifiers.append(lw)
    return None


def count_statements(article: Article) -> list[FactStatement]:
    """Every "<quantity> <things>" of ``article``: 15 missiles, more than a dozen ballistic missiles, dozens of missiles.

    Who states each and what its sentence is about are left out (see :func:`described`).
    """
    out = []
    text = article.text
    for block in article.content_blocks():
        words = [(t.start, t.end, text[t.start : t.end]) for t in tokenize(text, block.start, block.end)]  # the stages' tokens
        lower = [w[2].lower() for w in words]
        after = 0  # the words of a count found are not looked at again
        for i in [k for k, w in enumerate(lower) if w in _QUANTITY_STARTS or w[:1].isdigit()]:
            q = _quantity(lower, i) if i >= after else None
            noun = _counted(article.text, words, q[0]) if q else None
            if q and noun:
                s, e = words[i][0], words[noun[0]][1]
                out.append(FactStatement(article.id, s, e, article.text[s:e], noun[1], q[1], q[2], q[3], block=(block.start, block.end)))
                after = noun[0] + 1
    return out


# --- who states it ----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?][”\"’']?(?=\s+[“\"‘(]?[A-Z0-9])")
_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|claimed|reported|estimated|confirmed|confirms|announced|announces|stated|wrote|writes|added|insisted|tweeted)\b"
)
_ACCORDING = re.compile(r"\b(?i:according to|claimed by|reported by|announced by)\s+(?P<who>[^,.;:“”\"()]+)")
# The subject right before a reporting verb, skipping an appositive ("Jonathan Hoffman, a Pentagon spokesperson, said").
_SUBJECT = re.compile(r"(?P<who>[^,;:“”\"()—–]+?)(?P<apposition>,\s*[^,;:“”\"()]+,)?\s*$")
_SUBJECT_STOPS = ",;:“”\"()—–"  # what the subject cannot hold; the apposition can hold the dashes
_INVERTED = re.compile(r"^\s+(?P<who>(?:the |a |an )?[A-Z][^,.;:“”\"()]*)")
_CLAUSE_JOINS = re.compile(r".*\b(?:and|but|that|while|as|after|before|when|which)\s+|.*\s[-–—]\s+", re.IGNORECASE)
_TRAILING_ADVERBS = re.compile(r"(?:\s+(?:later|earlier|also|then|previously|have|has|had|\w+ly))+$")
_PRONOUNS = frozenset("he she they it we i you who which that there".split())
# Words that make a phrase a clause rather than the name of a source ("Violence was", "Samsung has not").
_CLAUSE_WORDS = frozenset("was were is are be been being has have had not will would because our we you".split())
# Nouns that name a source even when nothing in the phrase is capitalised ("officials said").
_ROLES = frozenset(
    "official officials spokesman spokeswoman spokesperson source sources military ministry police witnesses statement government "
    "army authorities agency media television tv report reports analysts experts residents".split()
)
MAX_SOURCE_WORDS = 12


def sentence_bounds(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    """The sentence of ``text[start:end]`` (a block) that holds offset ``at``."""
    s = start
    for m in _SENTENCE_END.finditer(text, start, end):
        before = WORD.findall(text[max(start, m.start() - 12) : m.start() + 1])
        if before and (before[-1].lower() in ABBREVIATIONS or len(before[-1]) == 1 or "." in before[-1]):
            continue
        if m.end() > at:
            return s, m.end()
        s = m.end()
    return s, end


def _last_stop(text: str, end: int) -> int:
    """The offset of the last character of ``text[:end]`` that a subject cannot hold, or -1."""
    return max(text.rfind(c, 0, end) for c in _SUBJECT_STOPS)


def _subject_start(before: str) -> int:
    """Where the leftmost match of :data:`_SUBJECT` in ``before`` starts, if there is one.

    The match runs to the end of ``before``: a subject after the last stop, or a subject, an
    apposition between the last two commas and nothing but space after it.  Searching from
    here finds the same match as a search from the start, which tries every offset and takes
    time quadratic in a long clause without commas.
    """
    last = _last_stop(before, len(before))
    if last >= 0 and before[last] == "," and not before[last + 1 :].strip():
        comma = before.rfind(",", 0, last)
        apposition = before[comma + 1 : last]
        if comma >= 0 and apposition and not any(c in apposition for c in _SUBJECT_STOPS[:-2]):
            stop = _last_stop(before, comma)
            if comma - stop > 1:
                return stop + 1
    return last + 1


def _after_clause_joins(phrase: str) -> str:
    """``_CLAUSE_JOINS.sub("", phrase)``, in time linear in the phrase's length.

    Each match begins with ``.*``, so a match that can start at some offset of a line can
    also start at any earlier offset of that line: after a failed try, the next match can
    only start on the next line.  ``sub`` itself tries every offset, each time to the end.
    """
    kept, at, pos = [], 0, 0
    while pos < len(phrase):
        m = _CLAUSE_JOINS.match(phrase, pos)
        if m:
            kept.append(phrase[at : m.start()])
            at = pos = m.end()
            continue
        newline = phrase.find("\n", pos)
        if newline < 0:
            break
        pos = newline + 1
    return "".join(kept) + phrase[at:]


def _source(phrase: str) -> str | None:
    """``phrase`` as the name of who states something, or None when it names nobody (a pronoun, a clause)."""
    phrase = _TRAILING_ADVERBS.sub("", _after_clause_joins(phrase.strip())).strip(" ,")
    words = WORD.findall(phrase)
    lower = {w.lower() for w in words}
    if not words or len(words) > MAX_SOURCE_WORDS or words[0].lower() in _PRONOUNS or lower & _CLAUSE_WORDS:
        return None
    if not any(w[0].isupper() and w.lower() not in STOPWORDS for w in words) and not _ROLES & lower:
        return None
    return phrase


def attribution(text: str, block_start: int, block_end: int, start: int, end: int) -> str | None:
    """Who the article says states ``text[start:end]``: "according to X", "X said", "…,” X said", "claimed by X".

    Looked for in the statement's sentence; the attribution nearest the
    statement wins ("The Pentagon confirmed the attack, and a Pentagon
    official told ABC News that 15 missiles…" is the official's figure).
    """
    s, e = sentence_bounds(text, block_start, block_end, start)
    sentence = text[s:e]
    found: list[tuple[int, str]] = []
    for m in _ACCORDING.finditer(sentence):
        who = _source(m.group("who"))
        if who:
            found.append((m.start(), who))
    for m in _REPORTING.finditer(sentence):
        if start - s <= m.start() < end - s:
            continue
        before = sentence[: m.start()]
        subject = _SUBJECT.search(before, _subject_start(before))
        who = _source(subject.group("who")) if subject else None
        apposition = _source(subject.group("apposition") or "") if subject else None
        if who and apposition:
            who = f"{who}, {apposition}"
        if who and text[start:end] in who:
            continue  # the statement is the speaker ("Many people in the capital said …"), not what is said
        if not who and re.search(r"[,”\"]\s*$", before):
            inverted = _INVERTED.match(sentence[m.end() :])
            who = _source(inverted.group("who")) if inverted else None
        if who:
            found.append((m.start(), who))
    if not found:
        return None
    return min(found, key=lambda f: min(abs(f[0] - (start - s)), abs(f[0] - (end - s))))[1]


# --- how values relate --------------------------------------------------------------------------


def _range_text(low: float, high: float) -> str:
    if low == high:
        return f"{low:g}"
    if high == INF:
        return f"{low:g} or more"
    return f"{low:g}–{high:g}"


def _value_text(s: FactStatement) -> str:
    """The normalised value as the page shows it: a range, or the vague word itself ("a few" is "few (vague)")."""
    if s.vague:
        word = next((w for w in re.findall(r"[a-z]+", s.text.lower()) if w in VAGUE), "some")  # words as _quantity saw them
        return word + " (vague)"
    return _range_text(s.low, s.high)


_CAPITALISED_RUN = re.compile(r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*")


def _context(text: str, block_start: int, block_end: int, start: int, end: int) -> tuple[frozenset[str], str]:
    """The content words of a count's sentence, and the last name before the count in it."""
    s, e = sentence_bounds(text, block_start, block_end, start)
    words = WORD.findall(text[s:start] + " " + text[end:e])
    context = frozenset(w.lower() for w in words if len(w) > 3 and w.lower() not in STOPWORDS and not w[0].isdigit())
    names = [m.group() for m in _CAPITALISED_RUN.finditer(text, s, start) if m.group().lower() not in STOPWORDS and m.start() > s]
    return context, fold_text(names[-1]) if names else ""


def _contradict(a: FactStatement, b: FactStatement) -> bool:
    """Two counts that cannot both be true: other articles, ranges that do not meet, and sentences about the
    same thing (two content words in common, and the same name before the count when both have one), so
    "New Democracy won 129 seats" and "Pasok won 33 seats" do not clash."""
    if a.article == b.article or not (a.high < b.low or b.high < a.low) or a.owner and b.owner and a.owner != b.owner:
        return False
    return len(a.context & b.context) >= CONTEXT_WORDS


def _relation_of_ranges(sts: Sequence[FactStatement]) -> RelationName:
    if len({_value_text(s) for s in sts}) == 1:
        return "same"
    return "conflict" if any(_contradict(a, b) for k, a in enumerate(sts) for b in sts[k + 1 :]) else "compatible"


def _ordered(sts: Sequence[FactStatement], clashing: set[int]) -> list[FactStatement]:
    """Statements grouped by value: the values that conflict (``clashing`` holds the ids of their statements) first,
    then the values most articles give."""
    by_value: dict[str, list[FactStatement]] = defaultdict(list)
    for st in sts:
        by_value[_value_text(st)].append(st)
    groups = sorted(by_value.values(), key=lambda g: (id(g[0]) not in clashing, -len({x.article for x in g}), g[0].low, _value_text(g[0])))
    return [st for g in groups for st in sorted(g, key=lambda x: (x.article, x.start))]


def _fact_value(s: FactStatement, value: str) -> FactValue:
    return FactValue(s.article, s.start, s.end, s.text, value, s.attributed_to)


def count_facts(articles: Sequence[Article]) -> list[Fact]:
    """Counts of the things most articles of the topic count, in two or more articles.

    A count is kept only when most articles count the same thing
    (``SUBJECT_SHARE``): in a large topic, "2 miles" and "300 miles" from two
    unrelated paragraphs are not a disagreement between outlets.
    """
    groups: dict[str, list[FactStatement]] = defaultdict(list)
    for a in articles:
        for st in count_statements(a):
            groups[st.key].append(st)
    needed = max(2, math.ceil(SUBJECT_SHARE * len(articles)))
    texts = {a.id: a.text for a in articles}
    out = []
    for key, found in groups.items():
        if key.split()[-1] in _NOT_SUBJECTS or len({s.article for s in found}) < needed:
            continue
        sts = [described(s, texts[s.article]) for s in found]
        relation = _relation_of_ranges(sts)
        clashing = {id(a) for a in sts for b in sts if _contradict(a, b)}
        ordered = _ordered(sts, clashing)
        out.append(Fact("count", key, tuple(_fact_value(s, _value_text(s)) for s in ordered), relation))
    return out


# --- clock times ----------------------------------------------------------------------------------


def time_statements(article: Article) -> list[FactStatement]:
    """Clock times of ``article`` in minutes after midnight UTC, or local minutes when no zone is known.

    A local time followed within a few characters by a zoned one ("1:30 a.m.
    (2230 GMT)") is one statement of the zoned instant.  Who states it is
    looked for only for the times :func:`time_facts` keeps.
    """
    found: list[tuple[int, int, int, str, tuple[int, int]]] = []
    for block in article.content_blocks():
        for m in _TIME.finditer(article.text, block.start, block.end):
            if m.group("hhmm"):
                minutes, zone = int(m.group("hhmm")) * 60 + int(m.group("mm")), m.group("zone24").lower()
            else:
                h = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
                minutes, zone = h * 60 + int(m.group("m") or 0), (m.group("zone") or "").lower()
            if zone and zone not in ZONES and not zone.startswith("local"):
                zone = ""
            found.append((m.start(), m.end(), minutes, zone, (block.start, block.end)))
    out: list[FactStatement] = []
    k = 0
    while k < len(found):
        s, e, minutes, zone, bounds = found[k]
        nxt = found[k + 1] if k + 1 < len(found) else None
        if zone in ("", "local", "local time") and nxt and nxt[3] in ZONES and nxt[0] - e <= 4:
            e, minutes, zone, k = nxt[1], nxt[2], nxt[3], k + 1
        utc = (minutes - ZONES[zone]) % 1440 if zone in ZONES else None
        key = "utc" if utc is not None else "clock"
        value = utc if utc is not None else minutes
        out.append(FactStatement(article.id, s, e, article.text[s:e], key, value, value, block=bounds))
        k += 1
    return out


def _clock(minutes: float) -> str:
    return f"{int(minutes) // 60:02d}:{int(minutes) % 60:02d}"


def time_facts(articles: Sequence[Article]) -> list[Fact]:
    """Times that point at one moment, clustered once converted to UTC; unzoned times join by clock reading.

    Zoned times more than a few minutes apart conflict; an unzoned time that
    reads like one of them is compatible (it may be the same moment in local time).
    """
    sts = [s for a in articles for s in time_statements(a)]
    texts = {a.id: a.text for a in articles}
    zoned = sorted((s for s in sts if s.key == "utc"), key=lambda s: s.low)
    clusters: list[list[FactStatement]] = []
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
        zoned_values = sorted({s.low for s in cluster if s.key == "utc"})
        common = max(zoned_values, key=lambda x: (len({s.article for s in cluster if s.key == "utc" and s.low == x}), -x))
        relation: RelationName
        if len(zoned_values) > 1:
            relation = "conflict"
        else:
            relation = "same" if all(s.key == "utc" for s in cluster) else "compatible"
        values = tuple(
            FactValue(s.article, s.start, s.end, s.text, _clock(s.low) + (" UTC" if s.key == "utc" else " (no time zone)"),
                      attribution(texts[s.article], *s.block, s.start, s.end))
            for s in sorted(cluster, key=lambda s: (s.key != "utc" or s.low == common, s.article, s.start))
        )
        out.append(Fact("time", f"time, about {_clock(common)} UTC", values, relation))
    return out


def _zone_of(text: str) -> str:
    m = re.search(r"\b([A-Za-z]{1,4})\)?\s*$", text)
    return m.group(1).lower() if m and m.group(1).lower() in ZONES else ""


# --- names ----------------------------------------------------------------------------------------

# Lower-case words that belong inside a name ("Ain al-Asad", "Osama bin Laden", "Charles de Gaulle").
PARTICLES = frozenset("al el bin ibn abu de da di du del della der van von le la".split())
# A name part as common as this (Zipf scale) in English is a word or name of its own: "Michael" and
# "Michel", "Francis" and "Francois", "London" and "Lyndon" are different entities, not one spelled twice.
COMMON_NAME_ZIPF = 3.0
CLOSE_SPELLING = 90  # Hillary/Hilary
_POSSESSIVE_END = re.compile(r"[’']s$")


@dataclass(frozen=True)
class Name:
    """A whole name as written: consecutive capitalised words (with particles), its parts folded."""

    article: str
    start: int
    end: int
    text: str
    parts: tuple[str, ...]


def name_statements(articles: Sequence[Article]) -> list[Name]:
    """Every whole name of the articles: a person, place or organisation as written, never one word of it alone.

    A capitalised word that the topic also writes in lower case is an
    ordinary word at the start of a sentence, not a name; a particle joins
    the words around it only between two capitalised words.
    """
    lower = {w.lower() for a in articles for w in WORD.findall(a.text) if w.islower()}
    known: dict[str, bool] = {}  # a topic writes the same few thousand words again and again

    def capitalised(word: str) -> bool:
        found = known.get(word)
        if found is None:
            core = _POSSESSIVE_END.sub("", word).rpartition("-")[2]
            found = known[word] = core[:1].isupper() and core.isalpha() and word.lower() not in lower and not core.isupper()
        return found

    out = []
    for a in articles:
        for block in a.content_blocks():
            words = tokenize(a.text, block.start, block.end)
            written = [a.text[t.start : t.end] for t in words]
            caps = [capitalised(w) for w in written]
            k = 0
            while k < len(words):
                if not caps[k]:
                    k += 1
                    continue
                j = k
                while j + 1 < len(words) and a.text[words[j].end : words[j + 1].start] == " ":
                    if caps[j + 1] and not _POSSESSIVE_END.search(written[j]):
                        j += 1
                    elif written[j + 1].lower() in PARTICLES and j + 2 < len(words) and caps[j + 2]:
                        j += 2
                    else:
                        break
                s, e = words[k].start, words[j].end
                text = a.text[s:e]
                parts = tuple(fold_text(_POSSESSIVE_END.sub("", w)) for w in re.split(r"[\s-]+", text))
                if len("".join(parts)) >= 4:
                    out.append(Name(a.id, s, e, text, parts))
                k = j + 1
    return out


@lru_cache(maxsize=65536)
def _common(part: str) -> bool:
    return zipf_frequency(part, "en") >= COMMON_NAME_ZIPF


def same_entity_spelled_otherwise(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two whole names of one entity that differ in spelling: part by part alike in sound (Qassem/Qasem).

    Parts that differ must be rare in English (Erbil/Irbil), or, when another
    part is the same, one of them rare or the two a letter apart ("Hillary
    Clinton"/"Hilary Clinton"): two common names that sound alike ("Michael",
    "Michel") are two people.
    """
    if len(a) != len(b) or a == b:
        return False
    shared = any(x == y for x, y in zip(a, b))
    for x, y in zip(a, b):
        if x == y:
            continue
        similarity = fuzz.ratio(x, y)
        if skeleton(x) != skeleton(y) or similarity < NAME_SIMILARITY or is_inflection(x, y):
            return False
        if shared and _common(x) and _common(y) and similarity < CLOSE_SPELLING or not shared and (_common(x) or _common(y)):
            return False
    return True


def name_facts(articles: Sequence[Article]) -> list[Fact]:
    """Names the outlets spell differently, as whole names, with the shorter forms of the same name beside them."""
    names = name_statements(articles)
    forms: dict[tuple[str, ...], list[Name]] = defaultdict(list)
    for n in names:
        forms[n.parts].append(n)
    by_sound: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for parts in forms:
        by_sound[tuple(skeleton(p) for p in parts)].append(parts)
    out = []
    for alike in by_sound.values():
        if len(alike) < 2:
            continue
        common = max(alike, key=lambda p: (len({n.article for n in forms[p]}), len(forms[p]), p))
        spelled = [p for p in alike if p == common or same_entity_spelled_otherwise(p, common)]
        if len(spelled) < 2:
            continue
        # Longer names that end in one of the spellings are that entity too ("Ain al-Asad" for "al-Asad"),
        # when no other name of the topic ends that way.
        longer = [p for p in forms if len(p) > len(common) and p[-len(common) :] in spelled]
        if len({p[: -len(common)] for p in longer}) <= 1:
            spelled += longer
        members = [n for p in spelled for n in forms[p]]
        if len({n.article for n in members}) < 2 or len({n.article for p in alike if p in spelled for n in forms[p]}) < 2:
            continue
        first: dict[tuple[str, str], Name] = {}
        for n in sorted(members, key=lambda n: (n.parts != common, n.article, n.start)):
            first.setdefault((n.article, n.text), n)
        label = _POSSESSIVE_END.sub("", forms[common][0].text)
        values = tuple(FactValue(n.article, n.start, n.end, n.text, " ".join(n.parts)) for n in first.values())
        out.append(Fact("name", label, values, "spelling"))
    return out


# --- claims that can be contradicted ----------------------------------------------------------------

_THERE = r"(?i:there)\s+(?:is|are|was|were|have\s+been|has\s+been|had\s+been)\s+"
_MODIFIERS = r"(?P<mods>(?:(?:[A-Z][\w’'.-]*|or|and|multiple|several|many|some|heavy|serious|immediate|further)\s+){0,3})"
_NOUN = r"(?P<noun>[a-z]{4,})\b"
_AFTER = r"(?:\s+(?:among|of|in|to|for)\s+(?:the\s+)?(?P<entity>[A-Z][\w’'-]*))?"
_NEGATED = re.compile(r"\b(?:" + _THERE + r")?(?:no|not\s+(?:\w+\s+)?any|without\s+any|never\s+any)\s+" + _MODIFIERS + _NOUN + _AFTER)
_ASSERTED = re.compile(r"\b" + _THERE + _MODIFIERS + _NOUN + _AFTER)
# "<Name> confirmed the attack" against "<Name> denied the attack": the same statement, opposite polarity.
_CONFIRMED = re.compile(
    r"(?P<entity>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})\s+(?:(?:has|have|had|later|also|officially)\s+)?"
    r"(?P<verb>confirmed|confirms|denied|denies)\s+(?:the\s+|a\s+|an\s+|any\s+|its\s+|their\s+|his\s+|her\s+)?(?P<noun>[a-z]{4,})\b"
)
# Words before an assertion that make it no assertion: "whether there were casualties", "if there are".
_HEDGED = re.compile(r"\b(?:no|not|n’t|n't|never|whether|if|unclear|unknown|any|deny|denied|denies)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    article: str
    start: int
    end: int
    text: str
    noun: str
    entity: str
    negated: bool
    attributed_to: str | None


def _entity_key(word: str) -> str:
    """One key for a people, its country and its adjective: Iraq, Iraqi, Iraqis -> iraq."""
    w = fold_text(_POSSESSIVE_END.sub("", word))
    return re.sub(r"(?:ians|ian|ans|an|is|i|s)$", "", w) if len(w) > 4 else w


def _singular(noun: str) -> str:
    return re.sub(r"ies$", "y", noun) if noun.endswith("ies") else noun.removesuffix("s")


def claim_statements(article: Article) -> list[Claim]:
    """Statements that something exists or not, about a named people or place ("there were no Iraqi casualties"),
    and a named party confirming or denying something ("the Pentagon denied the report")."""
    out = []
    for block in article.content_blocks():
        text = article.text
        found = [(m, True) for m in _NEGATED.finditer(text, block.start, block.end)]
        found += [(m, False) for m in _ASSERTED.finditer(text, block.start, block.end)]
        for m, negated in found:
            if not negated:
                if re.search(r"\b(?:no|not|any)\b", m.group("mods"), re.IGNORECASE):
                    continue
                s, _ = sentence_bounds(text, block.start, block.end, m.start())
                if _HEDGED.search(text, s, m.start()) or _NEGATED.match(text, m.start()):
                    continue
            entities = [w for w in re.findall(r"[A-Z][\w’'-]*", m.group("mods"))] + ([m.group("entity")] if m.group("entity") else [])
            if not entities or m.group("noun") in STOPWORDS:
                continue
            who = attribution(text, block.start, block.end, m.start(), m.end())
            noun = m.group("noun").lower()
            out.append(Claim(article.id, m.start(), m.end(), m.group(), noun, entities[0], negated, who))
        for m in _CONFIRMED.finditer(text, block.start, block.end):
            if m.group("noun") in STOPWORDS:
                continue
            negated = m.group("verb").startswith("den")
            entity = _POSSESSIVE_END.sub("", m.group("entity").removeprefix("The ").split()[-1])
            out.append(Claim(article.id, m.start(), m.end(), m.group(), m.group("noun"), entity, negated, m.group("entity")))
    return out


def _claim_value(c: Claim) -> str:
    verb = _CONFIRMED.fullmatch(c.text)
    if verb:
        return f"{'denied' if c.negated else 'confirmed'} {c.noun}"
    return f"no {c.noun}" if c.negated else c.noun


def claim_facts(articles: Sequence[Article]) -> list[Fact]:
    """The same claim about the same people or place, asserted in one article and denied in another."""
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for a in articles:
        for c in claim_statements(a):
            groups[(_singular(c.noun), _entity_key(c.entity))].append(c)
    out = []
    for cs in groups.values():
        yes = {c.article for c in cs if not c.negated}
        no = {c.article for c in cs if c.negated}
        if not yes or not no or yes == no and len(yes) == 1:
            continue
        denial = next(c for c in cs if c.negated)
        values = tuple(
            FactValue(c.article, c.start, c.end, c.text, _claim_value(c), c.attributed_to)
            for c in sorted(cs, key=lambda c: (c.negated, c.article, c.start))
        )
        label = f"{denial.entity} on {denial.noun}" if _CONFIRMED.fullmatch(denial.text) else f"{denial.entity} {denial.noun}"
        out.append(Fact("claim", label, values, "conflict"))
    return out


RELATION_ORDER = {name: k for k, name in enumerate(RELATION_NAMES)}


def facts(articles: Sequence[Article]) -> tuple[Fact, ...]:
    """Every count, time, name and claim that two or more articles state, conflicts first."""
    found = claim_facts(articles) + count_facts(articles) + time_facts(articles) + name_facts(articles)
    return tuple(sorted(found, key=lambda f: (RELATION_ORDER[f.relation], f.kind, f.label)))
