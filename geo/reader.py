"""Read large case tables in chunks: CSV and Parquet through pyarrow, Excel, GeoPackage/GeoJSON through pyogrio.

Each chunk is a DataFrame of text columns (as a spreadsheet shows them) with the source row number
of its first row, so validation reports the row a person can find, and memory stays bounded by
the chunk size, not the file size.  A folder of Parquet or CSV parts (partitioned data) is read
part after part, in name order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from safeio.archive_guard import check_table_file
from safeio.errors import InputError
from safeio.limits import refuse_link

__all__ = ["CHUNK_ROWS", "Chunk", "iter_chunks", "table_parts"]

CHUNK_ROWS = 500_000
TABLE_SUFFIXES = (".csv", ".txt", ".parquet", ".pq", ".xlsx", ".xlsm", ".xls", ".geojson", ".json", ".gpkg", ".shp")


@dataclass
class Chunk:
    """One slice of a table: text columns, the source row number of each row, and the file."""

    frame: pd.DataFrame
    rows: np.ndarray
    source: str



def table_parts(path: str | Path) -> list[Path]:
    """The files of a table: the file itself, or the parts of a partitioned folder in name order."""
    path = Path(path)
    refuse_link(path, "case table")  # a link named on the command line is not followed either
    if not path.exists():
        raise InputError("the case file does not exist.", path=path, hint="Check the path and file name.")
    if path.is_dir():
        parts = sorted(p for p in path.rglob("*") if not p.is_symlink() and p.is_file()
                       and p.suffix.lower() in (".parquet", ".pq", ".csv"))
        if not parts:
            raise InputError("the folder holds no Parquet or CSV parts.", path=path,
                             hint="Give a case table file, or a folder of .parquet / .csv parts.")
        return parts
    check_table_file(path)
    return [path]


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text; numbers and text as they are (validation parses them row by row)."""
    for col in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[col]):
            frame[col] = frame[col].dt.strftime("%Y-%m-%d").fillna("")
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _csv_encoding(path: Path) -> str:
    head = path.open("rb").read(1 << 20)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        if err.start > len(head) - 4:  # a character cut at the end of the sample
            return "utf-8"
    try:
        head.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as err:
        raise InputError("the file is neither UTF-8 nor GB18030 text.", path=path,
                         hint="Save the table as 'CSV UTF-8' in Excel or WPS.") from err


def _csv_chunks(path: Path, chunk_rows: int) -> Iterator[Chunk]:
    import pyarrow as pa
    from pyarrow import csv as pacsv

    encoding = _csv_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        header = handle.readline()
    if not header.strip():
        raise InputError("the file is empty: no header and no cases.", path=path,
                         hint="Export the case table again with a header row (case_id, lon, lat, ...).")
    import csv

    names = next(csv.reader([header]))
    names = [n.lstrip("\ufeff") for n in names]
    read = pacsv.ReadOptions(encoding="utf8" if encoding.startswith("utf-8") else encoding,
                             block_size=32 << 20, column_names=_dedupe(names), skip_rows=1)
    convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in _dedupe(names)},
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    parse = pacsv.ParseOptions(newlines_in_values=True)
    try:
        reader = pacsv.open_csv(path, read_options=read, convert_options=convert, parse_options=parse)
    except pa.ArrowInvalid as err:
        raise InputError(f"cannot read the CSV ({err}).", path=path,
                         hint="Check that every row has as many fields as the header.") from err
    first = 2  # spreadsheet numbering: the header is row 1
    pending: list = []
    count = 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowInvalid as err:
            raise InputError(f"cannot read the CSV after row {first + count - 1} ({err}).", path=path,
                             hint="Check that every row has as many fields as the header.") from err
        pending.append(batch)
        count += batch.num_rows
        if count >= chunk_rows:
            frame = pa.Table.from_batches(pending).to_pandas()
            yield Chunk(_text(frame), np.arange(first, first + len(frame)), str(path))
            first += len(frame)
            pending, count = [], 0
    if pending and count:
        frame = pa.Table.from_batches(pending).to_pandas()
        yield Chunk(_text(frame), np.arange(first, first + len(frame)), str(path))


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        n = n.strip() or f"column_{len(out) + 1}"
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out


def _parquet_chunks(path: Path, chunk_rows: int, first: int) -> Iterator[Chunk]:
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise InputError(f"cannot read the file as Parquet ({err}).", path=path,
                         hint="Export the table again as Parquet or CSV.") from err
    for batch in handle.iter_batches(batch_size=chunk_rows):
        frame = batch.to_pandas()
        yield Chunk(_text(frame), np.arange(first, first + len(frame)), str(path))
        first += len(frame)


def _gis_chunks(path: Path, chunk_rows: int) -> Iterator[Chunk]:
    import pyogrio
    import shapely

    try:
        opened = pyogrio.raw.open_arrow(path, batch_size=chunk_rows, use_pyarrow=True)
        meta, reader = opened.__enter__()
    except Exception as err:  # pyogrio raises several types for unreadable files
        raise InputError(f"cannot read the file as GIS data ({err}).", path=path,
                         hint="Export it again as GeoJSON or GeoPackage, or as CSV with lon/lat.") from err
    try:
        crs = meta.get("crs")
        geom_col = meta.get("geometry_name") or "wkb_geometry"
        transformer = None
        if crs:
            from pyproj import CRS, Transformer

            src = CRS.from_user_input(crs)
            if src.to_epsg() not in (4326, 4490):
                transformer = Transformer.from_crs(src, 4326, always_xy=True)
        first = 1
        for batch in reader:
            frame = batch.to_pandas()
            wkb_name = geom_col if geom_col in frame else next(
                (c for c in frame if str(c).lower() in ("geometry", "wkb_geometry", "geom")), None)
            geoms = shapely.from_wkb(frame.pop(wkb_name).to_numpy()) if wkb_name else None
            text = _text(frame)
            if geoms is not None and not ({"lon", "lat"} <= {c.lower() for c in text.columns}):
                is_point = shapely.get_type_id(geoms) == 0
                x = np.where(is_point, shapely.get_x(geoms), np.nan)
                y = np.where(is_point, shapely.get_y(geoms), np.nan)
                if transformer is not None:
                    x, y = transformer.transform(x, y)
                text["lon"], text["lat"] = x, y
            yield Chunk(text, np.arange(first, first + len(text)), str(path))
            first += len(text)
    finally:
        opened.__exit__(None, None, None)


def _excel_chunks(path: Path, chunk_rows: int) -> Iterator[Chunk]:
    from geo.cases import _read_excel

    table, header_row = _read_excel(path)
    for start in range(0, len(table), chunk_rows):
        part = table.iloc[start:start + chunk_rows]
        yield Chunk(_text(part), np.arange(start, start + len(part)) + header_row + 1, str(path))


def iter_chunks(path: str | Path, chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """Chunks of text columns from a CSV, Parquet, Excel, GeoJSON or GeoPackage file or a partitioned folder.

    Parameters
    ----------
    path : str or Path
        A case table, or a folder of ``.parquet`` / ``.csv`` parts.
    chunk_rows : int
        Rows per chunk (about; CSV chunks end on a block boundary).

    Returns
    -------
    Iterator[Chunk]
        Row numbers are spreadsheet rows for CSV and Excel (header = row 1), and count rows from 1
        for Parquet and GIS files (continuing across the parts of a folder).

    Raises
    ------
    InputError
        The file is missing, empty, of an unknown type, or unreadable.
    """
    first_parquet = 1
    for part in table_parts(path):
        suffix = part.suffix.lower()
        if suffix not in TABLE_SUFFIXES:
            raise InputError(f"unsupported file type '{suffix}'.", path=part,
                             hint="Use CSV, Parquet, Excel (.xlsx), GeoJSON or GeoPackage.")
        if part.stat().st_size == 0:
            raise InputError("the file is empty: no header and no cases.", path=part,
                             hint="Export the case table again with a header row (case_id, lon, lat, ...).")
        if suffix in (".csv", ".txt"):
            yield from _csv_chunks(part, chunk_rows)
        elif suffix in (".parquet", ".pq"):
            for chunk in _parquet_chunks(part, chunk_rows, first_parquet):
                first_parquet = int(chunk.rows[-1]) + 1 if len(chunk.rows) else first_parquet
                yield chunk
        elif suffix in (".xlsx", ".xlsm", ".xls"):
            yield from _excel_chunks(part, chunk_rows)
        else:
            yield from _gis_chunks(part, chunk_rows)
