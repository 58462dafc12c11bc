"""Point clusters of cases: weighted DBSCAN in metres on distinct places, or on small grid cells at scale.

DBSCAN over raw points builds every neighbour list (a town with 10,000 cases within 1 km gives
10^8 pairs).  Cases at one place are one point weighted by their number; past ``max_points``
distinct places, places are first pooled into grid squares of ``eps/5`` (a position error of at
most 14 % of eps), so the cost depends on the area covered, not on the number of cases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from sklearn.cluster import DBSCAN

from geo.settlement import SETTINGS

__all__ = ["MAX_POINTS", "place_clusters", "summarise_clusters"]

MAX_POINTS = 40_000
CLUSTER_COLUMNS = ["cluster", "cases", "places", "setting", "settings", "main_categories", "first_opened",
                   "last_opened", "lon", "lat", "area_km2", "geometry"]


def place_clusters(x, y, weights, *, eps_m: float = 1000.0, min_cases: int = 3,
                   max_points: int = MAX_POINTS) -> tuple[np.ndarray, str]:
    """Cluster label per distinct place (-1 = noise) and how the clustering ran.

    Parameters
    ----------
    x, y : array
        Place positions in metres (a local projection).
    weights : array
        Cases at each place (DBSCAN's ``sample_weight``).
    eps_m, min_cases : float, int
        DBSCAN neighbourhood radius and the cases a core point needs around it.
    max_points : int
        Above this many places, cluster grid squares of ``eps_m / 5`` instead.

    Returns
    -------
    (labels, method)
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(weights, dtype=float)
    if len(x) == 0:
        return np.array([], dtype=np.int64), "no places"
    if len(x) <= max_points:
        pts, inverse, pw, method = np.column_stack([x, y]), np.arange(len(x)), w, "distinct places"
    else:
        size = eps_m / 5.0
        gx, gy = np.floor(x / size).astype(np.int64), np.floor(y / size).astype(np.int64)
        key = (gx - gx.min()) * (int(gy.max() - gy.min()) + 1) + (gy - gy.min())
        uniq, inverse = np.unique(key, return_inverse=True)
        inverse = inverse.ravel()
        pw = np.bincount(inverse, weights=w, minlength=len(uniq))
        # the weighted centre of each square's places stands for the square
        px = np.bincount(inverse, weights=w * x, minlength=len(uniq)) / pw
        py = np.bincount(inverse, weights=w * y, minlength=len(uniq)) / pw
        pts, method = np.column_stack([px, py]), f"grid squares of {size:.0f} m ({len(uniq)} occupied)"
    model = DBSCAN(eps=eps_m, min_samples=min_cases, algorithm="kd_tree")
    labels = model.fit_predict(pts, sample_weight=pw)
    return labels[inverse].astype(np.int64), method


def summarise_clusters(labels, plon, plat, px, py, counts, partial, projection) -> pd.DataFrame:
    """One row per cluster: cases, places, main setting and categories, date span, centre and hull (WGS-84)."""
    labels = np.asarray(labels)
    k = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    if k == 0:
        return pd.DataFrame(columns=CLUSTER_COLUMNS)
    member = labels >= 0
    order = np.argsort(labels[member], kind="stable")
    idx = np.flatnonzero(member)[order]
    groups = np.split(idx, np.flatnonzero(np.diff(labels[idx])) + 1)
    cats = partial.cluster_categories
    rows = []
    hulls = []
    for g in groups:
        hull = shapely.convex_hull(shapely.MultiPoint(np.column_stack([px[g], py[g]])))
        if hull.geom_type != "Polygon":
            hull = hull.buffer(50.0, quad_segs=4)  # a line or a point: give it 50 m of body to draw
        hulls.append(hull)
    rings = [np.asarray(h.exterior.coords) for h in hulls]
    flat = np.concatenate(rings)
    hlon, hlat = projection.inverse(flat[:, 0], flat[:, 1])  # one transform call for all hulls
    bounds = np.cumsum([0] + [len(r) for r in rings])
    for n, g in enumerate(groups):
        c = int(labels[g[0]])
        w = counts[g].astype(float)
        settings = partial.cluster_settings[c]
        ranked = [SETTINGS[i] for i in np.lexsort((np.arange(len(SETTINGS)), -settings)) if settings[i] > 0]
        top = []
        if c in cats.index and len(cats.columns):
            row = cats.loc[c]
            row = row[row > 0]
            top = [str(name) for name in sorted(row.index, key=lambda name: (-row[name], str(name)))[:3]]
        first, last = partial.cluster_first[c], partial.cluster_last[c]
        rows.append({
            "cluster": c, "cases": int(partial.cluster_cases[c]), "places": len(g),
            "setting": ranked[0] if ranked else None,
            "settings": {SETTINGS[i]: int(settings[i]) for i in range(len(SETTINGS)) if settings[i] > 0},
            "main_categories": top,
            "first_opened": None if np.isnat(first) else str(first.astype("datetime64[D]")),
            "last_opened": None if np.isnat(last) else str(last.astype("datetime64[D]")),
            "lon": round(float(np.average(plon[g], weights=w)), 6), "lat": round(float(np.average(plat[g], weights=w)), 6),
            "area_km2": round(hulls[n].area / 1e6, 3),
            "geometry": shapely.Polygon(np.column_stack([hlon[bounds[n]:bounds[n + 1]], hlat[bounds[n]:bounds[n + 1]]])),
        })
    frame = pd.DataFrame(rows, columns=CLUSTER_COLUMNS)
    return frame.sort_values(["cases", "cluster"], ascending=[False, True], kind="stable").reset_index(drop=True)
