"""Benchmark: a 双随机 draw over 1,000,000 businesses against numpy's Generator.choice with p over the same weights.

casebook's side (``casebook.inspection.random_draw.draw_inspections``) computes risk weights from
a hot-spot summary (an H3 cell per business with a point), draws 5 % by Efraimidis-Spirakis keys,
and pairs each drawn business with two of 300 inspectors under avoidance (declared conflicts,
own township).  The anchor draws the same number of businesses with
``Generator.choice(n, k, replace=False, p=weights / weights.sum())`` and pairs nobody.  Reading
the register (``read_subjects``) is timed apart.  Each side runs in its own subprocess (peak RSS
is VmHWM of that process).

    python bench/bench_draw.py                     # 1,000,000 businesses, 3 repeats
    python bench/bench_draw.py --rows 100000 --repeat 1
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.side_runs import median, ratio, repeat_sides, run_child, size_and_repeats

TOWNS = [f"{w}镇" for w in "东西南北中上下新老大小前后左右"]


def make_inputs(folder: Path, rows: int, seed: int = 5) -> tuple[Path, Path, Path]:
    import h3

    rng = np.random.default_rng(seed)
    lon = 114.35 + rng.random(rows) * 1.2
    lat = 33.40 + rng.random(rows) * 0.7
    has_point = rng.random(rows) < 0.6
    town = rng.integers(0, len(TOWNS), rows)
    subjects = folder / "subjects.csv"
    with subjects.open("w", encoding="utf-8") as handle:
        handle.write("统一社会信用代码,企业名称,住所,所属乡镇,所属区县,经度,纬度\n")
        chunk = []
        for i in range(rows):
            point = f"{lon[i]:.5f},{lat[i]:.5f}" if has_point[i] else ","
            chunk.append(f"92411600MA{i:08d},商户{i},周口市某路{i}号,{TOWNS[town[i]]},川汇区,{point}\n")
            if len(chunk) == 100_000:
                handle.write("".join(chunk))
                chunk = []
        handle.write("".join(chunk))
    inspectors = folder / "inspectors.csv"
    lines = ["执法证号,姓名,所在乡镇,回避对象"]
    for k in range(300):
        conflicts = "；".join(f"92411600MA{j:08d}" for j in rng.integers(0, rows, 20))
        lines.append(f"E{k:04d},检查员{k},{TOWNS[k % len(TOWNS)]},{conflicts}")
    inspectors.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hot = {h3.latlng_to_cell(float(la), float(lo), 8) for lo, la in zip(lon[:2000], lat[:2000], strict=True)}
    summary = {"cell_resolution": 8, "counties": [{"adcode": "411602", "hot_cells": len(hot)}],
               "hotspots": [{"cell": c, "type": "hot", "confidence": 99} for c in sorted(hot)]}
    risk = folder / "summary.json"
    risk.write_text(json.dumps(summary), encoding="utf-8")
    return subjects, inspectors, risk


CHILD = r"""
import sys, time
import numpy as np
subjects_path, inspectors_path, risk_path, side = sys.argv[1:5]
from casebook.inspection.draw_inputs import read_inspectors, read_risk, read_subjects
from casebook.inspection.random_draw import draw_inspections, risk_weights
t = time.perf_counter()
subjects = read_subjects(subjects_path)
inspectors = read_inspectors(inspectors_path)
risk, sha = read_risk(risk_path)
read_s = time.perf_counter() - t
t = time.perf_counter()
if side == "anchor":
    weights, _ = risk_weights(subjects.frame, risk)
    t = time.perf_counter()  # the anchor is handed the weights
    n = len(weights)
    k = int(np.ceil(0.05 * n))
    chosen = np.random.default_rng(1).choice(n, size=k, replace=False, p=weights / weights.sum())
    drawn = len(chosen)
else:
    drawn = len(draw_inspections(subjects, inspectors, share=0.05, seed=1, risk=risk, risk_sha256=sha).frame)
seconds = time.perf_counter() - t
from bench.side_runs import report
report(seconds=seconds, read_seconds=read_s, drawn=drawn)
"""


def main() -> None:
    args = size_and_repeats(__doc__, 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        paths = make_inputs(Path(tmp), args.rows)
        print(f"inputs: {args.rows:,} businesses (60 % with a point), 300 inspectors with 20 conflicts each "
              f"(written in {time.perf_counter() - t:.0f} s)")
        results = repeat_sides(lambda side: run_child(CHILD, *paths, side), args.repeat)
        for side, runs in results.items():
            med = median(runs)
            read = median(runs, "read_seconds")
            what = "weights given, no pairing" if side == "anchor" else "weights + draw + pairing"
            print(f"{side:9} draw median {med:6.2f} s ({what}), reading the inputs {read:5.1f} s, "
                  f"{runs[0]['drawn']:,} drawn, peak RSS {max(r['peak_mib'] for r in runs)} MiB, {len(runs)} run(s)")
        print(f"ratio casebook / numpy Generator.choice(p=...): {ratio(results):.2f}x")


if __name__ == "__main__":
    main()
