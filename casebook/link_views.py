"""What the 关联案件 section shows of each case, as plain data: a batch links the casebook once.

Linking reads every case of the casebook, so a dossier that linked for itself would repeat the
whole casebook's work for each case.  A batch runs :func:`casebook.linkage.link_casebook` once,
keeps each case's view in ``OUT/links/<case_id>.json`` and hands the folder to every dossier.
"""

from __future__ import annotations

import json
from pathlib import Path

from safeio.atomic import write_text_atomic
from safeio.limits import loads_json, read_capped

__all__ = ["LINKS", "case_view", "load_case_view", "save_case_views"]

LINKS = "links"  # OUT/links/: one view per case


def case_view(linkage, case_id: str) -> dict:
    """The chains of one case with their cases, shared entities, sources and upstream leads.

    Parameters
    ----------
    linkage : casebook.linkage.Linkage
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
                     "links": bool(v["links"])} for v in chain.via],
            "sources": [{key: s[key] for key in ("kind", "value", "case", "file", "at", "field", "text")}
                        for s in result.chain_sources_grouped(chain)],
            "upstream": [str(result.entity(e).value) for e in chain.upstream],
        })
    return {"case_id": case_id, "cases_in_casebook": int(linkage.stats.get("cases", len(result.cases))),
            "labels_not_read": int(linkage.stats.get("labels_not_read", 0)), "chains": chains}


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
