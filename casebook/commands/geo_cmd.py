"""``casebook geo ...``: hotspot analysis and maps of cases."""

from __future__ import annotations

import json
from pathlib import Path

import click

from safeio.atomic import write_text_atomic
from safeio.limits import terminal_json, terminal_text


def _echo(line: str, err: bool = False) -> None:
    """Case ids, county names and rejected values come from the table: shown, never obeyed by the terminal."""
    click.echo(terminal_text(line), err=err)


@click.group(name="geo")
def geo() -> None:
    """Hotspot maps of cases: where they cluster beyond what inspection effort explains."""


@geo.command("hotspots")
@click.argument("cases", type=click.Path(path_type=Path))
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Inspection effort per place (lon, lat, inspections): analyse cases per inspection.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the map as one offline HTML page (no CDN, no network).")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), help="Write the summary JSON here.")
@click.option("--coord-sys", type=click.Choice(["wgs84", "gcj02", "bd09", "cgcs2000"]),
              help="Coordinate system of the whole file (a coord_sys column wins row by row).")
@click.option("--resolution", type=click.IntRange(4, 11), help="H3 resolution (default: chosen from the data).")
@click.option("--distance", "distance_m", type=click.FloatRange(min=1), help="Gi* distance band in metres (default: ISA).")
@click.option("--basemap", type=click.Choice(["none", "osm", "gaode", "tianditu"]), default="none", show_default=True,
              help="Background tiles; 'none' works offline.")
@click.option("--tianditu-key", envvar="TIANDITU_KEY", help="Key for the Tianditu basemap (or TIANDITU_KEY).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Map legend language.")
@click.option("--no-trend", is_flag=True, help="Skip the emerging-hot-spot trend.")
@click.option("--scheduler", help="Aggregate the cases on Dask: 'local' (a LocalCluster) or a scheduler address. "
              "CASES is then a Parquet/CSV file or a folder of parts that every worker can read.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary JSON instead of the short report.")
def hotspots_cmd(cases, baseline, out, summary, coord_sys, resolution, distance_m, basemap, tianditu_key, lang,
             no_trend, scheduler, as_json) -> int:
    """Getis-Ord Gi* hot spots of the cases in CASES (CSV, Parquet, Excel, GeoJSON, GeoPackage, or a folder of parts).

    Exit 1 when some rows were rejected (they are listed in the summary), 2 when nothing is usable.
    """
    import geo
    from geo.hotspot_maps import write_offline_html
    from safeio.path_parts import writable_folder

    for target in (out, summary):
        if target is not None:
            writable_folder(target.parent if str(target.parent) else Path("."))

    result = geo.find_hotspots(cases, baseline, resolution, distance_m=distance_m, coord_sys=coord_sys,
                               trend=not no_trend, scheduler=scheduler)
    data = result.summary
    if summary is not None:
        write_text_atomic(summary, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    if out is not None:
        from casebook.hotspot_display import hotspot_map

        write_offline_html(hotspot_map(result, basemap=basemap, tianditu_key=tianditu_key, lang=lang), out)
    rejected = len(data["rejected_rows"]) + len(data.get("baseline_rejected_rows", []))
    if as_json:
        click.echo(terminal_json(data, indent=2))
    else:
        _echo(f"{data['cases']} cases analysed ({data['analysis']}), {rejected} row(s) rejected; "
                   f"H3 resolution {data['cell_resolution']}, distance band {data['distance_band_m']:.0f} m.")
        _echo(f"Hot cells: {data['hot_cells']}, cold cells: {data['cold_cells']}, "
                   f"point clusters: {len(data['clusters'])}.")
        for spot in data["hotspots"][:10]:
            _echo(f"  {spot['type']:4} {spot['confidence']}%  {spot['cell']}  ({spot['lon']:.5f}, {spot['lat']:.5f})  "
                       f"cases {spot['cases']}  z {spot['z']:+.2f}  {spot['setting']}  {spot['trend']}")
        for row in data.get("counties", [])[:20]:
            rate = f"{row['rate']:.3f}" if row.get("rate") is not None else "-"
            _echo(f"  {row['adcode']} {row['name']}: cases {row['cases']}, rate {rate}, "
                       f"hot {row['hot_cells']}, cold {row['cold_cells']}")
        for flag in data.get("county_warnings", [])[:20]:
            _echo(f"  case {flag['case_id']} names {flag['county_named']} but lies in "
                       f"{flag['county_found'] or 'no county in view'}: likely {flag['cause']}", err=True)
        for row in data["rejected_rows"][:20]:
            _echo(f"  rejected row {row['row']}: {row['reason']}", err=True)
        for warning in data["warnings"]:
            _echo(f"  note: {warning}", err=True)
        if out is not None:
            _echo(f"Map: {out}")
        if summary is not None:
            _echo(f"Summary: {summary}")
    return 1 if rejected else 0
