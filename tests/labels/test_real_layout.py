"""Layout and field classes missed on real phone photos, one test each.

Rows of a photo taken a few degrees askew, vertical digits beside a barcode, an address that
wraps onto a second line, a key whose first characters a thumb covers, ink-jet dates printed
without a key, two notes after a maker's name read as one, and faint lines on glossy film.
The geometry tests build the detector's boxes as RapidOCR returns them; the photo tests read
../shared/labels/real with the real engine (skipped when it is absent).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from evidence.labels.label_fields import extract_fields
from evidence.labels.layout import reading_order, skew
from evidence.labels.ocr import OcrLine, merge_rows


def _box(x: float, y: float, width: float, height: float, angle_deg: float = 0.0, centre=(600.0, 400.0)):
    """An upright text box turned by ``angle_deg`` about ``centre`` (rows falling to the right when > 0)."""
    a = math.radians(angle_deg)
    cx, cy = centre
    corners = ((x, y), (x + width, y), (x + width, y + height), (x, y + height))
    return tuple((cx + (px - cx) * math.cos(a) - (py - cy) * math.sin(a),
                  cy + (px - cx) * math.sin(a) + (py - cy) * math.cos(a)) for px, py in corners)


def _piece(text: str, x: float, y: float, angle: float = 0.0, height: float = 28.0, width: float | None = None):
    return OcrLine(text, _box(x, y, width or 26.0 * len(text), height, angle), 0.97)


# --- a photo taken askew -------------------------------------------------------------------------------

LEFT = ["配料：小麦粉、白砂糖、植物油", "食用盐、食品添加剂", "贮存条件：阴凉干燥处", "保质期：12个月",
        "食用方法：开袋即食", "净含量：500克", "致敏物质提示：含有小麦", "本品不适宜婴幼儿食用"]
RIGHT = ["生产商：甲乙食品有限公司", "地址：江苏省南京市中山路1号", "食品生产许可证编号：SC10132011500941",
         "产地：江苏省南京市", "电话：025-84561234", "执行标准：GB/T 20977", "生产日期：见封口", "委托方：丙丁贸易有限公司"]


@pytest.mark.parametrize("angle", [-6.0, 4.0, 7.0])
def test_the_columns_of_a_skewed_photo_are_read_one_by_one(angle):
    # two columns 40 px apart over eight rows: askew by a few degrees, no vertical blank band is left
    pieces = [_piece(t, 60, 100 + 50 * k, angle) for k, t in enumerate(LEFT)]
    right = 60 + max(26 * len(t) for t in LEFT) + 40
    pieces += [_piece(t, right, 100 + 50 * k, angle, width=22.0 * len(t)) for k, t in enumerate(RIGHT)]
    assert abs(math.degrees(skew(pieces)) - angle) < 0.5
    rows = reading_order(pieces, merge_rows)
    texts = [r.text for r in rows]
    assert sorted(texts) == sorted(LEFT + RIGHT)  # no row joins the two columns
    blocks = {r.text: r.block for r in rows}
    assert len({blocks[t] for t in LEFT}) == 1 and len({blocks[t] for t in RIGHT}) == 1
    assert blocks[LEFT[0]] != blocks[RIGHT[0]]
    assert [t for t in texts if t in LEFT] == LEFT and [t for t in texts if t in RIGHT] == RIGHT
    # the boxes handed back are the photo's own, not the straightened ones
    assert {r.box for r in rows} == {p.box for p in pieces}
    fields = extract_fields(rows)
    assert fields.manufacturer == "甲乙食品有限公司" and fields.address == "江苏省南京市中山路1号"


def test_vertical_digits_beside_a_barcode_never_join_a_row():
    pieces = [_piece("地址：广州市白云区太和镇南岭南业二横路1号", 60, 700, width=680),
              _piece("B栋一、二、三楼C栋一楼", 62, 745, width=280),
              OcrLine("9763219", ((950, 610), (1017, 610), (1017, 900), (950, 900)), 0.73)]
    rows = reading_order(pieces, merge_rows)
    # a line of its own, where its middle stands among the rows; the wrapped address is joined across it
    assert [r.text for r in rows].index("9763219") == 1 and len({r.block for r in rows}) == 2
    assert not any("9763219" in r.text and "地址" in r.text for r in rows)
    assert not any("9763219" in r.text and "楼" in r.text for r in rows)
    assert extract_fields(rows).address == "广州市白云区太和镇南岭南业二横路1号B栋一、二、三楼C栋一楼"


# --- an address wrapped onto a second line ------------------------------------------------------------


def _rows(*rows: tuple[str, float, float, float]) -> list[OcrLine]:
    return [OcrLine(t, _box(x, y, w, 30), 0.98) for t, x, y, w in rows]


def test_a_wrapped_address_keeps_its_second_line_under_the_key_or_under_the_value():
    under_key = _rows(("生产企业：广州聚立美生物科技有限公司", 70, 680, 440),
                      ("地址：广州市白云区太和镇南岭南业二横路1号(自主申报)自编", 60, 720, 686),
                      ("B栋一、二、三楼C栋一楼", 63, 760, 281),
                      ("化妆品生产许可证编号：粤妆20190093", 67, 800, 435))
    assert extract_fields(under_key).address == "广州市白云区太和镇南岭南业二横路1号(自主申报)自编B栋一、二、三楼C栋一楼"
    under_value = _rows(("生产商：江西清晨纸业有限公司", 1063, 563, 384),
                        ("地址：江西省九江市瑞昌市码头镇工业区", 1074, 725, 494),
                        ("(江西理文工业园区62车间)", 1137, 765, 334))
    assert extract_fields(under_value).address == "江西省九江市瑞昌市码头镇工业区(江西理文工业园区62车间)"


def test_a_line_below_an_address_that_is_another_item_stays_apart():
    rows = _rows(("地址：江苏省南京市江宁区汤山街道工业集中区中林路", 60, 100, 620),
                 ("2025.06.21.Y", 62, 140, 200),
                 ("地址：江苏省兴化市经济开发区环城南路5号", 60, 300, 600),
                 ("产地：江苏省泰州市", 62, 340, 250),
                 ("地址：安徽省合肥市高新区梅林大道59号", 60, 500, 300),  # short: it did not wrap
                 ("甜品烘焙", 62, 540, 120))
    fields = extract_fields(rows)
    assert fields.address == "江苏省南京市江宁区汤山街道工业集中区中林路"
    assert all("产地" not in (p.get("address") or "") and "甜品" not in (p.get("address") or "")
               for p in fields.parties)


# --- a key with its first characters covered -------------------------------------------------------------


def test_a_clipped_key_that_ends_two_keys_claims_neither():
    # "生产日期：见包装打码" with 生产日 under a thumb, then 保质期 on the same row
    fields = extract_fields("期：见包装打码保质期：三年")
    assert fields.shelf_life == "三年"
    assert extract_fields("址：深圳市龙岗区横岗街道荣德时代广场A1202").address == "深圳市龙岗区横岗街道荣德时代广场A1202"


@pytest.mark.parametrize("misread", ["E", "1", "|"])
def test_a_key_whose_clipped_first_character_reads_as_a_letter_still_names_its_field(misread):
    # 生产企业 with the 生 half covered: the recogniser gives a Latin letter, a digit or a bar
    fields = extract_fields(f"{misread}产企业：广州聚立美生物科技有限公司\n地址：广州市白云区太和镇南岭南业二横路1号")
    assert fields.manufacturer == "广州聚立美生物科技有限公司"
    assert fields.address == "广州市白云区太和镇南岭南业二横路1号"


# --- dates printed without a key ---------------------------------------------------------------------------


def test_a_bare_date_after_today_is_the_use_by_date():
    fields = extract_fields("YOU&PURE羽素\n合RGF3001J\n格20980629\n官方防伪扫码查询")
    assert fields.expiry_date == "2098-06-29" and fields.production_date is None


def test_a_bare_date_is_the_one_the_label_says_is_printed_elsewhere():
    use_by = extract_fields("生产批号和限期使用日期：见标注\n产地：广东省广州市\n1RGE2703J\n20240526")
    assert use_by.expiry_date == "2024-05-26" and use_by.production_date is None
    made = extract_fields("生产日期：见喷码\n保质期：三年\n20240602JA3")
    assert made.production_date == "2024-06-02" and made.expiry_date is None
    both = extract_fields("配料：水\n20230101\n20240101")
    assert (both.production_date, both.expiry_date) == ("2023-01-01", "2024-01-01")


def test_a_lone_past_date_beside_a_batch_code_is_not_guessed():
    fields = extract_fields("配料：水、白砂糖\n20240602JA3")
    assert fields.production_date is None and fields.expiry_date is None


def test_a_lone_past_date_alone_on_its_line_is_the_production_date():
    assert extract_fields("配料：水、白砂糖\n2024.05.02").production_date == "2024-05-02"
    assert extract_fields("配料：水、白砂糖\n2024.05.02.B").production_date == "2024-05-02"
    assert extract_fields("根据上级有关文件精神\n2016年4月19日").production_date is None  # a letter's date


# --- two notes after a maker's name ------------------------------------------------------------------------


def test_two_notes_read_as_one_with_a_bar_leave_the_name_and_the_code():
    fields = extract_fields("食品生产许可证编号：SC10132128108853\n生产商：江苏元气绿洲味业有限公司(分装|代码Y)\n"
                            "地址：江苏省兴化市经济开发区环城南路5号\n食品生产许可证编号：SC10332011500941\n"
                            "生产商:南京状元食品有限公司(分装)(代码Z)\n地址:南京市江宁区汤山街道工业集中区中林路\n2025.06.21.Y")
    assert fields.manufacturer == "江苏元气绿洲味业有限公司" and fields.made_by == "江苏元气绿洲味业有限公司"
    assert fields.license_no == "SC10132128108853" and fields.address == "江苏省兴化市经济开发区环城南路5号"


# --- real photos -------------------------------------------------------------------------------------------


def _real() -> Path:
    for base in (Path(__file__).resolve().parents[3] / "shared", Path(os.environ.get("CASEBOOK_SHARED", "/nonexistent"))):
        if (base / "labels" / "real" / "truth.json").is_file():
            return base / "labels" / "real"
    pytest.skip("../shared/labels/real is not beside this checkout (set CASEBOOK_SHARED to its folder)")


@pytest.mark.slow
@pytest.mark.parametrize(("photo", "wanted"), [
    # faint lines on a crumpled glossy pouch: the factory the date letter names is read at all
    ("real-02.jpg", {"manufacturer": "江苏元气绿洲味业有限公司", "license_no": "SC10132128108853",
                     "address": "江苏省兴化市经济开发区环城南路5号"}),
    # a wrapped address, a vertical barcode number beside it
    ("real-04.jpg", {"address": "广州市白云区太和镇南岭南业二横路1号(自主申报)自编B栋一、二、三楼C栋一楼",
                     "expiry_date": "2028-05-26"}),  # and a dot-matrix use-by date under the row above
    # a wrapped address indented under its value; a covered key before the shelf life
    ("real-06.jpg", {"address": "江西省九江市瑞昌市码头镇工业区(江西理文工业园区62车间)", "shelf_life": "三年"}),
    # a faint ink-jet use-by date with no key
    ("real-05.jpg", {"expiry_date": "2028-06-29"}),
])
def test_real_photos_read_the_fields_of_each_class(photo, wanted):
    from evidence.labels.label_report import read_label
    from evidence.labels.label_score import comparable

    truth = {t["file"]: t for t in json.loads((_real() / "truth.json").read_text(encoding="utf-8"))["photos"]}
    assert photo in truth
    report = read_label(_real() / photo, "rapidocr")
    assert report.error is None
    for name, value in wanted.items():
        assert comparable(report.fields.get(name)) == comparable(value), (name, report.fields.get(name))
    accusing = {"three_no", "obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
                "license_region_mismatch", "brand_lookalike", "missing_ccc", "prohibited_claim"}
    assert not {f.code for f in report.findings} & accusing


# --- a line squeezed sideways (the edge of a curved bottle) --------------------------------------------------


def test_a_squeezed_licence_line_is_read_again_stretched():
    from PIL import Image, ImageDraw, ImageFont

    from casebook.fonts import cjk_font_file
    from evidence.labels.line_rereads import restretch_malformed
    from evidence.labels.ocr import OcrResult, get_engine

    path, index = cjk_font_file(False)
    font = ImageFont.truetype(str(path), 30, index=index)
    photo = Image.new("RGB", (900, 200), "white")
    pen = ImageDraw.Draw(photo)
    pen.text((20, 20), "生产商：江苏艾兰得营养品有限公司", font=font, fill=(20, 20, 20))
    line = Image.new("RGB", (700, 44), "white")
    ImageDraw.Draw(line).text((0, 4), "食品生产许可证编号：SC12732128200155", font=font, fill=(20, 20, 20))
    photo.paste(line.resize((280, 44)), (20, 80))  # squeezed to 40 % of its width, as at a bottle's edge
    # the first reading as the engine gave it on a real bottle: the narrow digits dropped
    first = [OcrLine("生产商：江苏艾兰得营养品有限公司", ((20, 20), (520, 20), (520, 60), (20, 60)), 0.99),
             OcrLine("食品生产许可证编号：SC127200155", ((20, 80), (300, 80), (300, 124), (20, 124)), 0.90)]
    again = restretch_malformed(OcrResult.from_lines("rapidocr", first, photo.size), photo, get_engine("rapidocr"))
    assert extract_fields(again.lines).license_no == "SC12732128200155"
    assert again.lines[0] == first[0]  # a line with nothing malformed is not read again
    # a reading that stays malformed changes nothing
    blank = Image.new("RGB", (900, 200), "white")
    unchanged = restretch_malformed(OcrResult.from_lines("rapidocr", first, blank.size), blank, get_engine("rapidocr"))
    assert [ln.text for ln in unchanged.lines] == [ln.text for ln in first]


@pytest.mark.slow
def test_the_licence_at_the_edge_of_a_real_bottle_reads_whole():
    from evidence.labels.label_report import read_label

    report = read_label(_real() / "real-01.jpg", "rapidocr")
    assert report.fields["license_no"] == "SC12732128200155"


# --- more real photos kept in the repository -----------------------------------------------------------------

MORE = Path(__file__).resolve().parent / "data" / "real_more"
ACCUSING = {"three_no", "obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
            "license_region_mismatch", "brand_lookalike", "missing_ccc", "prohibited_claim"}


def test_the_extra_real_photos_are_small_pinned_and_licensed():
    import hashlib

    photos = json.loads((MORE / "truth.json").read_text(encoding="utf-8"))["photos"]
    assert len(photos) >= 8
    for photo in photos:
        data = (MORE / photo["file"]).read_bytes()
        assert len(data) <= 300_000 and hashlib.sha256(data).hexdigest() == photo["sha256"]
        assert "@" in photo["source"] and photo["licence"].startswith(("Apache-2.0", "MIT"))
        assert photo["accusations_expected"] == []


@pytest.mark.slow
def test_the_extra_real_photos_get_no_accusation_and_their_legible_fields():
    from evidence.labels.label_report import read_labels
    from evidence.labels.label_score import comparable

    photos = json.loads((MORE / "truth.json").read_text(encoding="utf-8"))["photos"]
    reports = read_labels([MORE / p["file"] for p in photos], "rapidocr")
    for photo, report in zip(photos, reports, strict=True):
        assert report.error is None, photo["file"]
        assert not {f.code for f in report.findings} & ACCUSING, (photo["file"], [f.code for f in report.findings])
        for key in ("product_name", "address"):
            if key in photo["visible"]:
                assert comparable(report.fields.get(key)) == comparable(photo["visible"][key]), (photo["file"], key)


# --- a dot-matrix ink-jet date ----------------------------------------------------------------------------


def _dot_matrix(text: str, font, size=(520, 60), pitch=5):
    """``text`` printed as an ink-jet printer does: separate dots on a grid, no strokes."""
    import numpy as np
    from PIL import Image, ImageDraw

    solid = Image.new("L", size, 255)
    ImageDraw.Draw(solid).text((4, 4), text, font=font, fill=0)
    ink = np.asarray(solid) < 128
    rows, cols = np.mgrid[0:size[1], 0:size[0]]
    out = np.full((size[1], size[0]), 235, np.uint8)
    out[ink & ((rows % pitch) < 3) & ((cols % pitch) < 3)] = 40
    return Image.fromarray(out)


def test_a_doubtful_dot_matrix_date_is_read_again_from_several_crops():
    from PIL import Image, ImageFont

    from casebook.fonts import cjk_font_file
    from evidence.labels.line_rereads import reread_code_lines
    from evidence.labels.ocr import OcrResult, get_engine

    path, index = cjk_font_file(False)
    font = ImageFont.truetype(str(path), 44, index=index)
    photo = Image.new("L", (600, 160), 235)
    photo.paste(_dot_matrix("RGE2703J", font), (30, 20))
    photo.paste(_dot_matrix("20280526", font), (30, 72))
    photo = photo.convert("RGB")
    # the first reading as the engine gave it on a real sachet: its box takes in half the row above, 8 read as 6
    first = [OcrLine("RGE2703J", ((30, 20), (330, 20), (330, 80), (30, 80)), 0.75),
             OcrLine("P120260526", ((30, 55), (330, 55), (330, 132), (30, 132)), 0.72)]
    again = reread_code_lines(OcrResult.from_lines("rapidocr", first, photo.size), photo, get_engine("rapidocr"))
    assert "20280526" in again.lines[1].text and again.lines[0] == first[0]
    assert extract_fields(["生产批号和限期使用日期：见标注", *[ln.text for ln in again.lines]]).expiry_date == "2028-05-26"
    # a code line read with confidence is not read again
    sure = [OcrLine("20260526", ((30, 55), (330, 55), (330, 132), (30, 132)), 0.97)]
    assert reread_code_lines(OcrResult.from_lines("rapidocr", sure, photo.size), photo,
                             get_engine("rapidocr")).lines == sure


# --- how ink-jet printers and imported goods write dates ----------------------------------------------------


@pytest.mark.parametrize(("text", "production", "expiry"), [
    ("生产日期：2025-05-20 08:32", "2025-05-20", None),  # the printer's clock after the date
    ("生产日期/批号：20250702 1A", "2025-07-02", None),  # the batch after a space
    ("生产日期：2025 05 13", "2025-05-13", None),
    ("生产日期:见瓶身\n2024.12.26 10:21", "2024-12-26", None),  # the bare date on the bottle, with its time
    ("限用日期：20271226", None, "2027-12-26"),
    ("MFG:2025.05.13 EXP:2027.05.12", "2025-05-13", "2027-05-12"),
    ("EXPRESS 2025.01.01", None, None),  # EXP is a whole word
])
def test_dates_as_printers_and_imported_goods_write_them(text, production, expiry):
    fields = extract_fields(text)
    assert (fields.production_date, fields.expiry_date) == (production, expiry)
