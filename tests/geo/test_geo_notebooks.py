"""The analyst notebook and the brief template run headless on the sample (real kernels)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from casebook.leads.lead_words import layer_words

REPO = Path(__file__).resolve().parents[2]


def outputs(nb):
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors, errors
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def test_template_has_a_tagged_parameters_cell_and_thin_cells():
    nb = nbformat.read(REPO / "templates" / "hotspot_brief.ipynb", as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "cases_path" in tagged[0].source and "baseline_path" in tagged[0].source
    for cell in nb.cells:
        if cell.cell_type == "code" and cell is not tagged[0]:
            assert cell.source.count("\n") <= 2, cell.source  # one library call per cell


@pytest.mark.slow
def test_brief_runs_for_a_county_and_period(sample_book, tmp_path):
    out = tmp_path / "brief.ipynb"
    pm.execute_notebook(str(REPO / "templates" / "hotspot_brief.ipynb"), str(out), kernel_name="python3",
                        parameters={"cases_path": str(sample_book / "cases.csv"),
                                    "baseline_path": str(sample_book / "baseline.csv"), "county": "",
                                    "start": "2024-01-01", "end": "2024-12-31",
                                    "map_html": str(tmp_path / "map.html"), "summary_json": str(tmp_path / "s.json")},
                        progress_bar=False, cwd=str(tmp_path))
    outs = outputs(nbformat.read(out, as_version=4))
    assert any("image/png" in o.get("data", {}) for o in outs)
    assert any("srcdoc=" in o.get("data", {}).get("text/html", "") for o in outs)
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["cases"] > 0
    saved = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "<script src=" not in saved
    assert json.dumps(layer_words("zh")["layer"]) in saved  # the saved map is the brief's, complaint layer included


@pytest.mark.slow
def test_explorer_runs_headless_on_the_sample(sample_book, tmp_path):
    out = tmp_path / "explorer.ipynb"
    pm.execute_notebook(str(REPO / "notebooks" / "hotspot_explorer.ipynb"), str(out), kernel_name="python3",
                        parameters={"casebook_dir": str(sample_book)}, progress_bar=False, cwd=str(tmp_path),
                        execution_timeout=300)
    outs = outputs(nbformat.read(out, as_version=4))
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outs)
    assert any("srcdoc=" in o.get("data", {}).get("text/html", "") for o in outs)
