"""Row 7: 100,000 nested ``[`` in a manifest or a custody line, and oversized inputs, give a clear error, exit 2.

Before: a ``RecursionError`` traceback.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook.case import scan_casebook
from casebook.sealing import seal_case
from evidence.integrity.custody import CustodyLog
from evidence.integrity.manifest import load_manifest
from safeio.errors import InputError

CASEBOOK = str(Path(sys.executable).with_name("casebook"))
DEEP = "[" * 100_000


def _cli_binary(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CASEBOOK, *args], capture_output=True, text=True, timeout=120)


def test_a_deeply_nested_manifest_is_unusable_input(tmp_path, cli):
    path = tmp_path / "manifest.json"
    path.write_text(DEEP, encoding="utf-8")
    with pytest.raises(InputError, match="nests 100000 levels deep"):
        load_manifest(path)
    code, _, err = cli("evidence", "verify", str(path))
    assert code == 2 and "nests 100000 levels deep" in err and str(path) in err
    proc = _cli_binary("evidence", "verify", str(path), "--json")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr


def test_deep_nesting_inside_a_valid_looking_manifest(tmp_path, cli):
    path = tmp_path / "manifest.json"
    path.write_text('{"format": "casebook-manifest/1", "entries": ' + DEEP + "]" * 100_000 + "}", encoding="utf-8")
    code, _, err = cli("evidence", "verify", str(path))
    assert code == 2 and "levels deep" in err


def test_a_deeply_nested_custody_line_is_unusable_input(case, cli):
    seal_case(case)
    log = case / "custody.jsonl"
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(DEEP + "\n")
    report = CustodyLog(log).verify()
    assert not report.ok and report.refused and report.first_bad_line == 2 and "nests deeper" in report.reason
    code, text, _ = cli("evidence", "custody", "verify", str(log))
    assert code == 2 and "line 2" in text
    code, _, err = cli("evidence", "custody", "show", str(log), "--json")
    assert code == 2 and "line 2" in err
    code, _, _ = cli("evidence", "verify", str(case))
    assert code == 2
    proc = _cli_binary("evidence", "custody", "verify", str(log), "--json")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    # the dossier's table still shows the line as broken rather than failing
    table = CustodyLog(log).table()
    assert table["chain"].tolist() == ["ok", "broken"] and "nests deeper" in table["problem"].iloc[1]


def test_an_overlong_custody_line_is_unusable_input(case, cli):
    seal_case(case)
    log = case / "custody.jsonl"
    with open(log, "a", encoding="utf-8") as handle:
        handle.write('{"x": "' + "a" * (2 << 20) + '"}\n')
    report = CustodyLog(log).verify()
    assert report.refused and "longer than" in report.reason


def test_deep_custody_objects_are_refused_on_append(tmp_path):
    nested: list = []
    for _ in range(200):
        nested = [nested]
    with pytest.raises(InputError, match="nests"):
        CustodyLog(tmp_path / "custody.jsonl").append("李四", "transferred", [{"deep": nested}])
    assert not (tmp_path / "custody.jsonl").exists()


@pytest.mark.parametrize(("name", "limit", "words"), [
    ("manifest.json", 1 << 30, "larger than the 1 GiB"),
    ("custody.jsonl", 64 << 20, "larger than the 64 MiB"),
])
def test_oversized_case_files_are_refused_unread(case, cli, name, limit, words):
    seal_case(case)
    with open(case / name, "ab") as handle:
        handle.truncate(limit + 1)  # sparse: instant to make, minutes to read
    started = time.process_time()  # CPU time: other jobs on a shared machine do not count
    code, _, err = cli("evidence", "verify", str(case))
    assert code == 2 and words in err and name in err
    assert time.process_time() - started < 5


def test_a_cases_csv_with_a_huge_line_names_the_row(book):
    table = book / "cases.csv"
    with open(table, "a", encoding="utf-8") as handle:
        handle.write("x" * (2 << 20) + "\n")
    with pytest.raises(InputError, match="longer than") as err:
        scan_casebook(book)
    assert err.value.path.endswith("cases.csv") and err.value.row == len(table.read_text().splitlines())


def test_a_cases_csv_with_an_oversized_field_is_a_clear_error(book):
    table = book / "cases.csv"
    with open(table, "a", encoding="utf-8") as handle:
        handle.write('"' + "y" * 200_000 + "\n" + "z" * 200_000 + '"\n')
    with pytest.raises(InputError, match="cannot be read as a table") as err:
        scan_casebook(book)
    assert err.value.path.endswith("cases.csv")
