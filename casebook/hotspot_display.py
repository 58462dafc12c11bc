"""The hot-spot brief and explorer for people: tables, maps and pictures in Chinese (or English).

:mod:`geo.brief_tables` returns data with codes and geo draws with the labels it is handed; this
module is the edge that shows them in a language (words: :mod:`casebook.words.map_words`), one
call per table or map, so a notebook cell stays one line.  Tables are pandas ``Styler`` objects with
the index hidden: they render as HTML tables in Jupyter, in papermill outputs and in nbconvert exports.
"""

from __future__ import annotations

import pandas as pd

from casebook.words.map_words import brief, category, column, label, map_labels, word
from geo import brief_tables as tables

__all__ = ["Exploration", "brief_map", "category_options", "context_png", "explore", "hotspot_map", "overview_png",
           "save_outputs", "show", "show_clusters", "show_counties", "show_county_warnings", "show_duplicate_ids", "show_hot_areas",
           "show_hotspots", "show_key_figures", "show_periods", "show_rejected", "show_trends"]

_WORD_COLUMNS = ("type", "setting", "trend", "cause")
_CATEGORY_COLUMNS = ("category",)
_CATEGORY_LISTS = ("main_categories", "top_categories")


def _category_list(value, lang: str) -> str:
    items = value if isinstance(value, list | tuple) else str(value).split("、")
    return ("、" if lang == "zh" else ", ").join(category(c, lang) for c in items if c)


def show(frame: pd.DataFrame, lang: str = "zh"):
    """A display table: codes translated, headers in ``lang``, no index column.

    Parameters
    ----------
    frame : DataFrame
        A table of codes from :mod:`geo.brief_tables` or a result.
    lang : str
        "zh" (default) or "en".

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    out = frame.copy()
    for col in out.columns:
        if col in _WORD_COLUMNS:
            out[col] = out[col].map(lambda v: word(v, lang) if pd.notna(v) else "")
        elif col in _CATEGORY_COLUMNS:
            out[col] = out[col].map(lambda v: category(v, lang) if pd.notna(v) else "")
        elif col in _CATEGORY_LISTS:
            out[col] = out[col].map(lambda v: _category_list(v, lang))
    out.columns = [column(c, lang) for c in out.columns]
    # escape="html": case data (titles, ids, rejected text) is untrusted; Styler does not escape by default
    return out.style.hide(axis="index").format(precision=3, na_rep="—", escape="html")


def show_key_figures(result, lang: str = "zh"):
    """The headline numbers of the analysis."""
    frame = tables.key_figure_table(result)
    by_setting = frame["item"] == "cases by setting"
    sep = "、" if lang == "zh" else ", "
    frame.loc[by_setting, "value"] = sep.join(f"{word(k, lang)} {v}" for k, v in result.summary["settings"].items())
    frame["item"] = frame["item"].map(lambda v: label(v, lang))
    frame["value"] = frame["value"].map(lambda v: label(v, lang))
    return show(frame, lang)


def show_hot_areas(result, lang: str = "zh"):
    """The hot areas (joined hot cells) with county, setting, cases per year and trend."""
    return show(tables.hot_area_table(result), lang)


def show_hotspots(result, lang: str = "zh", top: int = 10):
    """The strongest significant cells."""
    return show(tables.hotspot_table(result, top), lang)


def show_clusters(result, lang: str = "zh", top: int = 10):
    """The largest point clusters."""
    return show(tables.cluster_table(result, top), lang)


def show_counties(result, lang: str = "zh"):
    """The county table (县区): cases, inspections, rate, hot and cold cells, top categories."""
    return show(tables.county_table(result), lang)


def show_county_warnings(result, lang: str = "zh"):
    """Cases whose coordinates lie outside the county they name, with the likely cause."""
    return show(tables.county_warning_table(result), lang)


def show_duplicate_ids(result, lang: str = "zh"):
    """Case ids on more than one row of the register, with the rows: each row is counted as a case."""
    return show(tables.duplicate_id_table(result), lang)


def show_trends(result, lang: str = "zh"):
    """Significant cells by emerging-hot-spot category."""
    return show(tables.trend_table(result), lang)


def show_periods(result, lang: str = "zh", freq: str = "Q"):
    """Cases per quarter (or ``freq``) and setting."""
    return show(tables.period_table(result, freq), lang)


def show_rejected(cases, lang: str = "zh"):
    """The rows that could not be used, with their row number and reason."""
    frame = cases.rejected if hasattr(cases, "rejected") else pd.DataFrame(cases)
    return show(pd.DataFrame(frame).reset_index(drop=True), lang)


class Exploration:
    """One run of the explorer: the result (or the reason there is none), shown as tables and a map.

    Renders through ``_repr_html_`` (escaped tables, the offline map in an iframe), so a notebook
    displays it with no widget code of its own.
    """

    def __init__(self, cases, baseline=None, *, basemap: str = "none", top: int = 10, lang: str = "zh"):
        from geo.hotspots import find_hotspots
        from safeio.errors import CasebookError

        self.error = None
        self.result = None
        try:
            self.result = find_hotspots(cases, baseline)
        except CasebookError as err:
            self.error = err
        self.basemap = basemap
        self.top = top
        self.lang = lang

    def _repr_html_(self) -> str:
        from casebook.dossier_html import labelled
        from geo.hotspot_maps import notebook_view

        if self.error is not None:
            return labelled(brief("no_analysis", self.lang), self.error.message)
        r = self.result
        parts = [show_key_figures(r, self.lang).to_html(), show_hot_areas(r, self.lang).to_html(),
                 show_counties(r, self.lang).to_html(), show_hotspots(r, self.lang, self.top).to_html(),
                 show_clusters(r, self.lang, self.top).to_html(),
                 notebook_view(hotspot_map(r, basemap=self.basemap, lang=self.lang)).data]
        return "\n".join(parts)


def explore(cases, baseline=None, *, basemap: str = "none", top: int = 10, lang: str = "zh") -> Exploration:
    """Run the analysis on (filtered) cases for display: tables and the offline map, or why not.

    Parameters
    ----------
    cases, baseline
        As for :func:`geo.find_hotspots`.
    basemap : str
        "none" (offline), "osm", "gaode" or "tianditu".
    top : int
        Rows of the cell and cluster tables.
    lang : str
        "zh" or "en".

    Returns
    -------
    Exploration
    """
    return Exploration(cases, baseline, basemap=basemap, top=top, lang=lang)


# -- maps and pictures in a language ------------------------------------------------------------------


def hotspot_map(result, basemap: str = "none", *, lang: str = "zh", **options):
    """:func:`geo.hotspot_map` with its legend, layers and tooltips in ``lang``."""
    from geo.hotspot_maps import hotspot_map as draw

    return draw(result, basemap, labels=map_labels(lang), **options)


def overview_png(result, lang: str = "zh") -> bytes:
    """:func:`geo.static.overview_png` in ``lang``."""
    from geo.static import overview_png as draw

    return draw(result, labels=map_labels(lang))


def context_png(result, ctx, window_m: float | None = None, lang: str = "zh") -> bytes:
    """:func:`geo.static.context_png` in ``lang``."""
    from geo.static import context_png as draw

    return draw(result, ctx, window_m, labels=map_labels(lang))


def category_options(cases, lang: str = "zh") -> list[tuple[str, str]]:
    """(shown name, code) pairs for a category picker, "all" first (an empty code)."""
    return tables.category_options(cases, map_labels(lang), brief("all_categories", lang))


def brief_map(result, leads=None, *, basemap: str = "none", lang: str = "zh"):
    """The brief's map: the hot-spot map in ``lang`` with the 12315 complaint layer of ``leads``.

    The map the brief shows and the map page it saves are both built here, so they are the same map.

    Parameters
    ----------
    result : geo.HotspotResult
    leads : casebook.leads.lead_views.LeadsView, optional
        The brief's leads (:func:`casebook.leads.lead_views.for_brief`); None or no leads: no layer.
    basemap, lang : str
    """
    m = hotspot_map(result, basemap, lang=lang)
    return leads.add_to(m) if leads is not None else m


def save_outputs(result, *, map_html=None, summary_json=None, basemap: str = "none", lang: str = "zh", leads=None):
    """:func:`geo.brief_tables.save_outputs` with the brief's map (:func:`brief_map`, complaint layer included)."""
    shown = brief_map(result, leads, basemap=basemap, lang=lang) if map_html else None
    return tables.save_outputs(result, map_html=map_html, summary_json=summary_json, basemap=basemap,
                               labels=map_labels(lang), folium_map=shown)
