"""Incremental builds: a topic whose inputs did not change is taken from the cache.

A topic's key is a hash of everything its pages depend on: the bytes and
names of its article files and ``topic.yml``, where the topic lies in the
seeds folder, and the generator's fingerprint (its version, its source code,
its templates and the versions of the libraries it uses).  Change any of them
and the key changes; so a stale entry can never be served, it is only left
unused and pruned at the end of the build.

The cache lives inside the docs folder it describes (``<docs>/.cache/``, a
dot folder MkDocs does not publish), so two output folders never share
entries.  An entry is written only when its topic was re-done, so a build
with nothing changed writes nothing at all: ``generator serve`` does not
trigger itself.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import __version__
from .models import Comparison
from .read import TOPIC_FILE, InputError, TopicSource
from .render import TEMPLATES

CACHE_DIR = ".cache"
PACKAGE = Path(__file__).resolve().parent
DISTRIBUTION = "source-compare"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The generator's identity: two builds with the same fingerprint render the same input identically."""
    h = hashlib.sha256(f"{__version__}\n{sys.version_info[:2]}\n".encode())
    for name, version in sorted(_dependency_versions().items()):
        h.update(f"{name}=={version}\n".encode())
    for root in (PACKAGE, TEMPLATES):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".j2")):
            h.update(f"{path.relative_to(root).as_posix()}\n".encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _dependency_versions() -> dict[str, str]:
    try:
        requirements = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return {}
    versions = {}
    for requirement in requirements:
        if "extra ==" in requirement:
            continue
        name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


@dataclass(frozen=True)
class TopicInputs:
    """The bytes a topic is built from, with their names relative to the seeds folder.

    Small enough to ship to another machine: a Dask worker rebuilds the
    topic's folder from it (see :mod:`generator.executor`).
    """

    folder: str
    loose: bool
    articles: tuple[tuple[str, bytes], ...]
    topic_file: bytes | None

    def key(self, generator: str) -> str:
        """Hash of the inputs and the generator fingerprint ``generator``."""
        h = hashlib.sha256(f"{generator}\n{self.folder}\n{self.loose}\n".encode())
        for name, data in self.articles:
            h.update(f"{name}\n{len(data)}\n".encode())
            h.update(data)
        if self.topic_file is not None:
            h.update(f"{TOPIC_FILE}\n{len(self.topic_file)}\n".encode())
            h.update(self.topic_file)
        return h.hexdigest()


def read_inputs(source: TopicSource, seeds: Path) -> TopicInputs:
    """Every byte the topic ``source`` is built from."""
    topic_file = source.folder / TOPIC_FILE
    return TopicInputs(
        folder=source.folder.relative_to(seeds).as_posix(),
        loose=source.loose,
        articles=tuple((p.name, _read(p)) for p in source.files),
        topic_file=_read(topic_file) if topic_file.is_file() else None,
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while loading many entries.

    Unpickling a thousand topics creates millions of objects; each batch of
    new objects would set off a collection that walks all the earlier ones,
    which took three quarters of a build with nothing changed.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Stamp = tuple[int, int]  # size and modification time (ns) of an output file; (-1, -1) when missing


@dataclass(frozen=True)
class Entry:
    """A cached topic: its comparisons and the stamps of its output files as last written.

    The rendered files themselves are loaded only when the docs folder no
    longer holds them as written (:meth:`TopicCache.intact`).
    """

    path: Path
    stamps: dict[str, Stamp]
    comparisons: tuple[Comparison, ...]

    def files(self) -> dict[str, str]:
        with self.path.open("rb") as f:
            pickle.load(f)
            pickle.load(f)
            return pickle.load(f)


class TopicCache:
    """Topics on disk under ``<docs>/.cache/topics``, one file per key.

    A file holds three pickles in a row: the output files' stamps, the
    comparisons, the rendered files; a reader stops after what it needs.
    """

    def __init__(self, docs: Path) -> None:
        self.docs = docs
        self.folder = docs / CACHE_DIR / "topics"

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str) -> Entry | None:
        """The entry for ``key``, or None when there is none or it cannot be loaded."""
        path = self._path(key)
        try:
            with path.open("rb") as f:
                return Entry(path, pickle.load(f), pickle.load(f))
        except FileNotFoundError:
            return None
        except Exception:  # an entry from an interrupted write or an older Python: rebuild it
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, comparisons: tuple[Comparison, ...], files: dict[str, str]) -> None:
        """Store a topic atomically (a build stopped halfway leaves no broken entry), stamping its files as they are now."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                for part in (self.stamps(files), comparisons, files):
                    pickle.dump(part, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def stamps(self, paths: Iterable[str]) -> dict[str, Stamp]:
        """Size and modification time of each docs-relative path."""
        out = {}
        for rel in paths:
            try:
                st = (self.docs / rel).stat()
                out[rel] = (st.st_size, st.st_mtime_ns)
            except OSError:
                out[rel] = (-1, -1)
        return out

    def intact(self, entry: Entry) -> bool:
        """Whether every output file of ``entry`` is on disk exactly as this cache last wrote or saw it."""
        return self.stamps(entry.stamps) == entry.stamps

    def prune(self, keep: set[str]) -> int:
        """Remove every entry whose key is not in ``keep``; returns how many went."""
        if not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.iterdir():
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
