"""关联案件: the cases this case is linked to, the entities they share and where each was read.

A batch links the casebook once and hands each dossier its case's view (:mod:`casebook.chains.link_views`);
a dossier rendered alone links the casebook itself, from the records and the cached label readings
(it never runs OCR for other cases' photos); photos not yet read are counted in a note.
"""

from __future__ import annotations

from casebook.dossier_html import Html, heading, key_values, note, table

NAME = "linked"

TEXT = {
    "zh": {"title": "关联案件", "none": "在本案卷 {n} 件案件中，未发现与本案关联的案件。",
           "no_casebook": "{dir} 不是案卷目录（无 cases.csv 或案件文件夹），无法进行关联分析。",
           "chain": "关联链", "counties": "跨县区", "score": "关联强度", "role": "本案角色", "cases": "关联案件",
           "entities": "共同实体", "sources": "出处（文件与行号）", "unread": "另有 {n} 张标签照片尚无识别结果，未参与关联。",
           "case_columns": ["案件编号", "文号", "案件名称", "县区", "当事人", "角色"],
           "entity_columns": ["类型", "值", "权重", "涉及案件", "构成关联"],
           "source_columns": ["实体", "案件", "文件", "位置", "栏目", "原文（首条）"], "yes": "是", "corroborates": "佐证",
           "row": "第{n}行", "sep": "、", "upstream": "上游线索（本案卷无案件）", "maker": "生产者", "wholesaler": "批发商",
           "retailer": "零售商", "method": "依共同的电话、微信号、QQ号、账户、统一社会信用代码、许可证编号、名称与地址，"
           "按稀有程度加权（多数案件共有的实体几乎不计）。查获货物标签所印的生产者信息与正品企业名录比对："
           "冒用正品企业信息的几乎不计；不属任何正品企业、又见于多案货物的，视为源头线索。",
           "claim": "标签身份", "labels": "标签证据（照片、所读文字、SHA-256）",
           "label_columns": ["实体", "案件", "照片", "行", "所读文字", "SHA-256", "标签身份"],
           "holder": "办案机构", "leads": "待核线索（共有但未达关联阈值）",
           "lead_columns": ["类型", "值", "涉及案件", "最强一对权重", "原因"]},
    "en": {"title": "Linked cases", "none": "No case of the {n} in this casebook is linked to this one.",
           "no_casebook": "{dir} is not a casebook (no cases.csv or case folders): no link analysis.",
           "chain": "Chain", "counties": "Counties", "score": "Score", "role": "Role of this case",
           "cases": "Linked cases", "entities": "Shared entities", "sources": "Where each was read",
           "unread": "{n} label photo(s) have no reading yet and were left out.",
           "case_columns": ["Case", "Case no.", "Title", "County", "Party", "Role"],
           "entity_columns": ["Kind", "Value", "Weight", "Cases", "Links"],
           "source_columns": ["Entity", "Case", "File", "Where", "Field", "Text as read (first)"], "yes": "yes",
           "corroborates": "corroborates", "row": "row/line {n}", "sep": ", ", "upstream": "Upstream leads (no case here)",
           "maker": "maker", "wholesaler": "wholesaler", "retailer": "retailer",
           "method": "Shared phones, WeChat and QQ ids, accounts, credit codes, licence numbers, names and "
           "addresses, weighted by rarity (entities most cases share count for almost nothing).  A maker's "
           "identity read from seized labels is compared with the genuine owners: a copied genuine identity "
           "counts for almost nothing; one that is no genuine owner's and recurs on goods of several cases is a "
           "source lead.",
           "claim": "On labels", "labels": "Label evidence (photo, line as read, SHA-256)",
           "label_columns": ["Entity", "Case", "Photo", "Line", "Text as read", "SHA-256", "On labels"],
           "holder": "Bureau", "leads": "Leads for review (shared, below the link threshold)",
           "lead_columns": ["Kind", "Value", "Cases", "Best pair", "Why not linked"]},
}


def _where(item: dict, t: dict) -> str:
    """``第2、3、4行`` (rows of a table or lines of a text, as the file numbers them)."""
    if not item["at"]:
        return ""
    return t["row"].format(n=t["sep"].join(str(n) for n in item["at"]))


def _view(d) -> dict | None:
    """This case's view: the one a batch handed in, else the casebook linked here and now."""
    from casebook.case import is_casebook
    from casebook.chains.link_views import case_view, load_case_view
    from casebook.chains.linkage import link_casebook

    if d.links_path is not None:
        view = load_case_view(d.links_path, d.case.case_id)
        if view is not None:
            return view
    book = d.casebook_dir
    if not is_casebook(book):
        return None
    readings = getattr(d, "readings", None)  # the dossier's reading cache (None: caching is off)
    linkage = link_casebook(book, ocr=False, engine=d.ocr_engine,
                            cache_dir=readings.folder if readings is not None else "")
    return case_view(linkage, d.case.case_id)


def render(d) -> Html:
    """Linked cases of the casebook: chains this case belongs to, with the file and line of every shared entity."""
    t = TEXT["en" if d.lang == "en" else "zh"]
    view = _view(d)
    if view is None:
        return d._done(NAME, note(t["no_casebook"].format(dir=d.casebook_dir)))
    chains = view["chains"]
    d.summary["linked"] = {"chains": [c["id"] for c in chains],
                           "cases": sorted({x["case_id"] for c in chains for x in c["cases"]} - {d.case.case_id})}
    body = note(t["method"])
    if view["labels_not_read"]:
        body += note(t["unread"].format(n=view["labels_not_read"]))
    if not chains:
        from casebook.chains.link_views import LEAD_REASONS_EN, LEAD_REASONS_ZH

        reasons = LEAD_REASONS_EN if d.lang == "en" else LEAD_REASONS_ZH
        return d._done(NAME, body + note(t["none"].format(n=view["cases_in_casebook"])) + _leads(view, t, reasons))
    from casebook.chains.link_views import CLAIMS_EN, CLAIMS_ZH, LEAD_REASONS_EN, LEAD_REASONS_ZH

    claims = CLAIMS_EN if d.lang == "en" else CLAIMS_ZH
    reasons = LEAD_REASONS_EN if d.lang == "en" else LEAD_REASONS_ZH

    def claim_text(item: dict) -> str:
        text = claims.get(item.get("label_claim") or item.get("claim") or "", "")
        owners = item.get("copied_from") or ([item["owner"]] if item.get("owner") else [])
        return f"{text}（{'、'.join(owners)}）" if text and owners else text

    for chain in chains:
        role = chain["role"]
        holders = chain.get("holders", {})
        body += heading(f"{t['chain']} {chain['id']}") + key_values([
            (t["counties"], "、".join(chain["counties"])), (t["score"], f"{chain['score']:.2f}"),
            (t["role"], t.get(role, role) or "—")])
        rows = [[c["case_id"], c["case_no"], c["title"], c["county"], c["party"], t.get(c["role"], "") or "—",
                 holders.get(c["case_id"], {}).get("bureau", "")] for c in chain["cases"]]
        marks = ["cb-warn" if c["case_id"] == d.case.case_id else "" for c in chain["cases"]]
        body += heading(t["cases"]) + table([*t["case_columns"], t["holder"]], rows, row_classes=marks)
        body += heading(t["entities"]) + table([*t["entity_columns"], t["claim"]], [
            [v["kind"], v["value"], f"{v['weight']:.2f}", "、".join(v["cases"]),
             t["yes"] if v["links"] else t["corroborates"], claim_text(v)] for v in chain["via"]])
        body += heading(t["sources"]) + table(t["source_columns"], [
            [f"{s['kind']} {s['value']}", s["case"], s["file"], _where(s, t), s["field"], s["text"]]
            for s in chain["sources"]])
        if chain.get("labels"):
            body += heading(t["labels"]) + table(t["label_columns"], [
                [f"{s['kind']} {s['value']}", s["case"], s["photo"], s["line"] or "", s["text"], s["sha256"],
                 claim_text(s)] for s in chain["labels"]], hash_columns=[t["label_columns"][5]])
        if chain["upstream"]:
            body += key_values([(t["upstream"], "；".join(chain["upstream"]))])
    return d._done(NAME, body + _leads(view, t, reasons))


def _leads(view: dict, t: dict, reasons: dict) -> str:
    """Shared values of this case that almost linked, with the reason they did not."""
    leads = view.get("leads") or []
    if not leads:
        return ""
    rows = [[lead["kind"], lead["value"], t["sep"].join(lead["cases"]), f"{lead['best']:.2f}",
             reasons.get(lead["reason"], lead["reason"])
             + (f"（{'、'.join(lead['copied_from'])}）" if lead.get("copied_from") else "")] for lead in leads]
    return heading(t["leads"]) + table(t["lead_columns"], rows)
