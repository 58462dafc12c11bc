"""Loading case tables: formats, column names, per-row systems, rejected rows with reasons."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo
from geo.cases import parse_coordinate
from geo.coords import wgs84_to_gcj02
from safeio.errors import InputError


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_sample_casebook_loads_in_wgs84_where_truth_says(sample_book):
    table = geo.load_cases(sample_book / "cases.csv")
    truth = {c["case_id"]: c for c in json.loads((sample_book / "truth.json").read_text())["cases"]}
    assert table.rejected.empty
    full = table.cases.loc[table.cases.kind == "case"]  # the 30 case folders; the rest is the register
    assert len(full) == len(truth) and len(table) > 1500
    assert set(table.cases.coord_sys) >= {"wgs84", "gcj02"}  # the sample mixes systems per row
    for row in full.itertuples():
        t = truth[row.case_id]
        # the CSV keeps 6 decimals (~0.1 m), so the check is at the CSV's precision
        assert abs(row.lon - t["lon_wgs84"]) < 1.2e-6 and abs(row.lat - t["lat_wgs84"]) < 1.2e-6
    assert table.cases.crs.to_epsg() == 4326


def test_rejected_rows_have_numbers_and_reasons(tmp_path):
    path = write(tmp_path, "c.csv", "case_id,经度,纬度,坐标系\n"
                 "A,114.6,33.6,wgs84\nB,abc,33.6,wgs84\nC,33.6,114.6,wgs84\nD,,,\nE,2.35,48.85,wgs84\n"
                 "F,114.61,33.61,mercator\nG,\"114°39'00\"\"E\",33.62,gcj02\n")
    table = geo.load_cases(path)
    assert list(table.cases.case_id) == ["A", "G"]
    reasons = dict(zip(table.rejected.row, table.rejected.reason, strict=True))
    assert set(reasons) == {3, 4, 5, 6, 7}  # spreadsheet rows: header is row 1
    assert "unparsable" in reasons[3]
    assert "swapped" in reasons[4]
    assert "missing" in reasons[5]
    assert "outside China" in reasons[6]
    assert "coordinate system" in reasons[7]
    assert list(table.rejected.case_id) == ["B", "C", "D", "E", "F"]
    g = table.cases.iloc[1]
    assert g.coord_sys == "gcj02" and g.lon_src == pytest.approx(114.65) and g.lon < 114.65


def test_file_level_system_and_warning_without_one(tmp_path):
    lon, lat = 114.65, 33.62
    glon, glat = wgs84_to_gcj02(lon, lat)
    path = write(tmp_path, "c.csv", f"case_id,lng,latitude\nA,{float(glon):.9f},{float(glat):.9f}\n")
    plain = geo.load_cases(path)
    assert any("WGS-84 assumed" in w for w in plain.warnings)
    shifted = geo.load_cases(path, coord_sys="gcj02")
    assert shifted.warnings == []
    assert abs(shifted.cases.lon[0] - lon) < 1e-7 and abs(shifted.cases.lat[0] - lat) < 1e-7
    with pytest.raises(InputError, match="unknown coordinate system"):
        geo.load_cases(path, coord_sys="utm")


def test_gb18030_csv(tmp_path):
    path = write(tmp_path, "c.csv", "案件编号,经度,纬度\n甲,114.6,33.6\n", encoding="gb18030")
    assert geo.load_cases(path).cases["案件编号"].tolist() == ["甲"]


def test_empty_and_header_only_files_say_so(tmp_path):
    with pytest.raises(InputError, match="empty"):
        geo.load_cases(write(tmp_path, "e.csv", ""))
    with pytest.raises(InputError, match="no case rows"):
        geo.load_cases(write(tmp_path, "h.csv", "case_id,lon,lat\n"))
    with pytest.raises(InputError, match="no longitude/latitude"):
        geo.load_cases(write(tmp_path, "x.csv", "case_id,x,y\nA,1,2\n"))
    with pytest.raises(InputError, match="does not exist"):
        geo.load_cases(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="unsupported"):
        geo.load_cases(write(tmp_path, "c.docx", "x"))


def test_excel_with_merged_header_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "周口市假冒伪劣案件登记表"
    ws.merge_cells("A1:D1")  # a title row over the table
    ws["A2"], ws["B2"] = "案件编号", "位置"
    ws.merge_cells("A2:A3")  # vertical merge: the name lives in A2 only
    ws.merge_cells("B2:C2")  # group header over 经度/纬度
    ws["B3"], ws["C3"], ws["D3"] = "经度", "纬度", "坐标系"
    ws.append(["ZK-1", 114.6, 33.6, "wgs84"])
    ws.append(["ZK-2", "bad", 33.6, "wgs84"])
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    table = geo.load_cases(path)
    assert table.cases["案件编号"].tolist() == ["ZK-1"]
    assert table.rejected.row.tolist() == [5]  # the row number Excel shows
    assert table.rejected.case_id.tolist() == ["ZK-2"]


def test_geojson_and_geopackage(tmp_path):
    gdf = gpd.GeoDataFrame({"case_id": ["A", "B"]}, geometry=gpd.points_from_xy([114.6, 114.7], [33.6, 33.7]),
                           crs=4326)
    gdf.to_file(tmp_path / "c.geojson", driver="GeoJSON")
    gdf.to_crs(3857).to_file(tmp_path / "c.gpkg", driver="GPKG")
    for name in ("c.geojson", "c.gpkg"):
        table = geo.load_cases(tmp_path / name)
        assert table.cases.case_id.tolist() == ["A", "B"]
        assert np.allclose(table.cases.lon, [114.6, 114.7]) and np.allclose(table.cases.lat, [33.6, 33.7])


def test_dataframe_input_uses_index_labels_as_rows():
    df = pd.DataFrame({"case_id": ["A", "B"], "lon": [114.6, None], "lat": [33.6, 33.6]}, index=[10, 11])
    table = geo.load_cases(df)
    assert table.rejected.row.tolist() == [11]
    assert table.cases.row.tolist() == [10]


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-180, max_value=180, allow_nan=False))
def test_parse_coordinate_reads_any_decimal_text(value):
    assert parse_coordinate(repr(value)) == pytest.approx(value)
    assert parse_coordinate(f"  {value:.6f} ") == pytest.approx(round(value, 6))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 179), st.integers(0, 59), st.floats(0, 59.99, allow_nan=False), st.sampled_from("ENWS"))
def test_parse_coordinate_reads_dms(d, m, s, hemi):
    value = parse_coordinate(f"{d}°{m}′{s:.2f}″{hemi}")
    expected = d + m / 60 + round(s, 2) / 3600
    assert value == pytest.approx(-expected if hemi in "WS" else expected)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=12))
def test_parse_coordinate_never_raises_on_text_without_digits(text):
    assert np.isnan(parse_coordinate(text)) or isinstance(parse_coordinate(text), float)
