"""Captured web pages in the dossier's electronic-data list, each checked against its seal now.

The dossier's evidence section calls :func:`captured_pages_html` with the case folder; the data
comes from :func:`captured_pages`, so a notebook or a report can use the same facts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from casebook.extraction_record import RECORD_HTML, RECORD_PDF, SEVERITY_WORDS, TEXT
from casebook.html_pages import template
from casebook.webcapture.case_capture import MANIFEST_NAME, WEB_DIR, find_captures
from casebook.webcapture.listing_screen import load_screening
from casebook.words.finding_words import with_words
from evidence.integrity.electronic_data_list import shanghai_time
from evidence.web.capture_files import artifact_kind, artifact_rank
from safeio.errors import CasebookError

__all__ = ["CapturedPage", "captured_pages", "captured_pages_html"]


_TEXT = {
    "zh": {"heading": "网络在线提取的网页", "page": "网页", "title": "页面标题", "final_url": "最终地址",
           "captured": "提取时间", "status": "HTTP 状态", "settled": "页面稳定", "yes": "是",
           "no": "否（按超时时的状态提取）", "merkle": "封存清单 Merkle 根", "check": "完整性核验（生成卷宗时）",
           "ok": "与封存清单一致", "bad": "与封存清单不一致：{items}", "broken": "封存清单无法核验：{error}",
           "record": "电子数据提取笔录", "no_": "序号", "name": "文件名", "kind": "类别", "size": "大小（字节）",
           "digests": "完整性校验值", "screening": "网页内容筛查", "none": "未发现问题",
           "severity": "性质", "finding": "问题及依据", "where": "页面位置（截图区域）"},
    "en": {"heading": "Web pages captured online", "page": "Page", "title": "Page title", "final_url": "Final address",
           "captured": "Captured", "status": "HTTP status", "settled": "Settled", "yes": "yes",
           "no": "no (captured as it was at the timeout)", "merkle": "Manifest Merkle root",
           "check": "Integrity check (at render time)", "ok": "matches its sealed manifest",
           "bad": "does not match its sealed manifest: {items}", "broken": "the manifest cannot be checked: {error}",
           "record": "Extraction record", "no_": "No.", "name": "File", "kind": "Kind", "size": "Size (bytes)",
           "digests": "Integrity values", "screening": "Screening of the page", "none": "nothing found",
           "severity": "Severity", "finding": "Finding and basis", "where": "Where on the page (screenshot region)"},
}

_TEMPLATE = """
<h3>{{ t.heading }}</h3>
{% for page in pages %}
<h4>{{ t.page }} {{ loop.index }}：{{ page.url }}</h4>
<table class="cb-kv">
<tr><th>{{ t.title }}</th><td>{{ page.title }}</td></tr>
<tr><th>{{ t.final_url }}</th><td>{{ page.final_url }}</td></tr>
<tr><th>{{ t.captured }}</th><td>{{ page.captured }}</td></tr>
<tr><th>{{ t.status }}</th><td>{{ page.status }}</td></tr>
<tr><th>{{ t.settled }}</th><td>{{ t.yes if page.settled else t.no }}</td></tr>
<tr><th>{{ t.merkle }}</th><td class="cb-hash">{{ page.merkle_root }}</td></tr>
<tr><th>{{ t.check }}</th><td class="{{ 'cb-ok' if page.verified else 'cb-bad' }}">{{ page.check }}</td></tr>
<tr><th>{{ t.record }}</th><td>{% for link in page.records %}<a href="{{ link.href }}">{{ link.text }}</a>{% if not loop.last %}　{% endif %}{% endfor %}</td></tr>
</table>
<table class="cb-table">
<tr><th>{{ t.no_ }}</th><th>{{ t.name }}</th><th>{{ t.kind }}</th><th>{{ t.size }}</th><th>{{ t.digests }}</th></tr>
{% for file in page.files %}<tr{% if file.bad %} class="cb-bad"{% endif %}><td>{{ loop.index }}</td><td>{{ file.name }}</td><td>{{ file.kind }}</td><td>{{ file.bytes }}</td><td class="cb-hash">SHA-256
{{ file.sha256 }}
SM3
{{ file.sm3 }}</td></tr>
{% endfor %}</table>
{% if page.findings is not none %}<p><b>{{ t.screening }}</b>{% if not page.findings %}：{{ t.none }}{% endif %}</p>
{% if page.findings %}<table class="cb-table">
<tr><th>{{ t.no_ }}</th><th>{{ t.severity }}</th><th>{{ t.finding }}</th><th>{{ t.where }}</th></tr>
{% for item in page.findings %}<tr class="{{ 'cb-bad' if item.severity == 'violation' else 'cb-warn' }}"><td>{{ loop.index }}</td><td>{{ item.severity_word }}</td><td>{{ item.message }}
{{ item.basis }}</td><td>{{ item.shown }}
{{ item.element }}{% if item.region %} ({{ item.region }}){% endif %}</td></tr>
{% endfor %}</table>{% endif %}{% endif %}
{% endfor %}
"""


@lru_cache(maxsize=1)
def _template():
    return template(_TEMPLATE, inline=True)


@dataclass
class CapturedPage:
    """One capture of the case as the dossier lists it."""

    folder: str
    url: str
    final_url: str
    title: str
    captured_utc: str
    status: int | None
    settled: bool
    merkle_root: str | None
    verified: bool
    problem: str | None
    files: list[dict] = field(default_factory=list)
    record_html: Path | None = None
    record_pdf: Path | None = None
    findings: list[dict] | None = None  # the listing screening kept beside the capture (listing.json), if any


def _file_kind(name: str, screenshot: str) -> str:
    """The kind shown for a file: a screenshot of the first screen only is not called a whole-page one."""
    kind = artifact_kind(name, "")
    return "screenshot_viewport" if kind == "screenshot" and screenshot == "viewport" else kind


def captured_pages(case_dir: str | os.PathLike, memo=None) -> list[CapturedPage]:
    """Each capture of the case with its files, digests and a fresh check against its manifest.

    Parameters
    ----------
    case_dir : path
        A case folder.
    memo : evidence.integrity.tree_hashing.DigestMemo, optional
        Digests read in this render: the case's own check reads the capture files once.

    Returns
    -------
    list of CapturedPage
        Oldest first; empty when the case holds no capture.
    """
    from evidence.integrity.manifest import load_manifest, verify_manifest

    pages = []
    for found in find_captures(case_dir):
        page = CapturedPage(folder=f"{WEB_DIR}/{found.folder.name}", url=found.url, final_url=found.final_url,
                            title=found.title, captured_utc=found.started_utc, status=found.status,
                            settled=found.settled, merkle_root=None, verified=False, problem=None)
        screening = load_screening(found.folder)
        page.findings = None if screening is None else list(screening.get("findings") or [])
        for name, attr in ((RECORD_HTML, "record_html"), (RECORD_PDF, "record_pdf")):
            if (found.folder / name).is_file():
                setattr(page, attr, found.folder / name)
        try:
            manifest = load_manifest(found.folder / MANIFEST_NAME)
            report = verify_manifest(manifest, found.folder, custody=Path(case_dir) / "custody.jsonl",  # the case's log
                                     memo=memo)
        except CasebookError as err:
            page.problem = err.message
            pages.append(page)
            continue
        changed = {item["path"]: name for name in ("modified", "missing", "unverifiable", "moved")
                   for item in getattr(report, name)}
        page.merkle_root, page.verified = manifest.merkle_root, report.ok
        if changed:
            page.problem = ", ".join(f"{path} ({state})" for path, state in sorted(changed.items()))
        elif not report.ok:  # the files match but custody does not: say what custody lacks, never nothing
            seal = report.seal or {}
            page.problem = f"{seal.get('status') or 'not sealed'}: {seal.get('reason') or 'no custody event records it'}"
        page.files = [{"name": entry.path, "kind": _file_kind(entry.path, found.screenshot), "bytes": entry.size,
                       "sha256": entry.digests.get("sha256", ""), "sm3": entry.digests.get("sm3", ""),
                       "changed": changed.get(entry.path)} for entry in manifest.entries]
        page.files.sort(key=lambda item: artifact_rank(item["name"]))
        pages.append(page)
    return pages


def captured_pages_html(case_dir: str | os.PathLike, lang: str = "zh", memo=None) -> str:
    """The captured pages as an escaped HTML fragment for the dossier ('' when there are none).

    Parameters
    ----------
    case_dir : path
        A case folder.
    lang : {"zh", "en"}
    memo : evidence.integrity.tree_hashing.DigestMemo, optional
        As for :func:`captured_pages`.

    Returns
    -------
    str
        Headings and tables using the dossier's classes; every value from the page or the files is
        escaped, and the links to the extraction record are ``file:`` URIs shown by their relative path.
    """
    pages = captured_pages(case_dir, memo)
    if not pages:
        return ""
    key = "en" if str(lang).lower().startswith("en") else "zh"
    t, kinds = _TEXT[key], TEXT[key]["kinds"]
    rows = []
    for page in pages:
        if page.merkle_root is None:
            check = t["broken"].format(error=page.problem)
        elif page.verified:
            check = t["ok"]
        else:
            check = t["bad"].format(items=page.problem or "")
        records = [{"href": path.resolve().as_uri(), "text": f"{page.folder}/{path.name}"}
                   for path in (page.record_html, page.record_pdf) if path is not None]
        rows.append({"url": page.url, "final_url": page.final_url, "title": page.title,
                     "captured": shanghai_time(page.captured_utc), "status": page.status, "settled": page.settled,
                     "merkle_root": page.merkle_root or "", "verified": page.verified, "check": check,
                     "records": records, "findings": None if page.findings is None else [
                         {**f, "severity_word": SEVERITY_WORDS[key].get(f.get("severity"), f.get("severity")),
                          "message": f.get("message_en") if key == "en" and f.get("message_en") else f.get("message"),
                          "shown": f.get("shown") or f.get("evidence", ""), "element": f.get("element", ""),
                          "region": ", ".join(map(str, f["region"])) if f.get("region") else ""}
                         for f in map(with_words, page.findings)],
                     "files": [{**item, "kind": kinds.get(item["kind"], item["kind"]), "bad": bool(item["changed"])}
                               for item in page.files]})
    return _template().render(t=t, pages=rows)
