"""HTML export: no input cells, nothing fetched from anywhere, escaped index."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from casebook.export import notebook_to_html
from casebook.index import write_index
from tests.support.browser import assert_html_safe

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def _executed_notebook(path):
    code = new_code_cell("secret_code_line = 1 + 1", execution_count=1)
    code.outputs = [new_output("display_data", data={"text/html": "<b>输出</b>", "text/plain": "输出"}),
                    new_output("display_data", data={"text/latex": "$x^2$", "text/plain": "x^2"})]
    hidden = new_markdown_cell("template notes", metadata={"tags": ["remove_cell"]})
    nbformat.write(new_notebook(cells=[hidden, code]), path)
    return path


def test_html_has_no_input_and_no_remote_reference(tmp_path):
    html = notebook_to_html(_executed_notebook(tmp_path / "nb.ipynb"), tmp_path / "nb.html", title="卷宗")
    text = html.read_text(encoding="utf-8")
    assert "secret_code_line" not in text
    assert "template notes" not in text
    assert "<b>输出</b>" in text
    assert not REMOTE.search(text), REMOTE.search(text)
    for cdn in ("require.js", "require.min.js", "MathJax.js", "mermaid", "unpkg.com", "cdnjs", "jsdelivr"):
        assert cdn.lower() not in text.lower().replace("mermaidjs", ""), cdn
    assert "Content-Security-Policy" in text


@pytest.mark.slow
def test_html_opens_offline_without_any_request(tmp_path):
    html = notebook_to_html(_executed_notebook(tmp_path / "nb.ipynb"), tmp_path / "nb.html")
    assert_html_safe(html, expect_text=["输出"])


@pytest.mark.slow
def test_index_escapes_everything_and_sorts(tmp_path):
    hostile = '<img src=x onerror="window.__casebook_pwned=1;alert(1)">"\'\n{{ 7*7 }}'
    results = [
        {"case_id": "B-2", "status": "ok", "outputs": {"html": "dossier.html"},
         "summary": {"title": hostile, "case_no": "<script>alert(2)</script>", "findings_by_code": {"three_no": 2},
                     "integrity": "verified", "setting": "rural"}},
        {"case_id": "A-1", "status": "failed", "outputs": {}, "error": {"type": "NotebookError", "message": hostile,
                                                                     "hint": None, "path": None, "row": None,
                                                                     "field": None},
         "summary": {"title": "甲", "findings_by_code": {}, "integrity": "tampered"}},
    ]
    page = write_index(tmp_path, results)
    report = assert_html_safe(page, expect_text=['<img src=x onerror="window.__casebook_pwned=1;alert(1)">',
                                                 "<script>alert(2)</script>", "{{ 7*7 }}"])
    assert report.text.index("A-1") < report.text.index("B-2")


@pytest.mark.slow
def test_index_table_sorts_on_click(tmp_path):
    from casebook.browser import launch_browser

    results = [{"case_id": cid, "status": "ok", "outputs": {"html": "dossier.html"},
                "summary": {"title": cid, "findings_by_code": {"x": n}}} for cid, n in (("A-1", 5), ("B-2", 1),
                                                                                        ("C-3", 12))]
    page_path = write_index(tmp_path, results)
    with launch_browser() as browser:
        page = browser.new_page()
        page.goto(page_path.as_uri())
        first = lambda: page.locator("tbody tr td:first-child").all_inner_texts()  # noqa: E731
        assert [t.split()[0] for t in first()] == ["A-1", "B-2", "C-3"]
        page.click("th[data-sort='2']")  # findings, numeric
        assert [t.split()[0] for t in first()] == ["B-2", "A-1", "C-3"]
        page.click("th[data-sort='2']")
        assert [t.split()[0] for t in first()] == ["C-3", "A-1", "B-2"]
        page.close()


def test_index_links_the_casebook_pages_only_when_they_were_made(tmp_path):
    results = [{"case_id": "A-1", "status": "ok", "outputs": {"html": "dossier.html"},
                "summary": {"title": "甲", "findings_by_code": {}}}]
    bare = write_index(tmp_path, results).read_text(encoding="utf-8")
    assert "hotspot_brief.html" not in bare and "chains/links.html" not in bare
    (tmp_path / "hotspot_brief.html").write_text("brief", encoding="utf-8")
    (tmp_path / "chains").mkdir()
    (tmp_path / "chains" / "links.html").write_text("chart", encoding="utf-8")
    page = write_index(tmp_path, results, lang="en").read_text(encoding="utf-8")
    assert '<a href="hotspot_brief.html">Hotspot brief</a>' in page
    assert '<a href="chains/links.html">Linked-case chart and assistance letters</a>' in page
