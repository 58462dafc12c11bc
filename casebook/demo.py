"""``python -m casebook.demo SAMPLE_DIR --out OUT``: the main job on a casebook, end to end.

seal the evidence of every case -> batch dossiers with PDFs -> hotspot brief -> print the path of
``OUT/index.html``. ``make demo`` runs this after ``casebook sample``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from safeio.errors import CasebookError

__all__ = ["main", "run_hotspot_brief", "seal"]


def seal(case_dir: str | Path, *, actor: str = "casebook demo") -> str:
    """Seal one case folder's evidence (manifest.json + a 'hashed' custody event); return the Merkle root.

    A case sealed before and unchanged is left as it is; a changed one is refused (sealing again
    would hide tampering), which the demo reports and goes on.
    """
    from casebook.sealing import seal_case

    return seal_case(Path(case_dir).resolve(), actor=actor).manifest.merkle_root


def run_hotspot_brief(casebook_dir: Path, out_dir: Path) -> Path | None:
    """Render ``templates/hotspot_brief.ipynb`` to ``OUT/hotspot_brief.html`` (map and summary beside it).

    It takes the path of the dossiers: :func:`casebook.dossier.execute_and_export`.
    """
    from casebook.dossier import default_template, execute_and_export

    params = {"cases_path": casebook_dir / "cases.csv", "baseline_path": casebook_dir / "baseline.csv",
              "map_html": out_dir / "hotspot_map.html", "summary_json": out_dir / "hotspot_summary.json"}
    run, outputs = execute_and_export(default_template("hotspot_brief.ipynb"), out_dir / "hotspot_brief.ipynb",
                                      out_dir / "hotspot_brief.html", params, title="热点简报 / Hotspot brief")
    if not run.ok:
        print(f"hotspot brief: {run.failure.message}", file=sys.stderr)
    return out_dir / outputs["html"] if "html" in outputs else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casebook.demo", description=__doc__.splitlines()[0])
    parser.add_argument("casebook_dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path("out"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args(argv)
    from casebook.batch import list_case_dirs, run_batch

    try:
        book = args.casebook_dir.resolve()
        dirs, _ = list_case_dirs(book)
        sealed = 0
        for case_dir in dirs:
            try:
                seal(case_dir)
                sealed += 1
            except CasebookError as err:
                print(f"sealing {case_dir.name}: {err}", file=sys.stderr)
        print(f"sealed the evidence of {sealed} of {len(dirs)} cases", file=sys.stderr)
        report = run_batch(book, args.out, workers=args.workers, pdf=not args.no_pdf)
        data = report.to_dict()
        print(f"dossiers: {data['ok']} rendered, {data['skipped']} unchanged, {data['degraded']} degraded, "
              f"{data['failed']} failed", file=sys.stderr)
        brief = run_hotspot_brief(book, args.out.resolve())
        if brief:
            print(f"hotspot brief: {brief}", file=sys.stderr)
    except CasebookError as err:
        print(f"casebook demo: {err}", file=sys.stderr)
        return err.exit_code
    print((args.out / "index.html").resolve())
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
