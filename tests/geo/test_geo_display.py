"""Display tables: Chinese by default, English on request, codes translated, escaped, no index column."""

from __future__ import annotations

import pandas as pd

from casebook import hotspot_display as display
from casebook.words.map_words import category, column, map_labels, word


def test_zh_and_en_headers_and_words(planted_result):
    zh = display.show_counties(planted_result).to_html()
    en = display.show_counties(planted_result, "en").to_html()
    assert "区划代码" in zh and "每次检查案件数" in zh and "adcode" not in zh
    assert "cases per inspection" in en and "区划代码" not in en
    cells = display.show_hotspots(planted_result).to_html()
    assert "热点" in cells and ">hot<" not in cells
    assert "城乡结合部" in cells or "农村" in cells


def test_no_index_column_and_untrusted_text_is_escaped():
    frame = pd.DataFrame({"case_id": ["<img src=x onerror=alert(1)>"], "category": ["food"], "setting": ["rural"]})
    html = display.show(frame).to_html()
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "食品" in html and "农村" in html and "案件编号" in html
    assert 'class="row_heading' not in html and 'class="blank' not in html  # no index cells


def test_category_words():
    assert [category(c) for c in ("food", "small_appliance", "toiletry", "hardware_electrical", "agri_input",
                                  "children")] == ["食品", "小家电", "日化用品", "五金电料", "农资", "儿童用品"]
    assert category("food", "en") == "Food" and category("食品", "en") == "Food" and category("烟花") == "烟花"
    assert word("intensifying") == "加剧" and column("rate", "en") == "cases per inspection"


def test_maps_take_their_words_as_an_argument_and_default_to_codes(planted_result):
    """geo draws with the labels it is handed; without any it shows codes, never a language of its own."""
    import geo
    from geo.hotspot_maps import offline_html

    plain = offline_html(geo.hotspot_map(planted_result))
    zh = offline_html(geo.hotspot_map(planted_result, labels=map_labels("zh")))
    assert "hot 99%" in plain and "热点 99%" not in plain
    assert "热点 99%" in zh and map_labels("en").bins[3] == "Hot spot 99%"
