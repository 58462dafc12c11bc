"""Place names at the start of a company name or address, from cpca's offline table of China's divisions.

cpca (offline, GB/T 2260 adcodes) matches full names in addresses; names of shops and companies
also use short forms ("周口恒昌", "鹿邑县恒昌", "河南周口"), and county renames since cpca's table
(淮阳县 -> 淮阳区, 2019) keep the core of the name.  So the index here holds, per division, its full
name and its core with every usual suffix (县/区/市 for counties), and answers "which places does
this text start with".

A short county name at the very start without a larger place before it ("新兴副食", "长安汽车")
is as likely a word of the name as a place, so it is reported as *uncertain*: the name keeps it in
its main form and drops it only in an alternative form (see :mod:`links.names`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Place", "PlaceIndex", "PrefixParse", "place_index"]

_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "新区", "林区", "矿区", "省", "市", "县",
             "区", "盟", "旗")
_TOWN = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:镇|乡|街道|办事处))")


@dataclass(frozen=True)
class Place:
    """Where a name or address says it is: candidate adcodes (6 digits) of its smallest division, and a town."""

    adcodes: frozenset[str] = frozenset()
    town: str = ""
    text: str = ""

    @property
    def known(self) -> bool:
        return bool(self.adcodes or self.town)

    def compatible(self, other: Place) -> bool:
        """False when the two places may not be the same: different divisions or towns, or a town
        against a division (which county a town lies in is not known here: 玄武镇 may or may not be
        in 鹿邑县).  A name that states no place is compatible with any."""
        if not self.known or not other.known:
            return True
        if self.adcodes and other.adcodes and not any(_nested(a, b) for a in self.adcodes for b in other.adcodes):
            return False
        if self.town and other.town:
            return self.town == other.town
        # at most one states a town: fine if both state a division, not if one states only a town
        return bool(self.adcodes and other.adcodes)


def _stem(adcode: str) -> str:
    if adcode.endswith("0000"):
        return adcode[:2]
    if adcode.endswith("00"):
        return adcode[:4]
    return adcode


def _nested(a: str, b: str) -> bool:
    sa, sb = _stem(a), _stem(b)
    return sa.startswith(sb) or sb.startswith(sa)


@dataclass(frozen=True)
class PrefixParse:
    """The places a text starts with, what remains, and an uncertain short county name (if any)."""

    place: Place
    rest: str
    uncertain: str = ""


class PlaceIndex:
    """Full and short names of China's provinces, cities and counties, by the adcodes they may mean."""

    def __init__(self, divisions: dict[str, str]) -> None:
        self.names = dict(divisions)
        self.full: dict[str, set[str]] = {}
        self.short: dict[str, set[str]] = {}
        for adcode, name in divisions.items():
            self.full.setdefault(name, set()).add(adcode)
        originals = set(self.full)
        for adcode, name in divisions.items():
            rank = 0 if adcode.endswith("0000") else 1 if adcode.endswith("00") else 2
            core = _core(name)
            if not core or core == name:
                continue
            self.short.setdefault(core, set()).add(adcode)
            # 撤县设区 / 撤县设市 keep the core: 淮阳县 is now 淮阳区.  An alias never shadows a real name
            # (太和县 of 阜阳 is not 太和区 of 锦州).
            aliases = [core + s for s in ("县", "区", "市")] if rank == 2 else [core + "市"] if rank == 1 else []
            for alias in aliases:
                if alias not in originals:
                    self.full.setdefault(alias, set()).add(adcode)
        self.rank = {a: (0 if a.endswith("0000") else 1 if a.endswith("00") else 2)
                     for codes in self.full.values() for a in codes}
        self.max_len = max(map(len, self.full))

    def _lookup(self, text: str, table: dict[str, set[str]], within: set[str] | None) -> tuple[str, set[str]]:
        for size in range(min(self.max_len, len(text)), 1, -1):
            codes = table.get(text[:size])
            if not codes:
                continue
            if within:
                codes = {c for c in codes if any(_nested(c, w) and self.rank[c] > self.rank[w] for w in within)}
                if not codes:
                    continue
            return text[:size], codes
        return "", set()

    def parse_prefix(self, text: str, *, min_rest: int = 2, lenient: bool = False) -> PrefixParse:
        """The places ``text`` starts with (province, city, county, then a town), leaving at least ``min_rest`` characters.

        ``lenient`` takes a lone short county name at the start as a place (right for addresses,
        wrong for names: "新兴副食" is a shop, not a shop in 新兴县).
        """
        rest, current, matched, uncertain = text, set(), [], ""
        while rest:
            word, codes = self._lookup(rest, self.full, current or None)
            certain = bool(word)
            if not word:
                word, codes = self._lookup(rest, self.short, current or None)
                # a short name is a place when a larger place came first, or when it names a
                # province or a city; a lone short county name may be a word of the name itself
                certain = bool(word) and (lenient or bool(current) or min(self.rank[c] for c in codes) < 2)
            if not word or len(rest) - len(word) < min_rest:
                break
            if not certain and (rest[len(word):][:1] in ("镇", "乡") or rest[len(word):].startswith("街道")):
                break  # 新安镇 is a town, whatever 新安县 is
            if not certain:
                if not uncertain and not matched:
                    uncertain = word
                break
            matched.append(word)
            current = codes
            rest = rest[len(word):]
        town = ""
        m = _TOWN.match(rest)
        if m and len(rest) - len(m.group(1)) >= min_rest and (matched or not uncertain):
            town = m.group(1)
            rest = rest[len(town):]
        place = Place(frozenset(current), town, "".join(matched) + town)
        return PrefixParse(place, rest, uncertain)


def _core(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    """The index built once per process from cpca's table of divisions (offline, in its wheel)."""
    from safeio.cpca_loader import load_cpca

    cpca = load_cpca()
    divisions = {}
    for adcode, info in cpca.ad_2_addr_dict.items():
        code = str(adcode)[:6]
        name = str(info.name)
        if code.isdigit() and not name.endswith("行政区划") and "群岛" not in name and name != "市辖区":
            divisions[code] = name
    return PlaceIndex(divisions)
