"""Property-based tests: random Unicode text and edits never break the reader or the aligner."""

from __future__ import annotations

import codecs

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.align.statements import align
from generator.ingest.problems import Problem
from generator.ingest.read import decode, parse_md, parse_txt
from generator.models import Article, Block
from generator.slug import slugify

# Words from several scripts plus the separators real articles contain: CRLF, NEL, tabs, form feeds, U+2028.
WORDS = st.sampled_from(
    "the a minister said budget £5m PARIS— “quoted” naïve Zürich Москва 東京 مرحبا 42 2020-01-08 # * _ > - "
    "<b> {{ x }} ``` --- ".split()
)
SEPARATORS = st.sampled_from([" ", " ", " ", "\r\n", "\n", "\r", "\u0085", "\t", "\u2028", "\x0c", "\r\n\r\n", "  "])
TEXT = st.lists(st.tuples(WORDS, SEPARATORS), max_size=80).map(lambda ps: "".join(w + s for w, s in ps))
ANY_TEXT = st.one_of(TEXT, st.text(max_size=300))
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_blocks(text: str, blocks: list[Block]) -> None:
    """Every block is a non-empty stretch of ``text`` without surrounding space, in order, not overlapping."""
    last_end = 0
    for b in blocks:
        assert last_end <= b.start < b.end <= len(text)
        piece = text[b.start : b.end]
        assert piece == piece.strip() or b.kind == "markup"
        last_end = b.end


@SETTINGS
@given(ANY_TEXT)
def test_txt_reader_blocks_are_exact_slices(text: str) -> None:
    title, blocks, _meta = parse_txt(text)
    check_blocks(text, blocks)
    assert all("\r" not in text[b.start : b.end] and "\n" not in text[b.start : b.end] for b in blocks)
    if blocks:
        assert title == text[blocks[0].start : blocks[0].end]


@SETTINGS
@given(ANY_TEXT, st.booleans())
def test_md_reader_never_crashes_and_blocks_are_exact_slices(text: str, front_matter: bool) -> None:
    if front_matter:
        text = "---\n" + text + "\n---\n" + text
    problems: list[Problem] = []
    _title, blocks, _meta = parse_md(text, "random.md", problems.append)
    check_blocks(text, blocks)


@SETTINGS
@given(ANY_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"]))
def test_unicode_encodings_round_trip(text: str, encoding: str) -> None:
    data = codecs.encode(text, encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assume("\x00" not in text and not text.startswith("\ufeff"))
    assert decode(data)[0] == text


@SETTINGS
@given(TEXT, st.sampled_from(["cp1252", "latin-1"]))
def test_western_text_round_trips(text: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    # Latin-1's C1 controls (NEL is byte 0x85) are read as Windows-1252's punctuation, as browsers do.
    assume(encoding == "cp1252" or not any("\x80" <= c <= "\x9f" for c in text))
    assert decode(data)[0] == text


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_fail_cleanly(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        assert data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))
        return
    assert isinstance(text, str) and codecs.lookup(encoding)


EDITS = st.lists(
    st.tuples(st.sampled_from(["delete", "insert", "replace"]), st.integers(0, 10_000), WORDS), max_size=8
)


def edit(words: list[str], edits: list[tuple[str, int, str]]) -> list[str]:
    out = list(words)
    for op, at, word in edits:
        i = at % (len(out) + 1)
        if op == "insert":
            out.insert(i, word)
        elif out and i < len(out):
            if op == "delete":
                del out[i]
            else:
                out[i] = word
    return out


def make_article(article_id: str, words: list[str], separators: list[str]) -> Article:
    text = "".join(w + separators[n % len(separators)] for n, w in enumerate(words))
    return Article(id=article_id, path=f"{article_id}.txt", text=text, title=article_id, encoding="utf-8", blocks=tuple(parse_txt(text)[1]))


def groups(passages) -> set[frozenset[tuple[str, int, int]]]:
    return {frozenset((m.article, m.start, m.end) for m in p.members) for p in passages}


@SETTINGS
@given(
    st.lists(WORDS, min_size=20, max_size=150),
    EDITS,
    st.lists(SEPARATORS, min_size=1, max_size=6),
    st.lists(SEPARATORS, min_size=1, max_size=6),
)
def test_aligner_spans_are_exact_and_alignment_is_symmetric(words, edits, seps_a, seps_b) -> None:
    a = make_article("a", words, seps_a)
    b = make_article("b", edit(words, edits), seps_b)
    forward, backward = align([a, b]), align([b, a])
    texts = {"a": a.text, "b": b.text}
    for p in forward + backward:
        assert len(p.members) >= 2
        for m in p.members:
            assert 0 <= m.start < m.end <= len(texts[m.article])
            assert m.text == texts[m.article][m.start : m.end]
    assert groups(forward) == groups(backward)


@SETTINGS
@given(st.text(max_size=80))
def test_slugs_are_always_plain_path_segments(name: str) -> None:
    slug = slugify(name)
    assert slug and len(slug) <= 80
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-") and slug == slug.lower()
