"""Import 12315 exports into one placed table of leads (Parquet) with a report; load it again for a brief.

``casebook leads import`` reads each export (:mod:`links.complaint_exports`), places every lead
on its county (:func:`geo.leads.place_complaints`) and writes ``leads.parquet`` and
``leads_report.json`` atomically.  A file that cannot be read is reported and the others go on;
rows whose address names no county are kept and counted.  A casebook keeps its exports in
``complaints/`` (docs/architecture.md); a business count per county (``businesses.csv``: county
or adcode, businesses) turns counts into rates.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.leads import place_complaints
from links.complaint_exports import read_complaints
from links.spreadsheets import TABLE_SUFFIXES
from safeio.atomic import write_bytes_atomic, write_text_atomic
from safeio.errors import CasebookError, InputError

__all__ = ["LEADS_FILE", "REPORT_FILE", "LeadImport", "export_files", "import_leads", "load_businesses",
           "load_leads"]

LEADS_FILE = "leads.parquet"
REPORT_FILE = "leads_report.json"


@dataclass
class LeadImport:
    """Placed leads of every readable export, and what happened to each file."""

    frame: pd.DataFrame
    files: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def report(self) -> dict:
        placed = int(self.frame["placed"].sum()) if len(self.frame) else 0
        reasons = self.frame.loc[~self.frame["placed"], "unplaced"].astype(str).value_counts() if len(self.frame) else {}
        return {"leads": len(self.frame), "placed": placed, "unplaced": len(self.frame) - placed,
                "unplaced_by_reason": {str(k): int(v) for k, v in dict(reasons).items()},
                "with_point": int(self.frame["has_point"].sum()) if len(self.frame) else 0,
                "files": self.files, "problems": self.problems}


def export_files(paths) -> list[Path]:
    """The export files named, a folder standing for the tables in it (a casebook: its ``complaints/``)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            folder = path / "complaints" if (path / "complaints").is_dir() else path
            out.extend(sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES
                              and not p.name.startswith((".", "~$")) and p.name != "businesses.csv"))
        else:
            out.append(path)
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_leads(paths, *, within: str = "") -> LeadImport:
    """Read and place every export; an unreadable file is a problem, not the end of the import.

    Parameters
    ----------
    paths : export files, or folders of them (a casebook: its ``complaints/``).
    within : adcode prefix of the bureau's region, breaking ties between counties of one name.

    Returns
    -------
    LeadImport
    """
    frames, files, problems = [], [], []
    for path in export_files(paths):
        try:
            export = read_complaints(path)
            digest = _sha256(path)
        except (CasebookError, OSError) as err:
            error = err if isinstance(err, CasebookError) else InputError(str(err), path=str(path))
            problems.append(error.to_dict())
            continue
        frames.append(export.frame)
        files.append({"file": path.name, "sha256": digest, "encoding": export.encoding, "rows": len(export.frame),
                      "header_row": export.header_row, "columns": export.columns_found()})
        problems.extend({**r, "path": path.name} for r in export.rejected)
    if not frames:
        return LeadImport(place_complaints(_empty(), within), files, problems)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return LeadImport(place_complaints(frame, within), files, problems)


def _empty() -> pd.DataFrame:
    from links.complaint_exports import COLUMNS

    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


def save_leads(result: LeadImport, out_dir: str | Path) -> list[Path]:
    """Write ``leads.parquet`` and ``leads_report.json`` into ``out_dir`` (atomically)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    result.frame.to_parquet(buffer, index=False)
    return [write_bytes_atomic(out / LEADS_FILE, buffer.getvalue()),
            write_text_atomic(out / REPORT_FILE, json.dumps(result.report(), ensure_ascii=False, indent=1) + "\n")]


def load_leads(source: str | Path, *, within: str = "") -> pd.DataFrame:
    """Placed leads from ``leads.parquet`` (or a folder holding it), else imported from exports on the spot."""
    path = Path(source)
    parquet = path / LEADS_FILE if path.is_dir() else path
    if parquet.suffix == ".parquet" and parquet.is_file():
        return pd.read_parquet(parquet)
    return import_leads([path], within=within).frame


def load_businesses(path: str | Path | None, *, within: str = "") -> pd.DataFrame | None:
    """Businesses per county (columns county or adcode, and businesses) -> adcode, businesses; None when absent."""
    if path is None or not Path(path).is_file():
        return None
    from geo.leads.complaint_places import place_addresses

    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030")
    table.columns = [str(c).strip().lower() for c in table.columns]
    count = next((c for c in table.columns if c in ("businesses", "市场主体数", "主体数", "户数")), None)
    where = next((c for c in table.columns if c in ("adcode", "county", "区县", "县区", "区划代码")), None)
    if count is None or where is None:
        raise InputError("the business count needs a county (or adcode) column and a businesses column",
                         path=str(path), hint="Use the headers: county,businesses (e.g. 川汇区,12000).")
    names = table[where].astype(str).str.strip()
    codes = names.where(names.str.fullmatch(r"\d{6}"), place_addresses(list(names), within)["adcode"].to_numpy())
    values = pd.to_numeric(table[count], errors="coerce")
    ok = (codes != "") & values.gt(0)
    return pd.DataFrame({"adcode": codes[ok].to_numpy(), "businesses": values[ok].to_numpy()})
