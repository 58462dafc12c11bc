"""Accuse only what was read: a failed check that one common OCR confusion repairs is a reading doubt.

False-accusation class 3: a confident reading of a credit code with one 8 read as B failed its
check and was reported as forged.  Now such a code needs a second reading of the same crop that
shows the same characters; otherwise it is ``needs_review`` with the reading and the repair.
"""

from __future__ import annotations

from stdnum import ean
from stdnum.cn import uscc

from casebook.words.finding_words import describe
from evidence.labels.confusions import confusable, one_confusion_variants, repairs
from evidence.labels.label_fields import extract_fields
from evidence.labels.ocr import OcrLine, OcrResult
from evidence.labels.screening import screen, screen_text
from tests.support.labels import assert_no_accusation

GOOD_USCC = "91110000600037348A"
MISREAD_USCC = "9111000060003734BA"  # the 8 before the check character read as B
GOOD_EAN = "6901234567175"
MISREAD_EAN = "6901234567115"  # the 7 read as 1
LABEL = """食品名称：豫香源芝麻饼
配料：小麦粉、白砂糖、芝麻
净含量：200克
生产者：上海某某食品有限公司
地址：{address}
联系电话：021-12345678
统一社会信用代码：{credit}
食品生产许可证编号：{licence}
产品标准代号：GB/T 20980
生产日期：2024-03-01
保质期：12个月
{barcode}"""
GOOD = {"address": "上海市闵行区建设路8号", "credit": GOOD_USCC, "licence": "SC10831011200018", "barcode": GOOD_EAN}


def label(**changes) -> str:
    return LABEL.format(**{**GOOD, **changes})


def ocr_of(text: str, confidence: float = 0.98) -> OcrResult:
    lines = [OcrLine(t, ((0, 30 * i), (600, 30 * i), (600, 30 * i + 26), (0, 30 * i + 26)), confidence)
             for i, t in enumerate(text.splitlines()) if t]
    return OcrResult.from_lines("rapidocr", lines, (600, 30 * len(lines)))


def screen_ocr(text: str, reread=None):
    ocr = ocr_of(text)
    return screen(extract_fields(ocr.lines), ocr=ocr, reread=reread)


def review_of(findings, suspected):
    found = [f for f in findings if f.code == "needs_review" and f.suspected == suspected]
    assert found, [f.to_dict() for f in findings]
    return found[0]


def test_the_confusion_groups():
    assert {"B", "H"} <= set(confusable("8")) and set(confusable("O")) == {"0", "D", "Q"}
    assert confusable("7").startswith("1IL") and confusable("X") == ""
    assert ("1", "9711") in {(str(i), v) for i, v in one_confusion_variants("9111", "0123456789")}
    assert GOOD_USCC in repairs(MISREAD_USCC, "0123456789ABCDEFGHJKLMNPQRTUWXY", uscc.is_valid)
    assert uscc.is_valid(GOOD_USCC) and not uscc.is_valid(MISREAD_USCC)
    assert ean.is_valid(GOOD_EAN) and GOOD_EAN in repairs(MISREAD_EAN, "0123456789", ean.is_valid)


def test_a_confident_but_repairable_credit_code_is_held_for_review():
    findings = screen_ocr(label(credit=MISREAD_USCC))
    assert_no_accusation(findings)
    review = review_of(findings, "bad_credit_code_checksum")
    assert any(MISREAD_USCC in r for r in review.readings)
    assert GOOD_USCC in review.alternatives
    assert GOOD_USCC in describe(review) and GOOD_USCC in describe(review, "en")


def test_a_repairable_barcode_and_licence_province_are_held_for_review():
    findings = screen_ocr(label(barcode=MISREAD_EAN))
    assert_no_accusation(findings)
    assert GOOD_EAN in review_of(findings, "bad_barcode_checksum").alternatives
    findings = screen_ocr(label(licence="SC10837011200018"))  # 上海 31 read as 37 (山东)
    assert_no_accusation(findings)
    assert review_of(findings, "license_region_mismatch").alternatives == ["SC10831011200018"]


def test_a_second_reading_of_the_same_characters_confirms_it():
    calls = []

    def reread(line):
        calls.append(line.text)
        return [(line.text, 0.97)]  # the enlarged crop and the other engine read the same characters

    findings = screen_ocr(label(credit=MISREAD_USCC), reread=reread)
    assert [f.code for f in findings] == ["bad_credit_code_checksum"]
    assert calls and MISREAD_USCC in calls[0]


def test_mixed_second_readings_keep_it_under_review():
    def reread(line):
        return [(line.text, 0.97), (line.text.replace(MISREAD_USCC, GOOD_USCC), 0.95)]

    findings = screen_ocr(label(credit=MISREAD_USCC), reread=reread)
    assert_no_accusation(findings)
    review = review_of(findings, "bad_credit_code_checksum")
    assert any(GOOD_USCC in r for r in review.readings) and any(MISREAD_USCC in r for r in review.readings)


def test_a_garbled_second_reading_proves_nothing():
    findings = screen_ocr(label(credit=MISREAD_USCC), reread=lambda line: [("统一社会信用代码：", 0.99)])
    assert_no_accusation(findings)


def test_a_code_no_single_confusion_repairs_is_a_finding_only_when_read_twice():
    """Any one misread character fails a check: even with no known confusion, one reading never accuses."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    bad = next(GOOD_USCC[:-1] + c for c in alphabet if c != GOOD_USCC[-1]
               and not repairs(GOOD_USCC[:-1] + c, alphabet, uscc.is_valid))
    once = screen_ocr(label(credit=bad))
    assert_no_accusation(once)
    assert review_of(once, "bad_credit_code_checksum").readings
    twice = screen_ocr(label(credit=bad), reread=lambda line: [(line.text, 0.97)])
    assert [f.code for f in twice] == ["bad_credit_code_checksum"]


def test_typed_text_is_taken_as_read():
    assert [f.code for f in screen_text(label(credit=MISREAD_USCC))[1]] == ["bad_credit_code_checksum"]
