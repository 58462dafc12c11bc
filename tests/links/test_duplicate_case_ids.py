"""A case id given on two rows of a case table is reported with its file and rows wherever cases are read.

Entry points: linking (``casebook link``), leads matched to cases (``casebook leads show --casebook``),
the dossier batch, and the hot-spot brief; all ask :func:`safeio.duplicate_ids.find_duplicate_ids`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeio.duplicate_ids import find_duplicate_ids

DUP = "ZK-2024-003"


def _with_duplicate(book: Path) -> tuple[int, int]:
    """Append a second row for DUP to cases.csv; the file rows (header = row 1) of both."""
    table = book / "cases.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(n for n, line in enumerate(lines, start=1) if line.startswith(DUP + ","))
    table.write_text("".join(lines) + lines[first - 1], encoding="utf-8")
    return first, len(lines) + 1


@given(st.lists(st.sampled_from(["A", "B", " B", "C ", "", None, "D"]), max_size=30))
def test_duplicates_are_every_id_on_more_than_one_row_with_those_rows_first_seen_first(ids):
    found = find_duplicate_ids(ids)
    expected: dict[str, list[int]] = {}
    for row, value in enumerate(ids, start=1):
        if value is not None and value.strip():
            expected.setdefault(value.strip(), []).append(row)
    assert [(d.value, list(d.rows)) for d in found] == [(k, v) for k, v in expected.items() if len(v) > 1]
    assert bool(found) == any(len(v) > 1 for v in expected.values())


@pytest.mark.slow
def test_link_reports_a_case_id_on_two_rows_of_cases_csv(sample_copy, tmp_path, cli):
    first, second = _with_duplicate(sample_copy)
    code, _, err = cli("link", sample_copy, "--out", tmp_path / "chains", "--no-ocr")
    assert code == 1
    assert f"{DUP} is on 2 rows of cases.csv (rows {first}, {second})" in err
    problems = json.loads((tmp_path / "chains" / "links.json").read_text(encoding="utf-8"))["problems"]
    dup = [p for p in problems if p["code"] == "duplicate_case_id"]
    assert len(dup) == 1 and dup[0]["case"] == DUP and dup[0]["row"] == second
    assert dup[0]["path"].endswith("cases.csv")


@pytest.mark.slow
def test_leads_matching_reports_it_and_counts_the_case_once(sample_copy, cli):
    first, second = _with_duplicate(sample_copy)
    code, out, err = cli("leads", "show", sample_copy, "--casebook", sample_copy, "--json")
    assert code == 1
    data = json.loads(out)
    assert [(p["case_id"], p["row"]) for p in data["problems"]] == [(DUP, second)]
    assert f"rows {first}, {second}" in data["problems"][0]["message"]
    code, _, err = cli("leads", "show", sample_copy, "--casebook", sample_copy)
    assert code == 1 and f"{DUP} is on 2 rows of cases.csv (rows {first}, {second})" in err


@pytest.mark.slow
def test_the_dossier_batch_reports_it_in_its_report_and_on_stderr(sample_book, tmp_path, cli):
    book = tmp_path / "book"
    book.mkdir()
    shutil.copytree(sample_book / DUP, book / DUP)
    (book / DUP / "case.yml").write_text("case_id: [unclosed\n", encoding="utf-8")  # fails fast, no kernel
    lines = (sample_book / "cases.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(line for line in lines if line.startswith(DUP + ","))
    (book / "cases.csv").write_text(lines[0] + row + row, encoding="utf-8")
    code, _, err = cli("dossier", "batch", book, "--out", tmp_path / "out", "--workers", "1", "--quiet")
    assert code == 1
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    assert report["cases"] == 1  # one folder, one dossier attempt
    assert [(p["case_id"], p["row"]) for p in report["problems"]] == [(DUP, 3)]
    assert f"PROBLEM {book / 'cases.csv'}: case id {DUP} is on 2 rows of cases.csv (rows 2, 3)" in err


@pytest.mark.slow
def test_the_brief_shows_the_duplicate_with_its_rows(sample_copy):
    import geo
    from casebook import hotspot_display as display

    first, second = _with_duplicate(sample_copy)
    result = geo.find_hotspots(geo.filter_cases(sample_copy / "cases.csv"), sample_copy / "baseline.csv")
    assert result.summary["duplicate_case_ids"] == [{"case_id": DUP, "rows": [first, second]}]
    assert any(f"{DUP} in rows {first}, {second}" in w for w in result.summary["warnings"])
    shown = display.show_duplicate_ids(result, "zh").to_html()
    assert "案件编号" in shown and DUP in shown and f"{first}, {second}" in shown
