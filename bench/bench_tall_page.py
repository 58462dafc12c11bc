"""Benchmark: a 100,000 px page photographed in tiles (as a capture does) against one full-page screenshot.

A generated page of coloured bands is served on loopback.  Each side runs in its own process with
the system Chromium, three times: **tiles** plans the bands with ``evidence.web.page_tiles.plan_tiles``
(8,192 px) and takes each as Playwright's full-page screenshot with a clip, as
``evidence.web.page_capture`` does; the anchor, **one image**, is Playwright's plain
``page.screenshot(full_page=True)``.  Medians of the screenshot time, the bytes written, the largest
image's height, and the peak RSS of the Python process and of the browser (its largest child) are
printed side by side.

    python bench/bench_tall_page.py
    python bench/bench_tall_page.py --height 200000 --repeats 5
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_RUN = """
import json, resource, struct, sys, time
sys.path.insert(0, {repo!r})
from playwright.sync_api import sync_playwright
from evidence.web.chromium import CHROMIUM_ARGS, chromium_path
from evidence.web.page_tiles import PAGE_SIZE_JS, plan_tiles
url, tiled = sys.argv[1], sys.argv[2] == "1"
with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={{"width": 1366, "height": 768}})
    page.goto(url, wait_until="load")
    began = time.perf_counter()
    if tiled:
        plan = plan_tiles(page.evaluate(PAGE_SIZE_JS), tile_height=8192, max_tiles=1000, max_width=4096)
        shots = [page.screenshot(full_page=True, type="png", clip=clip, timeout=600_000) for clip in plan.clips]
    else:
        shots = [page.screenshot(full_page=True, type="png", timeout=600_000)]
    took = time.perf_counter() - began
    browser.close()
print(json.dumps({{"seconds": took, "bytes": sum(map(len, shots)), "images": len(shots),
                  "tallest": max(struct.unpack(">II", s[16:24])[1] for s in shots),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "browser_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no request log on stderr
        pass


def _page(height: int) -> str:
    bands = "".join(f'<div style="height:1000px;background:rgb({(i * 53) % 256},{(i * 97) % 256},'
                    f'{(i * 151) % 256})">{i}</div>' for i in range(height // 1000))
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">{bands}</body></html>'


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--height", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "tall.html").write_text(_page(args.height), encoding="utf-8")
        handler = functools.partial(_Quiet, directory=folder)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/tall.html"
        runs: dict[str, list[dict]] = {"tiles": [], "one image": []}
        try:
            for _ in range(args.repeats):
                for name, flag in (("tiles", "1"), ("one image", "0")):
                    done = subprocess.run([sys.executable, "-c", _RUN.format(repo=str(REPO)), url, flag],
                                          capture_output=True, text=True, timeout=1200)
                    if done.returncode != 0:
                        print(f"{name}: failed: {done.stderr.strip().splitlines()[-1:]}")
                        continue
                    runs[name].append(json.loads(done.stdout))
        finally:
            server.shutdown()
    print(f"page of {args.height} px, {args.repeats} runs each, medians")
    print(f"{'side':<10} {'seconds':>8} {'images':>7} {'tallest px':>11} {'MB written':>11} {'RSS MB':>7} "
          f"{'browser RSS MB':>15}")
    medians = {}
    for name, items in runs.items():
        if not items:
            continue
        med = {key: statistics.median(item[key] for item in items) for key in items[0]}
        medians[name] = med
        print(f"{name:<10} {med['seconds']:>8.2f} {med['images']:>7.0f} {med['tallest']:>11.0f} "
              f"{med['bytes'] / 1e6:>11.2f} {med['rss_mb']:>7.0f} {med['browser_rss_mb']:>15.0f}")
    if len(medians) == 2:
        print(f"ratio tiles / one image: {medians['tiles']['seconds'] / medians['one image']['seconds']:.2f}x time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
