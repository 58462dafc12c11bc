"""Urban / peri-urban / rural labels: NBS codes, distance rings, the sample's truth."""

from __future__ import annotations

import json

import numpy as np

import geo
from geo.settlement import Rings, label_settings, nbs_setting, urban_cores


def test_nbs_codes():
    assert nbs_setting("111") == "urban" and nbs_setting(121) == "urban" and nbs_setting("123") == "urban"
    assert nbs_setting("112") == "peri-urban" and nbs_setting("122") == "peri-urban"
    assert nbs_setting("210") == "rural" and nbs_setting("220") == "rural"
    assert nbs_setting("411602001001122") == "peri-urban"  # 12-digit unit + class
    assert nbs_setting("") is None and nbs_setting(None) is None and nbs_setting(float("nan")) is None
    assert nbs_setting("999") is None


def test_urban_cores_are_offline_wgs84_and_cover_zhoukou():
    cores = urban_cores()
    assert len(cores) > 3000 and set(cores.kind) == {"city", "district", "county"}
    zk = cores.loc[cores.adcode == "411600"].iloc[0]
    # cpca gives 114.69695, 33.626149 in GCJ-02: the WGS-84 seat lies a few hundred metres away
    d = np.hypot((zk.lon - 114.69695) * 93_000, (zk.lat - 33.626149) * 111_000)
    assert 100 < d < 1000


def test_rings_are_configurable():
    core = urban_cores().query("adcode == '411623'").iloc[0]  # 商水县 county seat
    lon = core.lon - np.array([0.0, 3500, 8000]) / 93_000  # westwards, away from the city of 周口
    lat = np.full(3, core.lat)
    out = label_settings(lon, lat)
    assert out.setting.tolist() == ["urban", "peri-urban", "rural"]
    assert (out.setting_method == "distance").all() and out.nearest_core[0] == "商水县"
    wide = label_settings(lon, lat, rings=Rings(county_urban_m=4000, county_periurban_m=9000))
    assert wide.setting.tolist() == ["urban", "urban", "peri-urban"]


def test_codes_win_over_distance():
    core = urban_cores().query("adcode == '411623'").iloc[0]
    out = label_settings([core.lon, core.lon], [core.lat, core.lat], codes=["220", None])
    assert out.setting.tolist() == ["rural", "urban"]
    assert out.setting_method.tolist() == ["nbs_code", "distance"]


def test_sample_settings_agree_with_truth(sample_book, sample_result):
    truth = {c["case_id"]: c["setting"] for c in json.loads((sample_book / "truth.json").read_text())["cases"]}
    got = dict(zip(sample_result.cases.case_id, sample_result.cases.setting, strict=True))
    agree = sum(got[k] == v for k, v in truth.items())
    assert agree >= 0.9 * len(truth), (agree, len(truth))


def test_sample_truth_clusters_are_found(sample_book, sample_result):
    truth = {c["case_id"]: c["cluster"] for c in json.loads((sample_book / "truth.json").read_text())["cases"]}
    cases = sample_result.cases.set_index("case_id")
    for name in {v for v in truth.values() if v}:
        members = [k for k, v in truth.items() if v == name]
        labels = set(cases.loc[members, "cluster"])
        assert len(labels) == 1 and -1 not in labels, (name, labels)
    assert geo.brief_tables.cluster_table(sample_result).cases.sum() >= sum(1 for v in truth.values() if v)
