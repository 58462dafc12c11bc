"""Acquisition speed: ``casebook evidence acquire`` beside ``cp -r`` then ``sha256sum -c`` on the copy.

The guarantee compared is "the copy on disk holds the bytes of the source, shown by SHA-256":

- anchor: ``sha256sum`` over the source (the list ``sha256sum -c`` needs), ``cp -r``, ``sync``
  (the copy on disk, as casebook's fsync), then ``sha256sum -c`` on the copy.  The time without
  the first step (the list made beforehand, not timed) is printed too.
- casebook with ``--algorithms sha256`` (the same guarantee): each file read once, hashed, written,
  fsynced, dropped from the page cache and read back from disk, compared; manifest sealed.
- casebook with its default SHA-256 + SM3 (more than the anchor gives: SM3 as well).

Both read the source from the page cache (it is read once before timing); the casebook runs add
the listing before and after, the manifest and the custody event (no PDF).  Ratios are anchor
time / casebook time: > 1 means casebook is faster.  Peak memory (max RSS) of each casebook
process comes from ``wait4``.  The machine is shared: medians of ``--repeats`` runs.

    .venv/bin/python bench/bench_acquire.py [--size-mib 2048] [--repeats 3] [--cache DIR]

Measured on the shared 2-core machine (load average 15-20), 2 GiB in 9,316 files, medians of 3:
anchor 150.8 s (81.0 s without making the list); casebook SHA-256 60.4 s (2.50x; 1.34x against the
anchor without its list), peak RSS 106 MiB; casebook SHA-256 + SM3 96.8 s (1.56x; 0.84x), peak RSS
93 MiB.  SM3 runs at about 160 MiB/s per core here, so with SM3 the CPU, not the disk, sets the pace.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASE_FLAGS = ["--title", "bench", "--case-no", "周市监处罚〔2026〕1号", "--organ", "bench", "--party-type", "自然人",
              "--party-name", "bench", "--party-id", "11010519491231002X", "--opened", "2026-01-01", "--cause", "1",
              "--category", "food", "--address", "河南省周口市川汇区", "--no-input"]


def build_tree(cache: Path, size_mib: int) -> Path:
    """Mixed files: ~60% in a few disk images, ~25% in 1-16 MiB videos, ~15% in 4-64 KiB photos and chats."""
    spec = {"size_mib": size_mib, "version": 1}
    tree = cache / f"media-{size_mib}"
    marker = cache / f"media-{size_mib}.json"
    if tree.is_dir() and marker.is_file() and json.loads(marker.read_text()) == spec:
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    block = os.urandom(16 << 20)
    total = size_mib << 20
    counter = 0

    def write(path: Path, size: int) -> None:
        nonlocal counter
        counter += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(counter.to_bytes(8, "little"))  # every file distinct
            left = size - 8
            offset = counter * 4099 % len(block)
            while left > 0:
                piece = block[offset:offset + left]
                handle.write(piece)
                left -= len(piece)
                offset = 0

    large, medium, small = int(total * 0.60), int(total * 0.25), int(total * 0.15)
    for index in range(3):
        write(tree / "images" / f"disk{index}.dd", large // 3)
    done, index = 0, 0
    while done < medium:
        size = min(medium - done, (1 + index * 7 % 16) << 20)
        write(tree / "DCIM" / f"VID_{index:04d}.mp4", size)
        done, index = done + size, index + 1
    done, index = 0, 0
    while done < small:
        size = min(small - done, (4 + index * 13 % 61) << 10)
        write(tree / "chat" / f"d{index % 40:02d}" / f"msg{index:06d}.jpg", max(size, 16))
        done, index = done + size, index + 1
    marker.write_text(json.dumps(spec))
    return tree


def warm(tree: Path) -> None:
    for folder, _dirs, names in os.walk(tree):
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                while handle.read(8 << 20):
                    pass


def run_timed(command: list[str], **kwargs) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, **kwargs)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss


def anchor(tree: Path, work: Path) -> tuple[float, float]:
    """(full time, time without making the list): sha256sum list, cp -r, sync, sha256sum -c on the copy."""
    target = work / "cp-copy"
    shutil.rmtree(target, ignore_errors=True)
    listing = work / "sha256.txt"
    started = time.perf_counter()
    with open(listing, "wb") as out:
        subprocess.run("find . -type f -print0 | xargs -0 sha256sum", shell=True, cwd=tree, stdout=out, check=True)
    listed = time.perf_counter()
    subprocess.run(["cp", "-r", str(tree), str(target)], check=True)
    subprocess.run(["sync"], check=True)
    subprocess.run(["sha256sum", "-c", "--quiet", str(listing)], cwd=target, check=True, stdout=subprocess.DEVNULL)
    ended = time.perf_counter()
    shutil.rmtree(target)
    return ended - started, ended - listed


def casebook_run(tree: Path, work: Path, algorithms: str) -> tuple[float, int]:
    case = work / "ZK-BENCH-1"
    shutil.rmtree(case, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "casebook.cli", "case", "new", str(case), *CASE_FLAGS], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    elapsed, rss = run_timed([sys.executable, "-m", "casebook.cli", "evidence", "acquire", str(tree), "--case",
                              str(case), "--no-pdf", "--no-write-blocker", "--json", "--algorithms", algorithms],
                             env=env)
    shutil.rmtree(case)
    return elapsed, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "casebook-bench-acquire")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    tree = build_tree(args.cache, args.size_mib)
    files = sum(len(names) for _f, _d, names in os.walk(tree))
    print(f"source: {tree} ({args.size_mib} MiB, {files} files); {os.cpu_count()} cores; repeats {args.repeats}")
    warm(tree)
    work = Path(tempfile.mkdtemp(prefix="acquire-", dir=args.cache))
    times: dict[str, list[float]] = {"anchor": [], "anchor_without_list": [], "sha256": [], "sha256,sm3": []}
    peaks: dict[str, list[int]] = {"sha256": [], "sha256,sm3": []}
    try:
        for repeat in range(args.repeats):
            full, without = anchor(tree, work)
            times["anchor"].append(full)
            times["anchor_without_list"].append(without)
            for algorithms in ("sha256", "sha256,sm3"):
                elapsed, rss = casebook_run(tree, work, algorithms)
                times[algorithms].append(elapsed)
                peaks[algorithms].append(rss)
            print(f"run {repeat + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {name: statistics.median(values) for name, values in times.items()}
    mib = args.size_mib
    print(f"\nmedians over {args.repeats} runs ({mib} MiB):")
    print(f"  anchor  sha256sum list + cp -r + sync + sha256sum -c   {med['anchor']:7.1f} s  "
          f"{mib / med['anchor']:6.0f} MiB/s")
    print(f"  anchor  cp -r + sync + sha256sum -c (list not timed)   {med['anchor_without_list']:7.1f} s")
    for algorithms in ("sha256", "sha256,sm3"):
        print(f"  casebook acquire --algorithms {algorithms:<11}           {med[algorithms]:7.1f} s  "
              f"{mib / med[algorithms]:6.0f} MiB/s  peak RSS {statistics.median(peaks[algorithms]) / 1024:.0f} MiB")
    print("ratios (anchor time / casebook time, > 1 = casebook faster):")
    for algorithms in ("sha256", "sha256,sm3"):
        print(f"  {algorithms:<11} vs full anchor {med['anchor'] / med[algorithms]:.2f}x; "
              f"vs anchor without the list {med['anchor_without_list'] / med[algorithms]:.2f}x")


if __name__ == "__main__":
    main()
