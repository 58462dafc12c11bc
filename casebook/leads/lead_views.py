"""The complaint layer of the hot-spot brief and the explorer: one call per notebook step, words in zh or en.

``leads = lead_views.for_brief(source, result)`` finds the leads (an export, a folder of them,
``leads.parquet``, or a casebook's ``complaints/``), places and counts them against the cases
of the hot-spot result; ``leads.figures()``, ``leads.counties()``, ``leads.no_case()`` are
tables for the page and ``leads.add_to(map)`` draws the layer.  Without leads every step shows
one line saying so, and the brief goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from casebook.leads.lead_words import layer_words, lead_county_table, word

__all__ = ["LeadsView", "for_brief"]

_NONE = {"zh": "没有投诉举报数据（complaints/ 下无导出文件）。", "en": "No complaint data (no export under complaints/)."}


@dataclass
class LeadsView:
    """Leads of a brief: the summary (None when there are no leads) and the language to show them in."""

    summary: object | None
    lang: str = "zh"
    basemap: str = "none"

    def _empty(self):
        from IPython.display import HTML

        from casebook.dossier_html import paragraph

        return HTML(paragraph(_NONE[self.lang]))

    def figures(self):
        """Leads, placed, unplaced (with reasons), hot counties, counties with many leads and no case."""
        if self.summary is None:
            return self._empty()
        s = self.summary
        zh = self.lang == "zh"
        reasons = "，".join(f"{word(k, self.lang)} {v}" for k, v in s.unplaced_by_reason.items()) or "-"
        rows = [("投诉举报件数" if zh else "Leads", s.total),
                ("已定位到县区" if zh else "Placed on a county", s.placed),
                ("未定位" if zh else "Unplaced", f"{s.unplaced}（{reasons}）" if zh else f"{s.unplaced} ({reasons})"),
                ("热点分析变量" if zh else "Gi* variable", word(f"{s.variable}_var", self.lang)),
                ("投诉热点县区" if zh else "Hot counties", "、".join(s.hot["name"]) or "-"),
                (word("many_no_case", self.lang), "、".join(s.many_no_case["name"]) or "-")]
        return _shown(pd.DataFrame(rows, columns=["项目" if zh else "Item", "数值" if zh else "Value"]))

    def counties(self):
        """Leads per county, per 10,000 businesses, cases, hot-spot confidence."""
        return self._empty() if self.summary is None else _shown(lead_county_table(self.summary, self.lang))

    def no_case(self):
        """The counties with many leads and no case: where to look first."""
        if self.summary is None:
            return self._empty()
        table = lead_county_table(self.summary, self.lang, only_with_leads=False)
        return _shown(table.loc[self.summary.counties["many_no_case"].to_numpy()])

    def add_to(self, m):
        """Draw the leads layer on a folium map (the hot-spot map); returns the map."""
        if self.summary is not None:
            from geo.leads.complaint_layer import add_complaint_layer

            add_complaint_layer(m, self.summary, layer_words(self.lang), basemap=self.basemap)
        return m


def _shown(frame: pd.DataFrame):
    """A table for the page like the brief's others: no index column, values escaped (they come from exports)."""
    return frame.style.hide(axis="index").format(precision=3, na_rep="—", escape="html")


def _source(source, cases_path) -> Path | None:
    if source:
        return Path(source)
    if cases_path:
        folder = Path(cases_path).parent / "complaints"
        return folder if folder.is_dir() else None
    return None


def for_brief(source, result, *, cases_path=None, businesses_path=None, lang: str = "zh",
              basemap: str = "none", within: str = "") -> LeadsView:
    """Load, place and count the leads for a brief whose hot-spot analysis is ``result``.

    Parameters
    ----------
    source : an export, a folder of exports, ``leads.parquet`` or its folder; empty: the
        ``complaints/`` folder beside ``cases_path``.
    result : the brief's :class:`geo.HotspotResult` (its counties give the cases per county).
    businesses_path : businesses per county (default: ``businesses.csv`` beside the exports).
    """
    from casebook.leads.lead_store import load_businesses, load_leads
    from geo.leads import summarise_complaints

    path = _source(source, cases_path)
    if path is None or not path.exists():
        return LeadsView(None, lang, basemap)
    leads = load_leads(path, within=within)
    if leads.empty:
        return LeadsView(None, lang, basemap)
    if not businesses_path:
        folder = path if path.is_dir() else path.parent
        guess = folder / "businesses.csv"
        businesses_path = guess if guess.is_file() else None
    counties = getattr(result, "counties", None)
    cases = counties[["adcode", "cases"]] if counties is not None and len(counties) else None
    summary = summarise_complaints(leads, cases=cases, businesses=load_businesses(businesses_path, within=within))
    return LeadsView(summary, lang, basemap)
