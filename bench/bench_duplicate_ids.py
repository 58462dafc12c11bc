"""Benchmark: the duplicate case-id check on a register of a million rows, against pandas alone.

``safeio.duplicate_ids.find_duplicate_ids`` (ids stripped, empty ids ignored, each duplicate with its
rows, first seen first) runs on the ids as the hot-spot scan holds them (a pyarrow array); the
anchor is ``pandas.Series.duplicated(keep=False)`` on the same ids, which only marks the rows.
Each side runs in its own process, five times; medians of wall time and the peak RSS of that
process are printed side by side with their ratio.

    python bench/bench_duplicate_ids.py
    python bench/bench_duplicate_ids.py --rows 5000000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_RUN = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
import numpy as np, pandas as pd, pyarrow as pa
from safeio.duplicate_ids import find_duplicate_ids
rows, ours = int(sys.argv[1]), sys.argv[2] == "1"
ids = pa.array([f"ZK-{{n:08d}}" for n in range(rows)] + ["ZK-00000005", "ZK-00000777"])
numbers = np.arange(2, rows + 4)
began = time.perf_counter()
if ours:
    found = len(find_duplicate_ids(ids, numbers))
else:
    found = int(pd.Series(ids.to_numpy(zero_copy_only=False)).duplicated(keep=False).sum()) // 2
took = time.perf_counter() - began
print(json.dumps({{"seconds": took, "found": found,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    runs: dict[str, list[dict]] = {"casebook": [], "pandas": []}
    for _ in range(args.repeats):
        for name, flag in (("casebook", "1"), ("pandas", "0")):
            done = subprocess.run([sys.executable, "-c", _RUN.format(repo=str(REPO)), str(args.rows), flag],
                                  capture_output=True, text=True, timeout=600, check=True)
            runs[name].append(json.loads(done.stdout))
    print(f"{args.rows:,} ids, {args.repeats} runs each, medians")
    med = {name: {key: statistics.median(item[key] for item in items) for key in items[0]}
           for name, items in runs.items()}
    for name, m in med.items():
        print(f"{name:<9} {m['seconds']:.3f} s  duplicates {m['found']:.0f}  peak RSS {m['rss_mb']:.0f} MB")
    print(f"ratio casebook / pandas: {med['casebook']['seconds'] / med['pandas']['seconds']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
