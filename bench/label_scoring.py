"""Scores of real photos for bench_labels.py: the legible fields read exactly and the forbidden findings
(rendered sets are scored by :class:`evidence.labels.label_score.LabelScore`)."""

from __future__ import annotations

import re

from evidence.labels.label_score import comparable, finding_codes

# the codes the team's before-stop check forbids on real photos that justify no accusation
REAL_FORBIDDEN = ("three_no", "obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
                  "license_region_mismatch", "brand_lookalike", "missing_ccc", "prohibited_claim")
# truth.json "visible" keys -> our field names (a legible field of the real set)
REAL_FIELDS = {"product_name": "product_name", "producer": "manufacturer", "address": "address",
               "sc_license": "license_no", "qs_license": "license_no", "cosmetics_production_license": "license_no",
               "hygiene_license": "license_no", "barcode": "barcode", "production_date": "production_date",
               "expiry_date": "expiry_date", "shelf_life": "shelf_life", "net_content": "net_content"}


def _truth_value(name: str, value: str) -> str:
    """A truth.json value without the transcriber's notes ('2025.06.21 (code Y)' -> 2025-06-21 for dates)
    and a maker's name without the notes printed after it."""
    value = re.sub(r"\s+\(.*\)$", "", str(value)).strip()
    if name == "manufacturer":  # "(分装)(代码Y)" after a maker's name notes its role and code, not its name
        value = re.sub(r"(?:[(（](?:分装|代[码号][^)）]*)[)）])+$", "", value).strip()  # scored apart from the parser
    if name in ("production_date", "expiry_date"):
        found = re.search(r"(20\d{2})\D?([01]\d)\D?([0-3]\d)", value)
        return f"{found.group(1)}-{found.group(2)}-{found.group(3)}" if found else value
    return value


def score_real(truth: dict, result: dict) -> dict:
    """Legible fields read exactly, and the forbidden findings, for one real photo."""
    wanted = {}
    for key, name in REAL_FIELDS.items():
        if key in truth["visible"] and name not in wanted:
            wanted[name] = _truth_value(name, truth["visible"][key])
    fields = result.get("fields") or {}
    exact = {name: comparable(fields.get(name)) == comparable(value) for name, value in wanted.items()}
    if "production_date" in exact and not re.search(r"\d", wanted["production_date"]):
        exact["production_date"] = bool(fields.get("date_elsewhere"))  # "见合格证": read as printed elsewhere
    forbidden = sorted(finding_codes(result.get("findings") or []) & set(REAL_FORBIDDEN))
    return {"image": truth["file"], "legible": len(wanted), "exact": sum(exact.values()), "forbidden": forbidden,
            "misses": [f"{truth['file']}: {n} read {fields.get(n)!r}, visible {wanted[n]!r}"
                       for n, ok in exact.items() if not ok]}
