"""The small outputs of a hot spot analysis: the county table, the labelled case sample, the summary JSON."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from geo.cells import cell_ints
from geo.settlement import SETTINGS, label_settings

__all__ = ["COUNTY_COLUMNS", "build_summary", "county_statistics", "join_hot_areas", "labelled_sample"]

COUNTY_COLUMNS = ["adcode", "name", "cases", "inspections", "rate", "hot_cells", "cold_cells", "top_categories"]


def county_statistics(shapes: pd.DataFrame, part, cells, blon, blat, effort) -> pd.DataFrame:
    """Per county (县区) in view with cases, inspections or significant cells: the bureau's reporting unit.

    ``rate`` is cases per inspection (None without a baseline or inspections); hot and cold cells
    are counted by the county their centre lies in; ``top_categories`` are the three most frequent.
    """
    from geo import counties as cty

    if len(shapes) == 0:
        return pd.DataFrame(columns=COUNTY_COLUMNS)
    n = len(shapes)
    cases = part.county_cases[:n]
    inspections = np.zeros(n)
    if effort is not None and len(blon):
        where = cty.county_of(blon, blat, shapes)
        ok = where >= 0
        inspections = np.bincount(where[ok], weights=effort[ok], minlength=n)
    cell_county = cty.county_of(cells.lon.to_numpy(float), cells.lat.to_numpy(float), shapes)
    ok = cell_county >= 0
    bins = cells.gi_bin.to_numpy()
    hot = np.bincount(cell_county[ok & (bins > 0)], minlength=n)
    cold = np.bincount(cell_county[ok & (bins < 0)], minlength=n)
    cats = part.county_categories
    top = []
    for k in range(n):
        if k in cats.index and len(cats.columns):
            row = cats.loc[k]
            row = row[row > 0]
            top.append([str(c) for c in sorted(row.index, key=lambda c: (-row[c], str(c)))[:3]])
        else:
            top.append([])
    frame = pd.DataFrame({
        "adcode": shapes.adcode.astype(str).to_numpy(), "name": shapes.name.astype(str).to_numpy(),
        "cases": cases.astype(int), "inspections": inspections.round(1) if effort is not None else np.nan,
        "rate": np.where(inspections > 0, cases / np.where(inspections > 0, inspections, 1), np.nan).round(4),
        "hot_cells": hot.astype(int), "cold_cells": cold.astype(int), "top_categories": top,
    })
    keep = (frame.cases > 0) | (frame.hot_cells > 0) | (frame.cold_cells > 0) | (inspections > 0)
    frame = frame.loc[keep]
    return frame.sort_values(["cases", "adcode"], ascending=[False, True], kind="stable").reset_index(drop=True)


def join_hot_areas(cells, weights, slices: np.ndarray | None, edges, shapes) -> tuple[list[dict], np.ndarray]:
    """Hot cells joined into areas (cells within the distance band of each other), each with its trend.

    Per area: cells, cases, case-weighted centre, main setting, county, cases per year and per
    time slice, and the Mann-Kendall direction of the per-slice counts (rising / falling / steady).
    Returns the areas (most cases first) and each cell's area number (1-based; 0 = none).
    """
    from scipy.sparse.csgraph import connected_components

    from geo import counties as cty
    from geo.trend import mann_kendall

    bins = cells.gi_bin.to_numpy()
    hot = np.flatnonzero(bins > 0)
    number = np.zeros(len(cells), dtype=np.int32)
    if not len(hot):
        return [], number
    _, comp = connected_components(weights[hot][:, hot], directed=False)
    counts = cells.cases.to_numpy(float)
    lon, lat = cells.lon.to_numpy(float), cells.lat.to_numpy(float)
    out = []
    for c in np.unique(comp):
        idx = hot[comp == c]
        w = counts[idx] if counts[idx].sum() > 0 else np.ones(len(idx))
        clon, clat = float(np.average(lon[idx], weights=w)), float(np.average(lat[idx], weights=w))
        by_setting = pd.Series(counts[idx]).groupby(cells.setting.to_numpy()[idx]).sum()
        area = {"_idx": idx, "cells": len(idx), "cases": int(counts[idx].sum()), "lon": round(clon, 6), "lat": round(clat, 6),
                "setting": str(by_setting.idxmax()) if len(by_setting) else None,
                "confidence": int(max(cells.confidence.to_numpy()[idx])), "county": None, "adcode": None,
                "cases_by_year": {}, "cases_by_slice": [], "trend": None}
        if len(shapes):
            k = int(cty.county_of([clon], [clat], shapes)[0])
            if k >= 0:
                area["county"], area["adcode"] = str(shapes.name.iloc[k]), str(shapes.adcode.iloc[k])
        if slices is not None and edges is not None and slices.shape[1]:
            series = slices[idx].sum(axis=0)
            mid = edges[:-1] + (edges[1:] - edges[:-1]) // 2
            years = mid.astype("datetime64[Y]").astype(int) + 1970
            area["cases_by_slice"] = [int(v) for v in series]
            area["cases_by_year"] = {str(y): int(series[years == y].sum()) for y in np.unique(years)}
            direction, _, _ = mann_kendall(series[None, :].astype(float))
            area["trend"] = {1: "rising", -1: "falling", 0: "steady"}[int(direction[0])]
        out.append(area)
    out = sorted(out, key=lambda a: (-a["cases"], a["lon"]))
    for k, area in enumerate(out, start=1):
        number[area.pop("_idx")] = k
        area["area"] = k
    return out, number


def labelled_sample(sample: pd.DataFrame, cells, cov, shapes, rings, cluster_keys, cluster_labels) -> pd.DataFrame:
    """The kept case rows with their cell, setting, cluster, Gi* bin and the county they lie in."""
    from geo import counties as cty
    from geo.aggregate import place_keys

    out = sample.drop(columns=["pos"], errors="ignore").reset_index(drop=True).copy()
    if out.empty:
        for col in ("cell", "setting", "setting_method", "nearest_core", "core_distance_m", "cluster", "gi_bin"):
            out[col] = []
        return out
    lon, lat = out.lon.to_numpy(float), out.lat.to_numpy(float)
    ints = cell_ints(lon, lat, cov.resolution)
    pos = np.clip(np.searchsorted(cov.ids, ints), 0, len(cov) - 1)
    out["cell"] = cov.cells[pos]
    codes = out["urban_rural_code"].tolist() if "urban_rural_code" in out else None
    settings = label_settings(lon, lat, codes=codes, rings=rings)
    for col in settings.columns:
        out[col] = settings[col].to_numpy()
    keys = place_keys(lon, lat)
    cluster = np.full(len(out), -1, dtype=np.int64)
    if len(cluster_keys):
        k = np.clip(np.searchsorted(cluster_keys, keys), 0, len(cluster_keys) - 1)
        cluster = np.where(cluster_keys[k] == keys, cluster_labels[k], -1)
    out["cluster"] = cluster
    out["gi_bin"] = cells.gi_bin.to_numpy()[pos]
    if len(shapes):
        where = cty.county_of(lon, lat, shapes)
        names = shapes.name.astype(str).to_numpy()
        out["county_found"] = np.where(where >= 0, names[np.clip(where, 0, None)], None)
    return out


def _clean(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def build_summary(*, first, base, cells, clusters, counties, part, warnings, resolution, res_note, cell_size,
                  distance_m, scale_note, analysis, rings, period, cluster_method, sample_rows,
                  areas=()) -> dict:
    """The JSON of ``casebook geo hotspots --summary``: plain numbers, codes and English identifiers."""
    sig = cells.loc[cells.gi_bin != 0]
    sig = sig.reindex(sig.z.abs().sort_values(ascending=False).index)
    hot = [
        {
            "cell": r.cell, "lon": round(float(r.lon), 6), "lat": round(float(r.lat), 6), "cases": int(r.cases),
            "z": round(float(r.z), 4), "p": float(f"{r.p:.6g}"), "confidence": int(r.confidence),
            "type": r.type, "setting": r.setting, "trend": r.trend,
        }
        for r in sig.itertuples()
    ]
    cluster_list = []
    for r in clusters.itertuples():
        hull = [[round(a, 6), round(b, 6)] for a, b in np.asarray(r.geometry.exterior.coords)]
        cluster_list.append({
            "cluster": int(r.cluster), "cases": int(r.cases), "places": int(r.places), "setting": r.setting,
            "main_categories": list(r.main_categories), "first_opened": r.first_opened,
            "last_opened": r.last_opened, "lon": r.lon, "lat": r.lat, "area_km2": r.area_km2, "hull": hull,
        })
    county_rows = []
    for r in counties.to_dict("records"):
        r["top_categories"] = list(r["top_categories"])
        county_rows.append(r)
    warnings = list(warnings)
    if part.n_flags:
        warnings.append(f"{part.n_flags} case(s) lie outside the county they name: see county_warnings.")
    for name, n in sorted(part.unnamed_counties.items()):
        warnings.append(f"{n} case(s) name the county '{name}', which is not a county in view: not checked.")
    outside = int(part.county_cases[-1]) if len(part.county_cases) and len(counties.columns) else 0
    out = {
        "cases": int(first.n),
        "rejected_rows": first.rejected_rows(),
        "cell_resolution": int(resolution),
        "cells": len(cells),
        "cells_analysed": int(cells.analysed.sum()),
        "analysis": analysis,
        "resolution_method": res_note,
        "cell_size_m": None if cell_size is None else round(cell_size, 1),
        "distance_band_m": round(float(distance_m), 1),
        "scale_method": scale_note,
        "hot_cells": int((cells.gi_bin > 0).sum()),
        "cold_cells": int((cells.gi_bin < 0).sum()),
        "hotspots": hot,
        "hot_areas": list(areas),
        "clusters": cluster_list,
        "cluster_method": cluster_method,
        "settings": {SETTINGS[i]: int(v) for i, v in enumerate(part.settings) if v > 0},
        "setting_methods": {k: int(v) for k, v in zip(("distance", "nbs_code"), part.setting_methods, strict=True)
                            if v > 0},
        "rings_m": rings.to_dict(),
        "period": period,
        "cases_by_month": {str(m): {str(k): int(v) for k, v in row.items() if v} for m, row in
                           part.period.sort_index().to_dict("index").items()} if len(part.period) else {},
        "counties": county_rows,
        "cases_outside_counties": outside if len(counties) else None,
        "county_warnings": part.flags,
        "county_warnings_total": int(part.n_flags),
        "case_sample": {"cases": int(sample_rows), "of": int(first.n)},
        "warnings": warnings,
        "duplicate_case_ids": getattr(first, "duplicates", []),
    }
    if base is not None:
        out["baseline_places"] = len(base)
        out["baseline_rejected_rows"] = base.rejected_rows()
    return json.loads(json.dumps(out, default=_clean, ensure_ascii=False))
