"""Spreadsheets as shops keep them: CSV in any of the usual encodings or Excel, headers found by meaning.

A purchase ledger or an order export rarely starts with its header: a title row ("XX超市进货台账"),
a shop name or a blank line often come first, headers carry units ("单价（元）"), stars ("*供货单位")
or line breaks, and one shop writes 供货单位 where the next writes 供应商.  So the header row is the
row among the first few whose cells name the most known columns, each cell matched to a column
role by its synonyms: exactly, by containing one, or (rapidfuzz) by a close spelling; the method
is kept so the reader can say how a column was recognised.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from links.text_files import read_text_file
from safeio.archive_guard import check_workbook
from safeio.errors import InputError

__all__ = ["HeaderMatch", "Sheet", "TableRow", "Vocabulary", "find_header", "read_sheets", "rows_of"]

HEADER_SCAN_ROWS = 12
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TABLE_SUFFIXES = (".csv", ".tsv", *EXCEL_SUFFIXES)
_HEADER_NOISE = re.compile(r"[\s*＊※★☆:：#＃()（）\[\]【】<>《》/／\\\-_.。,，、]|[（(][^）)]{0,6}[）)]")


@dataclass
class Sheet:
    """One sheet (a CSV file has one): its rows as text cells, and where it came from."""

    path: Path
    name: str
    rows: list[list[str]]
    encoding: str = ""


@dataclass(frozen=True)
class HeaderMatch:
    """How one header cell was recognised: the role, the text as written, and the method."""

    column: int
    role: str
    text: str
    method: str  # exact | contains | similar (score)


@dataclass
class TableRow:
    """One data row: its 1-based row number in the file (or sheet) and its cells by role."""

    row: int
    cells: dict[str, str]
    raw: list[str] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores a phone number typed as a number as 13839462217.0
    if isinstance(value, datetime) and not (value.hour or value.minute or value.second):
        value = value.date()
    return str(value).strip()


def read_sheets(path: str | Path) -> list[Sheet]:
    """Every sheet of a CSV/TSV or Excel file, cells as text.

    Parameters
    ----------
    path : a ``.csv`` or ``.tsv`` file, or a workbook (``.xlsx``, ``.xlsm``, old ``.xls``, ``.ods``).

    Returns
    -------
    list of Sheet
        One for a CSV; one per non-empty sheet of a workbook.

    Raises
    ------
    InputError
        When the file cannot be read or decoded (the message names it and says what to do).
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(file)
    decoded = read_text_file(file)
    delimiter = "\t" if suffix == ".tsv" else _delimiter(decoded.text[:4096])
    rows = [[_cell(c) for c in row] for row in csv.reader(decoded.text.splitlines(), delimiter=delimiter)]
    return [Sheet(file, file.name, rows, decoded.encoding)]


def _delimiter(sample: str) -> str:
    """The separator used most in the longest of the first lines (a title row has none).

    Written by hand: csv.Sniffer takes ~1.3 ms a file and guesses wrong on one-column title rows.
    """
    lines = [line for line in sample.splitlines()[:12] if line.strip()]
    line = max(lines, key=len, default="")
    counts = {d: line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_excel(file: Path) -> list[Sheet]:
    """Every non-empty sheet, through calamine (Rust): openpyxl takes ~20 ms to open a small workbook, calamine ~1."""
    from python_calamine import CalamineWorkbook

    check_workbook(file)  # declared sizes and ratios first: a 3 MB "zip bomb" would inflate to gigabytes
    try:
        book = CalamineWorkbook.from_path(str(file))
        sheets = []
        for name in book.sheet_names:
            rows = [[_cell(c) for c in row] for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
            while rows and not any(rows[-1]):
                rows.pop()
            if rows:
                sheets.append(Sheet(file, f"{file.name}:{name}", rows, file.suffix.lstrip(".").lower()))
        return sheets
    except Exception as err:  # calamine raises its own errors for every kind of damage; all mean the same here
        raise InputError(f"the workbook cannot be opened ({type(err).__name__}: {err})", path=str(file),
                         hint="Open it in Excel or WPS: if it opens, save it again as .xlsx; if not, it is damaged.") from err


def _clean_header(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text))


class Vocabulary:
    """Column roles and the header words that name them; recognising a header text is cached."""

    def __init__(self, synonyms: dict[str, tuple[str, ...]],
                 compose: dict[tuple[str, str], str] | None = None,
                 parties: dict[str, tuple[str, ...]] | None = None,
                 attributes: dict[str, tuple[str, ...]] | None = None) -> None:
        self.synonyms = synonyms
        # a header not listed is often "<party><attribute>" (供方电话, 生产单位名称, 厂家联系方式): the
        # attribute is the word at the end, the party the word before it
        self.compose = compose or {}
        self.parties = sorted(((w, p) for p, ws in (parties or {}).items() for w in ws), key=lambda wp: -len(wp[0]))
        self.attributes = sorted(((w, a) for a, ws in (attributes or {}).items() for w in ws), key=lambda wa: -len(wa[0]))
        self._pairs = sorted(((w, role) for role, words in synonyms.items() for w in words), key=lambda wr: -len(wr[0]))
        self._exact = {w: role for w, role in reversed(self._pairs)}
        self._words = [w for w, _ in self._pairs]
        self._cache: dict[str, tuple[str, str] | None] = {}

    def match(self, text: str) -> tuple[str, str] | None:
        """(role, method) for one header cell, or None: exact, then the longest synonym contained, then similar."""
        cleaned = _clean_header(text)
        if cleaned in self._cache:
            return self._cache[cleaned]
        hit = self._match(cleaned)
        if len(self._cache) < 50_000:
            self._cache[cleaned] = hit
        return hit

    def _match(self, cleaned: str) -> tuple[str, str] | None:
        from rapidfuzz import fuzz, process

        if not cleaned or len(cleaned) > 24 or not re.search(r"[\u4e00-\u9fffA-Za-z]", cleaned):
            return None
        if cleaned in self._exact:
            return self._exact[cleaned], "exact"
        composed = self._composed(cleaned)
        if composed is not None:
            return composed
        for word, role in self._pairs:
            if len(word) >= 2 and word in cleaned and len(cleaned) - len(word) <= 4:
                return role, f"contains {word}"
        best = process.extractOne(cleaned, self._words, scorer=fuzz.ratio, score_cutoff=80)
        if best is not None:
            return self._pairs[best[2]][1], f"similar to {best[0]} ({best[1]:.0f})"
        return None


    def _composed(self, cleaned: str) -> tuple[str, str] | None:
        for attr_word, attribute in self.attributes:
            if not cleaned.endswith(attr_word):
                continue
            head = cleaned[: -len(attr_word)]
            party = "" if not head else next((p for w, p in self.parties if head.endswith(w) or head == w), None)
            if party is None:
                continue
            role = self.compose.get((party, attribute))
            if role is not None:
                return role, f"{head or ''}+{attr_word}"
        return None


def find_header(sheet: Sheet, vocabulary: Vocabulary) -> tuple[int, list[HeaderMatch]]:
    """The 0-based index of the header row among the first rows, and the columns it recognises.

    Each role goes to its first column.  Returns (-1, []) when no row names two roles.
    """
    best_index, best = -1, []
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        found: list[HeaderMatch] = []
        used: set[str] = set()
        for column, text in enumerate(row):
            hit = vocabulary.match(text) if text else None
            if hit is None or hit[0] in used:
                continue
            used.add(hit[0])
            found.append(HeaderMatch(column, hit[0], text, hit[1]))
        if len(found) > len(best):
            best_index, best = index, found
        if len(best) >= 4:
            break  # a header this clear is the header; the rows below are data
    return (best_index, best) if len(best) >= 2 else (-1, [])


def rows_of(sheet: Sheet, header_index: int, header: list[HeaderMatch]) -> Iterator[TableRow]:
    """The data rows under the header, with 1-based row numbers as a spreadsheet shows them; blank rows skipped."""
    for index in range(header_index + 1, len(sheet.rows)):
        raw = sheet.rows[index]
        if not any(raw):
            continue
        cells = {m.role: raw[m.column] for m in header if m.column < len(raw) and raw[m.column]}
        if cells:
            yield TableRow(index + 1, cells, raw)
