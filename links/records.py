"""A case's own record (the party in case.yml) and its label readings -> mentions.

The party is who the case is about: its name, credit code and address link firmly (they come from
the business licence).  A label is what seized goods claim: the maker's name and address are
claims (half trust); a phone, credit code, licence number or barcode printed on it ties the goods
to whoever uses it, but a genuine maker prints its own on all its goods, so two labels alone do
not make a chain (see :data:`links.extract.PRINTED_TRUST`).
"""

from __future__ import annotations

import re
import unicodedata

from links.entities import Mention, Source
from links.extract import (
    CLAIM_TRUST,
    PRINTED_TRUST,
    address_mention,
    barcode_mention,
    credit_code_mentions,
    licence_mentions,
    name_mention,
    person_mention,
    phone_mentions,
    qq_mentions,
    wechat_mentions,
)

__all__ = ["case_mentions", "label_mentions", "line_of"]

_PARTY_FIELDS = ("name", "credit_code", "address", "operator", "phone", "wechat", "qq")


def _squash(text: str) -> str:
    return re.sub(r"[\s\-:：]", "", unicodedata.normalize("NFKC", str(text))).upper()


def line_of(value: str, lines: list[str], key: str = "") -> int | None:
    """The 1-based number of the line that holds ``value`` (spaces, dashes and width ignored), preferring
    one that also names ``key`` (``name: 汇通日化`` rather than a title that mentions 汇通日化)."""
    wanted = _squash(value)
    if not wanted:
        return None
    found = [number for number, line in enumerate(lines, start=1) if wanted in _squash(line)]
    if key:
        keyed = [n for n in found if re.search(rf"(?:^|\s){re.escape(key)}\s*:", lines[n - 1])]
        if keyed:
            return keyed[0]
    return found[0] if found else None


def case_mentions(case: str, party: dict, *, file: str = "case.yml", text: str = "",
                  county: str = "") -> list[Mention]:
    """Mentions of a case's party: name, credit code, address, operator (and phone or ids where recorded).

    Parameters
    ----------
    case : the case id.
    party : the ``party`` mapping of case.yml.
    file : the record's path relative to the case folder.
    text : the record's text, to name the line of each value (optional).
    county : the case's county: the party of a case lies in it, so a name that states only a town
        (李屯乡兴隆超市; towns of that name exist in many counties) is placed in this county.
    """
    lines = text.splitlines()
    out: list[Mention] = []
    for key in _PARTY_FIELDS:
        value = party.get(key) if isinstance(party, dict) else None
        if not value or not isinstance(value, str):
            continue
        line = line_of(value, lines, key) if lines else None
        source = Source(case, file, "case", line=line, field=f"party.{key}",
                        text=lines[line - 1].strip() if line else f"{key}: {value}")
        if key == "name":
            out += [_placed(m, county) for m in name_mention(value, source, "party")]
        elif key == "credit_code":
            out += credit_code_mentions(value, source, "party", bare=True)
        elif key == "address":
            out += address_mention(value, source, "party")
        elif key == "operator":
            out += person_mention(value, source, "party")
        elif key == "phone":
            out += phone_mentions(value, source, "party")
        elif key == "wechat":
            out += wechat_mentions(value, source, "party", bare=True)
        elif key == "qq":
            out += qq_mentions(value, source, "party", bare=True)
    return out


def _placed(mention: Mention, county: str) -> Mention:
    from dataclasses import replace

    from links.places import Place, place_index

    name = mention.name
    codes = frozenset(c for c in place_index().full.get(county, ()) if not c.endswith("00"))
    if name is None or name.place.adcodes or not codes:
        return mention
    core, alt = name.core, name.alt_core
    lead = core[: len(core) - len(alt)] if alt else ""
    if lead and county.startswith(lead):  # 桐柏辉林调料店 of a case in 桐柏县: 桐柏 is the county, not the name
        core, alt = alt, ""
    mention.name = replace(name, core=core, alt_core=alt, place=Place(codes, name.place.town, name.place.text))
    mention.key = mention.name.key
    return mention


# label fields that say who made the goods, and how each becomes mentions
_LABEL_BUILDERS = {
    "manufacturer": lambda v, s: name_mention(v, s, "maker", trust=CLAIM_TRUST),
    "address": lambda v, s: address_mention(v, s, "maker", trust=CLAIM_TRUST),
    "phone": lambda v, s: phone_mentions(v, s, "maker", PRINTED_TRUST),
    "credit_code": lambda v, s: credit_code_mentions(v, s, "maker", bare=True, trust=PRINTED_TRUST),
    "license_no": lambda v, s: licence_mentions(v, s, "maker", PRINTED_TRUST),
    "barcode": lambda v, s: barcode_mention(v, s, "maker"),
}
# the same, as a party of a label may name them (生产者 / 委托方 / 受委托方 with their own fields)
_PARTY_KEYS = {"name": "manufacturer", "manufacturer": "manufacturer", "address": "address", "phone": "phone",
               "credit_code": "credit_code", "license_no": "license_no", "licence": "license_no"}


def label_mentions(case: str, file: str, fields: dict, lines: list[str], *, sha256: str = "") -> list[Mention]:
    """Mentions of what one label photo prints: maker, address, phone, credit code, licence, barcode prefix.

    A maker's name that states no place is placed in the county of the address printed with it: two
    workshops of one trade name in two counties are two makers, one name spelled three ways at one
    address is one.  Fields this reader does not know are ignored; a ``parties`` list (生产者,
    委托方, 受委托方, each a mapping of name, address, phone, credit code, licence) adds one record per party.

    Parameters
    ----------
    case : the case id.
    file : the photo's path relative to the case folder.
    fields : the label fields (``manufacturer``, ``address``, ``phone``, ``credit_code``, ``license_no``,
        ``barcode``), as :func:`evidence.labels.label_fields.extract_fields` gives them.
    lines : the OCR lines of the photo, to name the line each value was read on.
    sha256 : the photo's SHA-256, carried by every source as the evidence of a label-borne link.
    """
    records: list[tuple[str, dict]] = [("", fields if isinstance(fields, dict) else {})]
    parties = fields.get("parties") if isinstance(fields, dict) else None
    if isinstance(parties, list):
        seen = {str(fields.get(k) or "") for k in ("manufacturer",)}
        for number, party in enumerate(parties[:8], start=1):
            if not isinstance(party, dict):
                continue
            values = {_PARTY_KEYS[k]: v for k, v in party.items() if k in _PARTY_KEYS and isinstance(v, str)}
            if values.get("manufacturer") and values["manufacturer"] in seen and len(values) == 1:
                continue  # the maker already read from the main fields
            records.append((f"parties.{number}.", values))
    out: list[Mention] = []
    for prefix, values in records:
        found: list[Mention] = []
        for key, build in _LABEL_BUILDERS.items():
            value = values.get(key)
            if not value or not isinstance(value, str):
                continue
            line = line_of(value, lines)
            source = Source(case, file, "label", line=line, field=prefix + key,
                            text=lines[line - 1] if line else value, sha256=sha256)
            found += build(value, source)
        address = values.get("address")
        if isinstance(address, str) and address:
            county = _county_of(address)
            found = [_placed_at(m, county) if m.kind == "name" else m for m in found]
        out += found
    return out


def _county_of(address: str) -> frozenset[str]:
    """The county-level adcode an address starts with (empty when none, or more than one, is named)."""
    from links.places import place_index

    compact = re.sub(r"\s", "", unicodedata.normalize("NFKC", address))
    parsed = place_index().parse_prefix(compact, min_rest=0, lenient=True)
    codes = {c for c in parsed.place.adcodes if not c.endswith("00")}
    return frozenset(codes) if len(codes) == 1 else frozenset()


def _placed_at(mention: Mention, codes: frozenset[str]) -> Mention:
    """A name that states no place, placed at the county of the address printed beside it."""
    from dataclasses import replace

    from links.places import Place, place_index

    name = mention.name
    if name is None or name.place.adcodes or name.place.town or not codes:
        return mention
    core, alt = name.core, name.alt_core
    lead = core[: len(core) - len(alt)] if alt else ""
    if lead and any(place_index().names.get(c, "").startswith(lead) for c in codes):
        core, alt = alt, ""  # 鹿邑恒昌 at an address in 鹿邑县: 鹿邑 is the county, not the name
    mention.name = replace(name, core=core, alt_core=alt, place=Place(codes, "", name.place.text))
    mention.key = mention.name.key
    return mention
