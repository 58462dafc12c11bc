"""Tables handed over by a user (CSV in UTF-8 or GB18030, Excel), read with caps and headers found by meaning.

A register export starts with its header, or with a title row or two above it; headers carry
stars, units and spaces (``*证书编号``, ``有效期至（日期）``).  The header row is the row among the
first twelve that names the most known columns: a cell names a column when, cleaned, it equals
one of the column's words or contains one.  (``links.spreadsheets`` does the same for ledgers, one
layer up: the evidence layer cannot import it, and this reader needs the caps below besides.)

Hostile files end in a plain error, never in a hang or a memory blow-up:

- every file is read through :func:`safeio.limits.read_capped` (no links, no pipes, a size cap);
- a workbook is a zip: before any cell is read, the number of members, the sizes they declare,
  their compression ratio and (by streaming each member once through :mod:`zipfile`, which stops
  at the declared size and checks the CRC) the truth of those sizes are checked, so a zip bomb is
  refused, not unpacked;
- rows beyond :data:`MAX_ROWS` and cells beyond :data:`MAX_CELL_CHARS` are refused or named.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from safeio.errors import InputError
from safeio.limits import describe_size, read_capped

__all__ = ["MAX_CELL_CHARS", "MAX_FILE_BYTES", "MAX_ROWS", "MAX_UNPACKED_BYTES", "Table", "check_zip", "read_table"]

MAX_FILE_BYTES = 512 << 20  # a register of every CCC certificate ever issued is a few hundred MiB as CSV
MAX_UNPACKED_BYTES = 2 << 30  # what a workbook may unpack to
MAX_RATIO = 400  # sheet XML compresses 5-30x; a bomb, thousands of times
MAX_MEMBERS = 10_000
MAX_ROWS = 3_000_000
MAX_CELL_CHARS = 4_000
HEADER_SCAN_ROWS = 12
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_NOISE = re.compile(r"[\s*＊※:：#＃()（）\[\]【】<>《》/／\\\-_.。,，、]")
_UNIT = re.compile(r"[（(][^）)]{0,8}[）)]")


@dataclass
class Table:
    """A table as read: the columns found (role -> index), the header row, and the data rows with their numbers."""

    path: Path
    columns: dict[str, int]
    header_row: int  # 1-based
    headers: dict[str, str]  # role -> the header as written
    rows: Iterator[tuple[int, list[str]]] = field(default_factory=lambda: iter(()))  # (row number, cells), read once
    encoding: str = ""


def clean_header(text: str) -> str:
    return _NOISE.sub("", _UNIT.sub("", unicodedata.normalize("NFKC", text)))


def _match(text: str, words: list[tuple[str, str]], exact: dict[str, str]) -> str | None:
    cleaned = clean_header(text)
    if not cleaned or len(cleaned) > 30:
        return None
    if cleaned in exact:
        return exact[cleaned]
    for word, role in words:
        if word in cleaned:
            return role
    return None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a certificate number typed as a number comes back as 2020010201234567.0
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def check_zip(path: Path, data: bytes) -> None:
    """Refuse a workbook whose zip would unpack to too much, before any of it is parsed.

    Raises
    ------
    InputError
        Not a zip; too many members; declared sizes too large or a ratio like a zip bomb's; or a
        member that unpacks to more than it declares (a lying header) or fails its CRC.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise InputError("this workbook is not a valid .xlsx file (it is not a zip archive)", path=path,
                         hint="Open it in Excel or WPS and save it again as .xlsx.") from err
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise InputError(f"this workbook holds {len(members)} parts, more than the {MAX_MEMBERS} casebook accepts",
                             path=path, hint="It is damaged or hostile input; export the register again.")
        declared = sum(m.file_size for m in members)
        if declared > MAX_UNPACKED_BYTES:
            raise InputError(f"this workbook would unpack to {describe_size(declared)}, more than the "
                             f"{describe_size(MAX_UNPACKED_BYTES)} casebook accepts", path=path,
                             hint="Split the register, or export it as CSV.")
        for member in members:
            if member.file_size > 1 << 20 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise InputError(f"the part {member.filename!r} of this workbook is compressed "
                                 f"{member.file_size // max(member.compress_size, 1)} times, as a zip bomb is",
                                 path=path, hint="This is hostile input; keep it for the record and export the "
                                 "register again from the official query.")
        total = 0
        for member in members:  # zipfile stops at the declared size and checks the CRC: the sizes are true
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_UNPACKED_BYTES:
                            raise InputError("this workbook unpacks to more than it declares", path=path)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as err:
                raise InputError(f"the part {member.filename!r} of this workbook is damaged ({err})", path=path,
                                 hint="Open it in Excel or WPS and save it again as .xlsx.") from err


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as err:
        raise InputError(f"this table is neither UTF-8 nor GBK text (byte {err.start})", path=path,
                         hint="Save it as CSV UTF-8 (Excel: 'CSV UTF-8') or as .xlsx.") from err


def _rows(path: Path, data: bytes) -> tuple[Iterator[list], str]:
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        if suffix in ZIP_SUFFIXES:
            check_zip(path, data)
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = book.get_sheet_by_index(0)
            return (list(row) for row in sheet.iter_rows()), suffix.lstrip(".")
        except Exception as err:  # calamine raises its own error types for every kind of damage
            raise InputError(f"the workbook cannot be read ({type(err).__name__}: {str(err)[:200]})", path=path,
                             hint="Open it in Excel or WPS: if it opens, save it again as .xlsx.") from err
    if b"\x00" in data[:4096]:
        raise InputError("this file holds binary data, not a CSV table", path=path,
                         hint="Give the register as CSV or .xlsx.")
    text, encoding = _decode(data, path)
    sample = text[:8192]
    delimiter = max((",", "\t", ";"), key=sample.count)
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), encoding


def _numbered(rows: Iterator[list], source: Path) -> Iterator[tuple[int, list]]:
    """(1-based row number, cells); a CSV row the reader cannot parse stops the file with its number."""
    number = 0
    while True:
        number += 1
        try:
            raw = next(rows)
        except StopIteration:
            return
        except csv.Error as err:  # a cell past the cap, a stray NUL: the reader cannot go on after it
            raise InputError(f"row {number} cannot be read as CSV ({err})", path=source, row=number,
                             hint="Open the file in Excel or WPS, fix or delete that row, save it as CSV UTF-8.") from err
        yield number, raw


def _data_rows(rows, columns: dict[str, int], width: int, header_index: int, max_rows: int, text_rows: bool,
               problems: list | None, source: Path) -> Iterator[tuple[int, list[str]]]:
    """The data rows under the header, read as they are consumed (a register is never held twice)."""
    for number, raw in rows:
        if number - header_index - 1 > max_rows:
            raise InputError(f"this register has more than {max_rows:,} rows", path=source,
                             hint="Split it into parts and import each.")
        cells = list(map(str.strip, raw[:width])) if text_rows else [_cell(v) for v in raw[:width]]
        if not any(cells):
            continue
        if max(map(len, cells)) > MAX_CELL_CHARS:
            long = next(i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS)
            if problems is not None:
                role = next((r for r, i in columns.items() if i == long), str(long + 1))
                problems.append((number, role, f"a cell of {len(cells[long])} characters (at most {MAX_CELL_CHARS})"))
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        yield number, cells


def read_table(path: str | Path, synonyms: dict[str, tuple[str, ...]], *, required: tuple[str, ...] = (),
               problems: list | None = None, max_bytes: int = MAX_FILE_BYTES, max_rows: int = MAX_ROWS) -> Table:
    """Read a CSV or Excel table whose header names columns by ``synonyms`` (role -> header words).

    Parameters
    ----------
    path : the file (.csv, .tsv, .txt, .xlsx, .xlsm, .xls, .ods).
    synonyms : the header words of each role.
    required : roles the table must have.
    problems : a list to which ``(row, field, message)`` is appended for each row that cannot be read.
    max_bytes, max_rows : caps.

    Returns
    -------
    Table

    Raises
    ------
    InputError
        Unreadable, too large, hostile, no header naming the required roles, or too many rows.
    """
    source = Path(path)
    data = read_capped(source, max_bytes, what="register file",
                       hint="Split the register, or check that this really is a register export.")
    rows, encoding = _rows(source, data)
    numbered = _numbered(iter(rows), source)
    head: list[tuple[int, list]] = []
    for item in numbered:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    exact = {clean_header(w): role for role, words in synonyms.items() for w in words}
    words = sorted(((clean_header(w), role) for role, ws in synonyms.items() for w in ws), key=lambda x: -len(x[0]))
    best_index, best = -1, {}
    for index, (_, raw) in enumerate(head):
        found: dict[str, int] = {}
        for column, value in enumerate(raw[:200]):
            role = _match(_cell(value), words, exact) if value not in (None, "") else None
            if role is not None and role not in found:
                found[role] = column
        if len(found) > len(best):
            best_index, best = index, found
    missing = [role for role in required if role not in best]
    if best_index < 0 or missing:
        wanted = "、".join(synonyms[role][0] for role in (missing or required))
        raise InputError(f"no header row naming {wanted} was found in the first {HEADER_SCAN_ROWS} rows", path=source,
                         hint="The register needs a header row with at least 证书编号 and 证书状态 "
                              "(as the public certificate query exports it).")
    header_raw = head[best_index][1]
    table = Table(source, best, best_index + 1, {role: _cell(header_raw[i]) for role, i in best.items()},
                  encoding=encoding)
    width = max(best.values()) + 1
    text_rows = source.suffix.lower() not in EXCEL_SUFFIXES  # csv gives str cells: strip them and nothing more
    table.rows = _data_rows(itertools.chain(head[best_index + 1:], numbered), best, width, best_index, max_rows,
                            text_rows, problems, source)
    return table
