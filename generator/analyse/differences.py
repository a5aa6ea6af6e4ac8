"""Classify word-level changes, and find misspellings and name variants inside articles.

A change is judged from the two readings alone plus what the whole topic
says: a word is a *typo* when it is rare in the topic and one or two edits
away from a word that other places spell that way; two capitalised words are
a *name variant* when they sound alike (same consonant skeleton) or are very
close in spelling; US/UK pairs come from breame's maintained lists.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from breame.spelling import get_american_spelling
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein
from unidecode import unidecode
from wordfreq import zipf_frequency

from generator.kinds import DifferenceKind
from generator.models import Article, Finding, Passage
from generator.normalise import STOPWORDS, WORD, tokenize

# English number and time vocabulary: a change touching one of these is about a quantity or a date.
NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    hundreds thousand thousands million millions billion billions dozen dozens tens score scores
    half quarter first second third fourth fifth once twice several multiple handful couple
    am pm a.m p.m gmt utc est edt et pst cet bst noon midnight
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# Endings that turn one English word form into another; such pairs are grammar, not typos.
INFLECTIONS = ("", "s", "es", "d", "ed", "ing", "r", "er", "ers", "est", "ly", "y", "n", "ns", "an", "ans", "ian", "ians", "i", "is", "en")
_POSSESSIVE = re.compile(r"[’']s$")
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")
_WORDCHAR = re.compile(r"\w")
_DIGIT = re.compile(r"\d")
WINDOW = 6
NAME_SIMILARITY = 80  # letters in common (0-100) of two spellings of one name: Erbil/Irbil 80, Hill/Hull 75
REAL_WORD_ZIPF = 3.0  # wordfreq's Zipf scale: 3 is about once per million words ("vase", "Manuel"; "Ismael" is 2.5)
TWO_NAMES_ZIPF = 2.0  # two spellings both this common are two names (Johnsen 2.1, Johnson 4.7), not one written twice
KNOWN_NAME_ZIPF = 1.0  # a name wordfreq has seen at all ("Finnan" 1.5, "Balham" 2.1) is someone's name, not a slip ("Soleimai" 0)
DUPLICATE_SIMILARITY = 80


def fold_text(text: str) -> str:
    """Lower-case ASCII letters and digits only: equal for readings that differ in marks, case or accents."""
    return re.sub(r"[\W_]", "", unidecode(text).lower())


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A transliteration-blind key: each run of vowels one "a", no doubled letters (Qassem, Qasem -> kasam).

    Transliterations of one name mostly differ in which vowel is written,
    doubled letters and a silent "h" (Erbil/Irbil, Asad/Assad, Mohammad/Muhammad),
    which is what this key drops; consonants and the shape of the word stay.
    """
    w = re.sub(r"[^a-z]", "", unidecode(word).lower())
    w = w.replace("ph", "f").replace("ck", "k").replace("q", "k").replace("c", "k")
    w = re.sub(r"(?<=[^aeiouy])h", "", w)
    return _DOUBLE.sub(r"\1", _VOWELS.sub("a", w))


def is_capitalised(text: str) -> bool:
    """True when every word of ``text`` has a capital letter (a proper noun, read naively)."""
    words = WORD.findall(text)
    return bool(words) and all(any(c.isupper() for c in w) for w in words)


def numbers_in(text: str) -> list[str]:
    """The figures and number, time or date words of ``text``, in order (lower case)."""
    return [
        w.lower().rstrip(".")
        for w in re.findall(r"\d[\d.,:]*|[A-Za-z][A-Za-z.]*", text)
        if w[0].isdigit() or w.lower().rstrip(".") in NUMBER_WORDS
    ]


def _us_spelling(word: str) -> str:
    parts = re.split(r"([\-’'])", unidecode(word).lower())
    return "".join(get_american_spelling(p) if p.isalpha() else p for p in parts)


def is_spelling_variant(a: str, b: str) -> bool:
    """True for US/UK pairs (defence/defense, self-defence/self-defense) and open/closed compounds."""
    wa, wb = WORD.findall(a), WORD.findall(b)
    if len(wa) == len(wb) and wa and all(_us_spelling(x) == _us_spelling(y) for x, y in zip(wa, wb)):
        return True
    return fold_text(a) == fold_text(b)


def is_inflection(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ only by a common English ending (missile/missiles, attack/attacked)."""
    a, b = a.lower(), b.lower()
    stem = 0
    while stem < min(len(a), len(b)) and a[stem] == b[stem]:
        stem += 1
    return stem >= 3 and a[stem:] in INFLECTIONS and b[stem:] in INFLECTIONS


@dataclass
class Vocabulary:
    """The words of a topic: where each form occurs, and which words stand around it.

    ``contexts`` keeps, per form, where it stands in ``blocks`` (each block's
    folded words); the window of neighbours is cut only when a typo check asks.
    """

    places: dict[str, list[tuple[str, int, int]]] = field(default_factory=lambda: defaultdict(list))
    contexts: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    blocks: list[list[str]] = field(default_factory=list)
    lower_forms: set[str] = field(default_factory=set)
    # Per form: in how many articles and how many places it occurs, counted when first asked (the typo search asks
    # about the same few thousand forms tens of thousands of times).
    _spreads: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)
    _kinds: dict[tuple[str, str], DifferenceKind] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, articles: Iterable[Article]) -> Vocabulary:
        v = cls()
        # Each word as written, with its form's lists of places and contexts: one look-up per word of the topic.
        forms: dict[str, tuple[list[tuple[str, int, int]], list[tuple[int, int]]]] = {}
        for a in articles:
            text, aid = a.text, a.id
            for block in a.content_blocks():
                tokens = tokenize(text, block.start, block.end)
                b = len(v.blocks)
                v.blocks.append([t.norm for t in tokens])
                for k, t in enumerate(tokens):
                    start, end = t.start, t.end
                    w = text[start:end]
                    lists = forms.get(w)
                    if lists is None:
                        form = _plain(w).lower()
                        lists = forms[w] = (v.places[form], v.contexts[form])
                        if w.islower():
                            v.lower_forms.add(w)
                    lists[0].append((aid, start, end))
                    lists[1].append((b, k))
        return v

    def count(self, word: str) -> int:
        return self._spread(word)[1]

    def kind(self, base_text: str, text: str) -> DifferenceKind:
        """:func:`classify` with this vocabulary, each pair of readings judged once: wire copy repeats the
        same edits in many members, and suspected translations are diffed twice."""
        found = self._kinds.get((base_text, text))
        if found is None:
            found = self._kinds[(base_text, text)] = classify(base_text, text, self)
        return found

    def _spread(self, word: str) -> tuple[int, int]:
        """In how many articles ``word`` occurs, and in how many places."""
        form = _plain(word).lower()
        spread = self._spreads.get(form)
        if spread is None:
            places = self.places.get(form, ())
            spread = self._spreads[form] = (len({p[0] for p in places}), len(places))
        return spread

    def _window(self, b: int, k: int) -> frozenset[str]:
        content = self.blocks[b]
        near = content[max(0, k - WINDOW) : k] + content[k + 1 : k + 1 + WINDOW]
        return frozenset(c for c in near if c not in STOPWORDS and len(c) > 2)

    def shares_context(self, word: str, right: str) -> bool:
        """Some place of ``right`` has two or more of the content words that surround ``word``."""
        mine = set().union(*(self._window(b, k) for b, k in self.contexts.get(_plain(word).lower(), ())))
        return any(len(mine & self._window(b, k)) >= 2 for b, k in self.contexts.get(_plain(right).lower(), ()))

    def is_established(self, word: str) -> bool:
        """Spelled this way in two or more articles, or three times: not an accident."""
        articles, places = self._spread(word)
        return articles >= 2 or places >= 3

    def is_rare(self, word: str) -> bool:
        articles, places = self._spread(word)
        return articles <= 1 and places <= 2


def near_miss(word: str, right: str, limit: int = 2) -> bool:
    """One edit (up to ``limit`` for long words) apart, and not two forms of one English word."""
    if not 4 <= min(len(word), len(right)) <= max(len(word), len(right)) <= MAX_WORD:
        return False
    if word.lower() == right.lower() or is_inflection(word, right):
        return False
    limit = 1 if max(len(word), len(right)) <= 5 else limit
    return DamerauLevenshtein.distance(word.lower(), right.lower()) <= limit


def _plain(word: str) -> str:
    """``word`` without a possessive ’s; the test first spares the regex on the many words that cannot have one."""
    return _POSSESSIVE.sub("", word) if "s" in word[-2:] else word


@lru_cache(maxsize=65536)
def _kind_of_word(word: str) -> str:
    """"name" (capitalised), "lower", or "other" (acronyms, handles, numbers: never typos)."""
    if _DIGIT.search(word) or sum(c.isupper() for c in word) > 1:
        return "other"
    return "name" if word[:1].isupper() else "lower"


def is_typo(word: str, right: str, vocab: Vocabulary, aligned: bool = True) -> bool:
    """``word`` misspells ``right``: rare in the topic, close to a spelling the topic establishes.

    Proper nouns must also sound different (else it is a name variant) and
    not both be names English knows (Samuel and Manuel are two people).
    Without an alignment that puts ``right`` in its place (``aligned``), a
    real English word ("threw" near "three", "Israeli" near "Ismael") is never
    a typo, and the rest must share the content words around them with a
    place where ``right`` stands; a lower-case word must also be one edit
    away and occur once.
    """
    word, right = _plain(word), _plain(right)
    if not (WORD.fullmatch(word) and WORD.fullmatch(right)):
        return False
    kind = _kind_of_word(word)
    if kind == "other" or kind != _kind_of_word(right) and not (kind == "lower" and right.istitle() and aligned):
        return False
    if not (vocab.is_rare(word) and vocab.is_established(right) and near_miss(word, right)):
        return False
    if is_spelling_variant(word, right) or suffix_swap(word, right) or {word.lower(), right.lower()} & STOPWORDS:
        return False
    if kind == "name":
        if skeleton(word) == skeleton(right) or is_real_word(word) and is_real_word(right):
            return False
        if aligned:
            return True
        # Unaligned, a slip keeps a name's first letter, and English does not know it as a name of its own.
        return word[0] == right[0] and zipf_frequency(word, "en") < KNOWN_NAME_ZIPF and vocab.shares_context(word, right)
    if aligned:
        return True
    if is_real_word(word):
        return False
    return vocab.count(word) == 1 and vocab.count(right) >= 3 and near_miss(word, right, 1) and vocab.shares_context(word, right)


def suffix_swap(a: str, b: str) -> bool:
    """Two words that share all but their last few letters and swap those (Ministry/Minister): derivation, not a slip."""
    a, b = a.lower(), b.lower()
    stem = 0
    while stem < min(len(a), len(b)) and a[stem] == b[stem]:
        stem += 1
    ra, rb = a[stem:], b[stem:]
    return bool(ra and rb) and max(len(ra), len(rb)) <= 3 and DamerauLevenshtein.distance(ra, rb) >= 2


def is_name_variant(a: str, b: str) -> bool:
    """Two spellings of one proper noun: capitalised, and alike in sound or in letters."""
    if not (is_capitalised(a) and is_capitalised(b)):
        return False
    fa, fb = fold_text(a), fold_text(b)
    if not fa or not fb or fa == fb or is_inflection(fa, fb):
        return False
    if skeleton(a) == skeleton(b):
        return True
    return fuzz.ratio(fa, fb) >= 80 and len(WORD.findall(a)) <= 3 and len(WORD.findall(b)) <= 3


@dataclass(frozen=True)
class Edit:
    """The classifier's one state object: a change's two readings and the topic's words, read by every rule."""

    base_text: str
    text: str
    vocab: Vocabulary

    @property
    def has_base(self) -> bool:
        return bool(_WORDCHAR.search(self.base_text))

    @property
    def has_text(self) -> bool:
        return bool(_WORDCHAR.search(self.text))

    @property
    def same_letters(self) -> bool:
        """The same letters in the same order, whatever the marks and case between them."""
        return _letters(self.base_text).lower() == _letters(self.text).lower()

    @property
    def split_differs(self) -> bool:
        """The readings cut their letters into a different number of words (air base/airbase)."""
        return len(self.base_text.replace("-", " ").split()) != len(self.text.replace("-", " ").split())


# A rule reads the edit and names its kind, or passes (None) to the next rule.
Rule = Callable[[Edit], DifferenceKind | None]


def _omission(c: Edit) -> DifferenceKind | None:
    return "omission" if c.has_base and not c.has_text else None


def _addition(c: Edit) -> DifferenceKind | None:
    return "addition" if c.has_text and not c.has_base else None


def _capitalisation(c: Edit) -> DifferenceKind | None:
    """The same characters but for case (President/president, These/these)."""
    return "capitalisation" if c.base_text != c.text and c.base_text.lower() == c.text.lower() else None


def _punctuation(c: Edit) -> DifferenceKind | None:
    """No letters either side, or the same letters with other marks between them (U.S./US)."""
    if (not c.has_base and not c.has_text) or (c.same_letters and not c.split_differs):
        return "punctuation"
    return None


def _compound(c: Edit) -> DifferenceKind | None:
    """Open and closed compounds of the same letters (air base/airbase, well-known/well known)."""
    return "spelling variant" if c.same_letters and c.split_differs else None


def _us_uk(c: Edit) -> DifferenceKind | None:
    return "spelling variant" if is_spelling_variant(c.base_text, c.text) else None


def _number(c: Edit) -> DifferenceKind | None:
    """A change that leaves every figure as it was is no number change."""
    return "number" if numbers_in(c.base_text) != numbers_in(c.text) else None


def _sound_alike_name(c: Edit) -> DifferenceKind | None:
    return "name variant" if is_name_variant(c.base_text, c.text) and skeleton(c.base_text) == skeleton(c.text) else None


def _typo(c: Edit) -> DifferenceKind | None:
    return "typo" if is_typo(c.text, c.base_text, c.vocab) or is_typo(c.base_text, c.text, c.vocab) else None


def _name(c: Edit) -> DifferenceKind | None:
    return "name variant" if is_name_variant(c.base_text, c.text) else None


def _letters(text: str) -> str:
    return re.sub(r"[\W_]", "", text)


# The classifier, the markdown-it way: named rules in order, the first that names a kind decides, and
# "wording" when none does.  Order matters: a change of case alone is capitalisation before punctuation
# can claim it, a figure beats a name (tests/test_kinds.py pins both), a sound-alike name is tried before
# a typo.  A new kind is a row in generator/kinds.py and a rule here.  Doubled words ("the the") are
# found inside each article (:func:`slips`), not here; "translation" is given by the translation stage.
RULES: tuple[tuple[str, Rule], ...] = (
    ("omission", _omission),
    ("addition", _addition),
    ("capitalisation", _capitalisation),
    ("punctuation", _punctuation),
    ("compound", _compound),
    ("us-uk spelling", _us_uk),
    ("number", _number),
    ("sound-alike name", _sound_alike_name),
    ("typo", _typo),
    ("name", _name),
)
FALLBACK: DifferenceKind = "wording"


def classify(base_text: str, text: str, vocab: Vocabulary | None = None) -> DifferenceKind:
    """The kind of one change from ``base_text`` to ``text``, judged with the topic's words."""
    edit = Edit(base_text, text, vocab or Vocabulary())
    for _, rule in RULES:
        kind = rule(edit)
        if kind is not None:
            return kind
    return FALLBACK


@lru_cache(maxsize=65536)
def is_real_word(word: str) -> bool:
    """A word (or a name) English uses often enough to be written on purpose: "threw", "Samuel", "Israeli".

    From wordfreq's maintained frequency lists, so that a word the topic
    happens to use once is not taken for a slip just because a more frequent
    word of the topic is one letter away.
    """
    return zipf_frequency(_plain(word), "en") >= REAL_WORD_ZIPF


# A word printed twice in a row ("the the"); "had had", "that that" and "all it was was" are English.
_DOUBLED = re.compile(r"\b([^\W\d_]+)[ \t]+(\1)\b", re.IGNORECASE)
_GRAMMATICAL_DOUBLES = frozenset({"had", "that", "is", "was"})
# A past form standing between two prepositions ("in charged of"): the noun was meant ("in charge of").
_PREPOSITIONS = "in|of|on|at|for|with|by|from|into"
_INFLECTED_IN_PHRASE = re.compile(rf"\b(?:{_PREPOSITIONS})[ \t]+(?P<word>[a-z]{{3,}}(?P<ending>e?d))[ \t]+(?:{_PREPOSITIONS}|to)\b")


def slips(articles: Sequence[Article]) -> list[Finding]:
    """Doubled words and a wrong inflection inside a common phrase: typos no other article has to be compared with."""
    found = []
    for a in articles:
        for block in a.content_blocks():
            for m in _DOUBLED.finditer(a.text, block.start, block.end):
                if m.group(1).lower() in _GRAMMATICAL_DOUBLES or m.group(2)[0].isupper():
                    continue
                found.append(
                    Finding("typo", a.id, m.start(2), m.end(2), m.group(2), a.id, m.start(1), m.end(1), m.group(1), "word printed twice")
                )
            for m in _INFLECTED_IN_PHRASE.finditer(a.text, block.start, block.end):
                word = m.group("word")
                stems = [word[: -len(m.group("ending"))], word[:-1]]
                stem = next((w for w in stems if is_real_word(w) and zipf_frequency(w, "en") > zipf_frequency(word, "en")), None)
                if stem is None:
                    continue
                phrase = a.text[m.start() : m.end()].replace(word, stem)
                found.append(Finding("typo", a.id, m.start("word"), m.end("word"), word, a.id, m.start("word"), m.end("word"), word,
                                     f"a wrong inflection: “{phrase}”"))
    return found


def typos(articles: Sequence[Article], vocab: Vocabulary) -> list[Finding]:
    """Every rare word that misspells a word the topic spells right elsewhere (Soleimai, Zafrim for Zarif)."""
    texts = {a.id: a.text for a in articles}
    found = []
    forms = sorted(vocab.places)
    rare = [f for f in forms if vocab.is_rare(f) and 4 <= len(f) <= MAX_WORD]
    near = _within_two_edits(rare, [f for f in forms if vocab.is_established(f) and len(f) <= MAX_WORD])
    for form in rare:
        candidates = near[form]
        if not candidates:
            continue
        for article, s, e in vocab.places[form]:
            word = texts[article][s:e]
            right = _best_right(word, candidates, vocab)
            if right is None:
                continue
            ra, rs, re_ = _first_place(vocab, right, prefer=article)
            found.append(Finding("typo", article, s, e, word, ra, rs, re_, texts[ra][rs:re_], f"elsewhere spelled “{texts[ra][rs:re_]}”"))
    return found


EDIT_DEPTH = 2
# Longer "words" are pasted data (a CSV row is one token), never typos: their n²/2 deletions of length n
# took gigabytes.  The index cap bounds a topic of very many rare words the same way.
MAX_WORD = 40
MAX_DELETIONS = 500_000  # six times the deletions of the largest WikiRef220 topic (76,000)


def _within_two_edits(queries: Sequence[str], words: Sequence[str]) -> dict[str, list[str]]:
    """Per query, the words that may be within two edits of it, found through shared deletions (the SymSpell idea).

    Any two words at most two edits apart share a string made by deleting at
    most two letters from each, so only words that share one are returned
    instead of the whole vocabulary: a topic's typo search stays linear in its
    size.  Sharing is symmetric, so the smaller side is indexed and the larger
    one only looks its deletions up, which saves building a set per deletion.
    """
    found: dict[str, set[str]] = {q: set() for q in queries}
    indexed, scanned = (queries, words) if len(queries) <= len(words) else (words, queries)
    index: dict[str, list[str]] = defaultdict(list)
    for w in indexed:
        if len(index) > MAX_DELETIONS:
            break
        for d in _deletions(w, EDIT_DEPTH):
            index[d].append(w)
    for w in scanned:
        for d in index.keys() & _deletions(w, EDIT_DEPTH):
            for v in index[d]:
                query, word = (v, w) if indexed is queries else (w, v)
                found[query].add(word)
    return {q: sorted(ws) for q, ws in found.items()}


def _deletions(word: str, depth: int) -> set[str]:
    """``word`` with up to ``depth`` letters deleted.  Each step deletes only at or after the
    previous deletion, so every set of positions is deleted once, not once per order."""
    out = {word}
    frontier = [(word, 0)]
    for _ in range(depth):
        frontier = [(w[:i] + w[i + 1 :], i) for w, first in frontier for i in range(first, len(w))]
        out.update(w for w, _ in frontier)
    return out


def _best_right(word: str, candidates: Sequence[str], vocab: Vocabulary) -> str | None:
    hits = []
    for right in candidates:
        surface = _surface(vocab, right)
        if is_typo(word, surface, vocab, aligned=False):
            hits.append((-vocab.count(right), right))
    return min(hits)[1] if hits else None


def _surface(vocab: Vocabulary, form: str) -> str:
    """How ``form`` is written: capitalised only if the topic never writes it in lower case."""
    return form if form in vocab.lower_forms else form[:1].upper() + form[1:]


def _first_place(vocab: Vocabulary, form: str, prefer: str) -> tuple[str, int, int]:
    places = vocab.places[form.lower()]
    return next((p for p in places if p[0] == prefer), places[0])


def is_respelling(a: str, b: str) -> bool:
    """One name written two ways (Erbil/Irbil, Macedonia/Macadonia), not two names that sound alike.

    Alike in sound and close in letters, no figure in either (GS4/GS5 are two
    phones), and not both names English knows (Europe and Europa, Johnson and
    Johnsen, Guinea and Guiana can each be meant; Irbil is rare beside Erbil).
    """
    if re.search(r"\d", a + b) or not is_name_variant(a, b) or skeleton(a) != skeleton(b):
        return False
    both_known = min(zipf_frequency(_plain(a), "en"), zipf_frequency(_plain(b), "en")) >= TWO_NAMES_ZIPF
    return fuzz.ratio(fold_text(a), fold_text(b)) >= NAME_SIMILARITY and not both_known


def name_inconsistencies(articles: Sequence[Article], vocab: Vocabulary) -> list[Finding]:
    """Proper nouns that one article spells two ways (Erbil and Irbil in the same report)."""
    found = []
    for a in articles:
        names: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for block in a.content_blocks():
            for t in tokenize(a.text, block.start, block.end):
                w = a.text[t.start : t.end]
                if w[:1].isupper() and w.lower() not in vocab.lower_forms and len(fold_text(w)) >= 4:
                    names[w].append((t.start, t.end))
        spellings = sorted(names, key=lambda w: (-len(names[w]), names[w][0]))
        alike: dict[str, list[str]] = defaultdict(list)  # skeleton -> spellings so far, most frequent first
        for minor in spellings:
            earlier = alike[skeleton(minor)]
            major = next((w for w in earlier if is_respelling(w, minor)), None)
            earlier.append(minor)
            if major is None:
                continue
            ms, me = names[major][0]
            for s, e in names[minor]:
                found.append(Finding("name variant", a.id, s, e, minor, a.id, ms, me, major, f"also spelled “{major}” in this article"))
    return found


def duplicates(passages: Sequence[Passage]) -> list[Finding]:
    """Paragraphs an article prints twice: passage members that share an article."""
    found = []
    for p in passages:
        seen: dict[str, int] = {}
        for k, m in enumerate(p.members):
            first = p.members[seen[m.article]] if m.article in seen else None
            if first is not None and fuzz.ratio(first.text, m.text) >= DUPLICATE_SIMILARITY:
                found.append(Finding("duplicate", m.article, m.start, m.end, m.text, first.article, first.start, first.end, first.text,
                                     f"repeats passage {p.id}"))
            seen.setdefault(m.article, k)
    return found


def findings(articles: Sequence[Article], passages: Sequence[Passage], vocab: Vocabulary) -> tuple[Finding, ...]:
    """Everything odd inside single articles, in reading order."""
    found = typos(articles, vocab) + slips(articles) + name_inconsistencies(articles, vocab) + duplicates(passages)
    order = {a.id: n for n, a in enumerate(articles)}
    return tuple(sorted(found, key=lambda f: (order[f.article], f.start, f.kind)))

