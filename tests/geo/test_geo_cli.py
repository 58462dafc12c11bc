"""casebook geo hotspots: outputs, JSON contract, exit codes."""

from __future__ import annotations

import json

from casebook.cli import main
from geo.testing import assert_summary_shape


def test_hotspots_on_the_sample(sample_book, tmp_path, capsys):
    out, summary = tmp_path / "map.html", tmp_path / "s.json"
    code = main(["geo", "hotspots", str(sample_book / "cases.csv"), "--baseline", str(sample_book / "baseline.csv"),
                 "--out", str(out), "--summary", str(summary)])
    assert code == 0
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert_summary_shape(data)
    n_rows = sum(1 for _ in (sample_book / "cases.csv").open(encoding="utf-8")) - 1
    assert data["cases"] == n_rows and data["rejected_rows"] == []
    assert {c["name"] for c in data["counties"]} >= {"川汇区", "西华县", "商水县"}
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page and "L.map(" in page
    assert "川汇区" in page and "metric: true, imperial: false" in page  # county borders, a metric scale
    assert f"{n_rows} cases analysed" in capsys.readouterr().out


def test_rejected_rows_give_exit_1_and_are_listed(tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("case_id,lon,lat,coord_sys\nA,114.6,33.6,wgs84\nB,33.6,114.6,wgs84\nC,114.7,33.7,gcj02\n",
                    encoding="utf-8")
    code = main(["geo", "hotspots", str(path), "--json", "--no-trend"])
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["rejected_rows"] == [{"row": 3, "reason": "longitude and latitude look swapped (lon=33.6, lat=114.6)",
                                      "case_id": "B"}]


def test_unusable_input_gives_exit_2(tmp_path, capsys):
    empty = tmp_path / "e.csv"
    empty.write_text("", encoding="utf-8")
    assert main(["geo", "hotspots", str(empty)]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["geo", "hotspots", str(tmp_path / "none.csv")]) == 2
    ok = tmp_path / "c.csv"
    ok.write_text("case_id,lon,lat\nA,114.6,33.6\n", encoding="utf-8")
    assert main(["geo", "hotspots", str(ok), "--basemap", "tianditu"]) == 0  # no --out: no map, no key needed
    assert main(["geo", "hotspots", str(ok), "--basemap", "tianditu", "--out", str(tmp_path / "m.html")]) == 2
