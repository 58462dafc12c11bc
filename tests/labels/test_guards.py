"""The promises that matter most, each guarded by an exact set of findings (never a subset)."""

from __future__ import annotations

import pytest

from casebook.words.finding_words import describe
from evidence.labels.label_fields import extract_fields
from evidence.labels.ocr import OcrLine, OcrResult
from evidence.labels.screening import screen, screen_text

HEAD = """食品名称：豫香源芝麻饼
配料：小麦粉、白砂糖、芝麻
净含量：200克"""
TAIL = """联系电话：0394-1234567
食品生产许可证编号：SC10841160200018
产品标准代号：GB/T 20980
生产日期：2024-03-01
保质期：12个月
6901234567892"""
MAKER = "生产者：周口市鑫源食品厂"
ADDRESS = "地址：河南省周口市川汇区建设路8号"


def codes(text: str) -> list[str]:
    return sorted(f.code for f in screen_text(text)[1])


def test_maker_and_address_present_is_clean():
    assert codes("\n".join([HEAD, MAKER, ADDRESS, TAIL])) == []


def test_the_maker_without_the_address_is_not_three_no():
    assert codes("\n".join([HEAD, MAKER, TAIL])) == ["missing_address"]


def test_the_address_without_the_maker_is_not_three_no():
    assert codes("\n".join([HEAD, ADDRESS, TAIL])) == ["missing_manufacturer"]


def test_neither_is_three_no_and_subsumes_the_missing_items():
    assert codes("\n".join([HEAD, TAIL])) == ["three_no"]


CLAIMS = "\n".join([HEAD.replace("芝麻饼", "牌胶囊（保健食品）"), MAKER, ADDRESS, TAIL])


@pytest.mark.parametrize(("extra", "expected"), [
    ("保健功能：增强免疫力\n国食健注G20190123", []),
    ("保健功能：增强免疫力，可治疗糖尿病\n国食健注G20190123", ["prohibited_claim"]),
    ("保健功能：增强免疫力", ["missing_registration", "prohibited_claim"]),
])
def test_a_registered_health_food_may_claim_its_function_but_never_a_cure(extra, expected):
    findings = screen_text(CLAIMS + "\n" + extra)[1]
    assert sorted(f.code for f in findings) == expected
    if "prohibited_claim" in expected and "国食健注" in extra:
        claim = next(f for f in findings if f.code == "prohibited_claim")
        assert "治疗" in describe(claim) and "增强免疫力" not in describe(claim)


def _ocr(text: str, confidence: float) -> OcrResult:
    lines = [OcrLine(t, ((0, 30 * i), (600, 30 * i), (600, 30 * i + 26), (0, 30 * i + 26)), confidence)
             for i, t in enumerate(text.splitlines()) if t]
    return OcrResult.from_lines("rapidocr", lines, (600, 30 * len(lines)))


def test_a_poor_photo_is_not_treated_as_a_clear_one():
    text = "\n".join([HEAD, TAIL])  # no maker, no address read
    clear = screen(extract_fields(text), ocr=_ocr(text, 0.97), complete=True)
    assert sorted(f.code for f in clear) == ["three_no"]
    poor = screen(extract_fields(text), ocr=_ocr(text, 0.55), complete=True)
    assert [(f.code, f.suspected) for f in poor] == [("needs_review", "three_no")]


def test_a_poor_reading_of_an_appliance_does_not_allege_a_missing_ccc():
    text = "产品名称：电暖器\n额定电压：220V~\n生产商：沈丘县顺发电器厂\n地址：河南省周口市沈丘县付井镇东环路21号"
    clear = screen(extract_fields(text), ocr=_ocr(text, 0.97), complete=True)
    assert sorted(f.code for f in clear) == ["missing_ccc"]
    poor = screen(extract_fields(text), ocr=_ocr(text, 0.5), complete=True)
    assert [(f.code, f.suspected) for f in poor] == [("needs_review", "missing_ccc")]


def test_a_label_that_prints_only_its_name_read_clearly_is_three_no():
    text = "产品名称：婴儿手推车"
    found = screen(extract_fields(text), ocr=_ocr(text, 0.99), complete=True)
    assert sorted(f.code for f in found) == ["missing_ccc", "three_no"]
    doubtful = screen(extract_fields(text), ocr=_ocr(text, 0.8), complete=True)
    assert sorted(f.suspected for f in doubtful) == ["missing_ccc", "three_no"]
