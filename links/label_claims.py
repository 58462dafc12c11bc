"""Whose identity a seized label prints: a genuine owner's, copied onto fakes, or an unknown maker's.

Counterfeiters print a maker on their goods.  Often it is a genuine brand owner's name, code,
licence, address or phone, copied: two shops selling fakes that carry it are no chain, and the
owner's own case is not the fakes' source.  Often it is the workshop's own identity, or one it
made up and keeps using: the same unknown maker on seized goods in several cases *is* the source
of a chain (源头追溯).  So each identity read from a label is compared with the genuine registry
(the owners of ``evidence/data/brands.csv``, their identifiers in ``evidence/data/brand_owners.csv``,
and a casebook's own ``brand_owners.csv``):

- **copied**: it belongs to a genuine owner (or sits on one label with an identity that does), and
  weighs little (:data:`COPIED_TRUST`);
- **source**: it belongs to no genuine owner and is printed on goods of two cases or more, and is
  taken at its word (:data:`SOURCE_TRUST`, names and addresses :data:`SOURCE_NAME_TRUST`);
- **claim**: neither, yet (printed on goods of one case): the claim trust of :mod:`links.extract`.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from os import PathLike
from pathlib import Path

from links.entities import Entity, Mention, record_of
from links.names import NameKey, normalise_name
from safeio.errors import InputError
from safeio.limits import read_capped

__all__ = ["COPIED_TRUST", "OWNER_COLUMNS", "SOURCE_NAME_TRUST", "SOURCE_TRUST", "GenuineOwners",
           "default_owners", "weigh_label_claims"]

# A genuine owner's identity on seized goods: even beside the owner's own record (1.0) it stays
# below the link threshold, and two labels carrying it are nothing.
COPIED_TRUST = 0.3
# An unknown maker's phone, credit code or licence on goods of several cases: as firm as a ledger row.
SOURCE_TRUST = 1.0
# Its name and address: firm where the label places them (a name without place, ×0.8 on each side,
# falls below the threshold: a trade name of many counties).
SOURCE_NAME_TRUST = 0.95
IDENTITY_KINDS = frozenset({"name", "address", "phone", "credit_code", "licence"})
OWNER_COLUMNS = ("owner", "credit_code", "licence", "address", "phone")
MAX_OWNERS_FILE = 16 << 20


@dataclass
class GenuineOwners:
    """Genuine brand owners by name core and by identifier (credit code, licence, address, phone)."""

    names: dict[str, list[tuple[NameKey, str]]] = field(default_factory=dict)  # core -> (key, owner)
    identifiers: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, key) -> owner
    files: list[str] = field(default_factory=list)

    def add(self, rows: Iterable[dict], where: str) -> None:
        """Add owners (``owner`` and any of ``credit_code``, ``licence``, ``address``, ``phone``)."""
        from links.addresses import parse_addresses
        from links.identifiers import check_credit_code, check_licence
        from links.phones import find_phones, normalise_phone

        pending: list[tuple[str, str]] = []
        for row in rows:
            owner = (row.get("owner") or "").strip()
            if not owner:
                continue
            key = normalise_name(owner)
            if key is not None:
                self.names.setdefault(key.core, []).append((key, owner))
            for value in _split(row.get("credit_code")):
                checked = check_credit_code(value)
                if checked is not None:
                    self.identifiers[("credit_code", checked.key)] = owner
            for value in _split(row.get("licence")):
                checked = check_licence(value)
                if checked is not None:
                    self.identifiers[("licence", checked.key)] = owner
            for value in _split(row.get("phone")):
                found = [p for _, p in find_phones(value)] or [p for p in [normalise_phone(value)] if p]
                for phone in found:
                    self.identifiers[("phone", phone.digits)] = owner
            pending += [(owner, value) for value in _split(row.get("address"))]
        for (owner, _), address in zip(pending, parse_addresses([v for _, v in pending]), strict=True):
            if address.key is not None:
                self.identifiers[("address", address.key)] = owner
        self.files.append(where)

    def add_file(self, path: str | PathLike) -> None:
        """A CSV of genuine owners (columns ``owner`` and any of credit_code, licence, address, phone)."""
        path = Path(path)
        try:
            text = read_capped(path, MAX_OWNERS_FILE, what="owners list").decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise InputError("the list of genuine owners is not UTF-8 text", path=str(path),
                             hint="Save it as CSV UTF-8.") from err
        self.add(_rows(text, str(path)), str(path))

    def owner_of(self, mention: Mention) -> str:
        """The genuine owner whose identity this mention is, or "" when it is nobody's known."""
        if mention.kind == "name":
            name = mention.name
            if name is None:
                return ""
            for core in (name.core, name.alt_core):
                for key, owner in self.names.get(core, ()) if core else ():
                    if key.trades_compatible(name):
                        return owner
            return ""
        return self.identifiers.get((mention.kind, mention.key), "")


def _split(value: object) -> list[str]:
    """One cell may hold several values: ``0532-1234567;400-123-4567``."""
    text = str(value or "").strip()
    return [part.strip() for part in text.replace("；", ";").split(";") if part.strip()]


def _rows(text: str, where: str) -> list[dict]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if not reader.fieldnames or "owner" not in reader.fieldnames:
        raise InputError("the list of genuine owners has no 'owner' column", path=where,
                         hint="The first line must name the columns: owner,credit_code,licence,address,phone.")
    return list(reader)


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    data = files("evidence").joinpath("data")
    brands = _rows(data.joinpath("brands.csv").read_text(encoding="utf-8"), "brands.csv")
    owners = _rows(data.joinpath("brand_owners.csv").read_text(encoding="utf-8"), "brand_owners.csv")
    return tuple({"owner": r.get("owner", "")} for r in brands), tuple(owners)


def default_owners(extra: Iterable[str | PathLike] = ()) -> GenuineOwners:
    """The shipped registry (owners of brands.csv, identifiers of brand_owners.csv), plus ``extra`` CSV files."""
    owners = GenuineOwners()
    brands, identified = _shipped()
    owners.add(brands, "evidence/data/brands.csv")
    owners.add(identified, "evidence/data/brand_owners.csv")
    for path in extra:
        owners.add_file(path)
    return owners


def weigh_label_claims(entities: list[Entity], owners: GenuineOwners) -> None:
    """Mark every identity read from a label copied, source or claim, and set its trust accordingly.

    An entity is a genuine owner's when one of its mentions is (a name by its core and trade, an
    identifier by its key); every label record that prints one is a copied identity as a whole.
    The rest is a source when labels of two cases or more print it.
    """
    owner_of_entity: dict[str, str] = {}
    for entity in entities:
        if entity.kind not in IDENTITY_KINDS:
            continue
        for m in entity.mentions:
            owner = owners.owner_of(m)
            if owner:
                owner_of_entity[entity.id] = owner
                break
    copied_records: dict[tuple, str] = {}
    for entity in entities:
        owner = owner_of_entity.get(entity.id)
        if owner:
            for m in entity.mentions:
                if m.source.origin == "label":
                    copied_records.setdefault(record_of(m), owner)
    for entity in entities:
        if entity.kind not in IDENTITY_KINDS:
            continue
        rest: dict[str, list[Mention]] = defaultdict(list)
        for m in entity.mentions:
            if m.source.origin != "label":
                continue
            owner = owner_of_entity.get(entity.id) or copied_records.get(record_of(m), "")
            if owner:
                m.claim, m.owner, m.trust = "copied", owner, min(m.trust, COPIED_TRUST)
            else:
                rest[m.source.case].append(m)
        source = len(rest) >= 2
        trust = SOURCE_NAME_TRUST if entity.kind in ("name", "address") else SOURCE_TRUST
        for found in rest.values():
            for m in found:
                m.claim = "source" if source else "claim"
                if source:
                    m.trust = max(m.trust, trust)
