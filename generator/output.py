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
    """Copy a file or folder keeping modification times, so unchanged files look unchanged to watchers."""
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True)
    elif src.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
