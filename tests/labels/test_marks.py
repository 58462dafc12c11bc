"""Where the mark stands: the title, ® / ™ / 牌, the brand field, the head of the product name - never a fragment.

Each false-accusation class gets a label that the earlier screener accused: a fragment of a longer
name, or a generic descriptor read as a mark.
"""

from __future__ import annotations

import pytest

from evidence.labels.screening import screen_text
from tests.support.labels import assert_findings, assert_no_accusation

FOOD = """食品名称：{name}
配料：小麦粉、白砂糖
净含量：97克
生产者：周口市鑫源食品厂
地址：河南省周口市川汇区建设路8号
联系电话：0394-1234567
食品生产许可证编号：SC10841160200018
产品标准代号：GB/T 20980
生产日期：2024-03-01
保质期：12个月
6901234567892"""
SOCKET = """产品名称：{name}
型号：AB-100
生产商：沈丘县顺发电器厂
地址：河南省周口市沈丘县付井镇东环路21号
CCC证书编号：2023010201123456"""


@pytest.fixture(scope="module")
def known():
    from evidence.labels.brands import default_registry

    return default_registry().names


def test_the_head_of_a_product_name_ends_where_the_product_words_begin(known):
    from evidence.labels.marks import name_heads

    assert name_heads("康帅傅红烧牛肉面", known)[0] == "康帅傅"
    assert name_heads("康师傅红烧牛肉面", known) == ["康师傅"]
    assert "六个土核桃" in name_heads("六个土核桃核桃乳", known)
    assert name_heads("雪碧柠檬味汽水", known) == ["雪碧"]


@pytest.mark.parametrize("name", ["特浓纯牛奶", "纯正酸奶", "多功能插座", "无糖苏打饼干", "鲜榨橙汁", "手工挂面", "去屑洗发水"])
def test_descriptors_and_product_words_are_never_a_mark(known, name):
    from evidence.labels.marks import is_generic, name_heads

    assert is_generic(name)
    assert name_heads(name, known) == []


def test_descriptors_are_stripped_before_the_mark_but_one_character_words_are_kept():
    from evidence.labels.marks import strip_descriptors

    assert strip_descriptors("特浓康帅傅") == "康帅傅"
    assert strip_descriptors("大白免") == "大白免"  # 大 starts 大白兔: never stripped


def test_marks_from_the_brand_field_the_trademark_sign_and_pai(known):
    from evidence.labels.marks import mark_candidates

    found = mark_candidates(title="好味道", product_name="雕脾洗衣粉", brand="汰清", text="Tibe® 强效去污", known=known)
    where = {c.text: c.where for c in found}
    assert where["汰清"] == "brand_field" and where["Tibe"] == "trademark" and where["雕脾"] == "product_name"
    assert mark_candidates(product_name="金鹰牌复合肥料", known=known)[0].text == "金鹰"


# --- false-accusation class 1: a fragment of a longer product name is not a mark ------------------


@pytest.mark.parametrize("name", ["小白兔奶糖", "福满园饼干", "好运来饼干", "宏达饼干", "金穗饼干", "周口香芝麻饼"])
def test_a_genuine_unknown_name_is_not_accused_through_a_fragment(name):
    assert_no_accusation(screen_text(FOOD.format(name=name))[1])


# --- false-accusation class 2: a generic descriptor at the start is not a mark ------------------


@pytest.mark.parametrize(("template", "name"), [(FOOD, "多味饼干"), (FOOD, "纯真饼干"), (SOCKET, "多功能插座"),
                                                (FOOD, "特浓牛奶饼干"), (FOOD, "纯正酸奶")])
def test_a_descriptor_at_the_start_is_not_matched_to_a_mark(template, name):
    assert_no_accusation(screen_text(template.format(name=name))[1])


def test_a_descriptor_before_a_copy_does_not_hide_it():
    assert_findings(screen_text(FOOD.format(name="特浓粤利粤夹心饼干"))[1], {"brand_lookalike"})
