"""Every page casebook writes from its templates shows a hostile value as text, never as markup.

The dossier's fragments (every builder the sections and the brief use, the label section's lookalikes
and held-back readings), the 协查函, the extraction record, the public notice and the 抽查结果公示 all go through the
one jinja2 environment with autoescape; a case name or a company name holding ``<script>`` comes out
as ``&lt;script&gt;`` and reads back as typed.
"""

from __future__ import annotations

import html

import pandas as pd
import pytest

from casebook import dossier_html as parts
from casebook.chains.assist_letter import AssistLetter, letter_html
from casebook.extraction_record import render_record
from casebook.html_pages import render
from casebook.inspection.inspection_results import Publication, write_publication
from casebook.notices.notice_writer import write_notice
from casebook.notices.public_notice import Notice
from casebook.sections import label_photos
from tests.capture.test_record import facts

SCRIPT = '<script>alert("x")</script>'
COMPANY = "</td></tr></table><img src=x onerror=alert(1)>周口'某'商贸有限公司"
TAGS = ("<script", "<img src=x", "</td></tr></table><img")


def shown_as_text(page: str, *values: str) -> None:
    """No hostile tag survives as markup, and each value reads back as typed."""
    for tag in TAGS:
        assert tag not in page, tag
    text = html.unescape(page)
    for value in values:
        assert value in text, value


def test_every_dossier_fragment_escapes_what_it_is_handed():
    fragments = [
        str(parts.section("anchor", SCRIPT, parts.note(COMPANY))), str(parts.cover_page(SCRIPT, "")),
        parts.key_values([(SCRIPT, COMPANY)]), parts.table([SCRIPT], [[COMPANY], ["x"]], row_classes=["cb-bad", ""]),
        parts.frame_table(pd.DataFrame({SCRIPT: [COMPANY]})), parts.error_box(SCRIPT), parts.heading(SCRIPT, level=4),
        parts.paragraph(SCRIPT, COMPANY, css="cb-ok"), parts.png_img(b"\x89PNG", SCRIPT),
        parts.photo_block("", SCRIPT, parts.note(COMPANY)),
        parts.review_block(SCRIPT, COMPANY, "读作", [SCRIPT], "改作", [COMPANY]),
        parts.lookalike_pair(SCRIPT, COMPANY, SCRIPT, "信号", COMPANY), parts.labelled(SCRIPT, COMPANY),
    ]
    for fragment in fragments:
        assert "<script" not in fragment and "<img src=x" not in fragment, fragment
    shown_as_text("".join(fragments), SCRIPT, COMPANY)


def test_the_label_section_shows_a_lookalike_named_by_a_seller_as_text():
    words = label_photos.LABEL_TEXT["zh"]
    page = label_photos._lookalikes_html(
        [{"matched": SCRIPT, "brand": "康师傅", "owner": COMPANY, "tricks": [{"kind": "added", "seen": SCRIPT}],
          "signals": [SCRIPT], "score": 0.91}], words, SCRIPT, "zh")
    shown_as_text(page, SCRIPT, COMPANY)


def test_an_assistance_letter_shows_case_and_company_names_as_text():
    case = {"case_id": "ZK-1", "case_no": SCRIPT, "title": SCRIPT, "county": "川汇区", "organ": COMPANY,
            "party": COMPANY, "role": "maker"}
    letter = AssistLetter(
        chain="chain-1", from_county="川汇区", from_organ=COMPANY, to_county="项城市", to_organ=SCRIPT,
        cases=[case, {**case, "case_id": "ZK-2", "county": "项城市"}],
        entities=[{"id": "e1", "kind": "name", "value": COMPANY, "weight": 1.0, "cases": ["ZK-1", "ZK-2"], "links": True}],
        sources=[{"kind": "name", "value": COMPANY, "case": "ZK-1", "file": SCRIPT, "at": [2], "field": SCRIPT,
                  "text": COMPANY}],
        evidence=[{"case": "ZK-1", "file": SCRIPT, "sha256": "a" * 64, "sm3": "b" * 64, "sealed_utc": "", "status": "sealed"}],
        notes=[SCRIPT], drafted_utc="2024-06-01T00:00:00Z",
        labels=[{"kind": "name", "value": COMPANY, "case": "ZK-1", "photo": SCRIPT, "line": 3, "text": SCRIPT,
                 "sha256": "c" * 64, "claim": "", "owner": ""}])
    page = letter_html(letter)
    shown_as_text(page, SCRIPT, COMPANY)
    assert page.count("<table>") == 5  # cases, entities, sources, labels, evidence: none broken open


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_extraction_record_shows_a_hostile_case_name_as_text(lang):
    record = facts(title=SCRIPT, place=COMPANY, case={"case_id": "WEB-1", "case_no": SCRIPT, "title": SCRIPT,
                                                     "cause": SCRIPT, "party": COMPANY})
    page = render_record(record, lang=lang)
    shown_as_text(page, SCRIPT, COMPANY)
    assert page.count("<title>") == 1 and page.count("<table") == page.count("</table>")


def test_a_public_notice_shows_a_hostile_company_name_as_text(tmp_path):
    summary = {"decision_no": SCRIPT, "party": {"name": COMPANY, "credit_code": SCRIPT, "type": SCRIPT,
                                                "representative": SCRIPT, "address": COMPANY},
               "violation": SCRIPT, "penalty": SCRIPT, "basis": SCRIPT, "organ": COMPANY, "date": "2024-10-14"}
    notice = Notice(case_id="ZK-1", summary=summary, decision_text=[SCRIPT, COMPANY], typical_case=SCRIPT)
    written = write_notice(notice, tmp_path, pdf=False)
    shown_as_text(next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8"), SCRIPT, COMPANY)


def test_the_inspection_publication_shows_hostile_names_as_text(tmp_path):
    table = pd.DataFrame([{"order": 1, "name": COMPANY, "id": SCRIPT, "code": "pass", "result": SCRIPT,
                           "date": "2024-05-01"}])
    record = {"method": SCRIPT, "method_version": 1, "seed": 3, "share": 0.1,
              "inputs": {"subjects": {"sha256": "a" * 64}, "inspectors": {"sha256": "b" * 64}}}
    page, _csv = write_publication(Publication(table, [], []), record, tmp_path, organ=COMPANY, task=SCRIPT)
    shown_as_text(page.read_text(encoding="utf-8"), SCRIPT, COMPANY)
    assert render("page_base.html").count("Content-Security-Policy") == 1


def test_the_explorer_names_an_unusable_case_table_as_text(tmp_path):
    from casebook.hotspot_display import Exploration
    from casebook.leads.lead_views import LeadsView

    table = tmp_path / "cases.csv"
    table.write_text(f"case_id,{SCRIPT.replace(',', ' ')}\n1,2\n", encoding="utf-8")  # no coordinates: named
    page = Exploration(table)._repr_html_()
    assert page.startswith("<p><b>")
    shown_as_text(page, SCRIPT)
    assert LeadsView(None, lang="en").figures().data.startswith("<p>No complaint data")
