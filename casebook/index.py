"""``OUT/index.html``: one sortable, escaped table of a batch's dossiers, readable offline.

The sorting script is ours and inline (a dozen lines): pulling a table library from a CDN would
break offline and in mainland China. Every cell is escaped; links point only at the case's own
folder, whose name is a checked case id.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

from casebook.export import OFFLINE_CSP
from safeio.atomic import write_text_atomic

__all__ = ["index_rows", "write_index"]

TEXT = {
    "zh": {"title": "案件卷宗索引", "case": "案件", "case_title": "案件名称", "findings": "筛查发现",
           "integrity": "完整性", "setting": "区位", "status": "状态", "links": "文件", "generated": "生成时间",
           "ok": "完成", "failed": "失败", "skipped": "未变更（跳过）", "cases": "件", "hot": "热点",
           "urban": "城区", "peri-urban": "城乡结合部", "rural": "农村", "verified": "一致",
           "tampered": "不一致（疑被篡改）", "unsealed": "未封存", "no_evidence": "无电子数据",
           "manifest_broken": "清单无法读取", "unavailable": "暂缺", "degraded": "不完整（有章节未能生成）",
           "brief": "热点简报", "chains": "关联案件图与协查函"},
    "en": {"title": "Case dossier index", "case": "Case", "case_title": "Title", "findings": "Findings",
           "integrity": "Integrity", "setting": "Setting", "status": "Status", "links": "Files",
           "generated": "Generated", "ok": "done", "failed": "failed", "skipped": "unchanged (skipped)",
           "cases": "cases", "hot": "hot spot", "degraded": "incomplete (a section could not be built)",
           "urban": "urban", "peri-urban": "peri-urban", "rural": "rural", "verified": "matches",
           "tampered": "does not match (tampered?)", "unsealed": "not sealed", "no_evidence": "no electronic data",
           "manifest_broken": "manifest unreadable", "unavailable": "unavailable",
           "brief": "Hotspot brief", "chains": "Linked-case chart and assistance letters"},
}
_SORT_JS = """
document.querySelectorAll('th[data-sort]').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-key') || a.cells[col].textContent;
      var y = b.cells[col].getAttribute('data-key') || b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      if (!isNaN(nx) && !isNaN(ny)) { return (nx - ny) * dir; }
      return x.localeCompare(y, 'zh-CN') * dir;
    });
    th.closest('tr').querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""
_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 1.5em; font-size: 14px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; white-space: pre-wrap; }
th { background: #eee; cursor: pointer; user-select: none; }
th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
.failed { color: #b00000; font-weight: 600; } .degraded { color: #9a6000; font-weight: 600; } .tampered, .broken { color: #b00000; font-weight: 600; }
"""


def esc(value: object) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def _findings_text(summary: dict) -> tuple[str, int]:
    by_code = summary.get("findings_by_code") or {}
    total = sum(int(v) for v in by_code.values()) if by_code else int(summary.get("n_findings") or 0)
    text = ", ".join(f"{code}×{n}" for code, n in by_code.items())
    return (f"{total}: {text}" if text else str(total)), total


def index_rows(results: list[dict], lang: str = "zh") -> list[str]:
    """One escaped ``<tr>`` per case, sorted by case id; status and integrity classes are codes."""
    t = TEXT[lang]
    rows = []
    for item in sorted(results, key=lambda r: str(r.get("case_id", ""))):
        summary = item.get("summary") or {}
        status = item.get("status", "")
        findings, total = _findings_text(summary)
        integrity = summary.get("integrity") or ""
        error = item.get("error") or {}
        status_text = t.get(status, status)
        if error:
            status_text += f": {error.get('message', '')}"
        links = []
        case_id = str(item.get("case_id", ""))
        outputs = item.get("outputs") or {}
        if item.get("has_folder", True):
            for kind in ("html", "pdf", "notebook"):
                if kind in outputs:
                    links.append(f'<a href="{esc(case_id)}/{esc(outputs[kind])}">{esc(kind.upper())}</a>')
        rows.append(
            "<tr>"
            f"<td>{esc(case_id)}<br>{esc(summary.get('case_no', ''))}</td>"
            f"<td>{esc(summary.get('title', ''))}</td>"
            f'<td data-key="{total}">{esc(findings)}</td>'
            f'<td class="{esc(integrity)}">{esc(t.get(integrity, integrity))}</td>'
            f"<td>{esc(t.get(summary.get('setting') or '', summary.get('setting') or ''))}"
            f"{esc(' · ' + t['hot']) if summary.get('in_hotspot') else ''}</td>"
            f'<td class="{esc(status)}">{esc(status_text)}</td>'
            f"<td>{' '.join(links)}</td>"
            "</tr>"
        )
    return rows


def write_index(out_dir: str | Path, results: list[dict], *, lang: str = "zh") -> Path:
    """Write ``out_dir/index.html`` from batch results.

    Parameters
    ----------
    out_dir : path
        The batch's output folder.
    results : list of dict
        :meth:`casebook.dossier.DossierResult.to_dict` of every case (errors in the one error shape).
    lang : {"zh", "en"}
        The language of the page.

    Returns
    -------
    Path
        ``out_dir/index.html``.
    """
    t = TEXT[lang]
    out = Path(out_dir)
    # the casebook-wide pages beside the dossiers, when this run (make demo) made them
    nav = " · ".join(f'<a href="{esc(href)}">{esc(t[key])}</a>' for key, href in
                     (("brief", "hotspot_brief.html"), ("chains", "chains/links.html")) if (out / href).is_file())
    heads = ["case", "case_title", "findings", "integrity", "setting", "status", "links"]
    header = "".join(f'<th data-sort="{i}">{esc(t[h])}</th>' for i, h in enumerate(heads))
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    page = (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(OFFLINE_CSP)}">'
        f"<title>{esc(t['title'])}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{esc(t['title'])}</h1><p>{len(results)} {esc(t['cases'])} · {esc(t['generated'])} {esc(now)} (UTC)</p>"
        + (f"<p>{nav}</p>" if nav else "") +
        f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(index_rows(results, lang))}</tbody></table>"
        f"<script>{_SORT_JS}</script></body></html>"
    )
    return write_text_atomic(out / "index.html", page)
