"""Screen a captured listing: lookalike brands, CCC products and certificates, forbidden claims, the shown licence.

Each finding (:class:`evidence.certification.rule_flags.Flag`) carries the words as shown and where
they stand on the page: ``element`` (readable path), ``xpath`` and ``region`` (x, y, width, height
on the full-page screenshot, when :func:`evidence.web.listing_reader.locate` has run).

- ``brand_lookalike``: the mark a shopper reads (the title's first word, the 品牌 field) imitates a
  genuine one (:meth:`evidence.labels.brands.BrandRegistry.match`);
- ``ccc_not_shown``: the title names a catalogue product (:mod:`evidence.certification.ccc_catalogue`)
  and the page shows no certificate number; each number shown is checked against the grammar and,
  given a register, for its status on the date of sale (the capture's date), its maker and model
  (:func:`evidence.certification.cert_checks.check_certificate`);
- ``absolute_term``, ``medical_claim``, ``health_food_claim`` in the page's visible text
  (:mod:`evidence.claims.claim_screening`);
- ``bad_credit_code_checksum``: the credit code of the licence the shop shows fails its check.
"""

from __future__ import annotations

import re
from datetime import date

from evidence.certification.ccc_catalogue import needs_ccc
from evidence.certification.cert_checks import check_certificate
from evidence.certification.rule_flags import SEVERITY_ORDER, Flag
from evidence.claims.claim_screening import goods_kind, screen_claims
from evidence.web.listing_reader import Listing, ListingValue

__all__ = ["screen_listing"]

_TOKEN = re.compile(r"[\s/|｜,，]+")
_PROMO = re.compile(r"^\s*(?:[【\[〔(（][^】\]〕)）]{0,16}[】\]〕)）]\s*)+")
MIN_LOOKALIKE = 0.85


def _where(value: ListingValue | None) -> dict:
    if value is None:
        return {}
    return {"element": value.path, "xpath": value.xpath, "region": value.region, "shown": value.shown}


def _lookalike(listing: Listing, registry) -> list[Flag]:
    places = []
    if listing.brand is not None:
        places.append((listing.brand.value, listing.brand))
    if listing.title is not None:
        title = _PROMO.sub("", listing.title.value)
        first = next((t for t in _TOKEN.split(title) if t), "")
        if first:
            places.append((first, listing.title))
    for name, value in places:
        match = registry.match(name)
        if match.genuine:
            continue
        best = next((x for x in match.lookalikes if x.score >= MIN_LOOKALIKE), None)
        if best is None:
            continue
        flag = Flag("brand_lookalike", best.matched or name,
                    {"matched": best.matched or name, "brand": best.brand, "owner": best.owner or None,
                     "tricks": [t.to_dict() for t in best.tricks]}, where=_where(value))
        flag.where["lookalike"] = best.to_record()
        return [flag]
    return []


def _credit_code(listing: Listing) -> list[Flag]:
    from stdnum.cn import uscc

    value = listing.licence.get("credit_code")
    code = value.value if value is not None else ""
    if len(code) != 18 or not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", code):
        return []
    try:
        if uscc.is_valid(code):
            return []
        expected = uscc.calc_check_digit(code[:17])
    except Exception:  # a character outside the alphabet: the check cannot be computed
        return []
    return [Flag("bad_credit_code_checksum", code, {"code": code, "expected": expected}, where=_where(value))]


def screen_listing(listing: Listing, *, register=None, sale_date: date | None = None, registry=None) -> list[Flag]:
    """The findings of one captured listing, most serious first (then in page order).

    Parameters
    ----------
    listing : read by :func:`evidence.web.listing_reader.read_listing` (and located, for regions).
    register : a :class:`evidence.certification.cert_register.CertRegister` to check certificate numbers in.
    sale_date : the date the goods were on sale (the capture's date in Beijing time); default today.
    registry : genuine brands (default: the shipped registry).

    Returns
    -------
    list of Flag
    """
    if registry is None:
        from evidence.labels.brands import default_registry

        registry = default_registry()
    flags = _lookalike(listing, registry)
    title = listing.title.value if listing.title is not None else ""
    product = needs_ccc(title)
    if product is not None and not listing.ccc:
        flags.append(Flag("ccc_not_shown", title, {"product": product.word, "catalogue": product.entry.label}, where=_where(listing.title)))
    maker = listing.maker.value if listing.maker is not None else None
    model = listing.model.value if listing.model is not None else None
    for shown in listing.ccc:
        check = check_certificate(shown.value, register, sale_date=sale_date, maker=maker, model=model,
                                  where=_where(shown), evidence=shown.shown)
        flags += check.findings
    text = listing.text
    kind = goods_kind(text)
    for flag in screen_claims(text, kind=kind):
        value = listing.value_at(*flag.span)
        flag.where.update(_where(value))
        flags.append(flag)
    flags += _credit_code(listing)
    order = {id(f): n for n, f in enumerate(flags)}
    flags.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), order[id(f)]))
    return flags
