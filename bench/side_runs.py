"""What the benchmarks share: one side in its own process, its peak RSS, medians over repeats and the ratio.

Each side runs in a fresh ``python -c`` child (cwd: the repository), so the peak RSS it prints is
that of one process doing one job.  The child imports :func:`peak_rss_mib` from here
(``from bench.side_runs import peak_rss_mib``) and prints one JSON line last.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["REPO", "median", "peak_rss_mib", "ratio", "repeat_sides", "report", "run_child", "size_and_repeats"]

REPO = Path(__file__).resolve().parents[1]


def peak_rss_mib() -> int:
    """The peak resident memory of this process so far (VmHWM), in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0


def report(**values: object) -> None:
    """In the child: print its figures and its peak RSS as the one JSON line :func:`run_child` reads."""
    print(json.dumps({**values, "peak_mib": peak_rss_mib()}))


def size_and_repeats(doc: str, rows: int, repeat: int = 3) -> argparse.Namespace:
    """The command line every benchmark of a table takes: ``--rows N --repeat R``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rows", type=int, default=rows)
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser.parse_args()


def run_child(code: str, *args: object) -> dict:
    """Run ``code`` in a fresh interpreter with ``args``; the JSON of its last line of output."""
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, check=True,
                          cwd=REPO)
    return json.loads(done.stdout.strip().splitlines()[-1])


def repeat_sides(run: Callable[[str], dict], repeat: int, sides: tuple[str, ...] = ("anchor", "casebook")
                 ) -> dict[str, list[dict]]:
    """``run(side)`` for each side in turn, ``repeat`` times (interleaved, so drift hits both alike)."""
    results: dict[str, list[dict]] = {side: [] for side in sides}
    for _ in range(repeat):
        for side in sides:
            results[side].append(run(side))
    return results


def median(runs: list[dict], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


def ratio(results: dict[str, list[dict]], key: str = "seconds") -> float:
    """casebook's median over the anchor's."""
    return median(results["casebook"], key) / median(results["anchor"], key)
