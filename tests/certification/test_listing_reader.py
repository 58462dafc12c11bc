"""Reading a listing from a sealed page: structure, shown licence, and pages built to hurt the reader."""

from __future__ import annotations

import time
from datetime import date

from evidence.web.listing_checks import screen_listing
from evidence.web.listing_reader import read_listing_html
from tests.support.listing_pages import LISTINGS


def test_values_keep_the_element_they_stand_in():
    listing = read_listing_html(LISTINGS["/socket-withdrawn"])
    assert listing.title.value == "恒远 家用插座 五孔 带开关"
    assert listing.title.path.endswith("div#detail > h1.item-title:nth-child(2)")
    assert listing.maker.value == "慈溪市恒远电器厂" and listing.model.value == "HY-5"
    assert [(c.value, c.path.endswith("tr:nth-child(3) > td:nth-child(2)")) for c in listing.ccc] == [
        ("2021010201000001", True)]
    assert set(listing.licence) == {"company", "credit_code", "address"}


def test_hidden_text_and_scripts_are_not_read():
    html = ('<html><body><h1>电热水壶</h1><p style="display:none">最好的水壶</p><p hidden>根治高血压</p>'
            '<script>var s = "销量第一";</script><p>3C证书编号：2022010717000001</p></body></html>')
    listing = read_listing_html(html)
    assert "最好" not in listing.text and "根治" not in listing.text and "销量第一" not in listing.text
    assert screen_listing(listing, sale_date=date(2024, 1, 1)) == []


def test_a_page_nested_very_deep_is_read_in_time():
    html = "<html><body>" + "<div>" * 100_000 + "插座 最低价" + "</div>" * 100_000 + "</body></html>"
    started = time.perf_counter()
    listing = read_listing_html(html)
    assert time.perf_counter() - started < 20
    assert listing.text == "插座 最低价"
    assert len(listing.nodes[0].path) < 30_000
    codes = [f.code for f in screen_listing(listing, sale_date=date(2024, 1, 1))]
    assert codes == ["absolute_term"]  # the title was not found, so no product is named; the claim still is


def test_markup_in_the_page_stays_text_in_the_findings():
    html = '<html><body><h1 class="title">最好的插座 &lt;script&gt;alert(1)&lt;/script&gt;</h1></body></html>'
    listing = read_listing_html(html)
    assert listing.title.value == "最好的插座 <script>alert(1)</script>"
    flags = screen_listing(listing, sale_date=date(2024, 1, 1))
    assert [f.code for f in flags] == ["absolute_term", "ccc_not_shown"]
