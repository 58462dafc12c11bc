"""Label reading scored against a truth (the sample casebook's truth.json), for the benchmark and the tests.

Fields are compared after NFKC with white space removed, findings scored on the codes the sample
plants, character error rate after NFKC with white space removed
(:func:`evidence.labels.ocr.character_error_rate`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from evidence.labels.finding_rules import ACCUSING_CODES, SCORED_CODES
from evidence.labels.label_fields import FIELD_NAMES, normalise
from evidence.labels.ocr import character_error_rate

__all__ = ["LabelScore", "comparable", "finding_codes"]


def comparable(value):
    """The form in which a field value is compared: NFKC, simplified, no white space (lists element-wise)."""
    if value is None:
        return None
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return re.sub(r"\s+", "", normalise(unicodedata.normalize("NFKC", str(value))))


def finding_codes(findings) -> set[str]:
    """The codes of findings given as objects or as dicts."""
    return {f.code if hasattr(f, "code") else f["code"] for f in findings}


@dataclass
class LabelScore:
    """Accumulated scores over many labels (truth.json entries against reports)."""

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
        got = finding_codes(findings) & set(SCORED_CODES)
        want = set(truth["problems"])
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        self.false_accusations += len((got - want) & set(ACCUSING_CODES))
        if got != want:
            self.misses.append(f"{truth['image']}: findings {sorted(got)}, planted {sorted(want)}")

    @property
    def field_accuracy(self) -> float:
        return self.fields_ok / self.fields_total if self.fields_total else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0

    @property
    def cer(self) -> float:
        return sum(self.cers) / len(self.cers) if self.cers else 0.0

    def to_dict(self) -> dict:
        return {"labels": len(self.cers), "errors": self.errors, "field_accuracy": round(self.field_accuracy, 4),
                "finding_f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "false_accusations": self.false_accusations, "cer": round(self.cer, 4),
                "cer_max": round(max(self.cers), 4) if self.cers else 0.0}
