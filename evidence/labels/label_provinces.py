"""Which province an address or a licence names: the licence's region against the maker's address.

An SC number carries its province in digits 3-4 (GB/T 2260); a cosmetic licence its one-character
abbreviation (豫妆, 粤妆); an address its province or, through cpca, its city.
"""

from __future__ import annotations

import re

from evidence.labels.finding_rules import PROVINCES
from evidence.labels.label_fields import normalise

__all__ = ["address_province", "licence_provinces", "same_province"]


def address_province(address: str | None) -> str | None:
    """The GB/T 2260 province code of an address, from its province or (via cpca) its city name.

    Compared in simplified form: a label in traditional characters (貴州省) names the same province."""
    if not address:
        return None
    address = normalise(address)
    for code, (name, _) in PROVINCES.items():
        if address.startswith(name):
            return code
    try:
        from safeio.cpca_loader import load_cpca

        cpca = load_cpca()

        found = cpca.transform([address])
        adcode = str(found.iloc[0]["adcode"] or "")
        return adcode[:2] if len(adcode) >= 2 and adcode[:2] in PROVINCES else None
    except Exception:
        return None


def licence_provinces(licence: str | None) -> tuple[set[str], str | None]:
    """(possible province codes, the part read) for an SC number or a provincial licence (豫妆20180001).

    Cosmetic licences print the one-character abbreviation (豫, 粤); some labels print the first
    character of the province name instead (河, 广), which may name two provinces: any of them
    counts as a match, so no accusation rests on the ambiguity.
    """
    if not licence:
        return set(), None
    if licence.startswith("SC") and len(licence) == 16:
        return {licence[5:7]}, licence[5:7]
    found = re.match(r"([\u4e00-\u9fff])妆", licence)
    if found:
        char = found.group(1)
        codes = {code for code, (name, short) in PROVINCES.items() if char in (short, name[0])}
        return codes or {"??"}, char
    return set(), None


def same_province(text: str, where: str) -> bool | None:
    """Whether a line (an address, with or without its key) lies in province ``where``; None if unknown."""
    found = address_province(re.sub(r"^[^:：]{0,8}[:：]", "", normalise(text)).strip())
    return None if found is None else found == where
