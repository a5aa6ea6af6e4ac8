"""Read stage: a seeds folder in, :class:`Topic` objects out.

Layout: every sub-folder of the seeds folder is one topic; article files
lying directly in the seeds folder form one more topic of their own.  An
article is a ``.txt`` file (first non-empty line is the headline) or a
``.md`` file (optional YAML front matter; body parsed with markdown-it-py).
A topic folder may hold a ``topic.yml`` with the topic's title and summary
and, per article file, its outlet, url, publication date, language and note.

Text is decoded from bytes without translating newlines, so offsets match
what ``open(path, newline="")`` gives.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from .metadata import extract, headline
from .models import Article, Block, Topic
from .slug import slugify

ARTICLE_SUFFIXES = (".txt", ".md")
TOPIC_FILE = "topic.yml"
META_FIELDS = ("title", "outlet", "url", "published", "language", "byline", "note")

_LINE = re.compile(r"[^\r\n\x85\u2028\u2029]+")
# Block markers Markdown puts before a line's text (headings, list bullets, quotes) and a heading's closing hashes.
_MD_LEAD = re.compile(r"(?:[ \t]{0,3}(?:#{1,6}|[-*+]|\d{1,9}[.)]|>)[ \t]+)+")
_MD_TRAIL = re.compile(r"[ \t]+#+[ \t]*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


class InputError(Exception):
    """An input the generator cannot use; the message names the file."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


@dataclass(frozen=True)
class TopicSource:
    """Where a topic's files are: a folder and the article files in it."""

    folder: Path
    files: tuple[Path, ...]
    loose: bool = False


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes; returns ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are recognised exactly;
    anything else that is not valid UTF-8 is read as Windows-1252, the
    encoding of almost all legacy web text, falling back to Latin-1 for the
    five bytes Windows-1252 leaves undefined.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "iso-8859-1"


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


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n" or (ch == "\r" and text[i + 1 : i + 2] != "\n"):
            starts.append(i + 1)
    return starts


_md = MarkdownIt("commonmark")


def parse_md(text: str, path: Path | str = "") -> tuple[str, list[Block], dict[str, Any]]:
    """Blocks of a Markdown article, from markdown-it-py's source maps.

    Front matter becomes metadata and a markup block; every paragraph,
    heading and list item becomes a block at its exact source lines.  The
    first heading (or first paragraph) is the headline unless the front
    matter gives a title.
    """
    meta: dict[str, Any] = {}
    blocks: list[Block] = []
    body_start = 0
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1) or "") or {}
        except yaml.YAMLError as exc:
            raise InputError(path, f"malformed front matter: {_yaml_problem(exc)}") from None
        if not isinstance(loaded, dict):
            raise InputError(path, "malformed front matter: expected key: value pairs")
        meta = {k: v for k, v in loaded.items() if k in META_FIELDS and v is not None}
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


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1})" if mark is not None else ""
    return f"{getattr(exc, 'problem', None) or 'invalid YAML'}{where}"


def read_topic_meta(folder: Path) -> dict[str, Any]:
    """The topic's ``topic.yml`` as a dict, or ``{}`` when there is none."""
    path = folder / TOPIC_FILE
    if not path.is_file():
        return {}
    try:
        loaded = yaml.safe_load(decode(path.read_bytes())[0])
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"malformed YAML: {_yaml_problem(exc)}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict) or not isinstance(loaded.get("articles", {}) or {}, dict):
        raise InputError(path, "expected a mapping with optional title, summary and articles")
    return loaded


def read_article(path: Path, seeds: Path, meta: dict[str, Any] | None = None) -> Article:
    """Read one article file; ``meta`` (from topic.yml) wins over what the file says."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    text, encoding = decode(data)
    if path.suffix.lower() == ".md":
        title, blocks, found = parse_md(text, path)
    else:
        title, blocks, found = parse_txt(text)
    blocks, from_text = extract(text, blocks)
    if path.suffix.lower() != ".md":
        title = headline(text, blocks)
    given = {k: v for k, v in (meta or {}).items() if k in META_FIELDS and v is not None}
    fields = {**from_text, **found, **given}
    return Article(
        id=path.stem,
        path=path.relative_to(seeds).as_posix(),
        text=text,
        title=str(fields.get("title") or title or path.stem),
        encoding=encoding,
        blocks=tuple(blocks),
        **{k: str(fields[k]) for k in META_FIELDS if k != "title" and k in fields},
    )


def discover(seeds: Path) -> list[TopicSource]:
    """Topic folders and loose article files under ``seeds``, in a stable order."""
    if not seeds.is_dir():
        raise InputError(seeds, "seeds folder not found" if not seeds.exists() else "not a folder")
    try:
        entries = sorted(seeds.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise InputError(seeds, f"cannot read: {exc.strerror or exc}") from None
    sources = []
    loose = tuple(p for p in entries if _is_article(p))
    if loose:
        sources.append(TopicSource(seeds, loose, loose=True))
    for folder in entries:
        if folder.is_dir() and not folder.name.startswith("."):
            files = tuple(sorted((p for p in folder.iterdir() if _is_article(p)), key=lambda p: p.name))
            if files:
                sources.append(TopicSource(folder, files))
    return sources


def _is_article(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES and not path.name.startswith(".")


def read_topic(source: TopicSource, seeds: Path) -> Topic:
    """Read every article of one topic folder, with its ``topic.yml``."""
    meta = read_topic_meta(source.folder)
    per_file = meta.get("articles") or {}
    articles = tuple(read_article(p, seeds, per_file.get(p.name)) for p in source.files)
    name = "articles" if source.loose else source.folder.name
    title = str(meta.get("title") or (articles[0].title if len(articles) == 1 else name))
    return Topic(
        slug=slugify(str(meta.get("slug") or name)),
        title=title,
        articles=articles,
        summary=str(meta["summary"]) if meta.get("summary") else None,
        folder=source.folder.relative_to(seeds).as_posix(),
    )
