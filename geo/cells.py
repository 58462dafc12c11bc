"""H3 cells over the whole study area (zero cells included) and distance-band neighbour matrices.

``libpysal.graph.Graph.build_h3`` on the occupied cells alone silently drops the empty cells in
between, which biases Gi* (docs/domain.md, "Hot spots"); here the coverage is the study area's hull, filled with
h3, and the neighbour matrix is built on projected cell centres in metres with scipy's cKDTree.
"""

from __future__ import annotations

from dataclasses import dataclass

import h3
import numpy as np
import shapely
from scipy import sparse
from scipy.spatial import cKDTree

from geo.projection import LocalProjection

__all__ = ["Coverage", "cell_ints", "cell_polygons", "cells_of", "choose_resolution", "coverage", "distance_band",
           "hull_polygon", "nearest_neighbour_distances"]

DEFAULT_RESOLUTION = 8
MIN_RESOLUTION, MAX_RESOLUTION = 4, 11


def cells_of(lon, lat, resolution: int) -> np.ndarray:
    """H3 cell id (string) of each WGS-84 point."""
    # h3-py 4 has no vectorised API; a list comprehension is ~1 µs per point.
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return np.array([h3.latlng_to_cell(b, a, resolution) for a, b in zip(lon.tolist(), lat.tolist(), strict=True)]
                    + [], dtype=object)


def cell_ints(lon, lat, resolution: int) -> np.ndarray:
    """H3 cell id (uint64) of each WGS-84 point: sortable, and a third of the memory of the strings."""
    from h3.api import numpy_int

    # h3-py 4 has no vectorised API; its integer API is ~0.4 µs per point.
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    to_cell = numpy_int.latlng_to_cell
    return np.fromiter((to_cell(b, a, resolution) for a, b in zip(lon.tolist(), lat.tolist(), strict=True)),
                       dtype=np.uint64, count=len(lon))


def nearest_neighbour_distances(x: np.ndarray, y: np.ndarray, *, distinct: bool = False) -> np.ndarray:
    """Distance in metres from each distinct location to its nearest other distinct location.

    ``distinct``: the points are distinct places already (no rounding and deduplication needed).
    """
    pts = np.column_stack([x, y]) if distinct else np.unique(np.column_stack([np.round(x, 1), np.round(y, 1)]), axis=0)
    if len(pts) < 2:
        return np.array([])
    dist, _ = cKDTree(pts).query(pts, k=2)
    return dist[:, 1]


def choose_resolution(x: np.ndarray, y: np.ndarray, *, distinct: bool = False) -> tuple[int, float | None, str]:
    """ArcGIS's Optimized Hot Spot cell size, mapped to the H3 resolution of nearest area.

    ArcGIS: cell size = max(mean, median nearest-neighbour distance) x max(2, max/min of the two).
    Returns (resolution, cell size in metres or None, how it was chosen).
    """
    nn = nearest_neighbour_distances(x, y, distinct=distinct)
    if len(nn) == 0 or np.max(nn) <= 0:
        return DEFAULT_RESOLUTION, None, f"default {DEFAULT_RESOLUTION}: fewer than two distinct locations"
    mean, median = float(np.mean(nn)), float(np.median(nn))
    hi, lo = max(mean, median), min(mean, median)
    ratio = hi / lo if lo > 0 else 2.0
    size = hi * max(2.0, ratio)
    areas = np.array([h3.average_hexagon_area(r, "m^2") for r in range(16)])
    res = int(np.argmin(np.abs(np.log(areas) - np.log(size * size))))
    res = int(np.clip(res, MIN_RESOLUTION, MAX_RESOLUTION))
    return res, size, f"ArcGIS cell size {size:.0f} m from nearest-neighbour distances (mean {mean:.0f} m, median {median:.0f} m)"


@dataclass
class Coverage:
    """All cells of the study area with their centres, in WGS-84 and in local metres."""

    cells: np.ndarray  # h3 ids (text), sorted
    lon: np.ndarray
    lat: np.ndarray
    x: np.ndarray
    y: np.ndarray
    resolution: int
    projection: LocalProjection
    spacing_m: float  # centre-to-centre distance of neighbouring cells
    ids: np.ndarray | None = None  # the same cells as uint64 (text and integer orders agree)

    def __len__(self) -> int:
        return len(self.cells)


def hull_polygon(x, y):
    """Convex hull of points in metres as a shapely geometry (qhull on the points, no shapely points)."""
    from scipy.spatial import ConvexHull, QhullError

    pts = np.column_stack([x, y])
    if len(pts) >= 3:
        try:
            return shapely.Polygon(pts[ConvexHull(pts).vertices])
        except QhullError:  # all on one line (or one point)
            pass
    return shapely.convex_hull(shapely.multipoints(pts))


def coverage(lon, lat, resolution: int, projection: LocalProjection, pad_cells: float = 1.0, *,
             xy=None, occupied=None) -> Coverage:
    """Every cell overlapping the convex hull of the points, padded by ``pad_cells`` cell edges.

    ``xy`` (projected points) and ``occupied`` (their uint64 cells) may be given when known.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    edge = h3.average_hexagon_edge_length(resolution, "m")
    x, y = projection.forward(lon, lat) if xy is None else xy
    hull = hull_polygon(x, y).buffer(edge * pad_cells, quad_segs=4)
    ring = np.asarray(hull.exterior.coords)
    hlon, hlat = projection.inverse(ring[:, 0], ring[:, 1])
    poly = h3.LatLngPoly(list(zip(hlat, hlon, strict=True)))
    ids = {h3.str_to_int(c) for c in h3.h3shape_to_cells_experimental(poly, resolution, contain="overlap")}
    occupied = np.unique(cell_ints(lon, lat, resolution) if occupied is None else occupied)
    # every occupied cell is inside by construction; the union guards against hull rounding
    ints = np.union1d(np.fromiter(ids, dtype=np.uint64, count=len(ids)), occupied)
    cells = np.array([h3.int_to_str(int(c)) for c in ints], dtype=object)
    centres = np.array([h3.cell_to_latlng(c) for c in cells])
    clat, clon = centres[:, 0], centres[:, 1]
    cx, cy = projection.forward(clon, clat)
    spacing = float(np.median(cKDTree(np.column_stack([cx, cy])).query(np.column_stack([cx, cy]), k=2)[0][:, 1])) \
        if len(cells) > 1 else edge * np.sqrt(3)
    return Coverage(cells, clon, clat, cx, cy, resolution, projection, spacing, ints)


def distance_band(cov: Coverage, distance_m: float, *, self_weight: bool = True) -> sparse.csr_matrix:
    """Binary weights: 1 for cells whose centres lie within ``distance_m`` (and the cell itself)."""
    n = len(cov)
    tree = cKDTree(np.column_stack([cov.x, cov.y]))
    pairs = tree.query_pairs(distance_m, output_type="ndarray")
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    if self_weight:
        rows = np.concatenate([rows, np.arange(n)])
        cols = np.concatenate([cols, np.arange(n)])
    # CSR built directly (rows grouped by a counting sort): scipy's COO -> CSR path sorts and sums
    # duplicates that cannot occur here, which took most of the time on 100k cells.
    order = np.argsort(rows.astype(np.int32), kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    w = sparse.csr_matrix((np.ones(len(rows)), cols[order].astype(np.int32), indptr.astype(np.int64)), shape=(n, n))
    if w.shape != (n, n):  # the graph must hold every coverage cell (docs/domain.md, "Hot spots")
        raise AssertionError("neighbour matrix does not cover the study area")
    return w


def cell_polygons(ids) -> np.ndarray:
    """Shapely hexagons (lon/lat) of cell ids, built in one vectorised call for the 6-vertex cells."""
    boundaries = [h3.cell_to_boundary(c) for c in ids]
    out = np.empty(len(boundaries), dtype=object)
    six = np.array([len(b) == 6 for b in boundaries], dtype=bool)
    if six.any():
        ring = np.array([b for b, s in zip(boundaries, six, strict=True) if s], dtype=float)[:, :, ::-1]
        ring = np.concatenate([ring, ring[:, :1]], axis=1)
        out[six] = shapely.polygons(ring)
    for i in np.flatnonzero(~six):  # pentagons and cells with distortion vertices
        out[i] = shapely.Polygon([(b[1], b[0]) for b in boundaries[i]])
    return out
