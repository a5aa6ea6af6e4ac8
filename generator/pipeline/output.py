"""Atomic output: build into a temporary folder beside the target, then swap it in.

A build that fails or is interrupted before the swap leaves the previous
output exactly as it was.  The staging folder sits next to its target so the
swap is a rename on one file system, never a copy; the old output is deleted
only after the new one is in place.  A target that cannot be renamed (a
mount point: ``EBUSY``) is filled instead, from a complete copy made inside it.
Staging folders carry the builder's process id, so a build removes those that
a killed build left behind and never those of a build still running.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import time
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
    """A fresh empty folder beside ``target``, removed on exit whatever happens.

    It gets the permissions of any folder made under the umask (``mkdtemp``
    makes it private, and a web server running as another user then gets 403
    for the swapped-in site); leftovers of killed builds are removed first.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent))
    try:
        os.chmod(folder, 0o777 & ~umask())
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def umask() -> int:
    """The process umask, read without changing it where Linux tells it (``os.umask`` sets it to read it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            line = next((line for line in f if line.startswith("Umask:")), None)
        if line is not None:
            return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?:staging|old)-(?:(?P<pid>\d+)-)?.+")


def remove_stale(target: Path, started: float | None = None) -> list[Path]:
    """Remove the staging and set-aside folders of ``target`` that no running build owns; returns them.

    A folder names its build's process id; one whose process is gone is
    litter from a build that was killed.  Folders from before process ids were
    in the name are removed when older than ``started`` (by default: now).
    """
    started = time.time() if started is None else started
    removed = []
    for entry in target.parent.glob(f".{target.name}.*-*"):
        m = _LEFTOVER.fullmatch(entry.name)
        if m is None or m["name"] != target.name or not entry.is_dir() or entry.is_symlink():
            continue
        stale = not _running(int(m["pid"])) if m["pid"] else entry.stat().st_mtime < started
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


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
    is in place (it is put back if that fails); when ``staged`` does not exist
    the target is removed.  A folder that cannot be renamed because it is a
    mount point is filled from ``staged`` instead (:func:`fill_in`).
    """
    old = None
    if target.exists() or target.is_symlink():
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
        try:
            os.replace(target, aside / target.name)
        except OSError as exc:
            shutil.rmtree(aside, ignore_errors=True)
            if exc.errno == errno.EBUSY and target.is_dir() and not target.is_symlink() and staged.is_dir():
                fill_in(staged, target)
                return
            raise
        old = aside / target.name
    try:
        if staged.exists():
            os.replace(staged, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
            shutil.rmtree(old.parent, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)


def fill_in(staged: Path, target: Path) -> None:
    """Make the folder ``target`` (a mount point) hold what ``staged`` holds.

    The whole new content is first copied into a staging folder inside
    ``target``, so a full disk fails before anything is replaced; then each
    entry is swapped in by rename and entries ``staged`` lacks are removed.
    """
    inside = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target))
    try:
        shutil.copytree(staged, inside, dirs_exist_ok=True)
        new = {entry.name for entry in inside.iterdir()}
        for entry in sorted(target.iterdir()):
            if entry != inside and entry.name not in new and entry.name != "lost+found":
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        for name in sorted(new):
            swap_in(inside / name, target / name)
        os.chmod(target, os.stat(staged).st_mode & 0o7777)
    finally:
        shutil.rmtree(inside, ignore_errors=True)


def copy_entry(src: Path, dest: Path) -> None:
    """Copy a file or folder keeping modification times, so unchanged files look unchanged to watchers.

    Files are hard-linked where the file system allows (a staged copy of a
    thousand-topic docs folder in half a second instead of ten): whoever
    writes into the copy must replace files (:func:`replace_file`), never
    write through them.
    """
    if src.is_dir():
        shutil.copytree(src, dest, dirs_exist_ok=True, copy_function=link_or_copy)
    elif src.is_file():
        dest.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(src, dest)


def link_or_copy(src: str | Path, dest: str | Path) -> None:
    """A hard link where the file system allows, else a copy: for files that are replaced, never written through."""
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
