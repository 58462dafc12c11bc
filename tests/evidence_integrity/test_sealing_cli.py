"""Case sealing (idempotent, never launders a change), case checks for the dossier, and the CLI contract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from casebook.sealing import check_case, seal_case
from evidence.integrity.custody import CustodyLog
from evidence.integrity.manifest import build_manifest, load_manifest, write_manifest
from evidence.testing import assert_custody_ok, assert_manifest_verifies, assert_tree_untouched, snapshot_tree
from safeio.errors import IntegrityError
from tests.support.tools import VENV_BIN, once_while_hashing, run, write


@pytest.fixture(scope="module")
def small_book(tmp_path_factory) -> Path:
    from casebook.sample.sample_casebook import write_sample

    root = tmp_path_factory.mktemp("book") / "book"
    write_sample(root, n_cases=3, seed=7)
    return root


@pytest.fixture
def case(small_book, tmp_path) -> Path:
    first = sorted(p.parent for p in small_book.glob("*/case.yml"))[0]
    target = tmp_path / first.name
    shutil.copytree(first, target)
    return target


def originals(case: Path) -> dict:
    return {name: snapshot_tree(case / name) for name in ("evidence", "labels") if (case / name).is_dir()}


def test_seal_hashes_originals_and_records_custody(case):
    before = originals(case)
    result = seal_case(case, actor="王五")
    assert result.created and result.manifest_path == case / "manifest.json"
    paths = {entry.path.split("/")[0] for entry in result.manifest.entries}
    assert paths <= {"evidence", "labels"} and result.manifest.totals["files"] > 0
    assert result.manifest.case_id == case.name and result.manifest.include == ["evidence", "labels"]
    assert_manifest_verifies(case / "manifest.json")
    assert_custody_ok(case / "custody.jsonl", min_events=1, action="hashed")
    (event,) = CustodyLog(case / "custody.jsonl").events()
    assert event["actor"] == "王五" and event["objects"][0]["merkle_root"] == result.manifest.merkle_root
    for name, snapshot in before.items():
        assert_tree_untouched(snapshot, case / name)
    assert check_case(case).ok


def test_resealing_an_unchanged_case_changes_nothing(case):
    first = seal_case(case)
    data = (case / "manifest.json").read_bytes()
    again = seal_case(case)
    assert not again.created and again.event is None and again.report.ok
    assert (case / "manifest.json").read_bytes() == data
    assert CustodyLog(case / "custody.jsonl").verify().n_events == 1
    assert again.manifest.merkle_root == first.manifest.merkle_root


def test_a_run_that_crashed_before_the_custody_event_is_finished(case):
    manifest = build_manifest(case, case_id=case.name, include=["evidence", "labels"])
    write_manifest(manifest, case / "manifest.json")  # ... and the process died here
    result = seal_case(case)
    assert not result.created and result.event is not None
    assert result.event["objects"][0]["merkle_root"] == manifest.merkle_root
    assert seal_case(case).event is None


def test_a_changed_case_is_refused_unless_resealed(case):
    first = seal_case(case)
    victim = next(p for p in (case / "evidence").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b" tampered")
    with pytest.raises(IntegrityError, match="changed since it was sealed"):
        seal_case(case)
    integrity = check_case(case)
    assert not integrity.ok and [i["path"] for i in integrity.report.modified] == [
        victim.relative_to(case).as_posix()]
    second = seal_case(case, reseal=True)
    assert second.created and second.archived.parent == case / "manifests"
    assert load_manifest(second.archived).merkle_root == first.manifest.merkle_root
    assert second.event["objects"][0]["previous_merkle_root"] == first.manifest.merkle_root
    assert check_case(case).ok and CustodyLog(case / "custody.jsonl").verify().n_events == 2


def test_check_case_reports_every_failure(case):
    assert not check_case(case).ok and "not been sealed" in check_case(case).errors[0]
    seal_case(case)
    log = case / "custody.jsonl"
    log.write_text(log.read_text(encoding="utf-8").replace("casebook", "someone"), encoding="utf-8")
    broken = check_case(case)
    assert not broken.ok and not broken.custody.ok and broken.report.content_ok
    assert broken.seal["status"] == "custody_broken"
    log.unlink()
    no_log = check_case(case)
    assert not no_log.ok and no_log.errors[0].startswith("no_custody_log:")
    manifest = case / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"sm3"', b'"SM3"', 1))
    refused = check_case(case)
    assert not refused.ok and refused.report is None and json.dumps(refused.to_dict())


def test_every_sample_case_is_sealed(small_book, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(small_book, book)
    cases = sorted(p.parent for p in book.glob("*/case.yml"))
    assert len(cases) == 3
    for folder in cases:
        seal_case(folder)
        assert check_case(folder).ok


# -- the command line ------------------------------------------------------------------------


def test_cli_hash_verify_export_custody_on_a_case(case, tmp_path, cli):
    code, text, err = cli("evidence", "hash", str(case), "--json")
    assert code == 0, err
    summary = json.loads(text)
    assert {"manifest", "custody", "merkle_root", "files", "bytes", "problems", "event", "created"} <= set(summary)
    code, text, _ = cli("evidence", "verify", str(case / "manifest.json"), "--json")
    report = json.loads(text)
    assert code == 0 and report["ok"]
    for name in ("matched", "modified", "missing", "added", "moved", "metadata_changed"):
        assert isinstance(report[name], list)
    assert all("path" in item for item in report["matched"])

    victim = next(p for p in (case / "labels").iterdir() if p.is_file())
    victim.rename(victim.with_name("renamed-" + victim.name))
    code, text, _ = cli("evidence", "verify", str(case), "--json")
    report = json.loads(text)
    assert code == 1 and not report["ok"] and report["moved"][0]["to"].startswith("labels/renamed-")
    code, text, _ = cli("evidence", "verify", str(case))
    assert code == 1 and "DOES NOT VERIFY" in text and "moved" in text

    code, text, err = cli("evidence", "export", str(case / "manifest.json"), "--format", "sha256sum",
                          "--out", str(case / "evidence" / "SUMS"))
    assert code == 2 and "inside the evidence tree" in err
    code, text, err = cli("evidence", "export", str(case / "manifest.json"), "--format", "case-jsonld",
                          "--out", str(tmp_path / "g.jsonld"), "--record", "李四", "--json")
    exported = json.loads(text)
    assert code == 0 and exported["written"] > 0 and exported["event"]["action"] == "exported"
    code, text, _ = cli("evidence", "verify", str(case), "--record", "李四", "--json")
    assert code == 1 and json.loads(text)["event"]["objects"][0]["result"] == "does not verify"

    log = case / "custody.jsonl"
    code, text, _ = cli("evidence", "custody", "append", str(log), "--actor", "李四", "--action", "transferred",
                        "--object", str(case / "manifest.json"), "--object", "封存袋 A-001", "--note", "移交", "--json")
    event = json.loads(text)
    assert code == 0 and event["objects"][0]["merkle_root"] == summary["merkle_root"]
    assert event["objects"][1] == {"name": "封存袋 A-001"}
    code, text, _ = cli("evidence", "custody", "verify", str(log), "--json")
    assert code == 0 and json.loads(text)["n_events"] == 4
    code, text, _ = cli("evidence", "custody", "show", str(log))
    assert code == 0 and "移交" in text and "正常" in text
    log.write_text(log.read_text(encoding="utf-8").replace("李四", "张三"), encoding="utf-8")
    code, text, _ = cli("evidence", "custody", "verify", str(log), "--json")
    assert code == 1 and json.loads(text)["first_bad_line"] == 2  # the first event by 李四 (exported)


def test_cli_refuses_an_edited_manifest_and_bad_usage(case, tmp_path, cli):
    assert cli("evidence", "hash", str(case))[0] == 0
    manifest = case / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"files"', b'"files" ', 1))
    code, text, _ = cli("evidence", "verify", str(manifest), "--json")
    assert code == 1 and json.loads(text)["refused"]
    code, _, err = cli("evidence", "verify", str(manifest))
    assert code == 1 and "edited" in err and str(manifest) in err
    plain = tmp_path / "plain"
    write(plain, b"a.txt", b"x")
    code, _, err = cli("evidence", "hash", str(plain))
    assert code == 2 and "--out" in err
    code, _, err = cli("evidence", "hash", str(plain), "--out", str(tmp_path / "m.json"), "--algorithms", "sha1")
    assert code == 2 and "unknown digest algorithm" in err


def test_missing_sm3_is_reported_up_front_with_a_fix(monkeypatch, tmp_path, cli):
    import hashlib

    real_new = hashlib.new

    def without_sm3(name, *args, **kwargs):  # an OpenSSL built without SM3 (e.g. some FIPS builds)
        if name == "sm3":
            raise ValueError("unsupported hash type sm3")
        return real_new(name, *args, **kwargs)

    monkeypatch.setattr(hashlib, "new", without_sm3)
    write(tmp_path / "t", b"a.txt", b"x")
    code, _, err = cli("evidence", "hash", str(tmp_path / "t"), "--out", str(tmp_path / "m.json"))
    assert code == 2 and "does not provide SM3" in err and "OpenSSL" in err
    assert not (tmp_path / "m.json").exists()


def test_verify_a_manifest_whose_tree_moved(tmp_path, cli):
    write(tmp_path / "t", b"a.txt", b"x")
    assert cli("evidence", "hash", str(tmp_path / "t"), "--out", str(tmp_path / "m.json"))[0] == 0
    (tmp_path / "t").rename(tmp_path / "copy")
    code, _, err = cli("evidence", "verify", str(tmp_path / "m.json"))
    assert code == 2 and "--root" in err
    assert cli("evidence", "verify", str(tmp_path / "m.json"), "--root", str(tmp_path / "copy"))[0] == 0


def test_real_binary_exit_codes(case, tmp_path):
    casebook = str(VENV_BIN / "casebook")
    assert run([casebook, "evidence", "hash", str(case)]).returncode == 0
    assert run([casebook, "evidence", "verify", str(case)]).returncode == 0
    victim = next(p for p in (case / "evidence").rglob("*") if p.is_file())
    victim.unlink()
    proc = run([casebook, "evidence", "verify", str(case), "--json"])
    assert proc.returncode == 1 and json.loads(proc.stdout)["missing"][0]["path"] == victim.relative_to(case).as_posix()
    assert run([casebook, "evidence", "verify", str(tmp_path / "nope.json")]).returncode == 2


def test_a_file_that_could_not_be_hashed_at_the_first_seal_does_not_block_later_seals(case):
    """It stays listed as unhashed; sealing the unchanged case again is a no-op, not a refusal."""
    victim = next(p for p in sorted((case / "evidence").rglob("*")) if p.is_file())

    def grow():
        with open(victim, "ab") as handle:
            handle.write(b" written to while it was hashed")

    first = seal_case(case, progress=once_while_hashing(grow), workers=1)
    failed = [entry.path for entry in first.manifest.entries if entry.failed]
    assert failed, "the file changed while hashed was sealed as if it had been read"
    again = seal_case(case)
    assert not again.created and again.event is None
    assert again.manifest_path == case / "manifest.json" and again.custody_path == case / "custody.jsonl"
    assert [item["path"] for item in again.report.unverifiable] == failed
    assert CustodyLog(case / "custody.jsonl").verify().n_events == 1


def test_a_manifest_deleted_after_its_seal_is_refused_by_name(case):
    seal_case(case)
    (case / "manifest.json").unlink()
    with pytest.raises(IntegrityError, match="the manifest is gone") as refused:
        seal_case(case)
    assert refused.value.path == str(case / "manifest.json")
    assert not (case / "manifest.json").exists()


def test_the_integrity_summary_names_the_manifest_and_its_root(case):
    sealed = seal_case(case)
    summary = check_case(case).to_dict()
    assert summary["manifest"] == str(case / "manifest.json")
    assert summary["merkle_root"] == sealed.manifest.merkle_root
    assert summary["ok"] is True


def test_a_sealed_case_moved_to_an_archive_still_verifies_and_seals_as_unchanged(case, tmp_path):
    """Cases move to archive drives: the manifest checks the folder it sits in, not the path it was made at."""
    from evidence.integrity.verify import verify_manifest

    seal_case(case)
    archived = tmp_path / "archive" / "2024" / case.name
    archived.parent.mkdir(parents=True)
    shutil.move(case, archived)
    assert not case.exists()
    report = verify_manifest(load_manifest(archived / "manifest.json"))
    assert report.ok and report.seal["status"] == "sealed" and len(report.matched) > 0
    assert check_case(archived).ok
    again = seal_case(archived)
    assert not again.created and again.event is None
