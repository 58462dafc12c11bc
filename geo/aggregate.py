"""Cases to small tables: distinct places, then counts per cell, time slice, category, county and cluster.

The same two functions run on one machine (over all cases at once) and on every Dask partition
(``geo.distributed``); partial results add up, so both paths hand identical tables to the
statistics.  Everything is keyed so that the order of partitions cannot change a number: places
by their position rounded to 1e-6 degrees (~0.1 m), cells by H3 id, categories and counties by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.case_scan import CaseScan
from geo.coords import COORD_SYSTEMS
from geo.settlement import SETTINGS

__all__ = ["MAX_FLAGS", "Partial", "Places", "Plan", "Survey", "aggregate", "key_lonlat", "place_keys", "places_of",
           "survey"]

MAX_FLAGS = 2000  # county mismatch warnings listed one by one; beyond that only counted
_LAT_SPAN = 100_000_000


def place_keys(lon, lat) -> np.ndarray:
    """One int64 per position rounded to 1e-6 degrees (lon and lat packed)."""
    return (np.round(np.asarray(lon, float) * 1e6).astype(np.int64) * _LAT_SPAN
            + np.round(np.asarray(lat, float) * 1e6).astype(np.int64))


def key_lonlat(keys) -> tuple[np.ndarray, np.ndarray]:
    keys = np.asarray(keys, dtype=np.int64)
    return (keys // _LAT_SPAN) / 1e6, (keys % _LAT_SPAN) / 1e6


@dataclass
class Places:
    """Distinct places with their number of cases (sorted by key)."""

    keys: np.ndarray
    counts: np.ndarray

    def __add__(self, other: Places) -> Places:
        keys = np.concatenate([self.keys, other.keys])
        uniq, inverse = np.unique(keys, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights=np.concatenate([self.counts, other.counts]),
                             minlength=len(uniq)).astype(np.int64)
        return Places(uniq, counts)

    def lonlat(self) -> tuple[np.ndarray, np.ndarray]:
        return key_lonlat(self.keys)


def places_of(scan: CaseScan) -> Places:
    """The distinct places of the cases and how many cases each holds."""
    uniq, counts = np.unique(place_keys(scan.lon, scan.lat), return_counts=True)
    return Places(uniq, counts.astype(np.int64))


@dataclass
class Survey:
    """What a first pass over the cases gives: distinct places, period, sample, rejections (all small)."""

    places: Places
    n: int
    start: object
    end: object
    has_dates: bool
    sample: pd.DataFrame
    rejected: pd.DataFrame
    warnings: list[str]
    source: str | None
    duplicates: list[dict] = field(default_factory=list)  # case ids on more than one row, with the rows

    def rejected_rows(self) -> list[dict]:
        return CaseScan.rejected_rows(self)  # same JSON shape


def survey(scan: CaseScan) -> Survey:
    """The first-pass summary of a scan (the single-machine path; Dask builds the same per partition)."""
    dated = scan.opened[~np.isnat(scan.opened)]
    return Survey(places_of(scan), len(scan), dated.min() if len(dated) else None,
                  dated.max() if len(dated) else None, scan.has_dates, scan.sample, scan.rejected,
                  list(scan.warnings), scan.source, scan.duplicates)


@dataclass
class Plan:
    """What the driver decided and every partition needs: per distinct place its cell, setting, county, cluster.

    The driver labels each distinct place once (H3 cell, distance-ring setting, county outline,
    cluster); partitions only look their cases' places up (a binary search), so cells, settings
    and clusters are the same whichever machine counts a case.
    """

    n_cells: int
    edges: np.ndarray | None  # datetime64 slice edges (None: no trend)
    shapes: pd.DataFrame  # county outlines in view (geo.counties.outlines)
    place_keys: np.ndarray  # sorted int64 keys of every distinct place
    place_cell: np.ndarray  # int32 row of the coverage
    place_setting: np.ndarray  # int8 index into SETTINGS (distance rings)
    place_county: np.ndarray  # int32 row of ``shapes`` (-1: none)
    place_cluster: np.ndarray  # int32 cluster label (-1: none)
    n_clusters: int = 0


def _frame_add(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    if a.empty:
        return b
    if b.empty:
        return a
    return a.add(b, fill_value=0).fillna(0).astype(np.int64)


@dataclass
class Partial:
    """Counts from some of the cases; ``a + b`` is the counts of both."""

    n: int
    cells: np.ndarray  # cases per coverage cell
    slices: np.ndarray  # cells x slices
    county_cases: np.ndarray  # per county of the plan (+1 slot: outside every county)
    county_categories: pd.DataFrame  # county row x category name
    cluster_cases: np.ndarray
    cluster_categories: pd.DataFrame  # cluster x category name
    cluster_settings: np.ndarray  # cluster x setting
    cluster_first: np.ndarray  # datetime64[s] per cluster (NaT: none)
    cluster_last: np.ndarray
    settings: np.ndarray  # cases per setting
    setting_methods: np.ndarray  # [distance, nbs_code]
    period: pd.DataFrame  # month x setting
    flags: list[dict]
    n_flags: int
    unnamed_counties: dict[str, int]
    date_range: tuple = (None, None)

    def __add__(self, o: Partial) -> Partial:
        def mn(a, b):
            return np.where(np.isnat(a), b, np.where(np.isnat(b), a, np.minimum(a, b)))

        def mx(a, b):
            return np.where(np.isnat(a), b, np.where(np.isnat(b), a, np.maximum(a, b)))

        unnamed = dict(self.unnamed_counties)
        for k, v in o.unnamed_counties.items():
            unnamed[k] = unnamed.get(k, 0) + v
        return Partial(
            n=self.n + o.n, cells=self.cells + o.cells, slices=self.slices + o.slices,
            county_cases=self.county_cases + o.county_cases,
            county_categories=_frame_add(self.county_categories, o.county_categories),
            cluster_cases=self.cluster_cases + o.cluster_cases,
            cluster_categories=_frame_add(self.cluster_categories, o.cluster_categories),
            cluster_settings=self.cluster_settings + o.cluster_settings,
            cluster_first=mn(self.cluster_first, o.cluster_first), cluster_last=mx(self.cluster_last, o.cluster_last),
            settings=self.settings + o.settings, setting_methods=self.setting_methods + o.setting_methods,
            period=_frame_add(self.period, o.period), flags=(self.flags + o.flags)[:MAX_FLAGS],
            n_flags=self.n_flags + o.n_flags, unnamed_counties=unnamed,
        )


def _crosstab(rows: np.ndarray, n_rows: int, codes: np.ndarray, names: list[str]) -> pd.DataFrame:
    """Counts of (row, name) pairs as a DataFrame: rows 0..n_rows-1, one column per name seen."""
    ok = (rows >= 0) & (codes >= 0)
    if not ok.any() or not names:
        return pd.DataFrame(index=pd.RangeIndex(n_rows))
    flat = np.bincount(rows[ok].astype(np.int64) * len(names) + codes[ok], minlength=n_rows * len(names))
    table = pd.DataFrame(flat.reshape(n_rows, len(names)), columns=list(names))
    return table.loc[:, table.sum(axis=0) > 0]


def aggregate(scan: CaseScan, plan: Plan) -> Partial:
    """Count the cases of ``scan`` into the plan's cells, slices, counties and clusters."""
    from geo import counties as cty

    n = len(scan)
    n_cells = plan.n_cells
    keys = place_keys(scan.lon, scan.lat)
    pos = np.searchsorted(plan.place_keys, keys).astype(np.int32 if len(plan.place_keys) < 2**31 else np.int64)
    if len(pos) and (pos.max() >= len(plan.place_keys) or (plan.place_keys[pos] != keys).any()):
        raise AssertionError("a case's place is missing from the plan")
    del keys
    cell_idx = plan.place_cell[pos]
    cells = np.bincount(cell_idx, minlength=n_cells).astype(np.int64)
    n_slices = 0 if plan.edges is None else len(plan.edges) - 1
    slices = np.zeros((n_cells, n_slices), dtype=np.int64)
    dated = ~np.isnat(scan.opened)
    if n_slices:
        t = scan.opened[dated].astype("datetime64[s]")
        s = np.clip(np.searchsorted(plan.edges[1:-1].astype("datetime64[s]"), t, side="right"), 0, n_slices - 1)
        slices = np.bincount(cell_idx[dated].astype(np.int64) * n_slices + s,
                             minlength=n_cells * n_slices).reshape(n_cells, n_slices)
        del t, s
    # settings: distance rings of the place, the case's own NBS code where it has one
    has_code = scan.nbs >= 0
    setting = np.where(has_code, scan.nbs, plan.place_setting[pos]).astype(np.int8)
    settings = np.bincount(setting, minlength=len(SETTINGS)).astype(np.int64)
    methods = np.array([int((~has_code).sum()), int(has_code.sum())], dtype=np.int64)
    # counties: where each place lies, and what each case says
    n_cty = len(plan.shapes)
    county = plan.place_county[pos]
    county_cases = np.bincount(np.where(county >= 0, county, n_cty), minlength=n_cty + 1).astype(np.int64)
    county_categories = _crosstab(county, n_cty, scan.category, scan.categories)
    flags, n_flags, unnamed = [], 0, {}
    if n_cty and (scan.county >= 0).any():
        named_of_code = cty.resolve_names(scan.county_names, plan.shapes)
        named = np.where(scan.county >= 0, named_of_code[np.clip(scan.county, 0, None)], -2)
        for code in np.unique(scan.county[(scan.county >= 0) & (named == -1)]):
            unnamed[scan.county_names[code]] = int(((scan.county == code)).sum())
        wrong = np.flatnonzero((named >= 0) & (named != county))
        n_flags = len(wrong)
        shown = wrong[:MAX_FLAGS]
        if len(shown):
            systems = np.array(COORD_SYSTEMS, dtype=object)[scan.sys[shown]]
            causes = cty.mismatch_causes(scan.lon[shown], scan.lat[shown], systems, named[shown], plan.shapes)
            outside = cty.distance_outside_m(scan.lon[shown], scan.lat[shown], named[shown], plan.shapes)
            ids = scan.ids_at(shown)
            names = plan.shapes["name"].to_numpy()
            for i, k, cause, far, cid, sys_ in zip(shown, named[shown], causes, outside, ids, systems, strict=True):
                found = int(county[i])
                flags.append({"case_id": cid, "county_named": str(names[k]),
                              "county_found": str(names[found]) if found >= 0 else None,
                              "lon": round(float(scan.lon[i]), 6), "lat": round(float(scan.lat[i]), 6),
                              "coord_sys": str(sys_), "cause": cause, "outside_m": far})
    # clusters: a label per distinct place from the plan
    k = plan.n_clusters
    cluster = plan.place_cluster[pos]
    del pos
    member = cluster >= 0
    cluster_cases = np.bincount(cluster[member], minlength=k).astype(np.int64)
    cluster_categories = _crosstab(cluster, k, scan.category, scan.categories)
    cluster_settings = np.bincount(cluster[member].astype(np.int64) * len(SETTINGS) + setting[member],
                                   minlength=k * len(SETTINGS)).reshape(k, len(SETTINGS)).astype(np.int64)
    first = np.full(k, np.datetime64("NaT"), dtype="datetime64[s]")
    last = first.copy()
    both = member & dated
    if both.any():
        frame = pd.DataFrame({"c": cluster[both], "t": scan.opened[both]}).groupby("c").t.agg(["min", "max"])
        first[frame.index.to_numpy()] = frame["min"].to_numpy(dtype="datetime64[s]")
        last[frame.index.to_numpy()] = frame["max"].to_numpy(dtype="datetime64[s]")
    period = pd.DataFrame()
    if dated.any():
        month = scan.opened[dated].astype("datetime64[M]")
        frame = pd.DataFrame({"m": month, "s": setting[dated]}).groupby(["m", "s"]).size().unstack(fill_value=0)
        frame.index = [str(m)[:7] for m in frame.index]
        frame.columns = [SETTINGS[int(c)] for c in frame.columns]
        period = frame.astype(np.int64)
    return Partial(n=n, cells=cells, slices=slices, county_cases=county_cases, county_categories=county_categories,
                   cluster_cases=cluster_cases, cluster_categories=cluster_categories,
                   cluster_settings=cluster_settings, cluster_first=first, cluster_last=last, settings=settings,
                   setting_methods=methods, period=period, flags=flags, n_flags=n_flags, unnamed_counties=unnamed)
