"""Big tables with a header found by meaning, read in one pass into a DataFrame of text columns.

:func:`links.spreadsheets.read_sheets` keeps every cell as a Python string, which suits a shop's
ledger; a 12315 export or a register of market entities holds up to a million rows.  Here the
header row is found on the first rows (:func:`links.spreadsheets.find_header`, the same
vocabulary rules), the encoding on the first 256 KiB (strict UTF-8 / GB18030 as
:func:`links.text_files.decode_text`), and pandas reads the recognised columns of the whole file
in C.  Workbooks go through calamine as before.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from links.spreadsheets import EXCEL_SUFFIXES, HeaderMatch, Sheet, Vocabulary, find_header, read_sheets
from links.text_files import decode_text
from safeio.errors import InputError

__all__ = ["Frame", "read_frame"]

_HEAD_BYTES = 256 * 1024


@dataclass
class Frame:
    """The recognised columns (named by role, text), each row's 1-based file row as the index, and how it was read."""

    frame: pd.DataFrame
    encoding: str
    header_row: int
    header: list[HeaderMatch]


def _head_text(file: Path) -> tuple[str, str]:
    """The first bytes decoded strictly (cut at the last newline so no character is split)."""
    try:
        with file.open("rb") as handle:
            data = handle.read(_HEAD_BYTES)
            more = bool(handle.read(1))
    except OSError as err:
        raise InputError(f"the file cannot be read ({err.strerror or err})", path=str(file),
                         hint="Check that the file exists and that you may read it.") from err
    if more and b"\n" in data:
        data = data[: data.rindex(b"\n") + 1]
    decoded = decode_text(data, file)
    return decoded.text, decoded.encoding


def _delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:12] if line.strip()]
    line = max(lines, key=len, default="")
    counts = {d: line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _no_header(file: Path, hint: str) -> InputError:
    return InputError("no header row naming the expected columns was found in the first rows", path=str(file),
                      hint=hint)


def _read_csv(file: Path, vocabulary: Vocabulary, hint: str) -> Frame:
    head, encoding = _head_text(file)
    delimiter = "\t" if file.suffix.lower() == ".tsv" else _delimiter(head[:8192])
    rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))[:12]
    index, header = find_header(Sheet(file, file.name, rows, encoding), vocabulary)
    if index < 0:
        raise _no_header(file, hint)
    columns = sorted(header, key=lambda m: m.column)
    try:
        frame = pd.read_csv(file, encoding="utf-8-sig" if encoding.startswith("utf-8") else encoding,
                            sep=delimiter, header=None, skiprows=index + 1, usecols=[m.column for m in columns],
                            dtype=str, keep_default_na=False, skip_blank_lines=False, engine="c",
                            on_bad_lines="skip", encoding_errors="strict")
    except UnicodeDecodeError as err:
        raise InputError(f"the file is not {encoding} throughout (a byte at {err.start} cannot be read)",
                         path=str(file), hint="Save it again from the program that made it, as UTF-8.") from err
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=[m.column for m in columns])
    except (pd.errors.ParserError, ValueError) as err:
        raise InputError(f"the file cannot be read as a table ({err})", path=str(file),
                         hint="Open it in Excel or WPS and save it again as CSV.") from err
    frame = frame.rename(columns={m.column: m.role for m in columns})
    frame.index = np.arange(len(frame)) + index + 2  # 1-based file row of each data row
    return Frame(frame, encoding, index + 1, header)


def _read_book(file: Path, vocabulary: Vocabulary, hint: str) -> Frame:
    for sheet in read_sheets(file):
        index, header = find_header(sheet, vocabulary)
        if index < 0:
            continue
        data = {m.role: [r[m.column] if m.column < len(r) else "" for r in sheet.rows[index + 1:]] for m in header}
        frame = pd.DataFrame(data, index=np.arange(index + 2, len(sheet.rows) + 1), dtype=object)
        return Frame(frame, sheet.encoding, index + 1, header)
    raise _no_header(file, hint)


def read_frame(path: str | Path, vocabulary: Vocabulary, *, hint: str) -> Frame:
    """Read a CSV/TSV (UTF-8, UTF-8 with BOM, GB18030) or a workbook: the columns ``vocabulary`` recognises.

    Parameters
    ----------
    path : the file.
    vocabulary : column roles and the header words that name them.
    hint : what to tell a person whose file has no recognisable header row.

    Returns
    -------
    Frame
        Columns named by role, as text (missing cells ''), indexed by 1-based file row.

    Raises
    ------
    InputError
        The file cannot be read or decoded, or no header row is found.
    """
    file = Path(path)
    reader = _read_book if file.suffix.lower() in EXCEL_SUFFIXES else _read_csv
    return reader(file, vocabulary, hint)
