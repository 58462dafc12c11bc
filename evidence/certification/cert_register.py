"""A CCC certificate register, imported from the export of the public certificate query (CSV or Excel).

The query (认证认可信息公共服务平台) gives, per certificate: number, status, holder (委托人),
manufacturer (生产者), factory (生产企业), product, models, issue and expiry dates and the date of the
last status change; an export has those columns under one of several header spellings.  Status
words are read into codes: 有效 ``valid``, 暂停 ``suspended``, 撤销 ``withdrawn``, 注销
``cancelled``, 过期/失效 ``expired``.  A row that cannot be used (no number, an unknown status, a date
that is not a date) is named in ``problems`` with its row and field and left out; the rest is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from evidence.certification.cert_numbers import normalise_number
from evidence.certification.register_sheets import MAX_FILE_BYTES, MAX_ROWS, read_table

__all__ = ["COLUMNS", "STATUS_WORDS", "CertRecord", "CertRegister", "RegisterProblem", "load_register", "read_date"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("证书编号", "证书号", "认证证书编号", "证书号码", "CCC证书编号", "certificate number", "certificate no"),
    "status": ("证书状态", "状态", "证书有效状态", "status"),
    "holder": ("委托人", "委托人名称", "认证委托人", "持证人", "申请人", "证书持有人", "holder", "applicant"),
    "manufacturer": ("生产者", "生产者名称", "制造商", "制造商名称", "生产者（制造商）", "manufacturer"),
    "factory": ("生产企业", "生产企业名称", "工厂", "工厂名称", "生产厂", "factory"),
    "product": ("产品名称", "产品", "认证产品", "product"),
    "models": ("型号", "产品型号", "型号规格", "规格型号", "产品型号规格", "models", "model"),
    "issued": ("发证日期", "颁证日期", "签发日期", "首次发证日期", "证书发证日期", "issued", "issue date"),
    "expires": ("有效期至", "证书到期日期", "到期日期", "有效截止日期", "证书有效期至", "有效期截止", "expires", "expiry date"),
    "changed": ("状态变更日期", "最近状态变更日期", "状态日期", "最后变更日期", "变更日期", "status changed"),
    "body": ("发证机构", "认证机构", "发证机构名称", "body"),
}
STATUS_WORDS = {"有效": "valid", "正常": "valid", "valid": "valid", "暂停": "suspended", "suspended": "suspended",
                "撤销": "withdrawn", "撤消": "withdrawn", "withdrawn": "withdrawn", "revoked": "withdrawn",
                "注销": "cancelled", "cancelled": "cancelled", "canceled": "cancelled", "过期": "expired",
                "失效": "expired", "到期": "expired", "expired": "expired"}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_MODEL_SPLIT = re.compile(r"[、，,；;\n]+|\s{2,}")


@lru_cache(maxsize=65536)
def read_date(text: str) -> date | None:
    """A date as registers write it (2024-05-01, 2024/5/1, 2024年5月1日, 20240501); None if it is not one.

    Raises
    ------
    ValueError
        The text looks like a date but is not a real one (2024-02-30).
    """
    found = _DATE.match(text) or _COMPACT.match(text)
    if not found:
        if text.strip():
            raise ValueError(text)
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        raise ValueError(text) from None


@dataclass(frozen=True)
class RegisterProblem:
    """A row of the register that could not be used: its row, the field, what is wrong."""

    row: int
    field: str
    message: str

    def to_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class CertRecord:
    """One certificate as the register gives it (the row number ties each finding to its source)."""

    number: str
    status: str
    row: int
    holder: str = ""
    manufacturer: str = ""
    factory: str = ""
    product: str = ""
    models_text: str = ""
    issued: date | None = None
    expires: date | None = None
    changed: date | None = None
    body: str = ""
    status_text: str = ""

    @property
    def models(self) -> tuple[str, ...]:
        """The certified models, split where the register separates them (、，；, new lines)."""
        return _models(self.models_text)

    def to_dict(self) -> dict:
        return {"number": self.number, "status": self.status, "status_text": self.status_text, "row": self.row,
                "holder": self.holder, "manufacturer": self.manufacturer, "factory": self.factory,
                "product": self.product, "models": list(self.models),
                "issued": self.issued.isoformat() if self.issued else None,
                "expires": self.expires.isoformat() if self.expires else None,
                "changed": self.changed.isoformat() if self.changed else None, "body": self.body}


@dataclass
class CertRegister:
    """Certificates by number, where they came from, and the rows that could not be used."""

    records: dict[str, CertRecord]
    source: str
    problems: list[RegisterProblem] = field(default_factory=list)
    header_row: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.records)

    def get(self, number: str) -> CertRecord | None:
        return self.records.get(normalise_number(number))


def _models(text: str) -> tuple[str, ...]:
    return tuple(m.strip() for m in _MODEL_SPLIT.split(text) if m.strip())


def load_register(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES, max_rows: int = MAX_ROWS) -> CertRegister:
    """Import a certificate register export.

    Parameters
    ----------
    path : a CSV (UTF-8 or GB18030) or Excel file with a header row naming at least 证书编号 and 证书状态.
    max_bytes, max_rows : caps on the file (see :mod:`evidence.certification.register_sheets`).

    Returns
    -------
    CertRegister
        The usable rows by normalised number; ``problems`` names each row left out (row, field, why).
        A number listed twice keeps the row with the later status change (or the later row).

    Raises
    ------
    InputError
        The file cannot be read, is too large or hostile, or has no such header.
    """
    raw_problems: list[tuple[int, str, str]] = []
    table = read_table(path, COLUMNS, required=("number", "status"), problems=raw_problems, max_bytes=max_bytes,
                       max_rows=max_rows)
    problems: list[RegisterProblem] = []
    columns = table.columns
    width = max(columns.values()) + 1
    roles = ("number", "status", "holder", "manufacturer", "factory", "product", "models", "issued", "expires",
             "changed", "body")
    pick = itemgetter(*(columns.get(role, width) for role in roles))  # a missing column reads the empty pad
    records: dict[str, CertRecord] = {}
    for row, cells in table.rows:
        cells.append("")
        number, status_text, holder, maker, factory, product, models, issued, expires, changed, body = pick(cells)
        number = normalise_number(number)
        if not number:
            problems.append(RegisterProblem(row, "number", "no certificate number"))
            continue
        status = STATUS_WORDS.get(status_text.lower()) or next(
            (code for word, code in STATUS_WORDS.items() if word in status_text), None)
        if status is None:
            problems.append(RegisterProblem(row, "status", f"unknown status {status_text[:40]!r}"))
            continue
        try:
            dates = {role: read_date(text) if text else None
                     for role, text in (("issued", issued), ("expires", expires), ("changed", changed))}
        except ValueError as err:
            role = next(r for r, t in (("issued", issued), ("expires", expires), ("changed", changed))
                        if t == err.args[0])
            problems.append(RegisterProblem(row, role, f"not a date: {err.args[0][:40]!r}"))
            continue
        record = CertRecord(number=number, status=status, row=row, holder=holder, manufacturer=maker,
                            factory=factory, product=product, models_text=models, body=body,
                            status_text=status_text, **dates)
        earlier = records.get(number)
        if earlier is not None:
            problems.append(RegisterProblem(row, "number", f"certificate {number} is also on row {earlier.row}"))
            if (earlier.changed or date.min) > (record.changed or date.min):
                continue
        records[number] = record
    problems += [RegisterProblem(*item) for item in raw_problems]
    problems.sort(key=lambda p: p.row)
    return CertRegister(records, str(path), problems, table.header_row, table.headers)
