"""A chain on the map: its cases coloured by role, a line for each link, drawn over a map the caller gives.

The map underneath is the caller's (the casebook's hot-spot map from :mod:`geo`, which draws the
county borders), or a blank one with the borders of the chain's counties (:mod:`geo.counties`,
when its outlines are installed); this module adds one layer.  Positions are converted to WGS-84 from the system each case states.
Tooltips are escaped before folium sees them: folium inserts tooltip strings as HTML.
"""

from __future__ import annotations

import html

import folium
import numpy as np
import shapely

from geo.coords import normalise_coord_sys, to_wgs84
from links.analysis import LinkResult
from links.chart import ROLE_COLOURS
from links.graph import Chain

__all__ = ["chain_layer", "chain_map", "county_borders"]


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


def county_borders(result: LinkResult, chain: Chain) -> folium.FeatureGroup | None:
    """The outlines of the counties a chain spans (WGS-84, from :mod:`geo.counties`), or None without them."""
    from geo import counties

    if not counties.available():
        return None
    index = counties.county_index()
    codes = []
    for name in chain.counties:
        rows = index.loc[index["name"] == name]
        if len(rows) > 1:  # a name several prefectures use: keep the one a case of the chain gives
            prefixes = {result.cases[c].adcode[:4] for c in chain.cases if c in result.cases and result.cases[c].adcode}
            rows = rows.loc[rows["adcode"].str[:4].isin(prefixes)]
        codes += list(rows["adcode"])
    shapes = counties.outlines(codes)
    if len(shapes) == 0:
        return None
    layer = folium.FeatureGroup(name="县区边界 County borders", show=True)
    for name, geom in zip(shapes["name"], shapes["display"], strict=True):
        folium.GeoJson(shapely.geometry.mapping(geom), tooltip=html.escape(str(name)),
                       style_function=lambda _f: {"color": "#444", "weight": 1.6, "fill": False,
                                                  "dashArray": "6 3"}).add_to(layer)
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
        Show it offline with :func:`geo.hotspot_maps.notebook_view` or write it with :func:`geo.hotspot_maps.write_offline_html`.
    """
    where = _positions(result, chain)
    points = np.array(list(where.values())) if where else np.array([[114.65, 33.62]])
    if base is None:
        base = folium.Map(location=[float(points[:, 1].mean()), float(points[:, 0].mean())], zoom_start=9,
                          tiles=None, control_scale=True)
        borders = county_borders(result, chain)
        if borders is not None:
            borders.add_to(base)
    chain_layer(result, chain).add_to(base)
    if len(where) >= 2:
        base.fit_bounds([[float(points[:, 1].min()), float(points[:, 0].min())],
                         [float(points[:, 1].max()), float(points[:, 0].max())]], padding=(30, 30))
    return base
