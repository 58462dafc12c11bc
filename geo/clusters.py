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
    rows = []
    for label in sorted(set(labels.tolist()) - {-1}):
        part = cases.loc[labels == label]
        x, y = projection.forward(part.lon.to_numpy(), part.lat.to_numpy())
        hull = shapely.convex_hull(shapely.multipoints(np.column_stack([x, y])))
        if hull.geom_type != "Polygon":
            hull = hull.buffer(50.0, quad_segs=4)  # a line or a point: give it 50 m of body to draw
        ring = np.asarray(hull.exterior.coords)
        hlon, hlat = projection.inverse(ring[:, 0], ring[:, 1])
        categories = (part["category"].astype(str).value_counts().head(3).index.tolist()
                      if "category" in part else [])
        setting = part["setting"].value_counts().idxmax() if "setting" in part else None
        opened = part["opened"].dropna() if "opened" in part else pd.Series([], dtype="datetime64[ns]")
        rows.append({
            "cluster": int(label),
            "cases": len(part),
            "places": len(np.unique(np.round(part[["lon", "lat"]].to_numpy(float), 6), axis=0)),
            "setting": setting,
            "settings": {k: int(v) for k, v in part["setting"].value_counts().items()} if "setting" in part else {},
            "main_categories": categories,
            "first_opened": opened.min().date().isoformat() if len(opened) else None,
            "last_opened": opened.max().date().isoformat() if len(opened) else None,
            "lon": round(float(part.lon.mean()), 6),
            "lat": round(float(part.lat.mean()), 6),
            "area_km2": round(hull.area / 1e6, 3),
            "geometry": shapely.Polygon(np.column_stack([hlon, hlat])),
        })
    cols = ["cluster", "cases", "places", "setting", "settings", "main_categories", "first_opened",
            "last_opened", "lon", "lat", "area_km2", "geometry"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.sort_values("cases", ascending=False, kind="stable").reset_index(drop=True)
