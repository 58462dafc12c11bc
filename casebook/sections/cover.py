"""1 卷宗封面: the cover, as on the SAMR case-file form (案件名称, 文号, 当事人 ...)."""

from __future__ import annotations

from casebook.dossier_html import Html, cover_page, key_values

__all__ = ["render"]


def render(d) -> Html:
    """The case's identity from case.yml, in the dossier's language, every value escaped."""
    c, t = d.case, d.t
    party = c.party if isinstance(c.party, dict) else {"name": c.party}
    people = t["list_sep"].join(
        (p.get("name", "") + (t["paren"].format(p["badge"]) if p.get("badge") else "")) if isinstance(p, dict)
        else str(p) for p in c.investigators
    )
    pairs = [
        (t["case_title"], c.title), (t["case_no"], c.case_no), (t["organ"], c.organ),
        (t["party"] + " · " + t["party_name"], party.get("name", "")),
        (t["party"] + " · " + t["credit_code"], party.get("credit_code", "")),
        (t["party"] + " · " + t["address"], party.get("address", "")),
        (t["opened"], c.opened), (t["closed"], c.closed), (t["investigators"], people),
        (t["case_id"], c.case_id),
    ]
    d.summary["sections"]["cover"] = "ok"
    return cover_page(t["heading"], key_values(pairs))
