"""CCC register: import 100,000 certificates and check 10,000 numbers, beside a plain pandas merge.

Sides, each run in a fresh Python process so that its peak resident memory is its own:

- **casebook**: ``evidence.certification.cert_register.load_register`` (header found by meaning,
  every row's status and dates read, bad rows named) and ``check_certificate`` for each number
  (grammar, status on the date of sale, maker and model against the register row);
- **pandas** (the anchor): ``pd.read_csv(dtype=str)`` of the same file and a left ``merge`` of the
  10,000 numbers on the number column, plus a dict lookup of the status: what an analyst writes
  by hand, with no date logic, no grammar and no row diagnostics.

The register is generated here (seeded): statuses in the proportions of a real export (mostly
有效, a few 暂停/撤销/注销/过期), two title rows above the header, a model list per row.  Of the
numbers checked, 70 % are in the register, 20 % are well formed but absent, 10 % malformed.

Measured (2026-12-06, 2 shared cores at load average 20, medians of 3): casebook 3.9 s import +
1.4 s checks = 5.2 s, peak RSS 160 MiB; pandas 1.1 s + 1.6 s = 2.8 s, 249 MiB: 1.9x the time,
0.64x the memory, for the grammar, dates of sale, maker and model checks and named bad rows.

    python bench/bench_ccc.py              # 100,000 certificates, 10,000 numbers, 3 rounds
    python bench/bench_ccc.py --rows 1000000 --rounds 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STATUSES = ["有效"] * 90 + ["暂停"] * 3 + ["撤销"] * 3 + ["注销"] * 2 + ["过期"] * 2


def make_register(path: Path, rows: int, seed: int = 20) -> list[str]:
    rng = random.Random(seed)
    numbers = []
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("强制性产品认证证书查询结果\n导出时间：2026-12-01\n")
        out.write("证书编号,证书状态,委托人名称,生产者名称,生产企业名称,产品名称,产品型号规格,发证日期,证书到期日期,状态变更日期\n")
        for index in range(rows):
            year = rng.randint(2015, 2025)
            number = f"{year}01{rng.choice(['0201', '0202', '0707', '0717', '0901'])}{index:06d}"
            numbers.append(number)
            status = rng.choice(STATUSES)
            changed = f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" \
                if status != "有效" else ""
            maker = f"某某电器有限公司{index % 5000}"
            models = "、".join(f"M{index}-{k}" for k in range(rng.randint(1, 6)))
            out.write(f"{number},{status},{maker},{maker},{maker}工厂,插座,{models},{year}-03-01,{year + 5}-03-01,"
                      f"{changed}\n")
    return numbers


def make_queries(numbers: list[str], count: int, seed: int = 21) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.7:
            out.append(rng.choice(numbers))
        elif roll < 0.9:
            out.append(f"{rng.randint(2015, 2025)}010201{rng.randint(900000, 999999)}")
        else:
            out.append(str(rng.randint(10 ** 9, 10 ** 12)))
    return out


def side_casebook(register: Path, queries: list[str]) -> dict:
    sys.path.insert(0, str(REPO))
    from datetime import date

    from evidence.certification.cert_checks import check_certificate
    from evidence.certification.cert_register import load_register

    start = time.perf_counter()
    loaded = load_register(register)
    imported = time.perf_counter()
    statuses: dict[str, int] = {}
    for number in queries:
        result = check_certificate(number, loaded, sale_date=date(2026, 12, 1), maker="某某电器有限公司7",
                                   model="M7-0")
        statuses[result.status] = statuses.get(result.status, 0) + 1
    end = time.perf_counter()
    return {"import_s": imported - start, "check_s": end - imported, "total_s": end - start, "statuses": statuses,
            "certificates": len(loaded)}


def side_pandas(register: Path, queries: list[str]) -> dict:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_csv(register, dtype=str, skiprows=2, keep_default_na=False)
    imported = time.perf_counter()
    merged = pd.DataFrame({"证书编号": queries}).merge(frame, on="证书编号", how="left")
    lookup = dict(zip(frame["证书编号"], frame["证书状态"], strict=True))
    statuses: dict[str, int] = {}
    for number in queries:
        status = lookup.get(number, "absent")
        statuses[status] = statuses.get(status, 0) + 1
    end = time.perf_counter()
    return {"import_s": imported - start, "check_s": end - imported, "total_s": end - start, "statuses": statuses,
            "certificates": len(frame), "merged": len(merged)}


def run_side(side: str, register: Path, queries_path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--side", side, str(register), str(queries_path)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--numbers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--side", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        register, queries_path = Path(args.paths[0]), Path(args.paths[1])
        queries = queries_path.read_text(encoding="utf-8").split()
        result = (side_casebook if args.side == "casebook" else side_pandas)(register, queries)
        result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as folder:
        register = Path(folder) / "register.csv"
        numbers = make_register(register, args.rows)
        queries_path = Path(folder) / "numbers.txt"
        queries_path.write_text("\n".join(make_queries(numbers, args.numbers)), encoding="utf-8")
        print(f"register: {args.rows:,} certificates, {register.stat().st_size / 2**20:.1f} MiB CSV; "
              f"{args.numbers:,} numbers checked; {args.rounds} rounds (medians); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        results: dict[str, list[dict]] = {"casebook": [], "pandas": []}
        for _ in range(args.rounds):
            for side in results:
                results[side].append(run_side(side, register, queries_path))
    rows = {}
    for side, runs in results.items():
        rows[side] = {key: statistics.median(r[key] for r in runs)
                      for key in ("import_s", "check_s", "total_s", "peak_rss_mib")}
        print(f"{side:9s} import {rows[side]['import_s']:6.2f} s  check {rows[side]['check_s']:6.2f} s  "
              f"total {rows[side]['total_s']:6.2f} s  peak RSS {rows[side]['peak_rss_mib']:7.1f} MiB  "
              f"statuses {runs[0]['statuses']}")
    ratio = rows["casebook"]["total_s"] / rows["pandas"]["total_s"]
    print(f"casebook / pandas: {ratio:.2f}x time, {rows['casebook']['peak_rss_mib'] / rows['pandas']['peak_rss_mib']:.2f}x "
          f"peak RSS; target: total <= 10 s -> {'met' if rows['casebook']['total_s'] <= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
