"""geo.hotspots end to end: full coverage, effort-only null, planted clusters, bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import geo
from geo.coords import wgs84_to_gcj02
from geo.testing import assert_hotspot_result
from safeio.errors import InputError
from tests.support.geo_synthetic import synthetic_casebook


def near(cells, lon, lat, km):
    d = np.hypot((cells.lon - lon) * 93.0, (cells.lat - lat) * 111.0)  # km at 33.7°N
    return cells.loc[d <= km]


def test_effort_only_cases_show_no_hot_cells_with_baseline(effort_only):
    with_base = geo.find_hotspots(effort_only.cases, effort_only.baseline)
    assert_hotspot_result(with_base)
    assert (with_base.cells.gi_bin >= 2).sum() == 0, with_base.summary["hotspots"][:5]
    assert (with_base.cells.gi_bin <= -2).sum() == 0
    # the same cases as plain counts: hot where inspections are dense (towns)
    counts = geo.find_hotspots(effort_only.cases)
    hot = counts.cells.loc[counts.cells.gi_bin >= 2]
    assert len(hot) > 0 and (hot.setting == "urban").any()


@pytest.mark.parametrize("seed", [3, 5])
def test_effort_only_null_holds_for_other_seeds(seed):
    syn = synthetic_casebook(seed + 100, planted=False)
    result = geo.find_hotspots(syn.cases, syn.baseline, trend=False, clusters=False)
    assert (result.cells.gi_bin >= 2).sum() == 0


def test_planted_peri_urban_and_rural_clusters_are_found(planted, planted_result):
    result = planted_result
    assert_hotspot_result(result)
    hot = result.cells.loc[result.cells.gi_bin >= 2]
    for name, (lon, lat, setting) in planted.planted.items():
        found = near(hot, lon, lat, 2.0)
        assert len(found) > 0, f"planted {name} cluster not found"
        assert setting in set(found.setting), (name, set(found.setting))
    # the summary lists exactly the significant cells, with the documented fields
    assert len(result.summary["hotspots"]) == int((result.cells.gi_bin != 0).sum())
    assert {h["setting"] for h in result.summary["hotspots"]} >= {"peri-urban", "rural"}
    # and a point cluster sits on the planted peri-urban market group
    lon, lat, _ = planted.planted["peri-urban"]
    clusters = result.clusters
    assert (np.hypot((clusters.lon - lon) * 93, (clusters.lat - lat) * 111) < 1.5).any()


def test_cluster_given_in_gcj02_lands_where_it_is_in_wgs84(planted, planted_result):
    cases = planted.cases.copy()
    glon, glat = wgs84_to_gcj02(cases.lon.to_numpy(), cases.lat.to_numpy())
    cases["lon"], cases["lat"], cases["coord_sys"] = glon, glat, "gcj02"
    shifted = geo.find_hotspots(cases, planted.baseline, trend=False)
    assert np.max(np.abs(shifted.cases.lon.to_numpy() - planted.cases.lon.to_numpy())) < 5e-7
    a = set(shifted.cells.cell[shifted.cells.gi_bin >= 2])
    b = set(planted_result.cells.cell[planted_result.cells.gi_bin >= 2])
    assert a == b
    # read as WGS-84 by mistake, the cases would sit ~500 m off, in other cells
    wrong = geo.find_hotspots(cases.assign(coord_sys="wgs84"), planted.baseline, resolution=planted_result.resolution,
                         trend=False, clusters=False)
    assert (wrong.cases.cell.to_numpy() != planted_result.cases.cell.to_numpy()).mean() > 0.15


def test_full_coverage_includes_zero_cells_and_graph_size(planted_result):
    cells = planted_result.cells
    assert (cells.cases == 0).sum() > (cells.cases > 0).sum()
    assert planted_result.weights.shape == (len(cells), len(cells))
    assert planted_result.graph().n == len(cells)
    assert np.all(planted_result.weights.diagonal() == 1)


def test_sample_casebook_result(sample_book, sample_result):
    assert_hotspot_result(sample_result)
    s = sample_result.summary
    truth = json.loads((sample_book / "truth.json").read_text(encoding="utf-8"))
    assert s["cases"] == 30 + truth["register"]["cases"] and s["rejected_rows"] == []
    assert set(s["settings"]) <= {"urban", "peri-urban", "rural"}
    assert s["setting_methods"]["nbs_code"] > 0 and s["setting_methods"]["distance"] > 0


def test_sample_register_planted_hot_spots_are_found(sample_book, sample_result):
    truth = json.loads((sample_book / "truth.json").read_text(encoding="utf-8"))["register"]
    hot = sample_result.cells.loc[sample_result.cells.gi_bin >= 2]
    for spot in truth["hotspots"]:
        found = near(hot, spot["lon"], spot["lat"], spot["radius_km"] + 1.0)
        assert len(found) >= 2, spot["name"]
        county = sample_result.counties.set_index("name").loc[spot["county"]]
        assert county.hot_cells >= 1
    assert len(hot) <= 40  # the planted areas, not the whole prefecture
    areas = sample_result.summary["hot_areas"]
    for spot in truth["hotspots"]:
        area = next(a for a in areas if np.hypot((a["lon"] - spot["lon"]) * 93, (a["lat"] - spot["lat"]) * 111) < 2)
        assert area["county"] == spot["county"] and area["setting"] == spot["setting"]
        assert area["trend"] == spot["trend"], (spot["name"], area["cases_by_slice"])
    flagged = {w["case_id"] for w in sample_result.summary["county_warnings"]}
    assert {m["case_id"] for m in truth["county_mismatches"]} == flagged  # the planted ones, and no other
    assert all(w["outside_m"] > 1000 for w in sample_result.summary["county_warnings"])  # typos: kilometres off


def test_one_case_gives_a_documented_result():
    df = pd.DataFrame({"case_id": ["A"], "lon": [114.6], "lat": [33.6], "coord_sys": ["wgs84"]})
    result = geo.find_hotspots(df)
    assert result.summary["cases"] == 1
    assert result.summary["hotspots"] == []
    assert any("at least 30" in w for w in result.summary["warnings"])
    assert any("one location" in w for w in result.summary["warnings"])


def test_a_handful_of_cases_in_a_baseline_is_never_called_a_hot_spot(planted):
    # two cases among many inspected markets: Gi*'s normal approximation would call their cells 16 sigma hot
    two = planted.cases.iloc[[0, len(planted.cases) // 2]]
    result = geo.find_hotspots(two, planted.baseline, trend=False)
    assert result.summary["hotspots"] == [] and (result.cells.gi_bin == 0).all()
    assert any("no cell is called hot or cold" in w for w in result.summary["warnings"])


def test_all_cases_on_one_point():
    df = pd.DataFrame({"case_id": list("ABCDEFGHIJ"), "lon": 114.6, "lat": 33.6, "coord_sys": "wgs84"})
    result = geo.find_hotspots(df)
    assert any("one location" in w for w in result.summary["warnings"])
    assert result.summary["cases"] == 10 and len(result.summary["clusters"]) == 1


def test_zero_variance_rates_give_no_hot_spot():
    # every market has the same cases per inspection: nothing stands out
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(114.4, 115.4, 60), rng.uniform(33.4, 34.0, 60)
    base = pd.DataFrame({"lon": lon, "lat": lat, "coord_sys": "wgs84", "inspections": 10})
    cases = pd.DataFrame({"lon": np.repeat(lon, 2), "lat": np.repeat(lat, 2), "coord_sys": "wgs84"})
    result = geo.find_hotspots(cases, base, resolution=8, trend=False)
    assert result.summary["hotspots"] == []
    assert any("same value" in w for w in result.summary["warnings"])


def test_baseline_with_zero_effort_where_cases_exist(planted):
    base = planted.baseline.copy()
    lon, lat, _ = planted.planted["rural"]
    d = np.hypot((base.lon - lon) * 93, (base.lat - lat) * 111)
    base.loc[d < 2, "inspections"] = 0
    result = geo.find_hotspots(planted.cases, base, trend=False)
    assert any("zero inspection effort" in w for w in result.summary["warnings"])
    assert not result.cells.analysed[result.cells.cases > 0].all()
    with pytest.raises(InputError, match="no inspection effort"):
        geo.find_hotspots(planted.cases, base.assign(inspections=0))


def test_bad_baseline_rows_are_rejected_not_dropped(planted):
    base = planted.baseline.copy().astype({"inspections": object})
    base.loc[0, "inspections"] = "many"
    base.loc[1, "inspections"] = -3
    result = geo.find_hotspots(planted.cases, base, trend=False, clusters=False)
    rows = result.summary["baseline_rejected_rows"]
    assert [r["row"] for r in rows] == [0, 1]
    assert "not a number" in rows[0]["reason"]


def test_all_rows_rejected_is_an_input_error(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("case_id,lon,lat\nA,,\nB,x,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="no usable cases"):
        geo.find_hotspots(path)
