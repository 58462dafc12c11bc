"""GCJ-02 / BD-09 conversions: iterative inverses within 0.05 m, vectorised, China-only shift."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.coords import (
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    normalise_coord_sys,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

M_PER_DEG = 111_320.0
china_lon = st.floats(min_value=73.7, max_value=134.9, allow_nan=False)
china_lat = st.floats(min_value=18.2, max_value=53.4, allow_nan=False)


def metres(lon_a, lat_a, lon_b, lat_b):
    return np.hypot((lon_a - lon_b) * M_PER_DEG * np.cos(np.radians(lat_a)), (lat_a - lat_b) * M_PER_DEG)


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_gcj02_round_trip_within_5_cm(lon, lat):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert metres(lon, lat, *back) < 0.05


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_bd09_round_trip_within_5_cm(lon, lat):
    back = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert metres(lon, lat, *back) < 0.05


def test_vectorised_round_trip_many_points():
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(74, 134, 50_000), rng.uniform(19, 53, 50_000)
    assert metres(lon, lat, *gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))).max() < 0.05
    assert metres(lon, lat, *bd09_to_wgs84(*wgs84_to_bd09(lon, lat))).max() < 0.05


def test_one_step_inverse_would_not_be_enough():
    # the naive inverse (subtract the forward offset once) errs by metres: the iteration matters
    lon, lat = np.array([120.07]), np.array([29.31])
    g = wgs84_to_gcj02(lon, lat)
    naive = 2 * g[0] - wgs84_to_gcj02(*g)[0], 2 * g[1] - wgs84_to_gcj02(*g)[1]
    assert metres(lon, lat, *naive)[0] > 0.05
    assert metres(lon, lat, *gcj02_to_wgs84(*g))[0] < 0.01


def test_offsets_at_yiwu_match_domain_reference():
    lon, lat = 120.075, 29.306  # Yiwu
    assert 400 < metres(lon, lat, *wgs84_to_gcj02(lon, lat)) < 700  # ≈ 540 m
    assert 900 < metres(lon, lat, *wgs84_to_bd09(lon, lat)) < 1400  # ≈ 1,160 m


def test_outside_china_is_unchanged_by_gcj02():
    lon, lat = wgs84_to_gcj02(np.array([2.35, -74.0]), np.array([48.85, 40.7]))
    assert np.allclose(lon, [2.35, -74.0]) and np.allclose(lat, [48.85, 40.7])


def test_bd09_is_gcj02_shifted():
    lon, lat = 114.65, 33.62
    b = gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
    assert np.allclose(b, wgs84_to_bd09(lon, lat))


def test_per_row_systems_and_aliases():
    lon = np.array([114.65, 114.65, 114.65, 114.65])
    lat = np.array([33.62, 33.62, 33.62, 33.62])
    g = wgs84_to_gcj02(114.65, 33.62)
    b = wgs84_to_bd09(114.65, 33.62)
    src_lon = np.array([114.65, float(g[0]), float(b[0]), 114.65])
    src_lat = np.array([33.62, float(g[1]), float(b[1]), 33.62])
    out = to_wgs84(src_lon, src_lat, np.array(["wgs84", "gcj02", "bd09", "cgcs2000"], dtype=object))
    assert metres(lon, lat, *out).max() < 0.05
    assert normalise_coord_sys("GCJ-02") == "gcj02"
    assert normalise_coord_sys("高德") == "gcj02"
    assert normalise_coord_sys("Baidu") == "bd09"
    assert normalise_coord_sys("EPSG:4490") == "cgcs2000"
    assert normalise_coord_sys("mercator") is None
