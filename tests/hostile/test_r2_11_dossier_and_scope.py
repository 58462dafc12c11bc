"""Round 2, row 11: a dossier of evidence that does not verify is not ``ok``; loopback captures are marked.

Before: ``dossier run`` exited 0 with status ``ok`` when the evidence did not verify and photos were
unreadable (the README promises 1), and a capture of a loopback or private address did not say so.
"""

from __future__ import annotations

import json

import pytest

from evidence.web.capture_record import address_scope


@pytest.mark.slow  # renders a dossier in a real kernel
def test_dossier_run_exits_1_and_says_why_when_evidence_does_not_verify(case, tmp_path, cli):
    from casebook.sealing import seal_case

    seal_case(case)
    evidence = sorted(p for p in (case / "evidence").iterdir() if p.is_file())[0]
    evidence.write_bytes(evidence.read_bytes() + b" changed after sealing")
    (case / "labels" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a photo at all")
    code, _, err = cli("dossier", "run", case, "--out", tmp_path / "out")
    summary = json.loads(next((tmp_path / "out").rglob("summary.json")).read_text(encoding="utf-8"))
    assert code == 1 and summary["status"] != "ok"
    assert "DOES NOT VERIFY" in err and "does not match its sealed manifest" in err
    assert any("label photo(s) could not be read" in p for p in summary["problems"])


@pytest.mark.parametrize(("url", "ips", "scope"), [
    ("http://127.0.0.1:8080/", ["127.0.0.1"], "loopback"),
    ("http://localhost/", [], "loopback"),
    ("http://[::1]/", ["::1"], "loopback"),
    ("http://shop.example/", ["192.168.1.20"], "private"),
    ("http://shop.example/", ["10.0.0.8", "203.0.113.9"], "private"),
    ("http://169.254.169.254/latest/", ["169.254.169.254"], "link_local"),
    ("https://shop.example/", ["8.8.8.8"], "public"),
])
def test_the_record_says_where_the_page_came_from(url, ips, scope):
    assert address_scope(url, ips)["scope"] == scope
