"""Benchmark: reading a shop's Excel ledger with the archive guard against calamine alone.

The guard (``safeio.archive_guard.check_workbook``) reads the zip's central directory and inflates
every entry once as a capped stream before calamine opens the workbook (as ``links.spreadsheets``
does); both sides then read every sheet with calamine into text cells.  This measures what the guard
costs on ordinary ledgers (1,000 to 50,000 rows) and what it saves on a zip bomb (a 3 MB workbook
that inflates to 256 MiB and more).  Each side runs in its own process, five times; medians of wall
time and the peak RSS of that process are printed side by side with their ratio.

    python bench/bench_archive_guard.py
    python bench/bench_archive_guard.py --rows 1000 20000 --repeats 3
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

_RUN = """
import resource, sys, time
sys.path.insert(0, {repo!r})
path, guarded = sys.argv[1], sys.argv[2] == "1"
from python_calamine import CalamineWorkbook  # imports are not timed
from links.spreadsheets import _cell
from safeio.archive_guard import check_workbook
began = time.perf_counter()
try:
    if guarded:
        check_workbook(path)
    book = CalamineWorkbook.from_path(path)
    if True:
        rows = sum(len([[_cell(c) for c in row] for row in book.get_sheet_by_name(n).to_python()])
                   for n in book.sheet_names)
    outcome = f"{{rows}} rows"
except Exception as err:
    outcome = type(err).__name__
print(time.perf_counter() - began, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, outcome)
"""


def ledger(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "商品", "供货单位", "联系电话", "数量", "单价（元）"])
    for n in range(rows):
        sheet.append([f"2024-05-{n % 28 + 1:02d}", f"洗发水{n % 97}", f"某某日化批发部{n % 13}",
                      f"138{n:08d}", n % 50 + 1, 19.9])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bomb(inflated_mib: int) -> bytes:
    good = zipfile.ZipFile(io.BytesIO(ledger(10)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in good.infolist():
            data = good.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # one sheet whose row holds a cell of spaces: calamine must inflate it all to read the sheet
                head, tail = data.split(b"</sheetData>")
                with dst.open(info.filename, "w") as sheet:
                    sheet.write(head + b'<row r="99"><c r="A99" t="inlineStr"><is><t>')
                    for _ in range(inflated_mib):
                        sheet.write(b" " * (1 << 20))
                    sheet.write(b"</t></is></c></row></sheetData>" + tail)
            else:
                dst.writestr(info, data)
    return out.getvalue()


def run(path: Path, guarded: bool) -> tuple[float, float, str]:
    done = subprocess.run([sys.executable, "-c", _RUN.format(repo=str(REPO)), str(path), "1" if guarded else "0"],
                          capture_output=True, text=True, timeout=600)
    seconds, rss, *outcome = done.stdout.split()
    return float(seconds), float(rss), " ".join(outcome)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1000, 20000, 50000])
    parser.add_argument("--bomb-mib", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for rows in args.rows:
            path = Path(tmp) / f"ledger-{rows}.xlsx"
            path.write_bytes(ledger(rows))
            files.append((f"ledger {rows} rows ({path.stat().st_size >> 10} KiB)", path))
        path = Path(tmp) / "bomb.xlsx"
        path.write_bytes(bomb(args.bomb_mib))
        files.append((f"bomb {args.bomb_mib} MiB inflated ({path.stat().st_size >> 10} KiB)", path))
        print(f"{'file':42} {'calamine s':>11} {'guarded s':>10} {'ratio':>6} {'calamine MiB':>13} "
              f"{'guarded MiB':>12}  outcome (guarded)")
        for name, path in files:
            plain = [run(path, False) for _ in range(args.repeats)]
            guarded = [run(path, True) for _ in range(args.repeats)]
            t0, t1 = statistics.median(p[0] for p in plain), statistics.median(g[0] for g in guarded)
            m0, m1 = statistics.median(p[1] for p in plain), statistics.median(g[1] for g in guarded)
            print(f"{name:42} {t0:11.3f} {t1:10.3f} {t1 / t0:6.2f} {m0:13.0f} {m1:12.0f}  {guarded[0][2]}")


if __name__ == "__main__":
    main()
