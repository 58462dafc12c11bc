"""The registry of genuine marks, and lookalike (山寨) detection against it.

A copy changes a genuine mark just enough (docs/domain.md, "Copycat brands"): a character of
similar shape or sound, a character split into its components or two merged, a radical added or
dropped, characters reordered, one added or dropped (prefixes 新, 老, 正宗, 港; suffix 牌), the mark
in pinyin, or an English mark with letters swapped.  Each candidate is scored by how many
independent signals agree - shape, sound, order, length, category and packaging words - and the
signals are reported.  Only genuine marks are listed; a name that is itself a registered mark is
never a copy of another, and a name far from every mark says nothing.

The weighted alignment is written by hand: rapidfuzz's edit distances take no per-pair
substitution cost and know no split or merged characters.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from os import PathLike
from pathlib import Path

from evidence.labels.hanzi import (
    NUMERALS,
    char_likeness,
    char_similarity,
    components,
    is_han,
    merges_into,
    syllables,
)
from evidence.labels.marks import COPY_AFFIXES, MarkCandidate, is_generic, mark_candidates, name_heads
from safeio.errors import InputError
from safeio.limits import read_capped

__all__ = ["CATEGORY_KIND", "GENERIC_WORDS", "NUMERALS", "Brand", "BrandMatch", "BrandRegistry", "Lookalike",
           "Trick", "align", "char_similarity", "default_registry"]

# Words that name a kind of product, never a maker (kept for callers; marks.py holds the full lists).
GENERIC_WORDS = ("牛奶", "纯牛奶", "核桃", "核桃乳", "可乐", "冰红茶", "绿茶", "纯净水", "矿泉水", "饮用水", "酸奶", "奶粉")

# Registry categories -> the label product types of evidence.labels.label_fields.guess_product_type.
CATEGORY_KIND = {
    **dict.fromkeys(("instant_noodles", "drinks", "dairy", "snacks", "sweets", "condiments", "edible_oil",
                     "liquor", "infant_formula", "health_food", "bakery", "tea", "grain", "meat", "frozen_food",
                     "canned_food", "coffee", "water", "beer", "wine", "food"), "food"),
    **dict.fromkeys(("toiletries", "detergents", "cosmetics", "oral_care", "paper", "daily_chemicals"), "toiletry"),
    **dict.fromkeys(("small_appliances", "home_appliances", "kitchen_appliances"), "appliance"),
    **dict.fromkeys(("electrical", "lighting"), "electrical"),
    **dict.fromkeys(("toys", "baby_goods"), "toy"),
    **dict.fromkeys(("fertilizer", "pesticide", "seed"), "fertilizer"),
}
# Words on a package that belong to a category: a copy keeps the genuine product's wording.
CATEGORY_WORDS = {
    "instant_noodles": "面 粉丝 米线 螺蛳粉", "drinks": "饮料 饮品 汽水 茶 水 果汁 可乐 凉茶 露 椰汁 乳 奶",
    "dairy": "奶 乳 酪", "snacks": "饼 糕 酥 薯 瓜子 辣条 肉干 果冻 面包 糖 巧克力 豆 果 仁 条 卷 片",
    "sweets": "糖 巧克力 果冻", "meat": "肠 肉 腿 鸭 鸡 卤", "frozen_food": "饺 汤圆 冰 雪糕 粽", "grain": "米 面 粉 麦",
    "condiments": "酱 醋 酱油 味精 鸡精 调味 底料 料酒 蚝油 腐乳 榨菜", "edible_oil": "油",
    "liquor": "酒", "infant_formula": "奶粉 配方 婴", "health_food": "保健 胶囊 片 口服液",
    "bakery": "面包 蛋糕 月饼 糕点 酥", "tea": "茶", "beer": "啤酒", "wine": "葡萄酒 红酒",
    "toiletries": "洗发 护发 沐浴 香皂 牙膏 洗手", "detergents": "洗衣 洗洁 洗涤 皂", "cosmetics": "霜 乳液 精华 面膜",
    "small_appliances": "电 壶 煲 锅 机 器", "electrical": "插座 转换器 开关 断路器 电线 插头 灯",
    "toys": "玩具 积木 车", "fertilizer": "肥", "pesticide": "药 剂", "seed": "种",
}
SHAPE_TRICKS = frozenset({"glyph", "radical_added", "radical_dropped", "split", "merge"})
SOUND_TRICKS = frozenset({"sound", "near_sound"})
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'&.\- ]{1,30}[A-Za-z]")
INDEL = 0.6   # one character more or less: a known trick, cheaper than an unrelated character
AFFIX = 0.3   # a copy-maker's prefix or suffix (新, 老, 正宗, 港, 牌) at either end
SWAP = 0.3    # two neighbours reordered
COMPONENTS = 0.2  # one character written as its two components, or two merged into one

_ZH = {"glyph": "形近", "radical_added": "加偏旁", "radical_dropped": "减偏旁", "sound": "音近",
       "near_sound": "近音", "number": "数字替换", "split": "拆字", "merge": "并字", "reorder": "颠倒",
       "added": "加字", "removed": "减字", "prefix": "加前缀", "suffix": "加后缀", "latin": "英文仿写",
       "pinyin": "拼音仿写", "changed": "改字"}
_EN = {"glyph": "glyph", "radical_added": "radical added", "radical_dropped": "radical dropped",
       "sound": "sound", "near_sound": "near sound", "number": "number swap", "split": "split into components",
       "merge": "components merged", "reorder": "reordered characters", "added": "added character",
       "removed": "removed character", "prefix": "added prefix", "suffix": "added suffix",
       "latin": "Latin imitation", "pinyin": "pinyin imitation", "changed": "changed character"}
# which independent signal each trick is evidence of
SIGNAL = {"glyph": "shape", "radical_added": "shape", "radical_dropped": "shape", "split": "shape",
          "merge": "shape", "sound": "sound", "near_sound": "sound", "number": "number", "reorder": "order",
          "added": "length", "removed": "length", "prefix": "affix", "suffix": "affix", "latin": "spelling",
          "pinyin": "sound"}
MAX_BRANDS_BYTES = 16 << 20  # some 100,000 brands


@dataclass(frozen=True)
class Brand:
    """A genuine mark as the registry knows it, with where the entry came from."""

    name: str
    owner: str
    category: str
    family: str
    latin: str = ""
    source: str = ""


@dataclass(frozen=True)
class Trick:
    """One change from the genuine mark to the name seen: its kind and the characters involved."""

    kind: str
    genuine: str = ""
    seen: str = ""

    def describe(self, lang: str = "both") -> str:
        change = f"{self.genuine}→{self.seen}" if self.genuine or self.seen else ""
        if self.kind in ("added", "prefix", "suffix"):
            change = self.seen
        elif self.kind == "removed":
            change = self.genuine
        if lang == "en":
            return f"{_EN[self.kind]}: {change}" if change else _EN[self.kind]
        if lang == "zh":
            return f"{_ZH[self.kind]}：{change}" if change else _ZH[self.kind]
        return f"{_ZH[self.kind]} {_EN[self.kind]}: {change}" if change else f"{_ZH[self.kind]} {_EN[self.kind]}"


@dataclass
class Lookalike:
    """A genuine mark that a name imitates, how closely, and the agreeing signals."""

    brand: str
    score: float
    reasons: list[str]
    owner: str = ""
    matched: str = ""
    tricks: list[Trick] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"brand": self.brand, "score": round(self.score, 3), "reasons": self.reasons,
                "owner": self.owner, "matched": self.matched}

    def to_record(self) -> dict:
        """The JSON form plus the signals and tricks as codes, for reports that display them in any language."""
        return {**self.to_dict(), "signals": list(self.signals),
                "tricks": [{"kind": t.kind, "genuine": t.genuine, "seen": t.seen} for t in self.tricks]}


@dataclass
class BrandMatch:
    """What a name is: a genuine mark (or holds one), and which genuine marks it imitates."""

    name: str
    genuine: str | None = None
    lookalikes: list[Lookalike] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"name": self.name, "genuine": self.genuine, "lookalikes": [x.to_dict() for x in self.lookalikes]}


# --- alignment --------------------------------------------------------------------------------------


def align(brand: str, seen: str) -> tuple[float, list[Trick]]:
    """Weighted edit cost from the genuine ``brand`` to the ``seen`` name, and the tricks on the way."""
    n, m = len(brand), len(seen)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0

    def indel(i: int, j: int, added: bool) -> tuple[float, str]:
        char = seen[j - 1] if added else brand[i - 1]
        at_end = (j == 1 or j == m) if added else (i == 1 or i == n)
        if added and at_end and char in COPY_AFFIXES:
            return AFFIX, ("prefix" if j == 1 else "suffix")
        return INDEL, ("added" if added else "removed")

    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            steps = []
            if i < n and j < m:
                like = char_likeness(brand[i], seen[j])
                kinds = like.tricks or (("changed",) if brand[i] != seen[j] else ())
                steps.append((i + 1, j + 1, 1 - like.similarity, tuple(Trick(k, brand[i], seen[j]) for k in kinds)))
            if i < n:
                c, kind = indel(i + 1, j, False)
                steps.append((i + 1, j, c, (Trick(kind, brand[i], ""),)))
            if j < m:
                c, kind = indel(i, j + 1, True)
                if j == 0 and seen.startswith("正宗") and i == 0:
                    steps.append((0, 2, AFFIX, (Trick("prefix", "", "正宗"),)))
                steps.append((i, j + 1, c, (Trick(kind, "", seen[j]),)))
            if i + 1 < n and j + 1 < m and brand[i] == seen[j + 1] and brand[i + 1] == seen[j] \
                    and brand[i] != brand[i + 1]:
                steps.append((i + 2, j + 2, SWAP, (Trick("reorder", brand[i:i + 2], seen[j:j + 2]),)))
            if i < n and j + 1 < m and merges_into(seen[j:j + 2], brand[i]):
                steps.append((i + 1, j + 2, COMPONENTS, (Trick("split", brand[i], seen[j:j + 2]),)))
            if i + 1 < n and j < m and merges_into(brand[i:i + 2], seen[j]):
                steps.append((i + 2, j + 1, COMPONENTS, (Trick("merge", brand[i:i + 2], seen[j]),)))
            for ni, nj, c, tricks in steps:
                if here + c < cost[ni][nj] - 1e-12:
                    cost[ni][nj] = here + c
                    back[ni][nj] = (i, j, tricks)
    tricks: list[Trick] = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, found = back[i][j]
        tricks[:0] = found
        i, j = pi, pj
    return cost[n][m], tricks


def _reordered(brand: str, seen: str) -> bool:
    return len(brand) >= 3 and brand != seen and sorted(brand) == sorted(seen)


def _threshold(length: int) -> float:
    return 0.78 if length <= 2 else 0.74


# --- the registry -----------------------------------------------------------------------------------


class BrandRegistry:
    """Genuine marks (name, owner, category, family, source), from the shipped CSV plus the user's own."""

    def __init__(self, brands: list[Brand]) -> None:
        self.brands: dict[str, Brand] = {}
        for b in brands:
            self.brands.setdefault(b.name, b)
        self.names = frozenset(self.brands)
        self._by_char: dict[str, set[str]] = {}
        self._by_sound: dict[str, set[str]] = {}
        for name in self.brands:
            for ch in set(name):
                self._by_char.setdefault(ch, set()).add(name)
                for part in components(ch):
                    self._by_char.setdefault(part, set()).add(name)
            for syllable in syllables(name[0]):
                self._by_sound.setdefault(syllable, set()).add(name)
        self._repeated = {name for name in self.brands if len(name) >= 2 and len(set(name)) == 1}
        self._latin: dict[str, str] = {}
        self._pinyin: dict[str, str] = {}
        for b in self.brands.values():
            if b.latin:
                self._latin.setdefault(_squash_latin(b.latin), b.name)
            if not any(is_han(c) for c in b.name):
                self._latin.setdefault(_squash_latin(b.name), b.name)
            elif all(is_han(c) for c in b.name) and len(b.name) >= 2:
                self._pinyin.setdefault(_pinyin_key(b.name), b.name)

    @classmethod
    def load(cls, extra_csv: str | PathLike | None = None) -> BrandRegistry:
        """The shipped registry, plus ``extra_csv`` (columns brand, owner, category, family[, latin, source]).

        Parameters
        ----------
        extra_csv : a user's own CSV of genuine marks, added to the shipped list.

        Returns
        -------
        BrandRegistry

        Raises
        ------
        InputError
            When the CSV is missing, not UTF-8, or lacks the needed columns or a brand name.
        """
        brands = _read_csv(files("evidence").joinpath("data/brands.csv").read_text(encoding="utf-8"), "brands.csv")
        if extra_csv is not None:
            path = Path(extra_csv)
            try:
                text = read_capped(path, MAX_BRANDS_BYTES, what="brand list").decode("utf-8-sig")
            except UnicodeDecodeError as err:
                raise InputError("the brand list is not UTF-8 text", path=path,
                                 hint="Save the CSV as UTF-8 (Excel: 'CSV UTF-8') and try again.") from err
            brands = _read_csv(text, str(path)) + brands  # the user's own entry wins
        return cls(brands)

    def __len__(self) -> int:
        return len(self.brands)

    def __contains__(self, name: str) -> bool:
        return name in self.brands

    def same_family(self, a: str, b: str) -> bool:
        """Whether two marks belong to one owner group (旺旺 / 旺仔): never copies of each other."""
        x, y = self.brands.get(a), self.brands.get(b)
        return bool(x and y and (x.family == y.family or (x.owner and x.owner == y.owner)))

    # -- matching ------------------------------------------------------------------------------------

    def match(self, name: str, *, anchored: bool = True) -> BrandMatch:
        """Is ``name`` a genuine mark (or does it start with one), and which genuine marks does it imitate?

        Parameters
        ----------
        name : a mark or a product name as printed ("康帅傅", "康帅傅红烧牛肉面", "Tibe").
        anchored : kept for callers of the earlier interface; marks are always read from the start.

        Returns
        -------
        BrandMatch
            ``genuine`` when the name is (or starts with) a registered mark, else the lookalikes.
        """
        text = unicodedata.normalize("NFKC", name).strip()
        result = BrandMatch(name=name)
        squashed = re.sub(r"\s+", "", text)
        if squashed in self.brands:
            result.genuine = squashed
            return result
        if _squash_latin(text) in self._latin and not any(is_han(c) for c in text):
            result.genuine = self._latin[_squash_latin(text)]
            return result
        candidates = mark_candidates(product_name=text, known=self.names)
        for cand in candidates:
            if cand.text in self.brands and not cand.where.endswith("_guess"):
                result.genuine = cand.text
                return result
        prefix = self.known_prefix(squashed)
        result.lookalikes = self.lookalikes(candidates, exclude_family_of=prefix)
        if not result.lookalikes and prefix:
            result.genuine = prefix  # 达利园蛋黄派: a registered mark with product words we do not list
        return result

    def known_prefix(self, name: str) -> str | None:
        """The longest registered mark that a name starts with (金正 in 金正太), if any."""
        for size in range(min(len(name), 12), 1, -1):
            if name[:size] in self.brands:
                return name[:size]
        return None

    def lookalikes(self, candidates: list[MarkCandidate], *, product_type: str | None = None,
                   product_name: str | None = None, exclude_family_of: str | None = None,
                   limit: int = 5) -> list[Lookalike]:
        """The genuine marks that any candidate imitates, best first, one entry per mark.

        A candidate that is itself a registered mark imitates nothing.  With ``product_type`` known,
        a mark of another kind of product is not a lookalike (a fertilizer mark on a food label).

        Parameters
        ----------
        candidates : list of MarkCandidate
            Where the label's mark may stand (:func:`evidence.labels.marks.mark_candidates`).
        product_type : str, optional
            The label's kind of product (food, toiletry, appliance …): adds the ``category`` signal.
        product_name : str, optional
            The product name: adds the ``packaging`` signal when it uses the mark's product words.
        exclude_family_of : str, optional
            A registered mark the name starts with: its parts printed there are not copies.
        limit : int
            At most this many lookalikes.

        Returns
        -------
        list of Lookalike
        """
        found: dict[str, Lookalike] = {}
        for cand in candidates:
            if cand.text in self.brands or _squash_latin(cand.text) in self._latin:
                continue
            if exclude_family_of and len(cand.text) <= len(exclude_family_of) \
                    and exclude_family_of.startswith(cand.text):
                continue  # a part of the genuine mark printed right there (百事 in 百事可乐)
            for look in self._compare_all(cand.text):
                brand = self.brands[look.brand]
                kind = CATEGORY_KIND.get(brand.category)
                if product_type and product_type != "unknown" and kind and kind != product_type:
                    continue
                if product_type and kind == product_type:
                    look.signals.append("category")
                words = CATEGORY_WORDS.get(brand.category, "").split()
                if product_name and any(w in product_name for w in words):
                    look.signals.append("packaging")
                if look.brand not in found or look.score > found[look.brand].score:
                    found[look.brand] = look
        return sorted(found.values(), key=lambda x: (-x.score, -len(x.signals), x.brand))[:limit]

    def _compare_all(self, seen: str) -> list[Lookalike]:
        if is_generic(seen):
            return []
        if not any(is_han(c) for c in seen):
            return self._latin_lookalikes(seen)
        # A copy keeps most of the mark's own characters (compare() allows at most half changed), or
        # sounds the same throughout, or repeats one changed character (洽洽 -> 恰恰): only those
        # marks are aligned, which keeps a registry of thousands fast.
        hits: dict[str, int] = {}
        for ch in set(seen):
            for brand in self._by_char.get(ch, ()):
                if ch in brand:
                    hits[brand] = hits.get(brand, 0) + sum(1 for c in brand if c == ch)
        pool = {b for b, n in hits.items() if abs(len(b) - len(seen)) <= 2
                and (n >= len(b) - len(b) // 2 or len(set(b)) < len(b))}  # 奥利奥 -> 粤利粤: one change, twice
        pool |= self._sound_twins(seen)
        pool |= {b for b in self._repeated if len(b) == len(seen)}
        out = []
        for brand in pool:
            if len(brand) < 2:
                continue
            if abs(len(brand) - len(seen)) == 2 and not seen.startswith(("正宗", *COPY_AFFIXES)) \
                    and not any(merges_into(seen[k:k + 2], ch) for ch in brand for k in range(len(seen) - 1)):
                continue  # two characters more or less: only an affix or a split character explains it
            look = self.compare(brand, seen)
            if look is not None:
                out.append(look)
        return out

    def _sound_twins(self, seen: str) -> set[str]:
        """Marks of the same length whose every character shares a reading with the name's (特仑苏 / 特伦酥)."""
        keys = [syllables(c) for c in seen]
        if not all(keys):
            return set()
        found = set()
        for brand in self._by_sound.get(next(iter(keys[0])), ()):
            if len(brand) == len(seen) and all(syllables(b) & k for b, k in zip(brand, keys, strict=True)):
                found.add(brand)
        return found

    def compare(self, brand: str, seen: str) -> Lookalike | None:
        """The lookalike of genuine ``brand`` that ``seen`` is, or None when it is not one."""
        if seen == brand or seen in self.brands or len(brand) < 2:
            return None
        if _reordered(brand, seen):
            tricks = [Trick("reorder", brand, seen)]
            score = 1 - SWAP / len(brand)
        else:
            cost, tricks = align(brand, seen)
            score = 1 - cost / len(brand)
        if score < _threshold(len(brand)) or not tricks:
            return None
        kinds = {t.kind for t in tricks}
        if "changed" in kinds:
            return None  # a character that neither looks nor sounds alike: another name, not a copy
        edits = len({(t.genuine, t.seen, t.kind in SHAPE_TRICKS or t.kind in SOUND_TRICKS) for t in tricks})
        all_sound = len(seen) == len(brand) and all(t.kind in SOUND_TRICKS for t in tricks)
        repeated = len(set(brand)) == 1 and len({(t.genuine, t.seen) for t in tricks if t.genuine}) == 1
        if edits > max(1, len(brand) // 2) and not all_sound and kinds != {"reorder"} and not repeated:
            return None  # more changed than a shopper would still read as the mark
        if len(brand) <= 2:
            if kinds & {"reorder"}:
                return None  # two characters swapped make an ordinary other word (达利 / 利达)
            if any(t.genuine and t.seen for t in tricks) and not kinds & SHAPE_TRICKS:
                return None  # a two-character mark is copied by shape (雷碧, 红午); a homophone alone is another word
            # one character more or less on a two-character mark is any word at all (a copy-maker's
            # prefix or suffix excepted: 新, 老, 正宗, 港, 牌)
            if kinds & {"added", "removed"}:
                return None
            if any(t.kind == "glyph" and char_likeness(t.genuine, t.seen).similarity < 0.55 for t in tricks):
                return None
            changed = [t for t in tricks if t.genuine and t.seen]
            same_swap = len({(t.genuine, t.seen) for t in changed}) == 1 and len(set(brand)) == 1  # 洽洽 -> 恰恰
            if not any(c in seen for c in brand) and not all(t.kind == "sound" for t in changed) and not same_swap:
                return None
        kept = [c for c in brand if c in seen]
        if not kept and not kinds & {"sound", "near_sound", "split", "merge", "radical_added", "radical_dropped"}:
            return None
        owner = self.brands[brand].owner
        signals = sorted({SIGNAL[t.kind] for t in tricks if t.kind in SIGNAL} | self._agreeing(tricks))
        reasons = list(dict.fromkeys(t.describe() for t in tricks))
        return Lookalike(brand=brand, score=score, reasons=reasons, owner=owner, matched=seen,
                         tricks=tricks, signals=signals)

    @staticmethod
    def _agreeing(tricks: list[Trick]) -> set[str]:
        """Signals beyond each trick's own: a changed character that also sounds (or looks) the same."""
        extra = set()
        for t in tricks:
            if t.kind in ("glyph", "radical_added", "radical_dropped") and t.genuine and t.seen:
                if "sound" in char_likeness(t.genuine, t.seen).tricks:
                    extra.add("sound")
            if t.kind in ("sound", "near_sound") and t.genuine and t.seen:
                if char_similarity(t.genuine, t.seen)[0] and any(
                        k in char_likeness(t.genuine, t.seen).tricks for k in ("glyph", "radical_added",
                                                                                "radical_dropped")):
                    extra.add("shape")
        return extra

    def _latin_lookalikes(self, run: str) -> list[Lookalike]:
        from rapidfuzz.distance import DamerauLevenshtein

        word = _squash_latin(run)
        if len(word) < 4 or word in self._latin:
            return []
        out = []
        pinyin_brand = self._pinyin.get(word)
        if pinyin_brand:
            out.append(self._latin_look(pinyin_brand, run, 0.92, "pinyin", ["sound", "spelling"]))
        for key, brand in (*self._latin.items(), *self._pinyin.items()):
            if brand == pinyin_brand or abs(len(key) - len(word)) > 2 or len(key) < 4:
                continue
            distance = DamerauLevenshtein.distance(word, key)
            limit = 1 if len(key) <= 5 else 2
            if distance <= limit and word[0] == key[0]:
                score = 1 - distance / max(len(key), len(word)) * 0.9
                kind = "latin" if key in self._latin else "pinyin"
                out.append(self._latin_look(brand, run, score, kind, ["spelling"]))
        return out

    def _latin_look(self, brand: str, run: str, score: float, kind: str, signals: list[str]) -> Lookalike:
        trick = Trick(kind, (self.brands[brand].latin or brand) if kind == "latin" else brand, run)
        return Lookalike(brand, score, [trick.describe()], self.brands[brand].owner, run, [trick], list(signals))

    def heads(self, name: str) -> list[str]:
        """The leading parts of a product name that may be its mark (see :func:`evidence.labels.marks.name_heads`)."""
        return name_heads(name, self.names)


def _squash_latin(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", unicodedata.normalize("NFKC", text).upper())


@lru_cache(maxsize=8192)
def _pinyin_key(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).upper()


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
                            family=(row.get("family") or "").strip() or name, latin=(row.get("latin") or "").strip(),
                            source=(row.get("source") or "").strip() or where))
    return brands


@lru_cache(maxsize=1)
def default_registry() -> BrandRegistry:
    """The shipped registry, loaded once per process."""
    return BrandRegistry.load()
