"""Point clusters of cases: DBSCAN in metres, repeated addresses weighted, each cluster summarised."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from sklearn.cluster import DBSCAN

from geo.projection import LocalProjection

EARTH_RADIUS_M = 6_371_008.8


def point_clusters(cases: pd.DataFrame, *, eps_m: float = 1000.0, min_cases: int = 3) -> np.ndarray:
    """Cluster label per case (-1 = noise), DBSCAN with haversine distance on distinct locations.

    Cases at the same address (rounded to ~0.1 m) become one point weighted by their number, so a
    market with 40 cases is one dense point, and DBSCAN's cost depends on places, not cases.
    """
    n = len(cases)
    if n == 0:
        return np.array([], dtype=int)
    coords = np.round(cases[["lat", "lon"]].to_numpy(dtype=float), 6)
    uniq, inverse, counts = np.unique(coords, axis=0, return_inverse=True, return_counts=True)
    model = DBSCAN(eps=eps_m / EARTH_RADIUS_M, min_samples=min_cases, metric="haversine", algorithm="ball_tree")
    labels = model.fit_predict(np.radians(uniq), sample_weight=counts)
    return labels[np.asarray(inverse).ravel()]


def summarise_clusters(cases: pd.DataFrame, labels: np.ndarray, projection: LocalProjection) -> pd.DataFrame:
    """One row per cluster: size, main setting, main categories, date span, centre and hull (WGS-84)."""
    cols = ["cluster", "cases", "places", "setting", "settings", "main_categories", "first_opened",
            "last_opened", "lon", "lat", "area_km2", "geometry"]
    labels = np.asarray(labels)
    member = labels >= 0
    if not member.any():
        return pd.DataFrame(columns=cols)
    lon = cases.lon.to_numpy(float)
    lat = cases.lat.to_numpy(float)
    x, y = projection.forward(lon, lat)
    codes = {}
    for col in ("setting", "category"):
        if col in cases:
            codes[col] = pd.factorize(cases[col].astype(str).to_numpy(), sort=True)
    opened = pd.to_datetime(cases["opened"], errors="coerce").to_numpy() if "opened" in cases else None
    order = np.argsort(labels[member], kind="stable")
    idx = np.flatnonzero(member)[order]
    groups = np.split(idx, np.flatnonzero(np.diff(labels[idx])) + 1)
    hulls = []
    for g in groups:
        hull = shapely.convex_hull(shapely.MultiPoint(np.column_stack([x[g], y[g]])))
        if hull.geom_type != "Polygon":
            hull = hull.buffer(50.0, quad_segs=4)  # a line or a point: give it 50 m of body to draw
        hulls.append(hull)
    rings = [np.asarray(h.exterior.coords) for h in hulls]
    flat = np.concatenate(rings)
    hlon, hlat = projection.inverse(flat[:, 0], flat[:, 1])  # one transform call for all hulls
    bounds = np.cumsum([0] + [len(r) for r in rings])

    def ranked(col, g):
        if col not in codes:
            return []
        ids, names = codes[col]
        counts = np.bincount(ids[g], minlength=len(names))
        order = np.lexsort((np.arange(len(names)), -counts))
        return [(str(names[i]), int(counts[i])) for i in order if counts[i] > 0]

    rows = []
    for k, g in enumerate(groups):
        settings = ranked("setting", g)
        dates = opened[g][~pd.isna(opened[g])] if opened is not None else []
        rows.append({
            "cluster": int(labels[g[0]]),
            "cases": len(g),
            "places": len(np.unique(np.round(np.column_stack([lon[g], lat[g]]), 6), axis=0)),
            "setting": settings[0][0] if settings else None,
            "settings": dict(settings),
            "main_categories": [name for name, _ in ranked("category", g)[:3]],
            "first_opened": pd.Timestamp(dates.min()).date().isoformat() if len(dates) else None,
            "last_opened": pd.Timestamp(dates.max()).date().isoformat() if len(dates) else None,
            "lon": round(float(lon[g].mean()), 6),
            "lat": round(float(lat[g].mean()), 6),
            "area_km2": round(hulls[k].area / 1e6, 3),
            "geometry": shapely.Polygon(np.column_stack([hlon[bounds[k]:bounds[k + 1]], hlat[bounds[k]:bounds[k + 1]]])),
        })
    frame = pd.DataFrame(rows, columns=cols)
    return frame.sort_values("cases", ascending=False, kind="stable").reset_index(drop=True)
