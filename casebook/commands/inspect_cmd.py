"""``casebook inspect draw|results``: 双随机 draws that anyone can re-run, and the 抽查结果公示 table."""

from __future__ import annotations

from pathlib import Path

import click

from safeio.limits import terminal_json, terminal_text


@click.group(name="inspect")
def inspect() -> None:
    """双随机、一公开: draw businesses and inspectors at random; publish every result."""


@inspect.command("draw")
@click.argument("subjects", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--inspectors", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True,
              help="The inspectors: 执法证号, 姓名, 所在乡镇, 回避对象 (declared conflicts: credit codes or names).")
@click.option("--share", type=float, required=True, help="Share of businesses to draw (0.05 = 5 %).")
@click.option("--seed", type=click.IntRange(min=0), required=True, help="The random seed (recorded; same seed, same draw).")
@click.option("--risk", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A hot-spot summary (casebook geo hotspots --summary): businesses in hot areas get a higher chance.")
@click.option("--team", type=click.IntRange(min=2), default=2, show_default=True, help="Inspectors per business.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Write draw.csv and draw_record.json here.")
@click.option("--json", "as_json", is_flag=True, help="Print each drawn business with its inspectors, and the record.")
def draw_cmd(subjects, inspectors, share, seed, risk, team, out, as_json) -> int:
    """Draw businesses from SUBJECTS (CSV or Excel) and pair each with inspectors, avoiding conflicts and own townships."""
    from casebook.inspection.draw_inputs import read_inspectors, read_risk, read_subjects
    from casebook.inspection.inspection_results import write_draw
    from casebook.inspection.random_draw import draw_inspections

    summary, risk_sha = read_risk(risk)
    result = draw_inspections(read_subjects(subjects), read_inspectors(inspectors), share=share, seed=seed,
                              team=team, risk=summary, risk_sha256=risk_sha)
    written = write_draw(result, out) if out is not None else []
    if as_json:
        click.echo(terminal_json(result.to_dict(), indent=1))
    else:
        rec = result.record
        click.echo(f"drew {rec['drawn']} of {rec['population']} businesses (share {rec['share']}, seed {rec['seed']}, "
                   f"method {rec['method']} v{rec['method_version']}); {rec['inspectors']} inspectors, {team} each.")
        for row in result.frame.head(20).itertuples(index=False):
            click.echo(f"  {row.order:>5} {terminal_text(row.id)} {terminal_text(row.name)}: "
                       f"{terminal_text('、'.join(row.inspector_names))}")
        for path in written:
            click.echo(f"Wrote {path}")
    return 0


@inspect.command("results")
@click.argument("draw_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("results", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write publication.html and publication.csv here (default: DRAW_DIR).")
@click.option("--organ", default="", help="The inspecting bureau (抽查机关) shown in the table.")
@click.option("--task", default="", help="The task's name (抽查任务) shown in the table.")
@click.option("--json", "as_json", is_flag=True)
def results_cmd(draw_dir, results, out, organ, task, as_json) -> int:
    """Join RESULTS to the draw in DRAW_DIR and write the 抽查结果公示 table.

    Exit 1 when a drawn business has no result yet (一公开 means every one) or a result names a
    business that was not drawn.
    """
    from casebook.inspection.inspection_results import (
        load_draw,
        publish_results,
        read_results,
        write_publication,
    )

    drawn, record = load_draw(draw_dir)
    publication = publish_results(drawn, read_results(results))
    written = write_publication(publication, record, out or draw_dir, organ=organ, task=task)
    if as_json:
        click.echo(terminal_json({"published_share": publication.published_share, "missing": publication.missing,
                                  "not_drawn": publication.not_drawn, "files": [str(p) for p in written]}, indent=1))
    else:
        click.echo(f"{len(publication.table)} drawn, {len(publication.table) - len(publication.missing)} with a result "
                   f"({publication.published_share:.0%} published).")
        for item in publication.missing[:20]:
            click.echo(f"  no result: {item['order']} {terminal_text(item['id'])} {terminal_text(item['name'])}", err=True)
        for item in publication.not_drawn[:20]:
            click.echo(f"  not in the draw: row {item['row']} {terminal_text(item['id'])} {terminal_text(item['name'])}",
                       err=True)
        for path in written:
            click.echo(f"Wrote {path}")
    return 1 if publication.missing or publication.not_drawn else 0
