"""12315 complaint and report exports (投诉举报) -> one table of leads, headers found by meaning.

Exports from the 12315 platform and from county hotlines differ in their headers (登记编号 or
工单号, 被投诉人 or 被举报对象, 被投诉人地址 or 经营地址), their title rows and their encoding
(UTF-8, UTF-8 with a BOM, GB18030).  The header row is found with :mod:`links.spreadsheets`; a
CSV is then read by pandas in one pass (a province exports about a million rows a year, far past
what a row-by-row reader does in a minute), a workbook through calamine.

The table keeps every data row, including those whose address names no place: they are leads all
the same, and the placing step counts them as unplaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from links.spreadsheets import HeaderMatch, Vocabulary
from links.table_frames import read_frame

__all__ = ["COLUMNS", "COMPLAINT_COLUMNS", "ComplaintExport", "kind_code", "read_complaints"]

COMPLAINT_COLUMNS: dict[str, tuple[str, ...]] = {
    "reg_no": ("登记编号", "登记号", "工单号", "工单编号", "编号", "投诉编号", "举报编号", "受理编号", "件号",
               "投诉举报编号", "流水号", "单号"),
    "received": ("登记时间", "登记日期", "受理时间", "受理日期", "投诉时间", "举报时间", "接收时间", "收到时间",
                 "来电时间", "创建时间", "时间", "日期", "投诉日期", "举报日期"),
    "kind": ("类型", "诉求类型", "类别", "件类型", "投诉举报类型", "业务类型", "信息类型", "性质", "登记类型"),
    "business": ("被投诉人", "被举报人", "被投诉方", "被举报方", "被投诉对象", "被举报对象", "被诉主体",
                 "被投诉单位", "被举报单位", "经营者", "经营者名称", "商家", "商家名称", "涉事主体", "被投诉人名称",
                 "被举报人名称", "被投诉举报对象", "被投诉举报人", "市场主体名称"),
    "address": ("被投诉人地址", "被举报人地址", "经营地址", "经营者地址", "商家地址", "地址", "事发地址", "事发地",
                "被投诉举报对象地址", "涉事地址", "发生地址"),
    "text": ("内容", "投诉内容", "举报内容", "诉求内容", "事由", "问题描述", "主要内容", "投诉举报内容", "具体内容",
             "反映内容", "诉求描述"),
    "phone": ("被投诉人电话", "被举报人电话", "经营者电话", "商家电话", "被投诉方电话", "涉事电话"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "被投诉人信用代码", "注册号"),
    "county": ("所属区县", "区县", "县区", "所属县区", "管辖区县", "属地", "所在区县"),
    "lon": ("经度", "lon", "lng", "longitude"),
    "lat": ("纬度", "lat", "latitude"),
    "coord_sys": ("坐标系", "coord_sys"),
}
COLUMNS = ("row", "reg_no", "received", "kind", "kind_text", "business", "address", "text", "phone", "credit_code",
           "county", "lon", "lat", "coord_sys", "source")
_VOCABULARY = Vocabulary(COMPLAINT_COLUMNS)
_HINT = ("The file needs a header row with at least two of: 登记编号, 登记时间, 类型, 被投诉人, 被投诉人地址, "
         "投诉内容 (other usual spellings are understood).")
_KINDS = (("举报", "report"), ("投诉", "complaint"), ("咨询", "inquiry"), ("建议", "suggestion"))


@dataclass
class ComplaintExport:
    """The leads of one export, its encoding, how each column was recognised, and the rows left out."""

    path: Path
    frame: pd.DataFrame
    encoding: str
    header: list[HeaderMatch]
    header_row: int  # 1-based, as a spreadsheet shows it
    rejected: list[dict] = field(default_factory=list)

    def columns_found(self) -> dict[str, str]:
        """Role -> header text as written (for a report that says how the file was read)."""
        return {m.role: m.text for m in self.header}


def kind_code(text: str) -> str:
    """投诉 -> complaint, 举报 -> report (a 投诉举报 mixed label counts as a report), else ``other``."""
    value = str(text or "")
    for word, code in _KINDS:
        if word in value:
            return code
    lowered = value.strip().lower()
    return lowered if lowered in ("complaint", "report", "inquiry", "suggestion") else "other"


_TIME = (r"^\s*(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
         r"(?:(?:[\sT]+|(?<=日))(?P<hour>\d{1,2})\s*[:：时]\s*(?P<minute>\d{1,2})"
         r"(?:\s*[:：分]\s*(?P<second>\d{1,2})\s*秒?|\s*分)?)?\s*$")


def _times(values: pd.Series) -> pd.Series:
    """Times as written -> UTC ISO-8601; a time without a zone is China time (Asia/Shanghai).

    The usual forms (2024/3/5 10:12, 2024-03-05, 2024年3月5日) are taken apart by one regular
    expression over the distinct values; only the rest go through pandas' per-value parser, which
    costs ~50 µs a value (a minute for a million distinct times).
    """
    unique = pd.Series(values.unique(), dtype=object).astype(str)
    parts = unique.str.extract(_TIME).astype(float)
    parts[["hour", "minute", "second"]] = parts[["hour", "minute", "second"]].fillna(0)
    parsed = pd.to_datetime(parts, errors="coerce")
    rest = parts["year"].isna() & (unique != "")
    if rest.any():
        try:
            other = pd.to_datetime(unique[rest], errors="coerce", format="mixed")
            if getattr(other.dt, "tz", None) is not None:  # a written zone: China time, then as the others
                other = other.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
            parsed[rest] = other
        except (AttributeError, TypeError, ValueError):
            pass  # zones mixed within one column: those times stay unread and are reported
    parsed = parsed.dt.tz_localize("Asia/Shanghai", ambiguous="NaT", nonexistent="NaT")
    iso = parsed.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ").fillna("")
    return values.map(dict(zip(unique, iso, strict=True))).fillna("")


def read_complaints(path: str | Path) -> ComplaintExport:
    """Read one export (CSV/TSV in UTF-8 or GB18030, or a workbook) into a table of leads.

    Parameters
    ----------
    path : the export file.

    Returns
    -------
    ComplaintExport
        ``frame`` has the columns of :data:`COLUMNS` as text (``row`` the 1-based file row, ``kind`` a
        code: complaint, report, inquiry, suggestion, other; ``received`` UTC ISO-8601 or empty);
        blank rows are dropped, every other row is kept, and a row whose time cannot be read is
        listed in ``rejected`` with the reason but kept (its time empty).

    Raises
    ------
    InputError
        The file cannot be read or decoded, or no header row is found.
    """
    file = Path(path)
    read = read_frame(file, _VOCABULARY, hint=_HINT)
    encoding, header_row, header = read.encoding, read.header_row, read.header
    present = [role for role in COMPLAINT_COLUMNS if role in read.frame.columns]
    rows = read.frame.index.to_numpy(np.int64)
    columns = {}
    for role in present:  # one column at a time, each raw column dropped once stripped (peak memory)
        columns[role] = read.frame.pop(role).astype(str).str.strip().reset_index(drop=True)
    del read
    frame = pd.DataFrame(columns)
    keep = ~(frame == "").all(axis=1).to_numpy() if present else np.zeros(len(rows), dtype=bool)
    if not keep.all():
        frame = frame.loc[keep].reset_index(drop=True)
    out = pd.DataFrame({"row": rows[keep]})
    for role in COMPLAINT_COLUMNS:  # Series, not arrays: pandas would convert each array to strings again
        out[role] = frame[role] if role in present else ""
    del frame
    out["kind_text"] = out["kind"]
    kinds = out["kind"].unique()
    out["kind"] = out["kind"].map({k: kind_code(k) for k in kinds})
    written = out["received"].copy()
    out["received"] = _times(written)
    bad_time = (written != "") & (out["received"] == "")
    rejected = [{"row": int(r), "field": "received", "reason": "unreadable_time", "value": v}
                for r, v in zip(out.loc[bad_time, "row"], written[bad_time], strict=True)]
    out["source"] = file.name
    return ComplaintExport(file, out[list(COLUMNS)].reset_index(drop=True), encoding, header, header_row, rejected)
