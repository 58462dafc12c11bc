"""The screening rules: each finding code with its severity and legal basis, and what the rules look for.

The rule table is data (``evidence/data/finding_rules.toml``: code, severity, basis as cited, with
its sources); the words people read for each code are at the edge (casebook's finding words).
A finding carries its code and the values its message needs, never the message.

Severities: ``violation`` (the label breaks a rule on its face), ``warning`` (a strong sign that
needs an officer's check: a failed check digit can be a pilot-era code or a misprint),
``needs_review`` (the reading itself is uncertain: both readings are given, nothing is alleged),
``info`` (what the photos of an item do not show: not visible, never "missing").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files

__all__ = ["ACCUSING_CODES", "CCC_PRODUCT_TYPES", "DISEASE_CLAIMS", "HEALTH_CLAIMS", "MANDATORY", "PROVINCES",
           "QS_CUTOFF", "RULES", "SCORED_CODES", "THREE_NO_SUBSUMES", "ZERO_ADDITIVE", "Rule"]


@dataclass(frozen=True)
class Rule:
    """One finding code: its severity and its legal basis."""

    code: str
    severity: str
    basis: str


def _rules() -> dict[str, Rule]:
    table = tomllib.loads(files("evidence").joinpath("data/finding_rules.toml").read_text(encoding="utf-8"))
    return {code: Rule(code, row["severity"], row["basis"]) for code, row in table.items()}


RULES: dict[str, Rule] = _rules()

# Items a label must carry, per product type (GB 7718-2011 for food; 产品质量法 §27 for other goods).
MANDATORY: dict[str, tuple[str, ...]] = {
    "food": ("product_name", "manufacturer", "address", "phone", "license_no", "production_date", "shelf_life",
             "net_content", "standards"),
    "toiletry": ("product_name", "manufacturer", "address", "production_date", "shelf_life"),
    "appliance": ("product_name", "manufacturer", "address"),
    "electrical": ("product_name", "manufacturer", "address"),
    "toy": ("product_name", "manufacturer", "address"),
    "fertilizer": ("product_name", "manufacturer", "address", "net_content"),
    "unknown": ("product_name", "manufacturer", "address"),
}
THREE_NO_SUBSUMES = ("manufacturer", "address", "license_no", "production_date")

# The label problems an evaluation scores (what a seized label can really have) ...
SCORED_CODES = ("three_no", "obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
                "license_region_mismatch", "missing_ccc", "brand_lookalike", "prohibited_claim",
                "missing_registration")
# ... and those that allege forgery or a wrong identifier: one of these on a clean label is a false accusation.
ACCUSING_CODES = ("obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
                  "license_region_mismatch", "brand_lookalike")

# Products of the CCC catalogue (强制性产品认证目录) as they are named on labels.
CCC_PRODUCT_TYPES = ("appliance", "electrical", "toy")

# Disease and health-function claims an ordinary food may not make (食品安全法 §71, 广告法 §17).
DISEASE_CLAIMS = ("降血压", "降血糖", "降血脂", "降三高", "抗癌", "防癌", "治疗", "根治", "治愈", "药到病除", "无副作用",
                  "消炎", "抗肿瘤", "防治", "降尿酸", "疗效")
HEALTH_CLAIMS = ("增强免疫力", "提高免疫力", "延缓衰老", "抗衰老", "改善睡眠", "减肥", "排毒", "养颜", "补肾", "壮阳",
                 "调节血糖", "辅助降", "缓解体力疲劳", "抗疲劳")
ZERO_ADDITIVE = ("零添加", "0添加", "不添加", "无添加")

# GB/T 2260 province codes and the names and one-character abbreviations printed on licences.
PROVINCES = {
    "11": ("北京", "京"), "12": ("天津", "津"), "13": ("河北", "冀"), "14": ("山西", "晋"), "15": ("内蒙古", "蒙"),
    "21": ("辽宁", "辽"), "22": ("吉林", "吉"), "23": ("黑龙江", "黑"), "31": ("上海", "沪"), "32": ("江苏", "苏"),
    "33": ("浙江", "浙"), "34": ("安徽", "皖"), "35": ("福建", "闽"), "36": ("江西", "赣"), "37": ("山东", "鲁"),
    "41": ("河南", "豫"), "42": ("湖北", "鄂"), "43": ("湖南", "湘"), "44": ("广东", "粤"), "45": ("广西", "桂"),
    "46": ("海南", "琼"), "50": ("重庆", "渝"), "51": ("四川", "川"), "52": ("贵州", "贵"), "53": ("云南", "云"),
    "54": ("西藏", "藏"), "61": ("陕西", "陕"), "62": ("甘肃", "甘"), "63": ("青海", "青"), "64": ("宁夏", "宁"),
    "65": ("新疆", "新"),
}
QS_CUTOFF = "2018-10-01"
