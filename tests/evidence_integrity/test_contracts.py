"""The exact shapes other code and people rely on: the verify report, the manifest document, custody
events and tables, and what sealing returns and records.  Whole structures are compared, not
samples of them, so a renamed key or a dropped value fails here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

import pytest

from casebook.sealing import check_case, seal_case, seal_tree
from evidence.integrity.custody import CustodyLog, custody_table, describe_object
from evidence.integrity.manifest import build_manifest, load_manifest, verify_manifest, write_manifest
from evidence.integrity.manifest_model import ns_to_utc_iso
from safeio.errors import IntegrityError
from tests.support.tools import write

BAD_NAME = b"name-\xff.bin"
BAD_TARGET = b"target-\xfe"


def _digests(data: bytes) -> dict:
    return {"sha256": hashlib.sha256(data).hexdigest(), "sm3": hashlib.new("sm3", data).hexdigest()}


def _mtime(path: Path | bytes) -> str:
    return ns_to_utc_iso(os.lstat(path).st_mtime_ns)


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "t"
    write(root, b"keep.txt", b"keep")
    write(root, b"edit.csv", b"100 yuan")
    write(root, b"gone.txt", b"gone")
    write(root, b"move.txt", b"move me")
    write(root, b"touch.txt", b"touch")
    write(root, b"unhashed.log", b"x" * (3 << 20))
    write(root, BAD_NAME, b"raw name")
    os.symlink("keep.txt", root / "link")
    os.symlink("keep.txt", root / "link-to-move")
    os.symlink(BAD_TARGET, os.path.join(os.fsencode(root), b"bad-link"))
    os.mkfifo(root / "pipe")
    done = []

    def change_while_hashed(path, _n):  # the log changes while the manifest is made: never hashed
        if path == "unhashed.log" and not done:
            done.append(True)
            with open(root / "unhashed.log", "ab") as handle:
                handle.write(b"more")

    manifest = build_manifest(root, case_id="C-1", workers=1, progress=change_while_hashed)
    path = write_manifest(manifest, tmp_path / "m.json")
    return root, path


def test_the_manifest_document_has_exactly_this_shape(tree):
    root, path = tree
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert list(doc) == ["format", "case_id", "tool", "created_utc", "finished_utc", "root", "include",
                         "algorithms", "totals", "entries", "merkle", "seal"]
    assert doc["format"] == "casebook-manifest/1" and doc["case_id"] == "C-1" and doc["include"] is None
    assert list(doc["tool"]) == ["name", "version", "python", "openssl"] and doc["tool"]["name"] == "casebook"
    assert doc["algorithms"] == ["sha256", "sm3"] and doc["root"] == str(root)
    assert doc["created_utc"] <= doc["finished_utc"]
    assert doc["totals"] == {"entries": 11, "files": 6, "bytes": 4 + 8 + 4 + 7 + 5 + 8, "symlinks": 3, "skipped": 1,
                             "problems": 1}
    assert doc["merkle"] == {"algorithm": "sha256", "scheme": "RFC 6962", "root": doc["merkle"]["root"], "leaves": 11}
    assert list(doc["seal"]) == ["sha256", "sm3"]
    entries = {e["path"]: e for e in doc["entries"]}
    assert entries["keep.txt"] == {"path": "keep.txt", "type": "file", "size": 4, "mtime_utc": _mtime(root / "keep.txt"),
                                   "mtime_ns": os.lstat(root / "keep.txt").st_mtime_ns, "digests": _digests(b"keep"),
                                   "problem": None}
    raw = os.path.join(os.fsencode(root), BAD_NAME)
    assert entries["name-\\xff.bin"] == {
        "path": "name-\\xff.bin", "path_b64": base64.b64encode(BAD_NAME).decode(), "type": "file", "size": 8,
        "mtime_utc": _mtime(raw), "mtime_ns": os.lstat(raw).st_mtime_ns, "digests": _digests(b"raw name"),
        "problem": None}
    bad_link = os.path.join(os.fsencode(root), b"bad-link")
    assert entries["bad-link"] == {
        "path": "bad-link", "type": "symlink", "size": len(BAD_TARGET), "mtime_utc": _mtime(bad_link),
        "mtime_ns": os.lstat(bad_link).st_mtime_ns, "digests": {}, "target": "target-\\xfe",
        "target_b64": base64.b64encode(BAD_TARGET).decode(), "problem": None}
    assert entries["pipe"]["type"] == "fifo" and entries["pipe"]["size"] is None
    assert entries["pipe"]["problem"] == "skipped: a fifo has no content to hash"
    assert entries["unhashed.log"]["digests"] == {} and "changed while it was being hashed" in (
        entries["unhashed.log"]["problem"])
    loaded = load_manifest(path)
    assert loaded.summary() == {"manifest": str(path), "case_id": "C-1", "merkle_root": doc["merkle"]["root"],
                                "seal_sha256": doc["seal"]["sha256"], "seal_sm3": doc["seal"]["sm3"], "files": 6,
                                "bytes": 36}
    assert [e.path for e in loaded.problems] == ["unhashed.log"]


def test_the_verify_report_has_exactly_this_shape(tree):
    root, path = tree
    manifest = load_manifest(path)
    (root / "edit.csv").write_bytes(b"900 yuan")  # same size
    os.unlink(root / "gone.txt")
    os.rename(root / "move.txt", root / "moved.txt")
    os.rename(root / "link-to-move", root / "link-moved")
    os.utime(root / "touch.txt", ns=(10**18, 10**18))
    os.unlink(root / "link")
    os.symlink("edit.csv", root / "link")
    write(root, b"new.txt", b"new")
    report = verify_manifest(manifest, custody=None)
    data = report.to_dict()
    assert list(data) == ["ok", "content_ok", "manifest", "root", "algorithms", "checked_utc", "counts", "seal",
                          "matched", "modified", "missing", "added", "moved", "metadata_changed", "skipped",
                          "unverifiable"]
    assert (data["ok"], data["content_ok"], data["manifest"], data["root"], data["algorithms"], data["seal"]) == (
        False, False, str(path), str(root), ["sha256", "sm3"], None)
    assert data["counts"] == {"matched": 3, "modified": 2, "missing": 1, "added": 1, "moved": 2,
                              "metadata_changed": 1, "skipped": 1, "unverifiable": 1}
    assert data["matched"] == [{"path": "bad-link"}, {"path": "keep.txt"},
                               {"path": "name-\\xff.bin", "path_b64": base64.b64encode(BAD_NAME).decode()}]
    edit, link = data["modified"]
    assert edit == {"path": "edit.csv", "change": "content",
                    "expected": {"type": "file", "size": 8, "mtime_utc": edit["expected"]["mtime_utc"],
                                 "digests": _digests(b"100 yuan")},
                    "found": {"type": "file", "size": 8, "mtime_utc": _mtime(root / "edit.csv"),
                              "digests": _digests(b"900 yuan")}}
    assert link == {"path": "link", "change": "link target",
                    "expected": {"type": "symlink", "size": 8, "mtime_utc": link["expected"]["mtime_utc"],
                                 "target": "keep.txt"},
                    "found": {"type": "symlink", "size": 8, "mtime_utc": _mtime(root / "link"), "target": "edit.csv"}}
    assert data["missing"] == [{"path": "gone.txt", "type": "file", "size": 4,
                                "mtime_utc": data["missing"][0]["mtime_utc"], "digests": _digests(b"gone")}]
    assert data["added"] == [{"path": "new.txt", "type": "file", "size": 3, "mtime_utc": _mtime(root / "new.txt"),
                              "digests": _digests(b"new")}]
    assert data["moved"] == [
        {"path": "link-to-move", "to": "link-moved", "type": "symlink", "size": 8,
         "mtime_utc": _mtime(root / "link-moved"), "target": "keep.txt"},
        {"path": "move.txt", "to": "moved.txt", "type": "file", "size": 7, "mtime_utc": _mtime(root / "moved.txt"),
         "digests": _digests(b"move me")}]
    assert data["metadata_changed"] == [{"path": "touch.txt", "mtime_utc_expected": data["metadata_changed"][0][
        "mtime_utc_expected"], "mtime_utc_found": ns_to_utc_iso(10**18)}]
    assert data["skipped"] == [{"path": "pipe", "type": "fifo", "reason": "no content to compare"}]
    (unverifiable,) = data["unverifiable"]
    assert unverifiable["path"] == "unhashed.log"
    assert unverifiable["reason"].startswith("not hashed when the manifest was made: changed while")
    status = report.status_by_path()
    assert {key: name for key, (name, _) in status.items()} == {
        "bad-link": "matched", "keep.txt": "matched", base64.b64encode(BAD_NAME).decode(): "matched",
        "edit.csv": "modified", "link": "modified", "gone.txt": "missing", "link-to-move": "moved",
        "move.txt": "moved", "touch.txt": "metadata_changed", "pipe": "skipped", "unhashed.log": "unverifiable"}
    assert status["move.txt"][1]["to"] == "moved.txt"


def test_an_untouched_tree_is_matched_item_by_item(tree):
    _, path = tree
    report = verify_manifest(load_manifest(path), custody=None)
    assert [i["path"] for i in report.matched] == ["bad-link", "edit.csv", "gone.txt", "keep.txt", "link",
                                                    "link-to-move", "move.txt", "name-\\xff.bin", "touch.txt"]
    assert [i["path"] for i in report.unverifiable] == ["unhashed.log"] and not report.content_ok


def test_custody_events_reports_and_tables(tmp_path):
    log = CustodyLog(tmp_path / "custody.jsonl")
    first = log.append("王五", "seized", ["U盘"], note="现场", time_utc="2024-03-01T02:00:00Z")
    second = log.append("李四", "transferred", [{"manifest": "manifest.json", "merkle_root": "ab" * 32},
                                               {"path": "a.csv", "sm3": "cd" * 32}, {"path": "b", "md5": "ef" * 16}],
                        time_utc="2024-03-01T03:00:00Z")
    assert first == {"seq": 1, "time_utc": "2024-03-01T02:00:00Z", "actor": "王五", "action": "seized",
                     "objects": [{"path": "U盘"}], "note": "现场", "prev": "0" * 64, "hash": first["hash"]}
    assert second["prev"] == first["hash"] and second["seq"] == 2 and second["note"] == ""
    assert log.verify().to_dict() == {"ok": True, "first_bad_index": None, "reason": None, "n_events": 2,
                                      "head": second["hash"], "refused": False, "first_bad_line": None}
    table = custody_table(log)
    assert table.values.tolist() == [
        [1, "2024-03-01T02:00:00Z", "王五", "seized", "U盘", "现场", "ok", ""],
        [2, "2024-03-01T03:00:00Z", "李四", "transferred",
         f"manifest.json (Merkle {'ab' * 8}…); a.csv (SM3 {'cd' * 8}…); b (MD5 {'ef' * 8}…)", "", "ok", ""]]
    assert list(custody_table(tmp_path / "custody.jsonl").columns) == [
        "seq", "time_utc", "actor", "action", "objects", "note", "chain", "problem"]
    assert describe_object({"name": "封存袋\x07"}) == "封存袋\\x07"
    assert describe_object({"path": "x", "sha256": "12" * 32, "sm3": "34" * 32}) == f"x (SHA256 {'12' * 8}…)"
    lines = (tmp_path / "custody.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "custody.jsonl").write_bytes(lines[0] + b"garbage\n")
    broken = custody_table(log)
    assert broken.values.tolist()[1] == [2, "", "", "", "", "", "broken",
                                         "line 2: the line is not a JSON event (edited or damaged)"]
    (tmp_path / "custody.jsonl").write_bytes(b"garbage\n" + lines[1])
    assert custody_table(log)["chain"].tolist() == ["broken", "unconfirmed"]


def test_what_sealing_returns_and_records(tmp_path):
    case = tmp_path / "ZK-C-1"
    write(case, b"evidence/a.csv", b"100 yuan")
    write(case, b"labels/l.jpg", b"photo")
    write(case, b"case.yml", b"case_id: ZK-C-1\ntitle: t\n")
    result = seal_case(case, actor="王五")
    manifest = result.manifest
    assert result.to_dict() == {
        "case_dir": str(case), "root": str(case), "case_id": "ZK-C-1", "manifest": str(case / "manifest.json"),
        "custody": str(case / "custody.jsonl"), "created": True, "merkle_root": manifest.merkle_root,
        "seal_sha256": manifest.seal["sha256"], "files": 2, "bytes": 13, "problems": [], "event": result.event,
        "archived": None, "metadata_changed": [], "timestamp": None}
    assert result.event["actor"] == "王五" and result.event["action"] == "hashed"
    assert result.event["note"] == "first seal of this case's evidence"
    assert result.event["objects"] == [{"manifest": "manifest.json", "merkle_root": manifest.merkle_root,
                                        "seal_sha256": manifest.seal["sha256"], "seal_sm3": manifest.seal["sm3"],
                                        "files": 2, "bytes": 13}]
    assert [e.path for e in manifest.entries] == ["evidence/a.csv", "labels/l.jpg"]  # never case.yml or outputs
    integrity = check_case(case)
    assert integrity.ok and integrity.errors == [] and integrity.custody_records_manifest
    data = integrity.to_dict()
    assert list(data) == ["ok", "case_dir", "manifest", "merkle_root", "verify", "custody",
                          "custody_records_manifest", "seal", "errors"]
    assert data["seal"] == {"status": "sealed", "manifest_root": manifest.merkle_root,
                            "sealed_root": manifest.merkle_root, "event_seq": 1, "log": str(case / "custody.jsonl"),
                            "reason": None, "timestamp": None, "refused": False, "ok": True}
    write(case, b"evidence/b.csv", b"more")
    again = seal_case(case, reseal=True, actor="李四")
    assert again.created and again.archived.parent == case / "manifests"
    assert again.archived.read_bytes() == manifest.to_bytes()
    assert again.archived.name == f"manifest-{manifest.created_utc.replace(':', '').replace('-', '')}.json"
    assert again.event["objects"][0]["previous_merkle_root"] == manifest.merkle_root
    assert again.event["note"] == f"resealed after a deliberate change; previous manifest kept as {again.archived.name}"
    assert again.to_dict()["metadata_changed"] == [] and again.report.added[0]["path"] == "evidence/b.csv"


def test_a_refused_manifest_is_kept_on_reseal(tmp_path):
    tree = tmp_path / "t"
    write(tree, b"a.txt", b"a")
    out = tmp_path / "m.json"
    seal_tree(tree, out)
    out.write_bytes(out.read_bytes().replace(b'"a.txt"', b'"b.txt"'))
    damaged = out.read_bytes()
    with pytest.raises(IntegrityError, match="seal does not match its content"):
        seal_tree(tree, out)
    result = seal_tree(tree, out, reseal=True)
    assert result.archived == tmp_path / "manifests" / "m-refused.json" and result.archived.read_bytes() == damaged
    assert result.event["note"].startswith("resealed: the previous manifest was refused (")
    assert result.event["objects"][0]["previous_merkle_root"] == result.manifest.merkle_root


def test_sealing_passes_on_its_options_and_reports_metadata_changes(tmp_path):
    case = tmp_path / "ZK-C-2"
    write(case, b"evidence/a.csv", b"100 yuan")
    seen = []
    result = seal_case(case, algorithms=("sha256", "sm3", "md5"), progress=lambda path, n: seen.append(path))
    assert result.manifest.algorithms == ("sha256", "sm3", "md5") and seen == ["evidence/a.csv"]
    assert set(result.manifest.entries[0].digests) == {"sha256", "sm3", "md5"}
    os.utime(case / "evidence" / "a.csv", ns=(10**18, 10**18))
    again = seal_case(case)
    assert not again.created and again.to_dict()["metadata_changed"] == ["evidence/a.csv"]
    assert again.to_dict()["case_dir"] == str(case) and again.event is None
    integrity = check_case(case)
    assert integrity.to_dict()["verify"] == integrity.report.to_dict()
    assert integrity.to_dict()["case_dir"] == str(case) and integrity.to_dict()["custody"]["n_events"] == 1


def test_sealing_refuses_what_is_not_a_case_folder(tmp_path):
    from safeio.errors import InputError

    with pytest.raises(InputError) as err:
        seal_case(tmp_path / "nope")
    assert err.value.message == "this case folder does not exist" and err.value.path == str(tmp_path / "nope")
    assert "case.yml, labels/ and evidence/" in err.value.hint
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="this is not a folder"):
        check_case(tmp_path / "file")


def test_archived_manifests_never_overwrite_each_other(tmp_path):
    case = tmp_path / "ZK-C-3"
    write(case, b"evidence/a.csv", b"1")
    first = seal_case(case).manifest
    label = first.created_utc.replace(":", "").replace("-", "")
    (case / "manifests").mkdir()
    (case / "manifests" / f"manifest-{label}.json").write_text("an older archive")
    write(case, b"evidence/b.csv", b"2")
    again = seal_case(case, reseal=True)
    assert again.archived.name == f"manifest-{label}-2.json" and again.archived.read_bytes() == first.to_bytes()
    assert (case / "manifests" / f"manifest-{label}.json").read_text() == "an older archive"


def test_an_added_pipe_is_listed_with_its_problem(tmp_path):
    root = tmp_path / "t"
    write(root, b"a.txt", b"a")
    manifest = build_manifest(root)
    os.mkfifo(root / "pipe")
    report = verify_manifest(manifest)
    assert report.added == [{"path": "pipe", "type": "fifo", "size": None, "mtime_utc": _mtime(root / "pipe"),
                             "problem": "skipped: a fifo has no content to hash"}]


def test_custody_errors_name_the_field_and_say_what_to_do(tmp_path):
    from safeio.errors import InputError

    log = CustodyLog(tmp_path / "custody.jsonl")
    assert log.append("王五", "seized", {"name": "封存袋"})["objects"] == [{"name": "封存袋"}]
    assert log.append("王五", "seized", "U盘")["objects"] == [{"path": "U盘"}]
    cases = [
        (lambda: log.append(" ", "seized", []), "actor", "needs an actor", "--actor"),
        (lambda: log.append("a", "deleted", []), "action", "'deleted' is not a custody action", "Use one of: seized"),
        (lambda: log.append("a", "seized", [3]), "objects", "must be a path or a mapping, not int", None),
    ]
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    cases.append((lambda: log.append("a", "seized", [{"x": deep}]), "objects", "nests too deeply to be stored", None))
    nested: list = []
    for _ in range(70):  # deeper than a custody object may be, shallow enough for json to write
        nested = [nested]
    cases.append((lambda: log.append("a", "seized", [{"x": nested}]), "objects", "this custody object nests",
                  "No file casebook writes nests like this"))
    for call, field, words, hint in cases:
        with pytest.raises(InputError) as err:
            call()
        assert err.value.field == field and words in err.value.message
        if hint:
            assert hint in err.value.hint
    assert log.verify().n_events == 2
    (tmp_path / "custody.jsonl").write_bytes((tmp_path / "custody.jsonl").read_bytes() + b"[" * 100 + b"\n")
    with pytest.raises(InputError) as err:
        log.events()
    assert "line 3" in err.value.message and "custody verify" in err.value.hint


def test_sealing_notes_say_why_and_refuse_a_missing_folder(tmp_path):
    from safeio.errors import InputError

    tree = tmp_path / "t"
    write(tree, b"a.txt", b"a")
    first = seal_tree(tree, tmp_path / "m.json")
    (tmp_path / "m.json").unlink()
    again = seal_tree(tree, tmp_path / "m.json", reseal=True)
    assert again.event["note"] == f"resealed: the sealed manifest (Merkle root {first.manifest.merkle_root}) was missing"
    assert again.event["objects"][0]["previous_merkle_root"] == first.manifest.merkle_root
    with pytest.raises(InputError, match="the folder for the manifest does not exist") as err:
        seal_tree(tree, tmp_path / "no" / "m.json", custody_path=tmp_path / "custody.jsonl")
    assert err.value.path == str(tmp_path / "no")


def test_custody_refusals_name_the_log(tmp_path):
    from safeio.errors import InputError

    missing = CustodyLog(tmp_path / "no" / "custody.jsonl")
    with pytest.raises(InputError, match="the folder for the custody log does not exist") as err:
        missing.append("a", "seized", [])
    assert err.value.path == str(tmp_path / "no")
    log = CustodyLog(tmp_path / "custody.jsonl")
    with pytest.raises(InputError, match="this event would be longer than 1048576 bytes") as err:
        log.append("a", "seized", [{"note": "x" * (1 << 20)}])
    assert (err.value.field, err.value.path) == ("objects", str(log.path))
    assert err.value.hint == "Record a file by its digest, not its content."
    log.append("王五", "seized", [])
    log.append("王五", "seized", [])
    lines = log.path.read_text(encoding="utf-8").splitlines(keepends=True)
    log.path.write_text(lines[0] + lines[1].replace("王五", "张三"), encoding="utf-8")
    report = log.verify()
    assert report.reason == "line 2: the event was edited (its hash does not match its content)"
    with pytest.raises(IntegrityError) as err:
        log.append("a", "verified", [])
    assert err.value.path == str(log.path) and err.value.message == (
        f"the custody log does not verify ({report.reason}); nothing was added to a broken chain")
    assert err.value.hint.startswith("Keep the log exactly as it is and report it to the case supervisor")


def test_the_chain_names_each_kind_of_break(tmp_path):
    from evidence.integrity.custody import event_hash, verify_bytes
    from evidence.integrity.manifest_model import canonical_json

    log = CustodyLog(tmp_path / "custody.jsonl")
    first = log.append("王五", "seized", [])
    second = log.append("王五", "seized", [])
    data = log.path.read_bytes()
    lines = data.splitlines(keepends=True)
    report = verify_bytes(lines[1])
    assert report.to_dict()["ok"] is False and report.reason == (
        "line 1: the event does not follow the one before it (an event was deleted, inserted or reordered here)")
    forged = {**second, "action": "deleted"}
    forged["hash"] = event_hash(forged)
    report = verify_bytes(lines[0] + canonical_json(forged) + b"\n")
    assert not report.ok and report.reason == "line 2: unknown action 'deleted'" and report.first_bad_index == 1
    renumbered = {**second, "seq": 5}
    renumbered["hash"] = event_hash(renumbered)
    report = verify_bytes(lines[0] + canonical_json(renumbered) + b"\n")
    assert report.reason == "line 2: the event is numbered 5 but stands at position 2"
    assert verify_bytes(data).to_dict() == {"ok": True, "first_bad_index": None, "reason": None, "n_events": 2,
                                            "head": second["hash"], "refused": False, "first_bad_line": None}
    assert first["hash"] != second["hash"]


def test_verify_uses_the_manifests_algorithms_and_the_given_log(tmp_path):
    tree = tmp_path / "t"
    write(tree, b"a.txt", b"a")
    (tmp_path / "elsewhere").mkdir()
    result = seal_tree(tree, tmp_path / "m.json", algorithms=("sha256", "sm3", "md5"),
                       custody_path=tmp_path / "elsewhere" / "log.jsonl")
    loaded = load_manifest(result.manifest_path)
    report = verify_manifest(loaded, custody=tmp_path / "elsewhere" / "log.jsonl")
    assert report.ok and report.seal["status"] == "sealed" and report.algorithms == ["sha256", "sm3", "md5"]
    assert verify_manifest(loaded).seal["status"] == "no_custody_log"  # none beside the manifest
    in_memory = build_manifest(tree)
    assert verify_manifest(in_memory).manifest is None and verify_manifest(in_memory).seal is None


def test_a_file_changing_during_verify_is_unverifiable(tmp_path):
    tree = tmp_path / "t"
    write(tree, b"big.img", b"x" * (3 << 20))
    manifest = build_manifest(tree)
    done = []

    def grow(_path, _n):
        if not done:
            done.append(True)
            with open(tree / "big.img", "ab") as handle:
                handle.write(b"y")

    report = verify_manifest(manifest, progress=grow)
    (item,) = report.unverifiable
    assert list(item) == ["path", "reason"] and item["path"] == "big.img"
    assert item["reason"].startswith("changed while it was being hashed")


def test_an_oversized_log_is_named_as_a_custody_log(tmp_path):
    from safeio.errors import InputError

    log = CustodyLog(tmp_path / "custody.jsonl")
    with open(log.path, "wb") as handle:
        handle.truncate((64 << 20) + 1)
    with pytest.raises(InputError) as err:
        log.verify()
    assert err.value.message == "this custody log is larger than the 64 MiB casebook accepts"


@pytest.mark.parametrize("name", ["", "a/b", "a\\b", ".", ".."])
def test_include_names_must_be_folders_inside_the_root(tmp_path, name):
    from safeio.errors import InputError

    write(tmp_path / "t", b"a/x.txt", b"x")
    with pytest.raises(InputError, match="is not a folder name inside the root") as err:
        build_manifest(tmp_path / "t", include=["a", name])
    assert err.value.field == "include"
    assert [e.path for e in build_manifest(tmp_path / "t", include=["a"]).entries] == ["a/x.txt"]


def test_manifest_files_are_named_in_their_errors(tmp_path):
    from safeio.errors import InputError

    manifest = build_manifest(tmp_path)
    with pytest.raises(InputError) as err:
        write_manifest(manifest, tmp_path / "no" / "m.json")
    assert err.value.path == str(tmp_path / "no") and err.value.message == "the folder for the manifest does not exist"
    big = tmp_path / "m.json"
    with open(big, "wb") as handle:
        handle.truncate((1 << 30) + 1)
    with pytest.raises(InputError) as err:
        load_manifest(big)
    assert err.value.message == "this manifest is larger than the 1 GiB casebook accepts"
    assert err.value.hint == "A manifest this large was not written by casebook; check the path."


def test_sealing_says_why_it_records_or_refuses(tmp_path):
    case = tmp_path / "ZK-C-4"
    write(case, b"evidence/a.csv", b"1")
    manifest = build_manifest(case, case_id=case.name, include=["evidence", "labels"])
    write_manifest(manifest, case / "manifest.json")  # a run that died before writing its custody event
    finished = seal_case(case)
    assert finished.event["note"] == "recorded for the existing manifest (the earlier run did not record it)"
    write(case, b"evidence/b.csv", b"2")
    forged = build_manifest(case, case_id=case.name, include=["evidence", "labels"])
    write_manifest(forged, case / "manifest.json")
    with pytest.raises(IntegrityError, match="seal_replaced") as err:
        seal_case(case)
    assert err.value.path == str(case / "manifest.json") and "--reseal" in err.value.hint
    log = case / "custody.jsonl"
    log.write_text(log.read_text(encoding="utf-8").replace("casebook", "someone"), encoding="utf-8")
    with pytest.raises(IntegrityError, match="nothing was sealed") as err:
        seal_case(case, reseal=True)
    assert err.value.path == str(log)
    assert err.value.hint == ("Keep the log exactly as it is and report it to the case supervisor; "
                              "do not repair it by hand.")
