"""Filters and display tables for notebooks and briefs: one call per step, plain DataFrames out."""

from __future__ import annotations

import pandas as pd

from geo.cases import CaseTable, load_cases
from safeio.errors import InputError

__all__ = ["categories", "category_options", "cluster_table", "county_table", "county_warning_table", "duplicate_id_table",
           "filter_cases", "hot_area_table", "hotspot_table", "key_figure_table", "month_end", "months", "period_table",
           "save_outputs", "trend_table"]

TREND_ORDER = ["new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic", "oscillating",
               "historical", "no pattern", "insufficient period", "not tested", "not computed"]


def filter_cases(cases, *, categories=None, start=None, end=None, county=None, coord_sys=None) -> CaseTable:
    """The cases of some categories, a period (inclusive ISO dates) and/or a county.

    Rows dropped by the filter are not "rejected": the rejected list of the source stays as it was.
    """
    table = load_cases(cases, coord_sys=coord_sys) if not isinstance(cases, CaseTable) else cases
    df = table.cases
    keep = pd.Series(True, index=df.index)
    if categories:
        wanted = [categories] if isinstance(categories, str) else list(categories)
        if "category" not in df:
            raise InputError("the case table has no 'category' column to filter on.", path=table.source,
                             field="category", hint="Add a category column or leave the filter empty.")
        keep &= df["category"].astype(str).isin([str(c) for c in wanted])
    if county:
        if "county" not in df:
            raise InputError("the case table has no 'county' column to filter on.", path=table.source,
                             field="county", hint="Add a county column or leave the filter empty.")
        keep &= df["county"].astype(str) == str(county)
    if start is not None or end is not None:
        if "opened" not in df:
            raise InputError("the case table has no date column ('opened') to filter on.", path=table.source,
                             field="opened", hint="Add the opening date of each case (YYYY-MM-DD).")
        opened = pd.to_datetime(df["opened"], errors="coerce")
        if start is not None:
            keep &= opened >= pd.Timestamp(start)
        if end is not None:
            keep &= opened <= pd.Timestamp(end)
    sub = df.loc[keep].reset_index(drop=True)
    return CaseTable(cases=sub, rejected=table.rejected, warnings=list(table.warnings), source=table.source)


def categories(cases) -> list[str]:
    """The distinct case categories, sorted (for filter widgets)."""
    df = cases.cases if isinstance(cases, CaseTable) else cases
    return sorted(df["category"].dropna().astype(str).unique().tolist()) if "category" in df else []


def category_options(cases, labels=None, everything: str = "(all)") -> list[tuple[str, str]]:
    """(shown name, code) pairs for a category picker, ``everything`` first (an empty code)."""
    from geo.map_labels import CODES

    labels = labels or CODES
    return [(everything, ""), *[(labels.category(c), c) for c in categories(cases)]]


def months(cases) -> list[str]:
    """The months (YYYY-MM) the cases span, in order (for period sliders)."""
    df = cases.cases if isinstance(cases, CaseTable) else cases
    if "opened" not in df:
        return []
    opened = pd.to_datetime(df["opened"], errors="coerce").dropna()
    if opened.empty:
        return []
    return [p.strftime("%Y-%m") for p in pd.period_range(opened.min(), opened.max(), freq="M")]


def key_figure_table(result) -> pd.DataFrame:
    """The brief's headline numbers as a two-column table."""
    s = result.summary
    rows = [
        ("cases analysed", s["cases"]),
        ("rows rejected", len(s["rejected_rows"])),
        ("analysis", s["analysis"]),
        ("period", f"{s['period']['start']} – {s['period']['end']}" if s.get("period") else "—"),
        ("H3 resolution", s["cell_resolution"]),
        ("distance band (m)", s["distance_band_m"]),
        ("hot cells", s["hot_cells"]),
        ("cold cells", s["cold_cells"]),
        ("point clusters", len(s["clusters"])),
        ("cases by setting", ", ".join(f"{k} {v}" for k, v in s["settings"].items())),
        ("county warnings", s.get("county_warnings_total", 0)),
    ]
    return pd.DataFrame(rows, columns=["item", "value"]).astype({"value": str})


def hotspot_table(result, top: int = 10) -> pd.DataFrame:
    """The strongest significant cells (hot first), without geometry."""
    cols = ["cell", "lon", "lat", "cases", "z", "p", "confidence", "type", "setting", "trend"]
    sig = result.significant()
    sig = sig.assign(hot=sig["type"] == "hot").sort_values(["hot", "z"], ascending=[False, False], key=None)
    return pd.DataFrame(sig[cols].head(top)).reset_index(drop=True).round({"z": 2, "lon": 5, "lat": 5})


def cluster_table(result, top: int = 10) -> pd.DataFrame:
    """The largest point clusters with their setting, main categories and date span."""
    cols = ["cluster", "cases", "places", "setting", "main_categories", "first_opened", "last_opened", "lon", "lat"]
    frame = pd.DataFrame(result.clusters.drop(columns="geometry"))
    if frame.empty:
        return pd.DataFrame(columns=cols)
    frame["main_categories"] = frame["main_categories"].map(lambda v: "、".join(map(str, v)))
    return frame[cols].head(top).reset_index(drop=True)


def trend_table(result) -> pd.DataFrame:
    """Significant cells counted by trend category and type (hot/cold)."""
    sig = pd.DataFrame(result.significant().drop(columns="geometry"))
    if sig.empty:
        return pd.DataFrame(columns=["trend", "hot", "cold"])
    table = sig.groupby(["trend", "type"]).size().unstack(fill_value=0)
    for col in ("hot", "cold"):
        if col not in table:
            table[col] = 0
    order = [t for t in TREND_ORDER if t in table.index] + [t for t in table.index if t not in TREND_ORDER]
    return table.loc[order, ["hot", "cold"]].reset_index()


def period_table(result, freq: str = "M") -> pd.DataFrame:
    """Cases per month (or quarter, ``freq="Q"``) and setting, over every case: the trend at a glance."""
    months = result.summary.get("cases_by_month") or {}
    if not months:
        return pd.DataFrame(columns=["period"])
    frame = pd.DataFrame.from_dict(months, orient="index").fillna(0).astype(int)
    frame = frame[[c for c in ("urban", "peri-urban", "rural") if c in frame]]
    if freq != "M":
        frame.index = pd.PeriodIndex(frame.index, freq="M").asfreq(freq).astype(str)
        frame = frame.groupby(level=0).sum()
    return frame.rename_axis("period").reset_index()


def hot_area_table(result) -> pd.DataFrame:
    """Hot areas (hot cells joined within the distance band): county, setting, cases, per year, trend."""
    cols = ["county", "setting", "cells", "cases", "confidence", "cases_by_year", "trend", "lon", "lat"]
    areas = result.summary.get("hot_areas") or []
    if not areas:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(areas)
    frame["cases_by_year"] = frame["cases_by_year"].map(lambda d: " / ".join(f"{k}: {v}" for k, v in d.items()))
    return frame[cols]


def county_table(result) -> pd.DataFrame:
    """Per county (县区): adcode, name, cases, inspections, rate, hot and cold cells, top categories."""
    from geo.summary import COUNTY_COLUMNS

    frame = pd.DataFrame(result.counties)
    return frame[COUNTY_COLUMNS] if len(frame) else pd.DataFrame(columns=COUNTY_COLUMNS)


def county_warning_table(result) -> pd.DataFrame:
    """Cases outside the county they name: case id, county named, county found, how far outside, likely cause."""
    cols = ["case_id", "county_named", "county_found", "outside_m", "cause", "coord_sys", "lon", "lat"]
    rows = result.summary.get("county_warnings") or []
    return pd.DataFrame(rows, columns=cols)


def duplicate_id_table(result) -> pd.DataFrame:
    """Case ids that more than one row of the register carries, with those rows (each row counts as a case)."""
    rows = result.summary.get("duplicate_case_ids") or []
    return pd.DataFrame([(d["case_id"], ", ".join(map(str, d["rows"]))) for d in rows], columns=["case_id", "rows"])


def month_end(month: str) -> str:
    """Last day (YYYY-MM-DD) of a month given as YYYY-MM (for inclusive period filters)."""
    return (pd.Period(month, freq="M").end_time.date()).isoformat()


def save_outputs(result, *, map_html=None, summary_json=None, basemap: str = "none", labels=None,
                 folium_map=None) -> pd.DataFrame:
    """Write the offline map page and/or the summary JSON (atomically); a table of what was written.

    ``folium_map`` is the map to save (the one a brief shows, with its extra layers); without it the
    hot-spot map of ``result`` is drawn.
    """
    from geo.hotspot_maps import hotspot_map, write_offline_html
    from geo.hotspots import write_hotspot_summary

    written = []
    if map_html:
        if folium_map is None:
            folium_map = hotspot_map(result, basemap=basemap, **({"labels": labels} if labels else {}))
        written.append(("map", str(write_offline_html(folium_map, map_html))))
    if summary_json:
        written.append(("summary", write_hotspot_summary(result, summary_json)))
    return pd.DataFrame(written, columns=["output", "path"])
