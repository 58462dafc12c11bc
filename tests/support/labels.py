"""Assertions for label reading; the scores the benchmark also uses are :mod:`evidence.labels.label_score`."""

from __future__ import annotations

from collections.abc import Iterable

from evidence.labels.finding_rules import ACCUSING_CODES, SCORED_CODES
from evidence.labels.label_fields import FIELD_NAMES
from evidence.labels.label_score import comparable, finding_codes


def assert_fields_match(fields, expected: dict, names: Iterable[str] = FIELD_NAMES) -> None:
    """Every named field equals the expected value (None = not printed), after :func:`comparable`."""
    got = fields.to_dict() if hasattr(fields, "to_dict") else fields
    wrong = {n: (got.get(n), expected.get(n)) for n in names if comparable(got.get(n)) != comparable(expected.get(n))}
    assert not wrong, "fields differ (got, expected): " + repr(wrong)


def assert_findings(findings, expected: Iterable[str], *, among: Iterable[str] = SCORED_CODES) -> None:
    """The findings with codes in ``among`` are exactly ``expected``."""
    among = set(among)
    got = finding_codes(findings) & among
    want = set(expected) & among
    assert got == want, f"findings differ: missing {sorted(want - got)}, unexpected {sorted(got - want)}"


def assert_no_accusation(findings) -> None:
    """No finding alleges forgery or a wrong identifier (a needs_review is fine)."""
    accused = finding_codes(findings) & set(ACCUSING_CODES)
    assert not accused, f"unexpected accusation(s): {sorted(accused)}"
