"""Label text -> fields: wording variants, colons, split lines, OCR confusions inside identifiers."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import ean
from stdnum.cn import uscc

from evidence.labels.label_fields import decode_label_text, extract_fields, guess_product_type, normalise
from tests.support.labels import assert_fields_match

FOOD = """康师傅
食品名称：康师傅红烧牛肉面
配料：小麦粉、棕榈油、食用盐
净含量：105克
生产者：天津顶益食品有限公司
地址：天津市天津市西青区建设路12号
联系电话：400-800-0888
统一社会信用代码：91120000600037341L
食品生产许可证编号：SC10712011100018
产品标准代号：GB 17400
生产日期：2024年03月15日
保质期：6个月
6901234567892"""


def test_a_food_label_gives_every_field():
    fields = extract_fields(FOOD)
    assert_fields_match(fields, {
        "product_name": "康师傅红烧牛肉面", "manufacturer": "天津顶益食品有限公司",
        "address": "天津市天津市西青区建设路12号", "phone": "400-800-0888", "license_no": "SC10712011100018",
        "ccc_cert_no": None, "credit_code": "91120000600037341L", "barcode": "6901234567892",
        "standards": ["GB 17400"], "production_date": "2024-03-15", "shelf_life": "6个月", "net_content": "105克"})
    assert fields.product_type == "food"
    assert fields.title == "康师傅"


@pytest.mark.parametrize("key", ["食品名称", "产品名称", "品名", "名称"])
@pytest.mark.parametrize("colon", ["：", ":", " : ", ""])
def test_product_name_wording_and_colons(key, colon):
    assert extract_fields(f"{key}{colon}雪碧柠檬味汽水").product_name == "雪碧柠檬味汽水"


@pytest.mark.parametrize("key", ["生产者", "生产商", "制造商", "生产企业", "委托方", "受委托方"])
def test_manufacturer_wording(key):
    assert extract_fields(f"{key}：纳爱斯集团有限公司").manufacturer == "纳爱斯集团有限公司"


@pytest.mark.parametrize("key", ["地址", "厂址", "生产地址"])
def test_address_wording(key):
    assert extract_fields(f"{key}：浙江省丽水市括苍路1号").address == "浙江省丽水市括苍路1号"


@pytest.mark.parametrize("printed", ["2023-10-10", "2023年10月10日", "2023.10.10", "20231010", "2023/10/10",
                                     "2023 年 10 月 10 日"])
@pytest.mark.parametrize("key", ["生产日期", "制造日期"])
def test_date_formats(printed, key):
    assert extract_fields(f"{key}：{printed}").production_date == "2023-10-10"


@pytest.mark.parametrize("elsewhere", ["见包装", "见瓶身", "见喷码", "见封口"])
def test_date_printed_elsewhere_is_not_missing(elsewhere):
    fields = extract_fields(f"生产日期：{elsewhere}")
    assert fields.production_date is None and fields.date_elsewhere


def test_value_on_the_next_line():
    assert extract_fields("生产商：\n河北养元智汇饮品股份有限公司").manufacturer == "河北养元智汇饮品股份有限公司"


def test_full_width_text_and_variant_forms():
    fields = extract_fields("凈含量：２５０毫升\n生产许可证编号：ＳＣ１０５４１１６１２２０５４４")
    assert fields.net_content == "250毫升" and fields.license_no == "SC10541161220544"


def test_ocr_confusions_inside_identifiers():
    fields = extract_fields("生产许可证编号：SC1O541l6122O544\n统一社会信用代码：9141I623WYW8MP57KD\n6967952O11567")
    assert fields.license_no == "SC10541161220544"
    assert fields.credit_code == "91411623WYW8MP57KD"
    assert fields.barcode == "6967952011567"


def test_qs_mark_and_provincial_licences():
    assert extract_fields("QS 411234567890  生产许可").license_no == "QS411234567890"
    assert extract_fields("生产许可证编号：豫妆20180001").license_no == "豫妆20180001"
    assert extract_fields("许可证号：XK16-204-01234").license_no == "XK16-204-01234"


def test_two_items_on_one_line_and_standards_lists():
    fields = extract_fields("额定电压：220V~  额定功率：1500W\n执行标准：GB 4706.1-2005 GB 4706.19-2008")
    assert fields.standards == ["GB 4706.1-2005", "GB 4706.19-2008"]
    assert fields.product_type == "appliance"


def test_real_photo_sheet_keys_in_brackets():
    fields = extract_fields("【品名】：纯臻营养护发素\n【产品编号】:YM-X-3011\n【净含量】：220ml")
    assert (fields.product_name, fields.model_no, fields.net_content) == ("纯臻营养护发素", "YM-X-3011", "220ml")


@pytest.mark.parametrize(("text", "kind"), [("产品名称：硫酸钾复合肥料\n总养分：≥45%", "fertilizer"),
                                            ("产品名称：转换器（插座）", "electrical"),
                                            ("品名：婴儿推车", "toy"), ("品名：去屑洗发露", "toiletry")])
def test_product_type_guess(text, kind):
    assert guess_product_type(text, extract_fields(text)) == kind


def test_mixed_utf8_and_gbk_lines_decode():
    data = "食品名称：雪碧\n".encode() + "生产商：中粮可口可乐饮料有限公司\n".encode("gbk")
    text, encodings = decode_label_text(data)
    assert "中粮可口可乐" in text and encodings == ["gb18030", "utf-8"]


# --- properties --------------------------------------------------------------------------------------

MAKERS = st.sampled_from(["生产者", "生产商", "制造商", "生产企业", "委托方"])
NAMES = st.sampled_from(["食品名称", "产品名称", "品名"])
ADDRS = st.sampled_from(["地址", "厂址", "生产地址"])
COLONS = st.sampled_from(["：", ":", "： ", " :"])
HAN = st.text(alphabet="河南周口市商水县黄寨镇工业园食品有限公司永兴鑫源康达", min_size=2, max_size=12)


@settings(max_examples=60, deadline=None)
@given(NAMES, MAKERS, ADDRS, COLONS, HAN, st.integers(0, 10**10 - 1),
       st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.randoms())
def test_fields_survive_any_wording(name_key, maker_key, addr_key, colon, words, serial, day, rnd):
    stem = f"69{serial:010d}"
    barcode = stem + ean.calc_check_digit(stem)
    code17 = "914116" + "".join(rnd.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(11))
    credit = code17 + uscc.calc_check_digit(code17)
    lines = [f"{name_key}{colon}{words}饼干", f"{maker_key}{colon}{words}有限公司", f"{addr_key}{colon}河南省{words}1号",
             f"统一社会信用代码{colon}{credit}", f"生产日期{colon}{day.year}年{day.month:02d}月{day.day:02d}日", barcode]
    random.Random(serial).shuffle(lines)
    fields = extract_fields("\n".join(lines))
    assert fields.product_name == f"{words}饼干"
    assert fields.manufacturer == f"{words}有限公司"
    assert fields.address == f"河南省{words}1号"
    assert fields.credit_code == credit and fields.barcode == barcode
    assert fields.production_date == day.isoformat()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_without_error(text):
    fields = extract_fields(text)
    assert isinstance(fields.to_dict(), dict)
    assert fields.production_date is None or len(fields.production_date) == 10


@pytest.mark.parametrize(("line", "name", "value"), [
    ("光明净重：950毫升", "net_content", "950毫升"),  # a vertical title read into the row
    ("黄泛区制造商：周口市淮阳区豫园食品有限公司", "manufacturer", "周口市淮阳区豫园食品有限公司"),
    ("争含量 220克", "net_content", "220克"),  # a ruled table: no colon, the key's first character misread
    ("品名称：金龙鱼玉米油", "product_name", "金龙鱼玉米油"),  # the photo's edge clipped 商/产
    ("商品名称 娃哈哈AD钙奶", "product_name", "娃哈哈AD钙奶"),
])
def test_keys_found_where_layouts_and_photos_put_them(line, name, value):
    assert getattr(extract_fields(line), name) == value


def test_a_vertical_title_in_the_first_row_is_the_title():
    fields = extract_fields("光朋净重：950毫升\n产品名称：光朋鲜牛奶")
    assert fields.title == "光朋" and fields.net_content == "950毫升"


def test_traditional_and_variant_forms_are_kept_as_read_and_compared_simplified():
    fields = extract_fields("品名：加多宝涼茶\n製造商：公牛集團股份有限公司\n凈含量：310毫升")
    assert (fields.product_name, fields.manufacturer, fields.net_content) == ("加多宝涼茶", "公牛集團股份有限公司", "310毫升")
    assert (normalise(fields.product_name), normalise(fields.manufacturer)) == ("加多宝凉茶", "公牛集团股份有限公司")
