"""The inputs of a 双随机 draw: the businesses (subjects), the inspectors, and the hot-spot summary for risk.

Registers of market entities and lists of inspectors come from different systems, with their own
headers; they are read by meaning (:mod:`links.table_frames`) and in one pass, since a province's
register holds about a million businesses.  Each input's SHA-256 goes into the draw record.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from links.spreadsheets import Vocabulary
from links.table_frames import read_frame
from safeio.errors import InputError
from safeio.limits import read_capped

__all__ = ["Inspectors", "Subjects", "file_sha256", "read_inspectors", "read_risk", "read_subjects"]

SUBJECT_COLUMNS = {
    "id": ("统一社会信用代码", "信用代码", "社会信用代码", "注册号", "统一社会信用代码注册号", "主体代码", "credit_code"),
    "name": ("市场主体名称", "企业名称", "主体名称", "名称", "字号名称", "经营者名称", "个体户名称", "name"),
    "address": ("住所", "经营场所", "住所经营场所", "地址", "登记地址", "经营地址", "address"),
    "township": ("乡镇", "乡镇街道", "所属乡镇", "所在乡镇", "街道", "所属街道", "管辖所", "所属监管所", "township"),
    "county": ("区县", "所属区县", "县区", "登记机关", "管辖机关", "county"),
    "lon": ("经度", "lon", "lng"),
    "lat": ("纬度", "lat"),
    "coord_sys": ("坐标系", "coord_sys"),
}
INSPECTOR_COLUMNS = {
    "id": ("执法证号", "执法证编号", "工号", "人员编号", "执法人员编号", "编号", "id"),
    "name": ("姓名", "执法人员", "检查人员", "人员姓名", "name"),
    "township": ("所在乡镇", "居住乡镇", "户籍乡镇", "乡镇", "住址乡镇", "本人乡镇", "township"),
    "conflicts": ("回避对象", "申报回避", "回避企业", "利害关系企业", "利害关系", "回避主体", "需回避", "conflicts"),
    "unit": ("所在单位", "单位", "科室", "部门", "unit"),
}
_SPLIT = re.compile(r"[;；,，、/|\s]+")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Subjects:
    """The businesses to draw from (id as given, name, address, township, county, lon/lat WGS-84) and the file."""

    frame: pd.DataFrame
    path: Path
    sha256: str


@dataclass
class Inspectors:
    """Inspectors (id, name, township, unit) and their declared conflicts (business ids or names)."""

    frame: pd.DataFrame
    conflicts: list[frozenset[str]]
    path: Path
    sha256: str


def read_subjects(path: str | Path) -> Subjects:
    """Read the businesses; a row without id and name is refused with its row number, duplicates of an id too."""
    file = Path(path)
    read = read_frame(file, Vocabulary(SUBJECT_COLUMNS),
                      hint="The list of businesses needs a header row with 统一社会信用代码 and 名称 (and 住所, 乡镇 "
                           "where known).")
    frame = read.frame
    for role in SUBJECT_COLUMNS:
        if role not in frame:
            frame[role] = ""
    frame = frame[list(SUBJECT_COLUMNS)].fillna("").astype(str)
    frame = frame.loc[(frame != "").any(axis=1)]
    key = frame["id"].where(frame["id"] != "", frame["name"])
    if (key == "").any():
        row = int(frame.index[(key == "").to_numpy()][0])
        raise InputError("a business has neither a credit code nor a name", path=str(file), row=row,
                         hint="Fill in the credit code (统一社会信用代码) or the name, or delete the row.")
    dup = key.duplicated()
    if dup.any():
        row = int(frame.index[dup.to_numpy()][0])
        raise InputError(f"the business {key[dup].iloc[0]!r} is listed twice", path=str(file), row=row,
                         hint="A business may be drawn once: remove the repeated row.")
    frame = frame.assign(key=key.to_numpy(), row=frame.index.to_numpy(np.int64)).reset_index(drop=True)
    return Subjects(frame, file, file_sha256(file))


def read_inspectors(path: str | Path) -> Inspectors:
    """Read the inspectors; declared conflicts are split on ；、, and spaces."""
    file = Path(path)
    read = read_frame(file, Vocabulary(INSPECTOR_COLUMNS),
                      hint="The list of inspectors needs a header row with 执法证号 and 姓名 (and 所在乡镇, 回避对象 "
                           "where declared).")
    frame = read.frame
    for role in INSPECTOR_COLUMNS:
        if role not in frame:
            frame[role] = ""
    frame = frame[list(INSPECTOR_COLUMNS)].fillna("").astype(str)
    frame = frame.loc[(frame != "").any(axis=1)]
    key = frame["id"].where(frame["id"] != "", frame["name"])
    if (key == "").any() or key.duplicated().any():
        bad = (key == "") | key.duplicated()
        raise InputError("an inspector has no id and no name, or is listed twice", path=str(file),
                         row=int(frame.index[bad.to_numpy()][0]), hint="Each inspector once, with 执法证号 or 姓名.")
    conflicts = [frozenset(v for v in _SPLIT.split(text) if v) for text in frame["conflicts"]]
    frame = frame.assign(key=key.to_numpy()).reset_index(drop=True)
    return Inspectors(frame, conflicts, file, file_sha256(file))


def read_risk(path: str | Path | None) -> tuple[dict | None, str | None]:
    """The hot-spot summary JSON of ``casebook geo hotspots --summary`` (hot cells and counties), and its SHA-256."""
    if path is None:
        return None, None
    data = read_capped(path, 256 * 1024 * 1024, what="hot-spot summary")
    try:
        summary = json.loads(data)
    except ValueError as err:
        raise InputError(f"the hot-spot summary is not JSON ({err})", path=str(path),
                         hint="Pass the file written by: casebook geo hotspots CASES --summary SUMMARY.json") from err
    if not isinstance(summary, dict) or "cell_resolution" not in summary or "hotspots" not in summary:
        raise InputError("this JSON is not a hot-spot summary (no cell_resolution or hotspots)", path=str(path),
                         hint="Pass the file written by: casebook geo hotspots CASES --summary SUMMARY.json")
    return summary, hashlib.sha256(data).hexdigest()
