"""The leads layer of the hot-spot map: counties shaded by leads, hot counties and "many leads, no case" outlined.

Display words are not chosen here: the caller (the brief, the explorer, the CLI) passes them, so
the library stays free of presentation.  Every value shown is escaped (folium's GeoJson tooltips
insert raw HTML, docs/domain.md "Geography").
"""

from __future__ import annotations

import html

import folium
import numpy as np

from geo.coords import from_wgs84
from geo.hotspot_maps import multipolygon_coordinates

__all__ = ["FIELDS", "add_complaint_layer"]

FIELDS = ("name", "leads", "per_10k", "cases", "confidence")  # tooltip fields; the caller names them
_SHADES = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")


def _esc(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return html.escape(str(value))


def add_complaint_layer(m: folium.Map, summary, words: dict[str, str], *, basemap: str = "none",
                        show: bool = True) -> folium.FeatureGroup | None:
    """Add the leads of a :class:`~geo.leads.ComplaintSummary` to a folium map as one toggled layer.

    Parameters
    ----------
    m : the hot-spot map (or any folium map).
    summary : ComplaintSummary
    words : display words from the presenting layer: ``layer`` (the layer's name) and one entry per
        field of :data:`FIELDS` (tooltip headings).
    basemap : "gaode" shifts the outlines to GCJ-02 like the rest of the map.
    show : whether the layer is on when the map opens.

    Returns
    -------
    FeatureGroup or None
        None when no county has leads or no outlines are installed.
    """
    from geo import counties as cty

    frame = summary.counties
    frame = frame.loc[(frame["leads"] > 0) | (frame["gi_bin"] != 0) | frame["many_no_case"]]
    shapes = cty.outlines(frame["adcode"]) if len(frame) else None
    if shapes is None or len(shapes) == 0:
        return None
    rows = frame.set_index("adcode")
    value = "per_10k" if summary.variable == "per_10k" else "leads"
    levels = rows[value].astype(float).fillna(0.0)
    edges = np.unique(np.quantile(levels[levels > 0], [0.25, 0.5, 0.75, 0.9])) if (levels > 0).any() else []

    def shift(x, y):
        return from_wgs84(np.asarray(x), np.asarray(y), "gcj02") if basemap == "gaode" else (x, y)

    features = []
    for code, geom in zip(shapes["adcode"], shapes["display"], strict=True):
        row = rows.loc[code]
        coords = multipolygon_coordinates(geom, shift)
        level = float(row[value]) if row[value] == row[value] else 0.0
        shade = _SHADES[int(np.searchsorted(edges, level, side="right"))] if level > 0 else "#ffffff"
        edge = "#b2182b" if row["gi_bin"] > 0 else "#6a3d9a" if row["many_no_case"] else "#8c6d31"
        props = {f: _esc(row[f] if f != "name" else row["name"]) for f in FIELDS}
        props.update(fill=shade, edge=edge, weight=3.5 if row["gi_bin"] > 0 or row["many_no_case"] else 1.0,
                     dash="" if row["gi_bin"] > 0 else "4 4" if row["many_no_case"] else "")
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    layer = folium.FeatureGroup(name=html.escape(words.get("layer", "leads")), show=show).add_to(m)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "fillOpacity": 0.55,
                                  "color": f["properties"]["edge"], "weight": f["properties"]["weight"],
                                  "dashArray": f["properties"]["dash"]},
        tooltip=folium.GeoJsonTooltip(fields=list(FIELDS), aliases=[html.escape(words.get(f, f)) for f in FIELDS]),
    ).add_to(layer)
    return layer
