"""Incremental builds: a topic whose inputs did not change is taken from the cache.

A topic's key (:meth:`~generator.ingest.read.TopicInputs.key`) is a hash of
everything its pages depend on: the bytes and names of its article files and
``topic.yml``, where the topic lies in the seeds folder, and the generator's fingerprint (its version, its source code,
its templates and the versions of the libraries it uses).  Change any of them
and the key changes; so a stale entry can never be served, it is only left
unused and pruned at the end of the build.

The cache lives inside the docs folder it describes (``<docs>/.cache/``, a
dot folder MkDocs does not publish), so two output folders never share
entries.  An entry is written only when its topic was re-done or its files
written again (:mod:`~generator.pipeline.publisher`), so a build
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from generator import __version__
from generator.ingest.problems import Problem
from generator.models import Comparison
from generator.pipeline.output import link_or_copy
from generator.publish.render import TEMPLATES
from generator.publish.views import TopicSummary

CACHE_DIR = ".cache"
PACKAGE = Path(__file__).resolve().parent.parent  # the whole generator package
DISTRIBUTION = "source-compare"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The generator's identity: two builds with the same fingerprint render the same input identically."""
    h = hashlib.sha256(f"{__version__}\n{sys.version_info[:2]}\n".encode())
    for name, version in sorted(_dependency_versions().items()):
        h.update(f"{name}=={version}\n".encode())
    for root, suffix in ((PACKAGE, ".py"), (TEMPLATES, ".j2")):  # a wheel keeps the templates inside the package
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix == suffix):
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
        if "extra ==" in requirement and 'extra == "multilingual"' not in requirement:
            continue  # the multilingual extra changes the output: whether it is installed is part of the identity
        name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


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
    """A cached topic: its output files' stamps as last written, its index summaries and its input problems.

    The comparisons and the rendered files are loaded only when needed
    (:meth:`comparisons`, :meth:`files`): a build with nothing changed
    lists the topics on the index from the summaries alone.
    """

    path: Path
    stamps: dict[str, Stamp]
    summaries: tuple[TopicSummary, ...]
    problems: tuple[Problem, ...]

    def comparisons(self) -> tuple[Comparison, ...]:
        return self._part(2)

    def files(self) -> dict[str, str]:
        return self._part(3)

    def _part(self, n: int) -> Any:
        with self.path.open("rb") as f:
            for _ in range(n):
                pickle.load(f)
            return pickle.load(f)


class TopicCache:
    """Topics on disk under ``<docs>/.cache/topics``, one file per key.

    A file holds four pickles in a row: the output files' stamps, the
    summaries with the problems, the comparisons, the rendered files; a
    reader stops after what it needs.  Entries are read from ``docs`` and, when the build
    stages its output, written to ``staged``: :meth:`finish` completes the
    staged cache with the entries this build used, so a build that fails
    leaves the cache as it was, like the rest of the docs folder.
    """

    def __init__(self, docs: Path, staged: Path | None = None) -> None:
        self.docs = docs
        self.folder = docs / CACHE_DIR / "topics"
        self.out = (staged or docs) / CACHE_DIR / "topics"
        self.used: set[str] = set()
        self.written = 0

    def get(self, key: str) -> Entry | None:
        """The entry for ``key``, or None when there is none or it cannot be loaded."""
        path = self.folder / f"{key}.pickle"
        try:
            with path.open("rb") as f:
                stamps = pickle.load(f)
                summaries, problems = pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception:  # an entry from an interrupted write or an older Python: rebuild it
            return None
        self.used.add(key)
        return Entry(path, stamps, summaries, problems)

    def put(
        self,
        key: str,
        summaries: tuple[TopicSummary, ...],
        problems: tuple[Problem, ...],
        comparisons: tuple[Comparison, ...],
        files: dict[str, str],
        stamps: dict[str, Stamp],
    ) -> None:
        """Store a topic atomically, so a build stopped halfway leaves no broken entry."""
        self.out.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.out, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                for part in (stamps, (summaries, problems), comparisons, files):
                    pickle.dump(part, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.out / f"{key}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.used.add(key)
        self.written += 1

    def finish(self) -> bool:
        """Keep exactly the entries this build used; returns whether the cache changed.

        A staged cache is completed only when it changed: otherwise the
        cache stays where it is, untouched.
        """
        old = {p.stem for p in self.folder.glob("*.pickle")} if self.folder.is_dir() else set()
        if self.out == self.folder:
            return bool(self.prune(self.used)) or self.written > 0
        if not self.written and old == self.used:
            return False
        for key in sorted(self.used - {p.stem for p in self.out.glob("*.pickle")}):
            self.out.mkdir(parents=True, exist_ok=True)
            link_or_copy(self.folder / f"{key}.pickle", self.out / f"{key}.pickle")
        return True

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

