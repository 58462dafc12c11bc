"""The analyst's chain explorer runs headless on the sample with a real kernel (papermill)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "chain_explorer.ipynb"


def test_the_notebook_is_thin_and_has_one_parameters_cell():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "casebook_dir" in tagged[0].source and "county" in tagged[0].source
    for cell in nb.cells:
        if cell.cell_type == "code" and cell is not tagged[0] and not cell.source.startswith("import"):
            assert cell.source.count("\n") <= 1, cell.source  # one library call per step


@pytest.mark.slow
def test_the_explorer_filters_by_county_and_shows_graph_sources_and_map(sample_book, sample_truth, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setenv("CASEBOOK_CACHE", str(tmp_path / "cache"))
    planted = sample_truth["chains"][1]
    county = planted["counties"][0]
    out = tmp_path / "explorer.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
                        parameters={"casebook_dir": str(sample_book), "county": county}, execution_timeout=300)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o.get("data", {}).get("text/html", "") for o in outputs]
    chains_table = next(h for h in html if "counties" in h and "chain-" in h)
    spanning = [c for c in sample_truth["chains"] if county in c["counties"] and not c.get("labels_only")]
    assert chains_table.count("chain-") == len(spanning)  # the county filter
    assert all(c["cases"][0] in chains_table for c in spanning)
    assert sum("srcdoc=" in h for h in html) == 2  # the link chart and the chain's map, both offline
    assert any("leaflet" in h.lower() and "polyline" in h.lower().replace("poly_line", "polyline") for h in html)
    sources = next(h for h in html if "field" in h and "where" in h)
    assert "row " in sources or "line " in sources
