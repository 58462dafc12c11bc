"""``OUT/index.html``: one sortable, escaped table of a batch's dossiers, readable offline.

The sorting script is ours and inline (a dozen lines): pulling a table library from a CDN would
break offline and in mainland China. Every cell is escaped; links point only at the case's own
folder, whose name is a checked case id.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from casebook.export import OFFLINE_CSP
from casebook.html_pages import template
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


def _findings_text(summary: dict) -> tuple[str, int]:
    by_code = summary.get("findings_by_code") or {}
    total = sum(int(v) for v in by_code.values()) if by_code else int(summary.get("n_findings") or 0)
    text = ", ".join(f"{code}×{n}" for code, n in by_code.items())
    return (f"{total}: {text}" if text else str(total)), total


def index_rows(results: list[dict], lang: str = "zh") -> list[dict]:
    """One row per case, sorted by case id: the values the index shows (escaped by its template)."""
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
        case_id = str(item.get("case_id", ""))
        outputs = item.get("outputs") or {}
        links = [(kind.upper(), f"{case_id}/{outputs[kind]}") for kind in ("html", "pdf", "notebook")
                 if item.get("has_folder", True) and kind in outputs]
        setting = summary.get("setting") or ""
        rows.append({"case_id": case_id, "case_no": summary.get("case_no", ""), "title": summary.get("title", ""),
                     "total": total, "findings": findings, "integrity": integrity,
                     "integrity_text": t.get(integrity, integrity), "setting": t.get(setting, setting),
                     "hot": " · " + t["hot"] if summary.get("in_hotspot") else "", "status": status,
                     "status_text": status_text, "links": links})
    return rows


def write_index(out_dir: str | Path, results: list[dict], *, lang: str = "zh") -> Path:
    """Write ``out_dir/index.html`` from batch results (template ``casebook/templates/batch_index.html``).

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
    nav = [(href, t[key]) for key, href in (("brief", "hotspot_brief.html"), ("chains", "chains/links.html"))
           if (out / href).is_file()]
    heads = [t[h] for h in ("case", "case_title", "findings", "integrity", "setting", "status", "links")]
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    page = template("batch_index.html").render(
        lang_tag="zh-CN" if lang == "zh" else "en", csp=OFFLINE_CSP, t=t, style=_STYLE, count=len(results),
        now=now, nav=nav, heads=heads, rows=index_rows(results, lang), script=_SORT_JS)
    return write_text_atomic(out / "index.html", page)
