"""Helpers for the link tests: tables in the formats shops send, small case folders, a linked sample."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml


def table_bytes(rows: list[list], fmt: str) -> bytes:
    """Rows as a CSV in ``fmt`` encoding (utf-8, utf-8-sig, gb18030) or as an Excel workbook (``xlsx``)."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(fmt)


def write_table(folder: Path, name: str, rows: list[list], fmt: str) -> Path:
    path = folder / (f"{name}.xlsx" if fmt == "xlsx" else f"{name}.csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(table_bytes(rows, fmt))
    return path


def make_case(book: Path, case_id: str, *, county: str, party: dict, organ: str = "") -> Path:
    """A minimal case folder (case.yml, labels/, evidence/) inside ``book``."""
    folder = book / case_id
    (folder / "labels").mkdir(parents=True, exist_ok=True)
    (folder / "evidence").mkdir(exist_ok=True)
    record = {"case_id": case_id, "case_no": "", "title": f"{party.get('name', case_id)}案", "organ": organ,
              "party": party, "opened": "2024-05-01", "location": {"county": county}}
    (folder / "case.yml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder
