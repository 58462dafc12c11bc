"""``casebook lab CASE_DIR``: open JupyterLab on a copy of the case walkthrough set to that case."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

from safeio.limits import terminal_json, terminal_text


@click.command()
@click.argument("case_dir", type=click.Path(path_type=Path))
@click.option("--no-browser", is_flag=True, help="Start JupyterLab without opening a browser (print its address).")
@click.option("--fresh", is_flag=True, help="Make a new copy of the walkthrough even if the case has one.")
@click.option("--dry-run", is_flag=True, help="Write the notebook and print the command, without starting JupyterLab.")
@click.option("--json", "as_json", is_flag=True, help="With --dry-run: print the plan as JSON.")
def lab(case_dir: Path, no_browser: bool, fresh: bool, dry_run: bool, as_json: bool) -> int:
    """Open the investigator's notebook for CASE_DIR in JupyterLab (kept in CASE_DIR/lab/)."""
    from casebook.intake.lab_launch import launch_plan

    plan = launch_plan(case_dir, fresh=fresh, browser=not no_browser)
    if as_json:
        click.echo(terminal_json(plan.to_dict(), indent=1))
    else:
        state = "written" if plan.created else "kept (your earlier copy; --fresh for a new one)"
        click.echo(f"notebook: {terminal_text(str(plan.notebook))} ({state})")
        click.echo("command: " + " ".join(terminal_text(part) for part in plan.command))
    if dry_run:
        return 0
    return subprocess.call(plan.command)
