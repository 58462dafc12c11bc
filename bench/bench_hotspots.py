"""Benchmark: geo.find_hotspots end to end against the plain geopandas sjoin + esda pipeline, 100k / 1M / 10M cases.

Each side runs in its own subprocess (and the data is written by another), so the peak RSS printed
is that of a whole process doing one job (VmHWM).  The plain side runs under an address-space cap (RLIMIT_AS,
``--plain-cap-gb``) and is reported as "out of memory" past it, rather than taking the shared
machine down.  geo's time covers load, conversion, cells, rates, Gi*, FDR, settings, clusters,
trend, counties, summary and the offline map page; the plain side does load, conversion, sjoin
into the same H3 cells, rates, Gi* and FDR only.  On a size both finish, the z-scores of the two
are compared.

    python bench/bench_hotspots.py                      # 100k and 1M (CSV), 10M (Parquet)
    python bench/bench_hotspots.py --sizes 100000       # one size
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ZHOUKOU = (114.35, 33.40, 115.55, 34.10)


def make_data(n_target: int, folder: Path, seed: int = 7, fmt: str = "csv") -> tuple[Path, Path, int]:
    """Markets around 周口's seats (dense effort in towns), planted high-rate groups, half the rows GCJ-02."""
    import pandas as pd

    from geo.coords import wgs84_to_gcj02
    from geo.settlement import cores_near

    rng = np.random.default_rng(seed)
    cores = cores_near(np.array(ZHOUKOU[::2]), np.array(ZHOUKOU[1::2]), margin_deg=0.0)
    n_places = max(int(n_target / 1.6), 1000)
    kind = rng.choice(3, n_places, p=[0.35, 0.3, 0.35])  # urban, peri-urban, rural
    core = rng.integers(0, len(cores), n_places)
    r_km = np.where(kind == 0, rng.uniform(0, 1.8, n_places), np.where(kind == 1, rng.uniform(2.2, 4.8, n_places), 0))
    a = rng.uniform(0, 2 * np.pi, n_places)
    lon = cores.lon.to_numpy()[core] + r_km * np.cos(a) / 93.0
    lat = cores.lat.to_numpy()[core] + r_km * np.sin(a) / 111.0
    rural = kind == 2
    lon[rural] = rng.uniform(ZHOUKOU[0], ZHOUKOU[2], rural.sum())
    lat[rural] = rng.uniform(ZHOUKOU[1], ZHOUKOU[3], rural.sum())
    effort = np.where(kind == 0, rng.integers(30, 60, n_places), np.where(kind == 1, rng.integers(10, 25, n_places),
                                                                           rng.integers(2, 8, n_places)))
    factor = np.ones(n_places)
    for clon, clat in ((114.92, 33.73), (114.45, 33.85)):  # a peri-urban and a rural planted group
        near = np.hypot((lon - clon) * 93, (lat - clat) * 111) < 1.2
        factor[near] = 5.0
    rate = effort * factor
    n_cases = rng.poisson(rate * n_target / rate.sum())
    which = np.repeat(np.arange(n_places), n_cases)
    n = len(which)
    clon, clat = np.round(lon[which], 6), np.round(lat[which], 6)
    gcj = rng.random(n) < 0.5
    glon, glat = wgs84_to_gcj02(clon[gcj], clat[gcj])
    clon[gcj], clat[gcj] = np.round(glon, 7), np.round(glat, 7)
    days = rng.integers(0, 3 * 365, n)
    cats = np.array(["食品", "小家电", "日化用品", "五金电料", "农资", "儿童用品"])
    cases = pd.DataFrame({
        "case_id": np.char.add("BN-", np.arange(n).astype(str)), "lon": clon, "lat": clat,
        "coord_sys": np.where(gcj, "gcj02", "wgs84"),
        "opened": (np.datetime64("2022-01-01") + days.astype("timedelta64[D]")).astype(str),
        "category": cats[rng.integers(0, len(cats), n)], "market": np.char.add("市场", which.astype(str)),
    })
    base = pd.DataFrame({"place": np.arange(n_places), "lon": np.round(lon, 6), "lat": np.round(lat, 6),
                         "coord_sys": "wgs84", "inspections": effort})
    c = folder / ("cases.parquet" if fmt == "parquet" else "cases.csv")
    if fmt == "parquet":
        cases.to_parquet(c, index=False)
    else:
        cases.to_csv(c, index=False)
    b = folder / "baseline.csv"
    base.to_csv(b, index=False)
    return c, b, n


def generate_in_child(n: int, folder: Path, fmt: str) -> tuple[Path, Path, int]:
    """Write the data from a subprocess: the parent keeps no gigabytes that its children would inherit."""
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); from bench_hotspots import make_data; "
            f"from pathlib import Path; c, b, n = make_data({n}, Path({str(folder)!r}), fmt={fmt!r}); print(n)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    name = "cases.parquet" if fmt == "parquet" else "cases.csv"
    return folder / name, folder / "baseline.csv", int(out.stdout.strip().splitlines()[-1])


def run_geo(cases: Path, base: Path, out: Path) -> dict:
    t0 = time.perf_counter()
    import geo
    from geo.hotspot_maps import write_offline_html

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = geo.find_hotspots(cases, base)
    t_analysis = time.perf_counter() - t0
    geo.write_hotspot_summary(result, out / "summary.json")
    write_offline_html(geo.hotspot_map(result), out / "map.html")
    total = time.perf_counter() - t0
    s = result.summary
    cells = result.cells.set_index("cell")[["z"]]
    cells.to_parquet(out / "z.parquet")
    return {"seconds": total, "analysis_seconds": t_analysis, "import_seconds": t_import,
            "map_mb": (out / "map.html").stat().st_size / 1e6, "hot": s["hot_cells"], "cold": s["cold_cells"],
            "resolution": s["cell_resolution"], "distance": repr(result.distance_m), "cells": s["cells"],
            "clusters": len(s["clusters"])}


def run_plain(cases: Path, base: Path, out: Path, resolution: int, distance_m: float) -> dict:
    """The analysis as a careful analyst writes it with geopandas, libpysal W and esda."""
    t0 = time.perf_counter()
    import esda
    import geopandas as gpd
    import h3
    import libpysal
    import pandas as pd
    import shapely
    from scipy.stats import norm

    from geo.coords import to_wgs84
    from geo.projection import LocalProjection

    df = pd.read_parquet(cases) if cases.suffix == ".parquet" else pd.read_csv(cases)
    bdf = pd.read_csv(base)
    lon, lat = to_wgs84(df.lon.to_numpy(float), df.lat.to_numpy(float), df.coord_sys.to_numpy(object))
    blon, blat = to_wgs84(bdf.lon.to_numpy(float), bdf.lat.to_numpy(float), bdf.coord_sys.to_numpy(object))
    pts = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    bpts = gpd.GeoDataFrame(bdf, geometry=gpd.points_from_xy(blon, blat), crs=4326)
    all_lon, all_lat = np.concatenate([lon, blon]), np.concatenate([lat, blat])
    proj = LocalProjection.centred(all_lon, all_lat)
    x, y = proj.forward(all_lon, all_lat)
    hull = shapely.convex_hull(shapely.multipoints(np.column_stack([x, y])))
    hull = hull.buffer(h3.average_hexagon_edge_length(resolution, "m"), quad_segs=4)
    hx, hy = proj.inverse(*np.asarray(hull.exterior.coords).T)
    ids = set(h3.h3shape_to_cells_experimental(h3.LatLngPoly(list(zip(hy, hx, strict=True))), resolution, "overlap"))
    ids |= {h3.latlng_to_cell(b, a, resolution) for a, b in zip(all_lon, all_lat, strict=True)}
    ids = sorted(ids)
    cells = gpd.GeoDataFrame({"cell": ids}, geometry=[shapely.Polygon([(q[1], q[0]) for q in h3.cell_to_boundary(c)])
                                                      for c in ids], crs=4326)
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
    sub["z"] = z
    sub.set_index("cell")[["z"]].to_parquet(out / "z_plain.parquet")
    return {"seconds": time.perf_counter() - t0, "hot": int((bins > 0).sum()), "cold": int((bins < 0).sum())}


def peak_rss_gb() -> float:
    """Peak resident memory of this process (VmHWM), in GiB.

    Not ``getrusage``: on Linux a child's ru_maxrss starts from its parent's RSS at fork and
    survives exec, so a child of a parent holding the generated data would report the parent's size.
    """
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def child(args) -> int:
    out = Path(args.out)
    if args.side == "plain" and args.cap_gb:
        cap = int(args.cap_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        if args.side == "geo":
            res = run_geo(Path(args.cases), Path(args.baseline), out)
        else:
            res = run_plain(Path(args.cases), Path(args.baseline), out, args.resolution, args.distance)
    except MemoryError:
        res = {"seconds": None, "oom": True}
    res["peak_rss_gb"] = peak_rss_gb()
    print("RESULT " + json.dumps(res))
    return 0


def spawn(side: str, cases: Path, base: Path, out: Path, extra: list[str], timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--child", side, "--cases", str(cases), "--baseline", str(base),
           "--out", str(out), *extra]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "timeout": True}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    tail = (proc.stderr or "").strip().splitlines()[-1:] or ["no output"]
    oom = "MemoryError" in proc.stderr or "std::bad_alloc" in proc.stderr or proc.returncode in (-9, 137)
    return {"seconds": None, "oom": oom, "error": tail[0][:200]}


def fmt(res: dict) -> str:
    if res.get("seconds") is None:
        what = "out of memory" if res.get("oom") else ("timed out" if res.get("timeout") else f"failed ({res.get('error')})")
        return f"{what:>22}"
    return f"{res['seconds']:8.1f} s {res.get('peak_rss_gb', float('nan')):6.2f} GB"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--plain-cap-gb", type=float, default=10.0, help="address-space cap of the plain side")
    ap.add_argument("--plain-max", type=int, default=10_000_000, help="skip the plain side above this size")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--child", choices=["geo", "plain"])
    ap.add_argument("--cases")
    ap.add_argument("--baseline")
    ap.add_argument("--out")
    ap.add_argument("--resolution", type=int)
    ap.add_argument("--distance", type=float)
    ap.add_argument("--cap-gb", type=float)
    args = ap.parse_args()
    if args.child:
        args.side = args.child
        return child(args)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1/5/15 min), "
          f"{os.cpu_count()} cores")
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
            tmp = Path(tmp)
            fmt_in = "parquet" if n >= 5_000_000 else "csv"
            t0 = time.perf_counter()
            cases, base, n_cases = generate_in_child(n, tmp, fmt_in)
            print(f"{n_cases} cases written as {fmt_in} in {time.perf_counter() - t0:.0f} s", flush=True)
            mine = spawn("geo", cases, base, tmp, [], args.timeout)
            print(f"  geo.find_hotspots + map: {fmt(mine)}  {json.dumps(mine)}", flush=True)
            theirs = {"seconds": None, "error": "skipped"}
            if n <= args.plain_max and mine.get("resolution"):
                theirs = spawn("plain", cases, base, tmp, ["--resolution", str(mine["resolution"]), "--distance",
                                                             mine["distance"], "--cap-gb", str(args.plain_cap_gb)],
                               args.timeout)
                print(f"  geopandas sjoin + esda:  {fmt(theirs)}  {json.dumps(theirs)}", flush=True)
                if theirs.get("seconds") and (tmp / "z_plain.parquet").is_file():
                    import pandas as pd

                    a = pd.read_parquet(tmp / "z.parquet")
                    b = pd.read_parquet(tmp / "z_plain.parquet")
                    both = a.join(b.rename(columns={"z": "z_plain"}), how="inner")
                    print(f"  max |z(geo) - z(plain)| over {len(both)} cells: "
                          f"{float((both.z - both.z_plain).abs().max()):.2e} (a point within centimetres of a cell edge "
                          "may fall in the neighbour cell under sjoin's straight-edged hexagons)")
            rows.append((n_cases, fmt_in, mine, theirs))
    print("\n| cases | input | geo (time, peak RSS) | plain sjoin + esda | ratio (time) | map |")
    print("|---|---|---|---|---|---|")
    for n_cases, fmt_in, mine, theirs in rows:
        ratio = (f"{theirs['seconds'] / mine['seconds']:.1f}x" if mine.get("seconds") and theirs.get("seconds")
                 else "-")
        print(f"| {n_cases:,} | {fmt_in} | {fmt(mine).strip()} | {fmt(theirs).strip()} | {ratio} | "
              f"{mine.get('map_mb', float('nan')):.1f} MB |")
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
