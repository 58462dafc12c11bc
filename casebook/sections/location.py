"""4 案发地: setting, county, hot-spot context, nearby cases, and a map of the neighbourhood (a few km)."""

from __future__ import annotations

import geo
from casebook.case import case_table
from casebook.dossier_html import Html, frame_table, heading, key_values, map_views, note, png_img
from casebook.words.map_words import category, column, label, map_labels, word
from geo.hotspot_maps import notebook_view

__all__ = ["WINDOW_M", "render"]

WINDOW_M = 3000.0  # half the side of the dossier's map: the case's neighbourhood, not the prefecture


def render(d) -> Html:
    """Setting, county, hot-spot context and nearby cases of this case, on a map of its neighbourhood."""
    c, t, lang = d.case, d.t, d.lang
    position = c.lon_lat()
    if position is None:
        return d._done("location", note(t["no_location"]))
    if case_table(d.casebook_dir) is None:
        return d._done("location", note(t["no_casebook"].format(dir=d.casebook_dir)))
    result = d.hotspot_result()  # handed in by a batch, computed once for all its dossiers
    ctx = geo.case_context(result, position[0], position[1], c.case_id, coord_sys=position[2],
                           urban_rural_code=c.location.get("urban_rural_code") or None,
                           county=c.location.get("county") or None, map_labels=map_labels(lang))
    d.summary.update(setting=ctx.setting, in_hotspot=ctx.in_hotspot, trend=ctx.trend,
                     hotspot_confidence=ctx.confidence, setting_method=ctx.setting_method, county=ctx.county,
                     adcode=ctx.adcode, county_warning=ctx.county_cause, hot_area=ctx.hot_area)
    hot = t["yes"] + (f"（{ctx.confidence}%）" if ctx.confidence else "") if ctx.in_hotspot else t["no"]
    pairs = [(t["setting"], f"{word(ctx.setting, lang)}（{word(ctx.setting_method, lang)}"
                            + (f"；{ctx.nearest_core} {ctx.core_distance_m / 1000:.1f} km" if ctx.nearest_core
                               and ctx.core_distance_m is not None else "") + "）")]
    if ctx.county:
        pairs.append((column("name", lang), f"{ctx.county}（{ctx.adcode}）"))
    pairs += [(t["in_hotspot"], hot), (t["trend"], word(ctx.trend, lang) if ctx.trend else "—")]
    areas = result.summary.get("hot_areas") or []
    if ctx.hot_area and ctx.hot_area <= len(areas):
        area = areas[ctx.hot_area - 1]
        years = "、".join(f"{y}: {n}" for y, n in area.get("cases_by_year", {}).items())
        pairs.append((label("Hot area", lang), f"{ctx.hot_area}: {area.get('county') or ''} "
                      f"{word(area.get('setting'), lang)}, {column('cases', lang)} {area['cases']}"
                      + (f"（{years}）" if years else "") + f", {column('trend', lang)} {word(area.get('trend'), lang)}"))
    pairs.append(("WGS-84", f"{ctx.lon:.6f}, {ctx.lat:.6f}"))
    body = key_values(pairs)
    if ctx.county_cause:
        far, named = ctx.county_outside_m, ctx.county_named
        warn = (t["county_mismatch"].format(named=named, county=ctx.county or t["county_elsewhere"])
                + (t["county_distance"].format(named=named, far=far) if far is not None else "")
                + t["county_cause"].format(cause=word(ctx.county_cause, lang))
                + (t["county_imprecise"] if far is not None and far < 1000 else "") + t["county_check"])
        body += note(warn)
    cols = [col for col in ("case_id", "title", "opened", "category", "setting", "distance_m") if col in ctx.nearby]
    if len(ctx.nearby):
        nearby = ctx.nearby[cols].head(20).copy()
        if "opened" in nearby:
            nearby["opened"] = nearby["opened"].astype(str).str[:10]
        if "setting" in nearby:
            nearby["setting"] = nearby["setting"].map(lambda v: word(v, lang))
        if "category" in nearby:
            nearby["category"] = nearby["category"].map(lambda v: category(v, lang))
        nearby = nearby.rename(columns={col: column(col, lang) for col in nearby.columns})
        shown = t["nearby_count"].format(km=ctx.radius_m / 1000, n=len(ctx.nearby))
        body += heading(t["nearby"] + shown) + frame_table(nearby)
    interactive = notebook_view(geo.hotspot_map(result, basemap=d.basemap, labels=map_labels(lang), focus=(ctx.lon, ctx.lat),
                                                window_m=WINDOW_M, focus_zoom=14))
    static = png_img(ctx.static_map_png, t["map"])
    body += heading(t["map"]) + map_views(interactive._repr_html_(), static)
    return d._done("location", body)
