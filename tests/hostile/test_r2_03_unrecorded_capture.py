"""Round 2, row 3: what custody never recorded is never sealed, and never verifies.

Before: a capture whose custody event was too long (a page that navigated to a 1.2 MB address)
exited 2 but left a complete folder under its final name; the next capture re-sealed the case with
it, the case verified, and the dossier said "与封存清单不一致：" with nothing after it, status ``ok``.
"""

from __future__ import annotations

import json

import pytest

from casebook.sealing import check_case, seal_case, seal_tree
from casebook.webcapture.capture_custody import bounded_text
from evidence.integrity.custody import MAX_LINE_BYTES, CustodyLog
from safeio.errors import IntegrityError
from tests.hostile.r2_captures import hand_made_capture


def test_a_seal_refuses_a_capture_folder_custody_never_recorded_and_names_it(case):
    seal_case(case)
    sealed, log = (case / "manifest.json").read_bytes(), (case / "custody.jsonl").read_bytes()
    folder = hand_made_capture(case)
    with pytest.raises(IntegrityError, match=folder.name) as caught:
        seal_case(case, reseal=True)
    assert "no 'captured' event" in caught.value.message
    assert (case / "manifest.json").read_bytes() == sealed and (case / "custody.jsonl").read_bytes() == log


def test_a_case_sealed_over_such_a_folder_does_not_verify(case, cli):
    folder = hand_made_capture(case)
    # as the old code did: a seal that took the folder in
    seal_tree(case, case / "manifest.json", custody_path=case / "custody.jsonl", case_id=case.name,
              include=("evidence", "labels"))
    code, out, _ = cli("evidence", "verify", case / "manifest.json", "--json")
    data = json.loads(out)
    assert code == 1 and not data["ok"]
    assert [item["path"] for item in data["unrecorded_captures"]] == [f"evidence/web/{folder.name}"]
    assert not check_case(case).ok and any(folder.name in e for e in check_case(case).errors)


def test_the_dossier_names_what_custody_lacks(case):
    from casebook.dossier_checks import evidence_problems
    from casebook.webcapture.capture_listing import captured_pages, captured_pages_html

    folder = hand_made_capture(case)
    page = captured_pages(case)[0]
    assert not page.verified and page.problem and "custody" in page.problem
    html = captured_pages_html(case)
    assert "与封存清单不一致：" in html and "与封存清单不一致：<" not in html
    problems = evidence_problems(case, {"integrity": "verified"})
    assert any(folder.name in p and "no 'captured' event" in p for p in problems)


def test_a_megabyte_address_fits_the_custody_event_cut_and_hashed(case):
    url = "https://shop.example/?" + "q" * (1_200_000)
    kept, digest = bounded_text(url)
    assert len(kept) < 5000 and digest and len(digest) == 64
    log = CustodyLog(case / "custody.jsonl")
    event = log.append("王敏", "captured", [{"path": "evidence/web/x", "url": kept, "url_sha256": digest}])
    assert len(json.dumps(event, ensure_ascii=False).encode("utf-8")) < MAX_LINE_BYTES and log.verify().ok
