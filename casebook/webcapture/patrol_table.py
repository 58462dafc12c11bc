"""The patrol record (巡查记录) of a ``capture --screen`` run: one row per address, most serious first.

Each row links to the sealed capture (its extraction record and screenshot, by a relative link
from the patrol folder) and gives the Merkle root of its manifest, so the table points at exactly
the sealed bytes.  The HTML is rendered by jinja2 with autoescape (page titles and findings are
the seller's text); the CSV has one row per finding (an address with none gets one row saying so)
and is written as UTF-8 with a byte-order mark, which Excel needs to read Chinese.  Both go to
``CASE/patrol/`` by default, outside the sealed ``evidence/`` folder: the table is a report on
the evidence, not evidence.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import UTC, datetime
from pathlib import Path

from evidence.certification.rule_flags import SEVERITY_ORDER
from evidence.integrity.electronic_data_list import shanghai_time
from safeio.atomic import write_text_atomic

__all__ = ["PATROL_DIR", "patrol_rows", "write_patrol"]

PATROL_DIR = "patrol"
LEVELS = {"violation": "违法", "warning": "需核实", "needs_review": "待人工复核", "failed": "提取失败", "clean": "未发现问题"}
_LEVEL_ORDER = {**SEVERITY_ORDER, "failed": 3, "clean": 4}
TEXT = {"heading": "网络交易巡查记录", "case": "案件", "title": "案件名称", "time": "巡查时间", "beijing": "北京时间",
        "register": "CCC 证书登记表", "no": "序号", "severity": "结论", "page": "页面", "findings": "发现的问题",
        "capture": "提取的电子数据", "basis": "依据", "where": "页面位置", "region": "截图区域",
        "record": "电子数据提取笔录", "screenshot": "整页截图", "merkle": "封存清单 Merkle 根",
        "counts": "共 {total} 个网址：违法 {violation}，需核实 {warning}，待复核 {needs_review}，提取失败 {failed}，"
                  "未发现问题 {clean}。",
        "note": "本表由 casebook 根据已封存的网页（page.html）自动筛查生成，所列问题须经办案人员核实；"
                "页面位置为网页元素路径，截图区域为整页截图上的像素坐标。"}
CSV_HEAD = ["序号", "结论", "代码", "问题", "依据", "页面原文", "页面位置", "截图区域", "网址", "页面标题", "提取时间",
            "提取文件夹", "封存清单Merkle根"]


def _template():
    from casebook.html_pages import template

    return template("patrol_record.html")


def _level(findings: list[dict]) -> str:
    if not findings:
        return "clean"
    return min((f.get("severity", "warning") for f in findings), key=lambda s: _LEVEL_ORDER.get(s, 9))


def patrol_rows(run) -> list[dict]:
    """One row per address of a capture run (``CaptureRun``), most serious first, then in list order."""
    rows = []
    for order, result in enumerate(run.results):
        findings = list((result.screening or {}).get("findings") or [])
        level = _level(findings)
        rows.append({"order": order, "level": level, "url": result.url, "title": result.title,
                     "folder": f"evidence/web/{result.folder.name}", "captured_utc": result.captured_at,
                     "merkle": result.manifest.merkle_root, "findings": findings,
                     "note": LEVELS["clean"]})
    for order, item in enumerate(run.failed, start=len(rows)):
        rows.append({"order": order, "level": "failed", "url": item.get("url", ""), "title": "", "folder": "",
                     "captured_utc": "", "merkle": "", "findings": [],
                     "note": f"{LEVELS['failed']}：{item.get('message', '')}"})
    rows.sort(key=lambda r: (_LEVEL_ORDER.get(r["level"], 9), r["order"]))
    return rows


def write_patrol(run, *, case, register_name: str | None, started_utc: str, out_dir: str | os.PathLike | None = None,
                 ) -> tuple[Path, Path]:
    """Write ``patrol-<UTC time>.html`` and ``.csv`` for a screened capture run.

    Parameters
    ----------
    run : casebook.webcapture.case_capture.CaptureRun
    case : casebook.case.Case
    register_name : the register the certificates were checked in (its file name), or None.
    started_utc : when the run began (names the files).
    out_dir : where to write (default ``CASE/patrol``).

    Returns
    -------
    (Path, Path)
        The HTML and CSV files.
    """
    target = Path(out_dir) if out_dir is not None else Path(run.case_dir) / PATROL_DIR
    target.mkdir(parents=True, exist_ok=True)
    stamp = datetime.fromisoformat(started_utc.replace("Z", "+00:00")).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    html_path, csv_path = target / f"patrol-{stamp}.html", target / f"patrol-{stamp}.csv"
    rows = patrol_rows(run)
    case_root = Path(run.case_dir).resolve()
    shown = []
    for row in rows:
        link = None
        if row["folder"]:
            folder = case_root / row["folder"]
            link = Path(os.path.relpath(folder, target.resolve())).as_posix()
        shown.append({**row, "severity": LEVELS[row["level"]],
                      "record": f"{link}/record.html" if link else "", "screenshot": f"{link}/screenshot.png" if link
                      else "",
                      "findings": [{**f, "shown": f.get("shown") or f.get("evidence", ""),
                                    "element": f.get("element", ""),
                                    "region": ", ".join(map(str, f["region"])) if f.get("region") else ""}
                                   for f in row["findings"]]})
    counts = {level: sum(r["level"] == level for r in rows) for level in LEVELS}
    html = _template().render(
        t=TEXT, case={"case_id": case.case_id, "case_no": case.case_no, "title": case.title}, rows=shown,
        run={"started": shanghai_time(started_utc), "ended": shanghai_time(datetime.now(UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ")), "register": register_name or "未提供（仅核对编号规则）",
             "counts": {"total": len(rows), **counts}})
    write_text_atomic(html_path, html)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEAD)
    number = 0
    for row in rows:
        items = row["findings"] or [None]
        for item in items:
            number += 1
            writer.writerow([_cell(v) if isinstance(v, str) else v for v in [number, LEVELS[row["level"]] if item is None else LEVELS.get(item["severity"], ""),
                             "" if item is None else item["code"], row["note"] if item is None else item["message"],
                             "" if item is None else item["basis"],
                             "" if item is None else (item.get("shown") or item.get("evidence", "")),
                             "" if item is None else item.get("element", ""),
                             "" if item is None or not item.get("region") else " ".join(map(str, item["region"])),
                             row["url"], row["title"], shanghai_time(row["captured_utc"])
                             if row["captured_utc"] else "", row["folder"], row["merkle"]]])
    write_text_atomic(csv_path, "\ufeff" + buffer.getvalue())
    return html_path, csv_path


def _cell(text: str) -> str:
    """A value safe in a spreadsheet: a leading = + - @ would be taken for a formula."""
    text = str(text or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
