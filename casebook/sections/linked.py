"""关联案件: the cases this case is linked to, the entities they share and where each was read.

The link analysis runs over the whole casebook from its records and the cached label readings
(a dossier never runs OCR for other cases' photos); photos not yet read are counted in a note.
"""

from __future__ import annotations

from casebook.dossier_html import Html, error_box, esc, key_values, note, section, table
from safeio.errors import CasebookError

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
           "按稀有程度加权（多数案件共有的实体几乎不计）。"},
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
           "addresses, weighted by rarity (entities most cases share count for almost nothing)."},
}


def _where(item: dict, t: dict) -> str:
    """``第2、3、4行`` (rows of a table or lines of a text, as the file numbers them)."""
    if not item["at"]:
        return ""
    return t["row"].format(n=t["sep"].join(str(n) for n in item["at"]))


def _done(d, t: dict, body: str, status: str = "ok") -> Html:
    d.summary["sections"].setdefault(NAME, status)
    return section(NAME, t["title"], body)


def render(d) -> Html:
    from casebook.linkage import link_casebook

    t = TEXT["en" if d.lang == "en" else "zh"]
    book = d.casebook_dir
    if not (book / "cases.csv").is_file() and not any(book.glob("*/case.yml")):
        return _done(d, t, note(t["no_casebook"].format(dir=book)))
    try:
        readings = getattr(d, "readings", None)  # the dossier's reading cache (None: caching is off)
        linkage = link_casebook(book, ocr=False, engine=d.ocr_engine,
                                cache_dir=readings.folder if readings is not None else "")
    except CasebookError as err:
        return _done(d, t, error_box(str(err)), "error")
    result = linkage.result
    chains = result.chains_of(d.case.case_id)
    d.summary["linked"] = {"chains": [c.id for c in chains],
                           "cases": sorted({x for c in chains for x in c.cases} - {d.case.case_id})}
    body = note(t["method"])
    if linkage.stats.get("labels_not_read"):
        body += note(t["unread"].format(n=linkage.stats["labels_not_read"]))
    if not chains:
        return _done(d, t, body + note(t["none"].format(n=linkage.stats["cases"])))
    for chain in chains:
        role = chain.roles.get(d.case.case_id, "")
        body += f"<h3>{esc(t['chain'])} {esc(chain.id)}</h3>" + key_values([
            (t["counties"], "、".join(chain.counties)), (t["score"], f"{chain.score:.2f}"),
            (t["role"], t.get(role, role) or "—")])
        rows = [[c, result.cases[c].case_no, result.cases[c].title, result.cases[c].county, result.cases[c].party,
                 t.get(chain.roles.get(c, ""), "") or "—"] for c in chain.cases if c in result.cases]
        marks = ["cb-warn" if c == d.case.case_id else "" for c in chain.cases if c in result.cases]
        body += f"<h3>{esc(t['cases'])}</h3>" + table(t["case_columns"], rows, row_classes=marks)
        body += f"<h3>{esc(t['entities'])}</h3>" + table(t["entity_columns"], [
            [v["kind"], v["value"], f"{v['weight']:.2f}", "、".join(v["cases"]),
             t["yes"] if v["links"] else t["corroborates"]] for v in chain.via])
        body += f"<h3>{esc(t['sources'])}</h3>" + table(t["source_columns"], [
            [f"{s['kind']} {s['value']}", s["case"], s["file"], _where(s, t), s["field"], s["text"]]
            for s in result.chain_sources_grouped(chain)])
        if chain.upstream:
            body += key_values([(t["upstream"], "；".join(str(result.entity(e).value) for e in chain.upstream))])
    return _done(d, t, body)
