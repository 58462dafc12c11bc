"""The registry of genuine marks, and lookalike (山寨) detection against it.

A copy changes a genuine mark just enough (docs/domain.md, "Copycat brands"): a character of
similar shape or sound, a character split into its components or two merged, a radical added or
dropped, characters reordered, one added or dropped (prefixes 新, 老, 正宗, 港; suffix 牌), the mark
in pinyin, or an English mark with letters swapped.  Each candidate is scored by how many
independent signals agree - shape, sound, order, length, category and packaging words - and the
signals are reported.  Only genuine marks are listed; a name that is itself a registered mark is
never a copy of another, and a name far from every mark says nothing.  The tricks and the
alignment that finds them are in :mod:`evidence.labels.mark_tricks`.
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
from evidence.labels.mark_tricks import (
    SHAPE_TRICKS,
    SIGNAL,
    SWAP,
    TRICK_FAMILY,
    Trick,
    align,
    changes,
    enough_kept,
    is_reordered,
    threshold,
    within_reach,
)
from evidence.labels.marks import COPY_AFFIXES, MarkCandidate, is_generic, mark_candidates, name_heads
from safeio.errors import InputError
from safeio.limits import read_capped

__all__ = ["CATEGORY_KIND", "GENERIC_WORDS", "NUMERALS", "TRICK_FAMILY", "Brand", "BrandMatch", "BrandRegistry",
           "Lookalike", "Trick", "align", "char_similarity", "default_registry"]

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
    "condiments": "酱 醋 酱油 生抽 老抽 味精 鸡精 调味 底料 料酒 蚝油 腐乳 榨菜", "edible_oil": "油",
    "liquor": "酒", "infant_formula": "奶粉 配方 婴", "health_food": "保健 胶囊 片 口服液",
    "bakery": "面包 蛋糕 月饼 糕点 酥", "tea": "茶", "beer": "啤酒", "wine": "葡萄酒 红酒",
    "toiletries": "洗发 护发 沐浴 香皂 牙膏 洗手", "detergents": "洗衣 洗洁 洗涤 皂", "cosmetics": "霜 乳液 精华 面膜",
    "small_appliances": "电 壶 煲 锅 机 器", "electrical": "插座 转换器 开关 断路器 电线 插头 灯",
    "toys": "玩具 积木 车", "fertilizer": "肥", "pesticide": "药 剂", "seed": "种",
}
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'&.\- ]{1,30}[A-Za-z]")
WHOLE_MARK = 6  # a name given alone of at most this many characters is also compared whole
HOMOPHONE_ONLY = 0.88  # the highest score of a two-character mark copied by sound alone
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
        """The JSON form: ``tricks`` and ``signals`` are codes; ``reasons`` the same tricks in words."""
        return {"brand": self.brand, "score": round(self.score, 3), "reasons": self.reasons,
                "owner": self.owner, "matched": self.matched, "signals": list(self.signals),
                "tricks": [t.to_dict() for t in self.tricks]}

    def to_record(self) -> dict:
        """The JSON form, for reports that display the codes in any language."""
        return self.to_dict()


@dataclass
class BrandMatch:
    """What a name is: a genuine mark (or holds one), and which genuine marks it imitates."""

    name: str
    genuine: str | None = None
    lookalikes: list[Lookalike] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"name": self.name, "genuine": self.genuine, "lookalikes": [x.to_dict() for x in self.lookalikes]}


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
                for key in _pinyin_keys(b.name):
                    self._pinyin.setdefault(key, b.name)

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
        if not any(is_han(c) for c in text) and _LATIN_RUN.fullmatch(text):
            # a romanised name given alone is read whole, never cut into syllables (Kang|shifu)
            result.lookalikes = self.lookalikes([MarkCandidate(text, "product_name")])
            return result
        candidates = mark_candidates(product_name=text, known=self.names)
        whole = "".join(c for c in squashed if is_han(c))
        if whole == squashed and 2 <= len(whole) <= WHOLE_MARK and all(c.text != whole for c in candidates):
            # a short name given alone is read whole: 营养 is a descriptor in 营养块线, not here
            candidates.append(MarkCandidate(whole, "product_name"))
        for cand in candidates:
            if cand.text in self.brands and not cand.where.endswith("_guess"):
                result.genuine = cand.text
                return result
        prefix = self.known_prefix(squashed)
        guessed = {c.text for c in candidates if c.where.endswith("_guess")}
        # a mark read where a product word ends it beats one guessed from the first characters, and
        # a lookalike of more of the name beats one of its first characters (农天山果: 农夫山泉, not 农夫)
        result.lookalikes = sorted(self.lookalikes(candidates, exclude_family_of=prefix),
                                   key=lambda x: (x.matched in guessed, -len(x.matched), -x.score))
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
        # A copy keeps at least one of the mark's own characters (compare() asks it unless every
        # change is a strong likeness), or sounds the same throughout, or repeats one changed
        # character (洽洽 -> 恰恰): only those marks are aligned, which keeps a registry of thousands fast.
        pool: set[str] = set()
        for ch in set(seen):
            pool |= {b for b in self._by_char.get(ch, ()) if ch in b and abs(len(b) - len(seen)) <= 2}
        pool |= self._sound_twins(seen)
        pool |= {b for b in self._repeated if len(b) == len(seen)}
        out = []
        for brand in pool:
            if len(brand) < 2:
                continue
            if not enough_kept(brand, seen) or not within_reach(brand, seen):
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
        """The lookalike of genuine ``brand`` that ``seen`` is, or None when it is not one.

        The score is one minus the weighted edit cost per character of the mark (:func:`align`);
        it must reach :data:`THRESHOLDS` for the mark's length.  Beyond the score, a copy keeps
        what a shopper reads as the mark: at most one change on a two-character mark, two on a
        three- or four-character one, half on a longer one; a character that neither looks nor
        sounds like the one it replaces only on a mark of four or more characters that is
        otherwise intact (六个核桃 -> 六仁核桃); and at least one character of the mark unless
        every change is a strong likeness (特仑苏 -> 特伦酥).
        """
        look = self.likeness(brand, seen)
        return look if look is not None and look.score >= threshold(len(brand)) else None

    def likeness(self, brand: str, seen: str) -> Lookalike | None:
        """How ``seen`` imitates genuine ``brand`` whatever the score, or None when it cannot be a copy
        (too many changes, an unrelated character in a short mark, a registered name).  Used by
        :meth:`compare`, and by the bench that chooses the thresholds."""
        if seen == brand or seen in self.brands or len(brand) < 2:
            return None
        if is_reordered(brand, seen):
            tricks = [Trick("reorder", brand, seen)]
            score = 1 - SWAP / len(brand)
        else:
            cost, tricks = align(brand, seen)
            score = 1 - cost / max(len(brand), len(seen))
        if not tricks:
            return None
        kinds = {t.kind for t in tricks}
        steps = changes(tricks)
        n = len(brand)
        allowed = 1 if n <= 2 else 2 if n <= 4 else n // 2
        repeated = len(set(brand)) == 1 and len({(t.genuine, t.seen) for t in tricks if t.genuine}) == 1
        if len(steps) > allowed and kinds != {"reorder"} and not repeated:
            return None  # more changed than a shopper would still read as the mark
        if len(steps) == 2 and n <= 4 and kinds & {"added", "removed"}:
            return None  # two changes on a short mark are two likenesses, not a likeness and a gap
        if "changed" in kinds and (n < 4 or len(steps) > 1):
            return None  # an unrelated character: only one, in a long mark otherwise intact
        if n <= 2:
            if kinds & {"reorder", "added", "removed"}:
                return None  # 达利 / 利达, 美的 / 美的美: ordinary other words, not copies
            if any(t.kind == "glyph" and char_likeness(t.genuine, t.seen).similarity < 0.55 for t in tricks):
                return None
            swapped = {t.kind for t in tricks if t.genuine and t.seen and t.kind != "reorder"}
            if swapped and not swapped & SHAPE_TRICKS:
                if "sound" not in swapped:
                    return None  # a near sound or a numeral alone makes another word (三菱 / 三宁, 百度 / 零度)
                # a homophone alone on a two-character mark (雪碧 -> 雪必, but also 金枫 / 金丰, a common
                # name) is listed, yet stays below the near-exact scores a label finding may rest on alone
                score = min(score, HOMOPHONE_ONLY - (1 - score) / 2)  # the order among homophones kept
        if n == 3 and any(t.kind == "removed" and t.genuine == brand[0] for t in tricks) and brand[0] not in seen:
            return None  # a three-character mark without its first character is a two-character word (罗蒙)
        kept = [c for c in brand if c in seen]
        strong = all(char_likeness(g, x).similarity >= 0.8 for g, x in steps if g and x and len(g) == len(x) == 1)
        if not kept and not (strong and n >= 3) and not kinds & {"split", "merge", "reorder", "radical_added",
                                                                 "radical_dropped"} and not repeated:
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


def _pinyin_keys(text: str, most: int = 16) -> list[str]:
    """Every way the mark is spelt in pinyin, tones dropped: the common reading first, then the other
    readings of its 多音字 (美的 is MEIDE and MEIDI: the owner's own romanisation uses the second)."""
    from itertools import islice, product

    from pypinyin import Style, lazy_pinyin, pinyin

    common = "".join(lazy_pinyin(text)).upper()
    readings = [dict.fromkeys(r) for r in pinyin(text, style=Style.NORMAL, heteronym=True)]
    others = ("".join(combo).upper() for combo in product(*readings))
    return list(dict.fromkeys([common, *islice(others, most)]))


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
