"""What the 关联案件 section shows of each case, as plain data: a batch links the casebook once.

Linking reads every case of the casebook, so a dossier that linked for itself would repeat the
whole casebook's work for each case.  A batch runs :func:`casebook.chains.linkage.link_casebook` once,
keeps each case's view in ``OUT/links/<case_id>.json`` and hands the folder to every dossier.
"""

from __future__ import annotations

import json
from pathlib import Path

from safeio.atomic import write_text_atomic
from safeio.limits import loads_json, read_capped

__all__ = ["CLAIMS_EN", "CLAIMS_ZH", "LEAD_REASONS_EN", "LEAD_REASONS_ZH", "LINKS", "case_view", "label_sources",
           "load_case_view", "save_case_views"]

LINKS = "links"  # OUT/links/: one view per case
# why a shared entity did not link (links.graph.find_leads), in the words of a display
LEAD_REASONS_EN = {
    "copied_genuine": "a genuine owner's identity copied onto fakes: not the fakes' source",
    "common": "shared by too many cases to single out a chain (a hub)",
    "weak_kind": "this kind of value only corroborates",
    "failed_check": "its check digit fails (a typo or an early pilot code)",
    "placeless_name": "a name that states no place (many places have one)",
    "uncertain_match": "matched only through a homophone or a close spelling",
    "label_claim": "printed on goods of one case only, or copied from goods into a ledger",
    "below_threshold": "below the link threshold",
}
LEAD_REASONS_ZH = {
    "copied_genuine": "冒用的正品企业信息，非假货源头",
    "common": "出现在过多案件中（枢纽），不能单独指向链条",
    "weak_kind": "此类信息仅作佐证",
    "failed_check": "校验位不符（笔误或早期试点代码）",
    "placeless_name": "名称未标明地域（多地同名）",
    "uncertain_match": "仅凭同音字或近似写法匹配",
    "label_claim": "仅见于一案货物标签，或由标签抄入台账",
    "below_threshold": "低于关联阈值",
}
CLAIMS_EN = {"source": "on seized goods of several cases, no genuine owner's: a source lead",
             "copied": "a genuine owner's identity, copied onto fakes", "claim": "printed on goods of one case"}
CLAIMS_ZH = {"source": "多案查获货物标签所印、非正品企业信息：源头线索", "copied": "冒用正品企业信息",
             "claim": "仅一案货物标签所印"}


def label_sources(result, chain) -> list[dict]:
    """The label-borne sources of the entities that tie a chain: photo, line as read, SHA-256, claim."""
    rows = []
    for entity, mentions in result.chain_label_mentions(chain):
        for m in mentions:
            rows.append({"entity": entity.id, "kind": entity.kind, "value": entity.value, "case": m.source.case,
                         "photo": m.source.file, "line": m.source.line, "text": m.source.text,
                         "sha256": m.source.sha256, "claim": m.claim, "owner": m.owner})
    rows.sort(key=lambda r: (r["case"], r["photo"], r["kind"]))
    return rows


def case_view(linkage, case_id: str) -> dict:
    """The chains of one case with their cases, shared entities, sources and upstream leads.

    Parameters
    ----------
    linkage : casebook.chains.linkage.Linkage
    case_id : the case the view is for.

    Returns
    -------
    dict
        JSON-ready: ``cases_in_casebook``, ``labels_not_read`` and ``chains`` (each with ``id``,
        ``counties``, ``score``, ``role``, ``cases``, ``via``, ``sources``, ``upstream``).
    """
    result = linkage.result
    chains = []
    for chain in result.chains_of(case_id):
        chains.append({
            "id": chain.id, "counties": list(chain.counties), "score": float(chain.score),
            "role": chain.roles.get(case_id, ""),
            "cases": [{"case_id": c, "case_no": result.cases[c].case_no, "title": result.cases[c].title,
                       "county": result.cases[c].county, "party": result.cases[c].party,
                       "role": chain.roles.get(c, "")} for c in chain.cases if c in result.cases],
            "via": [{"kind": v["kind"], "value": v["value"], "weight": float(v["weight"]), "cases": list(v["cases"]),
                     "links": bool(v["links"]), "label_claim": v.get("label_claim", ""),
                     "copied_from": list(v.get("copied_from", []))} for v in chain.via],
            "sources": [{key: s[key] for key in ("kind", "value", "case", "file", "at", "field", "text")}
                        for s in result.chain_sources_grouped(chain)],
            "labels": label_sources(result, chain),
            "holders": {c: dict(h) for c, h in chain.holders.items()},
            "upstream": [str(result.entity(e).value) for e in chain.upstream],
        })
    leads = [{key: lead[key] for key in ("kind", "value", "cases", "best", "reason")}
             | {"copied_from": list(lead.get("copied_from", []))}
             for lead in result.leads if case_id in lead["cases"]][:20]
    return {"case_id": case_id, "cases_in_casebook": int(linkage.stats.get("cases", len(result.cases))),
            "labels_not_read": int(linkage.stats.get("labels_not_read", 0)), "chains": chains, "leads": leads}


def save_case_views(linkage, folder: str | Path, case_ids) -> Path:
    """Write the view of each case in ``case_ids`` to ``folder/<case_id>.json`` (atomically)."""
    folder = Path(folder)
    for case_id in case_ids:
        write_text_atomic(folder / f"{case_id}.json",
                          json.dumps(case_view(linkage, case_id), ensure_ascii=False, sort_keys=True, default=str))
    return folder


def load_case_view(folder: str | Path, case_id: str) -> dict | None:
    """The saved view of one case, or None when the batch wrote none for it."""
    path = Path(folder) / f"{case_id}.json"
    if not path.is_file() or path.is_symlink():
        return None
    return loads_json(read_capped(path, 64 << 20, what="link view"), where=path, what="link view")
