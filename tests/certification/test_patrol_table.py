"""The patrol table keeps a seller's text as text: escaped in HTML, never a formula in the CSV."""

from __future__ import annotations

import csv
from types import SimpleNamespace

from casebook.case import load_case
from casebook.webcapture.patrol_table import write_patrol
from tests.support.web_pages import HOSTILE_TITLE, write_case


def test_hostile_titles_and_findings_stay_text(tmp_path):
    case_dir = write_case(tmp_path)
    folder = case_dir / "evidence" / "web" / "20240601T000000Z-127.0.0.1"
    folder.mkdir(parents=True)
    finding = {"code": "absolute_term", "severity": "violation", "message": '使用绝对化用语“最好”（=HYPERLINK("x")）',
               "basis": "《广告法》第九条", "evidence": "=HYPERLINK(\"x\")", "element": "body > h1", "region": [0, 0, 9, 9]}
    result = SimpleNamespace(url="http://127.0.0.1/a", title=HOSTILE_TITLE, folder=folder,
                             captured_at="2024-06-01T00:00:00Z", manifest=SimpleNamespace(merkle_root="ab" * 32),
                             screening={"findings": [finding]})
    clean = SimpleNamespace(url="http://127.0.0.1/b", title="-1+1", folder=folder, captured_at="2024-06-01T00:00:00Z",
                            manifest=SimpleNamespace(merkle_root="cd" * 32), screening={"findings": []})
    run = SimpleNamespace(case_dir=case_dir, results=[clean, result],
                          failed=[{"url": "http://127.0.0.1/c", "message": "<b>refused</b>"}])
    html_path, csv_path = write_patrol(run, case=load_case(case_dir), register_name=None,
                                       started_utc="2024-06-01T00:00:00Z")
    html = html_path.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;" in html and "&lt;b&gt;refused" in html
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert [row[1] for row in rows[1:]] == ["违法", "提取失败", "未发现问题"]
    assert rows[1][5] == "'=HYPERLINK(\"x\")" and rows[3][9] == "'-1+1"
    assert html.index("http://127.0.0.1/a") < html.index("http://127.0.0.1/c") < html.index("http://127.0.0.1/b")
