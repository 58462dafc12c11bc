"""Exports re-checked by the real tools: sha256sum -c, cksum -a sm3 --check, hashdeep -a -k, case_validate."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evidence.integrity.caseuco import sm3_extension_path
from evidence.integrity.custody import CustodyLog
from evidence.integrity.interop_exports import export_manifest
from evidence.integrity.manifest import build_manifest, write_manifest
from tests.support.tools import need, run, write


def test_sha256sum_and_sm3sum_pass_then_fail_after_tampering(odd_tree, tmp_path):
    manifest = build_manifest(odd_tree)
    sha = export_manifest(manifest, "sha256sum", tmp_path / "SHA256SUMS")
    sm3 = export_manifest(manifest, "sm3sum", tmp_path / "SM3SUMS")
    assert sha.written == sm3.written == len(manifest.entries) and not sha.skipped
    body = (tmp_path / "SHA256SUMS").read_bytes()
    assert any(line.startswith(b"\\") and b"new\\nline.txt" in line for line in body.splitlines())
    ok = run([need("sha256sum"), "--strict", "-c", str(tmp_path / "SHA256SUMS")], cwd=odd_tree)
    assert ok.returncode == 0, ok.stderr
    ok = run([need("cksum"), "-a", "sm3", "--strict", "--check", str(tmp_path / "SM3SUMS")], cwd=odd_tree)
    assert ok.returncode == 0, ok.stderr
    write(odd_tree, b"carriage\rreturn.txt", b"changed")
    bad = run([need("sha256sum"), "-c", str(tmp_path / "SHA256SUMS")], cwd=odd_tree)
    assert bad.returncode == 1 and b"FAILED" in bad.stdout
    bad = run([need("cksum"), "-a", "sm3", "--check", str(tmp_path / "SM3SUMS")], cwd=odd_tree)
    assert bad.returncode == 1 and b"FAILED" in bad.stdout


def test_hashdeep_audit_passes_then_fails(tmp_path):
    root = tmp_path / "t"
    for raw in [b"a.txt", b"with space.csv", "中文.txt".encode(), b"comma,name", b"bad\xff", b"sub/x.bin", b"mid\rcr"]:
        write(root, raw, os.urandom(100))
    manifest = build_manifest(root, algorithms=("sha256", "sm3", "md5"))
    result = export_manifest(manifest, "hashdeep", tmp_path / "known.txt")
    head = (tmp_path / "known.txt").read_bytes().splitlines()
    assert head[:2] == [b"%%%% HASHDEEP-1.0", b"%%%% size,md5,sha256,filename"]
    assert result.written == 7 and not result.skipped
    audit = run([need("hashdeep"), "-r", "-l", "-a", "-k", str(tmp_path / "known.txt"), "."], cwd=root)
    assert audit.returncode == 0 and b"Audit passed" in audit.stdout + audit.stderr
    write(root, b"sub/x.bin", b"tampered")
    audit = run([need("hashdeep"), "-r", "-l", "-a", "-k", str(tmp_path / "known.txt"), "."], cwd=root)
    assert audit.returncode != 0 and b"Audit failed" in audit.stdout + audit.stderr


def test_hashdeep_cannot_hold_a_newline_and_says_so(tmp_path, cli):
    root = tmp_path / "t"
    write(root, b"ok.txt", b"1")
    write(root, b"new\nline.txt", b"2")
    write(root, b"ends\r", b"3")
    out = tmp_path / "m.json"
    write_manifest(build_manifest(root), out)
    code, text, err = cli("evidence", "export", str(out), "--format", "hashdeep", "--out", str(tmp_path / "k.txt"))
    assert code == 1
    assert "new\\nline.txt" in text + err and "cannot hold a name with a newline" in text + err
    data = (tmp_path / "k.txt").read_bytes()
    rows = [line for line in data.split(b"\n") if line and not line.startswith((b"%", b"#"))]
    assert [row.rsplit(b",", 1)[1] for row in rows] == [b"./ok.txt"]
    assert b"## left out: new\\nline.txt (hashdeep cannot hold a name with a newline)" in data
    assert b"## left out: ends\\r" in data


@pytest.mark.slow  # three case_validate runs, about 20 s
def test_case_jsonld_validates_with_the_sm3_extension(odd_tree, tmp_path):
    manifest = build_manifest(odd_tree, case_id="ZK-2024-001", algorithms=("sha256", "sm3", "md5"))
    write_manifest(manifest, tmp_path / "manifest.json")
    log = CustodyLog(tmp_path / "custody.jsonl")
    log.append("王五", "seized", ["U盘"])
    log.append("casebook", "hashed", [{"manifest": "manifest.json", "merkle_root": manifest.merkle_root}])
    graph_path = tmp_path / "graph.jsonld"
    export_manifest(manifest, "case-jsonld", graph_path, custody_events=log.events())
    graph = json.loads(graph_path.read_text(encoding="utf-8"))
    methods = {h["uco-types:hashMethod"] for node in graph["@graph"] for h in node.get("uco-observable:hash", [])}
    assert methods == {"SHA256", "SM3", "MD5"}
    kinds = {node["@type"] for node in graph["@graph"]}
    assert {"uco-observable:File", "case-investigation:InvestigativeAction", "case-investigation:ProvenanceRecord",
            "uco-tool:Tool"} <= kinds
    validate = need("case_validate")
    good = run([validate, "--ontology-graph", str(sm3_extension_path()), str(graph_path)], timeout=300)
    assert good.returncode == 0 and b"Conforms: True" in good.stdout, good.stdout[-2000:]
    bare = run([validate, str(graph_path)], timeout=300)  # without the extension SM3 is flagged, nothing else
    assert bare.returncode == 1
    messages = {line.strip() for line in bare.stdout.decode().splitlines() if "Message:" in line}
    values = {line.strip() for line in bare.stdout.decode().splitlines() if "Value Node:" in line}
    assert messages == {"Message: Value is not member of the vocabulary HashNameVocab."}
    assert values == {'Value Node: Literal("SM3")'}
    # the extension still catches a misspelt method
    text = graph_path.read_text(encoding="utf-8").replace('"SM3"', '"SM-3"', 1)
    (tmp_path / "bad.jsonld").write_text(text, encoding="utf-8")
    bad = run([validate, "--ontology-graph", str(sm3_extension_path()), str(tmp_path / "bad.jsonld")], timeout=300)
    assert bad.returncode == 1 and b'Literal("SM-3")' in bad.stdout


names = st.binary(min_size=1, max_size=30).filter(lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b".."))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(names, min_size=1, max_size=5, unique=True))
@example([b"-"])  # coreutils reads '-' as standard input
def test_checksum_exports_round_trip_arbitrary_names(raws):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "t"
        for index, raw in enumerate(raws):
            write(root, raw, str(index).encode())
        manifest = build_manifest(root, algorithms=("sha256", "sm3", "md5"), workers=1)
        export_manifest(manifest, "sha256sum", Path(tmp) / "sha")
        export_manifest(manifest, "sm3sum", Path(tmp) / "sm3")
        result = export_manifest(manifest, "hashdeep", Path(tmp) / "deep")
        sha = run([need("sha256sum"), "--strict", "-c", str(Path(tmp) / "sha")], cwd=root)
        assert sha.returncode == 0, (raws, sha.stdout, sha.stderr)
        sm3 = run([need("cksum"), "-a", "sm3", "--strict", "--check", str(Path(tmp) / "sm3")], cwd=root)
        assert sm3.returncode == 0, (raws, sm3.stdout, sm3.stderr)
        unwritable = {item["path"] for item in result.skipped}
        if not unwritable:
            audit = run([need("hashdeep"), "-r", "-l", "-a", "-k", str(Path(tmp) / "deep"), "."], cwd=root)
            assert audit.returncode == 0, (raws, audit.stdout, audit.stderr)
        else:
            assert all(b"\n" in raw or raw.endswith(b"\r") for raw in raws if raw.decode("utf-8", "backslashreplace")
                       in unwritable)
