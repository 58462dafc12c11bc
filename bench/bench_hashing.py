"""Hashing speed: ``casebook evidence hash`` (SHA-256 + SM3) beside ``sha256sum`` and ``hashdeep -r``.

Runs every tool on the same cached tree in the same run, repeats, prints medians and ratios
(throughput of casebook / throughput of the anchor; > 1 means casebook is faster):

- tree: a few large files plus thousands of small ones. casebook computes SHA-256 + SM3;
  ``sha256sum`` computes SHA-256 alone (one process, as people run it: ``xargs -0 sha256sum``);
  ``hashdeep -r`` computes its default MD5 + SHA-256 with its own threads.
- one large file: casebook (SHA-256 + SM3, where SM3 cannot be split) against ``sha256sum``.
- peak memory (max RSS) of each casebook process, from ``wait4``.

The default tree is 512 MiB and the single file 512 MiB (about a minute on 2 cores) to keep
``make bench`` short; ``--full`` uses a 1.5 GiB tree.  The tree is cached in ``--cache`` and read once
before timing, so every tool reads from the page cache.

    .venv/bin/python bench/bench_hashing.py [--full] [--size-mib N] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def build_tree(cache: Path, size_mib: int, small_files: int) -> Path:
    spec = {"size_mib": size_mib, "small_files": small_files, "version": 1}
    tree = cache / f"tree-{size_mib}-{small_files}"
    marker = tree / ".." / f"tree-{size_mib}-{small_files}.json"
    if tree.is_dir() and marker.is_file() and json.loads(marker.read_text()) == spec:
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    rng = random.Random(2024)
    small_total = 0
    for index in range(small_files):  # 1-64 KiB, in 30 folders: screenshots, chat exports, orders
        size = rng.randint(1, 64) << 10
        folder = tree / "small" / f"d{index % 30:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{index:05d}.bin").write_bytes(rng.randbytes(size))
        small_total += size
    large_total = max(0, (size_mib << 20) - small_total)
    large = tree / "large"
    large.mkdir(parents=True, exist_ok=True)
    for index in range(3):  # disk images
        with open(large / f"image{index}.dd", "wb") as handle:
            remaining = large_total // 3
            while remaining > 0:
                chunk = min(remaining, 8 << 20)
                handle.write(rng.randbytes(chunk))
                remaining -= chunk
    marker.write_text(json.dumps(spec))
    return tree


def build_single(cache: Path, size_mib: int) -> Path:
    """One large file of its own: big enough that interpreter start-up (~0.1 s) does not decide the ratio."""
    folder = cache / f"single-{size_mib}"
    target = folder / "image.dd"
    if target.is_file() and target.stat().st_size == size_mib << 20:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(7)
    with open(target, "wb") as handle:
        for _ in range(size_mib // 8):
            handle.write(rng.randbytes(8 << 20))
    return folder


# The casebook command, reporting its own peak RSS (VmHWM of its address space): wait4's ru_maxrss
# would also count the forked copy of this benchmark process before exec.
CASEBOOK = (
    "import sys\n"
    "from casebook.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
    "sys.stderr.write(f'VmHWM {hwm}\\n')\n"
    "sys.exit(code)\n"
)


def warm(paths: list[Path]) -> None:
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(8 << 20):
                pass


def timed(argv: list[str], cwd: Path | None = None, stdin: bytes | None = None) -> tuple[float, int, float]:
    """Wall time, the child's peak RSS in KiB (VmHWM where it reports it, else wait4's ru_maxrss), CPU s."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(argv[:3])} failed ({proc.returncode}): {err[-500:]}")
    reported = [line.split()[1] for line in err.splitlines() if line.startswith("VmHWM ")]
    return elapsed, int(reported[0]) if reported else usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def files_of(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="1.5 GiB tree (default 512 MiB)")
    parser.add_argument("--size-mib", type=int, help="tree size in MiB (overrides --full)")
    parser.add_argument("--small-files", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "casebook-bench-hashing")
    args = parser.parse_args()
    size = args.size_mib or (1536 if args.full else 512)
    for tool in ("sha256sum", "hashdeep", "xargs"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed: run scripts/system-deps.sh")
    args.cache.mkdir(parents=True, exist_ok=True)
    tree = build_tree(args.cache, size, args.small_files)
    files = files_of(tree)
    total = sum(p.stat().st_size for p in files)
    single = build_single(args.cache, max(512, size // 3))
    big = single / "image.dd"
    warm([*files, big])
    out = Path(tempfile.mkdtemp(prefix="casebook-bench-out-"))
    casebook = [sys.executable, "-c", CASEBOOK]
    listing = b"\0".join(os.fsencode(p.relative_to(tree)) for p in files)
    runs = {
        "casebook tree (sha256+sm3)": lambda: timed([*casebook, "evidence", "hash", str(tree), "--out",
                                                     str(out / "m.json"), "--custody", str(out / "c.jsonl")]),
        "sha256sum tree (sha256)": lambda: timed(["xargs", "-0", "sha256sum"], cwd=tree, stdin=listing),
        "hashdeep -r tree (md5+sha256)": lambda: timed(["hashdeep", "-r", "."], cwd=tree),
        "casebook one file (sha256+sm3)": lambda: timed([*casebook, "evidence", "hash", str(single), "--out",
                                                         str(out / "m1.json"), "--custody", str(out / "c.jsonl")]),
        "sha256sum one file (sha256)": lambda: timed(["sha256sum", str(single / big.name)]),
    }
    results: dict[str, list[tuple[float, int, float]]] = {name: [] for name in runs}
    load_before = os.getloadavg()[0]
    for _ in range(args.repeats):  # interleaved, so load from other work hits every tool alike
        for name, run in runs.items():
            results[name].append(run())
    shutil.rmtree(out, ignore_errors=True)
    load_after = os.getloadavg()[0]
    median = {name: statistics.median(t for t, _, _ in values) for name, values in results.items()}
    best = {name: min(t for t, _, _ in values) for name, values in results.items()}
    cpu = {name: statistics.median(c for _, _, c in values) for name, values in results.items()}
    peak = {name: max(rss for _, rss, _ in values) for name, values in results.items()}
    big_size = big.stat().st_size
    print(f"tree: {len(files)} files, {total / 2**20:.0f} MiB ({args.small_files} small, 3 large) in {tree}; "
          f"one file: {big_size / 2**20:.0f} MiB; {args.repeats} repeats, page cache warm, {os.cpu_count()} cores; "
          f"load average {load_before:.1f} before, {load_after:.1f} after (other work on the machine slows the "
          "multi-threaded runs most)")
    print(f"{'run':34} {'median s':>9} {'MB/s':>8} {'CPU s':>7} {'peak RSS MiB':>13}")
    for name in runs:
        amount = big_size if "one file" in name else total
        rss = f"{peak[name] / 1024:13.1f}" if name.startswith("casebook") else f"{'':>13}"
        print(f"{name:34} {median[name]:9.2f} {amount / median[name] / 1e6:8.0f} {cpu[name]:7.2f} {rss}")
    pairs = {
        "tree vs sha256sum": ("sha256sum tree (sha256)", "casebook tree (sha256+sm3)", 1.0),
        "tree vs hashdeep -r": ("hashdeep -r tree (md5+sha256)", "casebook tree (sha256+sm3)", 1.0),
        "one file vs sha256sum": ("sha256sum one file (sha256)", "casebook one file (sha256+sm3)", 0.9),
    }
    print("throughput ratios (casebook / anchor) of the medians, [target], and of the best runs:")
    for name, (anchor, ours, target) in pairs.items():
        value = median[anchor] / median[ours]
        print(f"  {name:24} {value:5.2f}x  [>= {target}x] {'ok' if value >= target else 'BELOW':5}  "
              f"best {best[anchor] / best[ours]:5.2f}x")
    worst_rss = max(peak[n] for n in runs if n.startswith("casebook")) / 1024
    print(f"  casebook peak RSS        {worst_rss:5.1f} MiB [< 200 MiB] {'ok' if worst_rss < 200 else 'ABOVE'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
