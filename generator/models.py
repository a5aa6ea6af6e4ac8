"""The domain: articles, spans, passages, differences, facts and topics.

Every offset in this module is a Python string index into ``Article.text``, the
article's decoded text with newlines untranslated, so ``text[start:end]`` is
always the exact characters a span stands for.  Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator.kinds import NAMES as KIND_NAMES
from generator.kinds import DifferenceKind
from generator.relations import BY_NAME as RELATIONS
from generator.relations import RelationName

SCHEMA = "source-compare/1"

BlockKind = Literal["headline", "paragraph", "boilerplate", "markup"]
PassageKind = Literal["reuse", "paraphrase"]
Attribution = Literal["same", "one", "none"]  # both name the same source / only one names a source / neither does
DIFFERENCE_KINDS: tuple[str, ...] = KIND_NAMES


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of one article: ``article.text[start:end]``."""

    article: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.article}[{self.start}:{self.end}]")

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Block:
    """A block of an article (a line, a Markdown paragraph) and what it is.

    Boilerplate and markup blocks keep their offsets but are left out of alignment.
    """

    start: int
    end: int
    kind: BlockKind = "paragraph"


@dataclass(frozen=True)
class Article:
    """One article as read from disk; ``id`` is the file name without extension."""

    id: str
    path: str
    text: str
    title: str
    encoding: str
    blocks: tuple[Block, ...]
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    byline: str | None = None
    note: str | None = None

    @property
    def chars(self) -> int:
        return len(self.text)

    def content_blocks(self) -> tuple[Block, ...]:
        """The blocks that take part in alignment (headline and paragraphs)."""
        return tuple(b for b in self.blocks if b.kind in ("headline", "paragraph"))


@dataclass(frozen=True)
class MatchEvidence:
    """Why the aligner takes two wordings for one statement, and how sure it is.

    ``confidence`` is calibrated on hand-annotated topics: of the pairs given 0.7,
    about 70 % were the same statement by the annotators' reading.
    """

    confidence: float
    model: float  # cosine similarity of the two sentences in the sentence model (-1..1)
    words: float  # idf-weighted share of content words the two sentences have in common (0..1)
    shared: tuple[str, ...] = ()  # those words, as the first sentence writes them
    attribution: Attribution = "none"


@dataclass(frozen=True)
class Member:
    """One occurrence of a passage in one article.

    ``kind`` is ``paraphrase`` for a place that states the passage's statement in
    other words (with ``evidence`` saying why) rather than reproducing its text.
    """

    article: str
    start: int
    end: int
    text: str
    kind: PassageKind = "reuse"
    evidence: MatchEvidence | None = None


@dataclass(frozen=True)
class Difference:
    """One change of a member against the passage's base reading.

    ``start``/``end``/``text`` are in the member's article; ``base_text`` is the
    base reading's words at that place (empty for an addition).  ``base_start``
    and ``base_end`` locate those words in the base member's article.
    """

    article: str
    start: int
    end: int
    text: str
    base_text: str
    kind: DifferenceKind
    base_start: int = 0
    base_end: int = 0
    note: str = ""


@dataclass(frozen=True)
class Passage:
    """A passage that occurs in two or more places, with its differences."""

    id: str
    kind: PassageKind
    members: tuple[Member, ...]
    base: int = 0
    differences: tuple[Difference, ...] = ()
    similarity: float = 1.0
    confidence: float = 1.0  # how sure the aligner is that the members state the same thing (reuse: 1.0)
    evidence: MatchEvidence | None = None  # a paraphrase passage's weakest link between two members

    @property
    def base_member(self) -> Member:
        return self.members[self.base]

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.article for m in self.members))


@dataclass(frozen=True)
class Evidence:
    """One reason to think an article was machine-translated."""

    kind: str
    start: int
    end: int
    text: str
    note: str = ""
    other_article: str | None = None
    other_text: str = ""


@dataclass(frozen=True)
class TranslationVerdict:
    suspected: bool = False
    score: float = 0.0
    evidence: tuple[Evidence, ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class FactValue:
    """One article's statement of a fact, with the value it normalises to.

    ``attributed_to`` is who the article says states it ("a Pentagon official",
    "Iran's Islamic Revolutionary Guard Corps"), None when the outlet says it
    in its own voice: outlets reporting different parties' claims are not
    outlets disagreeing.
    """

    article: str
    start: int
    end: int
    text: str
    value: str
    attributed_to: str | None = None


@dataclass(frozen=True)
class Fact:
    """A quantity, time, name or claim that several articles state, and how their statements relate."""

    kind: str
    label: str
    values: tuple[FactValue, ...]
    relation: RelationName

    @property
    def agree(self) -> bool:
        """False only for a conflict (the JSON's older field)."""
        return RELATIONS[self.relation].agree


@dataclass(frozen=True)
class Finding:
    """Something odd inside one article: a typo, a name spelled two ways, a duplicated paragraph.

    ``other_*`` locate the reading it was judged against (the right spelling,
    the other spelling, the first copy), possibly in another article.
    """

    kind: str
    article: str
    start: int
    end: int
    text: str
    other_article: str
    other_start: int
    other_end: int
    other_text: str
    note: str = ""


@dataclass(frozen=True)
class Topic:
    """The articles of one event, with the metadata a user gave or the text revealed."""

    slug: str
    title: str
    articles: tuple[Article, ...]
    summary: str | None = None
    folder: str = ""

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)


@dataclass(frozen=True)
class Rendition:
    """An article and its version in another language: which is the original, and what each lacks."""

    original: str
    translation: str
    evidence: str = ""  # why ``original`` is the original; empty when nothing says which one is
    dropped: tuple[Span, ...] = ()  # statements of the original the translation lacks
    added: tuple[Span, ...] = ()  # statements of the translation the original lacks


@dataclass(frozen=True)
class CrossLanguage:
    """What comparing a topic's articles across languages found, or why it could not (``note``)."""

    passages: tuple[Passage, ...] = ()
    renditions: tuple[Rendition, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    """Everything the compare stage found for one topic; the render stage's only input."""

    topic: Topic
    passages: tuple[Passage, ...]
    translation: dict[str, TranslationVerdict] = field(default_factory=dict)
    facts: tuple[Fact, ...] = ()
    unique: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    cross_language: CrossLanguage | None = None  # None: the topic's articles share one language
