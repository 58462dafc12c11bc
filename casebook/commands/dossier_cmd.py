"""``casebook dossier ...``: render case dossiers from the papermill templates."""

from __future__ import annotations

from pathlib import Path

import click

from safeio.limits import terminal_text


def _input_options(fn):
    """One option per field of DossierInputs that names one (``option=``), with its help and choices."""
    from dataclasses import MISSING, fields

    from casebook.dossier_inputs import DossierInputs

    for f in reversed(fields(DossierInputs)):
        meta = f.metadata
        if not meta["option"]:
            continue
        kind = (click.Choice(meta["choices"]) if meta["choices"] else
                click.Path(dir_okay=False, exists=True) if meta["path"] else
                click.IntRange(meta["minimum"]) if meta["minimum"] is not None else None)
        default = None if meta["path"] or f.default is MISSING else f.default
        fn = click.option(meta["option"], f.name, type=kind, default=default, show_default=default is not None,
                          help=meta["help"])(fn)
    return fn


def _inputs(values: dict):
    """The command's DossierInputs: built here, once, from the options that name its fields."""
    from dataclasses import fields

    from casebook.dossier_inputs import DossierInputs

    named = {f.name for f in fields(DossierInputs) if f.metadata["option"]}
    return DossierInputs(**{k: str(v) if isinstance(v, Path) else v for k, v in values.items()
                            if k in named and v is not None})


def _common(fn):
    fn = _input_options(fn)
    fn = click.option("--pdf", is_flag=True, help="Also print dossier.pdf (A4) with headless Chromium.")(fn)
    return fn


@click.group()
def dossier() -> None:
    """Render standardized case dossiers (executed notebook, HTML, PDF)."""


@dossier.command()
@click.argument("case_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Output folder; the dossier goes to OUT/<case_id>/.")
@_common
def run(case_dir, out_dir, pdf, **inputs) -> int:
    """Render the dossier of one case folder."""
    from casebook.dossier import render_dossier
    from safeio.path_parts import writable_folder

    writable_folder(out_dir)

    result = render_dossier(_inputs(inputs).with_case(case_dir), out_dir, pdf=pdf)
    folder = Path(result.out_dir)
    if result.status == "failed":
        click.echo(f"{result.case_id}: FAILED: {(result.error or {}).get('message')}", err=True)
    elif result.status == "degraded":
        missing = [name for name, state in result.summary.get("sections", {}).items() if state != "ok"]
        if missing or not result.summary.get("problems"):
            click.echo(f"{result.case_id}: DEGRADED: sections not built: {', '.join(missing) or '?'}", err=True)
        for problem in result.summary.get("problems") or []:
            click.echo(terminal_text(f"{result.case_id}: DOES NOT VERIFY: {problem}"), err=True)
    for name in result.outputs.values():
        click.echo(folder / name)
    return 1 if result.status in ("failed", "degraded") else 0


@dossier.command()
@click.argument("casebook_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="Output folder: OUT/<case_id>/, OUT/index.html, OUT/batch-report.json.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Cases rendered at once.")
@click.option("--scheduler", default=None, metavar="ADDRESS|local",
              help="Run on a Dask cluster (tcp://host:8786), or 'local' to start a LocalCluster.")
@click.option("--no-resume", is_flag=True, help="Render every case again, even unchanged ones.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@_common
def batch(casebook_dir, out_dir, workers, scheduler, no_resume, quiet, pdf, **inputs) -> int:
    """Render dossiers for every case of a casebook; exit 1 if any case failed or cases.csv gives a case id twice."""
    from casebook.batch import run_batch
    from safeio.path_parts import writable_folder

    writable_folder(out_dir)

    report = run_batch(casebook_dir, out_dir, _inputs(inputs),
                       workers=workers, scheduler=scheduler, pdf=pdf, resume=not no_resume, progress=not quiet)
    data = report.to_dict()
    click.echo(f"{data['cases']} cases: {data['ok']} rendered, {data['skipped']} unchanged, "
               f"{data['degraded']} degraded, {data['failed']} failed ({data['seconds']:.1f} s)")
    for failure in data["failures"]:
        message = (failure["error"] or {}).get("message") or "a section could not be built"
        click.echo(terminal_text(f"  {failure['status'].upper()} {failure['case_id']}: {message}"), err=True)
    for problem in data["problems"]:  # e.g. a case id on two rows of cases.csv
        click.echo(terminal_text(f"  PROBLEM {problem.get('path') or ''}: {problem['message']}"), err=True)
    click.echo(Path(report.out) / "index.html")
    return 1 if report.failed or report.problems else 0
