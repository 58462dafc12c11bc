"""The CCC catalogue as data: which products need a certificate, and the words that name them.

``evidence/data/ccc_catalogue.csv`` lists the product kinds of the 强制性产品认证目录 as its
描述与界定表 (2023 revision, SAMR, 2023-08-10; 16 groups, 96 kinds) gives them, plus the lithium
batteries and power banks added from 2024-08-01, each with its code, group, the words shops and
labels use for it, whether the code was checked against the published list, and the source and
date (docs/domain.md, "CCC").  "Needs CCC" is decided from these words, read where the product is
named (a listing's title, a label's product name); a word followed by an accessory word (冰箱贴,
空调被, 手机壳, 电饭煲内胆) or inside a food name (娃娃菜) names something else.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

__all__ = ["CatalogueEntry", "CatalogueHit", "catalogue", "catalogue_products", "needs_ccc"]

# What follows a product word when the thing sold is an accessory for it, not the product.
_ACCESSORY = re.compile(r"用|除味|除臭|除霜|配件|支架|滤网|滤芯|内胆|密封圈|贴|套|壳|膜|罩|被|菜|领|收纳|清洗|清洁|遥控器|防尘|挂钩|"
                        r"钻头|头(?!盔)|专用清|替换|刷头|底座|架")
# ... and what may come before it in the same sense (a 插座 cover, a 玩具 box).
_ACCESSORY_BEFORE = re.compile(r"(?:模型|仿真|包装|防尘|收纳)$")


@dataclass(frozen=True)
class CatalogueEntry:
    """One product kind of the catalogue."""

    code: str  # the product code(s) of the catalogue (0201; 0302|0303 ...); two digits where only the group is known
    group: str
    product: str
    words: tuple[str, ...]
    checked: bool  # the code was checked against the published list
    source: str
    date: str

    @property
    def label(self) -> str:
        return f"{self.product}，{self.code}" if self.code else self.product


@dataclass(frozen=True)
class CatalogueHit:
    """A catalogue product named in a text: the entry, the word as written and its span."""

    entry: CatalogueEntry
    word: str
    span: tuple[int, int]


@lru_cache(maxsize=1)
def catalogue() -> tuple[CatalogueEntry, ...]:
    """The shipped catalogue entries, in the catalogue's order."""
    text = files("evidence").joinpath("data/ccc_catalogue.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        out.append(CatalogueEntry(code=row["code"], group=row["group"], product=row["product"],
                                  words=tuple(w for w in row["words"].split("|") if w),
                                  checked=row["checked"] == "yes", source=row["source"], date=row["date"]))
    return tuple(out)


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, CatalogueEntry]]:
    by_word: dict[str, CatalogueEntry] = {}
    for entry in catalogue():
        for word in entry.words:
            by_word.setdefault(word.upper(), entry)
    alternatives = "|".join(re.escape(w) for w in sorted(by_word, key=len, reverse=True))
    return re.compile(alternatives), by_word


def catalogue_products(text: str | None) -> list[CatalogueHit]:
    """Every catalogue product named in ``text``, in the order written (longest word first at a place).

    Parameters
    ----------
    text : a product name or a listing's title.

    Returns
    -------
    list of CatalogueHit
        Empty when the text names no catalogue product (or only accessories for one).
    """
    if not text:
        return []
    folded = unicodedata.normalize("NFKC", text).upper()
    if len(folded) != len(text):  # NFKC changed the length: spans then refer to the folded text
        text = folded
    pattern, by_word = _matcher()
    hits = []
    for found in pattern.finditer(folded):
        start, end = found.span()
        if _ACCESSORY.match(folded, end) or _ACCESSORY_BEFORE.search(folded[:start]):
            continue
        hits.append(CatalogueHit(by_word[found.group(0)], text[start:end], (start, end)))
    return hits


def needs_ccc(*texts: str | None) -> CatalogueHit | None:
    """The first catalogue product named by the first text that names one (title, then product name ...)."""
    for text in texts:
        hits = catalogue_products(text)
        if hits:
            return hits[0]
    return None
