"""folium maps of a hot spot result, and a self-contained offline page of them.

Everything from case data is escaped: folium inserts plain-string tooltips and GeoJson tooltip
values as raw HTML, so strings are ``html.escape``d before they reach folium, and case markers
build their popups with ``textContent`` from JSON that cannot close its ``<script>``.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import folium
import numpy as np
from branca.element import MacroElement, Template
from folium.plugins import FastMarkerCluster, HeatMap

from geo.coords import from_wgs84
from geo.map_labels import CODES, MapLabels
from geo.settlement import cores_near
from safeio.errors import InputError

__all__ = ["BIN_COLOURS", "CaseMarkers", "FitWhenShown", "Legend", "MetricScale", "hotspot_map", "js_json", "multipolygon_coordinates",
           "notebook_view", "offline_html", "write_offline_html"]

ASSETS = Path(__file__).with_name("assets")

# ArcGIS's hot spot palette, Gi_Bin -3..3
BIN_COLOURS = {3: "#d62f27", 2: "#ed7551", 1: "#fab984", 0: "#f2f2ee", -1: "#c0ccbe", -2: "#849eba", -3: "#4575b5"}

BASEMAPS = ("none", "osm", "gaode", "tianditu")
GAODE_TILES = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
TIANDITU_TILES = "https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=%s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%s"


def js_json(value) -> str:
    """JSON safe to place inside <script>: no '<', '>', '&' or line separators left raw."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


class CaseMarkers(FastMarkerCluster):
    """Clustered case markers that stay fast at 100k: one compact JSON array, popups built on demand
    with textContent (never innerHTML), canvas circle markers (no icon images to fetch).

    Above ``compress_over`` bytes the JSON is gzipped and base64-encoded, and the page inflates it
    with the browser's DecompressionStream: 100k cases fit in ~3 MB instead of ~13 MB.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: 50});
            (function(cluster){
                var colours = ['#3388ff', '#d62f27'];
                var popup = function(layer) {
                    var el = document.createElement('div');
                    el.style.whiteSpace = 'pre-line';
                    el.textContent = layer.options.caseText;
                    return el;
                };
                var add = function(data) {
                    var markers = [];
                    for (var i = 0; i < data.length; i++) {
                        var row = data[i];
                        var m = L.circleMarker([row[0], row[1]], {radius: 5, weight: 1, color: '#333',
                            fillColor: colours[row[3]], fillOpacity: 0.9, caseText: row[2]});
                        m.bindPopup(popup);
                        markers.push(m);
                    }
                    cluster.addLayers(markers);
                };
                {% if this.packed %}
                var raw = atob("{{ this.packed }}");
                var bytes = new Uint8Array(raw.length);
                for (var j = 0; j < raw.length; j++) { bytes[j] = raw.charCodeAt(j); }
                var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
                new Response(stream).text().then(function(text) { add(JSON.parse(text)); });
                {% else %}
                add({{ this.data_json }});
                {% endif %}
                {% if this.show %}cluster.addTo({{ this._parent.get_name() }});{% endif %}
            })({{ this.get_name() }});
        {% endmacro %}""")

    def __init__(self, rows, name="Cases", show=True, compress_over: int = 2_000_000):
        super().__init__([], name=name, show=show)
        self.data_json = js_json(rows)
        self.packed = None
        if len(self.data_json.encode("utf-8")) > compress_over:
            import base64
            import gzip

            raw = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            self.packed = base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")
            self.data_json = "[]"


class Legend(MacroElement):
    _template = Template("""
        {% macro html(this, kwargs) %}
        <div style="position: fixed; bottom: 24px; left: 12px; z-index: 9999; background: white;
             padding: 6px 10px; border: 1px solid #999; font: 12px sans-serif; line-height: 18px;">
          <b>{{ this.title }}</b><br>
          {% for colour, label in this.items %}
          <span style="display:inline-block;width:14px;height:12px;background:{{ colour }};
                border:1px solid #777;vertical-align:middle;"></span> {{ label }}<br>
          {% endfor %}
        </div>
        {% endmacro %}""")

    def __init__(self, title: str, items: list[tuple[str, str]]):
        super().__init__()
        self.title = html.escape(title)
        self.items = [(c, html.escape(label)) for c, label in items]


def _case_text(row, labels: MapLabels = CODES) -> str:
    """Popup text: number/id and title on line 1, date, category, market and setting on line 2."""
    def field(col):
        value = row.get(col)
        if value is None or str(value) in ("", "nan", "NaT", "None", "<NA>"):
            return None
        if col == "opened" and hasattr(value, "date"):
            return value.date().isoformat()
        if col == "category":
            return labels.category(value)[:60]
        if col == "setting":
            return labels.word(value)
        return str(value)[:60]

    first = " ".join(v for v in (field("case_no") or field("case_id"), field("title")) if v)
    second = " · ".join(v for v in (field("opened"), field("category"), field("market"), field("setting")) if v)
    return f"{first}\n{second}" if second else first


def _esc(value) -> str:
    if isinstance(value, float | np.floating):
        return f"{value:.4g}"
    return html.escape(str(value))


class MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's adds miles)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            L.control.scale({metric: true, imperial: false, maxWidth: 160}).addTo({{ this._parent.get_name() }});
        {% endmacro %}""")


class FitWhenShown(MacroElement):
    """Fit the bounds again once the map has a size: a map inside a notebook's iframe may be laid out
    after its script ran, and Leaflet fits a zero-size map to the whole world."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function(map) {
                var bounds = L.latLngBounds({{ this.bounds|tojson }}), done = false;
                var fit = function() {
                    if (done) { return; }
                    map.invalidateSize();  // Leaflet caches the size it saw first (0 x 0 in a hidden frame)
                    var size = map.getSize();
                    if (size.x === 0 || size.y === 0) { return; }
                    done = true;
                    map.fitBounds(bounds);
                };
                window.addEventListener('load', fit);
                if (window.ResizeObserver) { new ResizeObserver(fit).observe(map.getContainer()); }
            })({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self, bounds):
        super().__init__()
        self.bounds = bounds


def _in_window(lon, lat, focus, window_m) -> np.ndarray:
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if focus is None:
        return np.ones(len(lon), dtype=bool)
    dx = (lon - focus[0]) * 111_320.0 * np.cos(np.radians(focus[1]))
    dy = (lat - focus[1]) * 110_574.0
    return (np.abs(dx) <= window_m) & (np.abs(dy) <= window_m)


def multipolygon_coordinates(geom, shift) -> list:
    """GeoJSON MultiPolygon coordinates of a (Multi)Polygon, each ring moved by ``shift(x, y)``, 5 decimals."""
    coords = []
    for poly in (list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]):
        rings = []
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            x, y = shift(xy[:, 0], xy[:, 1])
            rings.append(np.round(np.column_stack([x, y]), 5).tolist())
        coords.append(rings)
    return coords


def _county_layer(m, result, shift, labels, focus, window_m) -> None:
    """County borders and names as a vector layer: simplified outlines of the counties in view only."""
    import shapely

    shapes = getattr(result, "outlines", None)
    if shapes is None or len(shapes) == 0:
        return
    if focus is not None:
        box = shapely.box(focus[0] - window_m / 90_000, focus[1] - window_m / 110_000,
                          focus[0] + window_m / 90_000, focus[1] + window_m / 110_000)
        shapes = shapes.loc[[g.intersects(box) for g in shapes["display"]]]
    layer = folium.FeatureGroup(name=labels.label("Counties"), show=True).add_to(m)
    features = []
    for code, name, geom in zip(shapes.adcode, shapes.name, shapes["display"], strict=True):
        coords = multipolygon_coordinates(geom, shift)
        features.append({"type": "Feature", "properties": {"adcode": _esc(code), "name": _esc(name)},
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
        point = geom.representative_point() if focus is None else None
        if point is not None:
            px, py = shift([point.x], [point.y])
            folium.Marker([float(py[0]), float(px[0])], icon=folium.DivIcon(
                html=f'<div class="cb-county">{html.escape(str(name))}</div>', icon_size=(80, 18),
                icon_anchor=(40, 9))).add_to(layer)
    if features:
        folium.GeoJson({"type": "FeatureCollection", "features": features},
                       style_function=lambda f: {"color": "#444", "weight": 1.6, "fill": False, "dashArray": "6 3"},
                       tooltip=folium.GeoJsonTooltip(fields=["name", "adcode"],
                                                     aliases=[labels.column("name"), labels.column("adcode")]),
                       ).add_to(layer)
    if focus is not None:  # names at the border's inner side would clutter a few-km view: one label per county
        for name, geom in zip(shapes.name, shapes["display"], strict=True):
            inside = geom.intersection(shapely.box(focus[0] - window_m / 90_000, focus[1] - window_m / 110_000,
                                                   focus[0] + window_m / 90_000, focus[1] + window_m / 110_000))
            if inside.is_empty:
                continue
            point = inside.representative_point()
            px, py = shift([point.x], [point.y])
            folium.Marker([float(py[0]), float(px[0])], icon=folium.DivIcon(
                html=f'<div class="cb-county">{html.escape(str(name))}</div>', icon_size=(80, 18),
                icon_anchor=(40, 9))).add_to(layer)


_COUNTY_CSS = """<style>.cb-county{font:bold 13px sans-serif;color:#333;text-align:center;white-space:nowrap;
text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;pointer-events:none}
.cb-area{font:bold 12px sans-serif;color:#b2182b;white-space:nowrap;
text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;pointer-events:none}</style>"""


def hotspot_map(result, basemap: str = "none", *, tianditu_key: str | None = None, labels: MapLabels = CODES,
        max_markers: int | None = 20_000, show_all_cells: bool = False, heat: bool = True,
        focus: tuple[float, float] | None = None, focus_zoom: int = 14, window_m: float = 4000.0) -> folium.Map:
    """A folium map of a :class:`~geo.hotspots.HotspotResult`: cells, heat, cases, clusters, cores, counties.

    Parameters
    ----------
    result : HotspotResult
    basemap : str
        "none" (offline), "osm", "gaode" (GCJ-02 tiles: every overlay is shifted to GCJ-02 for
        display), "tianditu" (needs ``tianditu_key``).  Published maps in China need an approved
        basemap (审图号).
    labels : MapLabels
        The words of the legend, layer names and tooltips (default: the codes themselves).
    max_markers : int or None
        At most this many case markers (a reproducible sample); cells and heat carry every case.
    show_all_cells : bool
        Draw every cell, not only the significant ones.
    focus : (lon, lat), optional
        A WGS-84 position to centre on and mark (a dossier's case): the map then holds only the
        cells, cases, clusters and counties within ``window_m`` of it.
    focus_zoom, window_m : int, float
        Zoom of the focused view and half the side of its window in metres.

    Returns
    -------
    folium.Map

    Raises
    ------
    InputError
        An unknown basemap, or Tianditu without a key.
    """
    if basemap not in BASEMAPS:
        raise InputError(f"unknown basemap '{basemap}'.", field="basemap", hint=f"Use one of {', '.join(BASEMAPS)}.")
    if basemap == "tianditu" and not tianditu_key:
        raise InputError("the Tianditu basemap needs a key.", field="tianditu_key",
                         hint="Get a free key at console.tianditu.gov.cn, or use basemap 'none'.")
    display = "gcj02" if basemap == "gaode" else "wgs84"

    def shift(lon, lat):
        return from_wgs84(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), display)

    bin_names = labels.bins
    cells, cases = result.cells, result.cases
    if focus is not None:
        focus = (float(focus[0]), float(focus[1]))
        centre = shift([focus[0]], [focus[1]])
    else:
        centre = shift([cells.loc[cells.cases > 0].lon.mean()], [cells.loc[cells.cases > 0].lat.mean()])
    m = folium.Map(location=[float(centre[1][0]), float(centre[0][0])], zoom_start=focus_zoom if focus else 9,
                   tiles=None, control_scale=False, prefer_canvas=True)
    m.options["maxZoom"] = 18  # without tiles, folium drops max_zoom and markercluster then refuses to run
    m.options["minZoom"] = 3
    MetricScale().add_to(m)
    m.get_root().header.add_child(folium.Element(_COUNTY_CSS))
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    elif basemap == "gaode":
        folium.TileLayer(GAODE_TILES, attr="© 高德地图 (GCJ-02)", name="高德地图", subdomains="1234").add_to(m)
    elif basemap == "tianditu":
        key = html.escape(tianditu_key, quote=True)
        folium.TileLayer(TIANDITU_TILES % ("vec", "vec", key), attr="© 天地图", name="天地图",
                         subdomains="01234567").add_to(m)
        folium.TileLayer(TIANDITU_TILES % ("cva", "cva", key), attr="© 天地图", name="天地图注记",
                         subdomains="01234567", overlay=True).add_to(m)

    _county_layer(m, result, shift, labels, focus, window_m * 1.5)
    near_cells = _in_window(cells.lon, cells.lat, focus, window_m * 1.5)
    shown = cells.loc[near_cells & ((cells.gi_bin != 0) | show_all_cells)]
    features = []
    fields = ("cell", "cases", "z", "p", "confidence", "type", "setting", "trend")
    for r in shown.itertuples():
        ring = np.asarray(r.geometry.exterior.coords)
        x, y = shift(ring[:, 0], ring[:, 1])
        props = {k: _esc(getattr(r, k)) for k in ("cell", "cases", "z", "p")}
        for k in ("type", "setting", "trend"):
            props[k] = _esc(labels.word(getattr(r, k)))
        props["confidence"] = _esc(r.confidence if r.confidence is not None else "")
        props["gi_bin"] = int(r.gi_bin)
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "Polygon", "coordinates": [np.round(np.column_stack([x, y]), 6).tolist()]}})
    cell_layer = folium.FeatureGroup(name=labels.label("Hot/cold cells"), show=True).add_to(m)
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=lambda f: {"fillColor": BIN_COLOURS[f["properties"]["gi_bin"]], "color": "#666",
                                      "weight": 0.5, "fillOpacity": 0.65},
            tooltip=folium.GeoJsonTooltip(fields=list(fields), aliases=[labels.column(f) for f in fields]),
        ).add_to(cell_layer)

    if heat and focus is None:
        occ = cells.loc[cells.cases > 0]
        hx, hy = shift(occ.lon, occ.lat)
        weights = occ.cases.to_numpy(float) / max(float(occ.cases.max()), 1.0) if len(occ) else []
        HeatMap(np.column_stack([np.round(hy, 5), np.round(hx, 5), weights]).tolist(), name=labels.label("Heat map"),
                show=False, radius=18).add_to(m)

    near = cases.loc[_in_window(cases.lon, cases.lat, focus, window_m * 1.5)] if len(cases) else cases
    sample = near if max_markers is None or len(near) <= max_markers else near.sample(max_markers, random_state=0)
    mx, my = shift(sample.lon, sample.lat)
    colours = (sample.gi_bin.to_numpy() > 0).astype(int) if "gi_bin" in sample else np.zeros(len(sample), dtype=int)
    records = sample.to_dict("records")
    rows = [[round(float(b), 5), round(float(a), 5), _case_text(rec, labels), int(c)]
            for a, b, rec, c in zip(mx, my, records, colours, strict=True)]
    # at prefecture scale thousands of case bubbles hide the hot areas: the layer starts off there
    CaseMarkers(rows, name=labels.label("Cases"), show=focus is not None or len(near) <= 500).add_to(m)

    areas = result.summary.get("hot_areas") or []
    if areas and focus is None:  # at prefecture zoom a cell is a pixel: mark each hot area where it is
        folium.map.CustomPane("cb-hot-areas", z_index=650).add_to(m)  # above markers and clusters
        area_layer = folium.FeatureGroup(name=labels.label("Hot areas"), show=True).add_to(m)
        for k, area in enumerate(areas, start=1):
            x, y = shift([area["lon"]], [area["lat"]])
            where = [float(y[0]), float(x[0])]
            text = (f"{labels.label('Hot area')} {k}: {area.get('county') or ''} {labels.word(area.get('setting'))}, "
                    f"{labels.column('cases')} {area['cases']}, {labels.column('trend')} {labels.word(area.get('trend'))}")
            ring = folium.CircleMarker(where, radius=16, color="#d62f27", weight=3, fill=True, fill_color="#d62f27",
                                       fill_opacity=0.15, tooltip=html.escape(text))
            ring.options["pane"] = "cb-hot-areas"  # folium drops a path's pane argument
            ring.add_to(area_layer)
            folium.Marker(where, icon=folium.DivIcon(
                html=f'<div class="cb-area" style="text-align:{"left" if k % 2 else "right"}">'
                     f'{html.escape(labels.label("Hot area"))} {k}</div>', icon_size=(90, 18),
                icon_anchor=(-14, 22) if k % 2 else (104, 22)), z_index_offset=10_000).add_to(area_layer)

    clusters = result.clusters.loc[_in_window(result.clusters.lon, result.clusters.lat, focus, window_m * 2)] \
        if len(result.clusters) else result.clusters
    if len(clusters):
        hull_features = []
        for r in clusters.itertuples():
            ring = np.asarray(r.geometry.exterior.coords)
            x, y = shift(ring[:, 0], ring[:, 1])
            props = {"cluster": _esc(r.cluster), "cases": _esc(r.cases), "setting": _esc(labels.word(r.setting)),
                     "main_categories": _esc("、".join(labels.category(c) for c in map_str(r.main_categories))),
                     "period": _esc(f"{r.first_opened or ''} – {r.last_opened or ''}")}
            hull_features.append({"type": "Feature", "properties": props, "geometry": {
                "type": "Polygon", "coordinates": [np.round(np.column_stack([x, y]), 6).tolist()]}})
        keys = ["cluster", "cases", "setting", "main_categories", "period"]
        folium.GeoJson({"type": "FeatureCollection", "features": hull_features}, name=labels.label("Case clusters"),
                       style_function=lambda f: {"color": "#7b3294", "weight": 2, "fillOpacity": 0.05},
                       tooltip=folium.GeoJsonTooltip(fields=keys, aliases=[labels.column(k) for k in keys]),
                       ).add_to(m)

    cores = cores_near(cells.lon.to_numpy(float), cells.lat.to_numpy(float), margin_deg=0.05)
    cores = cores.loc[_in_window(cores.lon, cores.lat, focus, window_m * 3)]
    core_layer = folium.FeatureGroup(name=labels.label("Urban cores and rings"), show=True).add_to(m)
    rings = result.rings
    kx, ky = shift(cores.lon, cores.lat)
    for name, kind, x, y in zip(cores.name, cores.kind, kx, ky, strict=True):
        city = kind in ("city", "district")
        peri = rings.city_periurban_m if city else rings.county_periurban_m
        urban = rings.city_urban_m if city else rings.county_urban_m
        folium.Circle([float(y), float(x)], radius=peri, color="#999", weight=1, dash_array="4", fill=False).add_to(core_layer)
        folium.Circle([float(y), float(x)], radius=urban, color="#555", weight=1, fill=False).add_to(core_layer)
        folium.CircleMarker([float(y), float(x)], radius=3, color="#000", fill=True,
                            tooltip=html.escape(str(name))).add_to(core_layer)

    Legend(labels.label("Gi* hot spot analysis"), [(BIN_COLOURS[b], bin_names[b]) for b in (3, 2, 1, 0, -1, -2, -3)]).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    if focus is not None:
        folium.map.CustomPane("cb-this-case", z_index=700).add_to(m)  # above the case bubbles
        mark = folium.CircleMarker([float(centre[1][0]), float(centre[0][0])], radius=10, color="#000", weight=2,
                                   fill=True, fill_color="#ffd700", fill_opacity=0.95, tooltip=labels.label("this case"))
        mark.options["pane"] = "cb-this-case"  # folium drops a path's pane argument
        mark.add_to(m)
        return m
    occ = cells.loc[cells.cases > 0]
    if len(occ):
        bx, by = shift(occ.lon, occ.lat)
        bounds = [[float(np.min(by)), float(np.min(bx))], [float(np.max(by)), float(np.max(bx))]]
        if bounds[0] != bounds[1]:
            m.fit_bounds(bounds)
            FitWhenShown(bounds).add_to(m)
    return m


def map_str(values) -> list[str]:
    return [str(v) for v in (values or [])]


# -- offline page --------------------------------------------------------------------------

_VENDORED_JS = {
    "leaflet.js": "leaflet/leaflet.js",
    "leaflet.markercluster.js": "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet_heat.min.js": "leaflet.heat/leaflet-heat.js",
    "leaflet-heat.js": "leaflet.heat/leaflet-heat.js",
}
_VENDORED_CSS = {
    "leaflet.css": "leaflet/leaflet.css",
    "MarkerCluster.css": "leaflet.markercluster/MarkerCluster.css",
    "MarkerCluster.Default.css": "leaflet.markercluster/MarkerCluster.Default.css",
}
# folium adds these for features geo.map does not use (awesome-markers icons, Bootstrap popups).
_UNUSED = ("jquery", "bootstrap", "awesome-markers", "fontawesome", "leaflet.awesome.rotate", "glyphicons")

_SCRIPT_RE = re.compile(r'<script\s+src="(https?://[^"]+)"\s*>\s*</script>')
_LINK_RE = re.compile(r'<link\s+rel="stylesheet"\s+href="(https?://[^"]+)"\s*/?>')


def _asset(rel: str) -> str:
    text = (ASSETS / rel).read_text(encoding="utf-8")
    return re.sub(r"//# sourceMappingURL=\S+", "", text)


def _css_with_images(rel: str) -> str:
    import base64

    css = _asset(rel)
    folder = (ASSETS / rel).parent

    def inline(match):
        target = folder / match.group(1)
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


def offline_html(m: folium.Map) -> str:
    """The map as one self-contained HTML page: vendored Leaflet and plugins inlined, no CDN."""
    page = m.get_root().render()
    page = _SCRIPT_RE.sub(_inliner("script", _VENDORED_JS, lambda f: "<script>" + _asset(f) + "</script>"), page)
    page = _LINK_RE.sub(_inliner("stylesheet", _VENDORED_CSS, lambda f: "<style>" + _css_with_images(f) + "</style>"),
                        page)
    return page


def _inliner(kind: str, vendored: dict, inline):
    """A regex replacement that inlines a vendored asset, drops an unused one, and refuses any other."""
    def replace(match):
        url = match.group(1)
        base = url.rsplit("/", 1)[-1]
        if base in vendored:
            return inline(vendored[base])
        if any(u in url for u in _UNUSED):
            return ""
        raise InputError(f"the map needs a {kind} that is not vendored: {url}",
                         hint="Add the file under geo/assets (npm pack) and map it in geo/hotspot_maps.py.")

    return replace


def write_offline_html(m: folium.Map, path) -> Path:
    """Write the offline page atomically (temp file, fsync, rename)."""
    from safeio.atomic import write_text_atomic

    return write_text_atomic(path, offline_html(m))


def notebook_view(m: folium.Map, height: int = 520):
    """Show the offline page in a notebook: an iframe whose srcdoc holds the escaped page.

    folium's own ``_repr_html_`` loads CDNs, which fail offline and in exported HTML.
    """
    import warnings

    from IPython.display import HTML

    doc = html.escape(offline_html(m), quote=True)
    with warnings.catch_warnings():  # IPython suggests IFrame, which needs a URL: srcdoc is the point here
        warnings.simplefilter("ignore", UserWarning)
        return HTML(f'<iframe srcdoc="{doc}" sandbox="allow-scripts" style="width:100%;height:{int(height)}px;'
                f'border:1px solid #ccc"></iframe>')
