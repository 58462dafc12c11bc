"""Fields -> findings: each code with its basis; no accusation on doubtful readings."""

from __future__ import annotations

import pytest
from stdnum import ean

from casebook.words.finding_words import describe, with_words
from evidence.labels.label_fields import extract_fields
from evidence.labels.ocr import OcrLine, OcrResult
from evidence.labels.screening import Finding, screen, screen_text
from tests.support.labels import assert_findings, assert_no_accusation
from tests.support.screening_cases import FOOD

GOOD = {"name": "奥利奥原味夹心饼干", "maker": "亿滋食品（北京）有限公司", "address": "北京市朝阳区建设路8号",
        "credit": "91110000600037341L", "licence": "SC10811010500018", "date": "2024-03-01", "extra": "",
        "barcode": "6901234567892"}


def label(**changes) -> str:
    return FOOD.format(**{**GOOD, **changes})


def codes(text: str) -> set[str]:
    return {f.code for f in screen_text(text)[1]}


def test_a_clean_label_has_no_findings():
    assert screen_text(label())[1] == []


@pytest.mark.parametrize(("changes", "code"), [
    ({"barcode": "6901234567893"}, "bad_barcode_checksum"),
    ({"credit": "91110000600037341X"}, "bad_credit_code_checksum"),
    ({"licence": "SC10844010500018"}, "license_region_mismatch"),
    ({"licence": "QS110012345678"}, "obsolete_qs_mark"),
    ({"extra": "本品可降血压、降血糖"}, "prohibited_claim"),
    ({"extra": "零添加 增强免疫力"}, "prohibited_claim"),
    ({"name": "粤利粤原味夹心饼干"}, "brand_lookalike"),
    ({"name": "金领冠婴儿配方奶粉（0-6月龄，1段）"}, "missing_registration"),
    ({"name": "XX牌胶囊（保健食品）"}, "missing_registration"),
])
def test_each_problem_gives_its_finding(changes, code):
    assert_findings(screen_text(label(**changes))[1], {code})


def test_findings_carry_values_basis_and_evidence_and_get_their_words_at_the_edge():
    findings = screen_text(label(barcode="6901234567893"))[1]
    assert set(findings[0].to_dict()) == {"code", "severity", "values", "basis", "evidence"}
    assert findings[0].values == {"barcode": "6901234567893", "expected": "2"}
    finding = with_words(findings[0].to_dict())
    assert set(finding) == {"code", "severity", "message", "message_en", "basis", "evidence"}
    assert "check digit" in finding["message_en"]
    assert finding["evidence"] == "6901234567893"
    assert "校验" in finding["message"] and "GB 12904" in finding["basis"]
    assert finding["severity"] == "warning"  # a failed check digit asks for a check, it proves nothing


def test_qs_mark_before_the_cutoff_is_lawful():
    assert "obsolete_qs_mark" not in codes(label(licence="QS110012345678", date="2017-05-01"))


def test_registered_infant_formula_and_health_food_pass():
    assert "missing_registration" not in codes(label(name="金领冠婴儿配方奶粉", extra="产品配方注册号：国食注字YP20180001"))
    assert "missing_registration" not in codes(label(name="XX牌胶囊（保健食品）", extra="国食健注G20190123"))


def test_zero_additive_claim_is_a_separate_warning():
    findings = screen_text(label(extra="零添加防腐剂"))[1]
    assert [f.code for f in findings] == ["zero_additive_claim"] and findings[0].severity == "warning"


def test_three_no_subsumes_the_missing_items():
    text = "麻辣条（调味面制品）\n配料：小麦粉、辣椒\n净含量：60克\n保质期：6个月"
    found = codes(text)
    assert "three_no" in found
    assert not found & {"missing_manufacturer", "missing_address", "missing_license_no", "missing_production_date"}
    assert {"missing_phone", "missing_standards"} <= found


def test_appliance_without_ccc():
    text = "产品名称：电热水壶\n额定电压：220V~\n生产商：沈丘县顺发电器厂\n地址：河南省周口市沈丘县付井镇东环路21号"
    assert_findings(screen_text(text)[1], {"missing_ccc"})
    assert "missing_ccc" not in codes(text + "\nCCC证书编号：2023010701123456")


def test_date_printed_elsewhere_is_not_missing():
    assert "missing_production_date" not in codes(label(date="见包装"))


@pytest.mark.parametrize("pair", [("三元", "三全"), ("美的", "美菱"), ("可口可乐", "百事可乐")])
def test_genuine_brands_are_not_accused_of_each_other(pair):
    for brand in pair:
        assert_no_accusation(screen_text(label(name=f"{brand}产品"))[1])


def test_genuine_brands_with_generic_words_are_not_lookalikes():
    for name in ("特仑苏纯牛奶", "六个核桃核桃乳", "康师傅红烧牛肉面", "旺仔牛奶", "农夫山泉饮用天然水"):
        assert_no_accusation(screen_text(label(name=name))[1])


def _ocr_of(text: str, confidence: dict[str, float]) -> OcrResult:
    lines = [OcrLine(t, ((0, 20 * i), (500, 20 * i), (500, 20 * i + 18), (0, 20 * i + 18)),
                     confidence.get(t, 0.99)) for i, t in enumerate(text.splitlines()) if t]
    return OcrResult.from_lines("rapidocr", lines, (500, 20 * len(lines)))


def test_a_doubtful_reading_gives_needs_review_not_an_accusation():
    text = label(barcode="6901234567893")
    ocr = _ocr_of(text, {"6901234567893": 0.62})
    findings = screen(extract_fields(ocr.lines), ocr=ocr)
    assert_no_accusation(findings)
    review = [f for f in findings if f.code == "needs_review"]
    assert review and review[0].suspected == "bad_barcode_checksum"
    assert review[0].readings == ["6901234567893"]


def test_a_second_reading_that_agrees_confirms_the_accusation():
    text = label(barcode="6901234567893")
    ocr = _ocr_of(text, {"6901234567893": 0.62})
    calls = []

    def reread(line):
        calls.append(line.text)
        return [("6901234567893", 0.97), ("6901234567893", 0.93)]

    findings = screen(extract_fields(ocr.lines), ocr=ocr, reread=reread)
    assert calls == ["6901234567893"]
    assert_findings(findings, {"bad_barcode_checksum"})


def test_a_second_reading_that_disagrees_keeps_it_under_review():
    good = "6901234567892"
    assert ean.is_valid(good)
    ocr = _ocr_of(label(barcode="6901234567893"), {"6901234567893": 0.62})
    findings = screen(extract_fields(ocr.lines), ocr=ocr, reread=lambda line: [(good, 0.98)])
    review = [f for f in findings if f.code == "needs_review"]
    assert review and good in review[0].readings and "6901234567893" in review[0].readings


def test_lookalike_is_held_back_when_the_maker_is_the_genuine_owner():
    ocr = _ocr_of(label(name="康帅傅红烧牛肉面", maker="康师傅控股有限公司"), {})
    findings = screen(extract_fields(ocr.lines), ocr=ocr)
    assert_no_accusation(findings)
    assert any(f.code == "needs_review" and f.suspected == "brand_lookalike" for f in findings)


def test_screen_accepts_a_fields_dict():
    fields = extract_fields(label(barcode="6901234567893")).to_dict()
    assert [f.code for f in screen(fields, text=label(barcode="6901234567893"))] == ["bad_barcode_checksum"]
    assert isinstance(screen(fields)[0], Finding)


def test_a_lookalike_names_the_genuine_mark_its_owner_and_the_trick_in_both_languages():
    _, findings = screen_text(label(name="康帅傅红烧牛肉面", maker="周口市鑫源食品厂"))
    (finding,) = [f for f in findings if f.code == "brand_lookalike"]
    assert finding.severity == "warning" and finding.evidence == "康帅傅"
    assert "“康师傅”（康师傅控股有限公司）" in describe(finding) and "形近 glyph: 师→帅" in describe(finding)
    assert "“康师傅” (康师傅控股有限公司)" in describe(finding, "en") and "glyph: 师→帅" in describe(finding, "en")
    assert finding.details["lookalike"]["brand"] == "康师傅"


def test_the_genuine_mark_in_the_title_over_a_copy_in_the_product_name_is_held_for_review():
    """The package shows 康师傅 large and 康帅傅 small: a misreading is as likely as a copy."""
    _, findings = screen_text("康师傅\n" + label(name="康帅傅红烧牛肉面", maker="周口市鑫源食品厂"))
    assert_no_accusation(findings)
    (review,) = [f for f in findings if f.suspected == "brand_lookalike"]
    assert review.readings == ["康师傅", "康帅傅红烧牛肉面"] and "两处识读不一致" in describe(review)


def test_a_genuine_mark_printed_twice_is_clean():
    _, findings = screen_text("康师傅®\n" + label(name="康师傅红烧牛肉面", maker="康师傅控股有限公司"))
    assert findings == []
