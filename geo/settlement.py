"""Urban / peri-urban (城乡结合部) / rural labels for cases and cells.

Two methods, and every label says which one made it:
- ``nbs_code``: the NBS urban-rural code (统计用区划和城乡划分代码, 国函〔2008〕60号) carried by the case:
  111 主城区, 121 镇中心区, 123 特殊区域 -> urban; 112 城乡结合区, 122 镇乡结合区 -> peri-urban;
  210 乡中心区, 220 村庄 -> rural.  A 15-digit village code + class is accepted (last 3 digits).
- ``distance``: distance to the nearest urban core (city seats and urban districts, county seats,
  from ``data/urban_cores.csv``) with configurable rings (:class:`Rings`).  The defaults follow the
  usual extent of a Chinese prefecture city's built-up area (~4 km) and a county seat's (~2 km),
  with the urban-rural fringe reaching about 2.5x further.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.projection import LocalProjection

__all__ = ["NBS_CLASSES", "PERI", "RURAL", "SETTINGS", "URBAN", "Rings", "cores_near", "distance_settings",
           "label_settings", "nbs_setting", "setting_codes", "urban_cores"]

URBAN, PERI, RURAL = "urban", "peri-urban", "rural"
SETTINGS = (URBAN, PERI, RURAL)

NBS_CLASSES = {"111": URBAN, "112": PERI, "121": URBAN, "122": PERI, "123": URBAN, "210": RURAL, "220": RURAL}

_CORES_CSV = Path(__file__).with_name("data") / "urban_cores.csv"


@dataclass(frozen=True)
class Rings:
    """Ring radii in metres around urban cores ("city" = prefecture seats and urban districts)."""

    city_urban_m: float = 4000.0
    city_periurban_m: float = 10000.0
    county_urban_m: float = 2000.0
    county_periurban_m: float = 5000.0

    def to_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def urban_cores() -> pd.DataFrame:
    """All urban cores of China in WGS-84: adcode, name, kind (city/district/county), lon, lat."""
    return pd.read_csv(_CORES_CSV, dtype={"adcode": str})


def cores_near(lon: np.ndarray, lat: np.ndarray, margin_deg: float = 0.5) -> pd.DataFrame:
    """Urban cores inside the bounding box of the points, widened by ``margin_deg``."""
    cores = urban_cores()
    if len(lon) == 0:
        return cores.iloc[:0]
    box = (
        (cores.lon >= np.nanmin(lon) - margin_deg) & (cores.lon <= np.nanmax(lon) + margin_deg)
        & (cores.lat >= np.nanmin(lat) - margin_deg) & (cores.lat <= np.nanmax(lat) + margin_deg)
    )
    return cores.loc[box].reset_index(drop=True)


def nbs_setting(code) -> str | None:
    """Setting from an NBS urban-rural code, or None when the code is empty or unknown."""
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return None
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if len(text) >= 3 and text[-3:].isdigit():
        return NBS_CLASSES.get(text[-3:])
    return None


def distance_settings(lon, lat, rings: Rings = Rings(), cores: pd.DataFrame | None = None):
    """Setting by distance to urban cores; returns (settings, distance_m, nearest core name)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    n = len(lon)
    if cores is None:
        cores = cores_near(lon, lat)
    if n == 0 or len(cores) == 0:
        return np.full(n, RURAL, dtype=object), np.full(n, np.inf), np.full(n, None, dtype=object)
    proj = LocalProjection.around(np.concatenate([lon, cores.lon]), np.concatenate([lat, cores.lat]))
    px, py = proj.forward(lon, lat)
    cx, cy = proj.forward(cores.lon.to_numpy(), cores.lat.to_numpy())
    is_city = cores.kind.isin(["city", "district"]).to_numpy()
    urban_r = np.where(is_city, rings.city_urban_m, rings.county_urban_m)
    peri_r = np.where(is_city, rings.city_periurban_m, rings.county_periurban_m)
    tree = cKDTree(np.column_stack([cx, cy]))
    k = min(len(cores), 8)
    dist, idx = tree.query(np.column_stack([px, py]), k=k)
    dist = dist.reshape(n, k)
    idx = idx.reshape(n, k)
    urban = (dist <= urban_r[idx]).any(axis=1)
    peri = (dist <= peri_r[idx]).any(axis=1)
    settings = np.where(urban, URBAN, np.where(peri, PERI, RURAL)).astype(object)
    names = cores.name.to_numpy()[idx[:, 0]]
    return settings, dist[:, 0], names


def setting_codes(lon, lat, rings: Rings = Rings(), block: int = 250_000) -> np.ndarray:
    """Setting of many points by distance rings, as int8 indexes into :data:`SETTINGS`, in bounded memory.

    The neighbour query holds 8 distances and indexes per point: done in blocks, a province's
    millions of distinct places never hold them all at once.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.empty(len(lon), dtype=np.int8)
    if len(lon) == 0:
        return out
    cores = cores_near(lon, lat)
    index = {name: i for i, name in enumerate(SETTINGS)}
    for start in range(0, len(lon), block):
        part, _, _ = distance_settings(lon[start:start + block], lat[start:start + block], rings, cores)
        out[start:start + block] = pd.Series(part).map(index).to_numpy(np.int8)
    return out


def label_settings(lon, lat, codes=None, rings: Rings = Rings(), cores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Setting, method and nearest core for each point; the NBS code wins where present."""
    settings, dist, names = distance_settings(lon, lat, rings, cores)
    method = np.full(len(settings), "distance", dtype=object)
    if codes is not None:
        from_code = np.array([nbs_setting(c) for c in codes], dtype=object)
        has = np.array([s is not None for s in from_code], dtype=bool)
        settings = np.where(has, from_code, settings)
        method = np.where(has, "nbs_code", method)
    return pd.DataFrame({
        "setting": settings,
        "setting_method": method,
        "nearest_core": names,
        "core_distance_m": np.round(dist, 1),
    })
