"""The extraction record's HTML: every value escaped, a strict CSP, both languages, the signature lines."""

from __future__ import annotations

import base64
import hashlib
import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.extraction_record import RecordFacts, render_record
from tests.support.web_pages import HOSTILE_TITLE


def facts(title: str = HOSTILE_TITLE, **changes) -> RecordFacts:
    base = dict(
        case={"case_id": "WEB-1", "case_no": "周市监处罚〔2024〕88号", "title": "某网店销售假冒运动鞋案",
              "cause": "涉嫌销售侵犯注册商标专用权的商品", "party": "<b>周口鞋业</b>"},
        capture={"url": "https://shop.example/item?id=1&x=<y>", "final_url": "https://shop.example/item/1",
                 "title": title, "status": 200, "server": "203.0.113.9:443",
                 "redirects": [{"status": 302, "url": "https://shop.example/item?id=1&x=<y>"}],
                 "started_utc": "2024-06-07T08:15:02.123Z", "ended_utc": "2024-06-07T08:15:09.456Z",
                 "tls": {"protocol": "TLS 1.3", "subject": "CN=shop.example,O=<script>", "issuer": "CN=Test CA",
                         "valid": "2024-01-01T00:00:00Z – 2025-01-01T00:00:00Z", "fingerprint": "ab" * 32}},
        place="周口市市场监督管理局电子数据取证室", extractors=["王敏（41160000001）", "李强（41160000002）"],
        tools=["casebook 0.1.0", "Python 3.11.7", "OpenSSL 3.0", "Playwright 1.50", "Chromium 131"],
        browser={"version": "131", "width": 1366, "height": 768, "locale": "zh-CN", "timezone": "Asia/Shanghai",
                 "ua": "Mozilla/5.0 <x>"},
        settled=False, not_settled=["network_idle", "dom_quiet"], scripts_terminated=True,
        settings={"timeout": 30, "quiet": 500},
        refused=[{"what": "frame", "url": "data:text/html,<script>alert(1)</script>"}],
        files=[{"kind": kind, "name": name, "bytes": 1000 + i, "sha256": f"{i:x}" * 64, "sm3": f"{i + 6:x}" * 64}
               for i, (kind, name) in enumerate([("html", "page.html"), ("mhtml", "page.mhtml"),
                                                 ("screenshot", "screenshot.png"), ("pdf", "page.pdf"),
                                                 ("response", "response.json"), ("capture", "capture.json")])],
        seal={"folder": "evidence/web/20240607T081502Z-shop.example", "manifest": "evidence/web/x/manifest.json",
              "merkle_root": "c" * 64, "seal_sha256": "d" * 64, "seal_sm3": "e" * 64},
        timestamp={"gen_time_utc": "2024-06-07T08:15:10Z", "tsa": "CN=Test TSA", "path": "x.tsr"},
        timestamp_error=None)
    base.update(changes)
    return RecordFacts(**base)


def test_the_record_names_everything_the_form_asks_for():
    page = html.unescape(render_record(facts()))
    for expected in ("电子数据提取笔录", "案由", "涉嫌销售侵犯注册商标专用权的商品", "提取时间", "2024-06-07 16:15:02",
                     "2024-06-07 16:15:09", "提取地点", "周口市市场监督管理局电子数据取证室", "提取人", "王敏（41160000001）",
                     "提取方法", "Chromium 131", "Playwright 1.50", "电子数据清单", "screenshot.png", "1002",
                     "2" * 32, "8" * 32, "c" * 64, "见证人（签名）", "提取人（签名）", "2024-06-07 16:15:10",
                     "网络请求未在时限内停止", "页面内容在时限内持续变化", "已由浏览器调试接口终止"):
        assert expected in page, expected
    assert page.count("提取人（签名）") == 2  # one line per investigator


def test_english_record():
    page = html.unescape(render_record(facts(), lang="en"))
    assert "Electronic data extraction record" in page and "Witness (signature)" in page
    assert "the page kept changing" in page


def test_markup_from_the_page_and_the_case_stays_text():
    page = render_record(facts())
    assert "<script>" not in page.split("</style>", 1)[1] and "<b>" not in page.split("</style>", 1)[1]
    cell = re.search(r"<th>页面标题</th><td>(.*?)</td>", page)[1]
    assert "<" not in cell and html.unescape(cell) == HOSTILE_TITLE


def test_the_csp_allows_no_script_no_request_and_only_the_record_s_own_style():
    page = render_record(facts())
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1])
    style = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    assert csp.startswith("default-src 'none';") and f"style-src 'sha256-{digest}'" in csp
    assert "script-src" not in csp and "unsafe" not in csp
    assert page.count("<style>") == 1 and "<script" not in page and "<img" not in page and " on" not in style


def test_a_missing_timestamp_says_why():
    page = html.unescape(render_record(facts(timestamp=None, timestamp_error="the TSA did not answer")))
    assert "未取得：the TSA did not answer" in page
    assert "未申请" in html.unescape(render_record(facts(timestamp=None)))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_no_title_can_open_a_tag(title):
    body = render_record(facts(title=title)).split("</style>", 1)[1]
    assert len(re.findall(r"<[a-zA-Z!/]", body)) == len(re.findall(r"<[a-zA-Z!/]", render_record(facts(title="x"))
                                                                 .split("</style>", 1)[1]))


def test_an_unknown_language_is_refused():
    from safeio.errors import InputError

    with pytest.raises(InputError, match="unknown record language"):
        render_record(facts(), lang="fr")
