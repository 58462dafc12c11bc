"""links.html: offline, escaped, interactive; checked in the real headless Chromium."""

from __future__ import annotations

import re

import pytest

from links import CaseRecord, Source, link_mentions
from links.chart import chain_page, chain_svg
from links.extract import name_mention, phone_mentions
from tests.support.browser import PWNED_MARKER, inspect_page

XSS = f"<img src=x onerror=window.{PWNED_MARKER}=1>恒昌日化"
BREAKOUT = f"</script><script>window.{PWNED_MARKER}=2</script>"


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    cases = {"C1": CaseRecord("C1", county="西华县", title=BREAKOUT, party="<b>shop</b>"),
             "C2": CaseRecord("C2", county="鹿邑县", title="ok", party="\u2028'\"&amp;")}
    mentions = []
    for case in cases:
        source = Source(case, "evidence/<i>ledger</i>.csv", "ledger", row=2, field="供货单位", text=BREAKOUT + XSS)
        mentions += name_mention(XSS, source, "supplier") + phone_mentions("13839462217", source, "supplier")
    result = link_mentions(mentions, {**cases, **{f"X{i}": CaseRecord(f"X{i}") for i in range(20)}})
    assert len(result.chains) == 1
    path = tmp_path_factory.mktemp("chart") / "links.html"
    path.write_text(chain_page(result), encoding="utf-8")
    entity = next(e.id for e in result.entities if e.kind == "name")
    return path, entity


def test_the_page_carries_no_markup_from_case_data_and_nothing_external(hostile_page):
    page = hostile_page[0].read_text(encoding="utf-8")
    assert XSS not in page and BREAKOUT not in page and "<b>shop</b>" not in page and "<i>ledger" not in page
    assert not re.search(r"<script[^>]+src=", page) and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "@import" not in page and "url(" not in page
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", page)  # only the page's own script may run


@pytest.mark.slow
def test_a_hostile_entity_value_shows_as_text_and_the_page_makes_no_request(hostile_page):
    click = ("(id) => { const n = document.querySelector('[data-id=\"' + id + '\"]');"
             " n.dispatchEvent(new MouseEvent('click', {bubbles: true}));"
             " return document.getElementById('cb-detail').textContent; }")
    path, entity = hostile_page
    report = inspect_page(path, probes={"entity": (click, entity),
                                                "case": (click, "case:C1"),
                                                "filter": ("() => { const s = document.getElementById('cb-county');"
                                                           " s.value = '鹿邑县'; s.dispatchEvent(new Event('change'));"
                                                           " return document.getElementById('cb-count').textContent; }",
                                                           None)})
    assert report.requests == [] and report.dialogs == [] and report.pwned_frames == [], report
    assert report.page_errors == []
    assert XSS in report.text  # the node label, as text
    assert XSS in report.probes["entity"] and BREAKOUT in report.probes["entity"]  # details and the row as read
    assert BREAKOUT in report.probes["case"]
    assert report.probes["filter"] == "1"


def test_a_chain_on_the_map_over_its_county_borders_offline(sample_linkage):
    from geo import counties
    from geo.hotspot_maps import offline_html
    from links.chain_map import chain_map, county_borders

    chain = sample_linkage.result.chains[0]
    page = offline_html(chain_map(sample_linkage.result, chain))
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=\"https?:", page)
    assert page.count("L.polyline") == len(chain.edges) and page.count("L.circleMarker") == len(chain.cases)
    if counties.available():
        borders = county_borders(sample_linkage.result, chain)
        assert borders is not None and len(borders._children) == len(chain.counties)


def test_no_node_label_prints_over_another(sample_linkage):
    """Kamada-Kawai puts cases that share their entities close together; every label must stay readable."""
    chains = sample_linkage.result.chains
    assert len(chains) >= 2
    for chain in chains:
        svg = chain_svg(sample_linkage.result, chain)
        nodes = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)]
        nodes += [(float(x) + 6, float(y) + 6) for x, y in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)"', svg)]
        assert len(nodes) == len(chain.cases) + len(chain.via)
        for i, (ax, ay) in enumerate(nodes):
            for bx, by in nodes[i + 1:]:
                assert abs(ax - bx) >= 150 or abs(ay - by) >= 33, (chain.id, (ax, ay), (bx, by))
