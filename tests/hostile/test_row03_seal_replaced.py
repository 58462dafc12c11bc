"""Row 3: a manifest rebuilt after the evidence changed and written over the sealed one is caught.

Before: ``evidence verify`` said "OK, all content matches" (the new manifest agrees with the
changed tree), although the custody log still held the old root; and running ``evidence hash``
again even recorded the replaced manifest as sealed.
"""

from __future__ import annotations

import json

import pytest

from casebook.sealing import check_case, seal_case
from evidence.integrity.custody import CustodyLog
from evidence.integrity.manifest import build_manifest, load_manifest, verify_manifest, write_manifest
from safeio.errors import IntegrityError
from tests.support.tsa import local_tsa


def _replace_evidence_and_manifest(case):
    """What the review did: change a file, build a fresh manifest, write it over manifest.json."""
    victim = sorted(p for p in (case / "evidence").rglob("*") if p.is_file())[0]
    victim.write_bytes(victim.read_bytes() + b" changed after sealing")
    forged = build_manifest(case, case_id=case.name, include=["evidence", "labels"])
    write_manifest(forged, case / "manifest.json")
    return forged


def test_verify_reports_seal_replaced_with_both_roots(case, cli):
    sealed = seal_case(case).manifest.merkle_root
    forged = _replace_evidence_and_manifest(case)
    code, text, _ = cli("evidence", "verify", str(case / "manifest.json"), "--json")
    report = json.loads(text)
    assert code == 1 and not report["ok"]
    assert report["content_ok"]  # the forged manifest does agree with the changed tree...
    seal = report["seal"]  # ... but not with the custody log
    assert seal["status"] == "seal_replaced"
    assert (seal["sealed_root"], seal["manifest_root"]) == (sealed, forged.merkle_root)
    code, text, _ = cli("evidence", "verify", str(case))
    assert code == 1 and "DOES NOT VERIFY" in text and "SEAL_REPLACED" in text
    assert sealed in text and forged.merkle_root in text
    assert not check_case(case).ok and check_case(case).errors[0].startswith("seal_replaced")


def test_sealing_again_does_not_launder_the_replaced_manifest(case, cli):
    seal_case(case)
    _replace_evidence_and_manifest(case)
    log = (case / "custody.jsonl").read_bytes()
    with pytest.raises(IntegrityError, match="seal_replaced"):
        seal_case(case)
    code, _, err = cli("evidence", "hash", str(case))
    assert code == 1 and "seal_replaced" in err and "--reseal" in err
    assert (case / "custody.jsonl").read_bytes() == log  # nothing recorded


def test_reseal_is_the_way_and_it_is_recorded(case, cli):
    first = seal_case(case).manifest.merkle_root
    _replace_evidence_and_manifest(case)
    code, text, err = cli("evidence", "hash", str(case), "--reseal", "--json")
    assert code == 0, err
    result = json.loads(text)
    event = result["event"]
    assert event["action"] == "hashed" and event["objects"][0]["previous_merkle_root"] == first
    assert "not the one the log sealed last" in event["note"]
    assert result["archived"] and load_manifest(result["archived"]).merkle_root != first  # the forged one, kept
    code, text, _ = cli("evidence", "verify", str(case), "--json")
    assert code == 0 and json.loads(text)["seal"]["status"] == "sealed"


def test_an_earlier_manifest_put_back_is_also_a_replaced_seal(case):
    first = seal_case(case)
    original = (case / "manifest.json").read_bytes()
    victim = sorted(p for p in (case / "evidence").rglob("*") if p.is_file())[0]
    kept = victim.read_bytes()
    victim.write_bytes(kept + b" new evidence")
    seal_case(case, reseal=True)
    victim.write_bytes(kept)  # the content as first sealed, and the first manifest put back
    (case / "manifest.json").write_bytes(original)
    report = verify_manifest(load_manifest(case / "manifest.json"))
    assert report.content_ok and not report.ok
    assert report.seal["status"] == "seal_replaced" and report.seal["manifest_root"] == first.manifest.merkle_root
    assert "event 1, which event 2 superseded" in report.seal["reason"]


def test_a_deleted_manifest_is_not_resealed_silently(case, cli):
    seal_case(case)
    (case / "manifest.json").unlink()
    with pytest.raises(IntegrityError, match="the manifest is gone"):
        seal_case(case)
    assert seal_case(case, reseal=True).event["objects"][0]["previous_merkle_root"]


def test_a_deleted_custody_log_means_the_seal_cannot_be_confirmed(case, cli):
    seal_case(case)
    (case / "custody.jsonl").unlink()
    code, text, _ = cli("evidence", "verify", str(case), "--json")
    assert code == 1 and json.loads(text)["seal"]["status"] == "no_custody_log"


def test_a_plain_tree_manifest_is_not_replaced_without_reseal(tmp_path, cli):
    tree = tmp_path / "disk"
    tree.mkdir()
    (tree / "a.txt").write_text("100 元")
    out = tmp_path / "m.json"
    assert cli("evidence", "hash", str(tree), "--out", str(out))[0] == 0
    assert cli("evidence", "hash", str(tree), "--out", str(out))[0] == 0  # unchanged: nothing new
    assert CustodyLog(tmp_path / "custody.jsonl").verify().n_events == 1
    (tree / "a.txt").write_text("900 元")
    code, _, err = cli("evidence", "hash", str(tree), "--out", str(out))
    assert code == 1 and "changed since it was sealed" in err
    assert cli("evidence", "hash", str(tree), "--out", str(out), "--reseal")[0] == 0
    assert CustodyLog(tmp_path / "custody.jsonl").verify().n_events == 2
    assert cli("evidence", "verify", str(out), "--root", str(tree))[0] == 0


def test_a_timestamp_token_for_another_root_is_a_replaced_seal(case, tmp_path, cli):
    (tmp_path / "pki").mkdir()
    with local_tsa(tmp_path / "pki", "ec") as tsa:
        seal_case(case, tsa_url=tsa["url"])
        token = (case / "manifest.json.tsr").read_bytes()
        # a second case's token put beside this manifest
        other = tmp_path / "other"
        other.mkdir()
        (other / "x.txt").write_text("x")
        code, _, err = cli("evidence", "hash", str(other), "--out", str(tmp_path / "o.json"), "--tsa", tsa["url"])
        assert code == 0, err
    (case / "manifest.json.tsr").write_bytes((tmp_path / "o.json.tsr").read_bytes())
    code, text, _ = cli("evidence", "verify", str(case), "--json")
    seal = json.loads(text)["seal"]
    assert code == 1 and seal["status"] == "seal_replaced" and seal["timestamp"]["status"] == "other_root"
    (case / "manifest.json.tsr").write_bytes(token)
    code, text, _ = cli("evidence", "verify", str(case), "--json")
    assert code == 0 and json.loads(text)["seal"]["timestamp"]["status"] == "matches"
    (case / "manifest.json.tsr").unlink()
    code, text, _ = cli("evidence", "verify", str(case), "--json")
    assert code == 0 and json.loads(text)["seal"]["timestamp"]["status"] == "missing"


def test_a_seal_of_another_manifest_json_in_the_same_log_is_not_this_ones(case):
    """A web capture seals evidence/web/<page>/manifest.json in the case's log: the case seal stays its own."""
    from casebook.sealing import seal_tree

    sealed = seal_case(case).manifest.merkle_root
    page = case / "evidence" / "web" / "page-1"
    page.mkdir(parents=True)
    (page / "page.html").write_text("<p>店铺页面</p>", encoding="utf-8")
    capture = seal_tree(page, page / "manifest.json", custody_path=case / "custody.jsonl")
    assert capture.event["objects"][0]["manifest"] == "evidence/web/page-1/manifest.json"
    case_seal = verify_manifest(load_manifest(case / "manifest.json")).seal
    assert case_seal["sealed_root"] == sealed and case_seal["event_seq"] == 1
    page_seal = verify_manifest(load_manifest(page / "manifest.json")).seal  # the case's log, found by default
    assert page_seal["status"] == "sealed" and page_seal["event_seq"] == 2 and page_seal["log"] == str(
        case / "custody.jsonl")
