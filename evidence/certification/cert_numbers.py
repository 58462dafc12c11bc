"""The grammar of a CCC certificate number, and finding numbers where a label or page prints them.

A CCC certificate number has 16 digits (docs/domain.md, "CCC"): the year the certificate was first
issued (4), the certification body (2; 01 is 中国质量认证中心 CQC), the product category (4: the
catalogue's group and kind, 0901 微型计算机) and the body's serial (6).  The compulsory scheme
began on 2002-05-01, so an earlier year, a year still to come, the category 00 or an all-zero
serial cannot be right.  No check digit exists, so nothing more can be proven from the number alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = ["FIRST_YEAR", "CertNumber", "find_cert_numbers", "normalise_number", "parse_number"]

FIRST_YEAR = 2002  # 《强制性产品认证管理规定》 (2001) took effect on 2002-05-01

# A number printed after a CCC key, or a bare 16-digit number that starts like a year of the scheme.
_KEYED = re.compile(r"(?:CCC|3C|强制性产品认证|认证证书|证书)(?:证书)?(?:编号|号码|号)?\s*[:：]?\s*"
                    r"([0-9０-９][0-9０-９\s\-]{10,24}[0-9０-９])")
_BARE = re.compile(r"(?<![0-9A-Za-z])(20[0-9]{14})(?![0-9A-Za-z])")


@dataclass(frozen=True)
class CertNumber:
    """A number read as a CCC certificate number: its parts, or why it cannot be one."""

    number: str
    year: int | None = None
    body: str | None = None
    category: str | None = None
    serial: str | None = None
    problem: str | None = None  # a code (not_digits, length, year, body, category, serial); None when it follows the grammar
    latest: int | None = None  # the latest year a certificate could carry when it was read

    @property
    def ok(self) -> bool:
        return self.problem is None


def normalise_number(text: str) -> str:
    """The number with full-width digits made ASCII and spaces and hyphens dropped."""
    if text.isascii() and text.isdigit():
        return text
    return re.sub(r"[\s\-－—]", "", unicodedata.normalize("NFKC", str(text)))


def parse_number(text: str, *, today: date | None = None) -> CertNumber:
    """Read ``text`` as a CCC certificate number.

    Parameters
    ----------
    text : the number as printed or typed (spaces, hyphens and full-width digits allowed).
    today : the latest year a certificate can carry (default: today).

    Returns
    -------
    CertNumber
        With ``problem`` set (a code; the edge says it in words) when it cannot be a CCC number.
    """
    number = normalise_number(text)
    if not number.isdigit() or not number.isascii():
        return CertNumber(number, problem="not_digits")
    if len(number) != 16:
        return CertNumber(number, problem="length")
    year, body, category, serial = int(number[:4]), number[4:6], number[6:10], number[10:]
    latest = (today or date.today()).year
    if not FIRST_YEAR <= year <= latest:
        return CertNumber(number, year, body, category, serial, problem="year", latest=latest)
    if body == "00":
        return CertNumber(number, year, body, category, serial, problem="body")
    if category[:2] == "00":
        return CertNumber(number, year, body, category, serial, problem="category")
    if serial == "000000":
        return CertNumber(number, year, body, category, serial, problem="serial")
    return CertNumber(number, year, body, category, serial)


def find_cert_numbers(text: str) -> list[tuple[str, tuple[int, int]]]:
    """The CCC certificate numbers printed in ``text``: (number as printed, span), in order.

    A number after a CCC key (CCC证书编号, 3C证书号, 认证证书编号 ...) is taken whatever its length, so
    a malformed one is reported; a bare number only when it has 16 digits and starts with 20.
    """
    found: dict[tuple[int, int], str] = {}
    for match in _KEYED.finditer(text):
        found[match.span(1)] = match.group(1).strip()
    for match in _BARE.finditer(text):
        if not any(s <= match.start() < e for s, e in found):
            found[match.span(1)] = match.group(1)
    return [(value, span) for span, value in sorted(found.items())]
