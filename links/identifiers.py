"""Identifiers other than phones: WeChat and QQ ids, credit codes, licence numbers, accounts, barcodes.

Each normaliser returns the canonical key or None, and says what was checked, so an entity can
show "check digit valid" beside its value.  Check digits come from python-stdnum (USCC per
GB 32100-2015, Luhn for bank cards, EAN-13), through the shared grammar of
:mod:`safeio.identifier_grammar`; licence formats are in docs/domain.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from stdnum import luhn

from safeio.identifier_grammar import (
    MOBILE_PATTERN,
    USCC_CLASS,
    credit_code_valid,
    gtin_valid,
    is_credit_code_shape,
    jy_province_ok,
    sc_province_ok,
)
from safeio.identifier_grammar import PROVINCE_CODES as PROVINCE_CODES  # the grammar's, shared with labels

__all__ = [
    "Checked", "barcode_prefix", "check_credit_code", "check_licence", "find_accounts", "find_credit_codes",
    "find_licences", "find_qq_ids", "find_wechat_ids", "normalise_account", "normalise_qq", "normalise_wechat",
]

PROVINCE_ABBR = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵黔云滇藏陕甘陇青宁新"

_WECHAT = re.compile(r"[A-Za-z][-_A-Za-z0-9]{5,19}")
# 微信, 微信号, wx, VX, V信 and their everyday spellings; the id follows after an optional colon.
_WECHAT_TRIGGER = re.compile(
    r"(?:微信号?|威信|薇信|V信|v信|(?<![A-Za-z])(?:wx|vx|weixin|wechat|wxid)(?![A-Za-z])|加V|加v)"
    r"\s*号?\s*(?:id\s*[:：=])?\s*[:：=]?\s*([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])",
    re.IGNORECASE,
)
_QQ_TRIGGER = re.compile(r"(?:(?<![A-Za-z])QQ|扣扣|企鹅)\s*号?\s*[:：=]?\s*([1-9]\d{4,10})(?!\d)", re.IGNORECASE)
_USCC_IN_TEXT = re.compile(rf"(?<![0-9A-Za-z])([{USCC_CLASS}]{{18}})(?![0-9A-Za-z])")
_SC = re.compile(r"SC\s?(\d{14})")
_JY = re.compile(r"JY\s?([123]\d{13})")
_QS = re.compile(r"QS\s?(\d{12})")
_XK = re.compile(r"(?:[\u4e00-\u9fff])?XK\s?\d{2}\s?-\s?\d{3}\s?-\s?\d{5}")
_COSMETIC = re.compile(rf"([{PROVINCE_ABBR}])\s?妆\s?(?:准?字?)?\s?(\d{{8}})")
_CARD = re.compile(r"(?<!\d)(?:62|4\d|5[1-5])\d{2}(?:[\s-]?\d{4}){2,3}(?:[\s-]?\d{1,3})?(?!\d)")
_ALIPAY_TRIGGER = re.compile(r"(?:支付宝|alipay)\s*(?:账号|账户|号)?\s*[:：]?\s*([A-Za-z0-9_.\-]+@[A-Za-z0-9.\-]+|1[3-9]\d{9})",
                             re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    """A canonical identifier and the result of its check, in words an analyst can read."""

    key: str
    valid: bool
    check: str


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


@lru_cache(maxsize=100_000)
def normalise_wechat(text: str) -> str | None:
    """A WeChat id case-folded (``HuiTong_RH888`` -> ``huitong_rh888``), or None if it is not one.

    Ids are 6-20 letters, digits, ``_`` or ``-`` and start with a letter; WeChat treats them
    without regard to case in practice, so the key is case-folded.
    """
    value = _nfkc(text)
    return value.casefold() if _WECHAT.fullmatch(value) else None


def find_wechat_ids(text: str) -> list[tuple[str, str]]:
    """(as written, key) for every id written after 微信, 微信号, wx, VX, V信 ... in free text."""
    value = _nfkc(text)
    return [(m.group(1), m.group(1).casefold()) for m in _WECHAT_TRIGGER.finditer(value)]


def normalise_qq(text: str) -> str | None:
    """A QQ number (5-11 digits, no leading zero), or None."""
    value = _nfkc(text).removeprefix("QQ").removeprefix("qq").strip(" :：")
    return value if re.fullmatch(r"[1-9]\d{4,10}", value) else None


def find_qq_ids(text: str) -> list[tuple[str, str]]:
    """(as written, key) for every QQ number written after QQ, 扣扣 or 企鹅 in free text."""
    return [(m.group(1), m.group(1)) for m in _QQ_TRIGGER.finditer(_nfkc(text))]


@lru_cache(maxsize=100_000)
def check_credit_code(text: str) -> Checked | None:
    """A 统一社会信用代码 (GB 32100-2015) upper-cased, with its check digit verified by python-stdnum.

    A code that fails the check is still kept (early pilot codes fail it legally, and a ledger may
    carry a typo), marked invalid so that its weight is lowered, never dropped silently.
    """
    value = re.sub(r"[\s\-]", "", _nfkc(text)).upper()
    if not is_credit_code_shape(value):
        return None
    if credit_code_valid(value):
        return Checked(value, True, "check digit valid (GB 32100-2015)")
    return Checked(value, False, "check digit fails (GB 32100-2015): a typo, a pilot code or a forgery")


def find_credit_codes(text: str) -> list[tuple[str, Checked]]:
    """(as written, checked) for every 18-character credit code in free text."""
    found = []
    for match in _USCC_IN_TEXT.finditer(_nfkc(text).upper()):
        checked = check_credit_code(match.group(1))
        if checked is not None and sum(c.isdigit() for c in checked.key) >= 8:
            found.append((match.group(1), checked))
    return found


@lru_cache(maxsize=100_000)
def check_licence(text: str) -> Checked | None:
    """A licence number in canonical form with its format check.

    SC (food production) and JY (food business) carry a GB/T 2260 province code that must exist;
    QS is the old food mark; ``X妆YYYYNNNN`` cosmetics; ``XK`` industrial products.
    """
    value = re.sub(r"\s", "", _nfkc(text)).upper()
    if m := _SC.fullmatch(value):
        digits = m.group(1)
        ok = sc_province_ok(digits)
        return Checked(f"SC{digits}", ok, "SC: province code valid" if ok else "SC: no such province code")
    if m := _JY.fullmatch(value):
        digits = m.group(1)
        ok = jy_province_ok(digits)
        return Checked(f"JY{digits}", ok, "JY: province code valid" if ok else "JY: no such province code")
    if m := _QS.fullmatch(value):
        return Checked(f"QS{m.group(1)}", True, "QS: old food mark (replaced by SC since 2015-10-01)")
    if _XK.fullmatch(value):
        return Checked(re.sub(r"\s", "", value), True, "XK: industrial product licence format")
    if m := _COSMETIC.fullmatch(value.replace("准字", "").replace("准", "")):
        year = int(m.group(2)[:4])
        ok = 2000 <= year <= 2100
        return Checked(f"{m.group(1)}妆{m.group(2)}", ok, "cosmetics licence: year plausible" if ok
                       else "cosmetics licence: the year is not plausible")
    return None


def find_licences(text: str) -> list[tuple[str, Checked]]:
    """(as written, checked) for every licence number in free text."""
    value = _nfkc(text).upper()
    found = []
    for pattern in (_SC, _JY, _QS, _XK, _COSMETIC):
        for match in pattern.finditer(value):
            checked = check_licence(match.group(0))
            if checked is not None:
                found.append((match.group(0), checked))
    return found


@lru_cache(maxsize=100_000)
def normalise_account(text: str) -> Checked | None:
    """A payment account: a bank card (16-19 digits, Luhn-checked), an Alipay e-mail, or a phone-style account.

    The key carries its type (``card:``, ``email:``, ``mobile:``) so a card never equals a phone.
    """
    value = _nfkc(text)
    digits = re.sub(r"[\s\-]", "", value)
    if re.fullmatch(r"\d{16,19}", digits):
        ok = luhn.is_valid(digits)
        return Checked(f"card:{digits}", ok, "bank card: Luhn check valid" if ok else "bank card: Luhn check fails")
    if re.fullmatch(MOBILE_PATTERN, digits):
        return Checked(f"mobile:{digits}", True, "account named by a mobile number")
    if re.fullmatch(r"[A-Za-z0-9_.\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+", value):
        return Checked(f"email:{value.casefold()}", True, "account named by an e-mail address")
    return None


def find_accounts(text: str) -> list[tuple[str, Checked]]:
    """(as written, checked) for bank cards that pass Luhn and Alipay accounts written in free text."""
    value = _nfkc(text)
    found = []
    for match in _CARD.finditer(value):
        checked = normalise_account(match.group(0))
        if checked is not None and checked.valid:
            found.append((match.group(0), checked))
    for match in _ALIPAY_TRIGGER.finditer(value):
        checked = normalise_account(match.group(1))
        if checked is not None:
            found.append((match.group(1), checked))
    return found


def barcode_prefix(text: str) -> Checked | None:
    """The first seven digits of a valid EAN-13 (``690``-``699``: GS1 China): a company's prefix at most.

    GS1 China assigns company prefixes of 7 to 9 digits; seven is what all of them share, so two
    barcodes with the same seven digits may still come from two makers: a corroboration, not a link.
    """
    digits = re.sub(r"\D", "", _nfkc(text))
    if len(digits) != 13 or not gtin_valid(digits):
        return None
    return Checked(digits[:7], True, "EAN-13 check digit valid; first 7 digits (company prefix or part of it)")
