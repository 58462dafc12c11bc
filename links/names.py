"""Company and shop names -> the core that identifies them, plus the place and trade they state.

"周口市恒昌日化有限公司", "恒昌日用化工（周口）", "鹿邑恒昌日用品商行" name one supplier: the core
(恒昌) is what a name says about *who*; the place prefix, the bracketed region, the legal form
(有限公司, 厂, 商行, 批发部, 经营部) and the spelling of the trade (日化 / 日用化工 / 日用品,
商贸 / 贸易) vary from one record to the next.  Business-name rules make a core unique only within
a trade and a registration area, so the trade words and the place are kept beside the core, for
:mod:`links.entities` to refuse a match between 兴旺副食 of one town and 兴旺副食 of another.

Written by hand: no library splits Chinese business names into place, core, trade and legal form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from links.places import Place, place_index

__all__ = ["TRADES", "NameKey", "normalise_name", "pinyin_key"]

# canonical trade word -> how records spell it (日化 / 日用化工 / 日用品 and 商贸 / 贸易 are one trade)
TRADES: dict[str, tuple[str, ...]] = {
    "日化": ("日用化学品", "日用化工", "日化用品", "日用品", "日化", "洗化", "洗涤用品", "洗涤剂", "化妆品"),
    "商贸": ("商贸", "贸易", "经贸", "商业"),
    "食品": ("食品", "食品加工"),
    "副食": ("副食品", "副食"),
    "电器": ("电器", "家电", "电子电器"),
    "五金": ("五金",),
    "农资": ("农业生产资料", "农资"),
    "肥业": ("肥业", "化肥", "肥料"),
    "超市": ("超级市场", "超市"),
    "便利": ("便利",),
    "日杂": ("日杂", "杂货"),
    "百货": ("百货",),
    "调味品": ("调味品", "调料"),
    "粮油": ("粮油",),
    "饮品": ("饮品", "饮料"),
    "烟酒": ("烟酒",),
    "玩具": ("玩具",),
}
LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "集团", "总公司", "分公司", "公司",
    "专业合作社", "合作社", "个体工商户", "经营部", "批发部", "门市部", "经销部", "营业部", "销售部", "销售中心",
    "经销处", "总经销", "经销商", "批发商行", "商行", "商店", "商城", "门市", "中心", "加工厂", "加工坊", "作坊", "制造厂",
    "生产厂", "厂", "店", "部", "行", "批发", "经销", "加工", "生产", "制造", "有限",
)
# words that say nothing about who: dropped from the end like a legal form
GENERIC = ("生物科技", "科技", "实业", "发展", "企业管理", "供应链", "用品")

# every suffix, longest first: (word, its trade) or (word, None) for a legal form or generic word
_SUFFIXES = sorted([(w, t) for t, ws in TRADES.items() for w in ws] + [(w, None) for w in LEGAL_FORMS + GENERIC],
                   key=lambda wt: -len(wt[0]))
_BRACKET = re.compile(r"[（(【\[〔]([^（）()【】\[\]〔〕]{0,20})[）)】\]〕]")
_STRAY = re.compile(r"[（）()【】\[\]〔〕{}]")
_NOISE = re.compile(r"[\s\"'“”‘’·•・,，、.。:：;；/\\|*＊#&+_~`!！?？<>《》-]")


@dataclass(frozen=True)
class NameKey:
    """A name taken apart: ``core`` identifies, ``trades`` and ``place`` must agree for two names to match."""

    core: str
    trades: frozenset[str] = frozenset()
    place: Place = field(default_factory=Place)
    forms: tuple[str, ...] = ()
    alt_core: str = ""  # the core without an uncertain short county name at its start ("鹿邑恒昌" -> "恒昌")

    @property
    def key(self) -> str:
        """Core and trades, the form shown as an entity's value: ``恒昌日化``, ``宏运副食``."""
        return self.core + "".join(sorted(self.trades))

    def trades_compatible(self, other: NameKey) -> bool:
        return not (self.trades and other.trades) or bool(self.trades & other.trades)


def _strip_end(rest: str) -> tuple[str, set[str], list[str]]:
    """Strip legal forms, generic words and trades from the end, the longest match first each time."""
    trades: set[str] = set()
    forms: list[str] = []
    while rest:
        word, trade = next(((w, t) for w, t in _SUFFIXES if rest.endswith(w)), ("", None))
        if not word:
            break
        rest = rest[: -len(word)]
        if trade is None:
            forms.append(word)
        else:
            trades.add(trade)
    return rest, trades, forms


@lru_cache(maxsize=200_000)
def normalise_name(text: str) -> NameKey | None:
    """Take a company or shop name apart; None when nothing distinctive is left (a place and a trade only).

    Parameters
    ----------
    text : the name as written, e.g. ``郸城县雅洁日化用品厂`` or ``雅洁日用化工（周口）``.

    Returns
    -------
    NameKey or None
        Core (``雅洁``), trades (``{"日化"}``), place (adcodes and town), legal forms stripped, and an
        alternative core when the name starts with a short county name that may be a word of it.
    """
    if not text:
        return None
    value = unicodedata.normalize("NFKC", str(text)).strip()
    index = place_index()
    region = Place()
    for inner in _BRACKET.findall(value):
        parsed = index.parse_prefix(_NOISE.sub("", inner), min_rest=0)
        if parsed.place.adcodes and not parsed.rest:
            region = parsed.place  # （山东）, (周口): a bracketed region is a place
    value = _STRAY.sub("", _NOISE.sub("", _BRACKET.sub("", value)))
    if not re.search(r"[\u4e00-\u9fff]", value) or len(value) < 2:
        return None
    parsed = index.parse_prefix(value)
    place = parsed.place if parsed.place.known else region
    core, trades, forms = _strip_end(parsed.rest)
    if len(core) < 2 and parsed.place.text:
        # "大同副食": the place was the name; keep it as the core
        core, trades, forms = _strip_end(value)
        place = region
    if len(core) < 2:
        return None
    alt = ""
    if parsed.uncertain and core.startswith(parsed.uncertain) and len(core) - len(parsed.uncertain) >= 2:
        alt = core[len(parsed.uncertain):]
    return NameKey(core, frozenset(trades), place, tuple(forms), alt)


@lru_cache(maxsize=200_000)
def pinyin_key(core: str) -> str:
    """The core in toneless pinyin: 恒昌 and 恒常 (a homophone typed from speech) share ``heng chang``.

    Each character's first reading in pypinyin's dictionary: ``lazy_pinyin`` segments phrases to
    choose readings and costs ~0.4 ms a name, too slow for 50,000 names; a clerk's homophone slip
    replaces one character by another read the same, which the first readings catch.
    """
    return " ".join(_syllable(char) for char in core)


@lru_cache(maxsize=30_000)
def _syllable(char: str) -> str:
    from pypinyin.pinyin_dict import pinyin_dict

    readings = pinyin_dict.get(ord(char))
    if not readings:
        return char
    reading = unicodedata.normalize("NFD", readings.split(",")[0].replace("ü", "v"))
    return "".join(c for c in reading if not unicodedata.combining(c))
