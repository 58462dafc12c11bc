"""A finding as the certification, claim and listing checks produce it: a rule code and the words it rests on.

The rule table (code, severity, legal basis) is :data:`evidence.labels.finding_rules.RULES`, shared
with label screening; a :class:`Flag` keeps the values its message needs (the words are made at the
edge, casebook's finding words), and where the words were found (their span in the text, the page
element and screenshot region).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.labels.finding_rules import RULES

__all__ = ["SEVERITY_ORDER", "Flag"]

# Most serious first: the order of a patrol table.
SEVERITY_ORDER = {"violation": 0, "warning": 1, "needs_review": 2}


@dataclass
class Flag:
    """One finding: its rule code, the words as shown, the values of its message, and where it was found."""

    code: str
    evidence: str
    values: dict = field(default_factory=dict)
    span: tuple[int, int] | None = None  # in the text it was found in
    where: dict = field(default_factory=dict)  # element path, screenshot region, register row ...

    @property
    def severity(self) -> str:
        return RULES[self.code].severity

    def to_dict(self) -> dict:
        """``{"code", "severity", "basis", "evidence", "values", ...}``, the shape every screening result uses."""
        rule = RULES[self.code]
        data = {"code": self.code, "severity": rule.severity, "basis": rule.basis, "evidence": self.evidence,
                "values": self.values}
        if self.span is not None:
            data["span"] = list(self.span)
        data.update(self.where)
        return data
