"""The demo's hotspot brief, as a person sees it in headless Chromium: the planted hot areas on a map with county borders."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from casebook.browser import launch_browser

_MAP_PROBE = """() => {
  const doc = document;
  if (!doc.querySelector('.leaflet-container')) { return null; }
  const text = (sel) => Array.from(doc.querySelectorAll(sel)).map(e => e.textContent.trim());
  return {areas: text('.cb-area'), counties: text('.cb-county'),
          scale: text('.leaflet-control-scale-line'), legend: doc.body.innerText.includes('热点 99%'),
          canvases: doc.querySelectorAll('.leaflet-overlay-pane canvas').length};
}"""


@pytest.mark.slow
def test_demo_brief_shows_the_planted_hot_areas_with_county_borders(sample_book, tmp_path):
    from casebook.demo import run_hotspot_brief

    brief = run_hotspot_brief(sample_book, tmp_path)
    assert brief is not None and brief.is_file()
    truth = json.loads((sample_book / "truth.json").read_text(encoding="utf-8"))["register"]
    summary = json.loads((tmp_path / "hotspot_summary.json").read_text(encoding="utf-8"))
    with launch_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 2400})  # the map in view from the start
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "about:", "blob:"))
                   else r.abort())
        page.goto(brief.resolve().as_uri(), wait_until="load")
        frame = page.locator("iframe[srcdoc]").first
        page.wait_for_timeout(2500)  # Leaflet draws, the markers inflate
        # the map page runs in a sandboxed frame (no same-origin access): probe it from inside
        probes = [f.evaluate(_MAP_PROBE) for f in page.frames if f != page.main_frame]
        probe = next(p for p in probes if p)
        shot = tmp_path / "brief_map.png"
        frame.screenshot(path=str(shot))
        text = page.inner_text("body")
        first_headers = page.evaluate("() => Array.from(document.querySelectorAll('table thead tr'))"
                                      ".map(tr => tr.querySelector('th') ? tr.querySelector('th').innerText.trim() : '')")
    if os.environ.get("CASEBOOK_KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["CASEBOOK_KEEP_SCREENSHOT"])
    assert shot.stat().st_size > 20_000
    # the two planted areas are drawn and named, in the counties the truth gives
    assert len(probe["areas"]) >= 2, probe
    areas = summary["hot_areas"]
    for spot in truth["hotspots"]:
        assert any(a["county"] == spot["county"] and abs(a["lon"] - spot["lon"]) < 0.02 and abs(a["lat"] - spot["lat"]) < 0.02
                   for a in areas[:len(probe["areas"])]), spot["name"]
    # county borders and names as a vector layer, a metric scale bar, the Chinese legend
    assert {"川汇区", "西华县", "商水县", "淮阳区"} <= set(probe["counties"]), probe["counties"]
    assert probe["scale"] and all(s.endswith(("km", "m")) for s in probe["scale"]), probe["scale"]
    assert int(probe["scale"][0].split()[0]) <= 50, probe["scale"]  # the prefecture fills the map, not the world
    assert probe["legend"] and probe["canvases"] >= 1  # borders and cells are drawn on canvas
    # Chinese tables without a pandas index column, categories in Chinese
    assert "热点区域" in text and "区划代码" in text and "食品" in text and "城乡结合部" in text
    assert "" not in first_headers, first_headers
