"""RFC 3161 timestamps of the Merkle root, against a local ``openssl ts -reply`` TSA started here."""

from __future__ import annotations

import contextlib
import http.server
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from evidence.manifest import build_manifest, write_manifest
from evidence.timestamp import timestamp_manifest, token_path, verify_manifest_timestamp, verify_timestamp
from safeio.errors import IntegrityError
from tests.support.tools import need

TSA_CONF = """
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = {dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5.6
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _pki(folder: Path, key: str, name: str) -> None:
    openssl = need("openssl")
    newkey = ["-newkey", "rsa:2048"] if key == "rsa" else ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    subprocess.run([openssl, "req", "-x509", *newkey, "-nodes", "-keyout", f"{name}-ca.key", "-out", f"{name}-ca.pem",
                    "-subj", f"/CN={name} test CA", "-days", "3", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"], cwd=folder, check=True, capture_output=True)
    subprocess.run([openssl, "req", *newkey, "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
                    "-subj", f"/CN={name} test TSA"], cwd=folder, check=True, capture_output=True)
    (folder / "ext.cnf").write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                                    "extendedKeyUsage=critical,timeStamping\n")
    subprocess.run([openssl, "x509", "-req", "-in", f"{name}.csr", "-CA", f"{name}-ca.pem", "-CAkey", f"{name}-ca.key",
                    "-CAcreateserial", "-out", f"{name}.pem", "-days", "3", "-extfile", "ext.cnf"],
                   cwd=folder, check=True, capture_output=True)


@contextlib.contextmanager
def local_tsa(folder: Path, key: str):
    """A local TSA: HTTP POST -> ``openssl ts -reply`` -> RFC 3161 response."""
    _pki(folder, key, "tsa")
    (folder / "tsaserial").write_text("01\n")
    (folder / "tsa.conf").write_text(TSA_CONF.format(dir=folder))
    openssl = need("openssl")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            query = self.rfile.read(int(self.headers["Content-Length"]))
            with tempfile.TemporaryDirectory() as tmp:
                (Path(tmp) / "q.tsq").write_bytes(query)
                subprocess.run([openssl, "ts", "-reply", "-config", str(folder / "tsa.conf"), "-queryfile",
                                str(Path(tmp) / "q.tsq"), "-out", str(Path(tmp) / "r.tsr")],
                               check=True, capture_output=True)
                body = (Path(tmp) / "r.tsr").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}/tsa", "ca": folder / "tsa-ca.pem",
           "cert": folder / "tsa.pem", "dir": folder}
    server.shutdown()


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
    # independently, with OpenSSL alone (the recipe in evidence.timestamp's docstring)
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
    _pki(other, "rsa", "other")
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
