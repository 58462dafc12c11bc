"""Load case tables (CSV, Excel, GeoJSON, GeoPackage, DataFrames) into WGS-84 points.

Every row either becomes a case or a rejected row with its row number and a reason: nothing is
dropped silently.  Row numbers are what a spreadsheet shows (header = row 1, first case = row 2);
for GeoJSON/GeoPackage they count features from 1; for DataFrames they are the index labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.coords import COORD_SYSTEMS, normalise_coord_sys, to_wgs84
from safeio.archive_guard import check_table_file
from safeio.errors import InputError

__all__ = ["CaseTable", "PositionCheck", "check_positions", "load_cases", "parse_coordinate", "parse_dates"]

LON_NAMES = ("lon", "lng", "long", "longitude", "经度", "东经", "x坐标")
LAT_NAMES = ("lat", "latitude", "纬度", "北纬", "y坐标")
SYS_NAMES = ("coord_sys", "coord_system", "coordsys", "crs", "坐标系", "坐标系统")
DATE_NAMES = ("opened", "date", "立案日期", "日期", "案发日期")

# Mainland China, Hainan and the South China Sea islands; generous on purpose.
CHINA_LON = (73.4, 135.1)
CHINA_LAT = (3.8, 53.6)

_DMS = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*[°度]\s*(?:(\d+(?:\.\d+)?)\s*['′分]\s*)?(?:(\d+(?:\.\d+)?)\s*[\"″秒]\s*)?([NSEWnsew东西南北]?)\s*$"
)


@dataclass
class CaseTable:
    """Usable cases as WGS-84 points plus the rows that could not be used, and why.

    ``cases`` keeps every source column, adds ``row`` (source row number), ``coord_sys`` (the
    system the row was given in), ``lon_src``/``lat_src`` and overwrites ``lon``/``lat`` with WGS-84.
    """

    cases: gpd.GeoDataFrame
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["row", "reason"]))
    warnings: list[str] = field(default_factory=list)
    source: str | None = None

    def __len__(self) -> int:
        return len(self.cases)

    def rejected_rows(self) -> list[dict]:
        """JSON-ready list of rejected rows: row number, reason, case_id where known."""
        return [
            {k: (None if (isinstance(v, float) and np.isnan(v)) else v) for k, v in rec.items()}
            for rec in self.rejected.to_dict("records")
        ]


def _fold(name) -> str:
    return str(name).strip().lower().replace(" ", "").replace("_", "")


def _find_column(columns, names) -> str | None:
    folded = {_fold(n) for n in names}
    for col in columns:
        if _fold(col) in folded:
            return col
    return None


def parse_coordinate(value) -> float:
    """A number, or a degrees-minutes-seconds text like 114°39'12"E; NaN when not a coordinate."""
    if value is None:
        return np.nan
    if isinstance(value, int | float | np.number):
        return float(value)
    text = str(value).strip().replace("，", ".").replace(",", ".")
    if not text:
        return np.nan
    try:
        return float(text)
    except ValueError:
        pass
    m = _DMS.match(text)
    if not m:
        return np.nan
    deg, minutes, seconds, hemi = m.groups()
    out = float(deg) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    return -out if hemi in ("S", "W", "s", "w", "南", "西") else out


_BLANK = {"", "nan", "none", "null", "<na>"}


def _arrow_floats(values: pd.Series) -> np.ndarray | None:
    """Text to float64 in Arrow's C++ cast (blanks -> NaN); None when any value is not a plain number."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    try:
        arr = pc.utf8_trim_whitespace(pa.array(values, type=pa.string(), from_pandas=True))
        arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
        return pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False).astype(float, copy=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None


def _parse_column(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised number parsing (values, blank mask); only leftovers go through the DMS parser."""
    out = _arrow_floats(values) if values.dtype == object or pd.api.types.is_string_dtype(values) else None
    if out is None:
        out = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, copy=True)
    blank = np.zeros(len(out), dtype=bool)
    for i in np.flatnonzero(np.isnan(out)):  # few rows: blanks, DMS text, typos
        raw = values.iloc[i]
        blank[i] = raw is None or (isinstance(raw, float) and np.isnan(raw)) or str(raw).strip().lower() in _BLANK
        if not blank[i]:
            out[i] = parse_coordinate(raw)
    return out, blank


def _read_csv(path: Path) -> pd.DataFrame:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError as err:
            raise InputError("the file is empty: no header and no cases.", path=path,
                             hint="Export the case table again with a header row (case_id, lon, lat, ...).") from err
    raise InputError("the file is neither UTF-8 nor GB18030 text.", path=path,
                     hint="Save the table as 'CSV UTF-8' in Excel or WPS.")


def _read_excel(path: Path) -> tuple[pd.DataFrame, int]:
    """Read the first sheet; find the header row even under merged title/group cells.

    Returns the table and the spreadsheet row number of its header.
    """
    try:  # calamine (Rust) reads a million-row sheet in seconds where openpyxl takes minutes
        import python_calamine  # noqa: F401

        engine = "calamine"
    except ImportError:
        engine = "openpyxl"
    raw = pd.read_excel(path, header=None, dtype=str, engine=engine)
    if raw.empty:
        raise InputError("the workbook's first sheet is empty.", path=path,
                         hint="Put the cases on the first sheet with a header row.")
    raw = raw.fillna("")
    for h in range(min(8, len(raw))):
        names = [str(v).strip() for v in raw.iloc[h]]
        if _find_column(names, LON_NAMES) and _find_column(names, LAT_NAMES):
            if h > 0:
                # A merged cell keeps its text in its top-left cell only: a column whose header row
                # is blank takes its name from the row above (vertical merge, e.g. 案件编号 over 2 rows).
                above = [str(v).strip() for v in raw.iloc[h - 1]]
                names = [n or a for n, a in zip(names, above, strict=True)]
            names = [n or f"column_{i + 1}" for i, n in enumerate(names)]
            table = raw.iloc[h + 1:].reset_index(drop=True)
            table.columns = _dedupe(names)
            return table, h + 1
    raise InputError(
        "no longitude/latitude header found in the first 8 rows of the first sheet.", path=path,
        hint="Name the coordinate columns lon and lat (or 经度 and 纬度).")


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out


def _read_any(path: Path) -> tuple[pd.DataFrame, np.ndarray, str | None]:
    """Table, row numbers, and the system implied by the file (GeoJSON/GPKG geometry) if any."""
    suffix = path.suffix.lower()
    if not path.exists() and not path.is_symlink():
        raise InputError("the case file does not exist.", path=path, hint="Check the path and file name.")
    check_table_file(path)
    if path.stat().st_size == 0:
        raise InputError("the file is empty: no header and no cases.", path=path,
                         hint="Export the case table again with a header row (case_id, lon, lat, ...).")
    if suffix in (".csv", ".txt"):
        table = _read_csv(path)
        return table, np.arange(len(table)) + 2, None
    if suffix in (".xlsx", ".xlsm", ".xls"):
        table, header_row = _read_excel(path)
        return table, np.arange(len(table)) + header_row + 1, None
    if suffix in (".geojson", ".json", ".gpkg", ".shp"):
        try:
            gdf = gpd.read_file(path)
        except Exception as err:  # pyogrio raises several types for unreadable files
            raise InputError(f"cannot read the file as GIS data ({err}).", path=path,
                             hint="Export it again as GeoJSON or GeoPackage, or as CSV with lon/lat.") from err
        return _from_geodataframe(gdf), np.arange(len(gdf)) + 1, None
    raise InputError(f"unsupported file type '{suffix}'.", path=path,
                     hint="Use CSV, Excel (.xlsx), GeoJSON or GeoPackage.")


def _from_geodataframe(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    if _find_column(table.columns, LON_NAMES) and _find_column(table.columns, LAT_NAMES):
        return table
    geom = gdf.geometry
    if gdf.crs is not None and gdf.crs.to_epsg() not in (4326, 4490):
        geom = geom.to_crs(4326)
    is_point = geom.geom_type == "Point"
    table["lon"] = np.where(is_point, geom.x.where(is_point), np.nan) if len(geom) else []
    table["lat"] = np.where(is_point, geom.y.where(is_point), np.nan) if len(geom) else []
    return table


def load_cases(path_or_df, *, coord_sys: str | None = None, require: tuple[str, ...] = ()) -> CaseTable:
    """Load a case table and convert every position to WGS-84.

    ``coord_sys`` names the system of the whole file; a per-row column (coord_sys / 坐标系) wins
    where filled.  With neither, WGS-84 is assumed and a warning says so: mixed systems without a
    column saying which cannot be told apart reliably (the shift is only ~500 m).
    ``require`` lists extra columns that must exist (e.g. ``("inspections",)`` for a baseline).
    """
    source = None
    if isinstance(path_or_df, CaseTable):
        return path_or_df
    if isinstance(path_or_df, pd.DataFrame):
        table = _from_geodataframe(path_or_df) if isinstance(path_or_df, gpd.GeoDataFrame) else path_or_df.copy()
        rows = np.asarray(path_or_df.index)
    else:
        path = Path(path_or_df)
        source = str(path)
        table, rows, _ = _read_any(path)
    if len(table) == 0:
        raise InputError("the table has a header but no case rows.", path=source,
                         hint="Check that the export contains the cases, not only the column names.")
    file_sys = None
    if coord_sys is not None:
        file_sys = normalise_coord_sys(coord_sys)
        if file_sys is None:
            raise InputError(f"unknown coordinate system '{coord_sys}'.", path=source, field="coord_sys",
                             hint=f"Use one of {', '.join(COORD_SYSTEMS)}.")
    lon_col = _find_column(table.columns, LON_NAMES)
    lat_col = _find_column(table.columns, LAT_NAMES)
    if lon_col is None or lat_col is None:
        raise InputError(
            f"no longitude/latitude columns; found: {', '.join(map(str, table.columns))}.", path=source,
            hint="Name the coordinate columns lon and lat (or lng/longitude/经度 and latitude/纬度).")
    for col in require:
        if _find_column(table.columns, (col,)) is None:
            raise InputError(f"the column '{col}' is missing.", path=source, field=col,
                             hint=f"Add a '{col}' column to the table.")
    return _validate(table, rows, lon_col, lat_col, file_sys, source)


@dataclass
class PositionCheck:
    """Row-wise outcome of reading positions: WGS-84 where usable, a reason where not."""

    lon: np.ndarray  # WGS-84 (NaN where rejected)
    lat: np.ndarray
    lon_src: np.ndarray  # as given
    lat_src: np.ndarray
    systems: np.ndarray  # canonical system per row (object)
    reasons: np.ndarray  # None where usable (object)
    warnings: list[str]

    @property
    def bad(self) -> np.ndarray:
        return self.reasons != None  # noqa: E711 (object array comparison)


def check_positions(table: pd.DataFrame, lon_col, lat_col, file_sys, sys_col=None, *,
                    convert: bool = True) -> PositionCheck:
    """Parse, check and convert the positions of one table (or one chunk of a large one)."""
    warnings: list[str] = []
    lon, lon_blank = _parse_column(table[lon_col])
    lat, lat_blank = _parse_column(table[lat_col])
    blank = {"", "nan", "none", "null", "<na>"}
    missing = lon_blank | lat_blank
    systems = np.full(len(table), file_sys or "wgs84", dtype=object)
    bad_sys = np.zeros(len(table), dtype=bool)
    if sys_col is not None:
        given = table[sys_col].astype(str).str.strip()
        canon = {text: normalise_coord_sys(text) for text in given.unique()}  # a handful of distinct values
        empty_values = {text for text in canon if text.lower() in blank}
        empty = given.isin(empty_values).to_numpy(dtype=bool)
        mapped = given.map(canon).to_numpy(dtype=object)
        known = ~empty & pd.notna(mapped)
        systems[known] = mapped[known]
        bad_sys = ~empty & pd.isna(mapped)
        if file_sys is None and empty.any():
            warnings.append("some rows leave the coordinate system empty: WGS-84 was assumed for them.")
    elif file_sys is None:
        warnings.append("no coordinate system given (no coord_sys column, no --coord-sys): WGS-84 assumed. "
                        "Positions from Amap/Tencent (GCJ-02) or Baidu (BD-09) would be off by 500-1200 m.")
    unparsable = ~missing & (np.isnan(lon) | np.isnan(lat))
    ok_num = ~missing & ~unparsable
    in_lon = (lon >= CHINA_LON[0]) & (lon <= CHINA_LON[1])
    in_lat = (lat >= CHINA_LAT[0]) & (lat <= CHINA_LAT[1])
    swapped = ok_num & ~(in_lon & in_lat) & (lat >= CHINA_LON[0]) & (lat <= CHINA_LON[1]) & (
        lon >= CHINA_LAT[0]) & (lon <= CHINA_LAT[1])
    outside = ok_num & ~swapped & ~(in_lon & in_lat)
    reasons = np.full(len(table), None, dtype=object)
    for i in np.flatnonzero(missing):
        reasons[i] = "missing coordinates"
    for i in np.flatnonzero(unparsable):
        reasons[i] = (f"unparsable coordinates (lon={str(table[lon_col].iloc[i]).strip()!r}, "
                      f"lat={str(table[lat_col].iloc[i]).strip()!r})")
    for i in np.flatnonzero(swapped):
        reasons[i] = f"longitude and latitude look swapped (lon={lon[i]:g}, lat={lat[i]:g})"
    for i in np.flatnonzero(outside):
        reasons[i] = f"outside China (lon={lon[i]:g}, lat={lat[i]:g})"
    for i in np.flatnonzero(bad_sys & (reasons == None)):  # noqa: E711 (object array comparison)
        reasons[i] = f"unknown coordinate system {table[sys_col].iloc[i]!r}"
    good = reasons == None  # noqa: E711
    wlon, wlat = np.full(len(table), np.nan), np.full(len(table), np.nan)
    if convert:
        wlon[good], wlat[good] = to_wgs84(lon[good], lat[good], systems[good])
    return PositionCheck(wlon, wlat, lon, lat, systems, reasons, warnings)


def parse_dates(values: pd.Series) -> tuple[pd.Series, int]:
    """Dates of a column (NaT where empty or unreadable) and the number of unreadable ones.

    ISO dates take the fast vectorised path; only the rest go through pandas' mixed-format parser.
    """
    text = values.astype(str).str.strip()
    empty = text.str.lower().isin({"", "nan", "none", "null", "<na>", "nat"})
    parsed = pd.to_datetime(text.where(~empty), errors="coerce", format="ISO8601")
    retry = parsed.isna() & ~empty
    if retry.any():
        parsed = parsed.copy()
        parsed[retry] = pd.to_datetime(text[retry], errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.astype("datetime64[s]"), int((parsed.isna() & ~empty).sum())


def _validate(table, rows, lon_col, lat_col, file_sys, source) -> CaseTable:
    sys_col = _find_column(table.columns, SYS_NAMES)
    check = check_positions(table, lon_col, lat_col, file_sys, sys_col)
    warnings = list(check.warnings)
    bad = check.bad
    id_col = _find_column(table.columns, ("case_id", "id", "案件编号"))
    rejected = pd.DataFrame({"row": rows[bad].tolist(), "reason": list(check.reasons[bad])})
    if id_col is not None:
        rejected["case_id"] = table[id_col].to_numpy()[bad]
    good = table.loc[~bad].copy()
    good.insert(0, "row", rows[~bad].tolist())
    glon, glat = check.lon[~bad], check.lat[~bad]
    good["coord_sys"] = check.systems[~bad]
    good["lon_src"] = check.lon_src[~bad]
    good["lat_src"] = check.lat_src[~bad]
    good["lon"] = glon
    good["lat"] = glat
    date_col = _find_column(good.columns, DATE_NAMES)
    if date_col is not None:
        parsed, n_bad = parse_dates(good[date_col])
        if n_bad > 0:
            warnings.append(f"{n_bad} case(s) have an unreadable date in '{date_col}': left out of the trend.")
        good["opened"] = parsed
    gdf = gpd.GeoDataFrame(good.reset_index(drop=True), geometry=gpd.points_from_xy(glon, glat), crs="EPSG:4326")
    return CaseTable(cases=gdf, rejected=rejected, warnings=warnings, source=source)
