"""The Dask path (a real LocalCluster) gives the same cells, z-scores and counties as one machine."""

from __future__ import annotations

import numpy as np
import pytest

import geo


@pytest.mark.slow
def test_dask_local_cluster_equals_the_single_machine_path(planted, tmp_path):
    from geo.coords import wgs84_to_gcj02

    cases = planted.cases.copy()
    gcj = cases.index % 3 == 0  # a third exported from Amap
    glon, glat = wgs84_to_gcj02(cases.lon[gcj].to_numpy(), cases.lat[gcj].to_numpy())
    cases.loc[gcj, "lon"], cases.loc[gcj, "lat"], cases.loc[gcj, "coord_sys"] = glon, glat, "gcj02"
    parts = tmp_path / "cases"
    parts.mkdir()
    for k, start in enumerate(range(0, len(cases), 400)):  # a partitioned table, as a province exports it
        cases.iloc[start:start + 400].to_parquet(parts / f"part-{k}.parquet", index=False)
    local = geo.find_hotspots(parts, planted.baseline)
    dask = geo.find_hotspots(parts, planted.baseline, scheduler="local")
    assert dask.summary["cases"] == local.summary["cases"] == len(cases)
    assert list(dask.cells.cell) == list(local.cells.cell)
    assert np.array_equal(dask.cells.cases.to_numpy(), local.cells.cases.to_numpy())
    assert np.allclose(dask.cells.z.to_numpy(), local.cells.z.to_numpy(), rtol=0, atol=1e-12)
    assert (dask.cells.gi_bin.to_numpy() == local.cells.gi_bin.to_numpy()).all()
    assert local.summary["hot_cells"] > 0
    assert dask.summary["counties"] == local.summary["counties"]
    assert list(dask.cells.trend) == list(local.cells.trend)
    assert [c["cases"] for c in dask.summary["clusters"]] == [c["cases"] for c in local.summary["clusters"]]


@pytest.mark.slow
def test_cli_scheduler_local_on_parquet_parts(planted, tmp_path, capsys):
    import json

    from casebook.cli import main

    parts = tmp_path / "parts"
    parts.mkdir()
    for k, start in enumerate(range(0, len(planted.cases), 500)):
        planted.cases.iloc[start:start + 500].to_parquet(parts / f"p{k}.parquet", index=False)
    base = tmp_path / "baseline.csv"
    planted.baseline.to_csv(base, index=False)
    assert main(["geo", "hotspots", str(parts), "--baseline", str(base), "--scheduler", "local", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cases"] == len(planted.cases) and data["hot_cells"] > 0
