"""Screen a seized item, not a photo: the union of what every photo of the item shows.

An officer photographs a product from several sides; the maker may be on the back, the name on
the front, the barcode underneath.  Each photo is read and screened for what its text proves
(a failed check digit, a copied mark, a QS mark); the fields of all photos are joined, and where
two photos read one field differently both readings are shown.  What no photo shows is
``not_visible``: only a ``complete`` item (every side photographed, or the officer's word) may
be called three-no or missing an item.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from dataclasses import fields as dc_fields

from evidence.labels.label_fields import FIELD_NAMES, LabelFields, normalise
from evidence.labels.screening import (
    Finding,
    _absences,
    _claims,
    _poor_reading,
    _Readings,
    _review,
    not_visible,
    screen,
)

__all__ = ["ItemPhoto", "ItemScreening", "join_fields", "screen_item"]

_JOINED = (*FIELD_NAMES, "title", "brand", "model_no", "registration_no")
ITEM_ONLY = ("three_no", "missing_ccc", "not_visible")


@dataclass
class ItemPhoto:
    """One photo of an item as read: its name, fields, OCR reading (None for typed text) and re-reader."""

    image: str
    fields: LabelFields
    ocr: object = None
    reread: object = None
    text: str = ""


@dataclass
class ItemScreening:
    """What an item's photos show together.

    ``fields``: the joined fields; ``sources``: the photo each value came from; ``disagreements``:
    the fields two photos read differently (each value with its photo); ``findings``: the item's
    findings (each photo's accusations and reviews once, then what the item as a whole lacks or
    does not show); ``complete``: whether absences could be judged.
    """

    fields: LabelFields
    sources: dict = field(default_factory=dict)
    disagreements: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    complete: bool = False

    def to_dict(self) -> dict:
        return {"fields": self.fields.to_dict(), "sources": self.sources, "disagreements": self.disagreements,
                "findings": [f.to_dict() for f in self.findings], "complete": self.complete}


def _key(value) -> str:
    """The form in which two readings are compared: NFKC, simplified, no spaces or punctuation."""
    text = normalise(str(value))
    return re.sub(r"[\s:：,，.。;；()（）\-]", "", unicodedata.normalize("NFKC", text)).upper()


def join_fields(photos: list[ItemPhoto]) -> tuple[LabelFields, dict, list[dict]]:
    """(joined fields, source photo per field, disagreements) over the photos of one item."""
    joined = LabelFields()
    sources: dict[str, str] = {}
    disagreements = []
    for name in _JOINED:
        seen = [(p.image, getattr(p.fields, name)) for p in photos if getattr(p.fields, name)]
        if not seen:
            continue
        if isinstance(seen[0][1], list):
            merged = list(dict.fromkeys(v for _, values in seen for v in values))
            setattr(joined, name, merged)
            sources[name] = seen[0][0]
            continue
        setattr(joined, name, seen[0][1])
        sources[name] = seen[0][0]
        if len({_key(v) for _, v in seen}) > 1:
            disagreements.append({"field": name, "values": [{"image": img, "value": v} for img, v in seen]})
    joined.date_elsewhere = any(p.fields.date_elsewhere for p in photos)
    joined.expiry_date = next((p.fields.expiry_date for p in photos if p.fields.expiry_date), None)
    joined.parties = [party for p in photos for party in p.fields.parties]
    joined.made_by = next((p.fields.made_by for p in photos if p.fields.made_by), None)
    joined.nutrition = next((p.fields.nutrition for p in photos if p.fields.nutrition), [])
    kinds = Counter(p.fields.product_type for p in photos if p.fields.product_type != "unknown")
    joined.product_type = kinds.most_common(1)[0][0] if kinds else "unknown"
    return joined, sources, disagreements


def screen_item(photos: list[ItemPhoto], *, complete: bool = False, registry=None) -> ItemScreening:
    """The findings of one item from all its photos.

    Parameters
    ----------
    photos : list of ItemPhoto
        Every photo of the item, read (or typed text with ``ocr=None``).
    complete : bool
        Every side was photographed, or the officer says the photos show the whole label.
    registry : BrandRegistry, optional

    Returns
    -------
    ItemScreening
    """
    if registry is None:
        from evidence.labels.brands import default_registry

        registry = default_registry()
    joined, sources, disagreements = join_fields(photos)
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for photo in photos:
        for finding in screen(photo.fields, text=photo.text or None, ocr=photo.ocr, registry=registry,
                              reread=photo.reread, complete=False):
            if finding.code in ITEM_ONLY:
                continue
            key = (finding.code, finding.suspected, finding.evidence)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    text = "\n".join(p.text or getattr(p.ocr, "text", "") or "" for p in photos)
    text = "\n".join(normalise(t) for t in text.splitlines())
    kind = joined.product_type
    if complete:
        read = [p.ocr for p in photos if p.ocr is not None]
        if read and all(_poor_reading(ocr) for ocr in read):
            findings.append(_review("photos_poor", "three_no", [read[0].text[:200]]))
        else:
            findings += _absences(joined, kind, text, _Readings(None, None), None)
        if kind == "food":  # a health claim is judged with every side seen (its number may be on another)
            claims = [f for f in _claims(text, joined) if f.code == "prohibited_claim"]
            if claims:
                findings = [f for f in findings if f.code != "prohibited_claim"
                            and f.suspected != "prohibited_claim"] + claims
    else:
        findings += not_visible(joined, kind, text, where="item")
    return ItemScreening(fields=joined, sources=sources, disagreements=disagreements, findings=findings,
                         complete=complete)


def fields_from_dict(data: dict) -> LabelFields:
    """LabelFields from its dict form (``LabelFields.to_dict``), unknown keys ignored."""
    known = {f.name for f in dc_fields(LabelFields)}
    return LabelFields(**{k: v for k, v in data.items() if k in known})
