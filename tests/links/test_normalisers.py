"""Phones, WeChat ids, company names and addresses: one canonical key however people write them,
and never one key for two different things (properties checked with hypothesis)."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from links.addresses import parse_address, parse_addresses
from links.identifiers import (
    barcode_prefix,
    check_credit_code,
    check_licence,
    find_accounts,
    find_qq_ids,
    find_wechat_ids,
    normalise_account,
    normalise_wechat,
)
from links.names import normalise_name, pinyin_key
from links.phones import find_phones, normalise_phone

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
mobiles = st.builds(lambda head, rest: head + rest, st.sampled_from(["13", "14", "15", "16", "17", "18", "19"]),
                    st.text("0123456789", min_size=9, max_size=9))
area_codes = st.sampled_from(["0394", "0396", "0371", "0370", "0558"])
local_numbers = st.builds(lambda first, rest: first + rest, st.sampled_from("2345678"),
                          st.text("0123456789", min_size=6, max_size=6))


def written(digits: str, style: int) -> str:
    """A mobile number as shops and chats write it."""
    return [digits, f"{digits[:3]}-{digits[3:7]}-{digits[7:]}", f"{digits[:3]} {digits[3:7]} {digits[7:]}",
            f"+86 {digits}", f"86-{digits}", f"0086{digits}", f"(+86){digits[:3]}.{digits[3:7]}.{digits[7:]}",
            digits.translate(FULL_WIDTH)][style]


# -- phones ---------------------------------------------------------------------------------------

@given(mobiles, st.integers(0, 7))
def test_a_mobile_written_any_way_is_one_number(digits, style):
    phone = normalise_phone(written(digits, style))
    assert phone is not None and phone.digits == digits and phone.kind == "mobile"


@given(area_codes, local_numbers, st.sampled_from(["{a}-{n}", "({a}){n}", "{a} {n}", "+86 {b} {n}", "{a}-{n} 转 12"]))
def test_a_landline_keeps_its_area_code(area, number, pattern):
    phone = normalise_phone(pattern.format(a=area, b=area[1:], n=number))
    assert phone is not None and phone.digits == area + number and phone.area_code == area


@given(mobiles, st.integers(0, 10), st.integers(1, 9))
def test_two_phones_one_digit_apart_are_two_numbers(digits, position, delta):
    other = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1:]
    a, b = normalise_phone(digits), normalise_phone(other)
    assert a is not None and (b is None or a.digits != b.digits)


@given(st.text(max_size=40))
@example("0")
@example("8216688")  # a local number without its area code is not a number we can place
@example("+1 415 555 1234")
def test_phone_normaliser_never_fails_and_returns_only_valid_numbers(text):
    phone = normalise_phone(text)
    if phone is not None:
        assert phone.digits.isdigit() and phone.kind in ("mobile", "landline", "service")
        assert len(phone.digits) in (10, 11, 12)


@given(mobiles, st.integers(0, 6), st.sampled_from(["电话", "有事打我", "Tel:", "联系方式："]))
def test_phones_are_found_in_chat_text(digits, style, lead):
    text = f"{lead}{written(digits, style)}，订单号 2024031300012345678"
    assert [p.digits for _, p in find_phones(text)] == [digits]


def test_phone_examples():
    assert normalise_phone("(0394)8216688 转 12").extension == "12"
    assert normalise_phone("400-810-1234").kind == "service"
    assert normalise_phone("+86 394 8216688").digits == "03948216688"
    assert normalise_phone("1383946221") is None and normalise_phone("138394622171") is None


# -- WeChat and QQ ---------------------------------------------------------------------------------

wechat_ids = st.builds(lambda first, rest: first + rest, st.sampled_from(string.ascii_letters),
                       st.text(string.ascii_letters + string.digits + "_-", min_size=5, max_size=19))


@given(wechat_ids)
def test_wechat_ids_are_case_folded(wxid):
    assert normalise_wechat(wxid) == normalise_wechat(wxid.upper()) == normalise_wechat(wxid.lower()) == wxid.casefold()


@given(wechat_ids, st.sampled_from(["微信", "微信号：", "wx:", "VX ", "V信", "加我vx: ", "WeChat:"]))
def test_wechat_ids_are_found_after_their_keywords(wxid, trigger):
    assert [key for _, key in find_wechat_ids(f"老板{trigger}{wxid}，拍照发你")] == [wxid.casefold()]


@given(st.text(max_size=30))
def test_wechat_normaliser_accepts_only_well_formed_ids(text):
    key = normalise_wechat(text)
    assert key is None or (6 <= len(key) <= 20 and key[0].isalpha() and key == key.casefold())


def test_wechat_and_qq_examples():
    assert normalise_wechat("12345abc") is None  # an id starts with a letter
    assert find_wechat_ids("wxid_abc") == []  # wx inside a word is not a keyword
    assert [k for _, k in find_qq_ids("扣扣：2853317760 上下单")] == ["2853317760"]
    assert [k for _, k in find_qq_ids("QQ号 0123")] == []


# -- credit codes, licences, accounts, barcodes ------------------------------------------------------

def test_credit_codes_are_checked_and_kept_when_the_check_fails():
    good = check_credit_code("91440101618607268N")
    bad = check_credit_code("91440101618607268A")
    assert good.valid and not bad.valid and "fails" in bad.check
    assert check_credit_code("9144 0101 6186 0726 8n").key == "91440101618607268N"
    assert check_credit_code("914401016186072680I") is None  # 19 characters
    assert check_credit_code("ABCDEFGHJKLMNPQRTU") is None  # no digit: a word, not a code


def test_licences_are_checked():
    assert check_licence("SC10741162891273").valid
    assert not check_licence("SC10799162891273").valid  # province 99 does not exist
    assert check_licence("JY14116020012345").valid
    assert check_licence("豫妆20211373").key == "豫妆20211373"
    assert check_licence("QS4101 0601 2345").key == "QS410106012345"
    assert check_licence("hello") is None


def test_bank_cards_must_pass_luhn_and_accounts_keep_their_type():
    assert [c.key for _, c in find_accounts("款打 6228 4800 1234 5678 904 户名陈")] == []  # fails Luhn
    assert normalise_account("6228480012345678903").valid
    assert normalise_account("13839462217").key == "mobile:13839462217"
    assert normalise_account("Pay@Example.com").key == "email:pay@example.com"
    assert barcode_prefix("6901234567892").key == "6901234"
    assert barcode_prefix("6901234567891") is None


# -- company and shop names ---------------------------------------------------------------------------

PLACES = ["", "河南省", "周口市", "河南周口", "周口市郸城县", "郸城县"]
FORMS = ["", "有限公司", "有限责任公司", "厂", "商行", "批发部", "经营部", "股份有限公司"]
REGIONS = ["", "（周口）", "(河南)", "【郸城】"]


@given(st.sampled_from(PLACES), st.sampled_from(["日化", "日用化工", "日用品", "日化用品"]), st.sampled_from(FORMS),
       st.sampled_from(REGIONS), st.booleans())
@settings(deadline=None)  # the first call builds the place index from cpca's table
def test_one_supplier_written_many_ways_has_one_core(place, trade, form, region, spaced):
    name = f"{place}雅洁{trade}{region}{form}"
    if spaced:
        name = " ".join(name)
    key = normalise_name(name)
    assert key is not None and key.core == "雅洁" and key.trades == {"日化"}


@given(st.sampled_from(["商贸", "贸易"]), st.sampled_from(FORMS))
def test_trade_synonyms(trade, form):
    assert normalise_name(f"周口市汇通{trade}{form}").key == "汇通商贸"


@given(st.text(max_size=30))
@settings(deadline=None)
def test_name_normaliser_never_fails(text):
    key = normalise_name(text)
    assert key is None or len(key.core) >= 2


@pytest.mark.parametrize("a, b, same", [
    ("逍遥镇兴旺副食店", "逍遥镇兴旺副食店", True),
    ("逍遥镇兴旺副食店", "黄寨镇兴旺副食店", False),  # two towns: two shops
    ("兴旺副食店", "兴旺超市", False),  # two trades: two shops
    ("鹿邑县恒昌日化", "周口恒昌日用化工有限公司", True),  # 鹿邑县 lies in 周口市
    ("鹿邑县恒昌日化", "郸城县恒昌日化", False),
    ("玄武镇恒昌日化", "鹿邑县恒昌日化", False),  # which county a town is in is not known here
])
def test_place_and_trade_must_agree(a, b, same):
    ka, kb = normalise_name(a), normalise_name(b)
    agree = ka.core == kb.core and ka.trades_compatible(kb) and ka.place.compatible(kb.place)
    assert agree == same


def test_name_examples():
    assert normalise_name("新兴副食店").core == "新兴"  # a short county name at the start may be the name
    assert normalise_name("鹿邑恒昌日化").alt_core == "恒昌"
    assert normalise_name("宝洁（中国）有限公司").core == normalise_name("广州宝洁有限公司").core == "宝洁"
    assert normalise_name("副食店") is None and normalise_name("<script>") is None
    assert pinyin_key("恒昌") == pinyin_key("恒常") == "heng chang"


# -- addresses ---------------------------------------------------------------------------------------

@given(st.integers(1, 999), st.sampled_from(["{n}号", "{n}#", "{n} 号", "{w}号", "{w}#"]),
       st.sampled_from(["河南省周口市鹿邑县", "周口市鹿邑县", "鹿邑县", "鹿邑"]))
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_one_address_written_many_ways_has_one_key(number, style, prefix):
    text = prefix + "玄武镇工业区" + style.format(n=number, w=str(number).translate(FULL_WIDTH))
    assert parse_address(text).key == f"411628|玄武镇工业区{number}号"


@given(st.integers(1, 500), st.integers(1, 500))
def test_two_stalls_of_one_market_are_two_addresses(a, b):
    one, two = parse_addresses([f"河南省周口市西华县逍遥镇集贸市场{a}号", f"西华县逍遥镇集贸市场{b}号"])
    assert (one.key == two.key) == (a == b)


def test_an_address_too_coarse_to_link_has_no_key():
    assert parse_address("西华县逍遥镇集贸市场").key is None  # a market, no stall number
    assert parse_address("集贸市场12号").key is None  # no county
    assert parse_address("周口市淮阳区新站镇建设路12号").key is not None  # a county renamed since cpca's table
    assert parse_address("商水县黄寨镇商周路66号5号楼302室").street == "黄寨镇商周路66号5栋302"


@given(st.text(max_size=40))
@settings(max_examples=60, deadline=None)
def test_address_parser_never_fails(text):
    address = parse_address(text)
    assert address.key is None or (address.number and address.adcode)
