"""Labels covering every path of the screener, for the exact-findings tests (tests/labels/test_screening_exact.py).

Each case is (name, text, OCR confidence or None for typed text, second readings or None).  The
expected findings of each case - every key of every finding - are kept in
tests/labels/data/screening_exact.json, written by ``python -m tests.support.screening_cases``
and reviewed by eye before they are committed.
"""

from __future__ import annotations

import json
from pathlib import Path

FOOD = """食品名称：{name}
配料：小麦粉、白砂糖
净含量：97克
生产者：{maker}
地址：{address}
联系电话：0394-1234567
统一社会信用代码：{credit}
食品生产许可证编号：{licence}
产品标准代号：GB/T 20980
生产日期：{date}
保质期：12个月
{extra}
{barcode}"""
GOOD = {"name": "豫香源芝麻饼", "maker": "周口市鑫源食品厂", "address": "河南省周口市川汇区建设路8号",
        "credit": "91411602MA9G4P7X2H", "licence": "SC10841160200018", "date": "2024-03-01", "extra": "",
        "barcode": "6901234567892"}


def food(**changes) -> str:
    return FOOD.format(**{**GOOD, **changes})


def _valid_credit() -> str:
    from stdnum.cn import uscc

    stem = "91411602MA9G4P7X2"
    return stem + uscc.calc_check_digit(stem)


GOOD["credit"] = _valid_credit()


def _not_repairable() -> str:
    from stdnum.cn import uscc

    from evidence.labels.confusions import repairs

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return next(GOOD["credit"][:-1] + c for c in alphabet if c != GOOD["credit"][-1]
                and not repairs(GOOD["credit"][:-1] + c, alphabet, uscc.is_valid))


NOT_REPAIRABLE = _not_repairable()

CASES = [
    ("clean", food(), None, None),
    ("three_no_food", "麻辣条（调味面制品）\n配料：小麦粉、辣椒\n净含量：60克\n保质期：6个月", None, None),
    ("three_no_with_date_and_licence", "麻辣条\n配料：小麦粉\n生产日期：2024-01-02\n食品生产许可证编号：SC10141160200018", None, None),
    ("three_no_poor_photo", "麻辣条\n配料：小麦粉\n净含量：60克", 0.5, None),
    ("maker_without_address", food(address="").replace("地址：\n", ""), None, None),
    ("address_without_maker", food(maker="").replace("生产者：\n", ""), None, None),
    ("toiletry_missing", "产品名称：洁然洗洁精\n生产商：商丘市洁然日化有限公司\n净含量：1.5千克", None, None),
    ("qs_after_cutoff", food(licence="QS410012345678"), None, None),
    ("qs_before_cutoff", food(licence="QS410012345678", date="2017-05-01"), None, None),
    ("qs_without_date", food(licence="QS410012345678", date="见喷码", extra=""), None, None),
    ("qs_doubtful_reading", food(licence="QS410012345678"), 0.7, [("QS410012345678", 0.5)]),
    ("bad_barcode_typed", food(barcode="6901234567893"), None, None),
    ("bad_barcode_confident_not_repairable", food(barcode="6901234567893"), 0.9, None),
    ("bad_barcode_doubtful_refuted", food(barcode="6901234567893"), 0.6, [("6901234567892", 0.6)]),
    ("bad_barcode_doubtful_confirmed", food(barcode="6901234567893"), 0.6, [("6901234567893", 0.9)]),
    ("bad_barcode_doubtful_garbled", food(barcode="6901234567893"), 0.6, [("条码", 0.99)]),
    ("bad_barcode_two_repairs", food(barcode="6901234567115"), 0.98, None),
    ("bad_credit_typed", food(credit=GOOD["credit"][:-1] + ("A" if GOOD["credit"][-1] != "A" else "B")), None, None),
    ("region_mismatch_typed", food(licence="SC10831160200018"), None, None),
    ("region_mismatch_confident", food(licence="SC10831160200018"), 0.97, None),
    ("region_repairable_province", food(licence="SC10847160200018"), 0.97, None),
    ("cosmetic_licence_region", "产品名称：洁然洗发露\n生产商：商丘市洁然日化有限公司\n地址：河南省商丘市睢阳区古城路19号\n"
     "生产许可证编号：粤妆20180001\n生产日期：2024-01-01\n保质期：3年", None, None),
    ("appliance_without_ccc", "产品名称：电暖器\n额定电压：220V~\n生产商：沈丘县顺发电器厂\n地址：河南省周口市沈丘县付井镇东环路21号", None, None),
    ("appliance_with_ccc", "产品名称：电暖器\n额定电压：220V~\n生产商：沈丘县顺发电器厂\n地址：河南省周口市沈丘县付井镇东环路21号\n"
     "CCC证书编号：2023010710123456", None, None),
    ("disease_claim", food(extra="本品可降血压、降血糖"), None, None),
    ("health_claim_unregistered", food(extra="增强免疫力"), None, None),
    ("health_claim_registered", food(name="益康胶囊（保健食品）", extra="增强免疫力\n国食健注G20190123"), None, None),
    ("zero_additive_only", food(extra="零添加防腐剂"), None, None),
    ("zero_additive_with_disease", food(extra="零添加 可治疗糖尿病"), None, None),
    ("formula_unregistered", food(name="金领冠婴儿配方奶粉（0-6月龄，1段）"), None, None),
    ("formula_registered", food(name="金领冠婴儿配方奶粉", extra="产品配方注册号：国食注字YP20180001"), None, None),
    ("health_food_unregistered", food(name="益康胶囊（保健食品）"), None, None),
    ("lookalike_typed", food(name="康帅傅红烧牛肉面"), None, None),
    ("credit_read_with_a_letter_lookalike", food(credit=GOOD["credit"][:-2] + {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G"}.get(
        GOOD["credit"][-2], "Q") + GOOD["credit"][-1]), 0.98, None),
    ("credit_doubtful_other_invalid", food(credit=NOT_REPAIRABLE), 0.6,
     [("统一社会信用代码：" + NOT_REPAIRABLE[:-3] + "XYX", 0.95)]),
    ("credit_doubtful_shown_valid", food(credit=NOT_REPAIRABLE), 0.6, [("统一社会信用代码：" + GOOD["credit"], 0.95)]),
    ("credit_doubtful_same", food(credit=NOT_REPAIRABLE), 0.6, [("统一社会信用代码：" + NOT_REPAIRABLE, 0.95)]),
    ("barcode_doubtful_other_invalid", food(barcode="6901234567893"), 0.6, [("6901234567894", 0.95)]),
    ("region_reread_other_licence", food(licence="SC10831160200018"), 0.7,
     [("食品生产许可证编号：SC10841160200018", 0.95)]),
    ("region_reread_garbled", food(licence="SC10831160200018"), 0.7, [("许可证", 0.95)]),
    ("cosmetic_region_doubtful_refuted", "产品名称：洁然洗发露\n生产商：商丘市洁然日化有限公司\n地址：河南省商丘市睢阳区古城路19号\n"
     "生产许可证编号：粤妆20180001\n生产日期：2024-01-01\n保质期：3年", 0.7, [("生产许可证编号：豫妆20180001", 0.95)]),
    ("lookalike_trademark_line", food(extra="雷碧® 清爽一夏"), None, None),
    ("lookalike_brand_field", "产品名称：强效洗衣粉\n品牌：汰清\n生产商：商丘市洁然日化有限公司\n地址：河南省商丘市睢阳区古城路19号\n"
     "生产日期：2024-01-01\n保质期：3年", None, None),
    ("lookalike_latin", "产品名称：Colgtae 牙膏\n生产商：商丘市洁然日化有限公司\n地址：河南省商丘市睢阳区古城路19号\n"
     "生产日期：2024-01-01\n保质期：3年", None, None),
    ("lookalike_guessed_two_signals", "品名：心莲心高塔复合肥料\n生产企业：驻马店市驿城区丰年农资有限公司\n"
     "地址：河南省驻马店市驿城区雪松大道200号\n净含量：50千克", None, None),
    ("lookalike_guessed_one_signal", food(name="雷碧清凉夏饮"), None, None),
    ("lookalike_other_kind_of_product", food(name="金正太芝麻饼"), None, None),
    ("lookalike_title_and_name_agree", "康帅傅\n" + food(name="康帅傅红烧牛肉面"), 0.98, None),
    ("lookalike_title_and_name_differ", "康帅傅\n" + food(name="康帅博红烧牛肉面"), 0.98, None),
    ("lookalike_maker_name_like_owner", food(name="康帅傅红烧牛肉面", maker="康师傅控制食品有限公司"), 0.98, None),
    ("lookalike_genuine_title_typed", "康师傅\n" + food(name="康帅傅红烧牛肉面"), None, None),
    ("appliance_poor_photo", "产品名称：电暖器\n额定电压：220V~\n生产商：沈丘县顺发电器厂\n地址：河南省周口市沈丘县付井镇东环路21号",
     0.5, None),
    ("appliance_3c_mark_printed", "产品名称：电暖器\n额定电压：220V~\n生产商：沈丘县顺发电器厂\n地址：河南省周口市沈丘县付井镇东环路21号\n"
     "3C认证产品", None, None),
    ("appliance_without_name", "额定电压：220V~ 额定功率：2000W 电暖器\n生产商：沈丘县顺发电器厂\n地址：河南省周口市沈丘县付井镇东环路21号",
     None, None),
    ("claim_read_by_ocr", food(extra="本品可降血糖"), 0.97, None),
    ("claim_on_one_typed_line", "食品名称：豫香源芝麻饼 本品可治疗失眠", None, None),
    ("food_without_licence", food(licence="").replace("食品生产许可证编号：\n", ""), None, None),
    ("qs_on_the_cutoff_day", food(licence="QS410012345678", date="2018-10-01"), None, None),
    ("qs_doubtful_confirmed", food(licence="QS410012345678"), 0.7, [("QS410012345678", 0.95)]),
    ("qs_doubtful_not_shown_again", food(licence="QS410012345678"), 0.7, [("4100123456", 0.95)]),
    ("region_doubtful_confirmed", food(licence="SC10831160200018"), 0.7,
     [("食品生产许可证编号：SC10831160200018", 0.95), ("地址：河南省周口市川汇区建设路8号", 0.95)]),
    ("region_doubtful_address_elsewhere", food(licence="SC10831160200018"), 0.7,
     [("食品生产许可证编号：SC10831160200018", 0.95), ("地址：上海市闵行区建设路8号", 0.95)]),
    ("lookalike_maker_is_owner", food(name="康帅傅红烧牛肉面", maker="康师傅控股有限公司"), 0.98, None),
    ("lookalike_doubtful_confirmed", food(name="康帅傅红烧牛肉面"), 0.6, [("食品名称：康帅傅红烧牛肉面", 0.95)]),
    ("lookalike_doubtful_refuted", food(name="康帅傅红烧牛肉面"), 0.6, [("食品名称：康师傅红烧牛肉面", 0.95)]),
    ("lookalike_two_places_disagree", "康帅傅\n" + food(name="康师傅红烧牛肉面"), 0.98, None),
]


def run_case(text: str, confidence: float | None, rereads: list | None) -> list[dict]:
    """The findings of one case as people read them (typed text when ``confidence`` is None)."""
    from casebook.words.finding_words import with_words
    from evidence.labels.label_fields import extract_fields
    from evidence.labels.ocr import OcrLine, OcrResult
    from evidence.labels.screening import screen, screen_text

    if confidence is None:
        return [with_words(f.to_dict()) for f in screen_text(text)[1]]
    lines = [OcrLine(t, ((0, 30 * i), (600, 30 * i), (600, 30 * i + 26), (0, 30 * i + 26)), confidence)
             for i, t in enumerate(text.splitlines()) if t.strip()]
    ocr = OcrResult.from_lines("rapidocr", lines, (600, 30 * len(lines)))
    reread = (lambda line: list(rereads)) if rereads is not None else None
    # each case is a whole label: absences are judged (complete=True is the officer's word)
    return [with_words(f.to_dict()) for f in screen(extract_fields(lines), ocr=ocr, reread=reread, complete=True)]


GOLDEN = Path(__file__).resolve().parents[1] / "labels" / "data" / "screening_exact.json"

if __name__ == "__main__":
    data = {name: run_case(text, conf, rereads) for name, text, conf, rereads in CASES}
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
