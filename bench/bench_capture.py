"""Web capture throughput: ``casebook evidence capture --list`` against the plain ways, same pages.

Anchors, run side by side on the same loopback listing pages (each with a dozen product photos,
a stylesheet and a script that sets the price after load):

- **playwright**: what an analyst scripts by hand: one Chromium, a new context per page,
  ``goto(load)``, ``content()``, full-page ``screenshot()``, ``pdf()``, then ``sha256sum`` of the
  files. No settling, no MHTML, no response record, no seal, no extraction record, no custody.
- **chromium-cli**: ``chromium --headless --screenshot`` per page (a browser start each time),
  what an officer can do from a shell: a viewport-sized screenshot and nothing else.

Reported: wall seconds per page (median over rounds), the ratio to each anchor, and the peak
memory of the whole process tree (the command, its Playwright drivers and every Chromium
process) as PSS, which splits shared pages among their sharers, sampled every 0.2 s with psutil.

    python bench/bench_capture.py            # 8 pages, 1 round (about a minute on 2 cores)
    python bench/bench_capture.py --full     # 20 pages, 3 rounds
"""

from __future__ import annotations

import argparse
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def write_case(folder: Path, case_id: str = "WEB-2024-001") -> Path:
    """A minimal case folder (case.yml, one label photo, one evidence file) to capture into."""
    case = folder / case_id
    (case / "labels").mkdir(parents=True)
    (case / "evidence").mkdir()
    (case / "labels" / "label-1.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a real photo")
    (case / "evidence" / "订单导出.csv").write_text("order,amount\n1,199\n", encoding="utf-8")
    (case / "case.yml").write_text(
        f"case_id: {case_id}\ncase_no: 周市监处罚〔2024〕88号\ntitle: 某网店销售假冒注册商标运动鞋案\n"
        "organ: 周口市市场监督管理局\nparty:\n  name: 周口鞋业旗舰店\n", encoding="utf-8")
    return case


PHOTOS = 12


def _photo(index: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (30 + 17 * index % 200, 90, 160))
    ImageDraw.Draw(image).text((20, 20), f"photo {index}", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _page(item: int) -> str:
    photos = "\n".join(f'<img src="/img/{item}-{i}.jpg" width="480" height="360">' for i in range(PHOTOS))
    return textwrap.dedent(f"""\
        <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>商品 {item} 耐克运动鞋</title>
        <link rel="stylesheet" href="/style.css"></head><body><h1>耐克 Air 运动鞋 {item}</h1>
        <p id="price">¥ 399</p><div class="photos">{photos}</div><p>{'商品详情。' * 400}</p>
        <script>addEventListener('load', () => setTimeout(() => {{
          document.getElementById('price').textContent = '¥ {99 + item}'; }}, 200));</script></body></html>""")


class _Handler(http.server.BaseHTTPRequestHandler):
    photos: tuple[bytes, ...] = tuple(_photo(i) for i in range(PHOTOS))

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/item/"):
            body, kind = _page(int(self.path.rsplit("/", 1)[1])).encode("utf-8"), "text/html; charset=utf-8"
        elif self.path.startswith("/img/"):
            body, kind = self.photos[int(self.path.split("-")[1].split(".")[0])], "image/jpeg"
        elif self.path == "/style.css":
            body, kind = b"body{font-family:sans-serif;max-width:1000px;margin:auto}.photos img{margin:4px}", "text/css"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A browser that hangs up mid-answer (chromium --screenshot does) is not worth a traceback."""


def _tree_memory(pid: int) -> int:
    """PSS summed over a process and its descendants: shared pages (Chromium's many processes share
    most of theirs) are split among their sharers, so the sum is what the tree really holds."""
    import psutil

    def one(process) -> int:
        try:
            return getattr(process.memory_full_info(), "pss", None) or process.memory_info().rss
        except psutil.Error:
            return 0

    try:
        root = psutil.Process(pid)
        return one(root) + sum(one(child) for child in root.children(recursive=True))
    except psutil.Error:
        return 0


def measured(args: list[str], **kwargs) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run a command; wall seconds and the peak memory (PSS, bytes) of its whole process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    result = subprocess.CompletedProcess(args, proc.returncode, out, err)
    if proc.returncode not in (0,):
        raise RuntimeError(f"{args[:4]} failed ({proc.returncode}): {err[-2000:]}")
    return wall, peak, result


ANCHOR_SCRIPT = """
import subprocess, sys
from pathlib import Path
from playwright.sync_api import sync_playwright
out, urls = Path(sys.argv[1]), sys.argv[2:]
with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
    for index, url in enumerate(urls):
        folder = out / str(index)
        folder.mkdir(parents=True)
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(url, wait_until="load")
        (folder / "page.html").write_text(page.content(), encoding="utf-8")
        (folder / "screenshot.png").write_bytes(page.screenshot(full_page=True))
        (folder / "page.pdf").write_bytes(page.pdf())
        context.close()
        subprocess.run(["sha256sum", *sorted(str(p) for p in folder.iterdir())], check=True, capture_output=True)
    browser.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="20 pages, 3 rounds")
    args = parser.parse_args()
    pages, rounds = (20, 3) if args.full else (8, 1)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = [f"http://127.0.0.1:{server.server_address[1]}/item/{i}" for i in range(pages)]
    print(f"load before: {os.getloadavg()[0]:.2f} (1-min), {os.cpu_count()} cores; {pages} pages x {rounds} round(s)")
    times: dict[str, list[float]] = {"casebook": [], "playwright": [], "chromium-cli": []}
    peaks: dict[str, int] = dict.fromkeys(times, 0)
    settle: list[float] = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            case = write_case(root / "book")
            listing = root / "urls.txt"
            listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
            wall, peak, done = measured([sys.executable, "-m", "casebook.cli", "evidence", "capture", "--list",
                                         str(listing), "--case", str(case), "--json"], env=env, cwd=REPO)
            data = json.loads(done.stdout)
            assert len(data["captured"]) == pages and not data["failed"], data["failed"]
            for item in data["captured"]:
                record = json.loads(Path(item["artifacts"][5]["path"]).read_text(encoding="utf-8"))
                settle.append(_seconds(record["snapshot"]["utc"]) - _seconds(record["started"]["utc"]))
            times["casebook"].append(wall / pages)
            peaks["casebook"] = max(peaks["casebook"], peak)

            wall, peak, _ = measured([sys.executable, "-c", ANCHOR_SCRIPT, str(root / "anchor"), *urls], env=env)
            times["playwright"].append(wall / pages)
            peaks["playwright"] = max(peaks["playwright"], peak)

            shots = root / "cli"
            shots.mkdir()
            started, peak = time.perf_counter(), 0
            for index, url in enumerate(urls):
                _, one_peak, _ = measured(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                                           f"--screenshot={shots / f'{index}.png'}", "--window-size=1366,768", url])
                peak = max(peak, one_peak)
            times["chromium-cli"].append((time.perf_counter() - started) / pages)
            peaks["chromium-cli"] = max(peaks["chromium-cli"], peak)
    server.shutdown()
    ours = statistics.median(times["casebook"])
    print(f"{'':14}{'s/page (median)':>16}{'ratio casebook/x':>18}{'peak PSS tree':>16}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:14}{median:16.2f}{ours / median:18.2f}{peaks[name] / 2**20:13.0f} MiB")
    print(f"casebook: median {statistics.median(settle):.2f} s per page from navigation to snapshot "
          f"(load + network idle 0.5 s + DOM quiet 0.5 s); the rest is MHTML, records, sealing, the 笔录 PDF")
    print(f"load after: {os.getloadavg()[0]:.2f} (1-min)")


def _seconds(utc: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(utc.replace("Z", "+00:00")).timestamp()


if __name__ == "__main__":
    main()
