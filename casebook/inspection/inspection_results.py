"""Write a draw (table + record) and publish its results: the 抽查结果公示 table, 100 % of the drawn businesses.

The results come back as a table (credit code or name, result, date); each result is read into
one of the categories the 国家企业信用信息公示系统 uses for random checks (see docs/domain.md) and
joined with the draw.  A drawn business without a result is listed: 一公开 means every one.
The public table is HTML through jinja2 with autoescape, and CSV (UTF-8 with BOM, for Excel).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from casebook.inspection.random_draw import Draw
from links.spreadsheets import Vocabulary
from links.table_frames import read_frame
from safeio.atomic import write_bytes_atomic, write_text_atomic
from safeio.errors import InputError

__all__ = ["DRAW_CSV", "DRAW_RECORD", "RESULT_CODES", "Publication", "load_draw", "publish_results", "read_results",
           "result_code", "write_draw", "write_publication"]

DRAW_CSV = "draw.csv"
DRAW_RECORD = "draw_record.json"
# The result categories of random checks, in the order they are tested (the first phrase found wins).
RESULT_CODES = (
    ("未发现开展本次抽查涉及的经营活动", "no_such_activity"),
    ("未发现问题", "no_problem"),
    ("无法联系", "unreachable"),
    ("不配合", "refused"),
    ("隐瞒真实情况", "false_disclosure"),
    ("弄虚作假", "false_disclosure"),
    ("未按规定公示", "disclosure_missing"),
    ("已责令改正", "ordered_to_correct"),
    ("已改正", "ordered_to_correct"),
    ("待后续处理", "follow_up"),
    ("立案", "follow_up"),
    ("发现问题", "problem_found"),
)
RESULT_WORDS = {
    "no_problem": "未发现问题", "no_such_activity": "未发现开展本次抽查涉及的经营活动",
    "unreachable": "通过登记的住所（经营场所）无法联系", "refused": "不配合检查情节严重",
    "false_disclosure": "公示信息隐瞒真实情况、弄虚作假", "disclosure_missing": "未按规定公示应当公示的信息",
    "ordered_to_correct": "发现问题已责令改正", "follow_up": "发现问题待后续处理", "problem_found": "发现问题",
    "other": "", "missing": "结果未录入",
}
RESULT_COLUMNS = {
    "id": ("统一社会信用代码", "信用代码", "社会信用代码", "注册号", "credit_code", "id"),
    "name": ("市场主体名称", "企业名称", "主体名称", "名称", "name"),
    "result": ("检查结果", "抽查结果", "结果", "处理结果", "result"),
    "date": ("检查日期", "抽查日期", "检查时间", "完成日期", "日期", "date"),
}
_DRAW_COLUMNS = ["order", "id", "name", "address", "township", "county", "row", "weight", "inspector_ids",
                 "inspector_names"]


def result_code(text: str) -> str:
    """The category of a result as written (``other`` when none of the usual phrases is in it)."""
    value = str(text or "").strip()
    return next((code for phrase, code in RESULT_CODES if phrase in value), "other" if value else "missing")


def write_draw(draw: Draw, out_dir: str | Path) -> list[Path]:
    """``draw.csv`` (UTF-8 with BOM) and ``draw_record.json`` holding the record and the table's SHA-256."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame = draw.frame.copy()
    frame["inspector_ids"] = frame["inspector_ids"].map(";".join)
    frame["inspector_names"] = frame["inspector_names"].map(";".join)
    buffer = io.StringIO()
    frame[_DRAW_COLUMNS].to_csv(buffer, index=False, lineterminator="\n", float_format="%.10g")
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    record = {**draw.record, "table": {"file": DRAW_CSV, "sha256": hashlib.sha256(data).hexdigest()}}
    return [write_bytes_atomic(out / DRAW_CSV, data),
            write_text_atomic(out / DRAW_RECORD, json.dumps(record, ensure_ascii=False, indent=1) + "\n")]


def load_draw(draw_dir: str | Path) -> tuple[pd.DataFrame, dict]:
    """The drawn businesses and the record of a draw folder."""
    folder = Path(draw_dir)
    try:
        frame = pd.read_csv(folder / DRAW_CSV, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        record = json.loads((folder / DRAW_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"this is not a draw folder ({err})", path=str(folder),
                         hint="Pass the --out folder of: casebook inspect draw ...") from err
    return frame, record


def read_results(path: str | Path) -> pd.DataFrame:
    """The results table: id (credit code), name, result text and code, date, row."""
    read = read_frame(path, Vocabulary(RESULT_COLUMNS),
                      hint="The results need a header row with 统一社会信用代码 (or 名称) and 检查结果.")
    frame = read.frame
    for role in RESULT_COLUMNS:
        if role not in frame:
            frame[role] = ""
    frame = frame[list(RESULT_COLUMNS)].fillna("").astype(str)
    frame = frame.loc[(frame != "").any(axis=1)]
    frame = frame.assign(code=frame["result"].map(result_code), row=frame.index.to_numpy())
    return frame.reset_index(drop=True)


@dataclass
class Publication:
    """The public table (one row per drawn business, in draw order), and what is missing or unknown."""

    table: pd.DataFrame
    missing: list[dict] = field(default_factory=list)
    not_drawn: list[dict] = field(default_factory=list)

    @property
    def published_share(self) -> float:
        return 1.0 if len(self.table) == 0 else 1 - len(self.missing) / len(self.table)


def publish_results(draw: pd.DataFrame, results: pd.DataFrame) -> Publication:
    """Join results to the draw by credit code (else name); a result for a business not drawn is listed apart."""
    by_id = {r.id: r for r in results.itertuples(index=False) if r.id}
    by_name = {r.name: r for r in results.itertuples(index=False) if r.name}
    rows, missing, used = [], [], set()
    for d in draw.itertuples(index=False):
        hit = by_id.get(d.id) if d.id else None
        hit = hit or by_name.get(d.name)
        if hit is None:
            missing.append({"order": int(d.order), "id": d.id, "name": d.name})
        else:
            used.add(hit.row)
        rows.append({"order": int(d.order), "name": d.name, "id": d.id, "code": hit.code if hit else "missing",
                     "result": (hit.result if hit else "") or RESULT_WORDS.get(hit.code if hit else "missing", ""),
                     "date": hit.date if hit else ""})
    not_drawn = [{"row": int(r.row), "id": r.id, "name": r.name} for r in results.itertuples(index=False)
                 if r.row not in used]
    return Publication(pd.DataFrame(rows, columns=["order", "name", "id", "code", "result", "date"]), missing,
                       not_drawn)


def write_publication(publication: Publication, record: dict, out_dir: str | Path, *, organ: str = "",
                      task: str = "") -> list[Path]:
    """``publication.html`` (the 抽查结果公示 table) and ``publication.csv``."""
    from casebook.html_pages import render

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = render("inspection_publication.html", rows=publication.table.to_dict("records"), organ=organ, task=task,
                  record=record, missing=len(publication.missing), total=len(publication.table))
    buffer = io.StringIO()
    table = publication.table.rename(columns={"order": "序号", "name": "市场主体名称", "id": "统一社会信用代码",
                                              "result": "检查结果", "date": "检查日期", "code": "结果类别"})
    table.insert(1, "抽查机关", organ)
    table.insert(2, "抽查任务", task)
    table.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return [write_text_atomic(out / "publication.html", page),
            write_bytes_atomic(out / "publication.csv", ("\ufeff" + buffer.getvalue()).encode("utf-8"))]
