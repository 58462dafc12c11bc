"""The grammar of the identifiers printed on goods and written in records, in one place.

Labels (``evidence.labels``) read these from OCR text, links (``links``) from ledgers and chats,
and the certification and claims checks from registers: all of them use the alphabets, patterns
and check digits here, so a code that one part accepts the other parts accept too.

- 统一社会信用代码 (GB 32100-2015): 18 characters from digits and capitals without I O S V Z; the
  last is a check character (python-stdnum ``stdnum.cn.uscc``).
- SC 食品生产许可证 (14 digits; the 2nd-3rd digits after the kind are a GB/T 2260 province) and JY
  食品经营许可证 (a kind digit 1-3, then the province); QS is the old food mark (12 digits).
- CCC certificate: 16 digits (year, body, category, serial).
- Mobile numbers: 11 digits, ``1[3-9]``.
- Barcodes: GTIN-13 / EAN-13 and EAN-8 with their check digit (python-stdnum ``stdnum.ean``);
  ``690``-``699`` is GS1 China.
"""

from __future__ import annotations

import re

from stdnum import ean
from stdnum.cn import uscc

__all__ = ["CCC_PATTERN", "GS1_CHINA", "MOBILE_PATTERN", "PROVINCE_CODES", "USCC_ALPHABET", "USCC_CLASS",
           "USCC_OCR_CONFUSIONS", "credit_code_valid", "gtin_valid", "is_credit_code_shape", "jy_province_ok",
           "sc_province_ok"]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 table 1: no I O S V Z
USCC_CLASS = "0-9A-HJ-NPQRTUWXY"  # the same alphabet as a regex character class
# What OCR reads for the letters GB 32100 never uses: map them back before the check.
USCC_OCR_CONFUSIONS = str.maketrans({"I": "1", "O": "0", "S": "5", "Z": "2", "V": "U"})

# GB/T 2260 province codes: the two digits after the kind in SC and JY numbers name one of these.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
})
MOBILE_PATTERN = r"1[3-9]\d{9}"
CCC_PATTERN = r"\d{16}"
GS1_CHINA = tuple(str(p) for p in range(690, 700))

_USCC_SHAPE = re.compile(rf"[{USCC_CLASS}]{{18}}")


def is_credit_code_shape(code: str) -> bool:
    """18 characters of the GB 32100 alphabet, at least one a digit (a word in capitals is not a code)."""
    return bool(_USCC_SHAPE.fullmatch(code)) and any(c.isdigit() for c in code)


def credit_code_valid(code: str) -> bool:
    """The GB 32100-2015 check character of an 18-character code holds."""
    return is_credit_code_shape(code) and uscc.is_valid(code)


def sc_province_ok(digits: str) -> bool:
    """The 14 digits of an SC number name a province (digits 4-5: one kind digit, two of the place class)."""
    return len(digits) == 14 and digits[3:5] in PROVINCE_CODES


def jy_province_ok(digits: str) -> bool:
    """The 14 digits of a JY number (kind digit first) name a province."""
    return len(digits) == 14 and digits[1:3] in PROVINCE_CODES


def gtin_valid(digits: str) -> bool:
    """An EAN-13 / GTIN-13 or EAN-8 whose check digit holds."""
    return digits.isdigit() and len(digits) in (8, 13) and ean.is_valid(digits)
