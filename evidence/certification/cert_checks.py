"""Check a CCC certificate number against the grammar and a register, for goods sold on a given date.

What is reported (docs/domain.md, "CCC"): a malformed number; a number not in the register; a
certificate suspended, withdrawn, cancelled or expired **at the date of sale** (a certificate
withdrawn after the sale was valid when the goods were sold); a holder, manufacturer and factory
none of which is the maker shown on the goods (a borrowed certificate); a model the certificate
does not cover.  Each finding names the register row it rests on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from evidence.certification.cert_numbers import FIRST_YEAR, parse_number
from evidence.certification.cert_register import CertRecord, CertRegister
from evidence.certification.rule_flags import Flag

__all__ = ["CertCheck", "check_certificate", "same_maker"]

_LEGAL_FORM = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|总公司|分公司|公司|电器厂|制造厂|厂|工厂|商行|经营部)$")
_PLACE = re.compile(r"^(.{2,3}?(省|自治区|市))?(.{1,4}?(市|县|区))?")
_BRACKET = re.compile(r"[（(][^）)]*[）)]")
_PUNCT = re.compile(r"[\s·\-—,，.。]")
STATUS_CODES = {"suspended": "ccc_suspended", "withdrawn": "ccc_withdrawn", "cancelled": "ccc_cancelled",
                "expired": "ccc_expired"}


@dataclass
class CertCheck:
    """The result for one number: its status on the sale date, the register row, and the findings."""

    number: str
    status: str  # malformed | not_registered | valid | suspended | withdrawn | cancelled | expired
    record: CertRecord | None
    sale_date: date
    findings: list[Flag] = field(default_factory=list)

    def to_dict(self) -> dict:
        """``{"number", "status", "sale_date", "register_row", "record", "findings"}``."""
        return {"number": self.number, "status": self.status, "sale_date": self.sale_date.isoformat(),
                "register_row": self.record.row if self.record else None,
                "record": self.record.to_dict() if self.record else None,
                "findings": [f.to_dict() for f in self.findings]}


def _core(name: str) -> str:
    text = _PUNCT.sub("", _BRACKET.sub("", unicodedata.normalize("NFKC", name or "")))
    for _ in range(2):
        text = _LEGAL_FORM.sub("", text)
    rest = _PLACE.sub("", text, count=1)
    return rest if len(rest) >= 2 else text


def same_maker(shown: str, *registered: str) -> bool:
    """Whether the maker shown on the goods is one of the register's parties (legal forms and places aside)."""
    from rapidfuzz import fuzz

    mine = _core(shown)
    if not mine:
        return True  # nothing shown: nothing to compare
    for name in registered:
        theirs = _core(name)
        if not theirs:
            continue
        if mine == theirs or mine in theirs or theirs in mine or fuzz.ratio(mine, theirs) >= 85:
            return True
    return False


def _norm_model(text: str) -> str:
    return re.sub(r"[\s\-_/]", "", unicodedata.normalize("NFKC", text)).upper()


def _covers(models: tuple[str, ...], model: str) -> bool:
    wanted = _norm_model(model)
    for item in models:
        pattern = _norm_model(item)
        if pattern == wanted:
            return True
        if "*" in pattern and re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), wanted):
            return True
    return False


def check_certificate(number: str, register: CertRegister | None, *, sale_date: date | None = None,
                      maker: str | None = None, model: str | None = None, where: dict | None = None,
                      evidence: str | None = None) -> CertCheck:
    """Check one certificate number for goods sold on ``sale_date``.

    Parameters
    ----------
    number : the number as printed.
    register : the register to look it up in (None: only the grammar is checked).
    sale_date : when the goods were on sale (a capture's date, a purchase date); default today.
    maker : the maker shown on the goods or the listing, compared with the holder, manufacturer and factory.
    model : the model shown, looked up among the certificate's models.
    where : added to each finding (element path, screenshot region ...).
    evidence : the words as shown (default: the number).

    Returns
    -------
    CertCheck
    """
    day = sale_date or date.today()
    shown = evidence or number
    place = dict(where or {})
    parsed = parse_number(number, today=day)
    check = CertCheck(parsed.number, "malformed", None, day)
    if not parsed.ok:
        check.findings.append(Flag("ccc_malformed", shown, {"number": number, "problem": parsed.problem,
                                                            "digits": len(parsed.number), "year": parsed.year,
                                                            "first_year": FIRST_YEAR, "latest": parsed.latest},
                                   where=place))
        return check
    if register is None:
        check.status = "unchecked"
        return check
    record = register.get(parsed.number)
    if record is None:
        check.status = "not_registered"
        check.findings.append(Flag("ccc_not_registered", shown, {"number": parsed.number, "register":
                                                                 register.source.rsplit("/", 1)[-1]}, where=place))
        return check
    check.record = record
    at_row = {**place, "register_row": record.row}
    status = record.status
    if status == "valid" and record.expires is not None and record.expires < day:
        status = "expired"
    if status in ("suspended", "withdrawn", "cancelled") and record.changed is not None and record.changed > day:
        status = "valid"  # the change came after the sale: the certificate was in force then
    if status == "expired" and (record.expires or record.changed or date.min) > day:
        status = "valid"
    check.status = status
    values = {"number": parsed.number, "sale_date": day.isoformat(),  # a date not given is None
              "changed": record.changed.isoformat() if record.changed else None,
              "expires": (record.expires or record.changed).isoformat() if (record.expires or record.changed)
              else None}
    if status in STATUS_CODES:
        check.findings.append(Flag(STATUS_CODES[status], shown, values, where=at_row))
    parties = [p for p in (record.holder, record.manufacturer, record.factory) if p]
    if maker and parties and not same_maker(maker, *parties):
        holder = "／".join(dict.fromkeys(parties))
        check.findings.append(Flag("ccc_other_maker", f"{shown}；{maker}",
                                   {"number": parsed.number, "holder": holder, "maker": maker}, where=at_row))
    if model and record.models and not _covers(record.models, model):
        check.findings.append(Flag("ccc_model_not_covered", f"{shown}；{model}",
                                   {"number": parsed.number, "model": model,
                                    "models": "、".join(record.models[:12]) + ("…" if len(record.models) > 12 else "")},
                                   where=at_row))
    return check
