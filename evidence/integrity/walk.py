"""The rules for walking a seized tree without changing it and without being fooled by it.

- A symlink is never followed: it is recorded with its target text (a link out of the root or a
  link loop is just a recorded link).
- FIFOs, sockets and devices are recorded and skipped: opening a FIFO would hang the run.
- Names are kept as raw bytes, so names that are not UTF-8 survive (shown readably elsewhere).
- Directories are opened relative to their parent's descriptor (``dir_fd``) with ``O_NOFOLLOW``,
  so deep paths beyond PATH_MAX work and a directory swapped for a link mid-walk is not entered.
- Files are opened with ``O_NOFOLLOW | O_NONBLOCK`` (a file swapped for a FIFO cannot block);
  files and folders with ``O_NOATIME`` where permitted, so reading does not even touch their
  access time.  (Reading a symlink's target may still update the link's own atime: Linux offers
  no way around that.)
- A listed file keeps its folder open (a reference count on :class:`DirRef`) until whoever
  hashes it calls :meth:`Found.release`, so it can be looked up by name again just before and
  just after it is read, relative to the very folder it was listed in.

Where the platform lacks these (Windows has no ``dir_fd``, ``O_NOFOLLOW`` or FIFOs) the walk falls
back to full paths and plain flags: symlinks are still recorded via ``lstat`` and never entered.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["KIND_DIRECTORY", "KIND_FILE", "KIND_SYMLINK", "DirRef", "Found", "describe_os_error", "kind_of", "walk"]

O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # absent on Windows: lstat checks stand in for it
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # absent on Windows, which has no FIFOs to block on
O_NOATIME = getattr(os, "O_NOATIME", 0)  # Linux only; needs file ownership or CAP_FOWNER
O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
USE_DIR_FD = os.open in os.supports_dir_fd and os.scandir in os.supports_fd and bool(O_DIRECTORY)

FILE_FLAGS = os.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_BINARY | O_CLOEXEC
DIR_FLAGS = os.O_RDONLY | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC

KIND_FILE = "file"
KIND_SYMLINK = "symlink"
KIND_DIRECTORY = "directory"


def kind_of(mode: int) -> str:
    """The manifest's name for a file type."""
    if stat.S_ISREG(mode):
        return KIND_FILE
    if stat.S_ISLNK(mode):
        return KIND_SYMLINK
    if stat.S_ISDIR(mode):
        return KIND_DIRECTORY
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode):
        return "char-device"
    if stat.S_ISBLK(mode):
        return "block-device"
    return "other"


class DirRef:
    """An open directory: a descriptor where the platform allows, else its full path.

    It starts with one reference (the walker's); each listed file takes another.  The descriptor
    is closed when the last one is released, never while a file listed in it waits to be hashed.
    """

    def __init__(self, path: str, fd: int | None) -> None:
        self.path = path
        self.fd = fd
        self._refs = 1
        self._lock = threading.Lock()

    def acquire(self) -> DirRef:
        with self._lock:
            if self._refs <= 0:
                raise ValueError(f"folder {self.path!r} is already closed")
            self._refs += 1
        return self

    def open(self, name: str, flags: int) -> int:
        if self.fd is not None:
            return os.open(name, flags, dir_fd=self.fd)
        return os.open(os.path.join(self.path, name), flags)

    def lstat(self, name: str) -> os.stat_result:
        if self.fd is not None:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        return os.lstat(os.path.join(self.path, name))

    def readlink(self, name: str) -> bytes:
        if self.fd is not None:
            return os.fsencode(os.readlink(name, dir_fd=self.fd))
        return os.fsencode(os.readlink(os.path.join(self.path, name)))

    def names(self) -> list[str]:
        with os.scandir(self.fd if self.fd is not None else self.path) as entries:
            return [entry.name for entry in entries]

    def close(self) -> None:
        """Release one reference; the last release closes the descriptor."""
        with self._lock:
            self._refs -= 1
            if self._refs > 0 or self.fd is None:
                return
            fd, self.fd = self.fd, None
        os.close(fd)


@dataclass
class Found:
    """One thing met on the walk. ``rel`` is the raw relative path, ``/``-separated."""

    rel: bytes
    kind: str
    st: os.stat_result | None = None
    target: bytes | None = None
    problem: str | None = None
    parent: DirRef | None = None
    name: str = ""

    def open_file(self) -> int:
        """Open a regular file for reading without following a link and without touching its atime."""
        if self.parent is None:
            raise ValueError("only a listed regular file can be opened")
        parent, name = self.parent, self.name
        return _open_noatime(lambda flags: parent.open(name, flags), FILE_FLAGS)

    def lstat_again(self) -> os.stat_result:
        """The status of whatever has this name in the listed folder now (a link is not followed)."""
        if self.parent is None:
            raise ValueError("only a listed regular file can be looked up again")
        return self.parent.lstat(self.name)

    def release(self) -> None:
        """Done with this file: let its folder close once nothing else needs it."""
        if self.parent is not None:
            parent, self.parent = self.parent, None
            parent.close()


def describe_os_error(err: OSError) -> str:
    return err.strerror or type(err).__name__


def open_root(root: str) -> DirRef:
    if USE_DIR_FD:
        return DirRef(root, _open_noatime(lambda flags: os.open(root, flags), DIR_FLAGS))
    return DirRef(root, None)


def walk(root: str, include: Iterable[str] | None = None) -> Iterator[Found]:
    """Yield everything under ``root`` except directories, depth first, names in byte order.

    ``include`` limits the top level to those names (a case folder hashes only ``evidence/`` and
    ``labels/``).  Directories that cannot be read are yielded with a ``problem``.  A yielded
    regular file holds its folder open: call :meth:`Found.release` when done with it.
    """
    top = open_root(root)
    wanted = None if include is None else {os.fsencode(name) for name in include}
    try:
        yield from _walk_dir(top, b"", wanted)
    finally:
        top.close()


def _walk_dir(here: DirRef, prefix: bytes, wanted: set[bytes] | None) -> Iterator[Found]:
    try:
        names = here.names()
    except OSError as err:
        yield Found(prefix.rstrip(b"/") or b".", KIND_DIRECTORY, problem=f"unreadable folder: {describe_os_error(err)}")
        return
    for name in sorted(names, key=os.fsencode):
        raw = os.fsencode(name)
        if wanted is not None and raw not in wanted:
            continue
        rel = prefix + raw
        try:
            st = here.lstat(name)
        except OSError as err:  # vanished between listing and stat
            yield Found(rel, "other", problem=f"vanished during the walk: {describe_os_error(err)}")
            continue
        kind = kind_of(st.st_mode)
        if kind == KIND_DIRECTORY:
            try:
                child = _open_child_dir(here, name)
            except OSError as err:
                yield Found(rel, KIND_DIRECTORY, st, problem=f"unreadable folder: {describe_os_error(err)}")
                continue
            try:
                yield from _walk_dir(child, rel + b"/", None)
            finally:
                child.close()
        elif kind == KIND_SYMLINK:
            try:
                target = here.readlink(name)
            except OSError as err:
                yield Found(rel, kind, st, problem=f"link target unreadable: {describe_os_error(err)}")
                continue
            yield Found(rel, kind, st, target=target)
        elif kind == KIND_FILE:
            yield Found(rel, kind, st, parent=here.acquire(), name=name)
        else:
            yield Found(rel, kind, st, problem=f"skipped: a {kind} has no content to hash")


def _open_child_dir(here: DirRef, name: str) -> DirRef:
    if here.fd is not None:
        return DirRef(os.path.join(here.path, name), _open_noatime(lambda flags: here.open(name, flags), DIR_FLAGS))
    return DirRef(os.path.join(here.path, name), None)


def _open_noatime(opener, flags: int) -> int:
    """Open with O_NOATIME where we may (file owner or CAP_FOWNER); reading then leaves atime alone."""
    if O_NOATIME:
        try:
            return opener(flags | O_NOATIME)
        except PermissionError as err:
            if err.errno != errno.EPERM:  # EACCES: really unreadable; EPERM: not ours, retry plain
                raise
    return opener(flags)
