"""Metadata from scraped text: headline, date, byline, outlet, language, boilerplate.

Scraped articles carry their metadata inside the text: a date line under the
headline, a radio station's show schedule above it, a site's "More from …"
footer below.  These functions read what the text gives away and mark such
lines as boilerplate (kept with their offsets, left out of alignment).  What
the text does not say stays empty; metadata the user gave always wins and is
merged by the reader, not here.  Everything here is pure.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from generator.models import Block
from generator.normalise import MONTHS, WORD
from generator.normalise import STOPWORDS as FUNCTION_WORDS

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:,?\s*(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
DATE_PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?\b"),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b" + _TIME, re.I),
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b" + _TIME, re.I),
)
# "Clive Bull 1am - 4am", "Breakfast Show 6:00 AM – 9:00 AM": a station's on-air schedule line.
SHOW_SCHEDULE = re.compile(
    r"^[\w .'’&-]{2,60}?\s+\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\.?\s*[-–—to]+\s*\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\.?$", re.I
)
BYLINE = re.compile(r"^(?:by|written by|words by)\s+(?P<name>[^\d|,;:]{3,80}?)(?:\s*[|,;:].*)?$", re.I)
# Footer lines that name the site: group "outlet" is the name.
OUTLET_LINES = (
    re.compile(r"^more (?:from|on|at) (?P<outlet>.{2,60}?)[.:!]?$", re.I),
    re.compile(r"^send (?:a|us a|your) tips? to (?:the )?(?:news ?team|newsroom|editors?) (?:at|of) (?P<outlet>.{2,60}?)\.?$", re.I),
    re.compile(r"^(?:copyright|©|\(c\))\s*(?:©\s*)?(?:(?:19|20)\d{2}\s*)?(?P<outlet>[^.|]{2,60}?)\.?(?:\s*all rights reserved\.?)?$", re.I),
    re.compile(r"^follow (?P<outlet>.{2,60}?) on (?:twitter|facebook|instagram|x)\.?$", re.I),
)
# Page furniture that says nothing about the article.
FURNITURE = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|the latest|latest news|recently played|loading(?: playlist)?\W*"
    r"|read more|related(?: articles| stories| news)?|share(?: this(?: article| story)?)?|comments?|subscribe(?: now)?"
    r"|sign up(?: for .*)?|listen live|watch live|most popular|trending(?: now)?|click here.*|skip to (?:main )?content"
    r"|this (?:is a breaking (?:news )?story|story is developing)(?: and will be updated)?\.?)\W*$",
    re.I,
)
# English function words: an article that uses them this much is English, no model needed.
ENGLISH_WORDS = frozenset("the and of to in is that for it was on with as he his by at are from this be have an not they".split())
CLEAR_ENGLISH = 0.2  # share of words that are English function words in clear English prose (typically 0.25-0.35)
LANGUAGE_CONFIDENCE = 0.9  # py3langid's probability below which the language is left unknown
MIN_LANGUAGE_WORDS = 20
EDGE_WORDS = 12  # a sentence this long is article text, not page furniture
HEADLINE_WORDS = 30
LEDE_TITLE_WORDS = 14  # a title cut from the lede ends after at most this many words…
LEDE_TITLE_MIN_WORDS = 8  # …and at least this many, before a function word where it can


def words(line: str) -> int:
    return len(WORD.findall(line))


def has_words(line: str, n: int) -> bool:
    """``words(line) >= n``, stopping at the ``n``-th word."""
    return next(islice(WORD.finditer(line), n - 1, None), None) is not None


def find_date(line: str) -> str | None:
    """The first date in ``line`` as ISO 8601 (``2020-01-07`` or ``2020-01-07T23:50``)."""
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(line):
            g = m.groupdict()
            month = int(g["month"]) if g["month"].isdigit() else MONTHS[g["month"].lower().rstrip(".")]
            try:
                day = date(int(g["year"]), month, int(g["day"]))
            except ValueError:
                continue
            if not g.get("hour"):
                return day.isoformat()
            hour, minute = int(g["hour"]), int(g["minute"])
            ampm = (g.get("ampm") or "").lower().replace(".", "")
            hour = hour % 12 + (12 if ampm == "pm" else 0) if ampm else hour
            if hour < 24 and minute < 60:
                return f"{day.isoformat()}T{hour:02d}:{minute:02d}"
            return day.isoformat()
    return None


def is_dateline(line: str) -> bool:
    """A line that is mostly a date: "7 January 2020, 23:50 | Updated: …", "date 2020-01-07 advertisement"."""
    if find_date(line) is None:
        return False
    rest = line
    for pattern in DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b(?:date|updated|published|posted|last updated|on|at|gmt|utc|bst|est|edt|cet)\b", " ", rest, flags=re.I)
    return words(FURNITURE.sub("", rest.strip()) if FURNITURE.match(rest.strip()) else rest) <= 3


def outlet_hint(line: str) -> str | None:
    """The site a footer line names ("More from 620 CKRM" -> "620 CKRM")."""
    for pattern in OUTLET_LINES:
        m = pattern.match(line.strip())
        if m:
            return m.group("outlet").strip(" .")
    return None


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the language of ``text``; None when it is too short or the model is unsure.

    py3langid (97 languages, its model in the wheel) decides; clear English, the common case,
    is settled by counting function words first, since loading the model costs 2-3 s a process.
    """
    words = WORD.findall(text)
    if len(words) < MIN_LANGUAGE_WORDS:
        return None
    if sum(w.lower() in ENGLISH_WORDS for w in words) >= CLEAR_ENGLISH * len(words):
        return "en"
    language, probability = _language_model().classify(text)
    return language if probability >= LANGUAGE_CONFIDENCE else None


@lru_cache(maxsize=1)
def _language_model() -> LanguageIdentifier:
    """py3langid's identifier with probabilities, loaded once per process from the wheel (imported
    only here: it brings numpy, which clear-English topics do without)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _is_prose(line: str) -> bool:
    """A sentence of article text: long enough and ending like a sentence (headlines do not)."""
    return line.rstrip("\"'”’)").endswith((".", "!", "?", ":")) and has_words(line, EDGE_WORDS)


def _edges(text: str, blocks: list[Block]) -> tuple[int, int]:
    """Indices bounding the article body: furniture only lives before ``lo`` or after ``hi``."""
    long = [i for i, b in enumerate(blocks) if _is_prose(text[b.start : b.end].strip())]
    if not long:
        return 0, len(blocks) - 1
    return long[0], long[-1]


def extract(text: str, blocks: list[Block] | tuple[Block, ...], language: bool = True) -> tuple[list[Block], dict[str, Any]]:
    """Mark boilerplate blocks and read metadata from the text.

    Returns the blocks (same offsets; boilerplate kinds set, the headline
    moved past leading furniture) and the fields found: ``published``,
    ``byline``, ``outlet``, ``language``; absent ones are left out.  The
    language is guessed only when ``language`` is true: an article whose
    metadata gives it is not run through the language model.
    """
    blocks = list(blocks)
    found: dict[str, Any] = {}
    lo, hi = _edges(text, blocks)
    for i, b in enumerate(blocks):
        if b.kind not in ("headline", "paragraph") or lo <= i <= hi:
            continue
        line = text[b.start : b.end].strip()
        if _furniture(line, found):
            blocks[i] = replace(b, kind="boilerplate")
    blocks = _move_headline(text, blocks)
    if language:
        body = " ".join(text[b.start : b.end] for b in blocks if b.kind in ("headline", "paragraph"))
        guessed = guess_language(body)
        if guessed:
            found["language"] = guessed
    return blocks, found


def headline(text: str, blocks: list[Block] | tuple[Block, ...]) -> str:
    """The headline block's text; for an article without one, the opening words of its first paragraph.

    Date, byline and boilerplate lines are never the headline: a scraped
    page that starts "date 2020-01-07 advertisement" and goes straight into
    the story is titled by its lede ("Iran launched more than a dozen
    missiles at two Iraqi bases…"), not by its file name.
    """
    head = next((b for b in blocks if b.kind == "headline"), None)
    if head:
        return text[head.start : head.end].strip()
    first = next((b for b in blocks if b.kind == "paragraph"), None)
    return lede_title(text[first.start : first.end]) if first else ""


def lede_title(paragraph: str) -> str:
    """A short title from a paragraph: its first sentence, cut after a content word when it runs long."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", paragraph.strip(), maxsplit=1)[0]
    found = list(WORD.finditer(sentence))
    if len(found) <= LEDE_TITLE_WORDS:
        return sentence.rstrip(" .")
    cuts = [k for k in range(LEDE_TITLE_MIN_WORDS, LEDE_TITLE_WORDS + 1) if found[k].group().lower() in FUNCTION_WORDS]
    k = cuts[-1] if cuts else LEDE_TITLE_WORDS
    return sentence[: found[k - 1].end()].rstrip(" ,;:") + "…"


def _furniture(line: str, found: dict[str, Any]) -> bool:
    """Whether an edge line is page furniture; records what it reveals in ``found``."""
    if is_dateline(line):
        found.setdefault("published", find_date(line))
        return True
    outlet = outlet_hint(line)
    if outlet:
        found.setdefault("outlet", outlet)
        return True
    m = BYLINE.match(line)
    if m and words(m.group("name")) <= 6:
        found.setdefault("byline", m.group("name").strip())
        return True
    return bool(SHOW_SCHEDULE.match(line) or FURNITURE.match(line))


def _move_headline(text: str, blocks: list[Block]) -> list[Block]:
    """If the first line was furniture, the headline is the next line that reads like one.

    A headline is short and does not end like a sentence; when the first
    remaining line is body text, the article has no headline.
    """
    if any(b.kind == "headline" for b in blocks) or not any(b.kind == "boilerplate" for b in blocks):
        return blocks
    first = next((i for i, b in enumerate(blocks) if b.kind == "paragraph"), None)
    if first is None:
        return blocks
    line = text[blocks[first].start : blocks[first].end].strip()
    if words(line) <= HEADLINE_WORDS and not line.endswith((".", "!", "?", ".”", '."')):
        blocks[first] = replace(blocks[first], kind="headline")
    return blocks
