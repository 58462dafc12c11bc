"""Static map images (PNG bytes) for PDFs: matplotlib only, no tiles, no network."""

from __future__ import annotations

import io

import matplotlib
import matplotlib.patheffects
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Patch, Polygon

from geo.hotspot_maps import BIN_COLOURS
from geo.map_labels import CODES, MapLabels
from geo.projection import LocalProjection
from geo.settlement import cores_near

__all__ = ["context_png", "overview_png"]

CJK_FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "DejaVu Sans"]


# A bare Figure (no pyplot): drawing here never switches or disturbs a notebook's backend.
_STYLE = {"font.sans-serif": CJK_FONTS, "font.family": "sans-serif", "axes.unicode_minus": False}


def _figure(size=(6.0, 6.0)):
    fig = Figure(figsize=size, dpi=110)
    return fig, fig.subplots()


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _counties(ax, result, proj, window_m, cx, cy) -> None:
    """County borders (simplified outlines) and names, clipped to the window."""
    import shapely

    shapes = getattr(result, "outlines", None)
    if shapes is None or len(shapes) == 0:
        return
    lon0, lat0 = proj.inverse(np.array([cx - window_m * 1.3, cx + window_m * 1.3]),
                              np.array([cy - window_m * 1.3, cy + window_m * 1.3]))
    box = shapely.box(lon0[0], lat0[0], lon0[1], lat0[1])
    for name, geom in zip(shapes.name, shapes["display"], strict=True):
        if not geom.intersects(box):
            continue
        polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        for poly in polys:
            xy = np.asarray(poly.exterior.coords)
            px, py = proj.forward(xy[:, 0], xy[:, 1])
            ax.plot(px / 1000, py / 1000, color="#444", lw=0.9, ls=(0, (5, 2)), zorder=3)
        inside = geom.intersection(box)
        if not inside.is_empty:
            point = inside.representative_point()
            px, py = proj.forward([point.x], [point.y])
            if abs(px[0] - cx) < window_m * 0.95 and abs(py[0] - cy) < window_m * 0.95:
                ax.annotate(str(name), (px[0] / 1000, py[0] / 1000), fontsize=9, color="#333", ha="center",
                            weight="bold", zorder=6,
                            path_effects=[matplotlib.patheffects.withStroke(linewidth=2.5, foreground="white")])


def _scale_bar(ax, window_m) -> None:
    """A metric scale bar: 1, 2, 5, 10, 20 or 50 km, about a fifth of the map's width."""
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    target = 2 * window_m / 5 / 1000
    length = max(v for v in (0.5, 1, 2, 5, 10, 20, 50, 100) if v <= max(target, 0.5))
    text = f"{length:g} km" if length >= 1 else f"{length * 1000:.0f} m"
    ax.add_artist(AnchoredSizeBar(ax.transData, length, text, "lower left", pad=0.5, sep=4, frameon=True,
                                  size_vertical=length / 25, fontproperties={"size": 8}))


def _draw(ax, result, proj, window_m, cx, cy, *, labels: MapLabels, all_cells=False, near_m=None):
    cells = result.cells
    x, y = proj.forward(cells.lon.to_numpy(float), cells.lat.to_numpy(float))
    near = (np.abs(x - cx) <= window_m * 1.2) & (np.abs(y - cy) <= window_m * 1.2)
    shown = near & ((cells.gi_bin.to_numpy() != 0) | all_cells)
    for geom, b in zip(cells.geometry[shown], cells.gi_bin[shown], strict=True):
        ring = np.asarray(geom.exterior.coords)
        px, py = proj.forward(ring[:, 0], ring[:, 1])
        small = window_m > 15_000  # at prefecture scale a cell is a pixel: outline it in its own colour
        ax.add_patch(Polygon(np.column_stack([px, py]) / 1000, closed=True, facecolor=BIN_COLOURS[int(b)],
                             edgecolor=BIN_COLOURS[int(b)] if small else "#888", linewidth=1.2 if small else 0.3,
                             alpha=0.85, zorder=5 if small else 2))
    _counties(ax, result, proj, window_m, cx, cy)
    if window_m > 15_000:
        for k, area in enumerate(result.summary.get("hot_areas") or [], start=1):
            ax_, ay_ = proj.forward([area["lon"]], [area["lat"]])
            ax.add_patch(Circle((ax_[0] / 1000, ay_[0] / 1000), window_m / 1000 / 30, fill=False, color="#d62f27",
                                lw=1.8, zorder=6))
            name = f"{labels.label('Hot area')} {k}"
            ax.annotate(name, (ax_[0] / 1000, ay_[0] / 1000), xytext=(10, 8), textcoords="offset points", fontsize=8,
                        color="#b2182b", weight="bold", zorder=7,
                        path_effects=[matplotlib.patheffects.withStroke(linewidth=2.5, foreground="white")])
    cores = cores_near(cells.lon.to_numpy(float), cells.lat.to_numpy(float), margin_deg=0.2)
    kx, ky = proj.forward(cores.lon.to_numpy(float), cores.lat.to_numpy(float))
    rings = result.rings
    for kind, a, b in zip(cores.kind, kx, ky, strict=True):
        if abs(a - cx) > window_m * 1.5 or abs(b - cy) > window_m * 1.5:
            continue
        city = kind in ("city", "district")
        for r, style in ((rings.city_urban_m if city else rings.county_urban_m, "-"),
                         (rings.city_periurban_m if city else rings.county_periurban_m, "--")):
            ax.add_patch(Circle((a / 1000, b / 1000), r / 1000, fill=False, linestyle=style, color="#999", lw=0.6))
        ax.plot(a / 1000, b / 1000, "k^", ms=4)
    cases = result.cases
    if len(cases):
        px, py = proj.forward(cases.lon.to_numpy(float), cases.lat.to_numpy(float))
        keep = (np.abs(px - cx) <= window_m * 1.2) & (np.abs(py - cy) <= window_m * 1.2)
        ax.scatter(px[keep] / 1000, py[keep] / 1000, s=6 if near_m is None else 14, c="#3388ff", edgecolors="none",
                   alpha=0.7, zorder=4, label=labels.label("Cases"))
    ax.set_xlim((cx - window_m) / 1000, (cx + window_m) / 1000)
    ax.set_ylim((cy - window_m) / 1000, (cy + window_m) / 1000)
    ax.set_aspect("equal")
    ax.set_xlabel(labels.axes[0])
    ax.set_ylabel(labels.axes[1])
    bin_names = labels.bins
    handles = [Patch(color=BIN_COLOURS[b]) for b in (3, 2, 1, -1, -2, -3)]
    ax.legend(handles, [bin_names[b] for b in (3, 2, 1, -1, -2, -3)], loc="lower right", fontsize=7, framealpha=0.8)
    _scale_bar(ax, window_m)


def context_png(result, ctx, window_m: float | None = None, labels: MapLabels = CODES) -> bytes:
    """The case (star) in its neighbourhood: hot/cold cells, nearby cases, county borders, cores, a scale bar.

    Parameters
    ----------
    result : HotspotResult
    ctx : CaseContext
    window_m : float, optional
        Half the side of the view in metres (default: three times the nearby radius, at least 3 km).
    labels : MapLabels
        The words of the legend, axes and title (default: the codes themselves).

    Returns
    -------
    bytes
        A PNG image.
    """
    proj = LocalProjection(ctx.lon, ctx.lat)
    window = window_m or max(1.5 * ctx.radius_m, 3000.0)
    with matplotlib.rc_context(_STYLE):
        fig, ax = _figure()
        _draw(ax, result, proj, window, 0.0, 0.0, labels=labels, near_m=ctx.radius_m)
        ax.add_patch(Circle((0, 0), ctx.radius_m / 1000, fill=False, color="#7b3294", lw=1))
        ax.plot(0, 0, marker="*", color="#ffd700", ms=18, markeredgecolor="k", zorder=7)
        ax.set_title(f"{ctx.case_id or ''} {labels.word(ctx.setting)}  ({ctx.lon:.5f}, {ctx.lat:.5f} WGS-84)", fontsize=9)
        return _png(fig)


def overview_png(result, labels: MapLabels = CODES) -> bytes:
    """The whole study area: significant cells, county borders and names, cases, urban cores, a scale bar.

    Parameters
    ----------
    result : HotspotResult
    labels : MapLabels
        The words of the legend and axes (default: the codes themselves).

    Returns
    -------
    bytes
        A PNG image.
    """
    proj = result.coverage.projection
    occ = result.cells.loc[result.cells.cases > 0]
    x, y = proj.forward(occ.lon.to_numpy(float), occ.lat.to_numpy(float))
    cx, cy = (x.min() + x.max()) / 2, (y.min() + y.max()) / 2
    window = max(x.max() - x.min(), y.max() - y.min()) / 2 + 2000
    with matplotlib.rc_context(_STYLE):
        fig, ax = _figure((7.5, 7.5))
        _draw(ax, result, proj, window, cx, cy, labels=labels)
        return _png(fig)
