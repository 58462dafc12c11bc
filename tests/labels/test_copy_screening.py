"""Copies whose mark ends where no listed word says, marks read twice, and check digits read by two engines.

Each test is a class of label that the screener got wrong: a copied mark followed by a word the
product-word lists do not hold (the mark's end only guessed), a Latin mark whose two printings
read 1 for l, a genuine mark followed by letters (娃哈哈AD钙奶) taken for a copy, a failed check
digit read the same by both engines but under the first engine's confidence bar, and a credit code
whose letter O the field reads as 0.  The registry, the screener and the field parser are the real
ones; OCR readings are given as the engines return them (lines, confidences, second readings).
"""

from __future__ import annotations

import pytest
from stdnum import ean

from evidence.labels.brands import default_registry
from evidence.labels.label_fields import extract_fields
from evidence.labels.marks import mark_candidates
from evidence.labels.ocr import OcrLine, OcrResult
from evidence.labels.screening import screen, screen_text

LABEL = ("品名：{name}\n配料：{ingredients}\n净含量：500克\n生产商：周口市某某食品有限公司\n"
         "地址：河南省周口市川汇区建设路8号\n")


def _codes(text: str) -> set[str]:
    return {f.code for f in screen_text(text)[1]}


@pytest.mark.parametrize(("name", "ingredients", "genuine"), [
    ("佳洁土冰爽薄荷牙膏", "水、摩擦剂", "佳洁士"),    # 冰爽 is no product word: the mark's end is a guess
    ("福林门葵花籽油", "葵花籽", "福临门"),           # 葵花籽油 is not listed, 油 is the edible-oil word
    ("良品小铺子手撕肉干", "牛肉", "良品铺子"),        # a character added inside a four-character mark
])
def test_a_copy_whose_mark_end_is_unmarked_is_found_when_the_package_agrees(name, ingredients, genuine):
    findings = screen_text(LABEL.format(name=name, ingredients=ingredients))[1]
    copies = [f for f in findings if f.code == "brand_lookalike"]
    assert copies, f"{name}: no lookalike finding"
    assert copies[0].details["lookalike"]["brand"] == genuine


def test_a_guessed_copy_without_the_genuine_products_words_is_not_accused():
    """The package must agree (the genuine mark's product words): a guess alone accuses nothing."""
    assert "brand_lookalike" not in _codes(LABEL.format(name="良品小铺子每日零食", ingredients="小麦粉"))


@pytest.mark.parametrize("name", ["娃哈哈AD钙奶", "康师傅AD钙饼干", "六神花露水", "新洋丰硫酸钾型复合肥料"])
def test_a_name_that_starts_with_a_registered_mark_has_no_guessed_mark(name):
    registry = default_registry()
    candidates = mark_candidates(product_name=name, known=registry.names)
    assert not [c for c in candidates if c.where.endswith("_guess")]
    assert "brand_lookalike" not in _codes(LABEL.format(name=name, ingredients="生牛乳"))


def _ocr(lines: list[tuple[str, float]]) -> OcrResult:
    rows = [OcrLine(text, ((0, 40 * i), (600, 40 * i), (600, 40 * i + 30), (0, 40 * i + 30)), conf)
            for i, (text, conf) in enumerate(lines)]
    return OcrResult.from_lines("rapidocr", rows, (600, 40 * len(rows)))


def _screen(lines: list[tuple[str, float]], rereads: list[tuple[str, float, str]]):
    ocr = _ocr(lines)
    return screen(extract_fields(ocr.lines), ocr=ocr, reread=lambda line: list(rereads), complete=True)


BODY = [("配料：小麦粉、白砂糖", 0.99), ("净含量：300克", 0.99), ("生产商：开封市某某食品厂", 0.99),
        ("地址：河南省开封市祥符区兴华街6号", 0.99)]


def test_a_latin_copy_read_1_for_l_in_one_place_is_still_one_reading():
    """The title reads 0rco, the name Orco: one printed mark (0/O), copied from Oreo, once read again."""
    lines = [("0rco", 0.97), ("品名：Orco 夹心饼干", 0.99), *BODY]
    findings = _screen(lines, [("品名：Orco 夹心饼干", 0.99, "rapidocr")])
    assert "brand_lookalike" in {f.code for f in findings}


def test_two_places_that_differ_by_more_than_a_lookalike_glyph_stay_in_doubt():
    lines = [("Orca", 0.97), ("品名：Orco 夹心饼干", 0.99), *BODY]
    findings = _screen(lines, [("品名：Orco 夹心饼干", 0.99, "rapidocr")])
    assert "brand_lookalike" not in {f.code for f in findings}


def _misread_barcode(drawn: str, read: str) -> str:
    """A failed barcode that one ``drawn`` -> ``read`` digit confusion repairs, and no other engine pair of RapidOCR."""
    from evidence.labels.confusions import engine_repairs

    for n in range(10 ** 6):
        good = f"69{n:010d}"
        good += ean.calc_check_digit(good)
        if drawn not in good[2:12]:
            continue
        at = good.index(drawn, 2)
        code = good[:at] + read + good[at + 1:]
        if not ean.is_valid(code) and (drawn + read in ("65", "56")) == bool(engine_repairs(code, ean.is_valid,
                                                                                                   "rapidocr")):
            return code
    raise AssertionError("no such code")


def test_a_failed_check_digit_read_the_same_by_both_engines_accuses():
    """RapidOCR reads a 6 as 5, so its own second reading proves nothing; Tesseract, which scores clean
    digits in the high 0.8s, reading exactly the same digits confirms."""
    code = _misread_barcode("6", "5")
    findings = _screen([*BODY, (code, 0.999)], [(code, 0.9999, "rapidocr"), (code, 0.89, "tesseract")])
    assert "bad_barcode_checksum" in {f.code for f in findings}


def test_a_failed_check_digit_the_other_engine_reads_valid_is_only_reviewed():
    code = _misread_barcode("6", "5")
    valid = next(v for v in (code[:i] + "6" + code[i + 1:] for i, c in enumerate(code) if c == "5") if ean.is_valid(v))
    findings = _screen([*BODY, (code, 0.999)], [(code, 0.9999, "rapidocr"), (valid, 0.89, "tesseract")])
    codes = {f.code for f in findings}
    assert "bad_barcode_checksum" not in codes and "needs_review" in codes


def test_a_second_reading_that_fails_its_check_too_does_not_clear_the_code():
    """Tesseract reads another wrong digit: no valid code, so it clears nothing; RapidOCR read the same twice."""
    code = _misread_barcode("0", "8")
    other = next(v for v in (code[:i] + "9" + code[i + 1:] for i, c in enumerate(code) if c == "3")
                 if not ean.is_valid(v)) if "3" in code else code[:3] + str((int(code[3]) + 1) % 10) + code[4:]
    assert not ean.is_valid(other)
    findings = _screen([*BODY, (code, 0.999)], [(code, 0.9999, "rapidocr"), (other, 0.63, "tesseract")])
    assert "bad_barcode_checksum" in {f.code for f in findings}


def test_a_credit_code_printed_with_a_letter_o_is_found_on_its_line():
    """The field maps O to 0; the line still prints O: the code is found there and read again."""
    from stdnum.cn import uscc

    stem = "91411602MA9G4P700"
    bad = stem + next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != uscc.calc_check_digit(stem))
    printed = bad[:-3] + "O" + bad[-2:]  # …7O0X: the letter O where the code has 0
    findings = _screen([*BODY, (f"统一社会信用代码：{printed}", 0.999)],
                       [(f"统一社会信用代码：{printed}", 0.999, "rapidocr")])
    codes = {f.code for f in findings}
    assert "bad_credit_code_checksum" in codes


@pytest.mark.slow  # cpca's place table loads in some 10 s
def test_a_traditional_character_address_names_its_province():
    """貴州省 is 贵州省: a licence of another province on a label in traditional characters is found."""
    text = ("產品名稱：風味豆豉油製辣椒\n配料：大豆油、辣椒\n淨含量：280克\n生產單位：貴陽南明某某食品有限公司\n"
            "廠址：貴州省貴陽市南明區長江路79號\n生產許可證號：SC10334772326793\n保質期：12個月\n")
    findings = screen_text(text)[1]
    assert "license_region_mismatch" in {f.code for f in findings}


def test_a_mark_set_apart_in_brackets_is_read_as_the_mark():
    """【康帅傅】红烧牛肉面: the brackets set the mark apart; a genuine one in brackets stays genuine."""
    assert "brand_lookalike" in _codes(LABEL.format(name="【康帅傅】红烧牛肉面", ingredients="小麦粉"))
    assert "brand_lookalike" not in _codes(LABEL.format(name="【康师傅】红烧牛肉面", ingredients="小麦粉"))
    assert default_registry().match("【新品】红烧牛肉面").lookalikes == []


def test_a_guessed_mark_of_near_identical_shape_on_the_same_kind_of_product_is_a_copy():
    """千禾 -> 干禾 (one stroke) on a soy sauce, followed by 头道, a word no list holds."""
    text = "品名：干禾头道原香生抽\n配料：大豆、小麦、食用盐\n净含量：500毫升\n生产商：周口市某某食品有限公司\n" \
           "地址：河南省周口市川汇区建设路8号\n"
    copies = [f for f in screen_text(text)[1] if f.code == "brand_lookalike"]
    assert copies and copies[0].details["lookalike"]["brand"] == "千禾"


def _rendered_label(title: str, font_file: str, index: int = 0):
    from PIL import Image, ImageDraw, ImageFont

    picture = Image.new("RGB", (900, 420), "white")
    draw = ImageDraw.Draw(picture)
    draw.text((40, 30), title, font=ImageFont.truetype(font_file, 56, index=index), fill="black")
    small = ImageFont.truetype(font_file, 30, index=index)
    for k, line in enumerate(["配料：水、大豆、小麦、食用盐", "净含量：500毫升", "生产商：周口市某某食品有限公司",
                              "地址：河南省周口市川汇区建设路8号"]):
        draw.text((40, 130 + 60 * k), line, font=small, fill="black")
    return picture


NOTO_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


@pytest.mark.slow
@pytest.mark.skipif(not __import__("pathlib").Path(NOTO_BOLD).is_file(), reason="Noto Sans CJK Bold not installed")
def test_a_copy_read_as_the_genuine_mark_is_held_for_review_by_what_the_recogniser_also_saw():
    """小夭鹅 is read 小天鹅 by RapidOCR, yet 夭 keeps a share of the recogniser's scores: review, never
    an accusation; the genuine 小天鹅 printed the same way raises nothing."""
    from evidence.labels.label_report import report_from_ocr
    from evidence.labels.ocr import get_engine

    engine = get_engine("rapidocr")
    copy = _rendered_label("小夭鹅洗衣机", NOTO_BOLD, 2)
    report = report_from_ocr("copy.png", copy, engine.read(copy), engine)
    held = [f for f in report.findings if f.code == "needs_review" and "小夭鹅" in f.readings]
    assert held, [f.to_dict() for f in report.findings]
    from casebook.words.finding_words import describe

    assert "仿冒名称“小夭鹅”" in describe(held[0], "zh") and "check the package by eye" in describe(held[0], "en")
    assert "brand_lookalike" not in {f.code for f in report.findings} or "小夭鹅" in report.text
    genuine = _rendered_label("小天鹅洗衣机", NOTO_BOLD, 2)
    report = report_from_ocr("genuine.png", genuine, engine.read(genuine), engine)
    assert not [f for f in report.findings if f.code in ("needs_review", "brand_lookalike")]


@pytest.mark.slow
@pytest.mark.skipif(not __import__("pathlib").Path(NOTO_BOLD).is_file(), reason="Noto Sans CJK Bold not installed")
def test_the_doubt_on_a_copy_does_not_hang_on_the_detectors_box():
    """The detector's box around the mark's line varies with its thresholds and the photo (a few pixels
    more or less margin); the lookalike's share moved with it from 0.02 to 0.1.  Whatever the box, the
    copy 小夭鹅 read as 小天鹅 shows 夭, and the genuine 小天鹅 printed the same way shows nothing."""
    from evidence.labels.mark_doubts import make_alternatives
    from evidence.labels.ocr import get_engine

    engine = get_engine("rapidocr")
    for title, expected in (("小夭鹅洗衣机", {(1, "夭")}), ("小天鹅洗衣机", set())):
        picture = _rendered_label(title, NOTO_BOLD, 2)
        line = next(li for li in engine.read(picture).lines if "小天鹅" in li.text)
        (x0, y0), (x1, _), (_, y1) = line.box[0], line.box[1], line.box[2]
        alternatives = make_alternatives(picture, engine)
        for grow in (-3, 0, 3, 6, 10, 16):
            box = ((x0 - grow, y0 - grow), (x1 + grow, y0 - grow), (x1 + grow, y1 + grow), (x0 - grow, y1 + grow))
            seen = {(i, other) for i, other, _ in alternatives(OcrLine(line.text, box, line.confidence), "小天鹅")}
            assert seen == expected, (title, grow, seen)
