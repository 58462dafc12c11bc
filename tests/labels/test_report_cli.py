"""The dossier-ready reports and the CLI contract (JSON shapes, input order, exit codes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from evidence.labels.label_report import read_label, read_labels

# the installed console script: 'python -m casebook.cli' would run a second copy of casebook.cli as
# __main__, whose exit-code register the commands do not see
CASEBOOK = [str(Path(sys.executable).with_name("casebook"))]


def run(*args, stdin: bytes | None = None):
    return subprocess.run([*CASEBOOK, *args], input=stdin, capture_output=True, timeout=300)


@pytest.mark.slow
def test_read_labels_gives_thumbnail_tables_and_findings(rendered_labels):
    path, truth = rendered_labels[0]  # a copycat brand
    [report] = read_labels([path])
    assert report.error is None
    assert report.thumbnail_png.startswith(b"\x89PNG") and len(report.thumbnail_png) < 200_000
    table = report.fields_table()
    assert list(table.columns) == ["field", "value"] and "product_name" in set(table["field"])
    assert sorted(f.code for f in report.findings) == sorted(truth["problems"])  # exact: no extra accusation
    findings = report.findings_table()
    assert isinstance(findings, pd.DataFrame)
    assert list(findings.columns)[:5] == ["code", "severity", "basis", "evidence", "values"]  # data: words at the edge
    assert report.lookalikes and report.lookalikes[0]["brand"] == truth["genuine_brand"]
    # `labels read` prints no thumbnail and makes none: everything else is the same
    bare = read_label(path, thumbnail=False)
    assert bare.thumbnail_png is None and bare.to_dict() == report.to_dict()


@pytest.mark.slow
def test_labels_read_json_in_input_order_with_exit_1_for_a_bad_photo(rendered_labels, tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really")
    good = rendered_labels[2][0]
    done = run("labels", "read", str(broken), str(good), "--json", "--complete")  # the drawn label is whole
    assert done.returncode == 1, done.stderr
    items = json.loads(done.stdout)
    assert [i["image"] for i in items] == [str(broken), str(good)]
    assert items[0]["error"]["message"] and "fields" in items[0]
    assert set(items[1]) >= {"image", "engine", "text", "lines", "fields", "findings"}
    assert items[1]["engine"] == "rapidocr" and "error" not in items[1]
    assert {"text", "box", "confidence", "block"} == set(items[1]["lines"][0])
    assert [f["code"] for f in items[1]["findings"]] == ["missing_ccc"]


def test_labels_check_from_stdin_and_gbk_file(tmp_path):
    text = "食品名称：雷碧柠檬味汽水\n生产商：周口市鑫源食品厂\n6901234567893\n"
    done = run("labels", "check", "-", "--json", stdin=text.encode())
    assert done.returncode == 0, done.stderr
    [item] = json.loads(done.stdout)
    assert item["engine"] is None and item["fields"]["product_name"] == "雷碧柠檬味汽水"
    assert sorted(f["code"] for f in item["findings"]) == [
        "bad_barcode_checksum", "brand_lookalike", "missing_address", "missing_license_no", "missing_net_content",
        "missing_phone", "missing_production_date", "missing_shelf_life", "missing_standards"]
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes("食品名称：雷碧柠檬味汽水\n".encode() + "生产商：周口市鑫源食品厂\n".encode("gbk"))
    done = run("labels", "check", str(mixed), "--json")
    assert json.loads(done.stdout)[0]["fields"]["manufacturer"] == "周口市鑫源食品厂"


def test_labels_check_refuses_binary_and_missing_files(tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02")
    assert run("labels", "check", str(binary)).returncode == 2
    assert run("labels", "check", str(tmp_path / "none.txt")).returncode == 2
    assert run("labels", "read").returncode == 2  # no image: bad usage
    assert run("labels", "read", "x.jpg", "--engine", "nope").returncode == 2


def test_brands_match_json():
    done = run("brands", "match", "康帅傅", "三元", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [d["name"] for d in data] == ["康帅傅", "三元"]
    assert data[0]["genuine"] is None and data[0]["lookalikes"][0]["brand"] == "康师傅"
    assert data[1] == {"name": "三元", "genuine": "三元", "lookalikes": []}
