"""Listing pages served on loopback for the web-capture tests: nothing leaves the machine.

``serve()`` starts a threaded ``http.server`` on 127.0.0.1 (optionally with TLS and a self-signed
certificate made with the ``cryptography`` package) and records every path it was asked for, so a
test can show that a page's refused parts never reached the network.
"""

from __future__ import annotations

import contextlib
import datetime
import http.server
import ipaddress
import socket
import ssl
import threading
from pathlib import Path

# The title a seller could write: markup that must stay text wherever casebook shows it.
HOSTILE_TITLE = '正品 <b>耐克</b> <script>window.__casebook_pwned=1</script> <img src=x onerror="window.__casebook_pwned=1">'
# How it is written inside <title> (RCDATA: only & and < need care; the browser decodes it back).
_TITLE_SOURCE = HOSTILE_TITLE.replace("&", "&amp;").replace("<", "&lt;")

LISTING = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{_TITLE_SOURCE}</title></head>
<body><h1>耐克 Air 运动鞋 官方正品</h1><p class="seller">卖家：周口鞋业旗舰店</p><p class="price">¥ 199.00</p>
<p>月销 2000+ · 假一赔十</p></body></html>"""

# Many Chinese shops still serve GBK: page.html (UTF-8 with a BOM) must still read right.
GBK = """<!DOCTYPE html><html><head><meta charset="gbk"><title>国标编码的店铺</title></head>
<body><p>耐克运动鞋 清仓特价</p></body></html>"""

CHANGES = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>改价页面</title></head>
<body><p id="price">原价 ¥ 399</p>
<script>window.addEventListener('load', () => setTimeout(() => {
  document.getElementById('price').textContent = '现价 ¥ 99（加载后改写）';
}, 300));</script></body></html>"""

TALL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>长页面</title></head>
<body style="margin:0"><div style="height:6000px;background:linear-gradient(#fff,#39c)">商品详情（很长）</div>
<p>页底：售后说明</p></body></html>"""

# Sellers also move buyers on with a script once the page has loaded.
MOVES = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>跳转中</title></head>
<body><p>正在跳转…</p><script>addEventListener('load', () => setTimeout(() => { location.href = '/listing'; }, 150));
</script></body></html>"""

RESTLESS = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>一直变化</title></head>
<body><p id="clock">0</p><script>let n = 0;
setInterval(() => { document.getElementById('clock').textContent = String(++n); }, 100);</script></body></html>"""


def hostile_page(port: int) -> str:
    """A page whose non-http(s) parts each try to reach ``/pwned-<kind>`` on this server."""
    beacon = f"http://127.0.0.1:{port}/pwned"
    data_doc = f"<script>fetch('{beacon}-data')</script>"
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>带有各种协议的页面</title></head><body>
<h1>hostile listing</h1>
<iframe id="data" src="data:text/html,{data_doc}"></iframe>
<iframe id="js" src="javascript:'<script>fetch(&quot;{beacon}-js&quot;)</script>'"></iframe>
<iframe id="file" src="file:///etc/hostname"></iframe>
<img src="file:///etc/hostname">
<script>
const blob = URL.createObjectURL(new Blob(["<script>fetch('{beacon}-blob')<\\/script>"], {{type: 'text/html'}}));
const frame = document.createElement('iframe'); frame.src = blob; document.body.append(frame);
const socket = new WebSocket('ws://127.0.0.1:{port}/socket');
window.open('/popup');
alert('恭喜中奖');
</script></body></html>"""


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "ListingServer/1.0"

    def log_message(self, *args) -> None:
        pass

    def _send(self, body: str | bytes, status: int = 200, headers: dict | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Set-Cookie", "session=abc; Path=/")
        self.send_header("Set-Cookie", "region=zk; Path=/")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        site = self.server.site
        path = self.path.split("?", 1)[0]
        site.paths.append(path)
        port = self.server.server_address[1]
        pages = {"/listing": LISTING, "/changes": CHANGES, "/tall": TALL, "/restless": RESTLESS, "/moves": MOVES,
                 "/hostile": hostile_page(port), "/popup": "<p>popup</p>"}
        if path in pages:
            self._send(pages[path])
        elif path == "/gbk":
            self._send(GBK.encode("gbk"), headers={"Content-Type": "text/html; charset=gbk"})
        elif path == "/redirect":
            self._redirect(302, "/hop")
        elif path == "/hop":
            self._redirect(301, f"http://127.0.0.1:{port}/listing" if not site.tls else "/listing")
        elif path == "/to-file":
            self._redirect(302, "file:///etc/passwd")
        elif path == "/download":
            self._send(b"PK\x03\x04 not really a zip", headers={"Content-Type": "application/zip",
                                                               "Content-Disposition": 'attachment; filename="x.zip"'})
        elif path == "/slow":
            site.release.wait(60)  # longer than any capture timeout: the browser gives up first
            with contextlib.suppress(OSError):
                self._send("<p>too late</p>")
        else:
            self._send("<h1>404</h1>", status=404)


class Site:
    """A running loopback site: ``url(path)``, the paths it served, its certificate (TLS)."""

    def __init__(self, server: http.server.ThreadingHTTPServer, tls: bool, cert_pem: Path | None) -> None:
        self.server = server
        self.tls = tls
        self.cert_pem = cert_pem
        self.paths: list[str] = []
        self.release = threading.Event()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}{path}"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 (EC P-256, two days), as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "周口鞋业测试网店")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_pem, key_pem = folder / "site.pem", folder / "site.key"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert_pem, key_pem


@contextlib.contextmanager
def serve(folder: Path | None = None, *, tls: bool = False):
    """Serve the listing pages on 127.0.0.1 (a free port); with ``tls``, a self-signed certificate in ``folder``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    cert_pem = None
    if tls:
        cert_pem, key_pem = self_signed(folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_pem, key_pem)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    site = Site(server, tls, cert_pem)
    server.site = site
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.release.set()
        server.shutdown()
        server.server_close()


def unused_port() -> int:
    """A loopback port nothing listens on (bound once by the OS, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_case(folder: Path, case_id: str = "WEB-2024-001") -> Path:
    """A minimal case folder (case.yml, one label photo, one evidence file) for captures."""
    case = folder / case_id
    (case / "labels").mkdir(parents=True)
    (case / "evidence").mkdir()
    (case / "labels" / "label-1.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a real photo")
    (case / "evidence" / "订单导出.csv").write_text("order,amount\n1,199\n", encoding="utf-8")
    (case / "case.yml").write_text(
        f"case_id: {case_id}\ncase_no: 周市监处罚〔2024〕88号\ntitle: 某网店销售假冒注册商标运动鞋案\n"
        "cause: 涉嫌销售侵犯注册商标专用权的商品\norgan: 周口市市场监督管理局\n"
        "party:\n  name: 周口鞋业旗舰店 <script>window.__casebook_pwned=1</script>\n"
        "investigators:\n- name: 王敏\n  badge: '41160000001'\n- name: 李强\n  badge: '41160000002'\n",
        encoding="utf-8")
    return case
