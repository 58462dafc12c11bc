"""RFC 3161 timestamps of the Merkle root, against a local ``openssl ts -reply`` TSA started here."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from evidence.integrity.manifest import build_manifest, write_manifest
from evidence.integrity.timestamp import (
    timestamp_manifest,
    token_path,
    verify_manifest_timestamp,
    verify_timestamp,
)
from safeio.errors import IntegrityError
from tests.support.tools import need
from tests.support.tsa import local_tsa, make_pki


@pytest.fixture(params=["rsa", "ec"])
def tsa(tmp_path_factory, request):
    with local_tsa(tmp_path_factory.mktemp(f"tsa-{request.param}"), request.param) as running:
        yield running


def test_timestamp_the_merkle_root_and_verify_it(odd_tree, tmp_path, tsa):
    manifest = build_manifest(odd_tree)
    write_manifest(manifest, tmp_path / "manifest.json")
    info = timestamp_manifest(manifest, tsa["url"])
    assert Path(info.path) == token_path(tmp_path / "manifest.json") and info.message == manifest.merkle_root
    assert info.gen_time_utc.endswith("Z") and info.policy == "1.2.3.4.1"
    checked = verify_manifest_timestamp(manifest, roots=[tsa["ca"]])
    assert checked.serial_number == info.serial_number
    # independently, with OpenSSL alone (the recipe in evidence.integrity.timestamp's docstring)
    (tmp_path / "root.txt").write_text(manifest.merkle_root)
    ok = subprocess.run([need("openssl"), "ts", "-verify", "-data", str(tmp_path / "root.txt"), "-in", info.path,
                         "-CAfile", str(tsa["ca"]), "-untrusted", str(tsa["cert"])], capture_output=True)
    assert ok.returncode == 0 and b"Verification: OK" in ok.stdout, ok.stderr


def test_a_token_for_other_data_or_another_ca_fails(odd_tree, tmp_path, tsa):
    manifest = build_manifest(odd_tree)
    write_manifest(manifest, tmp_path / "manifest.json")
    info = timestamp_manifest(manifest, tsa["url"])
    with pytest.raises(IntegrityError, match="does not verify"):
        verify_timestamp(info.path, b"0" * 64, roots=[tsa["ca"]])
    other = tmp_path / "other"
    other.mkdir()
    make_pki(other, "rsa", "other")
    with pytest.raises(IntegrityError, match="does not verify"):
        verify_timestamp(info.path, manifest.merkle_root.encode(), roots=[other / "other-ca.pem"])
    Path(info.path).write_bytes(Path(info.path).read_bytes()[:-20])
    with pytest.raises(IntegrityError):
        verify_timestamp(info.path, manifest.merkle_root.encode(), roots=[tsa["ca"]])


def test_cli_hash_with_tsa_and_verify_with_ca(odd_tree, tmp_path, cli):
    (tmp_path / "pki").mkdir()
    with local_tsa(tmp_path / "pki", "rsa") as tsa:
        _cli_round_trip(odd_tree, tmp_path, tsa, cli)


def _cli_round_trip(odd_tree, tmp_path, tsa, cli):
    out = tmp_path / "m.json"
    code, text, err = cli("evidence", "hash", str(odd_tree), "--out", str(out), "--tsa", tsa["url"], "--json")
    assert code == 0, err
    import json

    assert json.loads(text)["timestamp"]["message"] == json.loads(text)["merkle_root"]
    code, text, err = cli("evidence", "verify", str(out), "--tsa-ca", str(tsa["ca"]), "--json")
    assert code == 0 and json.loads(text)["timestamp"]["gen_time_utc"]
