"""The words of the hot-spot maps, pictures, tables and brief, in Chinese and English: one place per language.

geo computes with codes and draws with the labels it is handed (:class:`geo.map_labels.MapLabels`);
:func:`map_labels` builds them for a language. Unknown values pass through unchanged, so a register
that already writes its categories in Chinese shows them as written.
"""

from __future__ import annotations

from functools import lru_cache

from geo.map_labels import MapLabels

__all__ = ["LANGS", "category", "column", "label", "map_labels", "word"]

LANGS = ("zh", "en")

CATEGORIES = {
    "food": ("食品", "Food"), "small_appliance": ("小家电", "Small appliances"),
    "toiletry": ("日化用品", "Toiletries"), "hardware_electrical": ("五金电料", "Hardware and electrical"),
    "agri_input": ("农资", "Farm inputs"), "children": ("儿童用品", "Children's products"),
}
_CATEGORY_EN = {zh: en for zh, en in CATEGORIES.values()}

WORDS = {
    "urban": ("城区", "urban"), "peri-urban": ("城乡结合部", "peri-urban"), "rural": ("农村", "rural"),
    "hot": ("热点", "hot"), "cold": ("冷点", "cold"), "not significant": ("不显著", "not significant"),
    "distance": ("依距城区距离", "distance to urban cores"), "nbs_code": ("依城乡划分代码", "NBS urban-rural code"),
    "new": ("新出现", "new"), "consecutive": ("连续", "consecutive"), "intensifying": ("加剧", "intensifying"),
    "persistent": ("持续", "persistent"), "diminishing": ("减弱", "diminishing"), "sporadic": ("零星", "sporadic"),
    "oscillating": ("波动", "oscillating"), "historical": ("历史热点", "historical"),
    "no pattern": ("无明显趋势", "no pattern"), "insufficient period": ("时段不足", "insufficient period"),
    "not tested": ("未检验", "not tested"), "not computed": ("未计算", "not computed"),
    "rising": ("上升", "rising"), "falling": ("下降", "falling"), "steady": ("平稳", "steady"),
    "gcj02_as_wgs84": ("GCJ-02（高德/腾讯）坐标被当作 WGS-84", "GCJ-02 (Amap/Tencent) given as WGS-84"),
    "bd09_as_wgs84": ("BD-09（百度）坐标被当作 WGS-84", "BD-09 (Baidu) given as WGS-84"),
    "wgs84_as_gcj02": ("WGS-84 坐标被标为 GCJ-02", "WGS-84 labelled GCJ-02"),
    "swapped": ("经纬度互换", "longitude and latitude swapped"),
    "typo": ("坐标或县区名称录入错误", "a typo in the coordinates or the county name"),
}

COLUMNS = {
    "item": ("项目", "item"), "value": ("数值", "value"), "cell": ("单元", "cell"), "lon": ("经度", "lon"),
    "lat": ("纬度", "lat"), "cases": ("案件数", "cases"), "z": ("Gi* z 值", "Gi* z"), "p": ("p 值", "p"),
    "confidence": ("置信度 %", "confidence %"), "type": ("类型", "type"), "setting": ("区位", "setting"),
    "trend": ("趋势", "trend"), "cluster": ("聚集", "cluster"), "places": ("地点数", "places"),
    "main_categories": ("主要类别", "main categories"), "first_opened": ("最早立案", "first opened"),
    "last_opened": ("最近立案", "last opened"), "hot": ("热点单元", "hot cells"), "cold": ("冷点单元", "cold cells"),
    "period": ("月份", "month"), "adcode": ("区划代码", "adcode"), "name": ("县区", "county"),
    "inspections": ("检查次数", "inspections"), "rate": ("每次检查案件数", "cases per inspection"),
    "hot_cells": ("热点单元", "hot cells"), "cold_cells": ("冷点单元", "cold cells"),
    "top_categories": ("主要类别", "top categories"), "case_id": ("案件编号", "case id"),
    "county_named": ("登记县区", "county named"), "county_found": ("坐标所在县区", "county at the point"),
    "cause": ("可能原因", "likely cause"), "outside_m": ("距所登记县区（米）", "outside by (m)"), "coord_sys": ("坐标系", "coordinate system"),
    "category": ("类别", "category"), "title": ("案件名称", "title"), "opened": ("立案日期", "opened"),
    "distance_m": ("距离（米）", "distance (m)"), "output": ("输出", "output"), "path": ("路径", "path"),
    "row": ("行号", "row"), "rows": ("行号", "rows"), "reason": ("原因", "reason"), "county": ("县区", "county"),
    "cells": ("单元数", "cells"), "cases_by_year": ("逐年案件数", "cases by year"),
}

LABELS = {
    "cases analysed": ("分析案件数", "cases analysed"), "rows rejected": ("无法使用的行", "rows rejected"),
    "analysis": ("分析对象", "analysis"), "H3 resolution": ("H3 分辨率", "H3 resolution"),
    "distance band (m)": ("距离带（米）", "distance band (m)"), "hot cells": ("热点单元", "hot cells"),
    "cold cells": ("冷点单元", "cold cells"), "point clusters": ("案件聚集", "point clusters"),
    "cases by setting": ("按区位的案件数", "cases by setting"), "period": ("时段", "period"),
    "county warnings": ("县区不符的案件", "cases outside their county"),
    "empirical-Bayes rate (cases per inspection)": ("每次检查案件数（经验贝叶斯平滑）",
                                                    "empirical-Bayes rate (cases per inspection)"),
    "case count": ("案件数", "case count"),
    "Hot/cold cells": ("热点/冷点单元", "Hot/cold cells"), "Heat map": ("热力图", "Heat map"),
    "Cases": ("案件", "Cases"), "Case clusters": ("案件聚集", "Case clusters"),
    "Urban cores and rings": ("城区与环带", "Urban cores and rings"), "Counties": ("县区界线", "County borders"),
    "this case": ("本案", "this case"), "Hot area": ("热点区域", "Hot area"), "Hot areas": ("热点区域", "Hot areas"), "Gi* hot spot analysis": ("Gi* 热点分析", "Gi* hot spot analysis"),
}

BIN_LABELS = {3: ("热点 99%", "Hot spot 99%"), 2: ("热点 95%", "Hot spot 95%"), 1: ("热点 90%", "Hot spot 90%"),
              0: ("不显著", "Not significant"), -1: ("冷点 90%", "Cold spot 90%"), -2: ("冷点 95%", "Cold spot 95%"),
              -3: ("冷点 99%", "Cold spot 99%")}
AXES = (("km (东 E)", "km (北 N)"), ("km (E)", "km (N)"))
LIST_SEPARATORS = ("、", ", ")
BRIEF = {"all_categories": ("全部", "(all)"), "no_analysis": ("无法分析", "No analysis")}


@lru_cache(maxsize=4)
def map_labels(lang: str = "zh") -> MapLabels:
    """The labels of maps, pictures and tables in ``lang`` ("zh" or "en")."""
    i = 0 if lang == "zh" else 1
    categories = {code: pair[i] for code, pair in CATEGORIES.items()}
    if i:  # a register written in Chinese still reads in English
        categories.update({pair[0]: pair[1] for pair in CATEGORIES.values()})
    return MapLabels(categories=categories, words={k: v[i] for k, v in WORDS.items()},
                     columns={k: v[i] for k, v in COLUMNS.items()}, phrases={k: v[i] for k, v in LABELS.items()},
                     bins={k: v[i] for k, v in BIN_LABELS.items()}, axes=AXES[i], list_separator=LIST_SEPARATORS[i])


def category(code, lang: str = "zh") -> str:
    """A case category for display: 食品 for ``food`` in Chinese, Food in English."""
    return map_labels(lang).category(code)


def word(code, lang: str = "zh") -> str:
    """A setting, type, trend or cause code for display."""
    return map_labels(lang).word(code)


def column(name, lang: str = "zh") -> str:
    """A table header for display."""
    return map_labels(lang).column(name)


def label(text, lang: str = "zh") -> str:
    """A fixed phrase (layer names, key figures) for display."""
    return map_labels(lang).label(text)


def brief(key: str, lang: str = "zh") -> str:
    """A word of the brief and the explorer (``all_categories``, ``no_analysis``)."""
    return BRIEF[key][0 if lang == "zh" else 1]
