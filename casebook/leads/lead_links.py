"""Tie leads to cases and chains through the business name, phone, credit code and address (links normalisers).

A lead names a business the way a consumer writes it; a case names its party as the licence
does.  Both go through the same normalisers as the linkage (:mod:`links.names`, :mod:`links.phones`,
:mod:`links.identifiers`, :mod:`links.addresses`), so 周口市川汇区利民便利店 and 利民便利店（川汇） meet
on one key.  Names match only with a place that agrees (the same core in two counties is two
shops); an address matches only when it is precise to the number.  Each distinct value is
normalised once.  Chains come from ``links.json`` of ``casebook link``, when given.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pandas as pd

from casebook.case import iter_cases
from geo.leads.complaint_places import place_addresses
from links.addresses import parse_addresses
from links.identifiers import check_credit_code
from links.names import normalise_name
from links.phones import find_phones, normalise_phone
from safeio.errors import InputError

__all__ = ["case_keys", "link_leads"]


def _name_key(text: str, adcode: str) -> str | None:
    """The name's core and trades with the county it lies in (the lead's or party's placed county)."""
    key = normalise_name(text) if text and adcode else None
    return f"{adcode}|{key.key}" if key is not None else None


def _credit(text: str) -> str | None:
    checked = check_credit_code(text) if text else None
    return checked.key if checked is not None else None


def case_keys(casebook_dir: str | Path) -> dict[tuple[str, str], set[str]]:
    """(kind, key) -> case ids, from each case's party: name (with its county), credit code, phone, address."""
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    cases = [c for c in iter_cases(casebook_dir) if not isinstance(c, InputError)]
    written = [str((c.party or {}).get("address", "")) for c in cases]
    addresses = parse_addresses(written)
    counties = place_addresses(written)["adcode"] if cases else []
    for case, address, county in zip(cases, addresses, counties, strict=True):
        party = case.party or {}
        name = _name_key(str(party.get("name", "")), county)
        if name:
            index[("name", name)].add(case.case_id)
        code = _credit(str(party.get("credit_code", "")))
        if code:
            index[("credit_code", code)].add(case.case_id)
        for _, phone in find_phones(str(party.get("phone", ""))):
            index[("phone", phone.digits)].add(case.case_id)
        if address.key:
            index[("address", address.key)].add(case.case_id)
    return index


def _chains(links_json: str | Path | None) -> tuple[dict[str, list[str]], dict[tuple[str, str], set[str]]]:
    """case id -> chain ids, and (kind, value) -> cases of the shared phones and credit codes of links.json."""
    if links_json is None:
        return {}, {}
    data = json.loads(Path(links_json).read_text(encoding="utf-8"))
    by_case: dict[str, list[str]] = defaultdict(list)
    for chain in data.get("chains", []):
        for case_id in chain.get("cases", []):
            by_case[str(case_id)].append(str(chain.get("id")))
    entities: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entity in data.get("entities", []):
        if entity.get("kind") in ("phone", "credit_code") and entity.get("value"):
            entities[(entity["kind"], str(entity["value"]))].update(str(c) for c in entity.get("cases", []))
    return by_case, entities


def link_leads(leads: pd.DataFrame, casebook_dir: str | Path, *, links_json: str | Path | None = None) -> pd.DataFrame:
    """The leads that meet a case: row, reg_no, business, case_ids, chains and what they share (``via``).

    Parameters
    ----------
    leads : placed leads (:func:`casebook.leads.lead_store.load_leads`).
    casebook_dir : the casebook whose case folders are matched.
    links_json : ``links.json`` of ``casebook link``: chains, and the phones and credit codes of
        suppliers and makers the cases share (a lead about a supplier then meets its chain).

    Returns
    -------
    DataFrame
        One row per lead that shares a key with at least one case.
    """
    index = case_keys(casebook_dir)
    chain_of, entities = _chains(links_json)
    for key, ids in entities.items():
        index.setdefault(key, set()).update(ids)
    if not index or leads.empty:
        return pd.DataFrame(columns=["row", "source", "reg_no", "business", "case_ids", "chains", "via"])
    keys_of: dict[tuple, list[tuple[str, str]]] = {}
    frame = leads[["business", "adcode", "phone", "credit_code", "address", "text"]].fillna("").astype(str)
    distinct_addresses = frame["address"].unique()
    parsed = dict(zip(distinct_addresses, parse_addresses(list(distinct_addresses)), strict=True))
    out = []
    for position, (business, adcode, phone, code, address, text) in enumerate(frame.itertuples(index=False)):
        marker = (business, adcode, phone, code, address)
        keys = keys_of.get(marker)
        if keys is None:
            keys = []
            name = _name_key(business, adcode)
            if name:
                keys.append(("name", name))
            credit = _credit(code)
            if credit:
                keys.append(("credit_code", credit))
            one = normalise_phone(phone)
            if one is not None:
                keys.append(("phone", one.digits))
            if parsed[address].key:
                keys.append(("address", parsed[address].key))
            keys_of[marker] = keys
        found = list(keys)
        found += [("phone", p.digits) for _, p in find_phones(text)] if text else []
        hits = {k: index[k] for k in found if k in index}
        if not hits:
            continue
        cases = sorted(set().union(*hits.values()))
        chains = sorted({c for case_id in cases for c in chain_of.get(case_id, [])})
        row = leads.iloc[position]
        out.append({"row": int(row["row"]), "source": str(row.get("source", "")), "reg_no": str(row["reg_no"]),
                    "business": business, "case_ids": cases, "chains": chains,
                    "via": sorted({f"{kind}:{value}" for kind, value in hits})})
    return pd.DataFrame(out, columns=["row", "source", "reg_no", "business", "case_ids", "chains", "via"])
