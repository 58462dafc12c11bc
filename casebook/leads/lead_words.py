"""Words for the leads layer, tables and reports (zh default, en option): the library returns codes only."""

from __future__ import annotations

import pandas as pd

__all__ = ["WORDS", "layer_words", "lead_county_table", "word"]

WORDS = {
    "layer": ("投诉举报", "Complaints and reports"),
    "name": ("县区", "County"),
    "adcode": ("区划代码", "Code"),
    "city": ("市", "City"),
    "leads": ("投诉举报件数", "Leads"),
    "complaints": ("投诉", "Complaints"),
    "reports": ("举报", "Reports"),
    "businesses": ("市场主体数", "Businesses"),
    "per_10k": ("每万户市场主体件数", "Per 10,000 businesses"),
    "cases": ("立案数", "Cases"),
    "gi_z": ("Gi* z", "Gi* z"),
    "confidence": ("热点置信度 %", "Hot-spot confidence %"),
    "many_no_case": ("多投诉无案件", "Many leads, no case"),
    "no_address": ("无地址", "no address"),
    "no_county": ("地址未写明县区", "address names no county"),
    "ambiguous": ("县区名称有歧义", "county name is ambiguous"),
    "unreadable_time": ("时间无法识别", "time cannot be read"),
    "complaint": ("投诉", "complaint"),
    "report": ("举报", "report"),
    "inquiry": ("咨询", "inquiry"),
    "suggestion": ("建议", "suggestion"),
    "other": ("其他", "other"),
    "per_10k_var": ("每万户件数", "leads per 10,000 businesses"),
    "leads_var": ("件数", "lead counts"),
    "none_var": ("未计算", "not computed"),
    "yes": ("是", "yes"),
    "no": ("", ""),
}


def word(code: str, lang: str = "zh") -> str:
    """The display word of a code (the code itself when none is known)."""
    pair = WORDS.get(str(code))
    return str(code) if pair is None else pair[0 if lang == "zh" else 1]


def layer_words(lang: str = "zh") -> dict[str, str]:
    """The words :func:`geo.leads.complaint_layer.add_complaint_layer` needs."""
    return {key: word(key, lang) for key in ("layer", "name", "leads", "per_10k", "cases", "confidence")}


def lead_county_table(summary, lang: str = "zh", *, only_with_leads: bool = True) -> pd.DataFrame:
    """The per-county table of a :class:`geo.leads.ComplaintSummary` with display headings."""
    frame = summary.counties
    if only_with_leads:
        frame = frame.loc[(frame.leads > 0) | frame.many_no_case | (frame.gi_bin != 0)]
    cols = ["name", "adcode", "leads", "complaints", "reports", "businesses", "per_10k", "cases", "confidence",
            "many_no_case"]
    out = frame[cols].copy()
    out["many_no_case"] = out["many_no_case"].map(lambda v: word("yes" if v else "no", lang))
    return out.rename(columns={c: word(c, lang) for c in cols}).reset_index(drop=True)
