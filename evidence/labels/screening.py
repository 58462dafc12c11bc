"""Label fields -> findings, each with its severity, its legal basis and the text it rests on.

No false accusations: a finding that says something is forged or wrong (a check digit, a licence
region, a lookalike brand, a QS mark) must rest on a confident reading.  When the characters
involved were read with low confidence, the crop is read again (enlarged, other engine) through
the ``reread`` callback; if the readings still disagree or stay doubtful, the screener reports
``needs_review`` with every reading instead of the accusation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from dataclasses import fields as dc_fields

from stdnum import ean
from stdnum.cn import uscc

from evidence.certification.ccc_catalogue import needs_ccc
from evidence.claims.claim_screening import label_claims
from evidence.labels.confusions import engine_repairs, one_confusion_variants, repairs
from evidence.labels.finding_rules import (
    CCC_PRODUCT_TYPES,
    DISEASE_CLAIMS,
    HEALTH_CLAIMS,
    MANDATORY,
    PROVINCES,
    QS_CUTOFF,
    RULES,
    THREE_NO_SUBSUMES,
    ZERO_ADDITIVE,
)
from evidence.labels.label_fields import (
    LabelFields,
    extract_fields,
    is_health_food,
    is_infant_formula,
    normalise,
    read_credit_code,
    read_digits,
    read_licence,
)
from evidence.labels.label_provinces import address_province, licence_provinces, same_province
from safeio.identifier_grammar import USCC_OCR_CONFUSIONS

__all__ = ["ACCUSATIONS", "CONFIDENT", "Finding", "address_province", "licence_provinces", "screen", "screen_text"]

CONFIDENT = 0.90  # RapidOCR line scores on clean label text sit at 0.95-1.0
AGREEING = 0.75  # the least confidence of a second engine that reads exactly what the first read
ACCUSATIONS = ("obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum", "license_region_mismatch",
               "brand_lookalike")

# reread(line) -> other readings of the same line, as (text, confidence) or (text, confidence, engine name)
Reread = Callable[[object], list[tuple[str, float]]]


@dataclass
class Finding:
    """One screening result: what is wrong, how sure, under which rule, on which printed text.

    ``values`` are what the finding's message needs (codes, numbers, names as printed); the words
    are made at the edge (casebook's finding words), in the reader's language."""

    code: str
    severity: str
    basis: str
    evidence: str
    values: dict = field(default_factory=dict)
    suspected: str | None = None  # for needs_review: the accusation that was held back
    readings: list[str] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)  # valid codes one OCR confusion away
    details: dict = field(default_factory=dict)  # data for displays: lookalike signals and tricks

    def to_dict(self) -> dict:
        data = {"code": self.code, "severity": self.severity, "basis": self.basis, "evidence": self.evidence,
                "values": self.values}
        if self.suspected:
            data["suspected"] = self.suspected
        if self.readings:
            data["readings"] = self.readings
        if self.alternatives:
            data["alternatives"] = self.alternatives
        if self.details:
            data["details"] = self.details
        return data


def _finding(rule_code: str, evidence: str, **values) -> Finding:
    rule = RULES[rule_code]
    return Finding(code=rule_code, severity=rule.severity, basis=rule.basis, evidence=evidence, values=values)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


_LOOKS_SAME = str.maketrans("1Il|0O", "lllloo")


def _as_seen(text: str) -> str:
    """The text with the Latin glyphs an OCR engine takes for one another made one (1 l I |, 0 O):
    two readings of one printed Latin mark (Spr1te / Sprlte) are the same reading."""
    return _squash(text).translate(_LOOKS_SAME)


class _Readings:
    """Where a value was printed and how confidently it was read, with a second look when needed."""

    def __init__(self, ocr, reread: Reread | None, alternatives=None) -> None:
        self.lines = list(getattr(ocr, "lines", []) or [])
        self.engine = getattr(ocr, "engine", None)
        self.reread = reread
        self.alternatives = alternatives
        self.from_ocr = ocr is not None

    def line_of(self, needle: str):
        """The line a value was read from; an identifier is found as printed too (…WHWOU for the
        field's …WHW0U: the field maps OCR's letter lookalikes back)."""
        key = _squash(needle)
        for line in self.lines:
            if key and key in _squash(line.text):
                return line
        code = _squash(needle).upper().translate(USCC_OCR_CONFUSIONS)
        if len(code) >= 8 and re.fullmatch(r"[0-9A-Z]+", code):
            for line in self.lines:
                if code in _squash(line.text).upper().translate(USCC_OCR_CONFUSIONS):
                    return line
        return None

    def confirm(self, needle: str, still_bad: Callable[[str], bool | None], *,
                doubtful: bool = False, other_engine: bool = False) -> tuple[bool, list[str]]:
        """(accusation stands, readings).  Typed text is taken as read; OCR text must be confident.

        ``doubtful``: one common OCR confusion would explain the problem, so even a confident first
        reading needs a second reading of the crop that shows the same characters.

        ``still_bad(reading)`` says whether another reading still shows the problem (True), shows
        it gone (False), or does not show the value at all (None: a garbled crop proves nothing).
        The accusation stands when a confident second reading confirms it and none refutes it.

        ``other_engine``: the problem is one of the engine's own confusions away from a valid value;
        the engine repeats its confusions on an enlarged crop, so only the other engine's reading
        confirms.  (A reading given as (text, confidence) without its engine counts as another's.)
        """
        if not self.from_ocr:
            return True, []
        line = self.line_of(needle)
        if line is None:
            return False, [needle]
        if line.confidence >= CONFIDENT and not doubtful:
            return True, [line.text]
        readings = [line.text]
        if self.reread is None:
            return False, readings
        others = [(item[0], item[1], item[2] if len(item) > 2 else None) for item in self.reread(line)]
        readings += [text for text, _, _ in others]
        verdicts = [(still_bad(text), conf, engine) for text, conf, engine in others]
        refuted = any(v is False and conf >= 0.6 for v, conf, _ in verdicts)
        confirmed = any(v is True and conf >= CONFIDENT and not (other_engine and engine == self.engine)
                        for v, conf, engine in verdicts)
        # two engines (other models, other confusions) that read the same characters agree even when the
        # second is less sure of itself: Tesseract scores clean digits in the high 0.8s
        key = _squash(needle)
        agreed = line.confidence >= CONFIDENT and any(
            v is True and conf >= AGREEING and engine is not None and engine != self.engine
            and (key in _squash(text) or key in read_digits(_squash(text)))
            for (v, conf, engine), (text, _, _) in zip(verdicts, others, strict=True))
        return (confirmed or agreed) and not refuted, readings


def screen(fields, text: str | None = None, ocr=None, registry=None, *, reread: Reread | None = None,
           complete: bool | None = None, alternatives=None) -> list[Finding]:
    """The findings for one label.

    Parameters
    ----------
    fields : LabelFields or dict
        The label's fields (:func:`evidence.labels.label_fields.extract_fields`).
    text : str, optional
        The label text (default: the OCR text).
    ocr : OcrResult, optional
        The reading with its confidences; without it the text is taken as typed, i.e. certain.
    registry : BrandRegistry, optional
        Genuine marks (default: the shipped registry).
    reread : callable, optional
        ``reread(line) -> [(text, confidence), ...]``: second readings of a doubtful line.
    complete : bool, optional
        The text shows the whole label (every side photographed, or the officer says so).  Only
        then may ``three_no``, ``missing_*`` and ``missing_ccc`` be found; otherwise what is not
        seen is reported as ``not_visible``.  Default: typed text is complete (the officer's
        word), an OCR reading of one photo is not.
    alternatives : callable, optional
        ``alternatives(line, mark) -> [(position, other character, share)]``: what else the
        recogniser saw in a mark read on a line (:func:`evidence.labels.mark_doubts.make_alternatives`);
        a genuine mark read where it also saw a lookalike character is held for review.

    Returns
    -------
    list of Finding
        Each with code, severity, legal basis, the text it rests on and the values of its message.
    """
    if isinstance(fields, dict):
        known = {f.name for f in dc_fields(LabelFields)}
        fields = LabelFields(**{k: v for k, v in fields.items() if k in known})
    if text is None:
        text = getattr(ocr, "text", None) or ""
    text = normalise(text) if "\n" not in text else "\n".join(normalise(t) for t in text.splitlines())
    if registry is None:
        from evidence.labels.brands import default_registry

        registry = default_registry()
    reads = _Readings(ocr, reread, alternatives)
    kind = fields.product_type
    findings: list[Finding] = []
    if complete is None:
        complete = ocr is None
    if complete:
        findings += _absences(fields, kind, text, reads, ocr)
    else:
        findings += not_visible(fields, kind, text)
    findings += _qs(fields, reads)
    findings += _barcode(fields, reads)
    findings += _credit_code(fields, reads)
    findings += _region(fields, reads)
    if kind == "food":
        claims = _claims(text, fields)
        findings += claims if complete else [_held_claim(f, text) for f in claims]
    findings += [_finding(f.code, f.evidence, **f.values) for f in label_claims(text, kind)]
    findings += _lookalike(fields, text, registry, reads)
    return findings


def _held_claim(finding: Finding, text: str) -> Finding:
    """A health-function claim on part of a package: its registration number may be on a side not seen."""
    if finding.code != "prohibited_claim" or any(w in text for w in DISEASE_CLAIMS):
        return finding
    return _review("health_claim_unseen_number", "prohibited_claim", [finding.evidence])


def _needs_ccc(fields: LabelFields, kind: str, text: str) -> str | None:
    """The catalogue product the label names, if it is one that needs CCC."""
    return needs_ccc(fields.product_name, fields.title, text if kind in CCC_PRODUCT_TYPES else None)


def _has_ccc(fields: LabelFields, text: str) -> bool:
    return bool(fields.ccc_cert_no or re.search(r"CCC|3C|中国强制性产品认证", text))


def not_visible(fields: LabelFields, kind: str, text: str, where: str = "photo") -> list[Finding]:
    """What the mandatory items of a label would be, but the photos do not show: ``not_visible`` (info).

    ``where``: ``photo`` (this photo) or ``item`` (any photo of the item).  A photo of one side of a
    product says nothing about the other sides: nothing here is missing."""
    names = [n for n in MANDATORY.get(kind, MANDATORY["unknown"]) if not getattr(fields, n)
             and not (n == "production_date" and (fields.date_elsewhere or fields.expiry_date))
             and not (n == "shelf_life" and fields.expiry_date)]
    if _needs_ccc(fields, kind, text) and not _has_ccc(fields, text):
        names.append("ccc_cert_no")
    if not names:
        return []
    finding = _finding("not_visible", "(照片未见)", where=where, items=names)
    finding.details = {"not_visible": names}
    return [finding]


def _absences(fields: LabelFields, kind: str, text: str, reads: _Readings, ocr) -> list[Finding]:
    """three_no, missing_* and missing_ccc: what a whole label does not print."""
    findings: list[Finding] = []
    three_no = not fields.manufacturer and not fields.address
    if three_no:
        if reads.from_ocr and _poor_reading(ocr):
            findings.append(_review("three_no_unread", "three_no", [ocr.text[:200]]))
        else:
            also = [] if fields.production_date or fields.date_elsewhere else ["production_date"]
            also += [] if fields.license_no or kind != "food" else ["license_no"]
            findings.append(_finding("three_no", fields.product_name or "(未识读到产品名称)", also=also))
    findings += _missing(fields, kind, three_no, reads, ocr)
    if _needs_ccc(fields, kind, text) and not _has_ccc(fields, text):
        if reads.from_ocr and _poor_reading(ocr):
            findings.append(_review("ccc_unread", "missing_ccc", [ocr.text[:200]]))
        else:
            findings.append(_finding("missing_ccc", fields.product_name or text[:40], product=fields.product_name))
    if kind == "food":
        findings += _registration(text, fields)
    return findings


def _poor_reading(ocr) -> bool:
    """A photo read too poorly to say what the label does not print.

    Few lines read with confidence are a label that prints little (a three-no label often prints
    only a name); few lines read doubtfully, or many read badly, are a poor photo."""
    lines = getattr(ocr, "lines", [])
    if not lines:
        return True
    mean = sum(line.confidence for line in lines) / len(lines)
    return mean < 0.75 or (len(lines) < 3 and mean < CONFIDENT)


def _review(what: str, suspected: str, readings: list[str], alternatives: list[str] | None = None,
            **values) -> Finding:
    """``needs_review`` of the accusation ``suspected``: ``what`` (a code) and its ``values`` say what is uncertain."""
    finding = _finding("needs_review", readings[0] if readings else "", what=what, **values, readings=list(readings))
    finding.suspected = suspected
    finding.readings = readings
    finding.alternatives = list(alternatives or [])
    return finding


def _missing(fields: LabelFields, kind: str, three_no: bool, reads: _Readings, ocr) -> list[Finding]:
    if reads.from_ocr and _poor_reading(ocr):
        return []  # an unreadable photo says nothing about what the label prints
    out = []
    for name in MANDATORY.get(kind, MANDATORY["unknown"]):
        if three_no and name in THREE_NO_SUBSUMES:
            continue
        value = getattr(fields, name)
        if value or (name == "production_date" and fields.date_elsewhere):
            continue
        if name == "shelf_life" and fields.expiry_date:  # "保质期至 2027-04-06" states the shelf life
            continue
        out.append(_finding(f"missing_{name}", "(标签上未见该项)"))
    return out


def _qs(fields: LabelFields, reads: _Readings) -> list[Finding]:
    licence = fields.license_no or ""
    if not licence.startswith("QS"):
        return []
    date = fields.production_date
    if not date:
        return [_review("qs_no_date", "obsolete_qs_mark", [licence])]
    if date < QS_CUTOFF:
        return []
    ok, readings = reads.confirm(licence[2:], lambda t: True if "QS" in _squash(t).upper() else None)
    if not ok:
        return [_review("qs_doubtful", "obsolete_qs_mark", readings, license=licence)]
    return [_finding("obsolete_qs_mark", licence, license=licence, date=date)]


def _barcode(fields: LabelFields, reads: _Readings) -> list[Finding]:
    code = fields.barcode
    if not code or len(code) != 13 or ean.is_valid(code):
        return []

    fixes = repairs(code, "0123456789", ean.is_valid)

    def still_bad(text: str) -> bool | None:
        found = re.search(r"(?<![\dA-Z])\d{13}(?![\dA-Z])", read_digits(_squash(text)))
        if not found:
            return None
        if found.group(0) == code:
            return True
        # another reading refutes when it is itself a valid code; one failing its check too says,
        # when one confusion would repair the code, that the digits are in doubt, not that it is good
        if ean.is_valid(found.group(0)):
            return False
        return None if fixes else True

    # any one misread digit can fail a check digit: a second, independent reading must show the same digits
    own = engine_repairs(code, ean.is_valid, reads.engine)
    ok, readings = reads.confirm(code, still_bad, doubtful=True, other_engine=bool(own))
    if not ok:
        return [_review("barcode_check", "bad_barcode_checksum", readings, fixes, barcode=code, fixes=fixes)]
    return [_finding("bad_barcode_checksum", code, barcode=code, expected=ean.calc_check_digit(code[:12]))]


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _credit_code(fields: LabelFields, reads: _Readings) -> list[Finding]:
    code = fields.credit_code
    if not code or len(code) != 18:
        return []
    try:
        valid = uscc.is_valid(code)
        expected = uscc.calc_check_digit(code[:17])
    except Exception:
        valid, expected = False, "?"
    if valid:
        return []

    fixes = repairs(code, USCC_ALPHABET, uscc.is_valid)

    def still_bad(text: str) -> bool | None:
        found = re.search(r"[0-9A-Z]{18}", _squash(text).upper())
        if not found:
            return None
        if read_credit_code(found.group(0)) == code:
            return True
        if uscc.is_valid(found.group(0)):
            return False
        return None if fixes else True

    own = engine_repairs(code, uscc.is_valid, reads.engine)
    ok, readings = reads.confirm(code, still_bad, doubtful=True, other_engine=bool(own))
    if not ok:
        return [_review("credit_check", "bad_credit_code_checksum", readings, fixes, code=code, fixes=fixes)]
    return [_finding("bad_credit_code_checksum", code, code=code, expected=expected)]


def _region(fields: LabelFields, reads: _Readings) -> list[Finding]:
    codes, shown = licence_provinces(fields.license_no)
    if not codes:
        return []
    where = address_province(fields.address)
    if where is None or where in codes:
        return []
    licence = fields.license_no or ""
    if not _one_party(fields, reads, licence):
        return []  # the licence and the address were printed for different parties: nothing to compare

    def still_bad(text: str) -> bool | None:
        again, _ = licence_provinces(read_licence(None, normalise(text)))
        return None if not again else where not in again

    fixes = []
    if licence.startswith("SC") and len(licence) == 16:
        fixes = [v for i, v in one_confusion_variants(licence, "0123456789") if i in (5, 6) and v[5:7] == where]
    ok, readings = reads.confirm(licence[2:] if licence.startswith("SC") else licence, still_bad, doubtful=bool(fixes))
    if not ok and fixes:
        return [_review("licence_region", "license_region_mismatch", readings, fixes, license=licence, fixes=fixes)]
    if ok and fields.address:
        ok, more = reads.confirm(fields.address[:6], lambda t: same_province(t, where))
        readings += more[1:] if len(more) > 1 else []
    if not ok:
        return [_review("licence_region", "license_region_mismatch", readings, license=licence, fixes=[])]
    return [_finding("license_region_mismatch", f"{licence}；{fields.address}", license=licence, code=shown,
                     licence_provinces=sorted(c for c in codes if c in PROVINCES), address_province=where)]


def _one_party(fields: LabelFields, reads: _Readings, licence: str) -> bool:
    """The licence and the address belong to one party: printed with it (parties) or in one layout block."""
    if fields.parties:
        owner = [p for p in fields.parties if p.get("licence") and read_licence(p["licence"], "") == licence]
        return len(owner) == 1 and _squash(normalise(owner[0].get("address") or "")).strip(" :;,，。") == _squash(
            normalise(fields.address or "")) and (
            sum(1 for p in fields.parties if p.get("code")) < 2 or fields.made_by == owner[0].get("name"))
    if not reads.from_ocr:
        return True
    at_licence = reads.line_of(licence[2:] if licence.startswith("SC") else licence)
    at_address = reads.line_of((fields.address or "")[:6])
    return bool(at_licence and at_address and at_licence.block == at_address.block)


def _claims(text: str, fields: LabelFields) -> list[Finding]:
    out = []
    line_of = {w: next((ln for ln in text.splitlines() if w in ln), w) for w in DISEASE_CLAIMS + HEALTH_CLAIMS}
    disease = [w for w in DISEASE_CLAIMS if w in text]
    approved = bool(fields.registration_no and re.search(r"健", fields.registration_no))
    health = [w for w in HEALTH_CLAIMS if w in text] if not approved else []
    if disease or health:
        words = disease + health
        evidence = "；".join(dict.fromkeys(line_of[w] for w in words))
        out.append(_finding("prohibited_claim", evidence, claims=words, kind="disease" if disease else "health"))
    zero = [w for w in ZERO_ADDITIVE if w in text]
    if zero and not out:
        line = next((ln for ln in text.splitlines() if zero[0] in ln), zero[0])
        out.append(_finding("zero_additive_claim", line, claim=zero[0]))
    return out


def _registration(text: str, fields: LabelFields) -> list[Finding]:
    number = fields.registration_no or ""
    if is_infant_formula(text) and "国食注字" not in number:
        return [_finding("missing_registration", fields.product_name or "", kind="infant_formula")]
    if is_health_food(text) and not re.search(r"国食健|食健备|卫食健", number):
        return [_finding("missing_registration", fields.product_name or "", kind="health_food")]
    return []


def _lookalike(fields: LabelFields, text: str, registry, reads: _Readings) -> list[Finding]:
    """A copy of a genuine mark, read where a shopper reads the mark (evidence.labels.marks), never elsewhere."""
    from evidence.labels.marks import mark_candidates

    marked = "\n".join(line for line in text.splitlines() if re.search(r"[®™Ⓡ]", line))
    # names are kept as printed (traditional characters too) and compared in simplified form
    simple = {name: normalise(getattr(fields, name)) if getattr(fields, name) else getattr(fields, name)
              for name in ("title", "product_name", "brand", "manufacturer")}
    fields = replace(fields, **simple)
    candidates = mark_candidates(title=fields.title, product_name=fields.product_name, brand=fields.brand,
                                 text=marked, known=registry.names)
    genuine = [c.text for c in candidates if c.text in registry and not c.where.endswith("_guess")]
    genuine += [p for p in (registry.known_prefix(_squash(fields.product_name or "")),
                            registry.known_prefix(_squash(fields.title or ""))) if p]
    looks = registry.lookalikes([c for c in candidates if c.text not in registry],
                                product_type=fields.product_type, product_name=fields.product_name,
                                exclude_family_of=genuine[0] if genuine else None)
    guesses = {c.text for c in candidates if c.where.endswith("_guess")} - {
        c.text for c in candidates if not c.where.endswith("_guess")}
    looks = [x for x in looks if _agreeing(x, x.matched in guesses)]
    if not looks:
        return _hidden_copy(genuine, registry, reads)
    best = looks[0]
    readings: list[str] = []
    doubt: dict | None = None  # what is uncertain: a code and its values
    places = [p for p in (fields.title, fields.product_name) if p]
    # the genuine mark of the same family printed elsewhere on the label (unless the name merely starts with it)
    elsewhere = any(registry.same_family(best.brand, g) and not _squash(best.matched).startswith(g) for g in genuine)
    if elsewhere or (len(places) == 2 and reads.from_ocr and not all(_as_seen(best.matched) in _as_seen(p) for p in places)
                     and _as_seen(places[0]) not in _as_seen(places[1])):
        # the mark is printed twice (title, product name): both readings must show the same copy
        doubt = {"what": "names_differ", "places": list(places)}
        readings = places
    owner = registry.brands[best.brand].owner
    if doubt is None and fields.manufacturer and owner and _squash(owner)[:4] in _squash(fields.manufacturer):
        doubt = {"what": "maker_is_owner"}
    if doubt is None:
        def still_copy(other: str) -> bool | None:
            seen = registry.match(extract_fields(other).product_name or normalise(other))
            if seen.genuine and registry.same_family(seen.genuine, best.brand):
                return False  # the other reading shows the genuine name
            return True if any(x.brand == best.brand for x in seen.lookalikes) else None

        # a copied mark is read twice: printed in two places (title and name) that agree, or read again
        # (two places that agree only once 1/l/I are made one still want a second reading of the crop)
        twice = len(places) == 2 and all(_squash(best.matched) in _squash(p) for p in places)
        ok, readings = reads.confirm(best.matched, still_copy, doubtful=not twice)
        if not ok:
            doubt = {"what": "name_unsure", "matched": best.matched, "brand": best.brand}
    details = {"lookalike": best.to_record()}
    if doubt:
        finding = _review(doubt.pop("what"), "brand_lookalike", readings or [best.matched], **doubt)
        finding.details = details
        return [finding]
    finding = _finding("brand_lookalike", best.matched, matched=best.matched, brand=best.brand, owner=owner or None,
                       tricks=[t.to_dict() for t in best.tricks])
    finding.details = details
    return [finding]


def _hidden_copy(genuine: list[str], registry, reads: _Readings) -> list[Finding]:
    """A registered mark read where the recogniser also saw a character that makes it a
    copy by shape (海天 where 夭 kept a share): OCR pulls a rare character towards the common one, so
    this is a reason to look at the package (``needs_review``), never an accusation."""
    from evidence.labels.hanzi import is_han
    from evidence.labels.mark_tricks import SHAPE_TRICKS

    if not reads.from_ocr or reads.alternatives is None:
        return []
    for mark in dict.fromkeys(genuine):
        line = reads.line_of(mark)
        if line is None or not all(is_han(c) for c in mark):
            continue
        for i, other, share in reads.alternatives(line, mark):
            char = mark[i]
            variant = mark[:i] + other + mark[i + 1:]
            look = registry.compare(mark, variant) if is_han(other) else None
            if look is not None and {t.kind for t in look.tricks} & SHAPE_TRICKS:
                finding = _review("mark_alternative", "brand_lookalike", [line.text, variant], mark=mark, char=char,
                                  other=other, share=f"{share:.2f}", variant=variant)
                finding.details = {"lookalike": look.to_record()}
                return [finding]
    return []


NEAR_EXACT = 0.95  # one character of near-identical shape: a guessed mark on the same kind of product suffices


def _agreeing(look, guessed: bool = False) -> bool:
    """Enough independent signals to name a copy: the package's own words, or two signals, or a near-exact name.

    One signal alone (a lookalike character on an unrelated product) is how ordinary names
    resemble one of thousands of marks; it is left unsaid.  A mark only guessed at (no product
    word showed where it ends) needs two signals of the name itself, or the package's two (category
    and product words), or a near-identical shape on the same kind of product.
    """
    name_signals = set(look.signals) - {"category", "packaging"}
    if guessed:
        # the package agrees twice (the genuine mark's kind of product, in its product words): the
        # end of the mark was only unmarked by a word we do not list (正秦|漏电断路器)
        return len(name_signals) >= 2 or {"category", "packaging"} <= set(look.signals) or (
            look.score >= NEAR_EXACT and "category" in look.signals)
    if "packaging" in look.signals:
        return True
    if len(name_signals) >= 2:
        return True
    return look.score >= 0.9 and "category" in look.signals


def screen_text(text: str, registry=None) -> tuple[LabelFields, list[Finding]]:
    """Fields and findings from typed or pasted label text (no OCR: the text is taken as certain).

    Parameters
    ----------
    text : str
        The label's words, one printed line per line.
    registry : BrandRegistry, optional
        Genuine marks (default: the shipped registry).

    Returns
    -------
    (LabelFields, list of Finding)
    """
    fields = extract_fields(text)
    return fields, screen(fields, text=text, registry=registry)
