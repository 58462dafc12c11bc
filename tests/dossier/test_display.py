"""Data, then display: the same codes give the same row colours in Chinese and in English."""

from __future__ import annotations

import re
import shutil

import pytest

from casebook.sections import Dossier
from casebook.sections.custody_log import custody_rows
from casebook.sections.dossier_words import TEXT
from casebook.sections.evidence_list import evidence_rows, status_class
from evidence.integrity.custody import CustodyLog, custody_table
from evidence.integrity.electronic_data_list import STATUSES, evidence_list
from evidence.integrity.manifest import load_manifest
from evidence.integrity.verify import verify_manifest

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _row_classes(html: str, table_index: int = 0) -> list[str]:
    tables = re.findall(r'<table class="cb-table">.*?</table>', html, flags=re.S)
    return [m or "" for m in re.findall(r'<tr(?: class="([^"]*)")?><td', tables[table_index])]


def _headers(html: str) -> list[str]:
    return re.findall(r"<th>([^<]*)</th>", html)


@pytest.fixture
def tampered(tiny_book, tmp_path):
    case = tmp_path / "ZK-T-TAMPER"
    shutil.copytree(tiny_book / "ZK-T-TAMPER", case)
    return case


def test_evidence_rows_coloured_by_code_in_both_languages(tampered):
    manifest = load_manifest(tampered / "manifest.json")
    frame = evidence_list(manifest, verify_manifest(manifest))
    _, zh_rows, zh_classes = evidence_rows(frame, TEXT["zh"])
    _, en_rows, en_classes = evidence_rows(frame, TEXT["en"])
    assert zh_classes == en_classes == [status_class(s) for s in frame["status"]]
    assert {s: c for s, c in zip(frame["status"], en_classes, strict=True)} == {"matched": "", "modified": "cb-bad"}
    assert zh_rows != en_rows  # the words differ, the colours do not
    assert {row[-1] for row in en_rows} == {"matches", "modified"}
    assert {row[-1] for row in zh_rows} == {"一致", "已修改"}


def test_every_status_code_has_words_and_a_colour():
    for lang in ("zh", "en"):
        assert set(TEXT[lang]["status_words"]) == set(STATUSES)
    assert {s for s in STATUSES if status_class(s) == ""} == {"recorded", "matched"}
    assert status_class("metadata_changed") == "cb-warn"
    assert status_class("modified") == status_class("missing") == status_class("no such code") == "cb-bad"


def test_english_dossier_draws_matched_evidence_as_matched_and_speaks_english(tampered):
    html = {lang: Dossier(tampered, lang=lang).evidence()._repr_html_() for lang in ("zh", "en")}
    assert _row_classes(html["zh"]) == _row_classes(html["en"])
    assert "" in _row_classes(html["en"]) and "cb-bad" in _row_classes(html["en"])
    for header in _headers(html["en"]):
        assert not CJK.search(header), header
    assert not CJK.search(re.sub(r"<td[^>]*>[^<]*</td>", "", html["en"]).replace("证据清单", ""))


def test_clean_case_in_english_has_no_red_row(tiny_book):
    dossier = Dossier(tiny_book / "ZK-T-CLEAN", lang="en")
    html = dossier.evidence()._repr_html_()
    assert dossier.summary["integrity"] == "verified"
    assert set(_row_classes(html)) == {""}
    assert "cb-bad" not in html


def test_custody_rows_coloured_by_chain_code_in_both_languages(tiny_book, tmp_path):
    log_path = tmp_path / "custody.jsonl"
    shutil.copy(tiny_book / "ZK-T-CLEAN" / "custody.jsonl", log_path)
    log = CustodyLog(log_path)
    log.append("张三", "transferred", [], note="移交法制科")
    log.append("李四", "verified", [])
    lines = log_path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("移交法制科", "移交他人")  # an edited event
    log_path.write_text("".join(lines), encoding="utf-8")
    frame = custody_table(log)
    zh_head, _, zh_classes = custody_rows(frame, TEXT["zh"])
    en_head, en_rows, en_classes = custody_rows(frame, TEXT["en"])
    assert zh_classes == en_classes == ["", "cb-bad", "cb-bad"]
    assert list(frame["chain"]) == ["ok", "broken", "unconfirmed"]
    assert not any(CJK.search(h) for h in en_head) and zh_head[0] == "序号"
    assert en_rows[0][3] == "hashed and sealed" and en_rows[1][3] == "transferred"


def test_cover_in_english_joins_names_the_english_way(tiny_book):
    html = Dossier(tiny_book / "ZK-T-CLEAN", lang="en").cover()._repr_html_()
    for header in _headers(html):
        assert not CJK.search(header), header
    assert "Administrative penalty case file" in html and "、" not in html
