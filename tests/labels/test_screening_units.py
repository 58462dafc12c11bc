"""The screener's small decisions, at their exact boundaries: poor photos, agreeing signals, readings, provinces."""

from __future__ import annotations

import pytest

from casebook.words.finding_words import describe
from evidence.labels.brands import Lookalike
from evidence.labels.ocr import OcrLine, OcrResult
from evidence.labels.screening import (
    CONFIDENT,
    _agreeing,
    _poor_reading,
    _Readings,
    _review,
    address_province,
)


def _ocr(confidences: list[float]) -> OcrResult:
    lines = [OcrLine(f"第{i}行", ((0, 30 * i), (100, 30 * i), (100, 30 * i + 20), (0, 30 * i + 20)), c)
             for i, c in enumerate(confidences)]
    return OcrResult.from_lines("rapidocr", lines, (100, 30 * len(lines)))


@pytest.mark.parametrize(("confidences", "poor"), [
    ([], True), ([0.75, 0.75, 0.75], False), ([0.74, 0.74, 0.74], True), ([0.8, 0.8, 0.8], False),
    ([CONFIDENT, CONFIDENT], False), ([0.89, 0.89], True), ([0.99], False), ([0.95, 0.5, 0.5, 0.5], True),
])
def test_a_poor_reading_at_its_boundaries(confidences, poor):
    assert _poor_reading(_ocr(confidences)) is poor


def test_something_without_lines_is_a_poor_reading():
    assert _poor_reading(object()) is True


def _look(score: float, signals: list[str]) -> Lookalike:
    return Lookalike("康师傅", score, [], "康师傅控股有限公司", "康帅傅", [], signals)


@pytest.mark.parametrize(("score", "signals", "guessed", "agree"), [
    (0.8, ["shape", "packaging"], False, True),
    (0.8, ["shape", "sound"], False, True),
    (0.8, ["shape", "category"], False, False),
    (0.9, ["shape", "category"], False, True),
    (0.89, ["shape", "category"], False, False),
    (0.95, ["shape"], False, False),
    (0.95, ["shape", "packaging"], True, False),
    (0.8, ["shape", "sound"], True, True),
    (0.8, ["shape", "sound", "order"], True, True),
])
def test_agreeing_signals(score, signals, guessed, agree):
    assert _agreeing(_look(score, signals), guessed) is agree


def test_a_value_on_no_line_read_is_not_taken_as_read():
    reads = _Readings(_ocr([0.99, 0.99]), reread=lambda line: [("6901234567893", 0.99)])
    assert reads.confirm("6901234567893", lambda text: True) == (False, ["6901234567893"])


@pytest.mark.parametrize(("verdicts", "stands"), [
    ([(True, CONFIDENT)], True), ([(True, 0.89)], False), ([(True, 0.99), (False, 0.6)], False),
    ([(True, 0.99), (False, 0.59)], True), ([(None, 0.99)], False),
])
def test_second_readings_at_their_boundaries(verdicts, stands):
    lines = [OcrLine("条码 6901234567893", ((0, 0), (100, 0), (100, 20), (0, 20)), 0.5)]
    texts = {f"r{i}": v for i, (v, _) in enumerate(verdicts)}
    reads = _Readings(OcrResult.from_lines("rapidocr", lines, (100, 20)),
                      reread=lambda line: [(name, conf) for name, (_, conf) in zip(texts, verdicts, strict=True)])
    ok, readings = reads.confirm("6901234567893", lambda text: texts[text])
    assert ok is stands and readings == ["条码 6901234567893", *texts]


def test_typed_text_is_taken_as_read():
    assert _Readings(None, None).confirm("x", lambda text: None) == (True, [])


def test_a_review_with_no_reading_says_so_in_both_languages():
    finding = _review("three_no_unread", "three_no", [])
    assert finding.evidence == "" and finding.readings == [] and finding.alternatives == []
    assert describe(finding) == "识读不确定，未作认定：三无判断（未识读到生产者名称和地址）；请人工核对原图（两次识读：无）"
    assert describe(finding, "en").endswith("(readings: none)")
    assert "held_back_x" in describe(_review("held_back_x", "three_no", []), "en")  # a code without words says its code


@pytest.mark.parametrize(("address", "code"), [
    ("河南省周口市川汇区建设路8号", "41"), ("内蒙古自治区呼和浩特市", "15"), ("郑州市金水区花园路1号", "41"),
    ("呼和浩特市赛罕区大学西街", "15"), ("深圳市南山区科技园", "44"), ("某某路1号", None), ("", None), (None, None),
])
def test_the_province_of_an_address(address, code):
    assert address_province(address) == code
