"""folium maps: escaped case data, offline page with vendored assets, size, basemaps, Chromium check."""

from __future__ import annotations

import html
import re

import folium
import pytest

import geo
from geo.hotspot_maps import CaseMarkers, js_json, offline_html
from safeio.errors import InputError
from tests.support.browser import PWNED_MARKER, inspect_page
from tests.support.geo_synthetic import synthetic_casebook

XSS = "<img src=x onerror=alert(1)>"
BREAKOUT = f"</script><script>window.{PWNED_MARKER}=1;alert(2)</script>"


@pytest.fixture(scope="module")
def hostile_result():
    syn = synthetic_casebook(1)
    cases = syn.cases.iloc[:60].copy()
    cases.loc[0, "title"] = XSS
    cases.loc[1, "title"] = BREAKOUT
    cases.loc[2, "category"] = "<b onmouseover=alert(3)>x</b>"
    cases.loc[3, "market"] = "\u2028'\"&amp;"
    return geo.find_hotspots(cases, syn.baseline)


def test_offline_page_has_no_cdn_and_inlines_vendored_assets(hostile_result):
    page = offline_html(geo.hotspot_map(hostile_result))
    assert not re.search(r'<script[^>]+src=', page)
    assert not re.search(r'<link[^>]+href="https?:', page)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "code.jquery" not in page
    assert "L.markerClusterGroup" in page and "leaflet.markercluster" not in re.findall(r'src="([^"]+)"', page)
    assert "url(images/" not in page  # leaflet.css images inlined as data: URIs


def test_case_fields_never_reach_the_page_as_markup(hostile_result):
    page = offline_html(geo.hotspot_map(hostile_result))
    assert XSS not in page and BREAKOUT not in page
    assert "<b onmouseover" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # JSON-escaped inside the script


def test_js_json_cannot_close_its_script():
    text = js_json([["</script><!--", "\u2028", "&"]])
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


def test_basemaps(hostile_result):
    m = offline_html(geo.hotspot_map(hostile_result, basemap="gaode"))
    assert "autonavi" in m
    with pytest.raises(InputError, match="key"):
        geo.hotspot_map(hostile_result, basemap="tianditu")
    assert "tk=KEY123" in offline_html(geo.hotspot_map(hostile_result, basemap="tianditu", tianditu_key="KEY123"))
    with pytest.raises(InputError, match="basemap"):
        geo.hotspot_map(hostile_result, basemap="google")


def test_gaode_basemap_shifts_overlays_to_gcj02(hostile_result):
    lon, lat = float(hostile_result.cases.lon[0]), float(hostile_result.cases.lat[0])
    plain = geo.hotspot_map(hostile_result, focus=(lon, lat))
    shifted = geo.hotspot_map(hostile_result, basemap="gaode", focus=(lon, lat))
    glon, glat = geo.coords.wgs84_to_gcj02(lon, lat)
    assert plain.location == pytest.approx([lat, lon])
    assert shifted.location == pytest.approx([float(glat), float(glon)])
    assert abs(shifted.location[0] - lat) > 1e-4  # hundreds of metres, not a rounding


def test_notebook_view_escapes_the_page_into_srcdoc(hostile_result):
    view = geo.hotspot_maps.notebook_view(geo.hotspot_map(hostile_result), height=400)
    frame = view.data
    assert frame.startswith("<iframe srcdoc=\"") and 'sandbox="allow-scripts"' in frame
    inner = frame[len('<iframe srcdoc="'):frame.index('" sandbox=')]
    assert '"' not in inner and "<" not in inner  # fully escaped attribute
    assert "L.map(" in html.unescape(inner)


def test_large_marker_data_is_compressed():
    rows = [[33.6 + i * 1e-5, 114.6, f"案件 {i} " + "假冒伪劣" * 10, 0] for i in range(20_000)]
    small = CaseMarkers(rows[:10])
    big = CaseMarkers(rows)
    assert small.packed is None and big.packed is not None
    assert len(big.packed) < len(js_json(rows)) / 3


@pytest.mark.slow
def test_map_in_headless_chromium_runs_no_case_script_and_makes_no_request(hostile_result, tmp_path):
    from casebook.words.map_words import map_labels

    path = geo.hotspot_maps.write_offline_html(geo.hotspot_map(hostile_result, heat=True, labels=map_labels("zh")),
                                               tmp_path / "map.html")
    report = inspect_page(path, settle_ms=1000, probes=_map_probes(4))
    assert report.requests == [], report.requests
    assert report.dialogs == [] and report.pwned_frames == [] and report.probes["injected_images"] == 0
    assert report.page_errors == [] and report.probes["leaflet"]
    popups = " ".join(p or "" for p in report.probes["popups"])
    assert html.escape(XSS, quote=False) in popups  # shown as text
    assert "热点 99%" in report.text  # the legend rendered


@pytest.mark.slow
def test_compressed_markers_render_in_chromium(tmp_path):
    syn = synthetic_casebook(4, scale=3)
    cases = syn.cases.copy()
    cases.loc[0, "title"] = XSS
    result = geo.find_hotspots(cases, syn.baseline, trend=False)
    m = folium.Map(location=[33.7, 114.8], zoom_start=9, tiles=None, prefer_canvas=True)
    m.options["maxZoom"] = 18
    markers = CaseMarkers(_rows(result), compress_over=0).add_to(m)
    assert markers.packed
    path = tmp_path / "map.html"
    path.write_text(offline_html(m), encoding="utf-8")
    report = inspect_page(path, settle_ms=2500, probes=_map_probes(3))
    assert report.requests == [] and report.dialogs == [] and report.page_errors == []
    assert report.pwned_frames == [] and report.probes["injected_images"] == 0
    assert len(report.probes["popups"]) == 3
    assert html.escape(XSS, quote=False) in " ".join(report.probes["popups"])


_OPEN_POPUPS_JS = """async (limit) => {
  const groups = Object.values(window).filter(v => v && window.L && L.MarkerClusterGroup && v instanceof L.MarkerClusterGroup);
  const out = [];
  for (const g of groups) {
    for (const layer of g.getLayers().slice(0, limit)) {
      await new Promise(res => { g.zoomToShowLayer(layer, res); setTimeout(res, 3000); });
      layer.openPopup();
      const els = document.querySelectorAll('.leaflet-popup-content');
      const el = els[els.length - 1];
      out.push(el ? el.innerHTML : null);
    }
  }
  return out;
}"""


def _map_probes(open_popups: int) -> dict:
    """Open the first case popups (their HTML), count injected <img src=x>, check Leaflet loaded."""
    return {"popups": (_OPEN_POPUPS_JS, open_popups),
            "injected_images": ("() => document.querySelectorAll('img[src=x]').length", None),
            "leaflet": ("() => typeof L !== 'undefined' && !!L.map", None)}


def _rows(result):
    from geo.hotspot_maps import _case_text

    return [[float(r["lat"]), float(r["lon"]), _case_text(r), 0] for r in result.cases.to_dict("records")]


def test_map_of_100k_like_volume_stays_small():
    syn = synthetic_casebook(9, scale=20)  # ~24k cases: the size scales linearly (bench checks 100k)
    result = geo.find_hotspots(syn.cases, syn.baseline, trend=False, clusters=False)
    page = offline_html(geo.hotspot_map(result))
    per_case = len(page.encode()) / len(syn.cases)
    assert per_case * 100_000 < 10e6, per_case
