"""A chain on the map: its cases coloured by role, a line for each link, drawn over a map the caller gives.

The map underneath is the caller's (the casebook's hot-spot map from :mod:`geo`, or a blank one);
this module adds one layer.  Positions are converted to WGS-84 from the system each case states.
Tooltips are escaped before folium sees them: folium inserts tooltip strings as HTML.
"""

from __future__ import annotations

import html

import folium
import numpy as np

from geo.coords import normalise_coord_sys, to_wgs84
from links.analysis import LinkResult
from links.chart import ROLE_COLOURS
from links.graph import Chain

__all__ = ["chain_layer", "chain_map"]


def _positions(result: LinkResult, chain: Chain) -> dict[str, tuple[float, float]]:
    out = {}
    for case in chain.cases:
        record = result.cases.get(case)
        if record is None or record.lon is None or record.lat is None:
            continue
        system = normalise_coord_sys(record.coord_sys) or "wgs84"
        lon, lat = to_wgs84([record.lon], [record.lat], system)
        out[case] = (float(lon[0]), float(lat[0]))
    return out


def chain_layer(result: LinkResult, chain: Chain) -> folium.FeatureGroup:
    """One layer: a circle per case of the chain (role colour) and a line per linked pair (its entity)."""
    layer = folium.FeatureGroup(name=f"{chain.id}（{'、'.join(chain.counties)}）", show=True)
    where = _positions(result, chain)
    for edge in chain.edges:
        a, b = edge["cases"]
        if a in where and b in where:
            entity = result.entity(edge["entity"])
            folium.PolyLine([(where[a][1], where[a][0]), (where[b][1], where[b][0])], color="#444",
                            weight=1 + 3 * edge["weight"], opacity=0.8,
                            tooltip=html.escape(f"{entity.kind} {entity.value} ({edge['weight']:.2f})")).add_to(layer)
    for case, (lon, lat) in where.items():
        record = result.cases[case]
        role = chain.roles.get(case, "")
        tip = html.escape(f"{case} {record.county} {role}\n{record.party}\n{record.title}").replace("\n", "<br>")
        folium.CircleMarker((lat, lon), radius=9, color="#fff", weight=2, fill=True, fill_opacity=0.95,
                            fill_color=ROLE_COLOURS.get(role, ROLE_COLOURS[""]), tooltip=tip).add_to(layer)
    return layer


def chain_map(result: LinkResult, chain: Chain, base: folium.Map | None = None) -> folium.Map:
    """``base`` (or a blank offline map) with the chain's layer added, zoomed to the chain.

    Parameters
    ----------
    result : the link analysis.
    chain : the chain to draw.
    base : the map to draw over, e.g. ``geo.hotspot_map(...)``; a new blank map (no tiles) if None.

    Returns
    -------
    folium.Map
        Show it offline with :func:`geo.maps.notebook_view` or write it with :func:`geo.maps.write_offline_html`.
    """
    where = _positions(result, chain)
    points = np.array(list(where.values())) if where else np.array([[114.65, 33.62]])
    if base is None:
        base = folium.Map(location=[float(points[:, 1].mean()), float(points[:, 0].mean())], zoom_start=9,
                          tiles=None, control_scale=True)
    chain_layer(result, chain).add_to(base)
    if len(where) >= 2:
        base.fit_bounds([[float(points[:, 1].min()), float(points[:, 0].min())],
                         [float(points[:, 1].max()), float(points[:, 0].max())]], padding=(30, 30))
    return base
