"""Every path of the screener, with every key of every finding pinned: no extra finding, no changed word.

The expectations live in tests/labels/data/screening_exact.json (reviewed by eye); a change of
rules or wording rewrites them with ``python -m tests.support.screening_cases`` and shows in review.
"""

from __future__ import annotations

import json

import pytest

from tests.support.screening_cases import CASES, GOLDEN, run_case

EXPECTED = json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "text", "confidence", "rereads"), CASES, ids=[c[0] for c in CASES])
def test_the_findings_are_exactly_these(name, text, confidence, rereads):
    assert run_case(text, confidence, rereads) == EXPECTED[name]


def test_every_case_has_its_expectation():
    assert set(EXPECTED) == {c[0] for c in CASES}
