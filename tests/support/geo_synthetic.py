"""A synthetic casebook for hot-spot tests and benchmarks.

Cases and an inspection baseline around real 周口 urban cores, where cases follow effort,
optionally with planted high-rate clusters in a peri-urban and a rural place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.projection import LocalProjection
from geo.settlement import PERI, RURAL, URBAN, Rings, cores_near

ZHOUKOU_BOX = (114.35, 33.40, 115.55, 34.10)
CATEGORIES = ("食品", "日用品", "家电", "化妆品", "酒类")


@dataclass
class Synthetic:
    cases: pd.DataFrame
    baseline: pd.DataFrame
    planted: dict = field(default_factory=dict)  # name -> (lon, lat, setting) of planted cluster centres


def _offset(proj, lon0, lat0, dx, dy):
    x0, y0 = proj.forward([lon0], [lat0])
    lon, lat = proj.inverse(x0 + dx, y0 + dy)
    return lon, lat


def synthetic_casebook(seed: int = 1, *, planted: bool = True, base_rate: float = 0.1,
                       planted_factor: float = 6.0, scale: float = 1.0, start: str = "2024-01-01",
                       days: int = 365) -> Synthetic:
    """Markets around 周口's city and county seats: effort dense in towns, thin in the countryside.

    Cases per market ~ Poisson(base_rate x inspections); planted clusters multiply the rate.
    ``scale`` multiplies the number of markets (and so cases), e.g. scale=100 for ~100k cases.
    """
    rng = np.random.default_rng(seed)
    rings = Rings()
    cores = cores_near(np.array(ZHOUKOU_BOX[::2]), np.array(ZHOUKOU_BOX[1::2]), margin_deg=0.0)
    proj = LocalProjection.around(cores.lon, cores.lat)
    cx, cy = proj.forward(cores.lon.to_numpy(), cores.lat.to_numpy())
    places = []  # x, y, effort, factor, setting

    def ring_points(n, r0, r1, x0, y0):
        r = np.sqrt(rng.uniform(r0 ** 2, r1 ** 2, n))
        a = rng.uniform(0, 2 * np.pi, n)
        return x0 + r * np.cos(a), y0 + r * np.sin(a)

    for x0, y0 in zip(cx, cy, strict=True):
        n_u, n_p = int(12 * scale), int(12 * scale)
        ux, uy = ring_points(n_u, 0, rings.county_urban_m * 0.9, x0, y0)
        places += [(a, b, rng.integers(30, 60), 1.0, URBAN) for a, b in zip(ux, uy, strict=True)]
        px, py = ring_points(n_p, rings.city_urban_m * 1.1, rings.county_periurban_m * 0.95, x0, y0)
        places += [(a, b, rng.integers(10, 25), 1.0, None) for a, b in zip(px, py, strict=True)]
    bx, by = proj.forward(np.array(ZHOUKOU_BOX[::2]), np.array(ZHOUKOU_BOX[1::2]))
    n_r = int(400 * scale)
    rx, ry = rng.uniform(bx[0], bx[1], n_r), rng.uniform(by[0], by[1], n_r)
    places += [(a, b, rng.integers(2, 8), 1.0, None) for a, b in zip(rx, ry, strict=True)]
    planted_at = {}
    if planted:
        # a peri-urban cluster 3.5 km east of 淮阳 county seat, a rural one in open country
        huaiyang = cores.index[cores.name.str.startswith("淮阳")][0]
        targets = {"peri-urban": (cx[huaiyang] + 3500.0, cy[huaiyang]), "rural": None}
        d = np.hypot(rx[:, None] - cx[None, :], ry[:, None] - cy[None, :]).min(axis=1)
        far = np.flatnonzero(d > 15000)
        targets["rural"] = (rx[far[0]], ry[far[0]]) if len(far) else (bx[0] + 5000, by[0] + 5000)
        for name, (tx, ty) in targets.items():
            gx, gy = ring_points(int(8 * max(scale, 1) ** 0.5), 0, 700, tx, ty)
            effort = (10, 25) if name == "peri-urban" else (3, 8)
            places += [(a, b, rng.integers(*effort), planted_factor, None) for a, b in zip(gx, gy, strict=True)]
            tlon, tlat = proj.inverse(np.array([tx]), np.array([ty]))
            planted_at[name] = (float(tlon[0]), float(tlat[0]), PERI if name == "peri-urban" else RURAL)
    arr = np.array([(p[0], p[1], p[2], p[3]) for p in places], dtype=float)
    plon, plat = proj.inverse(arr[:, 0], arr[:, 1])
    effort = arr[:, 2]
    n_cases = rng.poisson(base_rate * effort * arr[:, 3])
    baseline = pd.DataFrame({
        "place": [f"市场{i:05d}" for i in range(len(arr))], "lon": np.round(plon, 6), "lat": np.round(plat, 6),
        "coord_sys": "wgs84", "inspections": effort.astype(int),
    })
    which = np.repeat(np.arange(len(arr)), n_cases)
    t0 = pd.Timestamp(start)
    opened = t0 + pd.to_timedelta(rng.integers(0, days, len(which)), unit="D")
    cases = pd.DataFrame({
        "case_id": [f"SYN-{i:06d}" for i in range(len(which))],
        "title": [f"合成案件 {i}" for i in range(len(which))],
        "lon": np.round(plon[which], 6), "lat": np.round(plat[which], 6), "coord_sys": "wgs84",
        "opened": opened.strftime("%Y-%m-%d"),
        "category": rng.choice(CATEGORIES, len(which)),
        "market": baseline.place.to_numpy()[which],
    })
    return Synthetic(cases=cases, baseline=baseline, planted=planted_at)
