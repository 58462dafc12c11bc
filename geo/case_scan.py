"""One pass over a case table, chunk by chunk, into compact per-case arrays and a bounded case sample.

A million cases become a few numeric arrays (WGS-84 position, date, category, county and
urban-rural codes: about 40 bytes a case) instead of a GeoDataFrame of Python objects; the
statistics then work on cells and distinct places.  Only a sample of whole rows (the first
``sample_size`` by a hash of the row position, the same on every machine) is kept for maps and
dossiers; below that size the sample is every case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.cases import (
    DATE_NAMES,
    LAT_NAMES,
    LON_NAMES,
    SYS_NAMES,
    CaseTable,
    _find_column,
    check_positions,
    parse_dates,
)
from geo.coords import COORD_SYSTEMS, normalise_coord_sys
from geo.reader import CHUNK_ROWS, iter_chunks
from geo.settlement import SETTINGS, nbs_setting
from safeio.duplicate_ids import find_duplicate_ids
from safeio.errors import InputError

__all__ = ["SAMPLE_SIZE", "CaseScan", "scan_cases"]

SAMPLE_SIZE = 50_000
ID_NAMES = ("case_id", "id", "案件编号")
CATEGORY_NAMES = ("category", "类别", "案件类别", "商品类别")
COUNTY_NAMES = ("county", "县区", "区县", "所属县区", "county_name")
CODE_NAMES = ("urban_rural_code", "城乡分类代码", "城乡代码", "nbs_code")
DETAIL_NAMES = ("case_no", "title", "market", "town", "party")
SYS_CODES = {name: i for i, name in enumerate(COORD_SYSTEMS)}
# Older than any register casebook reads (an Excel default date or a typo); later than today is a typo too.
EARLIEST_DATE = np.datetime64("1990-01-01", "s")
MAX_LISTED = 20


def _mix(pos: np.ndarray) -> np.ndarray:
    """splitmix64 of row positions: a reproducible pseudo-random key per row, for the sample."""
    z = pos.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


class _Vocab:
    """Text values to small integer codes, consistent across chunks."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.index: dict[str, int] = {}

    def codes(self, values: pd.Series) -> np.ndarray:
        text = values.astype(str).str.strip()
        uniq, inverse = np.unique(text.to_numpy(dtype=object).astype(str), return_inverse=True)
        table = np.empty(len(uniq), dtype=np.int32)
        for k, name in enumerate(uniq):
            if name.lower() in ("", "nan", "none", "null", "<na>"):
                table[k] = -1
                continue
            if name not in self.index:
                self.index[name] = len(self.names)
                self.names.append(name)
            table[k] = self.index[name]
        return table[inverse.ravel()] if len(text) else np.empty(0, dtype=np.int32)


@dataclass
class CaseScan:
    """Usable cases as compact arrays (WGS-84), the rows that could not be used, and a case sample.

    ``category``/``county`` are codes into ``categories``/``county_names`` (-1 = none);
    ``nbs`` indexes :data:`geo.settlement.SETTINGS` (-1 = no urban-rural code); ``sys`` indexes
    :data:`geo.coords.COORD_SYSTEMS` (the system each row was given in).
    """

    lon: np.ndarray
    lat: np.ndarray
    sys: np.ndarray
    opened: np.ndarray  # datetime64[s], NaT where missing
    category: np.ndarray
    county: np.ndarray
    nbs: np.ndarray
    case_id: object  # pyarrow array of ids (or None)
    categories: list[str]
    county_names: list[str]
    sample: pd.DataFrame  # whole rows, with ``pos`` = position in the arrays
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["row", "reason"]))
    warnings: list[str] = field(default_factory=list)
    source: str | None = None
    has_dates: bool = False
    duplicates: list[dict] = field(default_factory=list)  # {"case_id", "rows"}: ids on more than one row

    def __len__(self) -> int:
        return len(self.lon)

    @property
    def complete(self) -> bool:
        """True when the sample holds every case."""
        return len(self.sample) == len(self)

    def rejected_rows(self) -> list[dict]:
        """JSON-ready list of rejected rows: row number, reason, case_id where known."""
        return [
            {k: (None if (isinstance(v, float) and np.isnan(v)) else v) for k, v in rec.items()}
            for rec in self.rejected.to_dict("records")
        ]

    def ids_at(self, positions) -> list[str | None]:
        """Case ids at array positions (None without an id column)."""
        positions = np.asarray(positions, dtype=np.int64)
        if self.case_id is None:
            return [None] * len(positions)
        return [str(v) for v in self.case_id.take(positions).to_pylist()]


class _Scanner:
    def __init__(self, coord_sys: str | None, sample_size: int, source: str | None) -> None:
        self.file_sys = None
        if coord_sys is not None:
            self.file_sys = normalise_coord_sys(coord_sys)
            if self.file_sys is None:
                raise InputError(f"unknown coordinate system '{coord_sys}'.", path=source, field="coord_sys",
                                 hint=f"Use one of {', '.join(COORD_SYSTEMS)}.")
        self.sample_size = sample_size
        self.source = source
        self.parts: dict[str, list] = {k: [] for k in ("lon", "lat", "sys", "opened", "category", "county", "nbs", "id",
                                                       "row")}
        self.date_flags: list[str] = []
        self.n_date_flags = 0
        self.categories, self.counties = _Vocab(), _Vocab()
        self.rejected: list[pd.DataFrame] = []
        self.warnings: dict[str, None] = {}
        self.bad_dates = 0
        self.n = 0
        self.sample: pd.DataFrame | None = None
        self.sample_keys = np.empty(0, dtype=np.uint64)
        self.cols: dict | None = None
        self.rows_seen = 0

    def _columns(self, frame: pd.DataFrame, source) -> dict:
        cols = {"lon": _find_column(frame.columns, LON_NAMES), "lat": _find_column(frame.columns, LAT_NAMES),
                "sys": _find_column(frame.columns, SYS_NAMES), "id": _find_column(frame.columns, ID_NAMES),
                "date": _find_column(frame.columns, DATE_NAMES),
                "category": _find_column(frame.columns, CATEGORY_NAMES),
                "county": _find_column(frame.columns, COUNTY_NAMES), "code": _find_column(frame.columns, CODE_NAMES)}
        if cols["lon"] is None or cols["lat"] is None:
            raise InputError(
                f"no longitude/latitude columns; found: {', '.join(map(str, frame.columns))}.", path=source,
                hint="Name the coordinate columns lon and lat (or lng/longitude/经度 and latitude/纬度).")
        cols["detail"] = [c for c in (_find_column(frame.columns, (n,)) for n in DETAIL_NAMES) if c]
        return cols

    def add(self, frame: pd.DataFrame, rows: np.ndarray, source, *, converted: bool = False) -> None:
        import pyarrow as pa

        self.rows_seen += len(frame)
        if self.cols is None:
            self.cols = self._columns(frame, source)
        c = self.cols
        if converted:  # a CaseTable: positions are WGS-84 already, nothing was rejected here
            bad = np.zeros(len(frame), dtype=bool)
            lon, lat = frame["lon"].to_numpy(float), frame["lat"].to_numpy(float)
            systems = frame["coord_sys"].to_numpy(dtype=object) if "coord_sys" in frame else np.full(len(frame), "wgs84")
        else:
            check = check_positions(frame, c["lon"], c["lat"], self.file_sys, c["sys"])
            for w in check.warnings:
                self.warnings.setdefault(w)
            bad = check.bad
            if bad.any():
                rej = pd.DataFrame({"row": rows[bad].tolist(), "reason": list(check.reasons[bad])})
                if c["id"] is not None:
                    rej["case_id"] = frame[c["id"]].to_numpy()[bad]
                self.rejected.append(rej)
            lon, lat, systems = check.lon, check.lat, check.systems
        good = ~bad
        frame = frame.loc[good] if bad.any() else frame
        rows = rows[good]
        n = int(good.sum())
        self.parts["lon"].append(lon[good])
        self.parts["lat"].append(lat[good])
        self.parts["sys"].append(np.array([SYS_CODES.get(s, 0) for s in systems[good]], dtype=np.int8)
                                 if n < 1000 else pd.Series(systems[good]).map(SYS_CODES).fillna(0)
                                 .to_numpy(np.int8))
        if c["date"] is not None:
            if pd.api.types.is_datetime64_any_dtype(frame[c["date"]]):
                opened, n_bad = frame[c["date"]].astype("datetime64[s]"), 0
            else:
                opened, n_bad = parse_dates(frame[c["date"]])
            self.bad_dates += n_bad
            self.parts["opened"].append(self._in_span(opened.to_numpy(dtype="datetime64[s]"), rows))
        else:
            self.parts["opened"].append(np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"))
        self.parts["category"].append(self.categories.codes(frame[c["category"]]) if c["category"]
                                      else np.full(n, -1, dtype=np.int32))
        self.parts["county"].append(self.counties.codes(frame[c["county"]]) if c["county"]
                                    else np.full(n, -1, dtype=np.int32))
        if c["code"] is not None:
            codes = frame[c["code"]].astype(str)
            lookup = {v: nbs_setting(v) for v in codes.unique()}
            nbs = codes.map(lambda v: -1 if lookup[v] is None else SETTINGS.index(lookup[v])).to_numpy(np.int8)
        else:
            nbs = np.full(n, -1, dtype=np.int8)
        self.parts["nbs"].append(nbs)
        self.parts["row"].append(np.asarray(rows, dtype=np.int64))
        if c["id"] is not None:
            self.parts["id"].append(pa.array(frame[c["id"]].astype(str).to_numpy(dtype=object), type=pa.string()))
        self._sample(frame, rows, lon[good], lat[good], systems[good], n)
        self.n += n

    def _in_span(self, opened: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Dates after today or before :data:`EARLIEST_DATE` become NaT (kept off the trend), each row noted."""
        latest = np.datetime64(pd.Timestamp.now(tz="UTC").tz_localize(None).normalize() + pd.Timedelta(days=2), "s")
        outside = (opened > latest) | (opened < EARLIEST_DATE)
        if not outside.any():
            return opened
        for k in np.flatnonzero(outside):
            self.n_date_flags += 1
            if len(self.date_flags) < MAX_LISTED:
                when = str(opened[k])[:10]
                why = "is in the future" if opened[k] > latest else f"is before {str(EARLIEST_DATE)[:10]}"
                self.date_flags.append(f"row {int(rows[k])}: {when} {why}")
        opened = opened.copy()
        opened[outside] = np.datetime64("NaT")
        return opened

    def _sample(self, frame, rows, lon, lat, systems, n) -> None:
        pos = np.arange(self.n, self.n + n)
        keys = _mix(pos)
        if len(self.sample_keys) >= self.sample_size:
            cut = np.sort(self.sample_keys)[self.sample_size - 1]
            take = np.flatnonzero(keys < cut)
        else:
            take = np.arange(n)
        if len(take) > self.sample_size:
            take = take[np.argpartition(keys[take], self.sample_size - 1)[:self.sample_size]]
        if not len(take):
            return
        c = self.cols
        keep = [col for col in [c["id"], *c["detail"], c["category"], c["county"], c["code"], c["date"]]
                if col is not None]
        part = frame.iloc[take][list(dict.fromkeys(keep))].copy()
        rename = {c["id"]: "case_id", c["category"]: "category", c["county"]: "county",
                  c["code"]: "urban_rural_code", c["date"]: "opened_text"}
        part = part.rename(columns={k: v for k, v in rename.items() if k is not None})
        part.insert(0, "pos", pos[take])
        part.insert(1, "row", rows[take])
        part["lon"], part["lat"], part["coord_sys"] = lon[take], lat[take], systems[take]
        part.index = keys[take]
        merged = part if self.sample is None else pd.concat([self.sample, part])
        if len(merged) > self.sample_size:
            merged = merged.loc[np.sort(merged.index.to_numpy())[:self.sample_size]]
        self.sample = merged
        self.sample_keys = merged.index.to_numpy()

    def finish(self) -> CaseScan:
        import pyarrow as pa

        def cat(key, dtype):
            return np.concatenate(self.parts[key]).astype(dtype, copy=False) if self.parts[key] else np.empty(0, dtype)

        opened = cat("opened", "datetime64[s]")
        warnings = list(self.warnings)
        if self.bad_dates:
            warnings.append(f"{self.bad_dates} case(s) have an unreadable date in '{self.cols['date']}': "
                            "left out of the trend.")
        if self.n_date_flags:
            more = f"; {self.n_date_flags - len(self.date_flags)} more" if self.n_date_flags > len(self.date_flags) else ""
            warnings.append(f"{self.n_date_flags} case(s) dated outside {str(EARLIEST_DATE)[:10]} .. today: "
                            f"kept on the map, left out of the trend ({'; '.join(self.date_flags)}{more}).")
        duplicates = find_duplicate_ids(pa.chunked_array(self.parts["id"], type=pa.string()) if self.parts["id"]
                                        else [], cat("row", np.int64))
        if duplicates:
            warnings.append(duplicates.message(consequence="Each row is counted as a case; check whether the "
                                                           "register holds the same case twice."))
        sample = self.sample if self.sample is not None else pd.DataFrame(columns=["pos", "row", "lon", "lat"])
        sample = sample.sort_values("pos").reset_index(drop=True)
        if "pos" in sample and len(sample):
            sample["opened"] = opened[sample.pos.to_numpy()].astype("datetime64[ms]")  # Parquet keeps ms, not s
        sample = sample.drop(columns=[c for c in ("opened_text",) if c in sample])
        rejected = (pd.concat(self.rejected, ignore_index=True) if self.rejected
                    else pd.DataFrame(columns=["row", "reason"]))
        ids = pa.chunked_array(self.parts["id"], type=pa.string()) if self.parts["id"] else None
        return CaseScan(
            lon=cat("lon", np.float64), lat=cat("lat", np.float64), sys=cat("sys", np.int8), opened=opened,
            category=cat("category", np.int32), county=cat("county", np.int32), nbs=cat("nbs", np.int8),
            case_id=ids, categories=self.categories.names, county_names=self.counties.names, sample=sample,
            rejected=rejected, warnings=warnings, source=self.source,
            has_dates=bool(self.cols and self.cols["date"] is not None),
            duplicates=[{"case_id": d.value, "rows": list(d.rows)} for d in duplicates],
        )


def scan_cases(cases, *, coord_sys: str | None = None, sample_size: int = SAMPLE_SIZE,
               chunk_rows: int = CHUNK_ROWS) -> CaseScan:
    """Read a case table once, chunk by chunk, into a :class:`CaseScan`.

    Parameters
    ----------
    cases : str, Path, DataFrame, CaseTable or CaseScan
        A file (CSV, Parquet, Excel, GeoJSON, GeoPackage), a folder of Parquet/CSV parts, or a table.
    coord_sys : str, optional
        The coordinate system of the whole file; a ``coord_sys`` column wins row by row.
    sample_size : int
        Whole rows kept for maps and dossiers; every case when there are fewer.
    chunk_rows : int
        Rows read at a time: the memory bound of the reading step.

    Returns
    -------
    CaseScan

    Raises
    ------
    InputError
        No longitude/latitude columns, an unknown coordinate system, an unreadable or empty file.
    """
    if isinstance(cases, CaseScan):
        return cases
    if isinstance(cases, CaseTable):
        scanner = _Scanner(None, sample_size, cases.source)
        frame = pd.DataFrame(cases.cases.drop(columns=cases.cases.geometry.name, errors="ignore"))
        if len(frame):
            scanner.add(frame, frame["row"].to_numpy() if "row" in frame else np.arange(len(frame)), cases.source,
                        converted=True)
        else:
            scanner.cols = {"date": None}
        scan = scanner.finish()
        # the table's own warnings, then the scan's (duplicate ids, dates outside the span) not already said
        scan.rejected, scan.warnings = cases.rejected, list(dict.fromkeys([*cases.warnings, *scan.warnings]))
        return scan
    if isinstance(cases, pd.DataFrame):
        if len(cases) == 0:
            raise InputError("the table has a header but no case rows.",
                             hint="Check that the export contains the cases, not only the column names.")
        scanner = _Scanner(coord_sys, sample_size, None)
        import geopandas as gpd

        from geo.cases import _from_geodataframe

        frame = _from_geodataframe(cases) if isinstance(cases, gpd.GeoDataFrame) else cases
        scanner.add(frame, np.asarray(cases.index), None)
        return scanner.finish()
    source = str(cases)
    scanner = _Scanner(coord_sys, sample_size, source)
    for chunk in iter_chunks(cases, chunk_rows):
        scanner.add(chunk.frame, chunk.rows, chunk.source)
    if scanner.rows_seen == 0:
        raise InputError("the table has a header but no case rows.", path=source,
                         hint="Check that the export contains the cases, not only the column names.")
    return scanner.finish()
