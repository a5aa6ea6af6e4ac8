"""Atomic output: build into a temporary folder beside the target, then swap it in.

A build that fails or is interrupted before the swap leaves the previous
output exactly as it was.  The staging folder sits next to its target so the
swap is a rename on one file system, never a copy; the old output is deleted
only after the new one is in place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A generated file name that would land outside its output folder."""


def safe_path(root: Path, rel: str) -> Path:
    """``root / rel`` for a relative POSIX path that stays inside ``root``; :class:`UnsafePath` otherwise.

    Slugs are already path-safe; this is the last check before anything is
    written, so a bug upstream can never write outside the output folders.
    """
    pure = PurePosixPath(rel)
    bad = (
        not rel
        or pure.is_absolute()
        or "\\" in rel
        or "\x00" in rel
        or ":" in rel
        or any(part in ("", ".", "..") for part in rel.split("/"))
    )
    path = root / pure
    if bad or not path.resolve().is_relative_to(root.resolve()):
        raise UnsafePath(f"refusing to write {rel!r} outside {root}")
    return path


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A fresh empty folder beside ``target``, removed on exit whatever happens."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class LazyStage:
    """A staging copy of ``source`` made one top-level entry at a time, when a build first changes it.

    A build that changes nothing in a folder never copies it, so a build with
    nothing changed stages (and later swaps in) nothing at all.  Until an
    entry is staged, its files are read where they are.
    """

    def __init__(self, source: Path, staged: Path) -> None:
        self.source, self.staged = source, staged
        self.copied: set[str] = set()

    def current(self, rel: str) -> Path:
        """Where the file ``rel`` is now: in the staging copy if its entry was staged, else in ``source``.

        Only read from, so not checked by :func:`safe_path` (which resolves
        the path: most of a build with nothing changed); :meth:`writable` is.
        """
        return (self.staged if rel.split("/", 1)[0] in self.copied else self.source) / rel

    def writable(self, rel: str) -> Path:
        """The staged path of ``rel``, staging its top-level entry first."""
        self.stage(rel.split("/", 1)[0])
        return safe_path(self.staged, rel)

    def stage(self, name: str) -> None:
        if name not in self.copied:
            copy_entry(self.source / name, self.staged / name)
            self.copied.add(name)

    def complete(self) -> None:
        """Stage every entry not staged yet (dot entries aside): a whole docs folder for MkDocs."""
        if self.source.is_dir():
            for entry in sorted(self.source.iterdir()):
                if not entry.name.startswith("."):
                    self.stage(entry.name)


def swap_in(staged: Path, target: Path) -> None:
    """Put ``staged`` (a file or folder, or nothing) where ``target`` is, by renames.

    The old target is first renamed aside and removed only once the new one
    is in place; when ``staged`` does not exist the target is removed.
    """
    old = None
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent)) / target.name
        os.replace(target, old)
    if staged.exists():
        os.replace(staged, target)
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)


def copy_entry(src: Path, dest: Path) -> None:
    """Copy a file or folder keeping modification times, so unchanged files look unchanged to watchers.

    Files are hard-linked where the file system allows (a staged copy of a
    thousand-topic docs folder in half a second instead of ten): whoever
    writes into the copy must replace files (:func:`replace_file`), never
    write through them.
    """
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True, copy_function=_link_or_copy)
    elif src.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(src, dest)


def _link_or_copy(src: str | Path, dest: str | Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def replace_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` as a new file (write beside, then rename), leaving any other link to the old file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
