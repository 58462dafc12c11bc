"""Location context of one case for its dossier: setting, hot spot membership, nearby cases, a map image."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.cells import cells_of
from geo.coords import normalise_coord_sys, to_wgs84
from geo.settlement import label_settings, nbs_setting
from safeio.errors import InputError


@dataclass
class CaseContext:
    case_id: str | None
    lon: float  # WGS-84
    lat: float
    setting: str
    setting_method: str  # "nbs_code" or "distance"
    nearest_core: str | None
    core_distance_m: float | None
    cell: str
    in_hotspot: bool
    confidence: int | None  # 90/95/99 when the cell is a significant hot spot
    z: float | None
    p: float | None
    trend: str | None
    cluster: int | None
    nearby: pd.DataFrame = field(repr=False)  # cases within radius_m, nearest first, with distance_m
    radius_m: float = 2000.0
    static_map_png: bytes = field(default=b"", repr=False)

    def to_dict(self) -> dict:
        """JSON-ready form (the PNG is left out: use ``static_map_png``)."""
        cols = [c for c in ("case_id", "case_no", "title", "opened", "category", "setting", "distance_m")
                if c in self.nearby]
        nearby = self.nearby[cols].copy()
        if "opened" in nearby:
            nearby["opened"] = nearby["opened"].map(lambda d: None if pd.isna(d) else pd.Timestamp(d).date().isoformat())
        return {
            "case_id": self.case_id, "lon": round(self.lon, 6), "lat": round(self.lat, 6),
            "setting": self.setting, "setting_method": self.setting_method, "nearest_core": self.nearest_core,
            "core_distance_m": self.core_distance_m, "cell": self.cell, "in_hotspot": self.in_hotspot,
            "confidence": self.confidence, "z": self.z, "p": self.p, "trend": self.trend, "cluster": self.cluster,
            "radius_m": self.radius_m, "nearby_cases": nearby.astype(object).where(nearby.notna(), None).to_dict("records"),
        }


def _haversine_m(lon0, lat0, lon, lat):
    lon0, lat0, lon, lat = map(np.radians, (lon0, lat0, np.asarray(lon, float), np.asarray(lat, float)))
    a = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(a))


def case_context(result, lon: float, lat: float, case_id: str | None = None, radius_m: float = 2000.0, *,
                 coord_sys: str = "wgs84", urban_rural_code=None, map_png: bool = True) -> CaseContext:
    """Context of one case within a :class:`~geo.hotspots.HotspotResult`.

    The NBS urban-rural code decides the setting when given (or found on the case's row by
    ``case_id``); otherwise the distance rings of the result do.
    """
    canon = normalise_coord_sys(coord_sys)
    if canon is None:
        raise InputError(f"unknown coordinate system '{coord_sys}'.", field="coord_sys",
                         hint="Use wgs84, gcj02, bd09 or cgcs2000.")
    try:
        wlon, wlat = to_wgs84(np.array([float(lon)]), np.array([float(lat)]), canon)
    except (TypeError, ValueError) as err:
        raise InputError(f"the case position ({lon!r}, {lat!r}) is not a number.", field="lon/lat",
                         hint="Give decimal degrees, e.g. 114.65, 33.62.") from err
    wlon, wlat = float(wlon[0]), float(wlat[0])
    cases = result.cases
    if urban_rural_code is None and case_id is not None and "case_id" in cases:
        own = cases.loc[cases.case_id.astype(str) == str(case_id)]
        for col in ("urban_rural_code", "城乡分类代码"):
            if len(own) and col in own and nbs_setting(own[col].iloc[0]):
                urban_rural_code = own[col].iloc[0]
    labels = label_settings([wlon], [wlat], codes=[urban_rural_code], rings=result.rings).iloc[0]
    cell = str(cells_of(np.array([wlon]), np.array([wlat]), result.resolution)[0])
    row = result.cells.loc[result.cells.cell == cell]
    if len(row):
        r = row.iloc[0]
        in_hot = bool(r.gi_bin > 0)
        confidence = int(r.confidence) if in_hot else None
        z, p, trend = float(r.z), (None if pd.isna(r.p) else float(r.p)), str(r.trend)
    else:  # outside the study area: no statistic exists there
        in_hot, confidence, z, p, trend = False, None, None, None, None
    dist = _haversine_m(wlon, wlat, cases.lon, cases.lat)
    nearby = cases.assign(distance_m=np.round(dist, 1)).loc[dist <= radius_m]
    if case_id is not None and "case_id" in nearby:
        nearby = nearby.loc[nearby.case_id.astype(str) != str(case_id)]
    nearby = pd.DataFrame(nearby.drop(columns="geometry", errors="ignore")).sort_values("distance_m", kind="stable").reset_index(drop=True)
    cluster = None
    if case_id is not None and "case_id" in cases:
        own = cases.loc[cases.case_id.astype(str) == str(case_id)]
        if len(own) and int(own.cluster.iloc[0]) >= 0:
            cluster = int(own.cluster.iloc[0])
    ctx = CaseContext(
        case_id=case_id, lon=wlon, lat=wlat, setting=labels.setting, setting_method=labels.setting_method,
        nearest_core=labels.nearest_core, core_distance_m=float(labels.core_distance_m)
        if np.isfinite(labels.core_distance_m) else None, cell=cell, in_hotspot=in_hot, confidence=confidence,
        z=z, p=p, trend=trend, cluster=cluster, nearby=nearby, radius_m=float(radius_m),
    )
    if map_png:
        from geo.static import context_png

        ctx.static_map_png = context_png(result, ctx)
    return ctx

