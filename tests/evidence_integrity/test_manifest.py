"""Sealed manifests: any edited byte is refused; verify sorts every change into its own list."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.integrity.manifest import (
    build_manifest,
    evidence_list,
    load_manifest,
    verify_manifest,
    write_manifest,
)
from evidence.integrity.manifest_model import merkle_root
from evidence.testing import assert_manifest_refused, assert_manifest_verifies
from safeio.errors import IntegrityError
from tests.support.tools import write


@pytest.fixture
def sealed(odd_tree, tmp_path):
    """The tree sealed as 'casebook evidence hash --out' does: manifest plus a 'hashed' custody event."""
    from casebook.sealing import seal_tree

    path = seal_tree(odd_tree, tmp_path / "manifest.json", case_id="ZK-2024-001").manifest_path
    return odd_tree, path


def test_manifest_records_both_digests_sizes_and_the_merkle_root(sealed):
    root, path = sealed
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["case_id"] == "ZK-2024-001" and doc["tool"]["name"] == "casebook" and doc["tool"]["version"]
    assert doc["created_utc"].endswith("Z") and doc["root"] == str(root.resolve())
    entry = next(e for e in doc["entries"] if e["path"] == "plain.txt")
    assert set(entry) >= {"path", "type", "size", "mtime_utc", "mtime_ns", "digests", "problem"}
    assert set(entry["digests"]) == {"sha256", "sm3"}
    assert len(doc["merkle"]["root"]) == 64 and set(doc["seal"]) == {"sha256", "sm3"}
    # the seal re-checks with the recipe in evidence.integrity.manifest_model's docstring
    seal = doc.pop("seal")
    body = (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()
    assert hashlib.sha256(body).hexdigest() == seal["sha256"]
    assert hashlib.new("sm3", body).hexdigest() == seal["sm3"]


def test_merkle_root_matches_rfc6962_reference():
    # RFC 6962 / certificate-transparency test vectors (leaves 0x, 00, 10, 2021, 3031, 40414243 ...)
    leaves = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                         "606162636465666768696a6b6c6d6e6f"]]
    assert merkle_root(leaves[:1]) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert merkle_root(leaves[:2]) == "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
    assert merkle_root(leaves[:3]) == "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"
    assert merkle_root(leaves) == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


def test_every_edited_byte_is_refused(sealed):
    _, path = sealed
    data = path.read_bytes()
    load_manifest(path)
    positions = sorted({1, 20, len(data) // 3, len(data) // 2, len(data) - 70, len(data) - 2} | set(range(0, len(data), 997)))
    for index in positions:
        edited = bytearray(data)
        edited[index] = (edited[index] + 1) % 256 if edited[index] != 0x7F else 0x20
        path.write_bytes(bytes(edited))
        with pytest.raises(IntegrityError) as err:
            load_manifest(path)
        assert str(path) in str(err.value)
    path.write_bytes(data.replace(b'"size": 0', b'"size":  0', 1))  # whitespace only
    assert_manifest_refused(path)
    path.write_bytes(data[: len(data) // 2])  # truncated
    with pytest.raises(IntegrityError, match="damaged or truncated"):
        load_manifest(path)
    # a consistent forgery (values edited and re-sealed with canonical form) still fails the Merkle root
    doc = json.loads(data)
    doc["entries"][0]["size"] += 1
    doc.pop("seal")
    from evidence.integrity.manifest_model import document_bytes, seal_document

    path.write_bytes(document_bytes(seal_document(doc)))
    with pytest.raises(IntegrityError, match="Merkle root"):
        load_manifest(path)


def test_verify_sorts_every_kind_of_change(sealed):
    root, path = sealed
    manifest = load_manifest(path)
    assert_manifest_verifies(manifest)
    (root / "plain.txt").write_text("tampered")  # modified
    os.unlink(os.path.join(os.fsencode(root), b"comma,name.txt"))  # missing
    write(root, b"new evidence.txt", b"added later")  # added
    os.rename(os.path.join(os.fsencode(root), "微信聊天记录.txt".encode()),
              os.path.join(os.fsencode(root), b"renamed.txt"))  # moved
    os.utime(root / "with space.csv", ns=(10**18, 10**18))  # metadata only
    report = verify_manifest(manifest)
    assert not report.ok
    data = report.to_dict()
    assert [i["path"] for i in data["modified"]] == ["plain.txt"]
    assert [i["path"] for i in data["missing"]] == ["comma,name.txt"]
    assert [i["path"] for i in data["added"]] == ["new evidence.txt"]
    assert [(i["path"], i["to"]) for i in data["moved"]] == [("微信聊天记录.txt", "renamed.txt")]
    assert [i["path"] for i in data["metadata_changed"]] == ["with space.csv"]
    assert len(data["matched"]) == len(manifest.entries) - 4
    assert json.loads(json.dumps(data))  # JSON-ready


def test_metadata_only_change_still_verifies(sealed):
    from evidence.integrity.manifest_model import ns_to_utc_iso

    root, path = sealed
    manifest = load_manifest(path)
    sealed_mtime = next(e for e in manifest.entries if e.path == "plain.txt").mtime_ns
    os.utime(root / "plain.txt", ns=(10**18, 10**18))
    report = verify_manifest(manifest)
    assert report.ok and report.metadata_changed == [
        {"path": "plain.txt", "mtime_utc_expected": ns_to_utc_iso(sealed_mtime), "mtime_utc_found": ns_to_utc_iso(10**18)}]


def test_the_totals_count_every_byte_and_empty_files_add_none(odd_tree, tmp_path):
    manifest = build_manifest(odd_tree)
    on_disk = [p for p in odd_tree.rglob("*") if p.is_file() and not p.is_symlink()]
    assert any(p.stat().st_size == 0 for p in on_disk)
    assert manifest.totals["files"] == len(on_disk)
    assert manifest.totals["bytes"] == sum(p.stat().st_size for p in on_disk)


def test_evidence_list_for_the_dossier(sealed):
    root, path = sealed
    manifest = load_manifest(path)
    frame = evidence_list(manifest)
    assert list(frame.columns) == ["no", "path", "category", "format", "size", "sha256", "sm3", "extracted_utc",
                                   "source", "status", "moved_to"]
    assert list(frame["no"]) == list(range(1, len(manifest.entries) + 1))
    row = frame[frame["path"] == "子目录/截图 1.png"].iloc[0]
    assert (row["category"], row["format"], row["size"], row["status"]) == ("image", "PNG", 3000, "recorded")
    assert row["extracted_utc"] == manifest.created_utc and len(row["sm3"]) == 64
    assert frame[frame["path"] == "new\\nline.txt"].shape[0] == 1  # control characters shown escaped
    (root / "plain.txt").write_text("tampered")
    write(root, b"extra.jpg", b"x")
    report = verify_manifest(manifest)
    listed = evidence_list(manifest, report)
    assert listed.loc[listed["path"] == "plain.txt", "status"].item() == "modified"
    assert listed.loc[listed["path"] == "extra.jpg", "status"].item() == "added"
    assert set(listed["status"]) == {"matched", "modified", "added"}


names = st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b".."))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(names, st.binary(max_size=200), min_size=1, max_size=6), st.sampled_from(["", "子目录"]))
def test_manifest_round_trip_with_arbitrary_names(files, folder):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "t"
        root.mkdir()
        for raw, data in files.items():
            write(root, (folder.encode() + b"/" if folder else b"") + raw, data)
        manifest = build_manifest(root, workers=2)
        path = write_manifest(manifest, Path(tmp) / "m.json")
        loaded = load_manifest(path)
        assert loaded.document == manifest.document
        expected = {(folder.encode() + b"/" if folder else b"") + raw: hashlib.sha256(data).hexdigest()
                    for raw, data in files.items()}
        assert {e.raw: e.digests["sha256"] for e in loaded.entries} == expected
        assert verify_manifest(loaded, custody=None).ok  # content only: no custody log here


def test_a_link_touched_and_a_file_turned_into_a_link_are_reported_exactly(tmp_path):
    from evidence.integrity.manifest_model import ns_to_utc_iso

    root = tmp_path / "seized"
    write(root, b"orders.csv", b"100,yuan\n")
    write(root, b"chat.txt", b"hello")
    os.symlink("orders.csv", root / "latest")
    manifest = build_manifest(root)
    link = next(e for e in manifest.entries if e.path == "latest")
    os.utime(root / "latest", ns=(10**18, 10**18), follow_symlinks=False)  # same target, new time
    (root / "chat.txt").unlink()
    os.symlink("orders.csv", root / "chat.txt")  # the chat swapped for a link to another file
    report = verify_manifest(manifest, root)
    assert report.metadata_changed == [{"path": "latest", "mtime_utc_expected": ns_to_utc_iso(link.mtime_ns),
                                        "mtime_utc_found": ns_to_utc_iso(10**18)}]
    (changed,) = report.modified
    assert changed["path"] == "chat.txt" and changed["change"] == "type"
    assert changed["expected"]["type"] == "file" and changed["expected"]["size"] == 5
    assert changed["found"]["type"] == "symlink" and changed["found"]["target"] == "orders.csv"
    assert "digests" in changed["expected"] and "digests" not in changed["found"]
