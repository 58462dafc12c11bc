"""Limits on what a user hands over: how big, how deeply nested, and what is safe to print.

Hostile or damaged input must end in a plain error naming the file, never in a hang, a memory
blow-up or a traceback (docs/domain.md, "Electronic evidence"):

- :func:`read_capped` reads a regular file up to a size limit, never through a symbolic link and
  never from a FIFO or device (which could block forever or never end);
- :func:`loads_json` parses JSON after refusing nesting deeper than a limit, so a file of 100,000
  ``[`` is an :class:`~safeio.errors.InputError`, not a ``RecursionError``;
- :func:`terminal_text` and :func:`terminal_json` escape control characters (C0, C1 such as the
  0x9B "CSI" that starts terminal commands, bidirectional overrides, line separators) so that
  names and OCR text cannot drive the terminal they are printed on.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import unicodedata
from itertools import accumulate
from pathlib import Path

from safeio.errors import InputError, UnsafePathError

__all__ = [
    "MAX_JSON_DEPTH",
    "check_json_depth",
    "check_regular_file",
    "describe_size",
    "json_depth",
    "loads_json",
    "read_capped",
    "read_stream_capped",
    "read_text_capped",
    "refuse_link",
    "safe_echo",
    "terminal_json",
    "terminal_text",
]

# Deeper than any document casebook writes (a manifest is 4 levels deep) and far below the
# interpreter's recursion limit.
MAX_JSON_DEPTH = 64

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # absent on Windows: the lstat check below stands in
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO opens without blocking; fstat then refuses it
_READ_FLAGS = os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 20


def describe_size(nbytes: int) -> str:
    """A size for people: ``512 KiB``, ``1.5 MiB``."""
    value = float(nbytes)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "bytes" or value == int(value) else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def refuse_link(path: str | os.PathLike, what: str = "file", *, writing: bool = False) -> os.stat_result | None:
    """Raise :class:`UnsafePathError` if ``path`` itself is a symbolic link (its folders may be links).

    The one refuser of links, for files read (``writing=False``) and for folders written into
    (``safeio.path_parts.refuse_linked_folders``); the message names the file and where it points.

    Parameters
    ----------
    path : path of the file or folder to check.
    what : what it is, for the message ("case.yml", "manifest").
    writing : the path is a folder casebook is about to write into (the message and hint say so).

    Returns
    -------
    os.stat_result or None
        The ``lstat`` of ``path``, or None when it cannot be read (missing: nothing to refuse).

    Raises
    ------
    UnsafePathError
        The last component of ``path`` is a link; the message says where it points.
    """
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        if writing:
            raise UnsafePathError(
                f"this {what} is a symbolic link to {terminal_text(str(target))}; casebook never writes through links",
                path=path, hint="Replace the link with a real folder inside the case (move what it points to here).")
        raise UnsafePathError(
            f"this {what} is a symbolic link to {terminal_text(str(target))}; casebook never follows links",
            path=path,
            hint="Links can lead outside the case or change after sealing. Put the real file here, "
            "or give the path it points to if you trust it.",
        )
    return st


def read_capped(path: str | os.PathLike, limit: int, *, what: str = "file", hint: str | None = None) -> bytes:
    """The bytes of a regular file no larger than ``limit``, read without following a link.

    Parameters
    ----------
    path : the file.
    limit : the largest size accepted, in bytes.
    what : what the file is, for messages ("case.yml", "manifest", "custody log").
    hint : what to do when the file is too large (a default is given).

    Returns
    -------
    bytes
        The whole content.

    Raises
    ------
    InputError
        Missing, a folder, a FIFO or device, unreadable, or larger than ``limit``.
    UnsafePathError
        ``path`` is a symbolic link.
    """
    source = Path(path)
    fd = _open_regular(source, what)
    try:
        st = os.fstat(fd)
        too_big = InputError(
            f"this {what} is larger than the {describe_size(limit)} casebook accepts", path=source,
            hint=hint or f"Check that this really is the {what}; an oversized one is damaged or hostile input.")
        if st.st_size > limit:
            raise too_big
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise too_big
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_regular_file(path: str | os.PathLike, limit: int, *, what: str = "file", hint: str | None = None) -> int:
    """The size of ``path`` after checking it is a regular file no larger than ``limit`` (not a link).

    For readers that need a path (calamine, pandas, GDAL): a FIFO named in their place would block
    them forever and ``/dev/zero`` would never end.  Opened without blocking and without following
    a link, checked with ``fstat`` and closed without reading.

    Raises
    ------
    InputError, UnsafePathError
        As :func:`read_capped`.
    """
    source = Path(path)
    fd = _open_regular(source, what)
    try:
        size = os.fstat(fd).st_size
    finally:
        os.close(fd)
    if size > limit:
        raise InputError(f"this {what} is larger than the {describe_size(limit)} casebook accepts", path=source,
                         hint=hint or f"Check that this really is the {what}; an oversized one is damaged or hostile input.")
    return size


def _open_regular(source: Path, what: str) -> int:
    """A read-only descriptor of a regular file, opened without blocking or following a link."""
    refuse_link(source, what)
    try:
        fd = os.open(source, _READ_FLAGS)
    except FileNotFoundError as err:
        raise InputError(f"this {what} does not exist", path=source, hint="Check the path.") from err
    except OSError as err:
        if err.errno == errno.ELOOP:  # became a link after the check above
            refuse_link(source, what)
        raise InputError(f"this {what} cannot be read: {err.strerror}", path=source) from err
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"this {what} is a folder, not a file", path=source, hint=f"Give the {what} itself.")
        raise InputError(f"this {what} is not a regular file (a pipe, socket or device)", path=source,
                         hint="casebook reads only regular files: a pipe could block it forever.")
    return fd


def read_stream_capped(stream, limit: int, *, what: str = "input", where: str | os.PathLike | None = None) -> bytes:
    """At most ``limit`` bytes of a binary stream (a response, standard input); more is an :class:`InputError`.

    Reads in chunks, so a stream that never ends costs ``limit`` bytes of memory, not all of it.
    """
    chunks, total = [], 0
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputError(f"this {what} is larger than the {describe_size(limit)} casebook accepts", path=where,
                             hint="An input this large is damaged or hostile; keep it for the record.")


def read_text_capped(path: str | os.PathLike, limit: int, *, what: str = "file", hint: str | None = None) -> str:
    """:func:`read_capped`, decoded as UTF-8 (a byte-order mark is dropped).

    Raises
    ------
    InputError
        As :func:`read_capped`, or the file is not UTF-8 text.
    """
    data = read_capped(path, limit, what=what, hint=hint)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"this {what} is not UTF-8 text (byte {err.start} cannot be read)", path=path,
                         hint="Save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8).") from err


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DELTA = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest, without parsing it (no recursion).

    Brackets inside strings do not count.  An unterminated string counts its brackets: such a
    text is not JSON anyway.
    """
    # Hand-written: the json module has no depth limit and recurses once per level.
    skeleton = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if not skeleton:
        return 0
    steps = memoryview(skeleton.encode("ascii").translate(_DELTA)).cast("b")
    return max(0, max(accumulate(steps)))


def check_json_depth(text: str, *, where: str | os.PathLike | None = None, row: int | None = None,
                     max_depth: int = MAX_JSON_DEPTH, what: str = "JSON") -> None:
    """Raise :class:`InputError` if ``text`` nests deeper than ``max_depth``.

    Raises
    ------
    InputError
        Naming ``where`` and ``row``; says this is damaged or hostile input.
    """
    if text.count("[") + text.count("{") <= max_depth:  # cannot be deeper: skip the scan
        return
    depth = json_depth(text)
    if depth > max_depth:
        raise InputError(f"this {what} nests {depth} levels deep, more than the {max_depth} casebook accepts",
                         path=where, row=row,
                         hint="No file casebook writes nests like this: it is damaged or hostile input. "
                         "Keep it as it is for the record and use a clean copy.")


def loads_json(data: bytes | str, *, where: str | os.PathLike | None = None, row: int | None = None,
               max_depth: int = MAX_JSON_DEPTH, what: str = "JSON"):
    """``json.loads`` that refuses deep nesting with a plain error instead of a ``RecursionError``.

    Parameters
    ----------
    data : UTF-8 bytes or text.
    where, row : named in the error.
    max_depth : deepest nesting accepted.
    what : what the text is, for the message.

    Returns
    -------
    The parsed value.

    Raises
    ------
    InputError
        Nested deeper than ``max_depth``.
    UnicodeDecodeError, json.JSONDecodeError
        Not UTF-8, or not JSON: the caller says what that means for its file.
    """
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    check_json_depth(text, where=where, row=row, max_depth=max_depth, what=what)
    try:
        return json.loads(text)
    except RecursionError as err:  # only reachable with a max_depth near the recursion limit
        raise InputError(f"this {what} nests too deeply to be read", path=where, row=row) from err


# A superset of the characters to escape, cheap to find; each hit is then checked by category.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\xad\u0600-\u070f\u0890-\u08e2\u180e\u2000-\u206f\ufeff-\uffff"
                      "\ud800-\udfff\U00010000-\U0010ffff]")
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _must_escape(ch: str) -> bool:
    return unicodedata.category(ch) in _ESCAPED_CATEGORIES


def _escape_one(match: re.Match) -> str:
    ch = match.group()
    if not _must_escape(ch):
        return ch
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a raw byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    return ch.encode("unicode_escape").decode("ascii")


def terminal_text(text: str) -> str:
    """``text`` with every control, format and separator character shown as an escape.

    ``\\n`` becomes the two characters ``\\n``, BEL ``\\x07``, the C1 control 0x9B ``\\x9b``, a
    right-to-left override ``\\u202e``; a raw non-UTF-8 byte (as Python keeps it from the command
    line) shows as ``\\xNN``.  Chinese text, ideographic spaces and emoji stay as they are.

    Parameters
    ----------
    text : any text from the user or from evidence.

    Returns
    -------
    str
        One line safe to write to a terminal.
    """
    text = str(text)
    return _SUSPECT.sub(_escape_one, text)


# JSON escapes C0 controls inside strings itself; outside strings they are its own line breaks.
_JSON_SUSPECT = re.compile(_SUSPECT.pattern.replace("\x00-\x1f", "", 1))


def _json_escape_one(match: re.Match) -> str:
    ch = match.group()
    return json.dumps(ch)[1:-1] if _must_escape(ch) else ch


def terminal_json(value, **dumps_options) -> str:
    """``json.dumps(value, ensure_ascii=False)`` with control and format characters as ``\\uXXXX``.

    The result is the same JSON value (only string content can hold such characters), readable
    Chinese included, and safe to print: JSON escapes C0 controls itself but not C1 (0x80-0x9F),
    bidirectional overrides or line separators.

    Parameters
    ----------
    value : anything ``json.dumps`` accepts.
    **dumps_options : passed on (``indent``, ``default`` ...).

    Returns
    -------
    str
    """
    dumps_options.setdefault("ensure_ascii", False)
    return _JSON_SUSPECT.sub(_json_escape_one, json.dumps(value, **dumps_options))


def safe_echo(line: object = "", *, err: bool = False) -> None:
    """Print one line with every control sequence escaped (ESC, OSC ``ESC ] ... BEL``, C1 such as 0x9B).

    For command output that carries values from input (a county, a CSV cell, a file name): the
    fixed text around them is the caller's, the whole line goes through :func:`terminal_text`.
    """
    import sys

    out = sys.stderr if err else sys.stdout
    out.write(terminal_text(str(line)) + "\n")
    out.flush()
