"""The case dossier, one call per section: what ``templates/case_dossier.ipynb`` runs.

Each section calls one or two library functions and presents their data as escaped HTML, modelled
on the SAMR case file (DOMAIN.md §4). It also fills ``Dossier.summary``, which ``finish()`` writes
as ``summary.json`` for the batch index. A library part that has not landed shows a plain note;
a per-item problem (a corrupt photo) shows inside its section; anything else fails the cell, so
the batch reports the cell and the error.
"""

from __future__ import annotations

import hashlib
import json
import platform
from datetime import UTC, datetime
from pathlib import Path

from casebook import __version__
from casebook.case import Case, load_case
from casebook.dossier_html import (
    STYLE,
    Html,
    error_box,
    esc,
    frame_table,
    key_values,
    note,
    plain_cell,
    png_img,
    section,
    split_hex,
    table,
)
from evidence.listing import shanghai_time
from safeio.errors import CasebookError, InputError

TEXT = {
    "zh": {
        "cover": "卷宗封面", "evidence": "证据清单 / 电子数据清单", "labels": "标签识别与筛查",
        "location": "案发地", "custody": "监管链", "appendix": "附录", "heading": "行政处罚案件卷宗",
        "case_title": "案件名称", "case_no": "文号", "organ": "办案机构", "party": "当事人",
        "party_name": "名称", "credit_code": "统一社会信用代码", "address": "地址", "opened": "立案日期",
        "closed": "结案日期", "investigators": "办案人员", "case_id": "案件编号", "retention": "保管期限",
        "unavailable": "本节所需的功能尚未提供（{what}），本节暂缺。", "not_sealed":
        "本案证据尚未封存（无 manifest.json），无法核验完整性。请先运行：casebook evidence hash {dir} --case {id}",
        "no_evidence": "本案没有电子数据文件。", "integrity": "完整性核验（生成卷宗时）",
        "verified": "全部证据与封存清单一致。", "tampered": "有证据与封存清单不一致，见红色行。",
        "no_labels": "本案没有标签照片。", "photo": "照片", "fields": "识别字段", "findings": "筛查发现",
        "no_findings": "未发现问题。", "lookalikes": "疑似仿冒品牌", "read_error": "无法识别此照片",
        "setting": "区位", "in_hotspot": "是否位于热点区", "trend": "趋势", "nearby": "附近案件",
        "yes": "是", "no": "否", "no_location": "case.yml 中没有可用的经纬度，无法定位。",
        "urban": "城区", "peri-urban": "城乡结合部", "rural": "农村", "map": "地图",
        "custody_ok": "监管链校验通过。", "custody_bad": "监管链校验未通过", "no_custody":
        "本案没有监管链记录（custody.jsonl）。", "tool": "工具版本", "template": "模板",
        "parameters": "参数", "manifest_root": "封存清单根哈希", "rendered": "生成时间",
        "events": "事件", "years_30": "长期",
        "no_casebook": "{dir} 中没有 cases.csv，无法给出热点与附近案件背景。", "nearby_columns": {
            "case_id": "案件编号", "title": "案件名称", "opened": "立案日期", "category": "类别",
            "setting": "区位", "distance_m": "距离（米）"}, "method_nbs_code": "依统计用城乡划分代码",
        "method_distance": "依距城区距离", "trend_no pattern": "无明显趋势", "trend_new": "新出现",
        "trend_intensifying": "加剧", "trend_persistent": "持续", "trend_diminishing": "减弱",
        "trend_consecutive": "连续", "trend_sporadic": "零星", "trend_oscillating": "波动",
        "trend_historical": "历史热点", "trend_insufficient period": "时段不足，无法判断", "digests": "完整性校验值",
    },
    "en": {
        "cover": "Case file cover", "evidence": "Evidence list / electronic data list",
        "labels": "Label reading and screening", "location": "Place of the case", "custody": "Chain of custody",
        "appendix": "Appendix", "heading": "Administrative penalty case file", "case_title": "Case title",
        "case_no": "Case number", "organ": "Handling organ", "party": "Party", "party_name": "Name",
        "credit_code": "Unified social credit code", "address": "Address", "opened": "Opened",
        "closed": "Closed", "investigators": "Investigators", "case_id": "Case id", "retention": "Retention",
        "unavailable": "This section needs a part that is not available yet ({what}); it is left out.",
        "not_sealed": "The evidence of this case is not sealed (no manifest.json), so its integrity cannot "
        "be checked. Run: casebook evidence hash {dir} --case {id}",
        "no_evidence": "This case has no electronic evidence files.", "integrity": "Integrity check (at render time)",
        "verified": "Every item matches the sealed manifest.", "tampered":
        "Some items do not match the sealed manifest: see the red rows.", "no_labels": "This case has no label photos.",
        "photo": "Photo", "fields": "Fields read", "findings": "Findings", "no_findings": "No problem found.",
        "lookalikes": "Lookalike brands", "read_error": "This photo could not be read", "setting": "Setting",
        "in_hotspot": "In a hot spot", "trend": "Trend", "nearby": "Nearby cases", "yes": "yes", "no": "no",
        "no_location": "case.yml has no usable coordinates: the case cannot be placed.", "urban": "urban",
        "peri-urban": "peri-urban", "rural": "rural", "map": "Map", "custody_ok": "The custody chain verifies.",
        "custody_bad": "The custody chain does not verify", "no_custody": "This case has no custody log (custody.jsonl).",
        "tool": "Tool versions", "template": "Template", "parameters": "Parameters",
        "manifest_root": "Manifest root", "rendered": "Rendered", "events": "Events", "years_30": "long-term",
        "nearby_columns": {"distance_m": "distance (m)"},
        "no_casebook": "There is no cases.csv in {dir}: no hot spot or nearby-case context.",
        "method_nbs_code": "from the NBS urban-rural code", "method_distance": "from the distance to urban cores",
        "digests": "Integrity values",
    },
}


class Dossier:
    """One case's dossier being rendered; each public method is one section of the template."""

    def __init__(self, case_dir: str | Path, *, out_dir: str | Path = "", casebook_dir: str | Path = "",
                 lang: str = "zh", basemap: str = "none", ocr_engine: str = "auto",
                 template: str | Path = "") -> None:
        if lang not in TEXT:
            raise InputError(f"unknown dossier language '{lang}'", field="lang", hint="Use zh or en.")
        if not str(case_dir).strip():
            raise InputError("no case folder was given", field="case_dir",
                             hint="Set case_dir to a case folder, e.g. out/sample/ZK-2024-001.")
        self.case: Case = load_case(case_dir)
        self.lang = lang
        self.t = TEXT[lang]
        self.out_dir = Path(out_dir).resolve() if str(out_dir).strip() else None
        self.casebook_dir = Path(casebook_dir).resolve() if str(casebook_dir).strip() else self.case.root.parent
        self.basemap = basemap
        self.ocr_engine = ocr_engine
        self.template = Path(template).resolve() if str(template).strip() else None
        self.summary: dict = {
            "case_id": self.case.case_id, "case_no": self.case.case_no, "title": self.case.title,
            "lang": lang, "sections": {}, "findings_by_code": {}, "n_findings": 0, "labels": 0,
            "label_errors": 0, "integrity": "unavailable", "custody": "unavailable",
            "setting": None, "in_hotspot": None, "trend": None, "manifest_root": None,
        }

    # -- helpers ---------------------------------------------------------------------------------
    def _unavailable(self, name: str, err: ImportError) -> Html:
        self.summary["sections"][name] = "unavailable"
        what = getattr(err, "name", None) or str(err)
        return section(name, self.t[name], note(self.t["unavailable"].format(what=what)))

    def _failed(self, name: str, err: CasebookError) -> Html:
        self.summary["sections"][name] = "error"
        return section(name, self.t[name], error_box(str(err)))

    def _done(self, name: str, body: str) -> Html:
        self.summary["sections"].setdefault(name, "ok")
        return section(name, self.t[name], body)

    # -- 1 卷宗封面 ----------------------------------------------------------------------------
    def cover(self) -> Html:
        c, t = self.case, self.t
        party = c.party if isinstance(c.party, dict) else {"name": c.party}
        people = "、".join(
            (p.get("name", "") + (f"（{p['badge']}）" if p.get("badge") else "")) if isinstance(p, dict) else str(p)
            for p in c.investigators
        )
        pairs = [
            (t["case_title"], c.title), (t["case_no"], c.case_no), (t["organ"], c.organ),
            (t["party"] + " · " + t["party_name"], party.get("name", "")),
            (t["party"] + " · " + t["credit_code"], party.get("credit_code", "")),
            (t["party"] + " · " + t["address"], party.get("address", "")),
            (t["opened"], c.opened), (t["closed"], c.closed), (t["investigators"], people),
            (t["case_id"], c.case_id),
        ]
        self.summary["sections"]["cover"] = "ok"
        return Html(f'{STYLE}<section class="cb-section cb-cover" id="cover"><h1>{esc(t["heading"])}</h1>'
                    f"{key_values(pairs)}</section>")

    # -- 2 证据清单 ----------------------------------------------------------------------------
    def evidence(self) -> Html:
        try:
            from evidence.manifest import evidence_list, load_manifest, verify_manifest
        except ImportError as err:
            return self._unavailable("evidence", err)
        c, t = self.case, self.t
        if not c.manifest_path.is_file():
            if not c.evidence_files():
                self.summary["integrity"] = "no_evidence"
                return self._done("evidence", note(t["no_evidence"]))
            self.summary["integrity"] = "unsealed"
            return self._done("evidence", note(t["not_sealed"].format(dir=c.root, id=c.case_id)))
        try:
            manifest = load_manifest(c.manifest_path)  # refuses an edited manifest
            report = verify_manifest(manifest)  # re-hashes now: the status is as of this render
        except CasebookError as err:
            self.summary["integrity"] = "manifest_broken"
            return self._failed("evidence", err)
        frame = evidence_list(manifest, report, lang=self.lang)
        self.summary["integrity"] = "verified" if report.ok else "tampered"
        self.summary["integrity_counts"] = report.counts()
        self.summary["manifest_root"] = manifest.merkle_root
        classes = [_status_class(s) for s in _status_column(frame)]
        status = (f'<p class="cb-ok">{esc(t["verified"])}</p>' if report.ok
                  else f'<p class="cb-bad">{esc(t["tampered"])}</p>')
        body = (f"<h3>{esc(t['integrity'])}</h3>{status}"
                + (_evidence_table(frame, classes, t) or note(t["no_evidence"])) + _changes_html(report, t))
        return self._done("evidence", body)

    # -- 3 标签识别与筛查 ------------------------------------------------------------------------
    def labels(self) -> Html:
        try:
            from evidence.label_report import read_labels
        except ImportError as err:
            return self._unavailable("labels", err)
        t = self.t
        photos = self.case.label_photos()
        self.summary["labels"] = len(photos)
        if not photos:
            return self._done("labels", note(t["no_labels"]))
        parts = []
        counts: dict[str, int] = {}
        for photo, rep in zip(photos, read_labels(photos, engine=self.ocr_engine), strict=True):
            title = f"<h3>{esc(t['photo'])}：{esc(photo.name)}</h3>"
            if rep.error:
                self.summary["label_errors"] += 1
                err = rep.error if isinstance(rep.error, dict) else {"message": str(rep.error)}
                parts.append(title + error_box(f"{t['read_error']}：{err.get('message', '')}"
                                               + (f"\n{err['hint']}" if err.get("hint") else "")))
                continue
            findings = rep.findings_table()
            for code in _column(findings, ("code", "代码")):
                counts[str(code)] = counts.get(str(code), 0) + 1
            sev = list(_column(findings, ("性质", "severity")))
            body = (f"<h4>{esc(t['fields'])}</h4>{frame_table(rep.fields_table())}"
                    f"<h4>{esc(t['findings'])}</h4>"
                    + (frame_table(findings, row_classes=[_severity_class(s) for s in sev]) or note(t["no_findings"])))
            seen = rep.fields.get("product_name") or rep.fields.get("title") or ""
            body += _lookalikes_html(rep.lookalikes, seen, t)
            thumb = png_img(getattr(rep, "thumbnail_png", None), photo.name)
            parts.append(f'{title}<div class="cb-photo">{thumb}<div class="cb-photo-body">{body}</div></div>')
        self.summary["findings_by_code"] = dict(sorted(counts.items()))
        self.summary["n_findings"] = sum(counts.values())
        return self._done("labels", "".join(parts))

    # -- 4 案发地 ------------------------------------------------------------------------------
    def location(self) -> Html:
        try:
            import geo
            from geo.maps import notebook_view
        except ImportError as err:
            return self._unavailable("location", err)
        for name in ("load_cases", "find_hotspots", "case_context", "hotspot_map"):
            if not hasattr(geo, name):
                return self._unavailable("location", ImportError(f"geo.{name}", name=f"geo.{name}"))
        c, t = self.case, self.t
        position = c.lon_lat()
        if position is None:
            return self._done("location", note(t["no_location"]))
        if not (self.casebook_dir / "cases.csv").is_file():
            return self._done("location", note(t["no_casebook"].format(dir=self.casebook_dir)))
        try:
            cases = geo.load_cases(self.casebook_dir / "cases.csv")
            baseline_path = self.casebook_dir / "baseline.csv"
            result = geo.find_hotspots(cases, baseline_path if baseline_path.is_file() else None)
            ctx = geo.case_context(result, position[0], position[1], c.case_id, coord_sys=position[2],
                                   urban_rural_code=c.location.get("urban_rural_code") or None)
        except CasebookError as err:
            return self._failed("location", err)
        self.summary.update(setting=ctx.setting, in_hotspot=ctx.in_hotspot, trend=ctx.trend,
                            hotspot_confidence=ctx.confidence, setting_method=ctx.setting_method)
        hot = t["yes"] + (f"（{ctx.confidence}%）" if ctx.confidence else "") if ctx.in_hotspot else t["no"]
        pairs = [(t["setting"], f"{t.get(ctx.setting, ctx.setting)}（{t['method_' + ctx.setting_method]}"
                                + (f"；{ctx.nearest_core} {ctx.core_distance_m / 1000:.1f} km" if ctx.nearest_core
                                   and ctx.core_distance_m is not None else "") + "）"),
                 (t["in_hotspot"], hot), (t["trend"], t.get("trend_" + str(ctx.trend), ctx.trend or "-")),
                 ("WGS-84", f"{ctx.lon:.6f}, {ctx.lat:.6f}")]
        body = key_values(pairs)
        cols = [col for col in ("case_id", "title", "opened", "category", "setting", "distance_m")
                if col in ctx.nearby]
        if len(ctx.nearby):
            nearby = ctx.nearby[cols].copy()
            if "opened" in nearby:
                nearby["opened"] = nearby["opened"].astype(str).str[:10]
            if "setting" in nearby:
                nearby["setting"] = nearby["setting"].map(lambda v: t.get(str(v), v))
            nearby = nearby.rename(columns=t["nearby_columns"])
            body += f"<h3>{esc(t['nearby'])}（{ctx.radius_m / 1000:.0f} km）</h3>" + frame_table(nearby)
        interactive = notebook_view(geo.hotspot_map(result, basemap=self.basemap, lang=self.lang))
        static = png_img(ctx.static_map_png, t["map"])
        body += (f"<h3>{esc(t['map'])}</h3><div class=\"cb-map cb-screen-only\">{interactive._repr_html_()}</div>"
                 f'<div class="cb-map cb-print-only">{static}</div>')
        return self._done("location", body)

    # -- 5 监管链 ------------------------------------------------------------------------------
    def custody(self) -> Html:
        try:
            from evidence.custody import CustodyLog
        except ImportError as err:
            return self._unavailable("custody", err)
        c, t = self.case, self.t
        if not c.custody_path.is_file():
            self.summary["custody"] = "absent"
            return self._done("custody", note(t["no_custody"]))
        log = CustodyLog(c.custody_path)
        report = log.verify()
        self.summary["custody"] = "verified" if report.ok else "broken"
        self.summary["custody_head"] = report.head
        if report.ok:
            status = f'<p class="cb-ok">{esc(t["custody_ok"])}（{report.n_events} {esc(t["events"])}；head {esc(report.head)}）</p>'
        else:
            status = (f'<p class="cb-bad">{esc(t["custody_bad"])}：line {esc(report.first_bad_line)}: '
                      f"{esc(report.reason)}</p>")
        frame = log.table(self.lang)
        chain = list(frame.columns)[-1] if len(frame.columns) else None
        classes = ["" if chain is None or str(v) in ("ok", "正常") else "cb-bad" for v in
                   (frame[chain] if chain else [])]
        return self._done("custody", status + frame_table(frame, row_classes=classes))

    # -- 6 附录 --------------------------------------------------------------------------------
    def appendix(self, parameters: dict | None = None) -> Html:
        from importlib.metadata import PackageNotFoundError, version

        def v(name: str) -> str:  # metadata, not import: importing nbconvert in the kernel costs ~2 s
            try:
                return version(name)
            except PackageNotFoundError:
                return "?"

        t = self.t
        now = datetime.now(UTC).replace(microsecond=0)
        self.summary["rendered_at"] = now.isoformat().replace("+00:00", "Z")
        versions = "; ".join([f"casebook {__version__}", *(f"{n} {v(n)}" for n in (
            "papermill", "nbconvert", "pandas", "geopandas", "esda", "rapidocr", "folium")),
            f"Python {platform.python_version()}"])
        template = ""
        if self.template and self.template.is_file():
            digest = hashlib.sha256(self.template.read_bytes()).hexdigest()
            template = f"{self.template.name} (SHA-256 {digest})"
        pairs = [
            (t["tool"], versions), (t["template"], template),
            (t["parameters"], json.dumps(parameters or {}, ensure_ascii=False, sort_keys=True)),
            (t["manifest_root"], self.summary.get("manifest_root") or "-"),
            (t["rendered"], f"{now.isoformat().replace('+00:00', 'Z')} (UTC) / "
                            f"{shanghai_time(now.isoformat())} (Asia/Shanghai)"),
        ]
        self.summary["sections"]["appendix"] = "ok"
        return section("appendix", t["appendix"], key_values(pairs))

    def finish(self) -> Path | None:
        """Write ``summary.json`` into the output folder (atomically); the batch index reads it."""
        if self.out_dir is None:
            return None
        from safeio.atomic import write_text_atomic

        return write_text_atomic(self.out_dir / "summary.json",
                                 json.dumps(self.summary, ensure_ascii=False, indent=2, default=str))


# -- presentation helpers -------------------------------------------------------------------------
def _evidence_table(frame, classes, t) -> str:
    """The evidence list with SHA-256 and SM3 stacked in one 完整性校验值 column (fits A4 portrait)."""
    if frame is None or len(frame) == 0:
        return ""
    columns = list(frame.columns)
    if "SHA-256" not in columns or "SM3" not in columns:
        return frame_table(frame, row_classes=classes)
    digest_at = columns.index("SHA-256")
    head = [*columns[:digest_at], t["digests"], *[c for c in columns[digest_at:] if c not in ("SHA-256", "SM3")]]
    rows = []
    for record in frame.to_dict("records"):
        digests = f"SHA-256\n{split_hex(record['SHA-256'])}\nSM3\n{split_hex(record['SM3'])}"
        rest = [record[c] for c in columns[digest_at:] if c not in ("SHA-256", "SM3")]
        rows.append([*(record[c] for c in columns[:digest_at]), digests, *rest])
    rows = [[plain_cell(v) for v in row] for row in rows]
    return table(head, rows, row_classes=classes, hash_columns=(t["digests"],))


def _changes_html(report, t) -> str:
    """What changed, for each item that no longer matches (the red rows say that; this says how)."""
    rows = []
    for item in report.modified:
        expected, found = item.get("expected", {}), item.get("found", {})
        rows.append([item.get("path"), item.get("change"),
                     f"{expected.get('size')} B\nSHA-256\n{split_hex(expected.get('digests', {}).get('sha256'))}",
                     f"{found.get('size')} B\nSHA-256\n{split_hex(found.get('digests', {}).get('sha256'))}"])
    for item in report.missing:
        rows.append([item.get("path"), "missing", item.get("size"), ""])
    for item in report.added:
        rows.append([item.get("path"), "added", "", item.get("size")])
    for item in report.moved:
        rows.append([item.get("path"), "moved", "", item.get("to")])
    for item in report.unverifiable:
        rows.append([item.get("path"), "unverifiable", "", item.get("reason")])
    if not rows:
        return ""
    heads = (["名称", "变化", "封存时", "现在"] if t is TEXT["zh"] else ["Name", "Change", "When sealed", "Now"])
    return f'<h3 class="cb-bad">{esc(heads[1])}</h3>' + table(heads, rows, row_classes=["cb-bad"] * len(rows),
                                                               hash_columns=heads[2:])


def _column(frame, names):
    if frame is None:
        return []
    for name in names:
        if name in getattr(frame, "columns", ()):
            return list(frame[name])
    return []


def _status_column(frame):
    return _column(frame, ("状态", "status", "Status"))


def _status_class(status) -> str:
    text = str(status).lower()
    if any(k in text for k in ("一致", "matched", "ok", "verified")) and not any(
            k in text for k in ("不一致", "mismatch")):
        return ""
    if any(k in text for k in ("元数据", "metadata")):
        return "cb-warn"
    return "cb-bad"


def _severity_class(severity) -> str:
    text = str(severity).lower()
    if text in ("violation", "违法"):
        return "cb-bad"
    if text in ("warning", "存疑", "needs_review", "待人工核对"):
        return "cb-warn"
    return ""


def _lookalikes_html(lookalikes, seen: str, t) -> str:
    """The name on the label beside the genuine brand it imitates, with the tricks found."""
    if not lookalikes:
        return ""
    pairs, seen_pairs = [], set()
    for item in lookalikes:
        key = (item.get("brand"), item.get("matched") or seen)
        if key in seen_pairs:  # the same copy found in the title and in the product name
            continue
        seen_pairs.add(key)
        reasons = "；".join(map(str, item.get("reasons") or []))
        score = item.get("score")
        extra = reasons + (f"（{score:.2f}）" if isinstance(score, int | float) else "")
        owner = f" · {item['owner']}" if item.get("owner") else ""
        pairs.append(f'<div class="cb-pair"><div>{esc(item.get("matched") or seen)}</div><div>↔</div>'
                     f'<div>{esc(item.get("brand"))}{esc(owner)}</div></div><p>{esc(extra)}</p>')
    return f"<h4>{esc(t['lookalikes'])}</h4>" + "".join(pairs)
