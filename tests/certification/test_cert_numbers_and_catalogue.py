"""The CCC catalogue as data and the grammar of certificate numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebook.words.finding_words import describe
from evidence.certification.ccc_catalogue import catalogue, catalogue_products, needs_ccc
from evidence.certification.cert_checks import check_certificate
from evidence.certification.cert_numbers import find_cert_numbers, parse_number


def test_every_catalogue_entry_says_where_it_comes_from_and_when():
    entries = catalogue()
    assert len(entries) >= 50
    for entry in entries:
        assert entry.source and entry.date[:4] in ("2023",) and entry.words and entry.product
    checked = {e.code for e in entries if e.checked}
    assert {"0201", "0707", "0713"} <= checked  # sockets, room heaters, food processors: codes as published


def test_products_named_on_labels_and_titles_are_found_in_the_catalogue():
    for name, code in [("公牛 转换器（插座）", "0201"), ("电暖器", "0707"), ("豆浆机", "0713"), ("小型断路器", "0302"),
                       ("电热水壶 1.7L", "0717"), ("婴儿手推车", "22"), ("充电宝 20000毫安", "09")]:
        hit = needs_ccc(name)
        assert hit is not None and hit.entry.code.split("|")[0] == code, name


def test_accessories_and_food_named_after_a_product_are_not_the_product():
    for text in ["冰箱贴 创意磁贴", "娃娃菜 500g", "空调被 夏凉被", "手机壳 硅胶", "电饭煲内胆 通用", "冰箱除味剂"]:
        assert catalogue_products(text) == [], text


def test_a_food_label_that_mentions_a_fridge_needs_no_certificate():
    from evidence.labels.screening import screen_text

    text = ("产品名称：鲜牛奶\n配料：生牛乳\n贮存条件：开封后请放入冰箱冷藏\n生产商：周口市某乳业有限公司\n"
            "地址：河南省周口市川汇区1号\n生产许可证编号：SC10541160200015\n净含量：250毫升\n保质期：7天\n"
            "生产日期：见包装\n执行标准：GB 19645\n电话：0394-8888888")
    assert "missing_ccc" not in {f.code for f in screen_text(text)[1]}


def test_a_well_formed_number_is_read_into_its_parts():
    number = parse_number("2023 0102 0112 3456", today=date(2024, 1, 1))
    assert (number.ok, number.year, number.body, number.category, number.serial) == (
        True, 2023, "01", "0201", "123456")
    assert parse_number("２０２３０１０２０１１２３４５６", today=date(2024, 1, 1)).ok


@pytest.mark.parametrize(("number", "problem", "zh", "en"), [
    ("20230102011234", "length", "应为16位数字，实为14位", "it should have 16 digits, not 14"),
    ("1999010201123456", "year", "发证年度 1999 不在 2002–2024 之间", "the year 1999 is outside 2002-2024"),
    ("2030010201123456", "year", "发证年度 2030 不在 2002–2024 之间", "the year 2030 is outside 2002-2024"),
    ("2023000201123456", "body", "认证机构代码为 00", "the certification body code is 00"),
    ("2023010001123456", "category", "产品类别代码为 00", "the product category code is 00"),
    ("2023010201000000", "serial", "顺序号为 000000", "the serial is 000000"),
    ("2023O10201123456", "not_digits", "含有数字以外的字符", "it holds characters other than digits"),
])
def test_a_number_that_cannot_be_a_ccc_number_says_why(number, problem, zh, en):
    today = date(2024, 6, 1)
    assert parse_number(number, today=today).problem == problem  # a code: the words are at the edge
    [finding] = check_certificate(number, None, sale_date=today).findings
    assert finding.code == "ccc_malformed"
    assert describe(finding) == f"CCC 证书编号“{number}”不符合编号规则：{zh}"
    assert describe(finding, "en") == f"CCC certificate number “{number}” does not follow the numbering rule: {en}"


@given(year=st.integers(2002, 2024), body=st.integers(1, 99), group=st.integers(1, 99), kind=st.integers(0, 99),
       serial=st.integers(1, 999_999))
def test_every_number_of_the_grammar_parses_and_round_trips(year, body, group, kind, serial):
    text = f"{year}{body:02d}{group:02d}{kind:02d}{serial:06d}"
    number = parse_number(text, today=date(2024, 12, 31))
    assert number.ok and number.number == text
    assert f"{number.year}{number.body}{number.category}{number.serial}" == text


@given(st.text(max_size=80))
def test_any_text_is_either_a_number_or_a_reason(text):
    number = parse_number(text, today=date(2024, 1, 1))
    assert number.ok or number.problem


def test_numbers_are_found_after_their_key_or_bare():
    text = "3C证书编号：2020010201234567 型号GN-B3；CCC证书号:2021-0102-0112345；条码6901234567892"
    assert [n for n, _ in find_cert_numbers(text)] == ["2020010201234567", "2021-0102-0112345"]
    found = find_cert_numbers("证书 2022010717000001 价格 99")
    assert found == [("2022010717000001", (3, 19))]
