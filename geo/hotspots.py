"""Optimized hot spot analysis of cases on H3 cells: the whole pipeline behind ``geo.find_hotspots``.

load -> WGS-84 -> full H3 coverage -> counts or empirical-Bayes rates over inspection effort ->
scale from Incremental Spatial Autocorrelation -> Gi* -> FDR bins -> settings, clusters, trend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.spatial import cKDTree

from geo import cells as cellmod
from geo.cases import CaseTable, _find_column, load_cases
from geo.clusters import point_clusters, summarise_clusters
from geo.projection import LocalProjection
from geo.settlement import Rings, label_settings
from geo.stats import (
    BIN_CONFIDENCE,
    fdr_bins,
    first_peak,
    gi_star,
    incremental_autocorrelation,
    two_sided_p,
)
from geo.trend import emerging, time_slices
from safeio.errors import InputError

MIN_FEATURES = 30  # ArcGIS Optimized Hot Spot Analysis needs at least 30 incidents
ISA_BANDS = 10
ISA_MAX_PAIRS = 4_000_000  # memory guard: the largest ISA band holds at most this many cell pairs
EFFORT_NAMES = ("inspections", "effort", "检查次数", "巡查次数")
CODE_NAMES = ("urban_rural_code", "城乡分类代码", "城乡代码", "nbs_code")


@dataclass
class HotspotResult:
    """Cells with their statistics, labelled cases, clusters and the summary JSON of ``casebook geo hotspots``."""

    cells: gpd.GeoDataFrame
    cases: gpd.GeoDataFrame
    clusters: gpd.GeoDataFrame
    summary: dict
    table: CaseTable
    baseline: CaseTable | None
    coverage: cellmod.Coverage
    weights: sparse.csr_matrix
    distance_m: float
    rings: Rings
    isa: list = field(default_factory=list)

    @property
    def resolution(self) -> int:
        return self.coverage.resolution

    def significant(self) -> gpd.GeoDataFrame:
        """Only the hot and cold cells (Gi_Bin != 0), strongest first."""
        sig = self.cells.loc[self.cells.gi_bin != 0]
        return sig.reindex(sig.z.abs().sort_values(ascending=False).index)

    def graph(self):
        """The neighbour structure as a libpysal Graph (without self-weights, as esda expects)."""
        from libpysal.graph import Graph

        w = self.weights - sparse.identity(self.weights.shape[0], format="csr")
        w.eliminate_zeros()
        return Graph.from_sparse(w.tocsr(), ids=list(self.cells.cell))

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.summary, ensure_ascii=False, **kwargs)


def _load(cases, coord_sys) -> CaseTable:
    if isinstance(cases, CaseTable):
        return cases
    return load_cases(cases, coord_sys=coord_sys)


def _load_baseline(baseline, coord_sys) -> tuple[CaseTable, np.ndarray]:
    table = baseline if isinstance(baseline, CaseTable) else load_cases(baseline, coord_sys=coord_sys)
    col = _find_column(table.cases.columns, EFFORT_NAMES)
    if col is None:
        raise InputError("the baseline has no 'inspections' column.", path=table.source, field="inspections",
                         hint="Give the inspection effort per place in a column named inspections.")
    effort = pd.to_numeric(table.cases[col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(effort) | (effort < 0)
    if bad.any():
        extra = pd.DataFrame({"row": table.cases.row[bad].tolist(),
                              "reason": [f"inspections is not a number >= 0 ({v!r})" for v in table.cases[col][bad]]})
        table = CaseTable(cases=table.cases.loc[~bad].reset_index(drop=True),
                          rejected=pd.concat([table.rejected, extra], ignore_index=True),
                          warnings=table.warnings, source=table.source)
        effort = effort[~bad]
    return table, effort


def _resolution_within(lon, lat, x, y, resolution, max_cells) -> tuple[int, str | None]:
    """Coarsen the resolution until the hull's coverage stays under ``max_cells`` cells."""
    hull = shapely.convex_hull(shapely.multipoints(np.column_stack([x, y])))
    area = max(hull.area, 1.0)
    note = None
    while resolution > cellmod.MIN_RESOLUTION and area / h3.average_hexagon_area(resolution, "m^2") > max_cells:
        resolution -= 1
        note = f"resolution coarsened to {resolution} to keep the study area under {max_cells} cells"
    return resolution, note


def _enough_units(resolution, note, ax, ay, base, effort) -> tuple[int, str]:
    """Refine the resolution until Gi* has at least 30 units to compare (ArcGIS's minimum).

    Clustered cases make ArcGIS's cell size large (mean >> median nearest-neighbour distance);
    on a prefecture that can leave a handful of cells, too few for any statistic.
    """
    hull_area = max(shapely.convex_hull(shapely.multipoints(np.column_stack([ax, ay]))).area, 1.0)
    start = resolution
    while resolution < cellmod.MAX_RESOLUTION:
        if base is not None:
            lon = base.cases.lon.to_numpy(float)[effort > 0]
            lat = base.cases.lat.to_numpy(float)[effort > 0]
            units = len(set(cellmod.cells_of(lon, lat, resolution)))
            enough = units >= MIN_FEATURES or units >= int((effort > 0).sum())
        else:
            units = hull_area / h3.average_hexagon_area(resolution, "m^2")
            enough = units >= MIN_FEATURES
        if enough:
            break
        resolution += 1
    if resolution != start:
        note += f"; refined from {start} to {resolution} to give Gi* at least {MIN_FEATURES} cells to compare"
    return resolution, note


def _scale(values, x, y, spacing: float, n_features: int) -> tuple[float, str, list]:
    """Distance band: first significant ISA peak, else ArcGIS's fallback (mean distance to k-th neighbour)."""
    n = len(values)
    k_max = int((-1 + np.sqrt(1 + 8 * ISA_MAX_PAIRS / (3 * max(n, 1)))) / 2)
    k_max = min(ISA_BANDS, max(k_max, 0))
    series = []
    if k_max >= 3 and n >= MIN_FEATURES and np.ptp(values) > 0:
        bands = [(k + 0.25) * spacing for k in range(1, k_max + 1)]
        series = incremental_autocorrelation(values, x, y, bands)
        peak = first_peak(series)
        if peak is not None:
            return peak, f"first peak of incremental spatial autocorrelation at {peak:.0f} m", series
    k = int(np.clip(round(0.05 * n_features), 3, 30))
    k = min(k, n - 1) if n > 1 else 1
    if n > 1:
        dist, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=k + 1)
        d = float(np.mean(dist[:, -1]))
    else:
        d = spacing
    d = max(d, 1.01 * spacing)
    return d, f"no significant ISA peak: mean distance to {k} nearest cells ({d:.0f} m, ArcGIS fallback)", series


def find_hotspots(
    cases,
    baseline=None,
    resolution: int | None = None,
    *,
    distance_m: float | None = None,
    coord_sys: str | None = None,
    rings: Rings = Rings(),
    cluster_eps_m: float = 1000.0,
    cluster_min_cases: int = 3,
    trend: bool = True,
    clusters: bool = True,
    n_slices: int | None = None,
    max_cells: int = 250_000,
) -> HotspotResult:
    """Where cases concentrate beyond what inspection effort explains (Getis-Ord Gi* on H3 cells).

    ``cases``/``baseline``: a path, DataFrame or :class:`CaseTable`.  Without a baseline the
    analysis runs on case counts; with one, on empirical-Bayes smoothed cases per inspection.
    """
    table = _load(cases, coord_sys)
    if len(table) == 0:
        raise InputError(f"no usable cases: all {len(table.rejected)} rows were rejected "
                         f"(first: row {table.rejected.row.iloc[0]}, {table.rejected.reason.iloc[0]}).",
                         path=table.source, hint="Fix the coordinates in the listed rows.")
    warnings = list(table.warnings)
    base, effort = (None, None)
    if baseline is not None:
        base, effort = _load_baseline(baseline, coord_sys)
        warnings += [f"baseline: {w}" for w in base.warnings]
    cdf = table.cases
    all_lon = np.concatenate([cdf.lon.to_numpy(float), base.cases.lon.to_numpy(float) if base else []])
    all_lat = np.concatenate([cdf.lat.to_numpy(float), base.cases.lat.to_numpy(float) if base else []])
    proj = LocalProjection.around(all_lon, all_lat)
    x, y = proj.forward(cdf.lon.to_numpy(float), cdf.lat.to_numpy(float))
    if resolution is None:
        resolution, cell_size, res_note = cellmod.choose_resolution(x, y)
    else:
        cell_size, res_note = None, "given"
    ax, ay = proj.forward(all_lon, all_lat)
    if res_note != "given":
        resolution, res_note = _enough_units(resolution, res_note, ax, ay, base, effort)
    resolution, coarser = _resolution_within(all_lon, all_lat, ax, ay, int(resolution), max_cells)
    if coarser:
        warnings.append(coarser)
    cov = cellmod.coverage(all_lon, all_lat, resolution, proj)
    case_cells = cellmod.cells_of(cdf.lon.to_numpy(float), cdf.lat.to_numpy(float), resolution)
    case_idx = cov.index_of(case_cells)
    if (case_idx < 0).any():  # cannot happen: coverage includes every occupied cell
        raise AssertionError("a case fell outside the coverage")
    counts = np.bincount(case_idx, minlength=len(cov)).astype(float)
    n_cells = len(cov)
    if len(table) < MIN_FEATURES:
        warnings.append(f"only {len(table)} cases: ArcGIS asks for at least {MIN_FEATURES}; read the result as descriptive.")
    if len(np.unique(np.round(np.column_stack([x, y]), 1), axis=0)) == 1:
        warnings.append("all cases share one location: the map shows one place, not a pattern.")

    cell_effort = rate = None
    if base is not None:
        b_idx = cov.index_of(cellmod.cells_of(base.cases.lon.to_numpy(float), base.cases.lat.to_numpy(float), resolution))
        cell_effort = np.bincount(b_idx, weights=effort, minlength=n_cells)
        if cell_effort.sum() <= 0:
            raise InputError("the baseline holds no inspection effort (all zero).", path=base.source,
                             field="inspections", hint="Give the number of inspections per place, or leave out --baseline.")
        from geo.stats import empirical_bayes

        rate = empirical_bayes(counts, cell_effort)
        values = rate
        # A rate needs a denominator: cells without inspections hold no observation and are left
        # out of Gi* (their constant prior would shrink S and make every busy area look hot).
        analysed = cell_effort > 0
        orphan = counts[~analysed].sum()
        if orphan > 0:
            warnings.append(f"{int(orphan)} case(s) lie in cells with zero inspection effort: a rate cannot be "
                            "computed there, so those cells are not tested; check the baseline covers their places.")
        analysis = "empirical-Bayes rate (cases per inspection)"
    else:
        values = counts
        analysed = np.ones(n_cells, dtype=bool)
        analysis = "case count"

    sub = np.flatnonzero(analysed)
    if distance_m is None:
        distance_m, scale_note, isa = _scale(values[sub], cov.x[sub], cov.y[sub], cov.spacing_m, len(table))
    else:
        distance_m, scale_note, isa = float(distance_m), "given", []
    w = cellmod.distance_band(cov, distance_m)
    w_sub = w if len(sub) == n_cells else w[sub][:, sub]
    z = np.zeros(n_cells)
    z[sub] = gi_star(values[sub], w_sub)
    p = two_sided_p(z)
    p[~analysed] = np.nan
    bins = np.zeros(n_cells, dtype=int)
    bins[sub] = fdr_bins(z[sub], p[sub])
    if np.ptp(values[sub]) == 0:
        warnings.append("every cell has the same value: no cell can stand out (Gi* z = 0 everywhere).")

    cell_settings = label_settings(cov.lon, cov.lat, rings=rings)
    codes_col = _find_column(cdf.columns, CODE_NAMES)
    case_settings = label_settings(cdf.lon.to_numpy(float), cdf.lat.to_numpy(float),
                                   codes=cdf[codes_col].tolist() if codes_col else None, rings=rings)
    labelled = cdf.copy()
    labelled["cell"] = case_cells
    for col in case_settings.columns:
        labelled[col] = case_settings[col].to_numpy()
    labelled["cluster"] = (point_clusters(labelled, eps_m=cluster_eps_m, min_cases=cluster_min_cases)
                           if clusters else np.full(len(labelled), -1))
    labelled["gi_bin"] = bins[case_idx]

    trend_frame, period = (_trend(labelled, case_idx, sub, w_sub, cell_effort, n_slices, bins, n_cells)
                           if trend else (None, None))

    cells = gpd.GeoDataFrame({
        "cell": cov.cells, "lon": cov.lon, "lat": cov.lat, "cases": counts.astype(int),
        **({"effort": cell_effort, "rate": rate} if base is not None else {}),
        "value": values, "analysed": analysed, "z": z, "p": p, "gi_bin": bins,
        "confidence": [BIN_CONFIDENCE.get(abs(int(b))) for b in bins],
        "type": np.where(bins > 0, "hot", np.where(bins < 0, "cold", "not significant")),
        "setting": cell_settings.setting.to_numpy(), "setting_method": cell_settings.setting_method.to_numpy(),
        "trend": trend_frame.trend.to_numpy() if trend_frame is not None else "not computed",
        "trend_tau": trend_frame.trend_tau.to_numpy() if trend_frame is not None else np.nan,
        "trend_p": trend_frame.trend_p.to_numpy() if trend_frame is not None else np.nan,
    }, geometry=cellmod.cell_polygons(cov.cells), crs="EPSG:4326")
    cluster_frame = gpd.GeoDataFrame(summarise_clusters(labelled, labelled.cluster.to_numpy(), proj),
                                     geometry="geometry", crs="EPSG:4326")
    summary = _summary(table, base, cells, cluster_frame, labelled, warnings, resolution, res_note, cell_size,
                       distance_m, scale_note, analysis, rings, period)
    return HotspotResult(cells=cells, cases=labelled, clusters=cluster_frame, summary=summary, table=table,
                         baseline=base, coverage=cov, weights=w, distance_m=distance_m, rings=rings, isa=isa)


def _trend(labelled, case_idx, sub, w_sub, cell_effort, n_slices, bins, n_cells):
    if "opened" not in labelled:
        return None, None
    slice_of, spans = time_slices(labelled["opened"], n_slices)
    if not spans:
        return None, None
    dated = slice_of >= 0
    matrix = np.zeros((n_cells, len(spans)))
    np.add.at(matrix, (case_idx[dated], slice_of[dated]), 1.0)
    if cell_effort is not None:
        from geo.stats import empirical_bayes

        matrix = np.column_stack([empirical_bayes(matrix[:, k], cell_effort) for k in range(len(spans))])
    part = emerging(matrix[sub], w_sub, candidates=bins[sub] != 0)
    frame = pd.DataFrame({"trend": ["not tested"] * n_cells, "trend_tau": np.nan, "trend_p": np.nan})
    frame.iloc[sub, :] = part.to_numpy()
    frame["trend_tau"] = frame.trend_tau.astype(float)
    frame["trend_p"] = frame.trend_p.astype(float)
    return frame, {"start": spans[0][0], "end": spans[-1][1], "slices": len(spans)}


def _clean(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _summary(table, base, cells, clusters, labelled, warnings, resolution, res_note, cell_size,
             distance_m, scale_note, analysis, rings, period) -> dict:
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
    out = {
        "cases": len(table),
        "rejected_rows": table.rejected_rows(),
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
        "clusters": cluster_list,
        "settings": {k: int(v) for k, v in labelled.setting.value_counts().items()},
        "setting_methods": {k: int(v) for k, v in labelled.setting_method.value_counts().items()},
        "rings_m": rings.to_dict(),
        "period": period,
        "warnings": warnings,
    }
    if base is not None:
        out["baseline_places"] = len(base)
        out["baseline_rejected_rows"] = base.rejected_rows()
    return json.loads(json.dumps(out, default=_clean, ensure_ascii=False))


def write_hotspot_summary(result: HotspotResult, path) -> str:
    """Write the summary JSON atomically (temp file, fsync, rename); returns the path."""
    from safeio.atomic import write_text_atomic

    return str(write_text_atomic(path, result.to_json(indent=2) + "\n"))
