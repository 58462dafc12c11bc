"""Round 2, row 10: control sequences from case.yml or a CSV never reach the terminal raw.

Before: OSC ``ESC ] … BEL`` and the 0x9B byte went through ``link`` and ``geo hotspots`` unescaped.
"""

from __future__ import annotations

import pytest

from tests.support.links import make_case, write_table

OSC = "\x1b]0;pwned\x07"
CSI_C1 = "\x9b31m"
RAW = ("\x1b", "\x07", "\x9b")


def _clean(*texts: str) -> None:
    for text in texts:
        assert not any(ch in text for ch in RAW), repr(text[:200])


def test_link_escapes_case_values_in_its_report(tmp_path, cli):
    book = tmp_path / "book"
    for case_id, county in (("C1", f"川汇区{OSC}"), ("C2", f"西华县{CSI_C1}")):
        folder = make_case(book, case_id, county=county, party={"name": f"某某商行{OSC}"})
        write_table(folder / "evidence", "进货台账", [["日期", "商品", "供货单位", "联系电话", "数量"],
                                                   ["2024-05-01", f"洗发水{OSC}", f"某某批发部{CSI_C1}",
                                                    "13839462217", "5"]], "utf-8")
    code, out, err = cli("link", book, "--no-ocr")
    assert code == 0 and "chain-001" in out
    _clean(out, err)
    assert "\\x1b]0;pwned\\x07" in out or "\\x9b" in out
    code, out, err = cli("link", book, "--no-ocr", "--json")
    _clean(out, err)


@pytest.mark.slow  # the geo stack takes ~15 s to import on a busy machine
def test_geo_hotspots_escapes_csv_values(tmp_path, cli):
    from tests.support.geo_synthetic import synthetic_casebook

    cases = synthetic_casebook(seed=5).cases.copy()
    cases["case_id"] = [f"ZK{OSC}{n}" for n in range(len(cases))]
    cases.loc[0, "case_id"] = cases.loc[1, "case_id"]  # a duplicate: its id is printed
    cases["lon"] = cases["lon"].astype(object)
    cases.loc[2, "lon"] = f"11{CSI_C1}4"  # a rejected row: its reason quotes the value
    path = tmp_path / "cases.csv"
    cases.to_csv(path, index=False)
    code, out, err = cli("geo", "hotspots", path, "--no-trend", "--resolution", "7")
    assert code == 1, err
    _clean(out, err)
    code, out, err = cli("geo", "hotspots", path, "--no-trend", "--resolution", "7", "--json")
    _clean(out, err)

