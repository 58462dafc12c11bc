"""The parties a label names, each with its own name, address and licence.

A label may name a client (委托方) and the factory that made the goods for it (受委托方), a
packer (分装), a distributor, an importer, or (cosmetics) a registrant (注册人/备案人) beside
the manufacturer; an address or a licence belongs to the party printed with it, never to
another.  A label may list two factories, each with a code letter ("(代码Y)"), and print the
letter after the date ("2025.06.21.Y"): both are kept and the letter says which made the item.

Lines come in reading order with their layout block (evidence.labels.layout): a party never
takes an address or a licence from another block.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from itertools import pairwise

__all__ = ["MAKER_ROLES", "ROLE_KEYS", "Party", "coded_date", "find_parties", "made_by", "responsible_party"]

# role -> keys as printed (simplified), longest first at match time
ROLE_KEYS: dict[str, tuple[str, ...]] = {
    "contractor": ("受委托生产企业", "受委托生产商", "受委托方", "被委托方", "被委托商", "受托方", "受委托单位",
                   "受委托企业", "被委托生产企业"),
    "client": ("委托生产企业", "委托方", "委托单位", "委托商", "委托企业"),
    "producer": ("生产企业名称", "生产者名称", "生产企业", "生产者", "生产商", "制造商", "生产单位", "制造单位",
                 "制造者", "生产厂家", "生产厂商", "制造企业", "出品商"),
    "packer": ("分装企业", "分装商", "分装单位", "分装者"),
    "distributor": ("总经销商", "经销商", "总经销", "经销单位", "销售商", "代理商", "总代理"),
    "registrant": ("化妆品注册人/备案人", "注册人/备案人", "化妆品注册人", "化妆品备案人", "注册人", "备案人",
                   "境内责任人"),
    "importer": ("进口代理商", "进口经销商", "进口商"),
}
# who may have made the goods, in the order a maker is chosen when the label does not say
MAKER_ROLES = ("contractor", "producer", "packer")
_FALLBACK_ROLES = ("client", "importer", "registrant", "distributor")

_ROLE_INDEX = sorted(((k, r) for r, ks in ROLE_KEYS.items() for k in ks), key=lambda kv: -len(kv[0]))
_ROLE_RE = re.compile(r"(?:^|(?<=[\s【\[(（]))(" + "|".join(re.escape(k) for k, _ in _ROLE_INDEX) + r")"
                      r"(?:名称)?\s*[】\]）)]?\s*[:：;；]\s*(.*)$")
_ROLE_OF = dict(_ROLE_INDEX)
_ADDRESS_RE = re.compile(r"(?:^|(?<=[\s【\[(（]))(?:(委托方|受委托方|被委托方|生产者|生产商|制造商|注册人|备案人|进口商|经销商)"
                         r"\s*)?(生产地址|企业地址|厂址|地址|住所|址)\s*[:：;；]\s*(.*)$")  # 址: its first character covered
_NESTED_ADDRESS_RE = re.compile(r"(?:生产地址|企业地址|厂址|地址)\s*[:：;；]\s*(.*)$")
_ORIGIN_RE = re.compile(r"(?:^|(?<=\s))(?:原产地|原产国|产地)\s*[:：]\s*(\S+?)(?=\s|原产地|产地|$)")
_LICENCE_RE = re.compile(r"S\s?C\s?[:：]?\s?\d{14}(?!\d)|Q\s?S\s?[:：]?\s?\d{12}(?!\d)|[\u4e00-\u9fff]\s?妆\s?\d{8}"
                         r"|XK\s?\d{2}\s?-\s?\d{3}\s?-\s?\d{5}")
_CODE_RE = re.compile(r"[(（]\s*(?:代码|代号|生产代码|工厂代码)?\s*[:：]?\s*([A-Z])\s*[)）]|(?:代码|代号)\s*[:：]?\s*([A-Z])\b")
# notes printed after a name: "(分装)", "(代码Y)", "(Y)"; a name's own brackets ("(中国)") stay
_TAIL_RE = re.compile(r"(?:代码|代号)\s*[:：]?\s*[A-Z]|[(（]\s*(?:[A-Z]|(?:生产|工厂)?代[码号]\s*[:：]?\s*[A-Z]|分装|受?委托"
                      r"|受托)\s*[)）]")
# a date or batch code ending in a factory letter: 2025.06.21.Y, 20250621Y, 2025-06-21 Y
_DATE_CODE_RE = re.compile(r"(?:19|20)\d{2}\s*[./\-年]?\s*[01]?\d\s*[./\-月]?\s*[0-3]?\d\s*日?\s*[./\-\s]?\s*([A-Z])(?![A-Za-z0-9])")


@dataclass
class Party:
    """One party as printed: its role, name, address, licence, origin, factory code and layout block."""

    role: str
    name: str
    address: str | None = None
    licence: str | None = None
    origin: str | None = None
    code: str | None = None
    block: int = 0
    packs: bool = False  # "(分装)" after the name: this factory packed the goods

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}


def _company(text: str) -> str:
    """The name without the code and packing notes printed after it ("(分装|代码Y)": OCR reads the ")("
    between two notes as a bar)."""
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s*[|｜]\s*(?=代[码号])", ")(", text)
    return re.sub(r"\s+", "", _TAIL_RE.sub("", text)).strip(" :：,，;；。") or text.strip()


def _licence(text: str) -> str | None:
    found = _LICENCE_RE.search(text.replace(" ", ""))
    return re.sub(r"[\s:：]", "", found.group(0)) if found else None


def find_parties(lines: list[tuple[str, int]]) -> list[Party]:
    """The parties named on a label, in reading order, from (normalised line, block) pairs."""
    parties: list[Party] = []
    pending: tuple[str, int] | None = None  # a licence printed just above its party
    lines = [(part, block) for line, block in lines for part in _split_parties(line)]
    for index, (line, block) in enumerate(lines):
        found = _ROLE_RE.search(line)
        if found and found.group(2).strip():
            value = found.group(2)
            nested = _NESTED_ADDRESS_RE.search(value)
            name_part = value[: nested.start()] if nested else value
            code = _CODE_RE.search(name_part)
            party = Party(role=_ROLE_OF[found.group(1)], name=_company(name_part), block=block,
                          code=(code.group(1) or code.group(2)) if code else None, packs="分装" in name_part)
            if nested:
                party.address = nested.group(1).strip() or None
            if pending and pending[1] == block:
                party.licence = pending[0]
            pending = None
            parties.append(party)
            continue
        current = parties[-1] if parties and parties[-1].block == block else None
        address = _ADDRESS_RE.search(line)
        if address and address.group(3).strip():
            role_word = address.group(1)
            target = current
            if role_word:
                role = _ROLE_OF.get(role_word)
                target = next((p for p in reversed(parties) if p.role == role), current)
            if target is not None and target.address is None:
                target.address = address.group(3).strip()
            continue
        origin = _ORIGIN_RE.search(line)
        if origin and current is not None and current.origin is None:
            current.origin = origin.group(1)
        licence = _licence(line)
        if licence:
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following and following[1] == block and _ROLE_RE.search(following[0]):
                pending = (licence, block)
            elif current is not None and current.licence is None:
                current.licence = licence
            else:
                pending = (licence, block)
    return parties


_ANY_ROLE = re.compile("(?:" + "|".join(re.escape(k) for k, _ in _ROLE_INDEX) + r")(?:名称)?\s*[:：]")


def _split_parties(line: str) -> list[str]:
    """One row that names two parties side by side ("受委托方:甲公司 受委托方:乙公司") as two rows."""
    starts = [m.start() for m in _ANY_ROLE.finditer(line)]
    starts = [at for k, at in enumerate(starts) if k == 0 or at > starts[k - 1] + 2]
    if len(starts) < 2:
        return [line]
    cuts = [0, *starts[1:], len(line)]
    return [line[a:b].strip() for a, b in pairwise(cuts) if line[a:b].strip()]


def coded_date(lines: list[str]) -> str | None:
    """The ISO date of a line that is only a date followed by a factory letter, when there is one."""
    from datetime import date

    for line in lines:
        found = re.fullmatch(r"\s*((?:19|20)\d{2})\s*[./\-年]?\s*([01]?\d)\s*[./\-月]?\s*([0-3]?\d)\s*日?\s*[./\-\s]?\s*[A-Z]\s*",
                             line)
        if found:
            try:
                return date(int(found.group(1)), int(found.group(2)), int(found.group(3))).isoformat()
            except ValueError:
                continue
    return None


def made_by(parties: list[Party], lines: list[str]) -> Party | None:
    """The factory the date or batch code names by its letter, when the label lists coded factories."""
    coded = {p.code: p for p in parties if p.code}
    if len(coded) < 1:
        return None
    for line in lines:
        for found in _DATE_CODE_RE.finditer(line):
            if found.group(1) in coded:
                return coded[found.group(1)]
    return None


def responsible_party(parties: list[Party], lines: list[str]) -> Party | None:
    """The party that made the goods: the coded factory the date names, else the first maker, else who
    answers for them on the label (client, importer, registrant, distributor)."""
    chosen = made_by(parties, lines)
    if chosen is not None:
        return chosen
    for roles in (MAKER_ROLES, _FALLBACK_ROLES):
        found = [p for p in parties if p.role in roles]
        if found:
            with_address = [p for p in found if p.address]
            return (with_address or found)[0]
    return None
