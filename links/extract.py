"""From a cell, a field or a line of text to mentions, each with its source; shared by every reader.

Readers (ledgers, orders, chat logs, case records, labels) know *where* a value sits and what role
it plays there (supplier, maker, party ...); this module knows *what* a value is.  Addresses are
collected raw and parsed in one batch at the end (:func:`settle_addresses`): cpca is fast per
address only when given many at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from links.addresses import parse_addresses
from links.entities import Mention, Source
from links.identifiers import (
    barcode_prefix,
    check_credit_code,
    check_licence,
    find_accounts,
    find_credit_codes,
    find_licences,
    find_qq_ids,
    find_wechat_ids,
    normalise_account,
    normalise_qq,
    normalise_wechat,
)
from links.names import normalise_name
from links.phones import find_phones, normalise_phone

__all__ = [
    "CLAIM_TRUST", "PRINTED_TRUST", "account_mentions", "address_mention", "barcode_mention", "credit_code_mentions",
    "licence_mentions", "name_mention", "person_mention", "phone_mentions", "qq_mentions", "region_mention",
    "settle_addresses",
    "text_mentions", "wechat_mentions",
]

# A name or address a label prints (or a ledger copies from the package) is the counterfeiter's
# claim: often a real company's, often invented.  It corroborates; on its own it does not link.
CLAIM_TRUST = 0.5
# A phone, code or licence number printed on goods (or copied from them into a ledger's maker
# column) ties the goods to whoever uses it, but a genuine maker's is printed on all its goods:
# two shops selling the same maker's goods are not a chain.  At this trust, two such claims cannot
# link two cases on their own; one claim and the maker's own record (its case) can.
PRINTED_TRUST = 0.7
_WXID = re.compile(r"(?<![A-Za-z0-9_])(wxid_[a-z0-9]{4,30})(?![A-Za-z0-9_])", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_BAD_CORE = re.compile(r"[的了这那我你他她们个吗呢吧啊么在是有]")
_SHOP_IN_TEXT = re.compile(
    r"(?:^|(?<=[\s，,。：:；;！!？?、“”\"'（(【\[]|是|找|从|跟|给|到|向|问|叫|加|去|和|与))"
    r"([\u4e00-\u9fff（）()]{2,16}?(?:有限责任公司|有限公司|公司|商贸|贸易|日化|日用化工|商行|批发部|经营部|门市部|"
    r"批发|超市|副食店|便利店|食品厂|加工厂|厂))"
)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def phone_mentions(text: str, source: Source, role: str = "", trust: float = 1.0) -> list[Mention]:
    """Every phone number in a cell or line (a cell may hold two: ``13839462217/0394-8216688``)."""
    found = find_phones(text)
    if not found:
        phone = normalise_phone(text)
        found = [(text.strip(), phone)] if phone is not None else []
    return [Mention("phone", raw, p.digits, source, role=role, trust=trust, check=p.kind, display=p.display)
            for raw, p in found]


def wechat_mentions(text: str, source: Source, role: str = "", *, bare: bool = False) -> list[Mention]:
    """WeChat ids written after 微信/微信号/wx/VX/V信 (or, in a WeChat column, ``bare`` ids), case-folded."""
    found = find_wechat_ids(text) + [(m.group(1), m.group(1).casefold()) for m in _WXID.finditer(text)]
    if not found and bare:
        key = normalise_wechat(text)
        if key is not None:
            found = [(text.strip(), key)]
        else:
            return phone_mentions(text, source, role)  # 微信同号: the WeChat id is the phone number
    return [Mention("wechat", raw, key, source, role=role, display=key) for raw, key in found]


def qq_mentions(text: str, source: Source, role: str = "", *, bare: bool = False) -> list[Mention]:
    found = find_qq_ids(text)
    if not found and bare:
        key = normalise_qq(text)
        found = [(text.strip(), key)] if key is not None else []
    return [Mention("qq", raw, key, source, role=role, display=key) for raw, key in found]


def credit_code_mentions(text: str, source: Source, role: str = "", *, bare: bool = False,
                         trust: float = 1.0) -> list[Mention]:
    found = find_credit_codes(text)
    if not found and bare:
        checked = check_credit_code(text)
        found = [(text.strip(), checked)] if checked is not None else []
    return [Mention("credit_code", raw, c.key, source, role=role, trust=trust, valid=c.valid, check=c.check,
                    display=c.key) for raw, c in found]


def licence_mentions(text: str, source: Source, role: str = "", trust: float = 1.0) -> list[Mention]:
    """Licence numbers; an SC, QS, 妆 or XK number belongs to the maker whatever column it sits in (and
    is then a printed claim, see ``PRINTED_TRUST``)."""
    found = find_licences(text)
    if not found:
        checked = check_licence(text)
        found = [(text.strip(), checked)] if checked is not None else []
    out = []
    for raw, c in found:
        production = c.key.startswith(("SC", "QS", "XK")) or "妆" in c.key
        out.append(Mention("licence", raw, c.key, source, role="maker" if production else role,
                           trust=min(trust, PRINTED_TRUST) if production else trust, valid=c.valid, check=c.check,
                           display=c.key))
    return out


def account_mentions(text: str, source: Source, role: str = "", *, bare: bool = False) -> list[Mention]:
    found = find_accounts(text)
    if not found and bare:
        checked = normalise_account(text)
        found = [(text.strip(), checked)] if checked is not None else []
    return [Mention("account", raw, c.key, source, role=role, valid=c.valid, check=c.check,
                    display=c.key.split(":", 1)[1]) for raw, c in found]


def name_mention(text: str, source: Source, role: str = "", trust: float = 1.0) -> list[Mention]:
    """A company or shop name, taken apart (:mod:`links.names`); nothing if it has no distinctive core."""
    raw = _nfkc(text)
    key = normalise_name(raw)
    if key is None:
        return []
    return [Mention("name", raw, key.key, source, role=role, trust=trust, display=raw, name=key)]


def person_mention(text: str, source: Source, role: str = "contact") -> list[Mention]:
    """A person's name (2-4 Han characters): common, so it only ever corroborates."""
    raw = re.sub(r"\s", "", _nfkc(text))
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", raw):
        return []
    return [Mention("person", raw, raw, source, role=role, display=raw)]


def address_mention(text: str, source: Source, role: str = "", trust: float = 1.0) -> list[Mention]:
    """An address, parsed later in one batch by :func:`settle_addresses`."""
    raw = _nfkc(text)
    return [Mention("address", raw, "", source, role=role, trust=trust, display=raw)] if len(raw) >= 4 else []


def barcode_mention(text: str, source: Source, role: str = "maker", trust: float = PRINTED_TRUST) -> list[Mention]:
    checked = barcode_prefix(text)
    if checked is None:
        return []
    return [Mention("barcode_prefix", text.strip(), checked.key, source, role=role, trust=trust, check=checked.check,
                    display=checked.key)]


def text_mentions(text: str, source: Source, role: str = "") -> list[Mention]:
    """Everything a free-text line (a chat message, a note) names: phones, ids, codes, accounts, shops."""
    digits = len(_DIGIT.findall(text))
    out = phone_mentions(text, source, role) if digits >= 7 else []
    out += wechat_mentions(text, source, role)
    out += qq_mentions(text, source, role)
    if digits >= 8:
        out += credit_code_mentions(text, source, role)
        out += licence_mentions(text, source, role)
        out += account_mentions(text, source, role)
    for match in _SHOP_IN_TEXT.finditer(_nfkc(text)):
        name = match.group(1)
        if not _BAD_CORE.search(name):
            out += name_mention(name, source, role, trust=CLAIM_TRUST)
    return out


def settle_addresses(mentions: Iterable[Mention]) -> list[Mention]:
    """Parse every address mention in one cpca batch; keep those precise enough to link (county and number)."""
    mentions = list(mentions)
    pending = [m for m in mentions if m.kind in ("address", "region") and not m.key]
    unique = sorted({m.raw for m in pending})
    parsed = dict(zip(unique, parse_addresses(unique), strict=True))
    out = []
    for m in mentions:
        if m.kind in ("address", "region") and not m.key:
            address = parsed[m.raw]
            if m.kind == "region":
                if not address.adcode:
                    continue
                m.key, m.display = address.adcode, f"{address.province}{address.city}{address.county}"
            elif address.key is None:
                continue
            else:
                m.key, m.address, m.display = address.key, address, address.display
        out.append(m)
    return out


def region_mention(text: str, source: Source, role: str = "buyer") -> list[Mention]:
    """Where goods were shipped (an order's 收货地区): context for a chain's reach, never a link."""
    raw = _nfkc(text)
    return [Mention("region", raw, "", source, role=role, display=raw)] if len(raw) >= 2 else []
