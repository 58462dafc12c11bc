"""``python -m casebook.demo SAMPLE_DIR --out OUT``: the main job on a casebook, end to end.

seal the evidence of every case -> hotspot brief -> link the cases (chart and 协查函 drafts in
``OUT/chains/``) -> batch dossiers with PDFs -> print the path of ``OUT/index.html``, which links
to all of it. ``make demo`` runs this after ``casebook sample``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from safeio.errors import CasebookError

__all__ = ["main", "run_chains", "run_hotspot_brief", "seal"]

CHAINS = "chains"  # OUT/chains/: links.html, links.json, letters/


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


def run_chains(casebook_dir: Path, out_dir: Path, *, pdf: bool = True) -> tuple[int, Path]:
    """Link the casebook (label photos read once, into the reading cache the dossiers then use).

    Returns the number of chains and the path of ``OUT/chains/links.html``.
    """
    from casebook.chains.link_outputs import write_link_outputs
    from casebook.chains.linkage import link_casebook

    linkage = link_casebook(casebook_dir)
    written = write_link_outputs(linkage, out_dir / CHAINS, pdf=pdf)
    return len(linkage.result.chains), written[0]


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
        out = args.out.resolve()
        out.mkdir(parents=True, exist_ok=True)
        brief = run_hotspot_brief(book, out)
        if brief:
            print(f"hotspot brief: {brief}", file=sys.stderr)
        n_chains, chart = run_chains(book, out, pdf=not args.no_pdf)
        print(f"linked cases: {n_chains} chain(s): {chart}", file=sys.stderr)
        report = run_batch(book, out, workers=args.workers, pdf=not args.no_pdf)
        data = report.to_dict()
        print(f"dossiers: {data['ok']} rendered, {data['skipped']} unchanged, {data['degraded']} degraded, "
              f"{data['failed']} failed", file=sys.stderr)
    except CasebookError as err:
        print(f"casebook demo: {err}", file=sys.stderr)
        return err.exit_code
    print((args.out / "index.html").resolve())
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
