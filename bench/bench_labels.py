"""Label reading: casebook's RapidOCR and Tesseract pipelines against raw Tesseract, side by side.

Reads the sample casebook's label photos (written to a temp folder, or --book DIR) with:
  rapidocr    casebook's default engine, the full pipeline (OCR, fields, screening, thumbnail)
  tesseract   casebook's Tesseract engine with its image preparation, full pipeline
  raw         the anchor: `tesseract IMG stdout -l chi_sim+eng --psm 6`, no preparation, OCR only
and prints per-photo medians (seconds), the ratio to the anchor, and quality against truth.json:
field accuracy, finding F1, false accusations and character error rate (NFKC, no white space).

    python bench/bench_labels.py            # 10 photos, 2 repeats of the timing: a few minutes
    python bench/bench_labels.py --full     # 50 photos (the issue's batch), 1 repeat
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _cpu() -> float:
    """CPU seconds of this process and its finished children: the cost, whatever the machine's load."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def raw_tesseract(path: Path) -> str:
    done = subprocess.run(["tesseract", str(path), "stdout", "-l", "chi_sim+eng", "--psm", "6"],
                          capture_output=True, check=True, timeout=120)
    return done.stdout.decode("utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--book", type=Path, help="an existing sample casebook (default: write one to a temp dir)")
    parser.add_argument("--photos", type=int, default=10, help="how many label photos (default 10)")
    parser.add_argument("--repeats", type=int, default=2, help="timing repeats per photo (default 2)")
    parser.add_argument("--full", action="store_true", help="50 photos, 1 repeat")
    parser.add_argument("--engines", default="rapidocr,tesseract,raw")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.full:
        args.photos, args.repeats = 50, 1

    from evidence.label_report import read_labels
    from evidence.ocr import character_error_rate, get_engine
    from tests.support.labels import LabelScore

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        book = args.book
        if book is None:
            from casebook.sample import write_sample

            book = Path(tmp) / "book"
            write_sample(book, n_cases=30, seed=2024)
        truth = json.loads((book / "truth.json").read_text(encoding="utf-8"))["labels"][: args.photos]
        paths = [book / t["image"] for t in truth]
        results: dict[str, dict] = {}
        for name in args.engines.split(","):
            times: list[list[float]] = [[] for _ in paths]
            cpu: list[float] = []
            score = LabelScore()
            if name != "raw":
                started = time.perf_counter()
                get_engine(name).read(paths[0])  # load the models once, outside the timing
                load = time.perf_counter() - started
            for repeat in range(args.repeats):
                for i, (path, t) in enumerate(zip(paths, truth, strict=True)):
                    started = time.perf_counter()
                    cpu_started = _cpu()
                    if name == "raw":
                        text = raw_tesseract(path)
                        times[i].append(time.perf_counter() - started)
                        cpu.append(_cpu() - cpu_started)
                        if repeat == 0:
                            score.cers.append(character_error_rate(t["text"], text))
                        continue
                    [report] = read_labels([path], engine=name)
                    times[i].append(time.perf_counter() - started)
                    cpu.append(_cpu() - cpu_started)
                    if repeat == 0:
                        if report.error:
                            score.errors += 1
                            continue
                        score.add(t, report.text, report.fields, report.findings)
            per_photo = [statistics.median(ts) for ts in times]
            results[name] = {"median_s": statistics.median(per_photo), "total_s": sum(per_photo),
                             "median_cpu_s": statistics.median(cpu),
                             **score.to_dict(), **({"model_load_s": round(load, 2)} if name != "raw" else {})}
            if name != "raw":
                results[name]["misses"] = score.misses[:20]
        anchor = results.get("raw", {}).get("median_s")
        print(f"label photos: {len(paths)}, repeats: {args.repeats}, sample casebook seed 2024")
        print(f"load average before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} (2 cores shared)")
        print(f"{'engine':<11}{'median s/photo':>15}{'vs raw tess.':>14}{'CPU s/photo':>12}{'CER':>8}{'fields':>8}"
              f"{'F1':>7}{'false acc.':>11}")
        for name, r in results.items():
            ratio = f"{r['median_s'] / anchor:.2f}x" if anchor else "-"
            fields = f"{r['field_accuracy']:.3f}" if name != "raw" else "-"
            f1 = f"{r['finding_f1']:.3f}" if name != "raw" else "-"
            false = str(r["false_accusations"]) if name != "raw" else "-"
            print(f"{name:<11}{r['median_s']:>15.3f}{ratio:>14}{r['median_cpu_s']:>12.3f}{r['cer']:>8.4f}"
                  f"{fields:>8}{f1:>7}{false:>11}")
        for name, r in results.items():
            for miss in r.get("misses", [])[:8]:
                print(f"  {name}: {miss}")
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
