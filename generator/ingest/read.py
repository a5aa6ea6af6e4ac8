"""Read stage: a seeds folder in, :class:`Topic` objects out.

Layout: every sub-folder of the seeds folder is one topic; article files
lying directly in the seeds folder form one more topic of their own.  An
article is a ``.txt`` file (first non-empty line is the headline) or a
``.md`` file (optional YAML front matter; body parsed with markdown-it-py).
A topic folder may hold a ``topic.yml`` with the topic's title and summary
and, per article file, its outlet, url, publication date, language and note.

Files are read in one place: :func:`discover` lists the topic folders and
:func:`read_inputs` takes every byte of one topic into a :class:`TopicInputs`;
everything after that, :func:`parse_topic` first, works on those bytes alone,
in this process, a worker process or on another machine.  Text is decoded
from bytes without translating newlines, so offsets match what
``open(path, newline="")`` gives.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import charset_normalizer
import yaml
from charset_normalizer.md import mess_ratio
from markdown_it import MarkdownIt

from generator.ingest.metadata import extract, headline
from generator.ingest.problems import Problem, Unusable, Warn, ignore
from generator.ingest.titles import topic_title
from generator.models import Article, Block, Topic
from generator.slug import natural_key, slugify

ARTICLE_SUFFIXES = (".txt", ".md")
TOPIC_FILE = "topic.yml"
META_FIELDS = ("title", "outlet", "url", "published", "language", "byline", "note")
# News articles are tens of kilobytes; a file this large is not one and would stall alignment.
MAX_BYTES = 5_000_000
# A topic.yml is a few lines; front matter and topic.yml values are single fields, not documents.
MAX_TOPIC_FILE = 1_000_000
MAX_YAML_SCALAR = 100_000

_LINE = re.compile(r"[^\r\n\x85\u2028\u2029]+")
# An address a page may link to: http(s), and nothing that could break out of an attribute.
WEB_URL = re.compile(r"https?://[^\s<>\"']+\Z", re.I)
# Block markers Markdown puts before a line's text (headings, list bullets, quotes) and a heading's closing hashes.
_MD_LEAD = re.compile(r"(?:[ \t]{0,3}(?:#{1,6}|[-*+]|\d{1,9}[.)]|>)[ \t]+)+")
_MD_TRAIL = re.compile(r"[ \t]+#+[ \t]*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)



# Characters that move a terminal's cursor or change what it shows: C0/C1 controls (newline, ESC), line
# and paragraph separators, and the bidirectional overrides that make a name read backwards.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with those characters spelled as escapes (``\\n``, ``\\x1b``): a file name printed in a
    warning can neither forge another line nor clear the screen."""
    return _TERMINAL_UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class TopicSource:
    """Where a topic's files are: a folder and the article files in it."""

    folder: Path
    files: tuple[Path, ...]
    loose: bool = False


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with UTF-16 LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer's own default: above this share of odd characters a decoding is "chaotic".
WESTERN_MESS = 0.2
MESS_SAMPLE = 200_000
# Fewer distinct non-ASCII bytes than this are too little evidence against the Western default:
# Western text uses a few (£, curly quotes, dashes), another alphabet many different letters.
MIN_EVIDENCE = 8
_HIGH = re.compile(rb"[\x80-\xff]")
_WIDE = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"]
_C1 = re.compile(rb"[\x80-\x9f]")


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes; returns ``(text, encoding)``.

    Byte-order marks and valid UTF-8 are exact.  Legacy bytes are read as
    Windows-1252 (Latin-1 when no byte uses the range where the two differ)
    unless that reading looks chaotic to charset-normalizer and its own
    guess reads clearly better: statistical detectors cannot tell
    Windows-1252 from its Central European and DOS cousins on English text
    with a few curly quotes (they pick ``Ł`` for ``£``), while chaos cleanly
    separates Western text from Cyrillic, Greek or CJK bytes read the wrong
    way.  Raises ``UnicodeDecodeError`` when a byte-order mark lies.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec), codec
    if b"\x00" not in data:  # NUL bytes: UTF-16/32 without a mark, or binary
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    text, encoding = _western(data)
    has_nul = b"\x00" in data
    western_mess = mess_ratio(_non_ascii_lines(text), 1.0)
    if not has_nul and (western_mess < WESTERN_MESS or len(set(_HIGH.findall(data))) < MIN_EVIDENCE):
        return _plausible(data, text, encoding)
    # Without NUL bytes it cannot be UTF-16/32 (their ASCII characters contain one).
    best = charset_normalizer.from_bytes(data, cp_exclusion=None if has_nul else _WIDE).best()
    # A detector's guess on a few odd characters is noise: switch only when it reads clearly better.
    if best is None or (not has_nul and mess_ratio(_non_ascii_lines(str(best)), 1.0) > western_mess / 2):
        return _plausible(data, text, encoding)
    return _plausible(data, str(best), codecs.lookup(best.encoding).name)


# Legacy code pages whose text a statistical guess confuses on short articles: Greek read as Mac Greek or
# Cyrillic, Cyrillic as Greek, a short Japanese run in English text as Windows-1252, UTF-16 CJK text
# without a mark (and so without NUL bytes) as binary.  Tried in this order; the first best reading wins.
SCRIPT_CODECS = ("cp1253", "iso8859-7", "cp1251", "koi8-r", "cp932", "utf-16-le", "utf-16-be")
PLAUSIBLE = 0.95  # a reading with this share of plausible words is kept as it is
CLEARLY_BETTER = 0.2
_LETTERS = re.compile(r"[^\W\d_]+")


def _plausible(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """``(text, encoding)`` unless another reading of ``data`` is clearly more plausible for its script.

    A wrong code page turns words into letters of mixed scripts (``cafι``),
    capitals in the middle of lower-case words, whole words of accented Latin
    letters (``Ñß÷ôåñ``) or symbols between letters (``Œ‹ž``); the right one
    gives words of one script.  Western text that reads well is never re-read;
    a Mac code page (rare today) gives way to an equally plausible other one.
    """
    score = word_plausibility(text)
    if score >= PLAUSIBLE and not encoding.startswith("mac"):
        return text, encoding
    best = (score + (0.0 if encoding.startswith("mac") else CLEARLY_BETTER), text, encoding)
    for codec in SCRIPT_CODECS:
        if codec.startswith("utf-16") and len(data) % 2:
            continue
        try:
            candidate = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if looks_binary(candidate):
            continue
        candidate_score = word_plausibility(candidate)
        if candidate_score > best[0] or candidate_score == best[0] == 1.0 and best[2].startswith("mac"):
            best = (candidate_score, candidate, codecs.lookup(codec).name)
    return best[1], best[2]


def word_plausibility(text: str) -> float:
    """The share of ``text``'s non-ASCII tokens (runs of non-space) that read as text of one script; 1.0 without any."""
    tokens = [t for t in _non_ascii_lines(text).split() if not t.isascii()]
    if not tokens:
        return 1.0
    return sum(map(_plausible_token, tokens)) / len(tokens)


# Punctuation that may stand between two letters of a word (l’homme, well—known); other marks there are mojibake.
_INNER = frozenset("’‘'-–—·.")
_SYMBOLS = frozenset("©®°™§¶€£¥¢«»„“”‚…•")


@lru_cache(maxsize=4096)
def _plausible_token(token: str) -> bool:
    for i, c in enumerate(token):
        if c.isascii() or c in _SYMBOLS:
            continue
        category = unicodedata.category(c)
        if category[0] not in "LPMN" and category != "Zs":
            return False  # box drawing, maths, control characters
        if category[0] == "P" and c not in _INNER and 0 < i < len(token) - 1 and token[i - 1].isalpha() and token[i + 1].isalpha():
            return False
    return all(_plausible_word(w) for w in _LETTERS.findall(token) if not w.isascii())


@lru_cache(maxsize=4096)
def _plausible_word(word: str) -> bool:
    scripts = {_script(c) for c in word}
    if len(scripts) != 1 or not (word.islower() or word.isupper() or word.istitle() or scripts == {"CJK"}):
        return False
    script = scripts.pop()
    if script == "LATIN":  # Western words are mostly ASCII letters: three accented ones in a row are another alphabet
        return not re.search(r"[^\x00-\x7f]{3}", word)
    if script == "GREEK":  # final sigma ends a word, and only there
        return "ς" not in word[:-1] and not (len(word) > 1 and word[-1] == "σ")
    return script in ("CYRILLIC", "CJK", "HANGUL")


def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    name = unicodedata.name(char, "")
    if name.startswith(("CJK UNIFIED", "HIRAGANA", "KATAKANA", "CJK COMPATIBILITY IDEOGRAPH")) or char == "ー":
        return "CJK"
    return name.split(" ", 1)[0]


def _western(data: bytes) -> tuple[str, str]:
    """Windows-1252, named Latin-1 when the two agree; Latin-1 for bytes Windows-1252 leaves undefined."""
    try:
        return data.decode("cp1252"), "windows-1252" if _C1.search(data) else "iso-8859-1"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "iso-8859-1"


def _non_ascii_lines(text: str) -> str:
    """The lines where encodings can differ: ASCII lines read the same in all of them."""
    lines = (line for line in text.splitlines() if not line.isascii())
    return "\n".join(lines)[:MESS_SAMPLE]


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def looks_binary(text: str) -> bool:
    """True for decoded bytes that are not text: a NUL, or more than 1% control characters."""
    return "\x00" in text or len(_CONTROL.findall(text)) > len(text) / 100


def text_blocks(text: str, start: int = 0, end: int | None = None) -> list[Block]:
    """One paragraph block per non-blank line of ``text[start:end]``."""
    blocks = []
    for m in _LINE.finditer(text, start, len(text) if end is None else end):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            blocks.append(Block(s, e))
    return blocks


def parse_txt(text: str) -> tuple[str, list[Block], dict[str, Any]]:
    """Blocks of a plain-text article; the first non-empty line is its headline."""
    blocks = text_blocks(text)
    if not blocks:
        return "", blocks, {}
    blocks[0] = replace(blocks[0], kind="headline")
    return text[blocks[0].start : blocks[0].end], blocks, {}


_LINE_END = re.compile(r"\r\n?|\n")


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _LINE_END.finditer(text))]


_md = MarkdownIt("commonmark")


def parse_md(text: str, path: Path | str = "", warn: Warn = ignore) -> tuple[str, list[Block], dict[str, Any]]:
    """Blocks of a Markdown article, from markdown-it-py's source maps.

    Front matter becomes metadata and a markup block (malformed front matter
    is reported and its metadata ignored); every paragraph, heading and list
    item becomes a block at its exact source lines.  The first heading (or
    first paragraph) is the headline unless the front matter gives a title.
    """
    meta: dict[str, Any] = {}
    blocks: list[Block] = []
    body_start = 0
    m = _FRONT_MATTER.match(text)
    if m:
        meta = _front_matter(m.group(1) or "", path, warn)
        blocks.append(Block(0, m.end(), "markup"))
        body_start = m.end()

    body = text[body_start:]
    starts = _line_starts(body) + [len(body)]
    headline: Block | None = None
    for token in _md.parse(body):
        if token.type not in ("paragraph_open", "heading_open") or not token.map:
            continue
        first, last = token.map
        for b in text_blocks(text, body_start + starts[first], body_start + starts[min(last, len(starts) - 1)]):
            b = _without_markers(text, b)
            if token.type == "heading_open" and headline is None:
                b = replace(b, kind="headline")
                headline = b
            blocks.append(b)
    title = str(meta.get("title") or "")
    if not title:
        if headline is None:
            first_para = next((b for b in blocks if b.kind == "paragraph"), None)
            if first_para is not None:
                title = text[first_para.start : first_para.end]
        else:
            title = text[headline.start : headline.end]
    return title.strip(), sorted(blocks, key=lambda b: b.start), meta


def _front_matter(source: str, path: Path | str, warn: Warn) -> dict[str, Any]:
    try:
        loaded = load_yaml(source) or {}
    except yaml.YAMLError as exc:
        warn(Problem.at(path, f"malformed front matter, metadata ignored: {_yaml_problem(exc)}"))
        return {}
    if not isinstance(loaded, dict):
        warn(Problem.at(path, "malformed front matter, metadata ignored: expected key: value pairs"))
        return {}
    return _meta_fields(loaded, path, warn)


def _meta_fields(raw: dict[Any, Any], path: Path | str, warn: Warn) -> dict[str, str]:
    """The known metadata fields of ``raw`` as text; nested values and non-web urls are reported and dropped."""
    fields = {}
    for key in META_FIELDS:
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            warn(Problem.at(path, f"metadata field {key!r} is not a single value; ignored"))
            continue
        fields[key] = str(value).strip()
    url = fields.get("url")
    if url is not None and not WEB_URL.match(url.strip()):
        warn(Problem.at(path, f"url {url[:60]!r} is not an http(s) address; ignored"))
        del fields["url"]
    return fields


def _without_markers(text: str, block: Block) -> Block:
    """``block`` narrowed past its Markdown line markers, so it spans only the words."""
    start, end = block.start, block.end
    lead = _MD_LEAD.match(text, start, end)
    if lead:
        start = lead.end()
    trail = _MD_TRAIL.search(text, start, end)
    if trail:
        end = trail.start()
    return replace(block, start=start, end=end) if start < end else block


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BoundedLoader(_SAFE_LOADER):  # type: ignore[misc, valid-type]
    """A safe loader that refuses aliases and very long values.

    An alias repeats a node without copying it, so nine levels of nine
    aliases are a billion-item value once printed as a title (a "billion
    laughs" bomb: every topic lost to ``MemoryError``).  Metadata never needs
    them, so the composed document is checked before anything is built.
    """

    def get_single_node(self) -> yaml.Node | None:
        node = super().get_single_node()
        if node is not None:
            _check_nodes(node)
        return node


def _check_nodes(root: yaml.Node) -> None:
    """Raise ``ConstructorError`` for a node reached twice (an alias) or a scalar over :data:`MAX_YAML_SCALAR`."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise yaml.constructor.ConstructorError(None, None, "aliases (*name) are not allowed", node.start_mark)
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_YAML_SCALAR:
                raise yaml.constructor.ConstructorError(None, None, f"a value longer than {MAX_YAML_SCALAR:,} characters", node.start_mark)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)


def load_yaml(source: str) -> Any:
    """``yaml.safe_load`` through libyaml when PyYAML was built with it (a third of reading a file otherwise),
    with aliases and overlong values refused (:class:`_BoundedLoader`)."""
    return yaml.load(source, Loader=_BoundedLoader)  # noqa: S506 - a safe loader


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1})" if mark is not None else ""
    return f"{getattr(exc, 'problem', None) or 'invalid YAML'}{where}"


@dataclass(frozen=True)
class InputFile:
    """The bytes of one input file, or (``data`` None) why they could not be read."""

    name: str
    data: bytes | None
    unreadable: str = ""


@dataclass(frozen=True)
class TopicInputs:
    """Everything a topic is built from: the bytes of its files, with their names relative to the seeds folder.

    Made once, by :func:`read_inputs`, from the files on disk: it is the
    cache's key, what a worker process or a Dask worker is sent (so a cluster
    needs no shared file system), and all :func:`parse_topic` reads.
    ``origin`` is the seeds folder as the user named it: problems name files
    under it wherever the topic is parsed.
    """

    origin: str
    folder: str  # "." for the loose files lying in the seeds folder itself
    loose: bool
    articles: tuple[InputFile, ...]
    topic_file: InputFile | None  # None: the folder has no topic.yml

    def key(self, generator: str) -> str:
        """Hash of the inputs and the generator fingerprint ``generator``."""
        h = hashlib.sha256(f"{generator}\n{self.folder}\n{self.loose}\n".encode())
        for file in (*self.articles, self.topic_file or InputFile(TOPIC_FILE, None)):
            h.update(f"{file.name}\n{-1 if file.data is None else len(file.data)}\n{file.unreadable}\n".encode())
            h.update(file.data or b"")
        return h.hexdigest()

    def where(self, name: str = "") -> str:
        """The path of the file ``name`` (or of the topic folder) as the user named it."""
        return str(Path(self.origin, self.folder, name))

    def relative(self, name: str) -> str:
        """The seeds-relative POSIX path of the file ``name``, as articles record it."""
        return PurePosixPath(self.folder, name).as_posix()


def read_inputs(source: TopicSource, seeds: Path) -> TopicInputs:
    """Every byte the topic ``source`` is built from: the one place the build reads input files."""
    topic_file = source.folder / TOPIC_FILE
    return TopicInputs(
        origin=str(seeds),
        folder=source.folder.relative_to(seeds).as_posix(),
        loose=source.loose,
        articles=tuple(_input_file(p, MAX_BYTES, seeds) for p in source.files),
        topic_file=_input_file(topic_file, MAX_TOPIC_FILE, seeds) if os.path.lexists(topic_file) else None,
    )


def _input_file(path: Path, limit: int, root: Path) -> InputFile:
    try:
        return InputFile(path.name, read_regular(path, limit, root))
    except Unusable as exc:  # missing, unreadable, not a regular file, too large: parsing reports it
        return InputFile(path.name, None, exc.problem.message)


def parse_topic(inputs: TopicInputs) -> tuple[Topic | None, tuple[Problem, ...]]:
    """The topic ``inputs`` hold, with the problems worked around on the way.

    Articles that cannot be read, and repeats of an article already read
    (same id or same text), are reported and left out; a topic left with no
    article is None, its last problem saying so.
    """
    problems: list[Problem] = []
    warn = problems.append
    meta = parse_topic_meta(inputs.topic_file, inputs.where(TOPIC_FILE), warn)
    per_file = meta.get("articles") or {}
    for name in sorted(set(map(str, per_file)) - {f.name for f in inputs.articles}):
        warn(Problem.at(inputs.where(TOPIC_FILE), f"lists {name!r}, which is not an article file of this topic"))
    articles: list[Article] = []
    for file in inputs.articles:
        entry = per_file.get(file.name)
        given = entry if isinstance(entry, dict) else None
        try:
            article = parse_article(file, inputs.relative(file.name), inputs.where(file.name), given, warn)
        except Unusable as exc:
            warn(replace(exc.problem, message=f"{exc.problem.message}; article left out"))
            continue
        repeat = next((a for a in articles if a.id == article.id or a.text == article.text), None)
        if repeat is not None:
            same = "file name" if repeat.id == article.id else "text"
            warn(Problem.at(inputs.where(file.name), f"same {same} as {repeat.path}; article left out"))
            continue
        articles.append(article)
    name = "articles" if inputs.loose else PurePosixPath(inputs.folder).name
    if not articles:
        warn(Problem.at(inputs.where(), "no readable article; topic left out"))
        return None, tuple(problems)
    if len(articles) == 1:
        warn(Problem.at(inputs.where(), "only one article: nothing to compare it with"))
    # Untitled: the loose pile keeps a placeholder (grouping titles its topics); a folder takes its most representative headline.
    title = str(meta.get("title") or (name if inputs.loose and len(articles) > 1 else topic_title(articles)))
    topic = Topic(
        slug=slugify(str(meta.get("slug") or name)),
        title=title,
        articles=tuple(articles),
        summary=str(meta["summary"]) if meta.get("summary") else None,
        folder=inputs.folder,
    )
    return topic, tuple(problems)


def parse_topic_meta(file: InputFile | None, where: str, warn: Warn = ignore) -> dict[str, Any]:
    """A ``topic.yml`` as a dict; ``{}`` when there is none or it is unusable (reported)."""
    if file is None:
        return {}
    if file.data is None:
        warn(Problem.at(where, f"{file.unreadable}; topic built without it"))
        return {}
    try:
        loaded = load_yaml(decode(file.data)[0])
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        problem = _yaml_problem(exc) if isinstance(exc, yaml.YAMLError) else str(exc)
        warn(Problem.at(where, f"malformed YAML, topic built without it: {problem}"))
        return {}
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        warn(Problem.at(where, "expected a mapping with optional title, summary and articles; topic built without it"))
        return {}
    if not isinstance(loaded.get("articles") or {}, dict):
        warn(Problem.at(where, "'articles' must map file names to metadata; ignored"))
        loaded = {k: v for k, v in loaded.items() if k != "articles"}
    return loaded


def parse_article(file: InputFile, path: str, where: str, meta: dict[str, Any] | None = None, warn: Warn = ignore) -> Article:
    """The article in ``file`` (recorded at the seeds-relative ``path``); ``meta`` (from topic.yml) wins over what it says.

    Raises :class:`Unusable` for a file that cannot be an article (unreadable,
    too large, binary, empty); smaller problems go to ``warn``, naming ``where``.
    """
    text, encoding = _article_text(file, where)
    suffix = PurePosixPath(file.name).suffix.lower()
    if suffix == ".md":
        title, blocks, found = parse_md(text, where, warn)
    else:
        title, blocks, found = parse_txt(text)
    given = _meta_fields(meta or {}, where, warn)
    blocks, from_text = extract(text, blocks, language="language" not in found and "language" not in given)
    if suffix != ".md":
        title = headline(text, blocks)
    fields = {**from_text, **found, **given}
    return Article(
        id=article_id(file.name),
        path=path,
        text=text,
        title=str(fields.get("title") or title or PurePosixPath(file.name).stem),
        encoding=encoding,
        blocks=tuple(blocks),
        **{k: str(fields[k]) for k in META_FIELDS if k != "title" and k in fields},
    )


def _article_text(file: InputFile, where: str) -> tuple[str, str]:
    """The decoded text of an article file and its encoding, or :class:`Unusable` saying why not."""
    if file.data is None:
        raise Unusable(Problem.at(where, file.unreadable))
    try:
        text, encoding = decode(file.data)
    except UnicodeDecodeError as exc:
        raise Unusable(Problem.at(where, f"not valid {exc.encoding} although it starts with its byte-order mark")) from None
    if looks_binary(text):
        raise Unusable(Problem.at(where, "binary data, not text"))
    if not text.strip():
        raise Unusable(Problem.at(where, "no text (empty or only whitespace)"))
    return text, encoding


def read_topic(source: TopicSource, seeds: Path, warn: Warn = ignore) -> Topic:
    """:func:`parse_topic` of the files of ``source``, for callers holding paths; problems go to ``warn``
    and a topic with no readable article raises :class:`Unusable`."""
    topic, problems = parse_topic(read_inputs(source, seeds))
    if topic is None:
        for problem in problems[:-1]:
            warn(problem)
        raise Unusable(problems[-1])
    for problem in problems:
        warn(problem)
    return topic


def read_article(path: Path, seeds: Path, meta: dict[str, Any] | None = None, warn: Warn = ignore) -> Article:
    """:func:`parse_article` of the file at ``path`` in the folder ``seeds``, for callers holding a path."""
    return parse_article(_input_file(path, MAX_BYTES, seeds), path.relative_to(seeds).as_posix(), str(path), meta, warn)


def read_regular(path: Path, limit: int, root: Path | None = None) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes (inside ``root``, once links
    are followed); :class:`Unusable` saying why not.

    Checked with ``stat`` before anything is opened, so a FIFO or device never
    blocks the build and a huge (or sparse) file is never read; opened
    non-blocking and checked again, in case the file was swapped meanwhile.
    """
    if root is not None and outside_link(path, root) is not None:
        raise Unusable(Problem.at(path, "symbolic link leading out of the seeds folder; not followed"))
    try:
        _check_regular(path, os.stat(path), limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            _check_regular(path, st, limit)
            # A buffer of the file's size, not of the limit: a 5 MB buffer shrunk to the data stays one
            # memory mapping of its own, and 10,000 topics' files ran out of mappings (vm.max_map_count).
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:  # grew since it was checked: read on up to the limit
                data += f.read(limit + 1 - len(data))
    except OSError as exc:
        raise Unusable(Problem.at(path, f"cannot read: {exc.strerror or exc}")) from None
    if len(data) > limit:
        raise Unusable(Problem.at(path, f"more than the {limit / 1e6:g} MB it may have"))
    return data


def _check_regular(path: Path, st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise Unusable(Problem.at(path, "not a regular file (a FIFO, device or socket); not opened"))
    if st.st_size > limit:
        raise Unusable(Problem.at(path, f"{st.st_size / 1e6:.1f} MB is more than the {limit / 1e6:g} MB it may have"))


def outside_link(path: Path, root: Path) -> Path | None:
    """Where ``path`` leads when it is a symbolic link (or lies in a linked folder) leading out of ``root``."""
    target = path.resolve()
    return None if target.is_relative_to(root.resolve()) else target


def article_id(name: str) -> str:
    """The file name without extension, in NFC so the same name reads the same from any file system."""
    return unicodedata.normalize("NFC", PurePosixPath(name).stem)


def discover(seeds: Path, warn: Warn = ignore) -> list[TopicSource]:
    """Topic folders and loose article files under ``seeds``, in a stable order.

    A missing or unreadable seeds folder is an error; files that are not
    articles and folders without articles are reported and skipped.  Hidden
    entries (leading dot) are skipped silently unless they look like articles.
    """
    if not seeds.is_dir():
        raise Unusable(Problem.at(seeds, "seeds folder not found" if not seeds.exists() else "not a folder", "error"))
    try:
        entries = _entries(seeds)
    except OSError as exc:
        raise Unusable(Problem.at(seeds, f"cannot read: {exc.strerror or exc}", "error")) from None
    sources = []
    loose = _article_files(entries, warn, seeds, topic_root=True)
    if loose:
        sources.append(TopicSource(seeds, loose, loose=True))
    for folder in entries:
        if not folder.is_dir() or folder.name.startswith(".") or _leaves(folder, seeds, warn):
            continue
        try:
            files = _article_files(_entries(folder), warn, seeds, topic_root=False)
        except OSError as exc:
            warn(Problem.at(folder, f"cannot read, topic left out: {exc.strerror or exc}"))
            continue
        if files:
            sources.append(TopicSource(folder, files))
        else:
            warn(Problem.at(folder, "no article files (.txt or .md); topic left out"))
    return sources


def _leaves(path: Path, seeds: Path, warn: Warn) -> bool:
    """Whether ``path`` is a symbolic link leading out of the seeds folder (reported): such links are not followed,
    so a link to ``/etc/passwd`` is never published."""
    if not path.is_symlink() or outside_link(path, seeds) is None:
        return False
    warn(Problem.at(path, "symbolic link leading out of the seeds folder; not followed"))
    return True


def _entries(folder: Path) -> list[Path]:
    """A folder's entries in natural order: ``(2)`` before ``(10)``, as a reader numbers them."""
    return sorted(folder.iterdir(), key=lambda p: (natural_key(p.name), p.name))


def _article_files(entries: list[Path], warn: Warn, seeds: Path, topic_root: bool) -> tuple[Path, ...]:
    """The article files among a folder's entries; reports the entries that are neither articles nor expected."""
    files = []
    for path in entries:
        is_article_name = path.suffix.lower() in ARTICLE_SUFFIXES
        if path.name == TOPIC_FILE:
            continue
        if not (topic_root and path.is_dir()) and _leaves(path, seeds, warn):  # discover checks topic folders
            continue
        if path.name.startswith("."):
            if is_article_name and path.is_file():
                warn(Problem.at(path, "hidden file (name starts with a dot); ignored"))
        elif path.is_dir():
            if not topic_root:
                warn(Problem.at(path, "folder inside a topic folder; ignored"))
        elif not path.is_file():
            warn(Problem.at(path, "not a regular file (a FIFO, device or socket); ignored"))
        elif not is_article_name:
            warn(Problem.at(path, "not an article file (.txt or .md); ignored"))
        else:
            files.append(path)
    return tuple(files)
