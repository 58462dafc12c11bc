"""Public test helpers for code that uses :mod:`geo` (like ``geopandas.testing``).

- :func:`assert_hotspot_result`: structural checks every :class:`~geo.hotspots.HotspotResult` obeys.
- :func:`assert_summary_shape`: the JSON contract of ``casebook geo hotspots --summary``.
"""

from __future__ import annotations

import numpy as np

from geo.settlement import PERI, RURAL, URBAN

__all__ = ["assert_hotspot_result", "assert_summary_shape"]

SUMMARY_KEYS = {"cases", "rejected_rows", "cell_resolution", "hotspots", "clusters", "hot_areas", "counties",
                "county_warnings", "case_sample"}
COUNTY_KEYS = {"adcode", "name", "cases", "inspections", "rate", "hot_cells", "cold_cells", "top_categories"}
HOTSPOT_KEYS = {"cell", "lon", "lat", "cases", "z", "p", "confidence", "type", "setting", "trend"}


def assert_summary_shape(summary: dict) -> None:
    """The summary JSON holds the documented keys, and hotspots lists only significant cells."""
    missing = SUMMARY_KEYS - set(summary)
    assert not missing, f"summary lacks {missing}"
    assert isinstance(summary["cases"], int)
    for row in summary["rejected_rows"]:
        assert "row" in row and "reason" in row, row
    for spot in summary["hotspots"]:
        assert HOTSPOT_KEYS <= set(spot), f"hotspot lacks {HOTSPOT_KEYS - set(spot)}"
        assert spot["confidence"] in (90, 95, 99), spot
        assert spot["type"] in ("hot", "cold"), spot
        assert spot["setting"] in (URBAN, PERI, RURAL), spot
        assert 0.0 <= spot["p"] <= 1.0
    for county in summary["counties"]:
        assert COUNTY_KEYS <= set(county), f"county row lacks {COUNTY_KEYS - set(county)}"
        assert len(county["adcode"]) == 6 and county["adcode"].isdigit(), county
    for flag in summary["county_warnings"]:
        assert {"case_id", "county_named", "county_found", "cause"} <= set(flag), flag


def assert_hotspot_result(result) -> None:
    """Cells cover the study area (zero cells included), bins agree with z, cases all placed."""
    cells = result.cells
    assert len(cells) == result.weights.shape[0] == result.weights.shape[1], "graph size != cell count"
    assert cells.cell.is_unique
    assert int(cells.cases.sum()) == result.summary["cases"], "some cases were not counted in a cell"
    if result.complete:
        assert len(result.cases) == result.summary["cases"]
    assert (cells.cases == 0).any() or len(cells) <= 7, "no zero cells: coverage looks occupied-only"
    assert set(result.cases.cell) <= set(cells.cell)
    assert ((cells.gi_bin > 0) == (cells["type"] == "hot")).all()
    assert ((cells.gi_bin < 0) == (cells["type"] == "cold")).all()
    assert (np.sign(cells.gi_bin[cells.gi_bin != 0]) == np.sign(cells.z[cells.gi_bin != 0])).all()
    assert_summary_shape(result.summary)
