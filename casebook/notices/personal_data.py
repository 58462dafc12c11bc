"""Personal data in a text meant for the public: remove it (scrub), and prove none is left (check).

《市场监督管理行政处罚信息公示规定》 asks the bureau to process personal information before a
decision is published (docs/domain.md, "Publishing penalty decisions"): ID numbers, home
addresses, phone numbers and other contact details, bank accounts, dates of birth, and the names
of natural persons other than the party.  Free text hides them in every form an officer types:
``身份证号：410102 19900307 1234``, ``电话138-3946-2217``, full-width digits, a number split by a
line break in a PDF.  So numbers are read as runs of digit groups joined by single separators
(space, dash, dot, line break), and every joined span of whole groups is tested:

- a resident ID number (GB 11643: 18 characters, a real birth date, the ISO 7064 check
  character from python-stdnum ``cn.ric``; the birth place is not required, see ``_kind``), or an
  old 15-digit one with a real birth date;
- a mobile number (11 digits, 13-19, optionally after 86 / +86);
- a bank card (16-19 digits passing the Luhn check; python-stdnum ``luhn``);
- an e-mail address.

:func:`find_personal_data` is the checker (these four kinds, as the publication check needs);
:func:`scrub` removes those and more: landlines, labelled ID, passport and account numbers,
labelled home addresses and birth dates, and the names it is given.  A number that merely
passes Luhn (a product certificate, ~1 in 10 of 16-digit numbers) is removed too: the notice
errs on the side of the person.  Numbers written in Chinese characters are not recognised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum import luhn
from stdnum.cn import ric

__all__ = ["REMOVED", "Finding", "find_personal_data", "scrub"]

REMOVED = "〔已隐去〕"
_GROUP = re.compile(r"[0-9Xx]+")
_SEP = set(" -.\u00a0\u3000\n\r\t\u2010\u2011\u2012\u2013\u2014/")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_LANDLINE = re.compile(r"(?<![0-9])(?:\(?0\d{2,3}\)?[\s\-]?)\d{7,8}(?![0-9])")
_LABELLED = re.compile(
    r"(?:身份证(?:件)?(?:号码|号)?|公民身份号码|证件号(?:码)?|护照(?:号码|号)?|通行证(?:号码|号)?|"
    r"(?:银行)?(?:账号|帐号|账户|帐户|卡号)|开户(?:银)?行(?:账号)?)\s*[:：]?\s*([A-Za-z0-9][A-Za-z0-9 \-]{5,30}[A-Za-z0-9])")
_ADDRESS = re.compile(r"(?:家庭住址|家住|住址|现住址|现住|户籍(?:所在)?地|居住地(?:址)?)\s*[:：为是]?\s*[^，。；;,\n）)]{2,60}")
_BIRTH = re.compile(r"(?:出生(?:日期|年月日)?\s*[:：]?\s*)?\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*出生|"
                    r"出生(?:日期|年月日)\s*[:：]?\s*\d{4}(?:\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[\-/.]\d{1,2}[\-/.]\d{1,2})")


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its kind (id_number, mobile, bank_card, email), where it is, and as written."""

    kind: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        """JSON form; the value is masked so that a report never republishes it."""
        digits = re.sub(r"\W", "", self.text)
        return {"kind": self.kind, "start": self.start, "end": self.end,
                "masked": digits[:2] + "*" * max(len(digits) - 4, 0) + digits[-2:]}


def _runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of digit groups (start, end) joined by up to three spaces, one dash or dot, or one line break and its indent."""
    runs: list[list[tuple[int, int]]] = []
    last_end = -10
    for m in _GROUP.finditer(text):
        gap = text[last_end:m.start()] if last_end >= 0 else "?"
        mark = gap.strip()
        joined = ((not mark and gap.count("\n") <= 1 and (len(gap) <= 3 or "\n" in gap))
                  or (len(mark) == 1 and mark in _SEP and len(gap) <= 3))
        if runs and joined:
            runs[-1].append((m.start(), m.end()))
        else:
            runs.append([(m.start(), m.end())])
        last_end = m.end()
    return runs


def _valid_birth(digits: str) -> bool:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def _kind(value: str) -> str | None:
    """The kind of personal number ``value`` (digits, maybe a final X) is, or None."""
    upper = value.upper()
    # the check character and the birth date; not stdnum's is_valid, whose table of birth places lacks
    # counties created or renumbered since (411602 川汇区): a real number must not slip through
    if (len(upper) == 18 and upper[:17].isdigit() and upper[17] == ric.calc_check_digit(upper)
            and _valid_birth(upper[6:14])):
        return "id_number"
    if not upper.isdigit():
        return None
    if len(upper) == 15 and upper[0] != "0" and _valid_birth("19" + upper[6:12]):
        return "id_number"
    core = upper[2:] if len(upper) == 13 and upper.startswith("86") else upper
    if len(core) == 11 and core[0] == "1" and core[1] in "3456789":
        return "mobile"
    if 16 <= len(upper) <= 19 and luhn.is_valid(upper):
        return "bank_card"
    return None


def _boundary_ok(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def find_personal_data(text: str) -> list[Finding]:
    """Every ID number, mobile number, bank card number and e-mail address in ``text`` (NFKC-normalised).

    Parameters
    ----------
    text : any text: a notice's HTML source, or the text pdftotext reads from its PDF.

    Returns
    -------
    list of Finding
        In order of position; offsets refer to the NFKC form of ``text``.
    """
    value = unicodedata.normalize("NFKC", text)
    found: list[Finding] = []
    for run in _runs(value):
        taken = -1
        for i in range(len(run)):
            if run[i][0] < taken:
                continue
            for j in range(len(run) - 1, i - 1, -1):
                start, end = run[i][0], run[j][1]
                joined = "".join(value[a:b] for a, b in run[i:j + 1])
                if len(joined) > 19:
                    continue
                kind = _kind(joined)
                if kind and _boundary_ok(value, start, end):
                    found.append(Finding(kind, start, end, value[start:end]))
                    taken = end
                    break
    found += [Finding("email", m.start(), m.end(), m.group(0)) for m in _EMAIL.finditer(value)]
    return sorted(found, key=lambda f: f.start)


def _normalised(text: str) -> tuple[str, list[int]]:
    """NFKC form of ``text`` (full-width digits and letters made ASCII) and, per character, its index in ``text``."""
    chars, origin = [], []
    for i, ch in enumerate(text):
        norm = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        chars.append(norm)
        origin.extend([i] * len(norm))
    return "".join(chars), origin


def _back(spans, origin: list[int]) -> list[tuple[int, int]]:
    return [(origin[a], origin[b - 1] + 1) for a, b in spans if b > a]


def _cut(value: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(value[last:start])
        out.append(REMOVED)
        last = end
    out.append(value[last:])
    return "".join(out)


def scrub(text: str, *, names: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """``text`` with personal data replaced by 〔已隐去〕, and the kinds that were removed.

    Parameters
    ----------
    text : free text of a decision (facts, evidence, the party block of a natural person).
    names : names of natural persons to remove (persons other than the party).

    Returns
    -------
    (str, list of str)
        The public text (the rest as written); the kinds removed (id_number, mobile, bank_card, email,
        landline, labelled_number, home_address, birth_date, name), in order of discovery.
    """
    value = str(text or "")
    kinds: list[str] = []

    def remove(kind: str, find) -> None:
        nonlocal value
        norm, origin = _normalised(value)
        spans = _back(find(norm), origin)
        if spans:
            kinds.append(kind)
            value = _cut(value, spans)

    remove("home_address", lambda t: [m.span() for m in _ADDRESS.finditer(t)])
    remove("birth_date", lambda t: [m.span() for m in _BIRTH.finditer(t)])
    remove("labelled_number", lambda t: [m.span(1) for m in _LABELLED.finditer(t)])
    norm, origin = _normalised(value)
    findings = find_personal_data(norm)
    if findings:
        kinds.extend(dict.fromkeys(f.kind for f in findings))
        value = _cut(value, _back([(f.start, f.end) for f in findings], origin))
    remove("landline", lambda t: [m.span() for m in _LANDLINE.finditer(t)])
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        if name in value:
            kinds.append("name")
            value = value.replace(name, REMOVED)
    return value, list(dict.fromkeys(kinds))
