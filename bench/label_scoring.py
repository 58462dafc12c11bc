"""Scores for bench_labels.py (bench/ never imports tests/): rendered sets against their truth, real photos
against what can be read on them by eye (truth.json of the real set)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from evidence.labels.finding_rules import ACCUSING_CODES, SCORED_CODES
from evidence.labels.label_fields import FIELD_NAMES, normalise
from evidence.labels.ocr import character_error_rate

# the codes the team's before-stop check forbids on real photos that justify no accusation
REAL_FORBIDDEN = ("three_no", "obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
                  "license_region_mismatch", "brand_lookalike", "missing_ccc", "prohibited_claim")
# truth.json "visible" keys -> our field names (a legible field of the real set)
REAL_FIELDS = {"product_name": "product_name", "producer": "manufacturer", "address": "address",
               "sc_license": "license_no", "qs_license": "license_no", "cosmetics_production_license": "license_no",
               "hygiene_license": "license_no", "barcode": "barcode", "production_date": "production_date",
               "expiry_date": "expiry_date", "shelf_life": "shelf_life", "net_content": "net_content"}


def comparable(value):
    """NFKC, simplified, no white space (lists element-wise)."""
    if value is None:
        return None
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return re.sub(r"\s+", "", normalise(unicodedata.normalize("NFKC", str(value))))


def _codes(findings) -> set[str]:
    return {f.code if hasattr(f, "code") else f["code"] for f in findings}


@dataclass
class LabelScore:
    """Accumulated scores over rendered labels (truth records against reports)."""

    fields_ok: int = 0
    fields_total: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_accusations: int = 0
    cers: list[float] = field(default_factory=list)
    errors: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, truth: dict, text: str, fields: dict, findings) -> None:
        self.cers.append(character_error_rate(truth["text"], text))
        for name in FIELD_NAMES:
            if name == "expiry_date" and name not in truth["fields"]:
                continue  # the rendered sets print no use-by date
            self.fields_total += 1
            if comparable(fields.get(name)) == comparable(truth["fields"].get(name)):
                self.fields_ok += 1
            else:
                self.misses.append(f"{truth['image']}: {name} read {fields.get(name)!r}, "
                                   f"printed {truth['fields'].get(name)!r}")
        got = _codes(findings) & set(SCORED_CODES)
        want = set(truth["problems"])
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        self.false_accusations += len((got - want) & set(ACCUSING_CODES))
        if got != want:
            self.misses.append(f"{truth['image']}: findings {sorted(got)}, planted {sorted(want)}")

    def to_dict(self) -> dict:
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0
        return {"labels": len(self.cers), "errors": self.errors,
                "field_accuracy": round(self.fields_ok / self.fields_total, 4) if self.fields_total else 0.0,
                "finding_f1": round(f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "false_accusations": self.false_accusations,
                "cer": round(sum(self.cers) / len(self.cers), 4) if self.cers else 0.0}


def _truth_value(name: str, value: str) -> str:
    """A truth.json value without the transcriber's notes ('2025.06.21 (code Y)' -> 2025-06-21 for dates)."""
    value = re.sub(r"\s+\(.*\)$", "", str(value)).strip()
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
    forbidden = sorted(_codes(result.get("findings") or []) & set(REAL_FORBIDDEN))
    return {"image": truth["file"], "legible": len(wanted), "exact": sum(exact.values()), "forbidden": forbidden,
            "misses": [f"{truth['file']}: {n} read {fields.get(n)!r}, visible {wanted[n]!r}"
                       for n, ok in exact.items() if not ok]}
