"""Chinese map coordinate systems: GCJ-02 (Amap/Gaode, Tencent) and BD-09 (Baidu) to and from WGS-84.

No maintained PyPI package offers a vectorised, iterative inverse, so the public GCJ-02
algorithm (Krasovsky 1940 ellipsoid, a = 6378245.0, ee = 0.00669342162296594323) is written
here with numpy.  Outside mainland China GCJ-02 equals WGS-84.
"""

from __future__ import annotations

import numpy as np

__all__ = ["COORD_SYSTEMS", "bd09_to_gcj02", "bd09_to_wgs84", "from_wgs84", "gcj02_to_bd09", "gcj02_to_wgs84",
           "normalise_coord_sys", "to_wgs84", "wgs84_to_bd09", "wgs84_to_gcj02"]

_A = 6378245.0
_EE = 0.00669342162296594323


def _in_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon > 72.004) & (lon < 137.8347) & (lat > 0.8293) & (lat < 55.8271)


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = lon - 105.0
    y = lat - 35.0
    dlat = (
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
        + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon, lat):
    """Shift WGS-84 positions the way Chinese map apps display them (GCJ-02)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    inside = _in_china(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


_X_PI = np.pi * 3000.0 / 180.0


def gcj02_to_bd09(lon, lat):
    """Baidu's BD-09 is a further shift of GCJ-02 (public formula)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def wgs84_to_bd09(lon, lat):
    """WGS-84 to Baidu BD-09 (via GCJ-02)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def _invert(forward, lon, lat, *, tol_deg: float = 1e-10, max_iter: int = 30):
    """Fixed-point inverse of a small smooth shift: x <- x - (f(x) - target), vectorised.

    The shifts move a point by under 2 km and change slowly in space, so each step shrinks the
    error by about 1e-5: three or four steps reach millimetres (one step alone errs up to ~4 m).
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x, y = lon.copy(), lat.copy()
    for _ in range(max_iter):
        fx, fy = forward(x, y)
        dx, dy = fx - lon, fy - lat
        x = x - dx
        y = y - dy
        finite = np.isfinite(dx) & np.isfinite(dy)
        if not finite.any() or max(np.abs(dx[finite]).max(initial=0.0), np.abs(dy[finite]).max(initial=0.0)) < tol_deg:
            break
    return x, y


def gcj02_to_wgs84(lon, lat):
    """GCJ-02 (Amap/Gaode, Tencent) back to WGS-84, iteratively: error about 1 mm, not 4 m."""
    return _invert(wgs84_to_gcj02, lon, lat)


def bd09_to_gcj02(lon, lat):
    """BD-09 (Baidu) back to GCJ-02, iteratively."""
    return _invert(gcj02_to_bd09, lon, lat)


def bd09_to_wgs84(lon, lat):
    """BD-09 (Baidu) back to WGS-84, iteratively through the whole chain."""
    return _invert(wgs84_to_bd09, lon, lat)


# Names people write in spreadsheets for each system, folded to lower case without spaces.
_ALIASES = {
    "wgs84": ("wgs84", "wgs-84", "wgs_84", "gps", "epsg:4326", "4326", "osm", "h3"),
    "gcj02": ("gcj02", "gcj-02", "gcj_02", "gcj", "amap", "gaode", "高德", "tencent", "腾讯", "火星", "火星坐标",
              "国测局"),
    "bd09": ("bd09", "bd-09", "bd_09", "bd09ll", "baidu", "百度"),
    "cgcs2000": ("cgcs2000", "cgcs-2000", "epsg:4490", "4490", "国家2000", "2000", "tianditu", "天地图"),
}
_LOOKUP = {alias: canon for canon, names in _ALIASES.items() for alias in names}

COORD_SYSTEMS = tuple(_ALIASES)


def normalise_coord_sys(name) -> str | None:
    """The canonical name ('wgs84', 'gcj02', 'bd09', 'cgcs2000') of a written system, or None."""
    if name is None:
        return None
    text = str(name).strip().lower().replace(" ", "")
    return _LOOKUP.get(text)


def to_wgs84(lon, lat, coord_sys):
    """Convert positions to WGS-84; ``coord_sys`` is one canonical name or an array of them per row.

    CGCS2000 (EPSG:4490) differs from WGS-84 by centimetres, far below a map cell, so it passes as is.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    systems = np.broadcast_to(np.asarray(coord_sys, dtype=object), lon.shape)
    out_lon, out_lat = lon.copy(), lat.copy()
    for name, inverse in (("gcj02", gcj02_to_wgs84), ("bd09", bd09_to_wgs84)):
        mask = systems == name
        if mask.any():
            out_lon[mask], out_lat[mask] = inverse(lon[mask], lat[mask])
    return out_lon, out_lat


def from_wgs84(lon, lat, coord_sys: str):
    """WGS-84 to a display system (used to shift overlays onto GCJ-02 basemap tiles)."""
    if coord_sys == "gcj02":
        return wgs84_to_gcj02(lon, lat)
    if coord_sys == "bd09":
        return wgs84_to_bd09(lon, lat)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
