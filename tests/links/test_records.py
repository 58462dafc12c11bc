"""Ledgers, order exports and chat logs: headers found by meaning, every encoding shops use, every
value with its row or line; bad files refused with the file named."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from links import read_document
from links.chats import read_chat
from links.ledgers import read_ledger
from links.names import normalise_name
from safeio.errors import InputError
from tests.support.links import write_table

FORMATS = ["utf-8", "utf-8-sig", "gb18030", "xlsx"]
SUPPLIER_HEADERS = ["供货单位", "供应商", "供货商名称", "*供货者名称", "供 货 单 位", "供货单位（全称）"]
PHONE_HEADERS = ["联系电话", "电话", "供应商电话", "联系方式", "手机"]
TITLES = [[], [["XX超市进货台账"], []], [["食品进货查验记录（索证索票）"], ["填表人：张三"], []]]

suppliers = st.builds(lambda core, form: core + form,
                      st.sampled_from(["汇通", "雅洁", "宏运", "香满园", "鑫达", "恒昌", "聚源", "豫丰"]),
                      st.sampled_from(["日化", "商贸有限公司", "副食批发部", "食品厂", "商行"]))
phones = st.builds(lambda head, rest: head + rest, st.sampled_from(["138", "139", "158", "186"]),
                   st.text("0123456789", min_size=8, max_size=8))


@given(st.sampled_from(FORMATS), st.sampled_from(SUPPLIER_HEADERS), st.sampled_from(PHONE_HEADERS),
       st.sampled_from(TITLES), st.lists(st.tuples(suppliers, phones), min_size=1, max_size=6))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_ledger_rows_are_read_in_every_format_and_header_style(tmp_path_factory, fmt, supplier, phone, title, rows):
    folder = tmp_path_factory.mktemp("ledger")
    table = [*title, ["进货日期", "商品名称", supplier, phone, "生产厂家"]]
    table += [["2024-03-01", "洗发露", name, number, "宝洁（中国）有限公司"] for name, number in rows]
    path = write_table(folder, "进货台账", table, fmt)
    reading = read_ledger(path, "C1", "evidence/" + path.name)
    header_row = len(title) + 1
    got = {(m.source.row, m.kind, m.key) for m in reading.mentions if m.role == "supplier"}
    for offset, (name, number) in enumerate(rows, start=1):
        assert (header_row + offset, "phone", number) in got
        assert (header_row + offset, "name", normalise_name(name).key) in got
    assert reading.rows == len(rows)
    assert {m.source.file for m in reading.mentions} == {"evidence/" + path.name}
    for m in reading.mentions:  # the row as read travels with every value
        assert m.raw in m.source.text or m.kind in ("name", "address")


def test_headers_are_recognised_exactly_by_containing_or_by_a_close_spelling(tmp_path):
    table = [["日期", "品名", "供货单位名称及地址", "供应商电话号", "生产厂商", "厂家电话"],
             ["2024-01-02", "辣条", "宏运副食批发部", "158 3941 5566", "香满园食品厂", "0394-5216688"]]
    reading = read_ledger(write_table(tmp_path, "t", table, "utf-8"), "C1")
    methods = {h.role: h.method for h in reading.headers}
    assert methods["supplier"].startswith("contains") and methods["maker"] == "exact"
    assert methods["supplier_phone"].startswith(("contains", "similar")) and methods["maker_phone"] == "exact"
    roles = {(m.kind, m.role, m.key) for m in reading.mentions}
    assert ("phone", "supplier", "15839415566") in roles and ("phone", "maker", "03945216688") in roles


def test_a_cell_with_a_name_and_a_phone_gives_both(tmp_path):
    table = [["供货单位", "商品名称"], ["汇通日化 13839462217", "洗发露"], ["汇通日化（微信 HuiTong_RH888）", "洗发露"]]
    reading = read_ledger(write_table(tmp_path, "t", table, "utf-8"), "C1")
    assert {(m.kind, m.key) for m in reading.mentions} >= {("phone", "13839462217"), ("wechat", "huitong_rh888")}
    assert {m.key for m in reading.mentions if m.kind == "name"} == {"汇通日化"}


def test_a_maker_column_is_a_claim_and_a_licence_belongs_to_the_maker(tmp_path):
    table = [["供应商", "生产企业", "许可证号"], ["宏运副食批发部", "香满园食品厂", "SC10741162891273"]]
    reading = read_ledger(write_table(tmp_path, "t", table, "gb18030"), "C1")
    by_role = {(m.kind, m.role): m for m in reading.mentions}
    assert by_role[("name", "supplier")].trust == 1.0 and by_role[("name", "maker")].trust == 0.5
    assert by_role[("licence", "maker")].valid


def test_order_exports_give_accounts_buyers_and_regions(tmp_path):
    table = [["订单号", "下单时间", "收货人", "收货人电话", "收货地区", "收款账号"],
             ["949308709555170584", "2023-10-27 10:10", "汇通日化 王经理", "+86 18741702094", "河南省周口市项城市",
              "6228570892476454765"]]
    reading = read_document(write_table(tmp_path, "订单导出", table, "utf-8-sig"), "C1", "evidence/订单导出.csv")
    assert reading.kind == "orders"
    kinds = {(m.kind, m.role, m.key) for m in reading.mentions}
    assert ("phone", "buyer", "18741702094") in kinds and ("account", "payee", "card:6228570892476454765") in kinds
    assert ("region", "buyer", "") in {(k, r, "") for k, r, _ in kinds}


def test_chat_logs_give_phones_ids_and_shops_by_line(tmp_path):
    path = tmp_path / "聊天记录.txt"
    path.write_bytes("\n".join([
        "2024-06-23 10:15 汇通日用品商行 王经理：老板你好，洗发露到货了",
        "",
        "2024-06-23 10:20 汇通日用品商行 王经理：加我V信 HuiTong_RH888 发你图片",
        "2024-06-24 16:40 汇通日用品商行 王经理：有事打我电话 +86 187-4170-2094，扣扣 2853317760",
        "2024-06-24 16:41 我：款打 6228 5708 9247 6454 765 对吗",
        "2024-05-03 10:21:09 鑫达批发(2853317760)",
    ]).encode("gb18030"))
    reading = read_chat(path, "C1", "evidence/聊天记录.txt")
    assert reading.encoding == "gb18030"
    found = {(m.kind, m.key, m.source.line) for m in reading.mentions}
    assert {("wechat", "huitong_rh888", 3), ("phone", "18741702094", 4), ("qq", "2853317760", 4),
            ("account", "card:6228570892476454765", 5), ("qq", "2853317760", 6)} <= found
    assert ("name", "汇通日化", 1) in found
    assert all(m.trust == 0.5 for m in reading.mentions if m.kind == "name")  # a name in chat only corroborates


# -- bad input: a clear message naming the file ------------------------------------------------------

def test_a_ledger_with_no_recognisable_headers_names_the_file(tmp_path):
    path = write_table(tmp_path, "进货台账", [["甲", "乙", "丙"], ["1", "2", "3"]], "utf-8")
    with pytest.raises(InputError, match="no column headers") as caught:
        read_document(path, "C1")
    assert str(path) in str(caught.value) and caught.value.hint


def test_an_unreadable_workbook_names_the_file(tmp_path):
    path = tmp_path / "进货台账.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match="cannot be opened") as caught:
        read_document(path, "C1")
    assert str(path) in str(caught.value)
    broken = tmp_path / "破损.xlsx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook")
    with pytest.raises(InputError):
        read_document(broken, "C1")
    old = tmp_path / "台账.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 truncated")
    with pytest.raises(InputError, match="cannot be opened") as caught:
        read_document(old, "C1")
    assert str(old) in str(caught.value)


@pytest.mark.parametrize("encoding", ["big5", "shift_jis"])
def test_a_chat_log_in_another_encoding_is_refused_not_read_as_mojibake(tmp_path, encoding):
    path = tmp_path / "聊天記錄.txt"
    path.write_bytes("老闆，這批洗髮水還有貨嗎？加我微信 HuiTong_rh888，電話13839462217，匯通日化商貿".encode(encoding)
                     if encoding == "big5" else "こんにちは、在庫はありますか。電話番号は13839462217です。".encode(encoding))
    with pytest.raises(InputError, match="neither UTF-8 nor GB18030") as caught:
        read_chat(path, "C1")
    assert str(path) in str(caught.value) and "UTF-8" in caught.value.hint


def test_utf16_with_a_bom_is_read_and_without_one_refused(tmp_path):
    text = "联系电话 13839462217"
    good = tmp_path / "a.txt"
    good.write_bytes(text.encode("utf-16"))
    assert {m.key for m in read_chat(good, "C1").mentions} == {"13839462217"}
    bad = tmp_path / "b.txt"
    bad.write_bytes(text.encode("utf-16-le"))
    with pytest.raises(InputError, match="NUL"):
        read_chat(bad, "C1")

