"""``casebook notice CASE_DIR``: the public notice of a penalty decision, personal data removed and checked."""

from __future__ import annotations

from pathlib import Path

import click

from safeio.limits import terminal_text


@click.command(name="notice")
@click.argument("case_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for notice.html, notice.pdf and notice.json (default: notices/<case id>).")
@click.option("--no-pdf", is_flag=True, help="Write and check the HTML only (no Chromium needed).")
def notice(case_dir, out, no_pdf) -> int:
    """Write the 行政处罚信息公示 and the 典型案例 text of CASE_DIR's penalty decision.

    Exit 1 when the decision is not to be published (a warning alone, the simple procedure) or when
    the notice still holds personal data after scrubbing (then nothing is written); 2 when the
    case has no decision.
    """
    from casebook.case import load_case
    from casebook.notices.notice_writer import write_notice
    from casebook.notices.public_notice import build_notice

    case = load_case(case_dir)
    built = build_notice(case)
    if not built.publishable:
        why = {"warning_only": "a warning alone is not published (第二条)",
               "simple_procedure": "decisions under the simple procedure are not published (第二条)"}[built.reason]
        click.echo(f"casebook: {terminal_text(case.case_id)}: nothing to publish: {why}.", err=True)
        return 1
    written = write_notice(built, out or Path("notices") / case.case_id, pdf=not no_pdf)
    if built.removed:
        click.echo(f"removed: {', '.join(built.removed)}")
    for path in written:
        click.echo(f"Wrote {path}")
    return 0
