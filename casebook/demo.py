"""``python -m casebook.demo SAMPLE_DIR --out OUT``: the main job on a casebook, end to end.

seal the evidence of every case -> batch dossiers with PDFs -> hotspot brief -> print the path of
``OUT/index.html``. ``make demo`` runs this after ``casebook sample``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casebook.errors import CasebookError


def seal(case_dir: str | Path, *, actor: str = "casebook demo") -> str | None:
    """Seal one case folder's evidence (manifest.json + a custody event); return the Merkle root.

    Uses :func:`casebook.sealing.seal_case` where it exists; otherwise the two library calls it
    stands for. A case already sealed is left as it is (sealing twice would hide tampering).
    """
    case_dir = Path(case_dir).resolve()
    try:
        from casebook.sealing import seal_case
    except ImportError:
        seal_case = None
    if seal_case is not None:
        manifest = getattr(seal_case(case_dir), "manifest", None)
        return getattr(manifest, "merkle_root", None)
    from casebook.case import load_case
    from evidence.custody import CustodyLog
    from evidence.manifest import build_manifest, load_manifest, write_manifest

    case = load_case(case_dir)
    if case.manifest_path.is_file():
        return load_manifest(case.manifest_path).merkle_root
    include = [name for name in ("evidence", "labels") if (case_dir / name).is_dir()]
    manifest = build_manifest(case_dir, case_id=case.case_id, include=include)
    write_manifest(manifest, case.manifest_path)
    CustodyLog(case.custody_path).append(actor, "hashed", [{"manifest": "manifest.json",
                                                            "merkle_root": manifest.merkle_root}])
    return manifest.merkle_root


def run_hotspot_brief(casebook_dir: Path, out_dir: Path) -> Path | None:
    """Render ``templates/hotspot_brief.ipynb`` (written by the geo side) to ``OUT/hotspot_brief.html``."""
    from casebook.dossier import REPO_TEMPLATES
    from casebook.export import notebook_to_html
    from casebook.notebook_run import run_notebook, template_parameters

    template = REPO_TEMPLATES / "hotspot_brief.ipynb"
    if not template.is_file():
        print("hotspot brief: templates/hotspot_brief.ipynb is not available yet; skipped.", file=sys.stderr)
        return None
    known = template_parameters(template)
    offered = {"cases": casebook_dir / "cases.csv", "cases_path": casebook_dir / "cases.csv",
               "baseline": casebook_dir / "baseline.csv", "baseline_path": casebook_dir / "baseline.csv",
               "casebook_dir": casebook_dir, "out_dir": out_dir, "output_dir": out_dir,
               "map_html": out_dir / "hotspot_map.html", "summary_json": out_dir / "hotspot_summary.json"}
    params = {k: v for k, v in offered.items() if k in known}
    run = run_notebook(template, out_dir / "hotspot_brief.ipynb", params)
    if not run.ok:
        print(f"hotspot brief failed at cell {run.failure.cell}: {run.failure.ename}: {run.failure.evalue}",
              file=sys.stderr)
    if (out_dir / "hotspot_brief.ipynb").is_file():
        return notebook_to_html(out_dir / "hotspot_brief.ipynb", out_dir / "hotspot_brief.html",
                                title="热点简报 / Hotspot brief")
    return None


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
        print(f"dossiers: {data['ok']} rendered, {data['skipped']} unchanged, {data['failed']} failed",
              file=sys.stderr)
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
