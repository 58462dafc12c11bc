"""Zip archives (``.xlsx``, ``.ods``, ``.docx``) checked before a reader inflates them.

A 3 MB workbook can inflate to gigabytes (a "zip bomb"); the readers (calamine, openpyxl) trust
what the archive says and allocate for it.  :func:`check_zip_archive` reads only the central
directory first (entry count, declared sizes, compression ratios), then inflates each entry as a
stream with a byte cap, so an entry that lies about its size is caught before any reader sees it.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from safeio.errors import InputError
from safeio.limits import check_regular_file, describe_size

__all__ = ["ArchiveLimits", "check_table_file", "check_workbook", "check_zip_archive"]


@dataclass(frozen=True)
class ArchiveLimits:
    """What an archive from a shop may hold.  A real ledger workbook of 100,000 rows is ~60 MiB inflated."""

    max_file: int = 256 << 20          # the archive itself
    max_entries: int = 10_000
    max_total: int = 512 << 20         # all entries inflated
    max_entry: int = 256 << 20         # one entry inflated
    max_ratio: float = 200.0           # inflated / compressed, for entries larger than ratio_floor
    ratio_floor: int = 4 << 20         # small entries may compress as well as they like


DEFAULT_LIMITS = ArchiveLimits()
_HINT = ("An archive that inflates this much is damaged or built to exhaust memory (a 'zip bomb'). "
         "Keep it as it is for the record; export the sheet again (CSV) if the data is needed.")


def check_zip_archive(path: str | os.PathLike, *, what: str = "workbook",
                      limits: ArchiveLimits = DEFAULT_LIMITS, inflate: bool = True) -> int:
    """Refuse a zip archive whose entries would inflate beyond ``limits``; return the inflated total.

    Parameters
    ----------
    path : the archive (a regular file; links, FIFOs and devices are refused).
    what : what it is, for the message ("workbook").
    limits : the caps.
    inflate : also inflate each entry as a stream (capped at its declared size) and check its CRC,
        catching entries that declare less than they hold.

    Raises
    ------
    InputError
        Not a zip archive, too many entries, too large declared or real sizes, a suspicious
        compression ratio, or a damaged entry; the message names the entry.
    """
    source = Path(path)
    check_regular_file(source, limits.max_file, what=what)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise InputError(f"this {what} cannot be opened: it is not a readable zip archive ({err})", path=source,
                         hint="Open it in Excel or WPS and save it again.") from err
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise InputError(f"this {what} holds {len(entries)} entries, more than the {limits.max_entries} accepted",
                             path=source, hint=_HINT)
        total = 0
        for info in entries:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.max_entry or total > limits.max_total:
                raise InputError(f"this {what} would inflate to more than {describe_size(limits.max_total)} "
                                 f"(entry {info.filename!r} declares {describe_size(info.file_size)})",
                                 path=source, hint=_HINT)
            if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
                raise InputError(f"entry {info.filename!r} of this {what} inflates {ratio:.0f} times "
                                 f"(from {describe_size(info.compress_size)} to {describe_size(info.file_size)})",
                                 path=source, hint=_HINT)
        if inflate:
            for info in entries:
                _inflate_capped(archive, info, source, what)
    return total


def _inflate_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: Path, what: str) -> None:
    """Stream one entry: zipfile stops at the declared size and checks the CRC, so a lying entry fails here."""
    try:
        with archive.open(info) as stream:
            while stream.read(1 << 20):
                pass
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as err:
        raise InputError(f"entry {info.filename!r} of this {what} is damaged or not what it declares ({err})",
                         path=source, hint=_HINT) from err
    except RuntimeError as err:  # an encrypted entry
        raise InputError(f"entry {info.filename!r} of this {what} is encrypted", path=source,
                         hint="Save the workbook again without a password.") from err


ZIP_WORKBOOKS = (".xlsx", ".xlsm", ".ods")
MAX_OLD_WORKBOOK = 128 << 20  # an old binary .xls is not a zip archive: its size is capped instead


def check_workbook(path: str | os.PathLike, *, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    """Check a workbook before a reader opens it: a zip one with :func:`check_zip_archive`, an ``.xls`` by size.

    Raises
    ------
    InputError
        As :func:`check_zip_archive`; or an ``.xls`` larger than 128 MiB, a FIFO, a device or a link.
    """
    source = Path(path)
    if source.suffix.lower() in ZIP_WORKBOOKS:
        check_zip_archive(source, what="workbook", limits=limits)
    else:
        check_regular_file(source, MAX_OLD_WORKBOOK, what="workbook")


MAX_TABLE_BYTES = 16 << 30  # a table this large belongs in a folder of parts


def check_table_file(path: str | os.PathLike, *, limit: int = MAX_TABLE_BYTES, what: str = "case table") -> None:
    """A table a reader may open by path: a regular file within ``limit`` (never a FIFO, device or link),
    and, for a workbook, an archive that is no bomb.

    Raises
    ------
    InputError, UnsafePathError
    """
    source = Path(path)
    check_regular_file(source, limit, what=what, hint="Split the table into a folder of Parquet or CSV parts.")
    if source.suffix.lower() in (*ZIP_WORKBOOKS, ".xls"):
        check_workbook(source)
