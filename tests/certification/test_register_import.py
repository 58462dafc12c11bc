"""Importing a certificate register export: header spellings, encodings, Excel, bad rows, hostile files."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.certification.cert_checks import check_certificate, same_maker
from evidence.certification.cert_register import load_register
from evidence.certification.register_sheets import read_table
from safeio.errors import InputError, UnsafePathError
from tests.support.listing_pages import REGISTER_CSV


@pytest.fixture
def register_csv(tmp_path):
    path = tmp_path / "证书.csv"
    path.write_text(REGISTER_CSV, encoding="utf-8")
    return path


def test_a_register_export_with_a_title_row_is_read_by_its_headers(register_csv):
    register = load_register(register_csv)
    assert len(register) == 3 and register.problems == [] and register.header_row == 2
    record = register.get("2021 0102 0100 0001")
    assert (record.status, record.row, record.changed, record.models) == ("withdrawn", 4, date(2024, 5, 1), ("HY-5",))
    assert register.headers["holder"] == "委托人名称"


def test_gbk_csv_and_other_header_spellings(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(("*证书号,证书有效状态,认证委托人,生产厂,规格型号,有效期截止（日期）\n"
                      "2020010201234567,暂停,甲公司,甲厂,A1；A2,2030年3月1日\n").encode("gb18030"))
    register = load_register(path)
    record = register.get("2020010201234567")
    assert (record.status, record.holder, record.factory, record.models, record.expires) == (
        "suspended", "甲公司", "甲厂", ("A1", "A2"), date(2030, 3, 1))


def test_an_excel_export_with_dates_and_numbers_as_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["强制性产品认证证书查询"])
    sheet.append(["证书编号", "证书状态", "委托人", "型号", "发证日期", "有效期至", "状态变更日期"])
    sheet.append([2020010201234567, "注销", "乙公司", "B-1", datetime(2020, 1, 2), datetime(2025, 1, 2),
                  datetime(2024, 3, 4)])
    path = tmp_path / "reg.xlsx"
    book.save(path)
    register = load_register(path)
    record = register.get("2020010201234567")
    assert (record.status, record.row, record.issued, record.changed) == ("cancelled", 3, date(2020, 1, 2),
                                                                         date(2024, 3, 4))


def test_bad_rows_are_named_and_the_rest_is_kept(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("证书编号,证书状态,发证日期\n2020010201234567,有效,2020-01-01\n,有效,2020-01-01\n"
                    "2020010201234568,作废,2020-01-01\n2020010201234569,有效,2020-02-30\n"
                    "2020010201234570,有效," + "x" * 5000 + "\n2020010201234571,有效,2020-01-01\n", encoding="utf-8")
    register = load_register(path)
    assert sorted(register.records) == ["2020010201234567", "2020010201234571"]
    assert [(p.row, p.field) for p in register.problems] == [(3, "number"), (4, "status"), (5, "issued"),
                                                             (6, "issued")]


def test_a_file_without_the_needed_headers_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("姓名,电话\n张三,123\n", encoding="utf-8")
    with pytest.raises(InputError, match="证书编号"):
        load_register(path)


def test_oversized_files_and_links_are_refused(tmp_path, register_csv):
    with pytest.raises(InputError, match="larger than"):
        load_register(register_csv, max_bytes=100)
    link = tmp_path / "link.csv"
    os.symlink(register_csv, link)
    with pytest.raises(UnsafePathError):
        load_register(link)
    with pytest.raises(InputError, match="more than 2 rows"):
        load_register(register_csv, max_rows=2)


def _zip(tmp_path, members: dict[str, bytes]):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path):
    path = _zip(tmp_path, {"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"\0" * (40 << 20)})
    assert path.stat().st_size < 100_000
    with pytest.raises(InputError, match="zip bomb"):
        load_register(path)


def test_a_workbook_whose_parts_lie_about_their_size_is_refused(tmp_path):
    path = _zip(tmp_path, {"[Content_Types].xml": b"<x/>" * 1000})
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")  # the directory now declares 10 bytes
    local = data.find(b"PK\x03\x04")
    data[local + 22:local + 26] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged"):
        load_register(path)


def test_a_file_that_is_not_a_workbook_is_a_plain_error(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match=r"not a valid \.xlsx"):
        load_register(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_end_in_a_register_or_a_plain_error(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes("证书编号,证书状态\n".encode() + data)
    try:
        register = load_register(path)
    except InputError:
        return
    assert all(p.row >= 2 for p in register.problems)


def test_read_table_finds_a_header_below_a_title(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("标题\n\n编号,状态\n1,有效\n", encoding="utf-8")
    table = read_table(path, {"number": ("编号",), "status": ("状态",)}, required=("number",))
    assert table.header_row == 3 and list(table.rows) == [(4, ["1", "有效"])]


def test_status_is_judged_on_the_date_of_sale(register_csv):
    register = load_register(register_csv)
    before = check_certificate("2021010201000001", register, sale_date=date(2024, 4, 30))
    after = check_certificate("2021010201000001", register, sale_date=date(2024, 5, 2))
    assert (before.status, before.findings) == ("valid", [])
    assert after.status == "withdrawn" and [f.code for f in after.findings] == ["ccc_withdrawn"]
    expired = check_certificate("2020010201234567", register, sale_date=date(2031, 1, 1))
    assert [f.code for f in expired.findings] == ["ccc_expired"]
    assert check_certificate("2020010201999999", register).status == "not_registered"


def test_maker_and_model_are_compared_with_the_certificate(register_csv):
    register = load_register(register_csv)
    same = check_certificate("2020010201234567", register, sale_date=date(2025, 1, 1), maker="宁波公牛电器有限公司",
                             model="gn-b4")
    assert same.findings == []
    other = check_certificate("2020010201234567", register, sale_date=date(2025, 1, 1), maker="项城市宏达电器有限公司",
                              model="HD-6")
    assert [f.code for f in other.findings] == ["ccc_other_maker", "ccc_model_not_covered"]
    assert all(f.where["register_row"] == 3 for f in other.findings)
    assert same_maker("公牛集团（宁波）股份有限公司", "公牛集团股份有限公司")
    assert not same_maker("慈溪市恒远电器厂", "公牛集团股份有限公司")
