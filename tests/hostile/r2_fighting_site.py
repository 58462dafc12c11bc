"""A loopback site of pages that fight back: print on load, 300,000 elements, a 50 MB body, a body that never ends."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time

LONG_TARGET_CHARS = 1_200_000

PAGES = {
    "/print": "<!DOCTYPE html><html><head><title>打印</title></head><body><p>假冒运动鞋 99 元</p>"
              "<script>window.print(); window.print();</script></body></html>",
    "/crowd": "<!DOCTYPE html><html><head><title>人多</title></head><body><p>假冒运动鞋 99 元</p><div id=c></div>"
              "<script>const c = document.getElementById('c'); const parts = [];"
              "for (let i = 0; i < 300000; i++) parts.push('<div>商品 ' + i + '</div>');"
              "c.innerHTML = parts.join('');</script></body></html>",
    "/long-move": "<!DOCTYPE html><html><head><title>跳转</title></head><body><p>假冒运动鞋 99 元</p><script>"
                  f"history.replaceState(null, '', '/moved?' + 'q'.repeat({LONG_TARGET_CHARS}));</script></body></html>",
}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path in PAGES:
            data = PAGES[path].encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif path == "/huge":  # 50 MB declared and sent
            size = 50 << 20
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            self.wfile.write(b"<!DOCTYPE html><title>huge</title><p>\xe5\x81\x87\xe5\x86\x92</p>")
            chunk = b"<p>x</p>" * 8192
            with contextlib.suppress(OSError):
                sent = 0
                while sent < size - 100:
                    self.wfile.write(chunk)
                    sent += len(chunk)
        elif path == "/endless":  # chunked, never ends
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            with contextlib.suppress(OSError):
                self._chunk(b"<!DOCTYPE html><title>endless</title><p>\xe5\x81\x87\xe5\x86\x92</p>")
                while not self.server.stopping.is_set():
                    self._chunk(b"<p>more</p>" * 200)
                    time.sleep(0.01)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


@contextlib.contextmanager
def fighting_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.stopping = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
