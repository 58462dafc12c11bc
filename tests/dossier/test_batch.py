"""The main job on a tiny casebook with every awkward case: real kernels, real Chromium, real PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casebook.browser import launch_browser
from tests.support.browser import assert_html_safe
from tests.support.dossier_book import HOSTILE
from tests.support.outputs import assert_inside, assert_pdf_contains

pytestmark = pytest.mark.slow


def _report(out: Path) -> dict:
    return json.loads((out / "batch-report.json").read_text(encoding="utf-8"))


def _by_id(out: Path) -> dict:
    return {r["case_id"]: r for r in _report(out)["results"]}


def test_batch_goes_on_past_failures_and_exits_1(batch_run):
    proc, out = batch_run
    assert proc.returncode == 1, proc.stderr
    results = _by_id(out)
    for case_id in ("ZK-T-TAMPER", "ZK-T-CLEAN", "ZK-T-HOSTILE"):
        # evidence that does not verify and an unreadable photo: rendered, but never "ok"
        assert results[case_id]["status"] == ("degraded" if case_id == "ZK-T-TAMPER" else "ok"), results[case_id]
        for name in ("dossier.ipynb", "dossier.html", "dossier.pdf", "summary.json"):
            assert (out / case_id / name).is_file(), (case_id, name)
    assert results["ZK-T-BROKEN"]["status"] == "failed"
    assert "case.yml" in results["ZK-T-BROKEN"]["error"]["message"]
    assert results["../../etc"]["status"] == "failed"
    assert results["../../etc"]["error"]["type"] == "UnsafePathError"
    report = _report(out)
    assert report["failed"] == 2 and report["degraded"] == 1 and report["ok"] == 2
    assert {f["case_id"] for f in report["failures"]} == {"ZK-T-BROKEN", "../../etc", "ZK-T-TAMPER"}


def test_nothing_written_outside_the_output_folder(batch_run, tiny_book):
    _, out = batch_run
    assert_inside(out, out.rglob("*"))
    assert not (out.parent / "etc").exists() and not (out.parent.parent / "etc").exists()
    # the case folders are inputs: the dossier wrote nothing into them
    assert not list(tiny_book.rglob("dossier*")) and not list(tiny_book.rglob("summary.json"))


def test_summary_json_shape(batch_run):
    _, out = batch_run
    summary = json.loads((out / "ZK-T-TAMPER" / "summary.json").read_text(encoding="utf-8"))
    for key in ("case_id", "case_no", "title", "status", "findings_by_code", "integrity", "setting",
                "in_hotspot", "input_hash", "outputs", "sections"):
        assert key in summary, key
    assert summary["status"] == "degraded" and summary["integrity"] == "tampered"
    assert any("does not match its sealed manifest" in p for p in summary["problems"])
    assert summary["outputs"]["pdf"] == "dossier.pdf"
    clean = json.loads((out / "ZK-T-CLEAN" / "summary.json").read_text(encoding="utf-8"))
    assert clean["integrity"] == "verified"
    assert clean["custody"] == "verified"


def test_tampered_item_shows_red_with_what_changed(batch_run):
    _, out = batch_run
    html = (out / "ZK-T-TAMPER" / "dossier.html").read_text(encoding="utf-8")
    assert 'class="cb-bad"' in html
    assert "已修改" in html  # the evidence list's status for a changed item
    assert "content" in html  # the what-changed table names the kind of change


def test_no_evidence_no_labels_case_says_so(batch_run):
    _, out = batch_run
    html = (out / "ZK-T-HOSTILE" / "dossier.html").read_text(encoding="utf-8")
    assert "本案没有电子数据文件" in html and "本案没有标签照片" in html
    summary = json.loads((out / "ZK-T-HOSTILE" / "summary.json").read_text(encoding="utf-8"))
    assert summary["sections"]["labels"] == "ok" and summary["labels"] == 0


def test_corrupt_photo_shows_its_error(batch_run):
    _, out = batch_run
    summary = json.loads((out / "ZK-T-TAMPER" / "summary.json").read_text(encoding="utf-8"))
    assert summary["sections"]["labels"] == "ok"  # one bad photo is shown in place, not a broken section
    html = (out / "ZK-T-TAMPER" / "dossier.html").read_text(encoding="utf-8")
    assert "broken_photo.jpg" in html and "cb-error" in html
    assert summary["label_errors"] == 1 and summary["labels"] == 2


def test_the_batch_computes_the_hot_spots_once_and_every_dossier_uses_them(batch_run):
    from geo.result_io import load_hotspots

    _, out = batch_run
    result = load_hotspots(out / "hotspots")
    for case_id in ("ZK-T-TAMPER", "ZK-T-CLEAN", "ZK-T-HOSTILE"):
        nb = json.loads((out / case_id / "dossier.ipynb").read_text(encoding="utf-8"))
        injected = "".join(next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
                           ["source"])
        assert f"'hotspots': {str(out / 'hotspots')!r}" in injected
    summary = json.loads((out / "ZK-T-CLEAN" / "summary.json").read_text(encoding="utf-8"))
    assert summary["setting"] in set(result.cases.setting)


def test_the_batch_links_the_casebook_once_and_hands_each_dossier_its_view(batch_run):
    _, out = batch_run
    for case_id in ("ZK-T-TAMPER", "ZK-T-CLEAN", "ZK-T-HOSTILE"):
        view = json.loads((out / "links" / f"{case_id}.json").read_text(encoding="utf-8"))
        assert view["case_id"] == case_id and view["cases_in_casebook"] >= 3
        nb = json.loads((out / case_id / "dossier.ipynb").read_text(encoding="utf-8"))
        injected = "".join(next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
                           ["source"])
        assert f"'links': {str(out / 'links')!r}" in injected
        summary = json.loads((out / case_id / "summary.json").read_text(encoding="utf-8"))
        assert summary["sections"]["linked"] == "ok"


def test_errors_have_one_shape(batch_run):
    _, out = batch_run
    shape = {"type", "message", "hint", "path", "row", "field"}
    for failure in _report(out)["failures"]:
        assert set(failure["error"]) == shape, failure


def test_hostile_case_data_is_text_in_dossier_and_index(batch_run):
    _, out = batch_run
    with launch_browser() as browser:
        dossier = assert_html_safe(out / "ZK-T-HOSTILE" / "dossier.html", browser=browser,
                                   expect_text=[HOSTILE["title"], HOSTILE["case_no"], "{{ config }} ${7*7}"])
        assert "<img src=x onerror=" in dossier.text
        index = assert_html_safe(out / "index.html", browser=browser, expect_text=[HOSTILE["title"]])
        assert "ZK-T-CLEAN" in index.text
        for case_id in ("ZK-T-TAMPER", "ZK-T-CLEAN"):
            assert_html_safe(out / case_id / "dossier.html", browser=browser)


def test_pdf_has_title_and_evidence_table_in_chinese(batch_run, tiny_book):
    from casebook.case import load_case

    _, out = batch_run
    case = load_case(tiny_book / "ZK-T-CLEAN")
    text = assert_pdf_contains(out / "ZK-T-CLEAN" / "dossier.pdf",
                               [case.title, case.case_no, "证据清单", "SHA-256", "SM3", "提取时间"])
    first_file = sorted((tiny_book / "ZK-T-CLEAN" / "evidence").iterdir())[0].name
    assert "".join(first_file.split()) in "".join(text.split())
    with open(out / "ZK-T-CLEAN" / "dossier.pdf", "rb") as handle:
        head = handle.read(2048)
    assert head.startswith(b"%PDF")
    import subprocess

    info = subprocess.run(["pdfinfo", str(out / "ZK-T-CLEAN" / "dossier.pdf")], capture_output=True, text=True)
    assert "(A4)" in info.stdout, info.stdout
