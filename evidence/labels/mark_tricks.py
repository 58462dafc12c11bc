"""The tricks that make a copy of a mark, and the weighted alignment that finds them.

Each change from a genuine mark to the name seen is a :class:`Trick` with a code (``kind``) and its
family (shape, sound, order, edit, romanised, number); :func:`align` weighs them in one edit
alignment whose substitution cost is one minus the characters' likeness
(:func:`evidence.labels.hanzi.char_likeness`).  The thresholds by the mark's length were chosen on
casebook's own list of copies and genuine pairs (bench/data/copycats_own.json, bench/bench_marks.py).

The weighted alignment is written by hand: rapidfuzz's edit distances take no per-pair
substitution cost and know no split or merged characters.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from evidence.labels.hanzi import char_likeness, components, merges_into
from evidence.labels.marks import COPY_AFFIXES

__all__ = ["AFFIX", "COMPONENTS", "INDEL", "MOVED", "SHAPE_TRICKS", "SIGNAL", "SOUND_TRICKS", "SWAP", "THRESHOLDS",
           "THRESHOLD_LONG", "TRICK_FAMILY", "Trick", "align", "changes", "enough_kept", "is_reordered", "threshold",
           "within_reach"]

SHAPE_TRICKS = frozenset({"glyph", "radical_added", "radical_dropped", "split", "merge"})
SOUND_TRICKS = frozenset({"sound", "near_sound"})
INDEL = 0.6   # one character more or less: a known trick, cheaper than an unrelated character
AFFIX = 0.3   # a copy-maker's prefix or suffix (新, 老, 正宗, 港, 牌) at either end
SWAP = 0.3    # two neighbours reordered
MOVED = 0.6   # a character replaced by another character of the mark itself
COMPONENTS = 0.2  # one character written as its two components, or two merged into one

# each trick in the English of the command line; the dossier's and the findings' words are at the edge
_EN = {"glyph": "glyph", "radical_added": "radical added", "radical_dropped": "radical dropped",
       "sound": "sound", "near_sound": "near sound", "number": "number swap", "split": "split into components",
       "merge": "components merged", "reorder": "reordered characters", "added": "added character",
       "removed": "removed character", "prefix": "added prefix", "suffix": "added suffix",
       "latin": "Latin imitation", "pinyin": "pinyin imitation", "changed": "changed character"}
# the family of each trick, as a code for displays in any language: how the copy was made
TRICK_FAMILY = {"glyph": "shape", "radical_added": "shape", "radical_dropped": "shape", "split": "shape",
                "merge": "shape", "sound": "sound", "near_sound": "sound", "number": "number", "reorder": "order",
                "added": "edit", "removed": "edit", "prefix": "edit", "suffix": "edit", "changed": "edit",
                "latin": "romanised", "pinyin": "romanised"}
# which independent signal each trick is evidence of
SIGNAL = {"glyph": "shape", "radical_added": "shape", "radical_dropped": "shape", "split": "shape",
          "merge": "shape", "sound": "sound", "near_sound": "sound", "number": "number", "reorder": "order",
          "added": "length", "removed": "length", "prefix": "affix", "suffix": "affix", "latin": "spelling",
          "pinyin": "sound"}


@dataclass(frozen=True)
class Trick:
    """One change from the genuine mark to the name seen: its kind and the characters involved."""

    kind: str
    genuine: str = ""
    seen: str = ""

    @property
    def family(self) -> str:
        """shape, sound, order, edit, romanised or number: a code, never words."""
        return TRICK_FAMILY.get(self.kind, "edit")

    def to_dict(self) -> dict:
        return {"kind": self.kind, "family": self.family, "genuine": self.genuine, "seen": self.seen}

    @property
    def change(self) -> str:
        """The characters involved: genuine→seen, or the one added or removed."""
        if self.kind in ("added", "prefix", "suffix"):
            return self.seen
        if self.kind == "removed":
            return self.genuine
        return f"{self.genuine}→{self.seen}" if self.genuine or self.seen else ""

    def describe(self) -> str:
        """The trick in English (``glyph: 师→帅``), as the command line prints it."""
        return f"{_EN[self.kind]}: {self.change}" if self.change else _EN[self.kind]


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
                similarity = like.similarity
                if not like.tricks and brand[i] != seen[j] and seen[j] in brand:
                    kinds, similarity = ("reorder",), MOVED  # 娃哈哈 -> 娃娃哈: the mark's own character moved
                steps.append((i + 1, j + 1, 1 - similarity, tuple((k, brand[i], seen[j]) for k in kinds)))
            if i < n:
                c, kind = indel(i + 1, j, False)
                steps.append((i + 1, j, c, ((kind, brand[i], ""),)))
            if j < m:
                c, kind = indel(i, j + 1, True)
                if j == 0 and seen.startswith("正宗") and i == 0:
                    steps.append((0, 2, AFFIX, (("prefix", "", "正宗"),)))
                steps.append((i, j + 1, c, ((kind, "", seen[j]),)))
            if i + 1 < n and j + 1 < m and brand[i] == seen[j + 1] and brand[i + 1] == seen[j] \
                    and brand[i] != brand[i + 1]:
                steps.append((i + 2, j + 2, SWAP, (("reorder", brand[i:i + 2], seen[j:j + 2]),)))
            if i < n and j + 1 < m and merges_into(seen[j:j + 2], brand[i]):
                steps.append((i + 1, j + 2, COMPONENTS, (("split", brand[i], seen[j:j + 2]),)))
            if i + 1 < n and j < m and merges_into(brand[i:i + 2], seen[j]):
                steps.append((i + 2, j + 1, COMPONENTS, (("merge", brand[i:i + 2], seen[j]),)))
            for ni, nj, c, tricks in steps:
                if here + c < cost[ni][nj] - 1e-12:
                    cost[ni][nj] = here + c
                    back[ni][nj] = (i, j, tricks)
    tricks: list[Trick] = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, found = back[i][j]
        tricks[:0] = [Trick(*t) for t in found]  # built only on the path taken: the DP makes thousands
        i, j = pi, pj
    return cost[n][m], tricks


def is_reordered(brand: str, seen: str) -> bool:
    return len(brand) >= 3 and brand != seen and sorted(brand) == sorted(seen)


# The least score a lookalike needs, by the length of the genuine mark; chosen on casebook's own list
# of copies and genuine pairs (bench/data/copycats_own.json, bench/bench_marks.py), not on the lists
# that judge it.  A two-character mark changes by half with one character: only a strong likeness counts.
THRESHOLDS = {2: 0.80, 3: 0.78}
THRESHOLD_LONG = 0.74


def threshold(length: int) -> float:
    return THRESHOLDS.get(length, THRESHOLD_LONG)


def enough_kept(brand: str, seen: str) -> bool:
    """A quick bound before the alignment: each character of the mark missing from the name costs a
    change, and a copy makes at most two (one on a two-character mark), or repeats one (洽洽 -> 恰恰),
    or splits characters into their components (女子 for 好)."""
    allowed = 1 if len(brand) <= 2 else 2 if len(brand) <= 4 else len(brand) // 2
    missing = [c for c in (Counter(brand) - Counter(seen)).elements()
               if not all(part in seen for part in components(c)) or components(c) == (c,)]
    return len(missing) <= allowed or len(set(brand)) < len(brand)


def within_reach(brand: str, seen: str) -> bool:
    """A quick bound before the alignment: the least each missing character of the mark can cost (its
    likeness to the closest character of the name, or dropping it, or another character of the mark
    repeated in its place, or its components side by side) must leave the score above the threshold."""
    have, want = Counter(seen), Counter(brand)
    moved = any(have[c] > want[c] for c in want)
    least = 0.0
    for char, count in (want - have).items():
        cost = min([INDEL] + [1 - char_likeness(char, x).similarity for x in have])
        if moved:
            cost = min(cost, 1 - MOVED)
        parts = components(char)
        if parts != (char,) and all(p in have for p in parts):
            cost = min(cost, COMPONENTS)
        least += cost * count
    return 1 - least / len(brand) >= threshold(len(brand))


def changes(tricks: list[Trick]) -> list[tuple[str, str]]:
    """The distinct changes (genuine, seen) behind the tricks: 快 -> 块 is one change, shape and sound."""
    return list(dict.fromkeys((t.genuine, t.seen) for t in tricks))
