"""``casebook leads import|show`` on the sample casebook: its complaints placed, counted, tied to its cases."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]


def test_import_places_the_sample_complaints_and_keeps_the_unplaced(sample_book, tmp_path, cli):
    truth = json.loads((sample_book / "complaints" / "truth.json").read_text(encoding="utf-8"))
    code, out, err = cli("leads", "import", sample_book, "--out", tmp_path / "leads", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["leads"] == truth["leads"]
    assert report["unplaced"] == truth["unplaced"]
    assert report["files"][0]["encoding"] == "gb18030" and report["files"][0]["header_row"] == 3
    frame = pd.read_parquet(tmp_path / "leads" / "leads.parquet")
    assert len(frame) == truth["leads"] and (~frame.placed).sum() == truth["unplaced"]


@pytest.mark.slow
def test_show_finds_the_county_with_many_leads_and_no_case_and_ties_leads_to_cases(sample_book, tmp_path, cli):
    truth = json.loads((sample_book / "complaints" / "truth.json").read_text(encoding="utf-8"))
    code, out, err = cli("leads", "show", sample_book, "--casebook", sample_book, "--json",
                         "--map", tmp_path / "map.html")
    assert code == 0, err
    data = json.loads(out)
    assert data["many_no_case"] == [truth["no_case_county"]]
    assert data["variable"] == "per_10k"  # the sample's businesses.csv turns counts into rates
    linked = {row["reg_no"]: set(row["case_ids"]) for row in data["linked"]}
    planted = [(case_id, number) for case_id, numbers in truth["about_cases"].items() for number in numbers]
    found = sum(case_id in linked.get(number, set()) for case_id, number in planted)
    assert found / len(planted) >= 0.9
    wrong = [n for n, ids in linked.items() if not any(n in truth["about_cases"].get(c, []) for c in ids)]
    assert len(wrong) <= 1
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "柘城县" in page or json.dumps("柘城县")[1:-1] in page  # the county is on the map
    assert "https://cdn" not in page  # offline: no CDN


@pytest.mark.slow
def test_the_brief_shows_the_complaint_layer_of_the_sample(sample_book, tmp_path):
    import nbformat
    import papermill as pm

    out = tmp_path / "brief.ipynb"
    pm.execute_notebook(str(REPO / "templates" / "hotspot_brief.ipynb"), str(out), kernel_name="python3",
                        parameters={"cases_path": str(sample_book / "cases.csv"),
                                    "baseline_path": str(sample_book / "baseline.csv")},
                        progress_bar=False, cwd=str(tmp_path))
    cells = nbformat.read(out, as_version=4).cells
    shown = {c.source: "".join(o.get("data", {}).get("text/html", "") or o.get("data", {}).get("text/plain", "")
                               for o in c.get("outputs", []))
             for c in cells if c.cell_type == "code"}
    assert "柘城县" in shown["leads.no_case()"]  # the planted county: many complaints, no case
    assert "每万户" in shown["leads.counties()"]
    map_cell = next(text for source, text in shown.items() if "brief_map(result, leads" in source)
    assert "投诉举报" in map_cell or "\\u6295\\u8bc9\\u4e3e\\u62a5" in map_cell  # the layer is on the map
