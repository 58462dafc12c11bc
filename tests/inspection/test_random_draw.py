"""双随机 draws: the same inputs and seed give the same draw, another seed another; avoidance always holds."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.inspection.draw_inputs import read_inspectors, read_subjects
from casebook.inspection.inspection_results import result_code
from casebook.inspection.random_draw import draw_inspections, risk_weights
from safeio.errors import InputError

TOWNS = ["李埠口乡", "许湾乡", "新站镇", "逍遥镇", "黄寨镇"]


def _subjects(path, n=400, encoding="gb18030"):
    rng = np.random.default_rng(0)
    lines = ["市场主体名录（2024）", "统一社会信用代码,企业名称,住所,所属乡镇,所属区县"]
    lines += [f"92411602MA{i:08d},商户{i},周口市某路{i}号,{TOWNS[rng.integers(5)]},川汇区" for i in range(n)]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _inspectors(path, conflicts=None, towns=None, n=10):
    conflicts = conflicts or {}
    towns = towns or {}
    lines = ["执法证号,姓名,所在乡镇,回避对象"]
    lines += [f"E{i:03d},检查员{i},{towns.get(i, TOWNS[i % 5])},{'；'.join(conflicts.get(i, []))}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_same_inputs_and_seed_give_the_same_draw_and_another_seed_another(tmp_path, cli):
    subjects = _subjects(tmp_path / "subjects.csv")
    staff = _inspectors(tmp_path / "inspectors.csv")
    runs = {}
    for name, seed in (("a", 20240301), ("b", 20240301), ("c", 7)):
        code, out, err = cli("inspect", "draw", subjects, "--inspectors", staff, "--share", "0.05", "--seed", seed,
                             "--out", tmp_path / name, "--json")
        assert code == 0, err
        runs[name] = json.loads(out)
    assert runs["a"]["draw"] == runs["b"]["draw"]
    assert (tmp_path / "a" / "draw.csv").read_bytes() == (tmp_path / "b" / "draw.csv").read_bytes()
    assert len(runs["a"]["draw"]) == 20  # ceil(5 % of 400)
    assert [r["id"] for r in runs["a"]["draw"]] != [r["id"] for r in runs["c"]["draw"]]
    record = json.loads((tmp_path / "a" / "draw_record.json").read_text(encoding="utf-8"))
    assert record["seed"] == 20240301 and record["method_version"] == "1" and record["method"]
    import hashlib
    assert record["inputs"]["subjects"]["sha256"] == hashlib.sha256(subjects.read_bytes()).hexdigest()
    assert record["inputs"]["inspectors"]["sha256"] == hashlib.sha256(staff.read_bytes()).hexdigest()
    assert record["table"]["sha256"] == hashlib.sha256((tmp_path / "a" / "draw.csv").read_bytes()).hexdigest()


def test_avoidance_holds_for_declared_conflicts_and_own_townships(tmp_path):
    subjects = read_subjects(_subjects(tmp_path / "s.csv", n=300))
    drawn_all = subjects.frame
    conflicts = {i: [*list(drawn_all.id.iloc[i * 20:(i + 1) * 20]), drawn_all.name.iloc[200 + i]] for i in range(10)}
    staff = read_inspectors(_inspectors(tmp_path / "i.csv", conflicts=conflicts))
    for seed in range(5):
        draw = draw_inspections(subjects, staff, share=0.5, seed=seed)
        town_of = dict(zip(staff.frame.id, staff.frame.township, strict=True))
        declared = dict(zip(staff.frame.id, staff.conflicts, strict=True))
        for row in draw.frame.itertuples():
            assert len(set(row.inspector_ids)) == 2
            for inspector in row.inspector_ids:
                assert town_of[inspector] != row.township
                assert row.id not in declared[inspector] and row.name not in declared[inspector]
        loads = pd.Series([i for ids in draw.frame.inspector_ids for i in ids]).value_counts()
        assert loads.max() - loads.min() <= 3 * len(TOWNS)  # work is spread, not piled on a few


def test_a_business_that_avoidance_leaves_without_a_team_stops_the_draw_by_name(tmp_path):
    subjects = read_subjects(_subjects(tmp_path / "s.csv", n=10))
    # all inspectors live in 李埠口乡 except one: a business there can get only one inspector
    towns = dict.fromkeys(range(3), "李埠口乡") | {3: "许湾乡"}
    staff = read_inspectors(_inspectors(tmp_path / "i.csv", towns=towns, n=4))
    target = subjects.frame.loc[subjects.frame.township == "李埠口乡"]
    assert len(target)
    with pytest.raises(InputError) as err:
        draw_inspections(subjects, staff, share=1.0, seed=1)
    assert target.name.iloc[0] in str(err.value) and "fewer than 2 inspectors" in str(err.value)


def test_risk_raises_the_chance_of_hot_places_and_every_business_keeps_one(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b", "c"], "name": ["A", "B", "C"], "address": "", "township": "",
                          "county": ["川汇区", "扶沟县", ""], "lon": ["114.65", "", ""], "lat": ["33.625", "", ""],
                          "coord_sys": ["wgs84", "", ""]})
    import h3

    cell = h3.latlng_to_cell(33.625, 114.65, 8)
    summary = {"cell_resolution": 8, "hotspots": [{"cell": cell, "type": "hot", "confidence": 99}],
               "counties": [{"adcode": "411621", "name": "扶沟县", "hot_cells": 2}]}
    weights, counts = risk_weights(frame, summary)
    assert list(weights) == [4.0, 1.5, 1.0]
    assert counts == {"floor": 1, "hot_cell": 1, "hot_county": 1}


@pytest.mark.slow
def test_weighted_draw_follows_the_weights(tmp_path):
    """Over many seeds, a business in a 99 % hot cell is drawn as often as its exact inclusion probability says."""
    import h3

    from casebook.inspection.draw_inputs import Inspectors, Subjects

    n, runs = 40, 600
    frame = pd.DataFrame({"id": [f"b{i}" for i in range(n)], "name": "", "address": "", "township": "", "county": "",
                          "row": range(n), "lon": [""] * n, "lat": [""] * n, "coord_sys": "",
                          "key": [f"b{i}" for i in range(n)]})
    frame.loc[0, ["lon", "lat"]] = ["114.65", "33.625"]
    summary = {"cell_resolution": 8, "counties": [],
               "hotspots": [{"cell": h3.latlng_to_cell(33.625, 114.65, 8), "type": "hot", "confidence": 99}]}
    staff = pd.DataFrame({"id": ["x", "y"], "name": ["X", "Y"], "township": "", "unit": "", "conflicts": "",
                          "key": ["x", "y"]})
    subjects = Subjects(frame, tmp_path / "s", "0")
    inspectors = Inspectors(staff, [frozenset(), frozenset()], tmp_path / "i", "0")
    hits = np.zeros(n)
    for seed in range(runs):
        draw = draw_inspections(subjects, inspectors, share=0.05, seed=seed, risk=summary)  # 2 of 40
        hits[[int(i[1:]) for i in draw.frame.id]] += 1
    w = np.ones(n)
    w[0] = 4.0
    total = w.sum()
    # successive sampling: P(0 first) + P(another first, then 0)
    p0 = w[0] / total + sum(w[j] / total * w[0] / (total - w[j]) for j in range(1, n))
    sd = np.sqrt(runs * p0 * (1 - p0))
    assert abs(hits[0] - runs * p0) < 4 * sd
    assert hits[0] > 2.5 * hits[1:].mean()
    assert (hits[1:] > 0).all()  # every business keeps a chance


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 60), share=st.floats(0.01, 1.0), seed=st.integers(0, 2**32))
def test_any_draw_has_the_right_size_and_no_business_twice(tmp_path, n, share, seed):
    subjects = read_subjects(_subjects(tmp_path / "s.csv", n=n, encoding="utf-8"))
    staff = read_inspectors(_inspectors(tmp_path / "i.csv", towns=dict.fromkeys(range(10), "别处")))
    draw = draw_inspections(subjects, staff, share=share, seed=seed)
    assert len(draw.frame) == min(n, int(np.ceil(share * n - 1e-9)))
    assert draw.frame.id.is_unique


@given(st.text(max_size=30))
def test_result_code_is_a_known_category(text):
    assert result_code(text) in {"no_problem", "no_such_activity", "unreachable", "refused", "false_disclosure",
                                 "disclosure_missing", "ordered_to_correct", "follow_up", "problem_found", "other",
                                 "missing"}


def test_results_publish_every_drawn_business_and_escape_the_table(tmp_path, cli):
    subjects = _subjects(tmp_path / "subjects.csv", n=40)
    staff = _inspectors(tmp_path / "inspectors.csv")
    assert cli("inspect", "draw", subjects, "--inspectors", staff, "--share", "0.1", "--seed", 3,
               "--out", tmp_path / "d")[0] == 0
    drawn = pd.read_csv(tmp_path / "d" / "draw.csv", dtype=str, encoding="utf-8-sig")
    lines = ["统一社会信用代码,检查结果,检查日期"]
    lines += [f"{i},未发现问题,2024-05-0{k + 1}" for k, i in enumerate(drawn.id.iloc[:-1])]
    lines.append("91XXXX,<script>alert(1)</script>发现问题,2024-05-09")
    (tmp_path / "results.csv").write_text("\n".join(lines) + "\n", encoding="gb18030")
    code, out, _err = cli("inspect", "results", tmp_path / "d", tmp_path / "results.csv", "--organ", "<b>局</b>",
                         "--json")
    assert code == 1  # one drawn business without a result, one result for a business not drawn
    data = json.loads(out)
    assert [m["id"] for m in data["missing"]] == [drawn.id.iloc[-1]]
    page = (tmp_path / "d" / "publication.html").read_text(encoding="utf-8")
    assert page.count("<tr") == len(drawn) + 1 and "<b>局</b>" not in page and "&lt;b&gt;" in page
    assert "未发现问题" in page and "结果未录入" in page
