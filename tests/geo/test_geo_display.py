"""Display tables: Chinese by default, English on request, codes translated, escaped, no index column."""

from __future__ import annotations

import pandas as pd

import geo
from geo.i18n import category, column, word


def test_zh_and_en_headers_and_words(planted_result):
    zh = geo.display.counties(planted_result).to_html()
    en = geo.display.counties(planted_result, "en").to_html()
    assert "区划代码" in zh and "每次检查案件数" in zh and "adcode" not in zh
    assert "cases per inspection" in en and "区划代码" not in en
    cells = geo.display.hotspots(planted_result).to_html()
    assert "热点" in cells and ">hot<" not in cells
    assert "城乡结合部" in cells or "农村" in cells


def test_no_index_column_and_untrusted_text_is_escaped():
    frame = pd.DataFrame({"case_id": ["<img src=x onerror=alert(1)>"], "category": ["food"], "setting": ["rural"]})
    html = geo.display.show(frame).to_html()
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "食品" in html and "农村" in html and "案件编号" in html
    assert 'class="row_heading' not in html and 'class="blank' not in html  # no index cells


def test_category_words():
    assert [category(c) for c in ("food", "small_appliance", "toiletry", "hardware_electrical", "agri_input",
                                  "children")] == ["食品", "小家电", "日化用品", "五金电料", "农资", "儿童用品"]
    assert category("food", "en") == "Food" and category("食品", "en") == "Food" and category("烟花") == "烟花"
    assert word("intensifying") == "加剧" and column("rate", "en") == "cases per inspection"
