"""The map page the brief saves is the map it shows: hot spots and the 12315 complaint layer, offline."""

from __future__ import annotations

import json
import re

import pytest

import geo
from casebook import hotspot_display as display
from casebook.leads import lead_views
from casebook.leads.lead_words import layer_words
from geo.hotspot_maps import offline_html


def _layer_name(lang: str) -> str:
    return json.dumps(layer_words(lang)["layer"])  # as the layer control lists it


def _same_ids(page: str) -> str:
    return re.sub(r"_[0-9a-f]{32}", "_ID", page)  # folium names every element with a random id


@pytest.fixture(scope="module")
def brief(sample_book):
    cases_path = sample_book / "cases.csv"
    result = geo.find_hotspots(geo.filter_cases(cases_path), sample_book / "baseline.csv")
    leads = lead_views.for_brief("", result, cases_path=cases_path)
    assert leads.summary is not None and leads.summary.placed > 0  # the sample has complaints
    return result, leads


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_saved_map_has_the_complaint_layer_and_is_the_map_shown(brief, tmp_path, lang):
    result, leads = brief
    leads.lang = lang
    path = tmp_path / "hotspot_map.html"
    written = display.save_outputs(result, map_html=path, leads=leads, lang=lang)
    assert list(written["output"]) == ["map"]
    page = path.read_text(encoding="utf-8")
    assert _layer_name(lang) in page and '"per_10k"' in page  # the layer and its tooltip fields
    assert _same_ids(page) == _same_ids(offline_html(display.brief_map(result, leads, lang=lang)))
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r'<link[^>]+href="https?:', page)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "code.jquery" not in page


def test_without_leads_the_saved_map_has_no_complaint_layer(brief, tmp_path):
    result, _ = brief
    path = tmp_path / "hotspot_map.html"
    display.save_outputs(result, map_html=path)
    assert _layer_name("zh") not in path.read_text(encoding="utf-8")
