"""A local RFC 3161 timestamp authority for tests: ``openssl ts -reply`` behind a loopback HTTP server."""

from __future__ import annotations

import contextlib
import http.server
import subprocess
import tempfile
import threading
from pathlib import Path

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


def make_pki(folder: Path, key: str, name: str) -> None:
    """A test CA and a timestamping certificate signed by it (``{name}-ca.pem``, ``{name}.pem``)."""
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
    make_pki(folder, key, "tsa")
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
