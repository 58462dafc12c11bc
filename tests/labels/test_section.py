"""The dossier's label section: data from the library, display in the dossier's language.

The section shows why a name is a lookalike (each trick, the agreeing signals) and every reading
behind a held-back accusation; it reads codes and severities, never display words.
"""

from __future__ import annotations

import pytest

from casebook.sections.label_photos import LABEL_TEXT, fields_display, findings_display
from casebook.sections.label_photos import _lookalikes_html as lookalikes_html
from casebook.sections.label_photos import _readings_html as readings_html
from evidence.labels.label_fields import extract_fields
from evidence.labels.label_report import LabelReport
from evidence.labels.ocr import OcrLine, OcrResult
from evidence.labels.screening import screen

LABEL = """品名：康帅傅红烧牛肉面
净含量：105克
生产商：周口市鑫源食品厂
地址：河南省周口市川汇区建设路8号
联系电话：0394-1234567
统一社会信用代码：9111000060003734BA
食品生产许可证编号：SC10741160200018
执行标准：GB 17400
生产日期：2024-03-01
保质期：6个月
配料：小麦粉<script>alert(1)</script>
6901234567892"""


@pytest.fixture(scope="module")
def report() -> LabelReport:
    lines = [OcrLine(t, ((0, 30 * i), (600, 30 * i), (600, 30 * i + 26), (0, 30 * i + 26)), 0.98)
             for i, t in enumerate(LABEL.splitlines())]
    ocr = OcrResult.from_lines("rapidocr", lines, (600, 400))
    fields = extract_fields(lines)
    # the copied name read a second time the same; the credit code's line not read again
    findings = screen(fields, ocr=ocr, reread=lambda line: [(line.text, 0.97)] if "品名" in line.text else [])
    return LabelReport(image="x.jpg", engine="rapidocr", text=ocr.text, lines=lines, fields=fields.to_dict(),
                       findings=findings, lookalikes=[f.details["lookalike"] for f in findings if f.details])


def test_the_report_is_data_with_codes_not_display_words(report):
    assert list(report.fields_table().columns) == ["field", "value"]
    findings = report.findings_table()
    assert {"code", "severity", "values", "readings", "alternatives"} <= set(findings.columns)
    assert not {"message", "message_en"} & set(findings.columns)  # the dossier says it in its language
    assert sorted(findings["code"]) == ["brand_lookalike", "needs_review"]
    assert set(findings["severity"]) == {"warning", "needs_review"}


@pytest.mark.parametrize(("lang", "header", "severity", "words"), [
    ("zh", "字段", "待人工核对", "疑似仿冒"), ("en", "Field", "needs review", "imitates the well-known mark")])
def test_tables_speak_the_dossier_language(report, lang, header, severity, words):
    html = fields_display(report, lang) + findings_display(report, lang)
    assert header in html and severity in html and words in html
    assert LABEL_TEXT[lang]["fields"]["product_name"] in html
    assert "<script>" not in html


def test_each_lookalike_shows_its_tricks_and_signals(report):
    zh = lookalikes_html(report.lookalikes, LABEL_TEXT["zh"], "疑似仿冒品牌", "zh")
    assert "康帅傅" in zh and "康师傅" in zh and "形近 师→帅" in zh and "字形" in zh and "包装用语" in zh
    en = lookalikes_html(report.lookalikes, LABEL_TEXT["en"], "Lookalike brands", "en")
    assert "similar shape 师→帅" in en and "packaging words" in en


def test_each_needs_review_shows_both_readings(report):
    review = next(f for f in report.findings if f.code == "needs_review")
    assert review.suspected == "bad_credit_code_checksum"
    html = readings_html(report, LABEL_TEXT["zh"])
    assert "9111000060003734BA" in html and "91110000600037348A" in html  # the reading and the repair
    assert "bad_credit_code_checksum" in html


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "words"), [("zh", ("识别字段", "疑似仿冒品牌", "字形")),
                                             ("en", ("Fields read", "Lookalike brands", "shape"))])
def test_the_section_of_a_real_case_shows_lookalike_reasons(sample_book, lang, words):
    import json

    from casebook.sections.base import Dossier

    truth = json.loads((sample_book / "truth.json").read_text(encoding="utf-8"))["labels"]
    case_id = next(t["case_id"] for t in truth if "brand_lookalike" in t["problems"])
    dossier = Dossier(sample_book / case_id, lang=lang, ocr_engine="rapidocr")
    html = str(dossier.labels())
    assert all(w in html for w in words), html[:2000]
    assert dossier.summary["findings_by_code"].get("brand_lookalike", 0) >= 1
