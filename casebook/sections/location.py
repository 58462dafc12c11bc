"""4 案发地: setting (urban / peri-urban / rural), hot-spot context, nearby cases and the map."""

from __future__ import annotations

import geo
from casebook.dossier_html import Html, esc, frame_table, key_values, note, png_img
from geo.maps import notebook_view

__all__ = ["render"]


def render(d) -> Html:
    """Setting, hot-spot context and nearby cases of this case within the casebook's analysis."""
    c, t = d.case, d.t
    position = c.lon_lat()
    if position is None:
        return d._done("location", note(t["no_location"]))
    if not (d.casebook_dir / "cases.csv").is_file():
        return d._done("location", note(t["no_casebook"].format(dir=d.casebook_dir)))
    result = d.hotspot_result()  # handed in by a batch, computed once for all its dossiers
    ctx = geo.case_context(result, position[0], position[1], c.case_id, coord_sys=position[2],
                           urban_rural_code=c.location.get("urban_rural_code") or None)
    d.summary.update(setting=ctx.setting, in_hotspot=ctx.in_hotspot, trend=ctx.trend,
                        hotspot_confidence=ctx.confidence, setting_method=ctx.setting_method)
    hot = t["yes"] + (f"（{ctx.confidence}%）" if ctx.confidence else "") if ctx.in_hotspot else t["no"]
    pairs = [(t["setting"], f"{t.get(ctx.setting, ctx.setting)}（{t['method_' + ctx.setting_method]}"
                            + (f"；{ctx.nearest_core} {ctx.core_distance_m / 1000:.1f} km" if ctx.nearest_core
                               and ctx.core_distance_m is not None else "") + "）"),
             (t["in_hotspot"], hot), (t["trend"], t.get("trend_" + str(ctx.trend), ctx.trend or "-")),
             ("WGS-84", f"{ctx.lon:.6f}, {ctx.lat:.6f}")]
    body = key_values(pairs)
    cols = [col for col in ("case_id", "title", "opened", "category", "setting", "distance_m")
            if col in ctx.nearby]
    if len(ctx.nearby):
        nearby = ctx.nearby[cols].copy()
        if "opened" in nearby:
            nearby["opened"] = nearby["opened"].astype(str).str[:10]
        if "setting" in nearby:
            nearby["setting"] = nearby["setting"].map(lambda v: t.get(str(v), v))
        nearby = nearby.rename(columns=t["nearby_columns"])
        body += f"<h3>{esc(t['nearby'])}（{ctx.radius_m / 1000:.0f} km）</h3>" + frame_table(nearby)
    interactive = notebook_view(geo.hotspot_map(result, basemap=d.basemap, lang=d.lang, focus=(ctx.lon, ctx.lat)))
    static = png_img(ctx.static_map_png, t["map"])
    body += (f"<h3>{esc(t['map'])}</h3><div class=\"cb-map cb-screen-only\">{interactive._repr_html_()}</div>"
             f'<div class="cb-map cb-print-only">{static}</div>')
    return d._done("location", body)
