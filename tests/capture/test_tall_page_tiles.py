"""A very tall page is kept as screenshot tiles of bounded height, each sealed, with a reported cap.

The page is generated: 100 bands of 1,000 px, each of its own colour, served from a folder by a
loopback HTTP server and captured into a real case by the real headless Chromium.  A tile that
repeated an earlier part of the page, or came out blank, would show the wrong colour.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import json
import math
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from casebook.webcapture.case_capture import capture_urls
from evidence.integrity.manifest import load_manifest, verify_manifest
from evidence.web.page_capture import CaptureSettings
from evidence.web.page_tiles import plan_tiles
from tests.support.web_pages import write_case

BAND, BANDS = 1000, 100
HEIGHT = BAND * BANDS


def colour(band: int) -> tuple[int, int, int]:
    return (band * 53) % 256, (band * 97 + 40) % 256, (band * 151 + 80) % 256


def tall_page() -> str:
    bands = "".join(f'<div style="height:{BAND}px;background:rgb{colour(i)}"></div>' for i in range(BANDS))
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>无限滚动商品列表</title></head>'
            f'<body style="margin:0">{bands}</body></html>')


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no request log on stderr
        pass


@pytest.fixture(scope="module")
def tall_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    (root / "tall.html").write_text(tall_page(), encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tall.html"
    finally:
        server.shutdown()
        server.server_close()


def capture(tmp_path: Path, url: str, **settings) -> tuple[dict, Path]:
    run = capture_urls(write_case(tmp_path), [(None, url)], settings=CaptureSettings(timeout_s=120, **settings))
    assert not run.failed, run.failed
    result = run.results[0]
    return result.to_dict(), result.folder


@pytest.mark.slow
def test_a_100000_px_page_is_kept_whole_in_sealed_tiles_of_bounded_height(tmp_path, tall_url):
    data, folder = capture(tmp_path, tall_url)
    record = json.loads((folder / "capture.json").read_text(encoding="utf-8"))
    tiles = record["tiles"]
    expected = math.ceil(HEIGHT / 8192)
    assert tiles["count"] == expected and tiles["page_height"] == HEIGHT and tiles["capped"] is False
    assert record["page_size"] == {"width": 1366, "height": HEIGHT} and record["screenshot"] == "viewport"
    names = [f"screenshot-tile-{n:03d}.png" for n in range(1, expected + 1)]
    assert tiles["files"] == names

    manifest = {entry.path: entry for entry in load_manifest(folder / "manifest.json").entries}
    top = 0
    for name in names:
        data_png = (folder / name).read_bytes()
        assert manifest[name].digests["sha256"] == hashlib.sha256(data_png).hexdigest()
        image = Image.open(io.BytesIO(data_png)).convert("RGB")
        assert image.width == 1366 and 0 < image.height <= 8192
        for row in range(0, image.height, 211):  # every tile shows its own stretch of the page, not a repeat
            assert image.getpixel((683, row)) == colour((top + row) // BAND), (name, row)
        top += image.height
    assert top == HEIGHT
    with Image.open(folder / "screenshot.png") as first_screen:
        assert first_screen.size == (1366, 768)

    kinds = [item["kind"] for item in data["artifacts"]]
    assert kinds[:3 + expected] == ["html", "mhtml", "screenshot"] + ["screenshot_tile"] * expected
    assert verify_manifest(load_manifest(folder / "manifest.json"), folder).ok
    text = (folder / "record.html").read_text(encoding="utf-8")
    assert all(name in text for name in names) and f"页面高 {HEIGHT} 像素" in text and f"分为 {expected} 段" in text
    assert "首屏截图" in text  # screenshot.png is named for what it shows: the first screen
    from casebook.webcapture.capture_listing import captured_pages_html

    section = captured_pages_html(folder.parents[2])  # the dossier's capture section says the same
    assert "首屏截图" in section and "整页截图（分段）" in section


@pytest.mark.slow
def test_the_tile_cap_is_reported_not_silent(tmp_path, tall_url):
    _, folder = capture(tmp_path, tall_url, tile_height=4096, max_tiles=3)
    record = json.loads((folder / "capture.json").read_text(encoding="utf-8"))
    assert record["tiles"]["count"] == 3 and record["tiles"]["capped"] is True
    assert record["tiles"]["covered_height"] == 3 * 4096 and record["page_size"]["height"] == HEIGHT
    assert sorted(p.name for p in folder.glob("screenshot-tile-*.png")) == [
        "screenshot-tile-001.png", "screenshot-tile-002.png", "screenshot-tile-003.png"]
    cap = [item for item in record["not_taken"] if "tiles after" in item["artifact"]]
    assert len(cap) == 1 and f"{HEIGHT} px tall" in cap[0]["reason"] and "at most 3 tiles" in cap[0]["reason"]
    assert "at most 3 tiles" in (folder / "record.html").read_text(encoding="utf-8")


@given(width=st.integers(1, 50_000), height=st.integers(1, 2_000_000), tile=st.integers(256, 16384),
       cap=st.integers(1, 60), max_width=st.integers(256, 16384))
def test_planned_tiles_cover_the_page_from_the_top_in_bounded_bands(width, height, tile, cap, max_width):
    plan = plan_tiles({"width": width, "height": height}, tile_height=tile, max_tiles=cap, max_width=max_width)
    if height <= tile and width <= max_width:
        assert plan is None
        return
    assert 1 <= len(plan.clips) <= cap
    top = 0
    for clip in plan.clips:
        assert clip["y"] == top and 0 < clip["height"] <= tile and clip["width"] == min(width, max_width)
        top += clip["height"]
    assert plan.covered_height == top == min(height, cap * tile)
    assert plan.capped == (top < height)


@pytest.mark.parametrize("size", [None, {}, {"width": "x", "height": 3}, {"width": 1e400, "height": 1}])
def test_an_unmeasurable_page_gets_no_plan(size):
    assert plan_tiles(size, tile_height=8192, max_tiles=32, max_width=4096) is None
