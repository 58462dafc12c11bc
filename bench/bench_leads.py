"""Benchmark: import and place 1,000,000 12315 complaints against a plain pandas read_csv of the same file.

The export is written like a province's (GB18030, a title row, odd headers): complaints about
about 300,000 businesses in Henan's counties, written with and without the province, with short
county names, and 5 % whose address names no county.  Each side runs in its own subprocess, so
the peak RSS printed (VmHWM) is that of one process doing one job.  casebook's side is
``casebook.leads.lead_store.import_leads``: header found by vocabulary, strict decoding, times
to UTC, kinds to codes, and every lead placed on its county (cpca once per distinct address, the
county index for short and renamed names).  The anchor only reads the file.

    python bench/bench_leads.py                  # 1,000,000 complaints, 3 repeats
    python bench/bench_leads.py --rows 100000 --repeat 1
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.side_runs import median, ratio, repeat_sides, run_child, size_and_repeats

HEADER = "工单编号,登记时间,诉求类型,被投诉举报对象,被投诉举报对象地址,诉求内容,被投诉人电话\n"


def make_export(path: Path, rows: int, seed: int = 11) -> int:
    """Write the export; return the number of distinct addresses."""
    from geo.counties import county_index

    rng = np.random.default_rng(seed)
    idx = county_index()
    henan = idx.loc[idx.adcode.str.startswith("41")]
    counties = [(p, c, n) for p, c, n in zip(henan.province, henan.city, henan.name, strict=True)]
    n_shops = max(rows * 3 // 10, 10)
    town = rng.choice(["城关镇", "新华街道", "王庄乡", "李集镇", "老城镇", "黄寨镇", "逍遥镇"], n_shops)
    road = rng.choice(["人民路", "中心街", "集贸市场", "建设路", "商业街"], n_shops)
    which = rng.integers(0, len(counties), n_shops)
    style = rng.integers(0, 3, n_shops)
    shops, addresses = [], []
    for k in range(n_shops):
        province, city, county = counties[which[k]]
        rest = f"{town[k]}{road[k]}{rng.integers(1, 300)}号"
        if style[k] == 0:
            addresses.append(f"{province}{city}{county}{rest}")
        elif style[k] == 1:
            addresses.append(f"{city}{county}{rest}")
        else:
            short = county[:-1] if len(county) > 2 and county[-1] in "县区市" else county
            addresses.append(f"{short}{rest}")
        shops.append(f"{town[k]}{rng.choice(['鑫源', '兴旺', '利民', '万家'])}{rng.choice(['超市', '副食店', '批发部'])}")
    pick = rng.integers(0, n_shops, rows)
    unplaced = rng.random(rows) < 0.05
    kinds = rng.choice(["投诉", "举报"], rows)
    days = rng.integers(0, 365, rows)
    texts = ["购买的食品已过期", "商品无厂名厂址", "疑似假冒品牌商品", "电热水壶无3C标志"]
    with path.open("w", encoding="gb18030", newline="") as handle:
        handle.write("河南省12315投诉举报数据导出\n\n" + HEADER)
        lines = []
        for i in range(rows):
            k = pick[i]
            address = "网购" if unplaced[i] else addresses[k]
            lines.append(f"Z{i:09d},2024/{1 + days[i] // 31}/{1 + days[i] % 28} 10:{i % 60:02d},{kinds[i]},"
                         f"{shops[k]},{address},{texts[i % 4]},\n")
            if len(lines) == 100_000:
                handle.write("".join(lines))
                lines = []
        handle.write("".join(lines))
    return len(set(addresses))


CHILD = r"""
import sys, time
path, side = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if side == "anchor":
    import pandas as pd
    frame = pd.read_csv(path, encoding="gb18030", skiprows=2, dtype=str, keep_default_na=False)
    n, placed = len(frame), None
else:
    from casebook.leads.lead_store import import_leads
    result = import_leads([path])
    n, placed = len(result.frame), int(result.frame.placed.sum())
seconds = time.perf_counter() - t
from bench.side_runs import report
report(seconds=seconds, rows=n, placed=placed)
"""


def main() -> None:
    args = size_and_repeats(__doc__, 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        t = time.perf_counter()
        distinct = make_export(path, args.rows)
        print(f"export: {args.rows:,} complaints, {distinct:,} distinct addresses, "
              f"{path.stat().st_size / 2**20:.0f} MiB GB18030 (written in {time.perf_counter() - t:.0f} s)")
        results = repeat_sides(lambda side: run_child(CHILD, path, side), args.repeat)
        for side, runs in results.items():
            med = median(runs)
            peak = max(r["peak_mib"] for r in runs)
            extra = f", {runs[0]['placed']:,} placed" if runs[0]["placed"] is not None else ""
            print(f"{side:9} median {med:6.1f} s over {len(runs)} run(s), peak RSS {peak} MiB, "
                  f"{runs[0]['rows']:,} rows{extra}")
        print(f"ratio casebook / pandas read_csv: {ratio(results):.1f}x (casebook also places every lead on its county)")


if __name__ == "__main__":
    main()
