"""``casebook ccc check`` and ``ccc import`` as a user runs them."""

from __future__ import annotations

import json

from casebook.cli import main
from tests.support.listing_pages import REGISTER_CSV


def test_check_prints_one_object_per_number_with_its_row_and_findings(tmp_path, capsys):
    register = tmp_path / "reg.csv"
    register.write_text(REGISTER_CSV, encoding="utf-8")
    code = main(["ccc", "check", "2021010201000001", "2022010717000001", "12345", "--registry", str(register),
                 "--date", "2024-06-01", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(d["number"], d["status"], d["register_row"]) for d in data] == [
        ("2021010201000001", "withdrawn", 4), ("2022010717000001", "valid", 5), ("12345", "malformed", None)]
    assert [f["code"] for f in data[0]["findings"]] == ["ccc_withdrawn"]
    assert {"code", "severity", "message", "basis"} <= set(data[0]["findings"][0])
    assert data[1]["findings"] == []


def test_all_valid_is_exit_0_and_a_missing_register_is_exit_2(tmp_path, capsys):
    register = tmp_path / "reg.csv"
    register.write_text(REGISTER_CSV, encoding="utf-8")
    assert main(["ccc", "check", "2022010717000001", "--registry", str(register), "--date", "2024-06-01"]) == 0
    assert "有效" in capsys.readouterr().out
    assert main(["ccc", "check", "2022010717000001", "--registry", str(tmp_path / "none.csv")]) == 2


def test_values_from_the_register_cannot_drive_the_terminal(tmp_path, capsys):
    register = tmp_path / "reg.csv"
    register.write_text("证书编号,证书状态,委托人\n2020010201234567,有效,坏\x1b[2J人\n", encoding="utf-8")
    main(["ccc", "check", "2020010201234567", "--registry", str(register), "--maker", "别人", "--date", "2024-01-01"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b" in out


def test_import_reports_columns_statuses_and_bad_rows(tmp_path, capsys):
    register = tmp_path / "reg.csv"
    register.write_text(REGISTER_CSV + "2023010201000009,作废\n", encoding="utf-8")
    code = main(["ccc", "import", str(register), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["certificates"] == 3 and data["by_status"] == {"valid": 2, "withdrawn": 1}
    assert data["problems"] == [{"row": 6, "field": "status", "message": "unknown status '作废'"}]
