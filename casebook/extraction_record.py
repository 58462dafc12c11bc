"""The extraction record (电子数据提取笔录) of one web capture, as HTML and as an A4 PDF to sign.

It names what docs/domain.md ("Web capture") lists: 案由, the object (the address), 提取时间 and
提取地点, 提取人, 提取方法 (tools, versions, steps), the files with their sizes and both digests,
the seal, and blank lines for the signatures of the investigators and the witness.

Everything taken from the page (its title, addresses, the server's certificate) and from case.yml
is untrusted text.  Jinja2 escapes every value; the page carries a Content-Security-Policy that
allows no script, no request and only its own hashed style block, so even an escaping mistake
could neither run nor load anything.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from casebook.html_pages import template
from casebook.words.finding_words import with_words
from evidence.integrity.electronic_data_list import shanghai_time
from evidence.integrity.manifest import Manifest
from evidence.web.capture_files import TILE_KIND, is_tile_name
from evidence.web.page_capture import ARTIFACT_FILES, PageCapture
from safeio.atomic import write_text_atomic
from safeio.errors import InputError

__all__ = ["RECORD_HTML", "RECORD_PDF", "RecordFacts", "record_facts", "render_record", "write_record"]

RECORD_HTML = "record.html"
RECORD_PDF = "record.pdf"
_TEMPLATES = Path(__file__).resolve().parent / "templates"

TEXT = {
    "zh": {
        "heading": "电子数据提取笔录", "case_no": "文号", "case_id": "案件编号", "case_title": "案件名称",
        "cause": "案由", "party": "当事人", "time": "提取时间", "from": "自", "to": "至", "beijing": "北京时间",
        "place": "提取地点", "extractors": "提取人", "object": "提取对象", "url": "网址", "final_url": "最终地址",
        "title": "页面标题", "status": "HTTP 状态", "server": "服务器地址", "redirects": "跳转经过",
        "tls": "TLS 证书", "tls_protocol": "协议", "tls_subject": "主体", "tls_issuer": "签发者",
        "tls_valid": "有效期", "method": "提取方法", "tools": "工具及版本", "browser": "浏览器设置",
        "refused": "提取时阻止的内容（仅允许 http/https）：", "refused_what": "类型", "refused_url": "地址",
        "files": "电子数据清单", "no": "序号", "name": "文件名", "kind": "类别", "size": "大小（字节）",
        "digests": "完整性校验值", "folder": "存放位置", "manifest": "封存清单", "merkle": "封存清单 Merkle 根",
        "seal": "封存清单自身校验值", "timestamp": "可信时间戳", "sign_extractor": "提取人（签名）",
        "sign_witness": "见证人（签名）", "witness_id": "身份证件号码或单位", "date": "日期",
        "note": "说明：页面标题、文字、地址等取自网页的内容在本笔录中按原文作为文字记录，网页脚本不在本笔录中运行。"
                "文件的校验值可用 casebook evidence verify、sha256sum 或 cksum -a sm3 复核。",
        "kinds": {"html": "网页（脚本运行后的 DOM）", "mhtml": "网页存档（MHTML，含资源）", "screenshot": "整页截图",
                  "pdf": "网页 PDF", "response": "服务器响应记录（JSON）", "capture": "提取过程记录（JSON）",
                  "screenshot_tile": "整页截图（分段）", "screenshot_viewport": "首屏截图"},
        "refused_kinds": {"frame": "框架文档", "popup": "弹出窗口", "websocket": "WebSocket 连接",
                          "download": "下载"},
        "not_settled": {"load": "页面加载事件（load）未在时限内发生", "network_idle": "网络请求未在时限内停止",
                        "dom_quiet": "页面内容在时限内持续变化"},
        "step_open": "在全新的浏览器配置（无缓存、Cookie 与本地存储）中以无界面方式打开上述网址；仅允许 http 和 https，"
                     "阻止其他协议（file:、data:、javascript: 等）、弹出窗口、WebSocket 与下载。",
        "step_settle": "等待页面稳定（load 事件、网络空闲、页面内容 {quiet} 毫秒无变化），时限 {timeout:g} 秒：页面已稳定。",
        "step_unsettled": "等待页面稳定，时限 {timeout:g} 秒：页面在时限内未稳定（{reasons}），按时限届满时的状态提取。",
        "step_unchecked": "本次提取未校验服务器的 TLS 证书（仅用于测试，不能作为正式取证）。",
        "step_terminated": "页面脚本持续运行不让出，已由浏览器调试接口终止后提取。",
        "step_save": "保存脚本运行后的页面 DOM（page.html）、含资源的网页存档（page.mhtml）、整页截图（screenshot.png）、"
                     "网页 PDF（page.pdf）、服务器响应记录（response.json）和提取过程记录（capture.json）。",
        "step_seal": "逐一计算上述文件的 SHA-256 与 SM3 校验值，生成封存清单 manifest.json（含 Merkle 根）。",
        "step_stamp": "就封存清单的 Merkle 根向时间戳服务机构申请可信时间戳（RFC 3161），时间 {time}（北京时间）。",
        "step_stamp_failed": "申请可信时间戳未成功：{error}",
        "step_custody": "将本次提取记入本案监管链日志（custody.jsonl）。",
        "step_tiles": "页面高 {height} 像素，超出单张截图的高度：整页截图按自上而下的顺序分为 {count} 段"
                      "（{first} 至 {last}，每段至多 {tile} 像素），截图 screenshot.png 为打开页面时的首屏。",
        "limit_not_taken": "未能提取 {what}：{why}", "limit_cut": "响应内容被截断（{what}）：{why}",
        "limit_loopback": "服务器地址为本机回环地址（{what}）：提取的是本机上的网页，不是互联网上公开的网页。",
        "limit_private": "服务器地址为内部网络地址（{what}）：提取的是内部网络上的网页，不是互联网上公开的网页。",
        "limit_link_local": "服务器地址为链路本地地址（{what}）：提取的不是互联网上公开的网页。",
        "no_stamp": "未申请", "stamp_failed": "未取得：{error}",
        "stamp": "{time}（北京时间），令牌文件 {path}{tsa}",
        "browser_line": "Chromium {version}（无界面），视口 {width}×{height}，语言 {locale}，时区 {timezone}\n"
                        "User-Agent：{ua}",
    },
    "en": {
        "heading": "Electronic data extraction record", "case_no": "Case number", "case_id": "Case id",
        "case_title": "Case title", "cause": "Cause", "party": "Party", "time": "Extracted", "from": "from",
        "to": "to", "beijing": "Beijing time", "place": "Place", "extractors": "Extracted by", "object": "Object",
        "url": "Address", "final_url": "Final address", "title": "Page title", "status": "HTTP status",
        "server": "Server address", "redirects": "Redirects", "tls": "TLS certificate", "tls_protocol": "Protocol",
        "tls_subject": "Subject", "tls_issuer": "Issuer", "tls_valid": "Valid", "method": "Method",
        "tools": "Tools and versions", "browser": "Browser settings",
        "refused": "Refused during the capture (only http and https allowed):", "refused_what": "Kind",
        "refused_url": "Address", "files": "Electronic data list", "no": "No.", "name": "File", "kind": "Kind",
        "size": "Size (bytes)", "digests": "Integrity values", "folder": "Stored in", "manifest": "Sealed manifest",
        "merkle": "Manifest Merkle root", "seal": "Manifest seal", "timestamp": "Trusted timestamp",
        "sign_extractor": "Extracted by (signature)", "sign_witness": "Witness (signature)",
        "witness_id": "ID number or organisation", "date": "Date",
        "note": "Note: the page's title, text and addresses are recorded here as text, as found; the page's scripts "
                "do not run in this record. Re-check the digests with casebook evidence verify, sha256sum or "
                "cksum -a sm3.",
        "kinds": {"html": "web page (DOM after scripts)", "mhtml": "web archive (MHTML, with resources)",
                  "screenshot": "full-page screenshot", "pdf": "page as PDF", "response": "server response (JSON)",
                  "capture": "capture record (JSON)", "screenshot_tile": "full-page screenshot (tile)",
                  "screenshot_viewport": "first-screen screenshot"},
        "refused_kinds": {"frame": "frame document", "popup": "popup", "websocket": "WebSocket",
                          "download": "download"},
        "not_settled": {"load": "the load event did not fire in time", "network_idle": "the network never went idle",
                        "dom_quiet": "the page kept changing"},
        "step_open": "Opened the address in a fresh headless browser profile (no cache, cookies or storage); only "
                     "http and https allowed; other schemes (file:, data:, javascript: ...), popups, WebSockets "
                     "and downloads refused.",
        "step_settle": "Waited for the page to settle (load event, network idle, DOM unchanged for {quiet} ms), "
                       "at most {timeout:g} s: the page settled.",
        "step_unsettled": "Waited for the page to settle, at most {timeout:g} s: it did not ({reasons}); captured as it "
                          "was when the time ran out.",
        "step_unchecked": "The server's TLS certificate was NOT checked in this capture (for tests only, not "
                          "for evidence).",
        "step_terminated": "The page's scripts never yielded; they were terminated through the browser's "
                           "DevTools interface before the capture.",
        "step_save": "Saved the DOM after the page's scripts ran (page.html), the web archive with resources "
                     "(page.mhtml), the full-page screenshot (screenshot.png), the page as PDF (page.pdf), the "
                     "server response (response.json) and the capture record (capture.json).",
        "step_seal": "Computed SHA-256 and SM3 of each file and sealed them in manifest.json (with a Merkle root).",
        "step_stamp": "Obtained an RFC 3161 trusted timestamp over the manifest's Merkle root at {time} (Beijing time).",
        "step_stamp_failed": "The trusted timestamp could not be obtained: {error}",
        "step_custody": "Recorded the capture in the case's custody log (custody.jsonl).",
        "step_tiles": "The page is {height} px tall, more than one screenshot holds: the full page was taken top to "
                      "bottom in {count} tiles ({first} to {last}, each at most {tile} px); screenshot.png is the "
                      "first screen as the page opened.",
        "limit_not_taken": "Not taken: {what}: {why}", "limit_cut": "A response was cut ({what}): {why}",
        "limit_loopback": "The server is a loopback address ({what}): a page of this machine, not one public on the "
                          "internet.",
        "limit_private": "The server is a private network address ({what}): a page of an internal network, not one "
                         "public on the internet.",
        "limit_link_local": "The server is a link-local address ({what}): not a page public on the internet.",
        "no_stamp": "not requested", "stamp_failed": "not obtained: {error}",
        "stamp": "{time} (Beijing time), token {path}{tsa}",
        "browser_line": "Chromium {version} (headless), viewport {width}×{height}, locale {locale}, time zone "
                        "{timezone}\nUser-Agent: {ua}",
    },
}


@lru_cache(maxsize=1)
def _style() -> tuple[str, str]:
    css = (_TEMPLATES / "extraction_record.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"sha256-{digest}"


def _template():
    return template("extraction_record.html")


@dataclass
class RecordFacts:
    """Everything the record says, as plain data (``render_record`` only lays it out)."""

    case: dict
    capture: dict
    place: str
    extractors: list[str]
    tools: list[str]
    browser: dict
    settled: bool
    not_settled: list[str]
    scripts_terminated: bool
    settings: dict
    refused: list[dict]
    files: list[dict]
    seal: dict
    timestamp: dict | None
    timestamp_error: str | None
    findings: list[dict] | None = None  # with --screen: what the page shows that breaks a rule
    limits: list[dict] = field(default_factory=list)
    tiles: dict | None = None  # a page too tall for one screenshot: capture.json's "tiles"


def _person(item) -> str:
    if isinstance(item, dict):
        name = str(item.get("name", "")).strip()
        badge = str(item.get("badge", "")).strip()
        return f"{name}（{badge}）" if badge else name
    return str(item).strip()


def record_facts(case, capture: PageCapture, manifest: Manifest, *, folder: str, place: str,
                 timestamp: dict | None = None, timestamp_error: str | None = None,
                 findings: list[dict] | None = None) -> RecordFacts:
    """Gather the record's facts from ``case.yml``, the capture and its seal.

    Parameters
    ----------
    case : casebook.case.Case
        The case (case.yml): number, title, cause (``cause`` or, without it, the title), party,
        investigators.
    capture : evidence.web.page_capture.PageCapture
        The capture; its ``record`` (capture.json) and ``response`` (response.json) are read.
    manifest : evidence.integrity.manifest.Manifest
        The sealed manifest of the capture folder; the file list and digests come from it.
    folder : str
        Where the capture is kept, relative to the case folder (``evidence/web/<name>``).
    place : str
        提取地点.
    timestamp, timestamp_error : optional
        The RFC 3161 token's details, or why it could not be obtained.
    findings : list of dict, optional
        The listing's screening findings (``casebook.webcapture.listing_screen``); None when not screened.

    Returns
    -------
    RecordFacts
    """
    party = case.party if isinstance(case.party, dict) else {"name": case.party}
    response, record = capture.response, capture.record
    redirects = [{"status": hop["status"], "url": hop["url"]} for hop in response.get("chain", [])[:-1]]
    server = response.get("server") or {}
    tls = response.get("tls")
    digests = {entry.path: entry for entry in manifest.entries}
    files = []
    for kind, name in ARTIFACT_FILES.items():
        entry = digests.get(name)
        if entry is None and any(item.get("artifact") == name for item in record.get("not_taken", [])):
            continue  # the page did not let it be taken: the steps say why
        if entry is None:
            raise InputError(f"the capture's manifest does not list {name}", path=manifest.path)
        if kind == "screenshot" and record.get("screenshot") == "viewport":
            kind = "screenshot_viewport"  # the first screen only: the page was too tall, or refused the full page
        files.append({"kind": kind, "name": name, "bytes": entry.size, "sha256": entry.digests.get("sha256", ""),
                      "sm3": entry.digests.get("sm3", "")})
    tiles = sorted((entry for entry in manifest.entries if is_tile_name(entry.path)), key=lambda entry: entry.path)
    at = next((i + 1 for i, item in enumerate(files) if item["kind"].startswith("screenshot")), 3)  # after it
    files[at:at] = [{"kind": TILE_KIND, "name": entry.path, "bytes": entry.size,
                     "sha256": entry.digests.get("sha256", ""), "sm3": entry.digests.get("sm3", "")} for entry in tiles]
    return RecordFacts(
        case={"case_id": case.case_id, "case_no": case.case_no, "title": case.title,
              "cause": str(case.raw.get("cause") or "").strip() or case.title, "party": party.get("name", "")},
        capture={"url": capture.url, "final_url": capture.final_url, "title": capture.title, "status": capture.status,
                 "server": f"{server.get('ip')}:{server.get('port')}" if server.get("ip") else "",
                 "redirects": redirects, "started_utc": capture.started["utc"], "ended_utc": capture.ended["utc"],
                 "tls": None if not tls else {
                     "protocol": tls.get("protocol") or "", "subject": tls.get("subject") or tls.get("subject_cn") or "",
                     "issuer": tls.get("issuer") or tls.get("issuer_cn") or "",
                     "valid": f"{tls.get('valid_from_utc') or ''} – {tls.get('valid_to_utc') or ''}",
                     "fingerprint": tls.get("sha256_fingerprint") or ""}},
        place=place, extractors=[p for p in (_person(i) for i in case.investigators) if p],
        tools=[f"casebook {record['tools'].get('version')}", f"Python {record['tools'].get('python')}",
               f"{record['tools'].get('openssl')}", f"Playwright {record['tools'].get('playwright')}",
               f"Chromium {record['browser'].get('version')}"],
        browser={"version": record["browser"].get("version"), "width": record["viewport"]["width"],
                 "height": record["viewport"]["height"], "locale": record.get("locale"),
                 "timezone": record.get("timezone"), "ua": record.get("user_agent")},
        settled=capture.settled, not_settled=list(capture.not_settled),
        scripts_terminated=bool(record.get("scripts_terminated")),
        settings={"timeout": record.get("timeout_s"), "quiet": record.get("quiet_ms"),
                  "certificate_unchecked": bool(record.get("policy", {}).get("ignore_https_errors"))},
        refused=list(record.get("refused", [])), files=files,
        seal={"folder": folder, "manifest": f"{folder}/manifest.json", "merkle_root": manifest.merkle_root,
              "seal_sha256": manifest.seal.get("sha256", ""), "seal_sm3": manifest.seal.get("sm3", "")},
        timestamp=timestamp, timestamp_error=timestamp_error, findings=findings,
        limits=_limits(record), tiles=record.get("tiles") or None)


def _limits(record: dict) -> list[dict]:
    """What the page did not let the capture take, and where it came from if not the internet (as recorded)."""
    network = record.get("network") or {}
    items = [{"kind": "not_taken", "what": item.get("artifact"), "why": item.get("reason")}
             for item in record.get("not_taken", [])]
    items += [{"kind": "cut", "what": item.get("url"), "why": item.get("why")} for item in record.get("bodies_cut", [])]
    if network.get("scope") in ("loopback", "private", "link_local"):
        items.append({"kind": network["scope"], "what": ", ".join(network.get("server_ips") or [])
                      or network.get("host", ""), "why": ""})
    return items


def _steps(facts: RecordFacts, t: dict) -> list[dict]:
    steps = [{"text": t["step_open"]}]
    if facts.settings.get("certificate_unchecked"):
        steps.append({"text": t["step_unchecked"], "warn": True})
    if facts.settled:
        steps.append({"text": t["step_settle"].format(timeout=facts.settings["timeout"], quiet=facts.settings["quiet"])})
    else:
        reasons = "；".join(t["not_settled"].get(code, code) for code in facts.not_settled)
        steps.append({"text": t["step_unsettled"].format(reasons=reasons, timeout=facts.settings["timeout"]),
                      "warn": True})
    if facts.scripts_terminated:
        steps.append({"text": t["step_terminated"], "warn": True})
    steps.append({"text": t["step_save"]})
    if facts.tiles and facts.tiles.get("files"):
        steps.append({"text": t["step_tiles"].format(height=facts.tiles["page_height"], count=facts.tiles["count"],
                                                     first=facts.tiles["files"][0], last=facts.tiles["files"][-1],
                                                     tile=facts.tiles["tile_height"])})
    steps.append({"text": t["step_seal"]})
    if facts.timestamp:
        steps.append({"text": t["step_stamp"].format(time=shanghai_time(facts.timestamp.get("gen_time_utc")))})
    elif facts.timestamp_error:
        steps.append({"text": t["step_stamp_failed"].format(error=facts.timestamp_error), "warn": True})
    steps += [{"text": t["limit_" + item["kind"]].format(**item), "warn": True} for item in facts.limits]
    steps.append({"text": t["step_custody"]})
    return [{"warn": False, **step} for step in steps]


def render_record(facts: RecordFacts, lang: str = "zh") -> str:
    """The record as one self-contained HTML page (no script, no request, no external font).

    Parameters
    ----------
    facts : RecordFacts
    lang : {"zh", "en"}

    Returns
    -------
    str
        The HTML text.

    Raises
    ------
    InputError
        An unknown language.
    """
    if lang not in TEXT:
        raise InputError(f"unknown record language '{lang}'", field="lang", hint="Use zh or en.")
    t = TEXT[lang]
    css, style_hash = _style()
    csp = (f"default-src 'none'; style-src '{style_hash}'; img-src 'none'; font-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    if facts.timestamp:
        tsa = f"，{facts.timestamp['tsa']}" if facts.timestamp.get("tsa") else ""
        stamp = t["stamp"].format(time=shanghai_time(facts.timestamp.get("gen_time_utc")),
                                  path=f"{facts.seal['manifest']}.tsr", tsa=tsa)
    elif facts.timestamp_error:
        stamp = t["stamp_failed"].format(error=facts.timestamp_error)
    else:
        stamp = t["no_stamp"]
    capture = {**facts.capture, "started_local": shanghai_time(facts.capture["started_utc"]),
               "ended_local": shanghai_time(facts.capture["ended_utc"])}
    files = [{**item, "kind": t["kinds"].get(item["kind"], item["kind"])} for item in facts.files]
    refused = [{"what": t["refused_kinds"].get(item.get("what"), item.get("what")), "url": item.get("url", "")}
               for item in facts.refused]
    return _template().render(
        lang_tag="zh-CN" if lang == "zh" else "en", csp=csp, style=css, t=t, case=facts.case, capture=capture,
        place=facts.place, extractors=facts.extractors, tools=facts.tools,
        browser=t["browser_line"].format(**facts.browser), steps=_steps(facts, t), refused=refused, files=files,
        seal={**facts.seal, "timestamp": stamp}, findings=_finding_rows(facts.findings, lang))


SEVERITY_WORDS = {"zh": {"violation": "违法", "warning": "需核实", "needs_review": "待人工复核"},
                  "en": {"violation": "violation", "warning": "to check", "needs_review": "needs review"}}
FINDINGS_TEXT = {
    "zh": {"heading": "网页内容筛查", "none": "未发现问题。", "severity": "性质", "finding": "问题及依据",
           "where": "页面位置", "region": "截图区域（x, y, 宽, 高）"},
    "en": {"heading": "Screening of the page", "none": "Nothing found.", "severity": "Severity",
           "finding": "Finding and basis", "where": "Where on the page", "region": "Screenshot region (x, y, w, h)"},
}


def _finding_rows(findings: list[dict] | None, lang: str) -> dict | None:
    """The screening findings in the record's words (None: the page was not screened)."""
    if findings is None:
        return None
    words = SEVERITY_WORDS["en" if lang == "en" else "zh"]
    rows = [{"severity": words.get(item.get("severity"), item.get("severity")), "code": item.get("code"),
             "message": item.get("message_en") if lang == "en" and item.get("message_en") else item.get("message"),
             "basis": item.get("basis", ""), "shown": item.get("shown") or item.get("evidence", ""),
             "element": item.get("element", ""),
             "region": ", ".join(str(v) for v in item["region"]) if item.get("region") else ""}
            for item in map(with_words, findings)]
    return {"t": FINDINGS_TEXT["en" if lang == "en" else "zh"], "rows": rows}


def write_record(folder: str | os.PathLike, facts: RecordFacts, *, printer=None, lang: str = "zh") -> tuple[Path, Path]:
    """Write ``record.html`` and ``record.pdf`` into ``folder`` (each atomically).

    Parameters
    ----------
    folder : path
        The capture folder.
    facts : RecordFacts
    printer : casebook.pdf.PdfPrinter, optional
        An open printer to reuse (a run of many captures starts Chromium once); one is opened if not.
    lang : {"zh", "en"}

    Returns
    -------
    (Path, Path)
        The HTML and PDF paths.
    """
    from casebook.pdf import PdfPrinter

    target = Path(folder)
    html_path = write_text_atomic(target / RECORD_HTML, render_record(facts, lang))
    pdf_path = (printer or PdfPrinter(settle_ms=0)).print(html_path, target / RECORD_PDF)
    return html_path, pdf_path
