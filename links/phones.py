"""Chinese phone numbers as people write them -> one canonical string of digits.

Mobiles have 11 digits starting 13-19; landlines an area code (010, 02x, or 0 + three digits)
and 7-8 digits; 400/800 numbers are company service lines.  People add ``+86``, ``86-``,
``0086``, spaces, dashes, dots and brackets, and an extension (``转 8012``).  Two numbers that
differ in one digit are two numbers: nothing here is fuzzy.

Written by hand: the ``phonenumbers`` port would add a 40 MB dependency for the three formats
Chinese shop records use, and it accepts local numbers without an area code that we must refuse
(they cannot tell two counties' numbers apart).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Phone", "find_phones", "normalise_phone"]

_MOBILE = re.compile(r"1[3-9]\d{9}")
_SERVICE = re.compile(r"[48]00\d{7}")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.·()（）\[\]【】/]")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x)\s*\d{1,5}$", re.IGNORECASE)
# candidates in free text: an optional country code, then digits broken by separators, never
# touching another digit or Latin letter (an order number or a WeChat id holds digit runs too)
_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z_])(?:[(（]?(?:\+|00)?86[)）]?[\s\-.]?)?"
    r"(?:[(（]?0\d{2,3}[)）]?[\s\-.]?\d{3,4}[\s\-.]?\d{3,4}"
    r"|[(（]?1[3-9]\d[)）]?(?:[\s\-.]?\d){8}"
    r"|[48]00[\s\-.]?\d{3}[\s\-.]?\d{4})"
    r"(?![0-9A-Za-z_])"
)


@dataclass(frozen=True)
class Phone:
    """A phone number: ``digits`` is the canonical key (no country code), ``kind`` mobile/landline/service."""

    digits: str
    kind: str
    area_code: str = ""
    extension: str = ""

    @property
    def display(self) -> str:
        """The usual written form: ``138 3946 2217``, ``0394-8216688``, ``400-810-1234``."""
        d = self.digits
        if self.kind == "mobile":
            return f"{d[:3]} {d[3:7]} {d[7:]}"
        if self.kind == "service":
            return f"{d[:3]}-{d[3:6]}-{d[6:]}"
        return f"{self.area_code}-{d[len(self.area_code):]}"


def _landline(digits: str) -> Phone | None:
    if len(digits) < 10 or not digits.startswith("0") or digits.startswith("00"):
        return None
    # 010 and 02x (Beijing, Shanghai, Tianjin, Chongqing, big cities) are three digits long with
    # 8-digit numbers; every other area code is four digits (0394 周口) with 7 or 8.
    area = digits[:3] if digits[1] in "12" else digits[:4]
    rest = digits[len(area):]
    allowed = (8,) if len(area) == 3 else (7, 8)
    if len(rest) not in allowed or rest[0] in "01":
        return None
    return Phone(digits, "landline", area_code=area)


@lru_cache(maxsize=200_000)
def normalise_phone(text: str) -> Phone | None:
    """``text`` as one phone number, or None if it is not exactly one valid number.

    Parameters
    ----------
    text : a cell or a phrase such as ``+86 138-3946-2217``, ``(0394)8216688 转 12``.

    Returns
    -------
    Phone or None
        The canonical digits (country code dropped, extension kept apart) and the kind.
    """
    if not text:
        return None
    value = unicodedata.normalize("NFKC", str(text)).strip()
    extension = ""
    ext = _EXTENSION.search(value)
    if ext:
        extension = re.sub(r"\D", "", ext.group(0))
        value = value[: ext.start()]
    value = _SEPARATORS.sub("", value)
    international = value.startswith("+")
    value = value.removeprefix("+")
    if not value.isascii() or not value.isdigit():
        return None
    if value.startswith("0086"):
        value, international = value[4:], True
    elif international or (value.startswith("86") and len(value) >= 12):
        if not value.startswith("86"):
            return None  # a foreign number
        value, international = value[2:], True
    phone = _classify(value)
    if phone is None and international and value[:1] not in ("", "0"):
        phone = _classify("0" + value)  # +86 394 8216688: the trunk 0 is dropped abroad
    if phone is not None and extension:
        return Phone(phone.digits, phone.kind, phone.area_code, extension)
    return phone


def _classify(value: str) -> Phone | None:
    if _MOBILE.fullmatch(value):
        return Phone(value, "mobile")
    if _SERVICE.fullmatch(value):
        return Phone(value, "service")
    return _landline(value)


def find_phones(text: str) -> list[tuple[str, Phone]]:
    """Every phone number written in free text, as (the text as written, the number), in order."""
    found = []
    value = unicodedata.normalize("NFKC", text)
    for match in _CANDIDATE.finditer(value):
        phone = normalise_phone(match.group(0))
        if phone is not None:
            found.append((match.group(0).strip(), phone))
    return found
