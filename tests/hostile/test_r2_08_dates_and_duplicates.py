"""Round 2, rows 8 and 11: dates outside the register's span and duplicate case ids are named with their rows.

Before: a case dated 2099 stretched the hot-spot period to 2099 and changed the trend classes
silently, and a case id on two rows was not flagged.
"""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = pytest.mark.slow  # the geo stack takes ~15 s to import on a busy machine


@pytest.fixture(scope="module")
def register():
    from tests.support.geo_synthetic import synthetic_casebook

    cases = synthetic_casebook(seed=3).cases.copy()
    cases["case_id"] = [f"ZK-{n:05d}" for n in range(len(cases))]
    return cases


def _trend(result) -> pd.Series:
    return result.cells.set_index("cell")["trend"] if "trend" in result.cells else pd.Series(dtype=object)


def test_a_2099_date_and_a_1900_date_are_warned_with_their_rows_and_leave_the_trend_alone(register, tmp_path):
    import geo

    clean = tmp_path / "clean.csv"
    register.to_csv(clean, index=False)
    hostile = register.copy()
    hostile.loc[5, "opened"] = "2099-01-01"
    hostile.loc[9, "opened"] = "1900-01-01"
    dirty = tmp_path / "dirty.csv"
    hostile.to_csv(dirty, index=False)
    base = geo.find_hotspots(clean, resolution=7, distance_m=3000, clusters=False, counties=False)
    got = geo.find_hotspots(dirty, resolution=7, distance_m=3000, clusters=False, counties=False)
    note = next(w for w in got.summary["warnings"] if "dated outside" in w)
    assert "row 7: 2099-01-01 is in the future" in note and "row 11: 1900-01-01 is before 1990-01-01" in note
    assert got.summary.get("period") == base.summary.get("period")
    counts = {k: v for k, v in _trend(got).value_counts().items()}
    base_counts = {k: v for k, v in _trend(base).value_counts().items()}
    assert counts == base_counts


def test_duplicate_case_ids_are_flagged_with_their_rows(register, tmp_path, cli):
    doubled = register.copy()
    doubled.loc[12, "case_id"] = doubled.loc[3, "case_id"]
    path = tmp_path / "dup.csv"
    doubled.to_csv(path, index=False)
    code, _, err = cli("geo", "hotspots", path, "--no-trend", "--resolution", "7")
    assert code == 0
    assert f"{doubled.loc[3, 'case_id']} in rows 5, 14" in err
