"""``casebook leads import|show``: 12315 complaints and reports as leads, by county, beside the cases."""

from __future__ import annotations

from pathlib import Path

import click

from safeio.limits import terminal_json, terminal_text


@click.group(name="leads")
def leads() -> None:
    """12315 complaints and reports (投诉举报): import exports, count them by county, tie them to cases."""


@leads.command("import")
@click.argument("exports", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for leads.parquet and leads_report.json.")
@click.option("--within", default="", help="Adcode prefix of your region (41 Henan, 4116 周口): breaks ties "
              "between counties of one name (朝阳区).")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
def import_cmd(exports, out, within, as_json) -> int:
    """Read EXPORTS (CSV or Excel files, or folders of them; a casebook: its complaints/) and place each lead.

    Exit 1 when a file could not be read or a row's time could not be read (the others are imported),
    2 when nothing could be read.
    """
    from casebook.leads.lead_store import import_leads, save_leads

    result = import_leads(exports, within=within)
    report = result.report()
    if not result.files:
        for problem in result.problems:
            click.echo(f"casebook: {terminal_text(problem.get('path') or '')}: "
                       f"{terminal_text(problem['message'])}", err=True)
        return 2
    written = save_leads(result, out)
    if as_json:
        click.echo(terminal_json(report, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{report['leads']} leads from {len(report['files'])} file(s): {report['placed']} placed on a county, "
                   f"{report['unplaced']} unplaced {report['unplaced_by_reason']}, {report['with_point']} with a point.")
        for problem in report["problems"][:20]:
            what = problem.get("message") or problem.get("reason")
            click.echo(f"  {terminal_text(str(problem.get('path', '')))} row {problem.get('row', '-')}: "
                       f"{terminal_text(str(what))}", err=True)
        click.echo(f"Leads: {written[0]}")
    return 1 if report["problems"] else 0


@leads.command("show")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--casebook", "casebook_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="The casebook: cases per county (its cases.csv) and the case parties the leads are matched to.")
@click.option("--businesses", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Businesses per county (county,businesses): leads per 10,000 businesses.")
@click.option("--links", "links_json", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="links.json of 'casebook link': the chains the matched cases belong to.")
@click.option("--within", default="", help="Adcode prefix of your region (see 'leads import').")
@click.option("--map", "map_html", type=click.Path(dir_okay=False, path_type=Path),
              help="Write an offline map of the leads by county.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the summary (and the linked leads) as JSON.")
def show_cmd(source, casebook_dir, businesses, links_json, within, map_html, lang, as_json) -> int:
    """Leads per county from SOURCE (leads.parquet, its folder, an export, or a casebook with complaints/)."""
    from casebook.leads.lead_store import load_businesses, load_leads
    from casebook.leads.lead_words import lead_county_table, word
    from geo.leads import summarise_complaints

    frame = load_leads(source, within=within)
    if businesses is None and casebook_dir is not None and (casebook_dir / "complaints" / "businesses.csv").is_file():
        businesses = casebook_dir / "complaints" / "businesses.csv"
    cases = _case_counts(casebook_dir) if casebook_dir is not None else None
    problems = []
    if casebook_dir is not None:  # a case id on two rows of cases.csv: its cases are counted and matched as one
        from casebook.case import casebook_cases

        problems = casebook_cases(casebook_dir).duplicate_problems()
    summary = summarise_complaints(frame, cases=cases, businesses=load_businesses(businesses, within=within))
    linked = None
    if casebook_dir is not None:
        from casebook.leads.lead_links import link_leads

        linked = link_leads(frame, casebook_dir, links_json=links_json)
    if map_html is not None:
        _write_map(summary, map_html, lang)
    if as_json:
        data = summary.to_dict()
        if linked is not None:
            data["linked"] = linked.to_dict("records")
        data["problems"] = problems
        click.echo(terminal_json(data, ensure_ascii=False, indent=2, default=str))
        return 1 if problems else 0
    click.echo(f"{summary.total} leads, {summary.placed} placed, {summary.unplaced} unplaced; Gi* on "
               f"{word(summary.variable + '_var', lang)}.")
    for line in lead_county_table(summary, lang).to_string(index=False).splitlines():
        click.echo(terminal_text(line))
    for code in summary.to_dict()["many_no_case"]:
        row = summary.counties.set_index("adcode").loc[code]
        click.echo(f"  {word('many_no_case', lang)}: {terminal_text(str(row['name']))} ({row['leads']})")
    if linked is not None:
        click.echo(f"{len(linked)} lead(s) meet a case:")
        for item in linked.head(30).itertuples():
            click.echo(f"  {terminal_text(item.reg_no)} {terminal_text(item.business)} -> "
                       f"{', '.join(item.case_ids)} {' '.join(item.chains)} ({terminal_text(', '.join(item.via))})")
    if map_html is not None:
        click.echo(f"Map: {map_html}")
    for problem in problems:
        click.echo(terminal_text(f"  problem: {problem['path']}: {problem['message']}"), err=True)
    return 1 if problems else 0


def _case_counts(casebook_dir: Path):
    """Cases per county of the casebook's cases.csv, placed the way leads are (county column, else party address)."""
    import pandas as pd

    from geo.leads.complaint_places import place_addresses

    table = casebook_dir / "cases.csv"
    if not table.is_file():
        return None
    cases = pd.read_csv(table, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if "case_id" in cases:  # a case id on two rows is one case (reported by casebook_cases)
        cases = cases.loc[~cases["case_id"].str.strip().duplicated() | cases["case_id"].str.strip().eq("")]
    written = cases.get("county", pd.Series("", index=cases.index)).astype(str)
    codes = place_addresses(list(written))["adcode"]
    counts = codes[codes != ""].value_counts()
    return pd.DataFrame({"adcode": counts.index.astype(str), "cases": counts.to_numpy()})


def _write_map(summary, path: Path, lang: str) -> None:
    import folium

    from casebook.leads.lead_words import layer_words
    from geo.hotspot_maps import write_offline_html
    from geo.leads.complaint_layer import add_complaint_layer

    m = folium.Map(location=[34.0, 114.6], zoom_start=8, tiles=None)
    layer = add_complaint_layer(m, summary, layer_words(lang))
    if layer is not None:
        m.fit_bounds(layer.get_bounds())
    folium.LayerControl(collapsed=False).add_to(m)
    write_offline_html(m, path)
