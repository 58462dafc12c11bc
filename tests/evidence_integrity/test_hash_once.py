"""Overlapping trees checked in one pass read each file once (a dossier checks the case and each capture in it)."""

from __future__ import annotations

from evidence.integrity.manifest import build_manifest
from evidence.integrity.tree_hashing import DigestMemo
from evidence.integrity.verify import verify_manifest


def _tree(root):
    capture = root / "evidence" / "web" / "20240101T000000Z-shop.example"
    capture.mkdir(parents=True)
    for name in ("page.html", "screenshot.png", "response.json"):
        (capture / name).write_bytes(name.encode() * 1000)
    (root / "evidence" / "ledger.csv").write_text("date,item\n2024-01-01,x\n", encoding="utf-8")
    return capture


def test_a_capture_checked_first_is_not_read_again_by_the_case_check(tmp_path):
    capture = _tree(tmp_path)
    inner, outer = build_manifest(capture), build_manifest(tmp_path)
    memo = DigestMemo()
    assert verify_manifest(inner, capture, custody=None, memo=memo).ok is not None
    assert (memo.hashed, memo.reused) == (3, 0)
    report = verify_manifest(outer, tmp_path, custody=None, memo=memo)
    assert (memo.hashed, memo.reused) == (4, 3)  # only the ledger is read; the three capture files are known
    assert not report.modified and not report.missing
    alone = verify_manifest(outer, tmp_path, custody=None)
    assert alone.matched == report.matched


def test_a_file_changed_between_the_checks_is_read_again_and_reported(tmp_path):
    capture = _tree(tmp_path)
    inner, outer = build_manifest(capture), build_manifest(tmp_path)
    memo = DigestMemo()
    verify_manifest(inner, capture, custody=None, memo=memo)
    (capture / "page.html").write_bytes(b"<html>replaced</html>")
    report = verify_manifest(outer, tmp_path, custody=None, memo=memo)
    assert memo.hashed == 5  # the changed page and the ledger
    assert [item["path"] for item in report.modified] == ["evidence/web/20240101T000000Z-shop.example/page.html"]
