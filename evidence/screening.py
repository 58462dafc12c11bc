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
from dataclasses import dataclass, field
from dataclasses import fields as dc_fields

from stdnum import ean
from stdnum.cn import uscc

from evidence.labels import (
    LabelFields,
    extract_fields,
    is_health_food,
    is_infant_formula,
    normalise,
    read_licence,
)
from evidence.rules import (
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

CONFIDENT = 0.90  # RapidOCR line scores on clean label text sit at 0.95-1.0
ACCUSATIONS = ("obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum", "license_region_mismatch",
               "brand_lookalike")

# reread(line) -> other readings of the same line, as (text, confidence)
Reread = Callable[[object], list[tuple[str, float]]]


@dataclass
class Finding:
    """One screening result: what is wrong, how sure, under which rule, on which printed text."""

    code: str
    severity: str
    message: str
    basis: str
    evidence: str
    suspected: str | None = None  # for needs_review: the accusation that was held back
    readings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {"code": self.code, "severity": self.severity, "message": self.message, "basis": self.basis,
                "evidence": self.evidence}
        if self.suspected:
            data["suspected"] = self.suspected
        if self.readings:
            data["readings"] = self.readings
        return data


def _finding(rule_code: str, evidence: str, **values) -> Finding:
    rule = RULES[rule_code]
    return Finding(code=rule_code, severity=rule.severity, message=rule.message.format(**values), basis=rule.basis,
                   evidence=evidence)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


class _Readings:
    """Where a value was printed and how confidently it was read, with a second look when needed."""

    def __init__(self, ocr, reread: Reread | None) -> None:
        self.lines = list(getattr(ocr, "lines", []) or [])
        self.reread = reread
        self.from_ocr = ocr is not None

    def line_of(self, needle: str):
        key = _squash(needle)
        for line in self.lines:
            if key and key in _squash(line.text):
                return line
        return None

    def confirm(self, needle: str, still_bad: Callable[[str], bool | None]) -> tuple[bool, list[str]]:
        """(accusation stands, readings).  Typed text is taken as read; OCR text must be confident.

        ``still_bad(reading)`` says whether another reading still shows the problem (True), shows
        it gone (False), or does not show the value at all (None: a garbled crop proves nothing).
        The accusation stands when a confident second reading confirms it and none refutes it.
        """
        if not self.from_ocr:
            return True, []
        line = self.line_of(needle)
        if line is None:
            return False, [needle]
        if line.confidence >= CONFIDENT:
            return True, [line.text]
        readings = [line.text]
        if self.reread is None:
            return False, readings
        others = self.reread(line)
        readings += [text for text, _ in others]
        verdicts = [(still_bad(text), conf) for text, conf in others]
        refuted = any(v is False and conf >= 0.6 for v, conf in verdicts)
        confirmed = any(v is True and conf >= CONFIDENT for v, conf in verdicts)
        return confirmed and not refuted, readings


def screen(fields, text: str | None = None, ocr=None, registry=None, *, reread: Reread | None = None,
           ) -> list[Finding]:
    """The findings for one label.

    ``fields``: :class:`LabelFields` or its dict; ``text``: the label text (default: the OCR text);
    ``ocr``: the :class:`~evidence.ocr.OcrResult` (gives confidences: without it the text is taken
    as typed, i.e. certain); ``registry``: a :class:`~evidence.brands.BrandRegistry` (default: the
    shipped one); ``reread``: a second look at a doubtful line (see module doc).
    """
    if isinstance(fields, dict):
        known = {f.name for f in dc_fields(LabelFields)}
        fields = LabelFields(**{k: v for k, v in fields.items() if k in known})
    if text is None:
        text = getattr(ocr, "text", None) or ""
    text = normalise(text) if "\n" not in text else "\n".join(normalise(t) for t in text.splitlines())
    if registry is None:
        from evidence.brands import default_registry

        registry = default_registry()
    reads = _Readings(ocr, reread)
    kind = fields.product_type
    findings: list[Finding] = []

    three_no = not fields.manufacturer and not fields.address
    if three_no:
        if reads.from_ocr and _poor_reading(ocr):
            findings.append(_review("三无判断（未识读到生产者名称和地址）", "three_no", [ocr.text[:200]]))
        else:
            extra = "" if fields.production_date or fields.date_elsewhere else "、生产日期"
            extra += "" if fields.license_no or kind != "food" else "、生产许可证编号"
            findings.append(_finding("three_no", fields.product_name or "(未识读到产品名称)",
                                     extra=(extra and "，亦未标注" + extra.lstrip("、"))))
    findings += _missing(fields, kind, three_no, reads, ocr)
    findings += _qs(fields, reads)
    findings += _barcode(fields, reads)
    findings += _credit_code(fields, reads)
    findings += _region(fields, reads)
    if kind in CCC_PRODUCT_TYPES and not fields.ccc_cert_no and not re.search(r"CCC|3C|中国强制性产品认证", text):
        if reads.from_ocr and _poor_reading(ocr):
            findings.append(_review("未识读到 CCC 证书编号（识读质量差）", "missing_ccc", [ocr.text[:200]]))
        else:
            findings.append(_finding("missing_ccc", fields.product_name or text[:40],
                                     product=fields.product_name or "该产品"))
    if kind == "food":
        findings += _claims(text, fields)
        findings += _registration(text, fields)
    findings += _lookalike(fields, text, registry, reads)
    return findings


def _poor_reading(ocr) -> bool:
    lines = getattr(ocr, "lines", [])
    if len(lines) < 3:
        return True
    return sum(line.confidence for line in lines) / len(lines) < 0.75


def _review(what: str, suspected: str, readings: list[str]) -> Finding:
    finding = _finding("needs_review", readings[0] if readings else "", what=what,
                       readings=" / ".join(readings) or "无")
    finding.suspected = suspected
    finding.readings = readings
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
        if name == "license_no" and kind != "food":
            continue
        out.append(_finding(f"missing_{name}", "(标签上未见该项)"))
    return out


def _qs(fields: LabelFields, reads: _Readings) -> list[Finding]:
    licence = fields.license_no or ""
    if not licence.startswith("QS"):
        return []
    date = fields.production_date
    if not date:
        return [_review("QS 标志，但未识读到生产日期，无法判断是否晚于 2018-10-01", "obsolete_qs_mark", [licence])]
    if date < QS_CUTOFF:
        return []
    ok, readings = reads.confirm(licence[2:], lambda t: True if "QS" in _squash(t).upper() else None)
    if not ok:
        return [_review(f"疑似 QS 标志 {licence}", "obsolete_qs_mark", readings)]
    return [_finding("obsolete_qs_mark", licence, license=licence, date=date)]


def _barcode(fields: LabelFields, reads: _Readings) -> list[Finding]:
    code = fields.barcode
    if not code or len(code) != 13 or ean.is_valid(code):
        return []

    def still_bad(text: str) -> bool | None:
        found = re.search(r"(?<!\d)\d{13}(?!\d)", _squash(text))
        return None if not found else not ean.is_valid(found.group(0))

    ok, readings = reads.confirm(code, still_bad)
    if not ok:
        return [_review(f"商品条码 {code} 校验位不符", "bad_barcode_checksum", readings)]
    return [_finding("bad_barcode_checksum", code, barcode=code, expected=ean.calc_check_digit(code[:12]))]


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

    def still_bad(text: str) -> bool | None:
        found = re.search(r"[0-9A-Z]{18}", _squash(text).upper())
        return None if not found else not uscc.is_valid(found.group(0))

    ok, readings = reads.confirm(code, still_bad)
    if not ok:
        return [_review(f"统一社会信用代码 {code} 校验位不符", "bad_credit_code_checksum", readings)]
    return [_finding("bad_credit_code_checksum", code, code=code, expected=expected)]


def address_province(address: str | None) -> str | None:
    """The GB/T 2260 province code of an address, from its province or (via cpca) its city name."""
    if not address:
        return None
    for code, (name, _) in PROVINCES.items():
        if address.startswith(name) or address[:6].find(name) == 0:
            return code
    try:
        import cpca

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


def _region(fields: LabelFields, reads: _Readings) -> list[Finding]:
    codes, shown = licence_provinces(fields.license_no)
    if not codes:
        return []
    where = address_province(fields.address)
    if where is None or where in codes:
        return []
    licence = fields.license_no or ""

    def still_bad(text: str) -> bool | None:
        again, _ = licence_provinces(read_licence(None, normalise(text)))
        return None if not again else where not in again

    ok, readings = reads.confirm(licence[2:] if licence.startswith("SC") else licence, still_bad)
    if ok and fields.address:
        ok, more = reads.confirm(fields.address[:6], lambda t: _same_province(t, where))
        readings += more[1:] if len(more) > 1 else []
    if not ok:
        return [_review(f"许可证 {licence} 与地址省份不一致", "license_region_mismatch", readings)]
    name = "、".join(PROVINCES[c][0] for c in sorted(codes) if c in PROVINCES) or "未知省份代码"
    return [_finding("license_region_mismatch", f"{licence}；{fields.address}", license=licence, code=shown,
                     licence_province=name, address_province=PROVINCES[where][0])]


def _same_province(text: str, where: str) -> bool | None:
    found = address_province(re.sub(r"^[^:：]{0,8}[:：]", "", normalise(text)).strip())
    return None if found is None else found == where


def _claims(text: str, fields: LabelFields) -> list[Finding]:
    out = []
    line_of = {w: next((ln for ln in text.splitlines() if w in ln), w) for w in DISEASE_CLAIMS + HEALTH_CLAIMS}
    disease = [w for w in DISEASE_CLAIMS if w in text]
    approved = bool(fields.registration_no and re.search(r"健", fields.registration_no))
    health = [w for w in HEALTH_CLAIMS if w in text] if not approved else []
    if disease or health:
        words = disease + health
        extra = "（普通食品不得声称疾病预防、治疗功能）" if disease else "（未标注保健食品注册或备案号，不得声称保健功能）"
        evidence = "；".join(dict.fromkeys(line_of[w] for w in words))
        out.append(_finding("prohibited_claim", evidence, claim="、".join(words), extra=extra))
    zero = [w for w in ZERO_ADDITIVE if w in text]
    if zero and not out:
        line = next((ln for ln in text.splitlines() if zero[0] in ln), zero[0])
        out.append(_finding("zero_additive_claim", line, claim=zero[0]))
    return out


def _registration(text: str, fields: LabelFields) -> list[Finding]:
    number = fields.registration_no or ""
    if is_infant_formula(text) and "国食注字" not in number:
        return [_finding("missing_registration", fields.product_name or "", kind="婴幼儿配方乳粉",
                         number="产品配方注册号（国食注字）")]
    if is_health_food(text) and not re.search(r"国食健|食健备|卫食健", number):
        return [_finding("missing_registration", fields.product_name or "", kind="保健食品",
                         number="保健食品注册号或备案号（国食健注/食健备）")]
    return []


def _lookalike(fields: LabelFields, text: str, registry, reads: _Readings) -> list[Finding]:
    """Brand names stand in the title and at the start of the product name: look only there."""
    places = [p for p in (fields.title, fields.product_name) if p]
    if not places:
        return []
    matches = [registry.match(p, anchored=True) for p in places]
    genuine = {m.genuine for m in matches if m.genuine}
    best = None
    for m in matches:
        for look in m.lookalikes:
            if look.brand in genuine or any(registry.same_family(look.brand, g) for g in genuine):
                continue
            if best is None or look.score > best.score:
                best = look
    if best is None:
        return []
    readings: list[str] = []
    doubt = None
    if len(matches) == 2 and reads.from_ocr:
        # the name is printed twice (title, product name): both readings must show the same copy
        echoes = [next((x for x in m.lookalikes if x.brand == best.brand), None) for m in matches]
        if any(e is None or e.matched != best.matched for e in echoes):
            doubt = f"名称两处识读不一致（{places[0]} / {places[1]}）"
            readings = places
    owner = registry.brands[best.brand].owner
    if doubt is None and fields.manufacturer and owner and _squash(owner)[:4] in _squash(fields.manufacturer):
        doubt = "生产者为正品品牌方，疑为识读误差"
    if doubt is None:
        def still_copy(text: str) -> bool | None:
            seen = registry.match(normalise(text))
            if seen.genuine == best.brand:
                return False  # the other reading shows the genuine name
            return True if any(x.brand == best.brand for x in seen.lookalikes) else None

        ok, readings = reads.confirm(best.matched, still_copy)
        if not ok:
            doubt = f"疑似仿冒“{best.brand}”的名称“{best.matched}”识读置信度不足"
    if doubt:
        return [_review(doubt, "brand_lookalike", readings or [best.matched])]
    finding = _finding("brand_lookalike", best.matched, matched=best.matched, brand=best.brand, owner=owner or "品牌方",
                       reasons="；".join(best.reasons))
    return [finding]


def screen_text(text: str, registry=None) -> tuple[LabelFields, list[Finding]]:
    """Fields and findings from typed or pasted label text (no OCR: the text is taken as certain)."""
    fields = extract_fields(text)
    return fields, screen(fields, text=text, registry=registry)
