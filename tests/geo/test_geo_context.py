"""The dossier helper: setting, hot spot membership, nearby cases, static PNG, JSON form."""

from __future__ import annotations

import json

import pytest

import geo
from geo.coords import wgs84_to_gcj02
from safeio.errors import InputError


def test_case_in_planted_cluster(planted, planted_result):
    lon, lat, setting = planted.planted["peri-urban"]
    ctx = geo.case_context(planted_result, lon, lat, radius_m=1500)
    assert ctx.in_hotspot and ctx.confidence in (90, 95, 99)
    assert ctx.setting == setting and ctx.setting_method == "distance"
    assert len(ctx.nearby) > 10 and ctx.nearby.distance_m.is_monotonic_increasing
    assert ctx.nearby.distance_m.max() <= 1500
    assert ctx.static_map_png[:8] == b"\x89PNG\r\n\x1a\n" and len(ctx.static_map_png) > 10_000
    json.dumps(ctx.to_dict(), ensure_ascii=False)


def test_nbs_code_of_the_case_wins(sample_book, sample_result):
    cases = sample_result.cases
    row = cases.loc[cases.urban_rural_code.astype(str) == "122"].iloc[0]
    ctx = geo.case_context(sample_result, row.lon, row.lat, case_id=row.case_id, map_png=False)
    assert ctx.setting == "peri-urban" and ctx.setting_method == "nbs_code"
    assert row.case_id not in set(ctx.nearby.case_id)
    assert ctx.static_map_png == b""


def test_gcj02_position_is_converted(planted, planted_result):
    lon, lat, _ = planted.planted["rural"]
    glon, glat = wgs84_to_gcj02(lon, lat)
    a = geo.case_context(planted_result, lon, lat, map_png=False)
    b = geo.case_context(planted_result, float(glon), float(glat), coord_sys="gcj02", map_png=False)
    assert a.cell == b.cell and abs(a.lon - b.lon) < 1e-7


def test_outside_the_study_area_and_bad_input(planted_result):
    ctx = geo.case_context(planted_result, 87.6, 43.8, map_png=False)  # Ürümqi
    assert not ctx.in_hotspot and ctx.z is None and ctx.nearby.empty
    with pytest.raises(InputError):
        geo.case_context(planted_result, "east", 33.6)
    with pytest.raises(InputError):
        geo.case_context(planted_result, 114.6, 33.6, coord_sys="utm")
