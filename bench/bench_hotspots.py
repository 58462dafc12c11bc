"""Benchmark: geo.hotspots against the same analysis written the plain way (geopandas sjoin + esda on W).

Both sides read the same CSVs (cases with mixed WGS-84/GCJ-02 rows, and an inspection baseline),
convert to WGS-84, put cases and effort into the same full H3 coverage, compute empirical-Bayes
rates on cells with effort, Gi* (binary, star) at the same distance band, FDR bins and a summary
of significant cells.  The z-scores of the two sides are checked equal (1e-9) before timing counts.
geo.hotspots additionally labels urban/peri-urban/rural settings (included in its time); its point
clusters are timed separately.

    python bench/bench_hotspots.py            # ~20k cases, 3 repeats (a few minutes on 2 cores)
    python bench/bench_hotspots.py --full     # ~100k cases (a prefecture's few years), also the map size
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def make_data(n_target: int, folder: Path, seed: int = 7) -> tuple[Path, Path, int]:
    from geo.coords import wgs84_to_gcj02
    from tests.support.geo_synthetic import synthetic_casebook

    syn = synthetic_casebook(seed, scale=n_target / 1090.0)
    cases = syn.cases
    # every other case arrives in GCJ-02, as exported from Amap
    gcj = np.arange(len(cases)) % 2 == 1
    glon, glat = wgs84_to_gcj02(cases.lon.to_numpy()[gcj], cases.lat.to_numpy()[gcj])
    cases.loc[gcj, "lon"] = np.round(glon, 7)
    cases.loc[gcj, "lat"] = np.round(glat, 7)
    cases.loc[gcj, "coord_sys"] = "gcj02"
    c, b = folder / "cases.csv", folder / "baseline.csv"
    cases.to_csv(c, index=False)
    syn.baseline.to_csv(b, index=False)
    return c, b, len(cases)


def plain(cases_csv: Path, base_csv: Path, resolution: int, distance_m: float) -> tuple[dict, np.ndarray]:
    """The analysis as a careful analyst writes it with geopandas, libpysal W and esda."""
    import esda
    import geopandas as gpd
    import h3
    import libpysal
    import pandas as pd
    import shapely
    from scipy.stats import norm

    from geo.coords import to_wgs84
    from geo.projection import LocalProjection

    df = pd.read_csv(cases_csv)
    base = pd.read_csv(base_csv)
    lon, lat = to_wgs84(df.lon.to_numpy(float), df.lat.to_numpy(float), df.coord_sys.to_numpy(object))
    blon, blat = to_wgs84(base.lon.to_numpy(float), base.lat.to_numpy(float), base.coord_sys.to_numpy(object))
    pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    bpts = gpd.GeoDataFrame(base, geometry=gpd.points_from_xy(blon, blat), crs=4326)
    # the study area: hull of all points, padded by one cell edge, filled with H3 cells
    all_lon, all_lat = np.concatenate([lon, blon]), np.concatenate([lat, blat])
    proj = LocalProjection.around(all_lon, all_lat)
    x, y = proj.forward(all_lon, all_lat)
    hull = shapely.convex_hull(shapely.multipoints(np.column_stack([x, y])))
    hull = hull.buffer(h3.average_hexagon_edge_length(resolution, "m"), quad_segs=4)
    hx, hy = proj.inverse(*np.asarray(hull.exterior.coords).T)
    ids = set(h3.h3shape_to_cells_experimental(h3.LatLngPoly(list(zip(hy, hx, strict=True))), resolution, "overlap"))
    ids |= {h3.latlng_to_cell(b, a, resolution) for a, b in zip(all_lon, all_lat, strict=True)}
    ids = sorted(ids)
    cells = gpd.GeoDataFrame(
        {"cell": ids},
        geometry=[shapely.Polygon([(q[1], q[0]) for q in h3.cell_to_boundary(c)]) for c in ids], crs=4326)
    joined = gpd.sjoin(pts, cells, predicate="within", how="inner")
    bjoined = gpd.sjoin(bpts, cells, predicate="within", how="inner")
    cells["cases"] = joined.groupby("index_right").size().reindex(cells.index, fill_value=0).to_numpy()
    cells["effort"] = bjoined.groupby("index_right").inspections.sum().reindex(cells.index, fill_value=0).to_numpy()
    sub = cells.loc[cells.effort > 0].copy()
    eb = esda.smoothing.Empirical_Bayes(sub.cases.to_numpy(float), sub.effort.to_numpy(float))
    sub["rate"] = np.asarray(eb.r).ravel()
    cc = np.array([h3.cell_to_latlng(c) for c in sub.cell])
    cx, cy = proj.forward(cc[:, 1], cc[:, 0])
    w = libpysal.weights.DistanceBand(np.column_stack([cx, cy]), threshold=distance_m, binary=True,
                                      silence_warnings=True)
    g = esda.G_Local(sub.rate.to_numpy(float), w, transform="B", star=True, permutations=0)
    z = np.asarray(g.Zs)
    p = 2 * norm.sf(np.abs(z))
    bins = np.zeros(len(z), dtype=int)
    for level, alpha in ((1, 0.10), (2, 0.05), (3, 0.01)):
        sig = p <= esda.fdr(p, alpha)
        bins[sig] = np.sign(z[sig]).astype(int) * level
    sub["z"], sub["p"], sub["gi_bin"] = z, p, bins
    sig = sub.loc[sub.gi_bin != 0]
    summary = {"cases": len(df), "hot": int((sig.gi_bin > 0).sum()), "cold": int((sig.gi_bin < 0).sum()),
               "hotspots": [{"cell": r.cell, "cases": int(r.cases), "z": float(r.z), "p": float(r.p)}
                            for r in sig.itertuples()]}
    return summary, sub.set_index("cell")[["cases", "effort", "z"]]


def isa_side_by_side(result, max_cells: int, repeats: int) -> None:
    """Incremental Spatial Autocorrelation: one sparse distance matrix vs libpysal W + esda.Moran per band."""
    import esda
    import libpysal

    from geo.stats import incremental_autocorrelation

    cells = result.cells.loc[result.cells.analysed].head(max_cells)
    cov = result.coverage
    pos = cov.index_of(cells.cell.to_numpy())
    x, y, values = cov.x[pos], cov.y[pos], cells.value.to_numpy(float)
    bands = [(k + 0.25) * cov.spacing_m for k in range(1, 9)]

    def plain_isa():
        out = []
        for d in bands:
            w = libpysal.weights.DistanceBand(np.column_stack([x, y]), threshold=d, binary=True, silence_warnings=True)
            m = esda.Moran(values, w, transformation="B", permutations=0)
            out.append(m.z_norm)
        return out

    t_mine, t_plain = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        mine = [z for _, _, z in incremental_autocorrelation(values, x, y, bands)]
        t_mine.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        theirs = plain_isa()
        t_plain.append(time.perf_counter() - t0)
    diff = float(np.max(np.abs(np.array(mine) - np.array(theirs))))
    mo, mp = statistics.median(t_mine), statistics.median(t_plain)
    print(f"ISA, Moran's I z over {len(bands)} distance bands on {len(values)} cells (max |dz| {diff:.1e}), "
          f"median of {repeats}:")
    print(f"  geo (one cKDTree pass, sparse bands)  {mo:8.2f} s")
    print(f"  libpysal DistanceBand + esda.Moran    {mp:8.2f} s")
    print(f"  ratio                                 {mp / mo:8.1f}x")


def ours(cases_csv: Path, base_csv: Path, resolution: int | None, distance_m: float | None, trend: bool = False,
         clusters: bool = False):
    import geo

    return geo.find_hotspots(cases_csv, base_csv, resolution, distance_m=distance_m, trend=trend, clusters=clusters)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="100k cases (a prefecture's few years)")
    ap.add_argument("--cases", type=int, help="number of cases (default 20k, or 100k with --full)")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    n = args.cases or (100_000 if args.full else 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        cases_csv, base_csv, n_cases = make_data(n, Path(tmp))
        print(f"data: {n_cases} cases, baseline {sum(1 for _ in open(base_csv)) - 1} places")
        t0 = time.perf_counter()
        full = ours(cases_csv, base_csv, None, None, trend=True, clusters=True)
        t_default = time.perf_counter() - t0
        res, dist = full.resolution, full.distance_m
        print(f"geo.hotspots default run (resolution choice, ISA, clusters, trend): {t_default:.1f} s; "
              f"resolution {res}, {len(full.cells)} cells ({int(full.cells.analysed.sum())} with effort), "
              f"band {dist:.0f} m, {full.summary['hot_cells']} hot / {full.summary['cold_cells']} cold")
        # same analysis, same parameters: check equality first
        mine = ours(cases_csv, base_csv, res, dist)
        _, theirs = plain(cases_csv, base_csv, res, dist)
        cells = mine.cells.set_index("cell").reindex(theirs.index)
        moved = int(np.abs(cells.cases.to_numpy() - theirs.cases.to_numpy()).sum() // 2)
        diff = float(np.max(np.abs(cells.z.to_numpy() - theirs.z.to_numpy())))
        print(f"max |z(geo) - z(esda on W)| over {len(theirs)} cells = {diff:.2e}; "
              f"{moved} case(s) placed in a different cell")
        if moved == 0 and diff > 1e-9:
            print("MISMATCH: same inputs, different z: the two sides do not compute the same analysis")
            return 1
        if moved:
            # sjoin tests points against straight-edged lon/lat hexagons; H3 assigns on its own
            # gnomonic faces, so points within metres of an edge can land in the neighbour cell.
            print("  (the differences come from those edge points only: sjoin's straight-edged lon/lat "
                  "hexagons vs H3's own cell assignment)")
        t_ours, t_plain, t_extra = [], [], []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            ours(cases_csv, base_csv, res, dist)
            t_ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            ours(cases_csv, base_csv, res, dist, clusters=True)
            t_extra.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            plain(cases_csv, base_csv, res, dist)
            t_plain.append(time.perf_counter() - t0)
        mo, mp = statistics.median(t_ours), statistics.median(t_plain)
        print(f"end to end (load, convert, cells, rates, Gi*, FDR, summary), median of {args.repeats}:")
        print(f"  geo.hotspots                     {mo:8.2f} s   (runs {', '.join(f'{t:.2f}' for t in t_ours)})")
        print(f"  geopandas sjoin + esda on W      {mp:8.2f} s   (runs {', '.join(f'{t:.2f}' for t in t_plain)})")
        print(f"  ratio plain / geo                {mp / mo:8.1f}x")
        print(f"  geo.hotspots + point clusters    {statistics.median(t_extra):8.2f} s   (not in the plain side)")
        isa_side_by_side(full, 8000, args.repeats)
        import geo

        t0 = time.perf_counter()
        page = geo.maps.offline_html(geo.hotspot_map(full))
        print(f"map HTML: {len(page.encode('utf-8')) / 1e6:.1f} MB for {n_cases} cases "
              f"({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
