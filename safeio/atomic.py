"""Atomic file writes, for the libraries and the application alike.

Temp file in the same folder, fsync, rename, fsync the folder: a crash at any moment leaves the
old file or the complete new one, never half of one that looks whole.  A crash can leave a temp
file named ``.<name>.<random>.tmp``; it never looks like the real file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        publish(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """UTF-8, newlines as given."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def publish(tmp: str | os.PathLike, path: str | os.PathLike) -> None:
    """Give a finished, fsynced temp file the usual permissions (mkstemp makes 0600), rename it in place."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)
    fsync_folder(Path(path).parent)


def fsync_folder(folder: str | os.PathLike) -> None:
    """Make the rename durable. Windows cannot open a folder for fsync; NTFS journals the rename."""
    if os.name != "posix":
        return
    fd = os.open(folder if str(folder) else ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
