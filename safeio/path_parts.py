"""Values from input that become part of a path: made into one safe name, kept inside their folder.

A county, an item name or a chain id from ``case.yml`` or a spreadsheet can hold ``../``, a slash,
a control character or a name Windows reserves.  :func:`safe_component` turns any such text into one
file-name component that stays in the folder it is joined to; :func:`child_path` joins and checks;
:func:`refuse_linked_folders` refuses to write through a folder that is a symbolic link.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from pathlib import Path

from safeio.errors import UnsafePathError
from safeio.limits import refuse_link

__all__ = ["MAX_COMPONENT_BYTES", "child_path", "describe_os_error", "refuse_linked_folders", "safe_component",
           "writable_folder"]

# Most file systems allow 255 bytes a name; leave room for a suffix such as ".html" or ".pdf".
MAX_COMPONENT_BYTES = 150
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]')
_WINDOWS_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")


def safe_component(text: object, *, max_bytes: int = MAX_COMPONENT_BYTES, empty: str = "_") -> str:
    """``text`` as one file-name component that cannot leave its folder.

    Separators, control and direction characters and the characters Windows refuses become
    ``_``; leading dots (``..``, hidden names) and trailing dots and spaces are dropped; a name
    Windows reserves (``NUL``, ``COM1``) gets a ``_`` in front; a name longer than ``max_bytes``
    in UTF-8 is cut and given a short hash of the whole, so two long names never collide.
    Chinese text stays as it is.

    Parameters
    ----------
    text : any value from input (a county, a case id, an item name).
    max_bytes : the longest result in UTF-8 bytes.
    empty : what an empty or all-unsafe value becomes.

    Returns
    -------
    str
        Never empty, never ``.`` or ``..``, never holding a separator.
    """
    # Hand-written rather than pathvalidate: it keeps leading dots and cuts long names without a
    # distinguishing hash, and a bottom-layer dependency for thirty lines is not worth it.
    original = str(text)
    value = unicodedata.normalize("NFC", original)
    value = _UNSAFE.sub("_", value).strip().lstrip(".").rstrip(". ")
    if not value:
        value = empty
    if _WINDOWS_RESERVED.fullmatch(value):
        value = "_" + value
    if len(value.encode("utf-8")) > max_bytes:
        tag = hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        room = max_bytes - len(tag) - 1
        cut = value.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(". ")
        value = f"{cut}~{tag}"
    return value


def child_path(folder: str | os.PathLike, name: str) -> Path:
    """``folder / name`` after checking that ``name`` is one safe component (use :func:`safe_component` first).

    Raises
    ------
    UnsafePathError
        ``name`` holds a separator, is ``.`` or ``..``, or is empty.
    """
    if not name or name in (".", "..") or safe_component(name, max_bytes=1 << 16) != name:
        raise UnsafePathError(f"'{name}' is not a safe file name", path=folder,
                              hint="This is a program error: the name should have been made safe first.")
    return Path(folder) / name


def refuse_linked_folders(root: str | os.PathLike, *parts: str, what: str = "folder") -> Path:
    """``root/parts...``, refusing if any of the folders below ``root`` is a symbolic link or not a folder.

    Missing folders are fine (they will be created as real folders).  ``root`` itself is checked
    too: writing into a linked case folder would land outside the case.

    Raises
    ------
    UnsafePathError
        Naming the linked folder and where it points.
    """
    path = Path(root)
    for step in (None, *parts):
        if step is not None:
            path = path / step
        st = refuse_link(path, what, writing=True)
        if st is not None and not stat.S_ISDIR(st.st_mode):
            raise UnsafePathError(f"this should be a {what} but is a file", path=path,
                                  hint="Move the file away and run again.")
    return path


def writable_folder(path: str | os.PathLike, *, what: str = "output folder") -> Path:
    """Create ``path`` if needed and prove it can be written (a small file made and removed), before any work.

    A read-only or full output folder found at the end of an hour's batch loses the hour; found
    here it is one clear message.  A symbolic link as the folder is followed: the user named it.

    Raises
    ------
    InputError
        The folder cannot be created or written (read-only, no permission, disk full), naming it.
    """
    import tempfile

    from safeio.errors import InputError

    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".casebook-write-check.") as probe:
            probe.write(b"casebook")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as err:
        raise InputError(f"this {what} cannot be written: {_os_reason(err)}", path=folder,
                         hint="Give a folder you can write to (--out), or free some disk space.") from err
    return folder


def _os_reason(err: OSError) -> str:
    import errno

    return {errno.EROFS: "it is on a read-only disk", errno.EACCES: "permission denied",
            errno.EPERM: "permission denied", errno.ENOSPC: "the disk is full",
            errno.EDQUOT: "the disk quota is used up", errno.ENOTDIR: "a file stands where a folder should be",
            errno.EEXIST: "a file stands where a folder should be"}.get(err.errno, err.strerror or str(err))


def describe_os_error(err: OSError) -> str:
    """A plain reason for a failed write: read-only disk, permission denied, disk full."""
    return _os_reason(err)
