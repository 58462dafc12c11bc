"""Chunked reading: every format, any chunk size, the same cases, row numbers and rejected rows."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo
from geo.case_scan import scan_cases

TABLE = pd.DataFrame({
    "case_id": [f"C{i}" for i in range(23)],
    "lon": [114.6 + i * 0.01 for i in range(23)],
    "lat": [33.6 + i * 0.005 for i in range(23)],
    "coord_sys": ["wgs84", "gcj02", "高德"] * 7 + ["wgs84", "wgs84"],
    "opened": [f"2024-{1 + i % 12:02d}-0{1 + i % 9}" for i in range(23)],
    "category": ["food", "toiletry"] * 11 + ["food"],
    "county": ["川汇区"] * 23,
})
BAD = {3: ("lon", "abc"), 9: ("lat", ""), 17: ("lon", "33.6")}  # unparsable, missing, swapped


def _with_bad_rows() -> pd.DataFrame:
    frame = TABLE.astype(str).copy()
    for i, (col, value) in BAD.items():
        frame.loc[i, col] = value
    frame.loc[17, "lat"] = "114.6"
    return frame


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 30))
def test_any_chunk_size_gives_the_same_scan(tmp_path_factory, chunk_rows):
    path = tmp_path_factory.mktemp("c") / "cases.csv"
    _with_bad_rows().to_csv(path, index=False)
    whole = scan_cases(path, chunk_rows=10_000)
    part = scan_cases(path, chunk_rows=chunk_rows)
    assert np.array_equal(whole.lon, part.lon) and np.array_equal(whole.lat, part.lat)
    assert np.array_equal(whole.opened, part.opened)
    assert [whole.categories[c] for c in whole.category] == [part.categories[c] for c in part.category]
    assert part.rejected.row.tolist() == [i + 2 for i in sorted(BAD)]  # spreadsheet rows
    assert part.rejected.case_id.tolist() == [f"C{i}" for i in sorted(BAD)]
    assert part.ids_at(range(len(part))) == [f"C{i}" for i in range(23) if i not in BAD]


def test_formats_and_partitioned_folders_agree(tmp_path):
    frame = TABLE.copy()
    frame.to_csv(tmp_path / "c.csv", index=False)
    frame.to_parquet(tmp_path / "c.parquet", index=False)
    frame.to_excel(tmp_path / "c.xlsx", index=False)
    parts = tmp_path / "parts"
    parts.mkdir()
    frame.iloc[:10].to_parquet(parts / "a.parquet", index=False)
    frame.iloc[10:].to_parquet(parts / "b.parquet", index=False)
    gdf = gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]), geometry=gpd.points_from_xy(frame.lon, frame.lat),
                           crs=4326)
    gdf.to_file(tmp_path / "c.gpkg", driver="GPKG")
    ref = scan_cases(tmp_path / "c.csv")
    for path in (tmp_path / "c.parquet", tmp_path / "c.xlsx", parts, tmp_path / "c.gpkg"):
        got = scan_cases(path, chunk_rows=7)
        assert np.allclose(got.lon, ref.lon, atol=1e-9) and np.allclose(got.lat, ref.lat, atol=1e-9), path
        assert np.array_equal(got.opened, ref.opened), path
        assert len(got.sample) == len(TABLE), path


def test_sample_is_bounded_and_reproducible(tmp_path):
    big = pd.concat([TABLE] * 50, ignore_index=True).assign(case_id=lambda d: [f"K{i}" for i in range(len(d))])
    big.to_csv(tmp_path / "big.csv", index=False)
    a = scan_cases(tmp_path / "big.csv", sample_size=100, chunk_rows=64)
    b = scan_cases(tmp_path / "big.csv", sample_size=100, chunk_rows=1000)
    assert len(a) == len(big) and len(a.sample) == 100 and not a.complete
    assert a.sample.case_id.tolist() == b.sample.case_id.tolist()
    result = geo.find_hotspots(tmp_path / "big.csv", sample_size=100, trend=False)
    assert result.summary["case_sample"] == {"cases": 100, "of": len(big)}
    assert int(result.cells.cases.sum()) == len(big)


def test_header_only_and_missing_columns(tmp_path):
    (tmp_path / "h.csv").write_text("case_id,lon,lat\n", encoding="utf-8")
    (tmp_path / "x.csv").write_text("case_id,x,y\nA,1,2\n", encoding="utf-8")
    from safeio.errors import InputError

    with pytest.raises(InputError, match="no case rows"):
        scan_cases(tmp_path / "h.csv")
    with pytest.raises(InputError, match="longitude/latitude"):
        scan_cases(tmp_path / "x.csv")
