"""Dossier throughput: ``casebook dossier batch`` against the plain way, side by side, same cases.

The anchor is what an analyst would script by hand: a shell loop of ``papermill`` then
``jupyter nbconvert --to html --no-input`` per case, on the same template and parameters. Both
run a fresh ``casebook`` kernel per case, and both read label photos from the same reading cache,
filled before either runs (as sealing or a first reader would fill it). Also reported: the worker
time per dossier (the aim is at most 3 s), the PDF cost per dossier with one reused Chromium, how
many remote references the plain nbconvert HTML has, and the peak RSS of the largest process.

    python bench/bench_dossiers.py              # 8 sample cases, 1 round (about 3 minutes on 2 cores)
    python bench/bench_dossiers.py --full       # the 30-case sample casebook, 3 rounds
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TEMPLATE = REPO / "templates" / "case_dossier.ipynb"
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def make_book(root: Path, n_cases: int) -> Path:
    from casebook.cachedir import reading_cache
    from casebook.case import load_case
    from casebook.demo import seal
    from casebook.sample.sample_casebook import write_sample
    from evidence.labels.label_report import read_labels

    book = root / "book"
    write_sample(book, n_cases=n_cases, seed=2024)
    cache = reading_cache()
    for case_dir in sorted(p for p in book.iterdir() if (p / "case.yml").is_file()):
        seal(case_dir, actor="bench")
        read_labels(load_case(case_dir).label_photos(), cache=cache)  # what sealing or a first reader leaves
    return book


def run_ours(book: Path, out: Path, workers: int) -> tuple[float, list[float], list[float]]:
    started = time.perf_counter()
    subprocess.run([str(BIN / "casebook"), "dossier", "batch", str(book), "--out", str(out), "--workers",
                    str(workers), "--no-resume", "--quiet"], check=True, capture_output=True)
    wall = time.perf_counter() - started
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert report["failed"] == 0, report["failures"]
    return (wall, [r["seconds"] for r in report["results"]],
            [r["summary"]["cpu_seconds"] for r in report["results"] if r["summary"].get("cpu_seconds") is not None])


def run_anchor(book: Path, out: Path, case_ids: list[str]) -> tuple[float, list[float], float]:
    """The shell loop, verbatim: papermill then nbconvert, one case after another (and its CPU time)."""
    q = shlex.quote
    lines = ["set -e"]
    for case_id in case_ids:
        folder = out / case_id
        inputs = {"case_dir": str(book / case_id), "casebook_dir": str(book), "template": str(TEMPLATE)}
        lines += [
            f"mkdir -p {q(str(folder))}",
            "s=$(date +%s.%N)",
            f"{q(str(BIN / 'papermill'))} {q(str(TEMPLATE))} {q(str(folder / 'dossier.ipynb'))} -k casebook "
            f"--no-progress-bar --log-level ERROR -y {q(json.dumps({'inputs': inputs}))}",
            f"{q(str(BIN / 'jupyter'))} nbconvert --to html --no-input --log-level ERROR "
            f"{q(str(folder / 'dossier.ipynb'))}",
            f'echo "{case_id} $s $(date +%s.%N)"',
        ]
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(["bash", "-c", "\n".join(lines)], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    per = [float(end) - float(start) for _, start, end in (line.split() for line in proc.stdout.split("\n")
                                                          if line.strip())]
    return wall, per, cpu / len(case_ids)


def pdf_costs(htmls: list[Path], out: Path) -> tuple[float, list[float]]:
    from casebook.pdf import PdfPrinter

    started = time.perf_counter()
    per = []
    with PdfPrinter() as printer:
        launch = time.perf_counter() - started
        for html in htmls:
            t0 = time.perf_counter()
            printer.print(html, out / f"{html.parent.name}.pdf")
            per.append(time.perf_counter() - t0)
    return launch, per


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--full", action="store_true", help="the 30-case sample casebook, 3 rounds")
    args = parser.parse_args()
    n_cases, repeat = (30, 3) if args.full else (args.cases, args.repeat)
    with tempfile.TemporaryDirectory(prefix="bench-dossiers-") as tmp:
        root = Path(tmp)
        os.environ["CASEBOOK_CACHE"] = str(root / "cache")  # a cache of its own, shared by both sides
        book = make_book(root, n_cases)
        case_ids = sorted(p.name for p in book.iterdir() if (p / "case.yml").is_file())
        print(f"{len(case_ids)} sample cases (sealed), {repeat} round(s), {args.workers} workers, 2 cores shared")
        ours_wall, anchor_wall, ours_per, anchor_per, ours_cpu, anchor_cpu = [], [], [], [], [], []
        for r in range(repeat):
            order = [("ours", "anchor"), ("anchor", "ours")][r % 2]  # alternate who runs first
            for who in order:
                if who == "ours":
                    wall, per, cpu = run_ours(book, root / f"ours{r}", args.workers)
                    ours_wall.append(wall)
                    ours_per += per
                    ours_cpu += cpu
                else:
                    wall, per, cpu = run_anchor(book, root / f"anchor{r}", case_ids)
                    anchor_wall.append(wall)
                    anchor_per += per
                    anchor_cpu.append(cpu)
                print(f"  round {r + 1} {who:6s}: {wall:7.1f} s")
        htmls = sorted((root / "ours0").glob("*/dossier.html"))
        launch, pdf_per = pdf_costs(htmls, root / "pdfs")
        plain = next((root / "anchor0").glob("*/dossier.html"))
        remote_plain = len(REMOTE.findall(plain.read_text(encoding="utf-8")))
        remote_ours = len(REMOTE.findall(htmls[0].read_text(encoding="utf-8")))
    ours_med, anchor_med = statistics.median(ours_wall), statistics.median(anchor_wall)
    print()
    print(f"{'':42s}{'casebook batch':>16s}{'papermill+nbconvert loop':>26s}")
    print(f"{'wall time, all cases (median s)':42s}{ours_med:16.1f}{anchor_med:26.1f}")
    print(f"{'throughput (s per dossier, wall/cases)':42s}{ours_med / len(case_ids):16.2f}"
          f"{anchor_med / len(case_ids):26.2f}")
    print(f"{'median seconds per dossier (one case)':42s}{statistics.median(ours_per):16.2f}"
          f"{statistics.median(anchor_per):26.2f}")
    print(f"{'CPU seconds per dossier (median)':42s}{statistics.median(ours_cpu):16.2f}"
          f"{statistics.median(anchor_cpu):26.2f}")
    print(f"{'remote references in dossier.html':42s}{remote_ours:16d}{remote_plain:26d}")
    print(f"ratio (loop / casebook batch): {anchor_med / ours_med:.2f}x faster  (aim >= 3x)")
    print("  (ours: the worker's and the kernel's CPU of each dossier, from summary.json; the loop: all of its")
    print("   processes' CPU over the cases. Neither counts the batch's one-off costs: hot spots, kernel zygote.)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"worker time per dossier (summary 'seconds'): median {statistics.median(ours_per):.2f} s, "
          f"max {max(ours_per):.2f} s  (aim <= 3 s)")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of the largest process (driver, worker, kernel or tool): {peak:.0f} MiB")
    print(f"PDF with one reused Chromium: launch {launch:.2f} s once, then median {statistics.median(pdf_per):.2f} s "
          f"per dossier ({len(pdf_per)} PDFs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
