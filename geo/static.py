"""Static map images (PNG bytes) for PDFs: matplotlib only, no tiles, no network."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Patch, Polygon

from geo.maps import BIN_COLOURS, BIN_LABELS
from geo.projection import LocalProjection
from geo.settlement import cores_near

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


def _draw(ax, result, proj, window_m, cx, cy, *, all_cells=False):
    cells = result.cells
    x, y = proj.forward(cells.lon.to_numpy(float), cells.lat.to_numpy(float))
    near = (np.abs(x - cx) <= window_m * 1.2) & (np.abs(y - cy) <= window_m * 1.2)
    shown = near & ((cells.gi_bin.to_numpy() != 0) | all_cells)
    for geom, b in zip(cells.geometry[shown], cells.gi_bin[shown], strict=True):
        ring = np.asarray(geom.exterior.coords)
        px, py = proj.forward(ring[:, 0], ring[:, 1])
        ax.add_patch(Polygon(np.column_stack([px, py]) / 1000, closed=True, facecolor=BIN_COLOURS[int(b)],
                             edgecolor="#888", linewidth=0.3, alpha=0.8))
    cores = cores_near(cells.lon.to_numpy(float), cells.lat.to_numpy(float), margin_deg=0.2)
    kx, ky = proj.forward(cores.lon.to_numpy(float), cores.lat.to_numpy(float))
    rings = result.rings
    for name, kind, a, b in zip(cores.name, cores.kind, kx, ky, strict=True):
        if abs(a - cx) > window_m * 1.5 or abs(b - cy) > window_m * 1.5:
            continue
        city = kind in ("city", "district")
        for r, style in ((rings.city_urban_m if city else rings.county_urban_m, "-"),
                         (rings.city_periurban_m if city else rings.county_periurban_m, "--")):
            ax.add_patch(Circle((a / 1000, b / 1000), r / 1000, fill=False, linestyle=style, color="#666", lw=0.7))
        ax.plot(a / 1000, b / 1000, "k^", ms=4)
        ax.annotate(str(name), (a / 1000, b / 1000), fontsize=7, xytext=(3, 3), textcoords="offset points")
    cases = result.cases
    px, py = proj.forward(cases.lon.to_numpy(float), cases.lat.to_numpy(float))
    ax.scatter(px / 1000, py / 1000, s=6, c="#3388ff", edgecolors="none", alpha=0.7, label="案件 cases")
    ax.set_xlim((cx - window_m) / 1000, (cx + window_m) / 1000)
    ax.set_ylim((cy - window_m) / 1000, (cy + window_m) / 1000)
    ax.set_aspect("equal")
    ax.set_xlabel("km (东 E)")
    ax.set_ylabel("km (北 N)")
    handles = [Patch(color=BIN_COLOURS[b]) for b in (3, 2, 1, -1, -2, -3)]
    ax.legend(handles, [BIN_LABELS[b] for b in (3, 2, 1, -1, -2, -3)], loc="lower right", fontsize=7, framealpha=0.8)


def context_png(result, ctx, window_m: float | None = None) -> bytes:
    """The case (star), its surroundings' hot/cold cells, nearby cases, urban cores and rings."""
    proj = LocalProjection(ctx.lon, ctx.lat)
    window = window_m or max(3 * ctx.radius_m, 5000.0)
    with matplotlib.rc_context(_STYLE):
        fig, ax = _figure()
        _draw(ax, result, proj, window, 0.0, 0.0)
        ax.add_patch(Circle((0, 0), ctx.radius_m / 1000, fill=False, color="#7b3294", lw=1))
        ax.plot(0, 0, marker="*", color="#d62f27", ms=16, markeredgecolor="k")
        ax.set_title(f"{ctx.case_id or ''} {ctx.setting}  ({ctx.lon:.5f}, {ctx.lat:.5f} WGS-84)", fontsize=9)
        return _png(fig)


def overview_png(result) -> bytes:
    """The whole study area: significant cells, cases, urban cores (for briefs and PDFs)."""
    proj = result.coverage.projection
    x, y = proj.forward(result.cells.lon.to_numpy(float), result.cells.lat.to_numpy(float))
    cx, cy = (x.min() + x.max()) / 2, (y.min() + y.max()) / 2
    window = max(x.max() - x.min(), y.max() - y.min()) / 2 + 1000
    with matplotlib.rc_context(_STYLE):
        fig, ax = _figure((7.0, 7.0))
        _draw(ax, result, proj, window, cx, cy)
        return _png(fig)
