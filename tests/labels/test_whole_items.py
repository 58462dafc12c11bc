"""Real photos, whole items: accuse only what the item shows.

Each failure class seen on real phone photos has its test here: a photo of one side called
"three-no", a two-column label read across its columns, two factories on one label, one misread
barcode digit, a name printed only as the title, a label in traditional characters, and the
read-only crop that stopped a batch.  Real photos come from ../shared (skipped when absent);
the others are drawn here with the project's CJK font and read by the real engines.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from casebook.words.finding_words import describe
from evidence.labels.item_screening import ItemPhoto, screen_item
from evidence.labels.label_fields import extract_fields, normalise
from evidence.labels.ocr import OcrLine, OcrResult
from evidence.labels.screening import screen

ACCUSING = {"three_no", "obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
            "license_region_mismatch", "brand_lookalike", "missing_ccc", "prohibited_claim"}


def _real() -> Path:
    for base in (Path(__file__).resolve().parents[3] / "shared", Path(os.environ.get("CASEBOOK_SHARED", "/nonexistent"))):
        if (base / "labels" / "real" / "truth.json").is_file():
            return base / "labels" / "real"
    pytest.skip("../shared/labels/real is not beside this checkout (set CASEBOOK_SHARED to its folder)")


def _font(size: int) -> ImageFont.FreeTypeFont:
    from casebook.fonts import cjk_font_file

    path, index = cjk_font_file(False)
    return ImageFont.truetype(str(path), size, index=index)


def draw(rows: list[tuple[int, int, str, int]], size=(1100, 700)) -> Image.Image:
    """A label drawn as (x, y, text, font size) rows on white."""
    image = Image.new("RGB", size, (255, 255, 255))
    pen = ImageDraw.Draw(image)
    for x, y, text, px in rows:
        pen.text((x, y), text, font=_font(px), fill=(20, 20, 20))
    return image


def save(image: Image.Image, path: Path) -> Path:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    path.write_bytes(buffer.getvalue())
    return path


def typed_ocr(text: str, confidence: float = 0.98) -> tuple[list[OcrLine], OcrResult]:
    lines = [OcrLine(t, ((0, 30 * i), (600, 30 * i), (600, 30 * i + 26), (0, 30 * i + 26)), confidence)
             for i, t in enumerate(text.splitlines()) if t.strip()]
    return lines, OcrResult.from_lines("rapidocr", lines, (600, 30 * len(lines)))


# --- a photo of one side is not a three-no product ------------------------------------------------


def test_a_photo_of_one_side_reports_not_visible_never_three_no():
    lines, ocr = typed_ocr("麻辣条（调味面制品）\n配料：小麦粉、辣椒\n净含量：60克\n保质期：6个月")
    findings = screen(extract_fields(lines), ocr=ocr)
    codes = [f.code for f in findings]
    assert "three_no" not in codes and not any(c.startswith("missing_") for c in codes)
    [seen] = [f for f in findings if f.code == "not_visible"]
    assert seen.severity == "info" and "生产者名称" in describe(seen) and "未见不等于产品未标注" in describe(seen)
    # the officer's word that the photo shows the whole label: now it is three-no
    assert "three_no" in [f.code for f in screen(extract_fields(lines), ocr=ocr, complete=True)]


def test_an_item_is_screened_on_the_union_of_its_photos():
    front_lines, front = typed_ocr("麻辣条\n净含量：60克\n生产日期：2024-01-02")
    back_lines, back = typed_ocr("生产商：周口市鑫源食品厂\n地址：河南省周口市川汇区建设路8号\n净含量：65克")
    photos = [ItemPhoto("front.jpg", extract_fields(front_lines), front, None, front.text),
              ItemPhoto("back.jpg", extract_fields(back_lines), back, None, back.text)]
    whole = screen_item(photos, complete=True)
    codes = [f.code for f in whole.findings]
    assert "three_no" not in codes and "missing_manufacturer" not in codes
    assert whole.fields.manufacturer == "周口市鑫源食品厂" and whole.sources["manufacturer"] == "back.jpg"
    [diff] = whole.disagreements
    assert diff["field"] == "net_content" and [v["image"] for v in diff["values"]] == ["front.jpg", "back.jpg"]
    alone = screen_item(photos[:1], complete=False)
    assert "three_no" not in [f.code for f in alone.findings] and "not_visible" in [f.code for f in alone.findings]


@pytest.mark.slow
def test_real_photos_of_one_side_get_no_accusation():
    """The team's before-stop check: none of the real photos justifies an accusation."""
    photos = sorted(_real().glob("*.jpg"))
    done = subprocess.run([sys.executable, "-m", "casebook.cli", "labels", "read", *map(str, photos), "--json",
                           "--workers", "2"], capture_output=True, timeout=900,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 0, done.stderr[-2000:]
    items = json.loads(done.stdout)
    assert [i["image"] for i in items] == list(map(str, photos))
    for item in items:
        assert not ACCUSING & {f["code"] for f in item["findings"]}, (item["image"], item["findings"])
        # nor any other finding that alleges something (a care label's 最高洗涤温度 is no absolute term)
        assert not {f["severity"] for f in item["findings"]} & {"violation", "warning"}, (item["image"], item["findings"])


# --- layout: two columns, parties, two factories --------------------------------------------------


def test_a_two_column_label_is_read_column_by_column(tmp_path):
    from evidence.labels.label_report import read_label

    left = ["配料：小麦粉、白砂糖、", "植物油、食用盐、", "鸡蛋、食用香精"]
    right = ["生产商：", "河南鑫源食品有限公司", "地址：河南省郑州市金水路18号"]
    rows = [(40, 60 + 60 * i, t, 34) for i, t in enumerate(left)] + [(600, 60 + 60 * i, t, 34)
                                                                      for i, t in enumerate(right)]
    report = read_label(save(draw(rows, (1150, 300)), tmp_path / "two.jpg"))
    assert report.error is None
    assert report.fields["manufacturer"] == "河南鑫源食品有限公司"
    assert report.fields["address"] == "河南省郑州市金水路18号"
    assert len({line.block for line in report.lines}) >= 2


def test_two_factories_on_one_label_are_both_kept_and_the_date_letter_says_which():
    text = """委托方：安徽元气森林饮品有限公司
地址：安徽省滁州市琅琊区梅林大道59号
实际生产商见生产日期后英文字母代码
食品生产许可证编号：SC10132128108853
生产商：江苏元气绿洲味业有限公司(分装)(代码Y)
地址：江苏省兴化市经济开发区环城南路5号
食品生产许可证编号：SC10332011500941
生产商：南京状元食品有限公司(分装)(代码Z)
地址：南京市江宁区汤山街道工业集中区中林路
2025.06.21.Y"""
    fields = extract_fields(text)
    factories = [p for p in fields.parties if p["role"] == "producer"]
    assert [(p["name"], p["code"], p["licence"]) for p in factories] == [
        ("江苏元气绿洲味业有限公司", "Y", "SC10132128108853"), ("南京状元食品有限公司", "Z", "SC10332011500941")]
    assert fields.made_by == "江苏元气绿洲味业有限公司"
    assert (fields.manufacturer, fields.address, fields.license_no) == (
        "江苏元气绿洲味业有限公司", "江苏省兴化市经济开发区环城南路5号", "SC10132128108853")
    client = next(p for p in fields.parties if p["role"] == "client")
    assert client["address"].startswith("安徽省滁州市")
    assert "license_region_mismatch" not in [f.code for f in screen_item(
        [ItemPhoto("x.jpg", fields, None, None, text)], complete=True).findings]


def test_the_maker_never_takes_the_registrants_address():
    text = """注册人：深圳市羽素生物科技有限公司
注册人地址：深圳市龙岗区横岗街道荣德时代广场A1202
生产企业：广州聚立美生物科技有限公司
生产地址：广州市白云区太和镇南岭南业二横路1号
化妆品生产许可证编号：粤妆20190093"""
    fields = extract_fields(text)
    assert fields.manufacturer == "广州聚立美生物科技有限公司"
    assert fields.address == "广州市白云区太和镇南岭南业二横路1号"
    assert [p["role"] for p in fields.parties] == ["registrant", "producer"]


@pytest.mark.slow
def test_the_real_two_factory_bag_is_not_a_region_mismatch():
    from evidence.labels.label_report import read_label

    report = read_label(_real() / "real-02.jpg")
    assert "license_region_mismatch" not in [f.code for f in report.findings]
    assert report.fields["manufacturer"] != "先采糖(白砂糖、水)"


# --- accuse only what was read twice ----------------------------------------------------------------


def test_one_misread_barcode_digit_is_held_for_review():
    label = "品名：纯棉单面背心套\n货号：B2390\n5959555702539"  # a 6 read as 5: the check digit fails
    lines, ocr = typed_ocr(label)
    findings = screen(extract_fields(lines), ocr=ocr)
    assert "bad_barcode_checksum" not in [f.code for f in findings]
    [review] = [f for f in findings if f.suspected == "bad_barcode_checksum"]
    assert "5959555702539" in review.readings[0]
    confirmed = screen(extract_fields(lines), ocr=ocr, reread=lambda line: [(line.text, 0.97)])
    assert "bad_barcode_checksum" in [f.code for f in confirmed]


@pytest.mark.slow
def test_the_bars_correct_a_misread_digit_on_a_real_photo():
    from evidence.labels.label_report import read_label

    report = read_label(_real() / "real-10.jpg")
    assert report.fields["barcode"] == "6959555702539"
    assert not {f.code for f in report.findings} & {"bad_barcode_checksum"}


def test_confusions_cover_digits_among_themselves():
    from evidence.labels.confusions import confusable

    for a, b in (("5", "6"), ("3", "8"), ("1", "7"), ("0", "8")):
        assert b in confusable(a) and a in confusable(b)


# --- name as title, traditional characters, nutrition ---------------------------------------------------


def test_a_name_printed_only_as_the_title_is_the_product_name(tmp_path):
    from evidence.labels.label_report import read_label

    rows = [(60, 40, "香辣牛肉干", 80)] + [(60, 180 + 50 * i, t, 30) for i, t in enumerate([
        "配料：牛肉、白砂糖、食用盐", "净含量：100克", "生产商：内蒙古草原食品有限公司",
        "地址：内蒙古呼和浩特市新城区海东路12号", "生产日期：2024-03-01", "保质期：9个月"])]
    report = read_label(save(draw(rows, (1000, 520)), tmp_path / "title.jpg"), complete=True)
    assert report.fields["product_name"] == "香辣牛肉干"
    assert "missing_product_name" not in [f.code for f in report.findings]


def test_a_typed_label_whose_first_line_is_its_name():
    fields = extract_fields("麻辣条（调味面制品）\n配料：小麦粉、辣椒\n净含量：60克")
    assert fields.product_name == "麻辣条(调味面制品)"


@pytest.mark.slow
def test_a_traditional_character_label_is_read_and_kept_as_printed(tmp_path):
    from evidence.labels.label_report import read_label

    rows = [(50, 40 + 56 * i, t, 34) for i, t in enumerate([
        "品名：維他檸檬茶", "製造商：維他奶國際集團有限公司", "地址：香港新界屯門建旺街1號",
        "淨含量：250毫升", "此日期前最佳：2025年06月30日"])]
    report = read_label(save(draw(rows, (1000, 360)), tmp_path / "hk.jpg"))
    assert report.error is None
    assert normalise(report.fields["product_name"]) == "维他柠檬茶"
    assert report.fields["manufacturer"] == "維他奶國際集團有限公司"
    assert report.fields["net_content"] == "250毫升" and report.fields["expiry_date"] == "2025-06-30"


def test_the_nutrition_table_is_parsed():
    fields = extract_fields("营养成分表\n项目 每100克 NRV%\n能量 1850千焦 22%\n蛋白质 6.5克 11%\n脂肪 20.1克 34%\n"
                            "碳水化合物 60.2克 20%\n钠 450毫克 23%")
    assert [(r["item"], r["amount"], r["unit"], r["nrv"]) for r in fields.nutrition] == [
        ("能量", "1850", "千焦", "22%"), ("蛋白质", "6.5", "克", "11%"), ("脂肪", "20.1", "克", "34%"),
        ("碳水化合物", "60.2", "克", "20%"), ("钠", "450", "毫克", "23%")]


# --- a batch never loses its other photos ----------------------------------------------------------------


def test_a_crop_at_its_own_scale_is_prepared_without_a_read_only_error():
    from evidence.labels.imageprep import prepare_for_tesseract

    crop = draw([(10, 10, "生产日期：2024-03-01", 36)], (460, 60))
    prepared = prepare_for_tesseract(crop, text_height=36)  # scale 1: no resize makes a writable copy
    assert prepared.size == crop.size


@pytest.mark.slow
def test_a_batch_with_workers_prints_every_photo_and_an_error_entry(tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really")
    good = save(draw([(40, 40, "品名：香辣牛肉干", 34), (40, 100, "净含量：100克", 34)], (700, 200)), tmp_path / "ok.jpg")
    done = subprocess.run([sys.executable, "-m", "casebook.cli", "labels", "read", str(good), str(broken), str(good),
                           "--json", "--workers", "2"], capture_output=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 1
    items = json.loads(done.stdout)
    assert [i["image"] for i in items] == [str(good), str(broken), str(good)]
    assert items[1]["error"]["message"] and "error" not in items[0] and "error" not in items[2]
    assert items[0]["fields"]["product_name"] == "香辣牛肉干"


@pytest.mark.slow
@pytest.mark.parametrize("angle", [90, 180, 270])
def test_a_photo_taken_sideways_or_upside_down_reads_in_order(tmp_path, angle):
    from evidence.labels.label_report import read_label

    rows = [(60, 40, "香辣牛肉干", 80)] + [(60, 180 + 50 * i, t, 30) for i, t in enumerate([
        "配料：牛肉、白砂糖、食用盐", "净含量：100克", "生产商：内蒙古草原食品有限公司",
        "地址：内蒙古呼和浩特市新城区海东路12号", "生产日期：2024-03-01", "保质期：9个月"])]
    photo = save(draw(rows, (1000, 520)).rotate(angle, expand=True), tmp_path / f"turned_{angle}.jpg")
    report = read_label(photo)
    assert (report.fields["product_name"], report.fields["manufacturer"], report.fields["production_date"]) == (
        "香辣牛肉干", "内蒙古草原食品有限公司", "2024-03-01")


@pytest.mark.slow
def test_labels_read_item_screens_the_sides_together(tmp_path):
    front = save(draw([(60, 40, "香辣牛肉干", 80), (60, 180, "净含量：100克", 30), (60, 230, "保质期：9个月", 30)],
                      (800, 300)), tmp_path / "front.jpg")
    back = save(draw([(40, 40 + 50 * i, t, 30) for i, t in enumerate([
        "配料：牛肉、白砂糖、食用盐", "生产商：内蒙古草原食品有限公司", "地址：内蒙古呼和浩特市新城区海东路12号",
        "生产日期：2024-03-01", "净含量：100克"])], (900, 320)), tmp_path / "back.jpg")
    done = subprocess.run([sys.executable, "-m", "casebook.cli", "labels", "read", "--item", "--complete", "--json",
                           str(front), str(back)], capture_output=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout)
    item = data["item"]
    assert item["complete"] and item["fields"]["product_name"] == "香辣牛肉干"
    assert item["fields"]["manufacturer"] == "内蒙古草原食品有限公司" and item["sources"]["manufacturer"] == str(back)
    assert "three_no" not in {f["code"] for f in item["findings"]}
    assert [p["image"] for p in data["photos"]] == [str(front), str(back)]


def test_an_engine_repeating_its_own_confusion_does_not_confirm_it():
    """A 6 read as 5 (a confusion RapidOCR makes) read so again by RapidOCR on the enlarged crop is not a second
    reading: only the other engine's reading confirms; a clean typed reading still stands."""
    label = "品名：金龙鱼玉米油\n生产商：益海嘉里金龙鱼粮油食品股份有限公司\n5927535726035"
    lines, ocr = typed_ocr(label)
    same = screen(extract_fields(lines), ocr=ocr, reread=lambda line: [(line.text, 0.99, "rapidocr")])
    assert "bad_barcode_checksum" not in [f.code for f in same]
    other = screen(extract_fields(lines), ocr=ocr, reread=lambda line: [(line.text, 0.99, "rapidocr"),
                                                                          (line.text, 0.95, "tesseract")])
    assert "bad_barcode_checksum" in [f.code for f in other]
    # a failed check no confusion of RapidOCR's own explains: its enlarged second reading confirms it
    from stdnum import ean

    from evidence.labels.confusions import engine_repairs

    bad = next(f"690123456789{d}" for d in "0123456789" if not ean.is_valid(f"690123456789{d}")
               and not engine_repairs(f"690123456789{d}", ean.is_valid, "rapidocr"))
    lines, ocr = typed_ocr(label.replace("5927535726035", bad))
    again = screen(extract_fields(lines), ocr=ocr, reread=lambda line: [(line.text, 0.99, "rapidocr")])
    assert "bad_barcode_checksum" in [f.code for f in again]


def test_the_date_letter_of_a_factory_not_read_names_no_maker():
    fields = extract_fields("食品生产许可证编号：SC10332011500941\n生产商:南京状元食品有限公司(分装)(代码Z)\n"
                            "地址:南京市江宁区汤山街道工业集中区中林路\n2025.06.21.Y")
    assert fields.made_by is None  # the letter Y names a factory this photo does not show
    assert fields.production_date == "2025-06-21"  # the ink-jet date with its factory letter
