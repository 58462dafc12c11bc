"""Where the brand mark stands on a label, read the way a person reads a package.

A shopper takes the mark from the prominent title line, from a name marked ® / ™ or "…牌", from
the brand field (品牌/商标), or from the leading proper-noun part of the product name
("康师傅" in 康师傅红烧牛肉面).  Nothing else on a label is a mark: a fragment cut from the middle of
a longer product name is not, and neither is a generic descriptor (纯, 多功能, 特浓, 无糖) or a
product-type word (牛肉面, 洗发露).  Comparing arbitrary substrings with a registry of thousands of
marks would find a "lookalike" in almost any name (docs/domain.md, "Copycat brands").

The word lists are written by hand: no offline library separates a Chinese mark from the product
words after it (jieba's dictionary splits marks into ordinary words).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["COPY_AFFIXES", "DESCRIPTORS", "PRODUCT_WORDS", "MarkCandidate", "guessed_heads", "is_generic",
           "mark_candidates", "name_heads", "strip_descriptors"]

# Descriptors: what a product is like, never whose it is.
DESCRIPTORS = tuple(sorted(set("""
纯 纯正 纯净 纯天然 纯手工 天然 多功能 多用途 特浓 浓香 浓郁 醇香 清香 香浓 无糖 低糖 少糖 减糖 低脂 脱脂 全脂 零脂
鲜榨 现榨 鲜 新鲜 手工 去屑 控油 柔顺 滋润 保湿 美白 特级 一级 二级 优级 优质 精选 精品 精制 经典 原味 原汁 原浆 原生
特制 秘制 古法 传统 家庭装 大桶装 加量装 特惠装 超值装 实惠装 高钙 高端 有机 绿色 农家 野生 进口 国产 香辣 麻辣 五香
甜辣 酸辣 原生态 营养 儿童 婴儿 孕妇 中老年 学生 家用 迷你 便携 便携式 智能 全自动 半自动 不锈钢 加厚 防爆 节能 大容量
速溶 即食 冲泡 风味 香脆 酥脆 限量 升级版 新品 新款 新包装 正品 特价 特惠 超浓缩 浓缩 高效 强效 加强 超强 草本 植物
清爽 柔软 芳香 无添加 零添加 非转基因 压榨 一级压榨 冷榨 特醇 浓醇 醇厚 鲜香 香甜 酥香 椒盐 蜂蜜 黑糖 红糖 奶香 果味
纯真 美味 鲜美 可口 香酥 好吃 健康 水果 什锦 综合 混合 特大 超大 加大 新式 老式 多味 黄金 白金 钻石 皇家 宫廷 御品 贡品 纯 鲜
""".split()), key=len, reverse=True))

# Product-type words: what the product is.  A mark ends where one of these begins.
PRODUCT_WORDS = tuple(sorted(set("""
饮用天然水 天然饮用水 红烧牛肉面 老坛酸菜牛肉面 酸菜牛肉面 牛肉面 方便面 拉面 挂面 面条 面 粉丝 米粉 米线 螺蛳粉 汽水 碳酸饮料 饮料 饮品 可乐
果汁 橙汁 苹果汁 葡萄汁 果汁饮料 茶饮料 冰红茶 绿茶 红茶 乌龙茶 凉茶 奶茶 茶 矿泉水 纯净水 饮用水 天然水 苏打水 水 纯牛奶 牛奶 酸奶 酸牛奶
风味奶 调制乳 乳饮料 乳酸菌 乳 奶 核桃乳 核桃露 杏仁露 椰汁 豆奶 豆浆 奶粉 配方奶粉 婴儿配方奶粉 米粉 饼干 夹心饼干 苏打饼干
曲奇 威化 果冻 布丁 鲜牛奶 鲜奶 鲜榨 蛋黄派 派 蛋卷 蛋酥卷 沙琪玛 雪饼 仙贝 锅巴 麻花 酥饼 烧饼 粽子 汤圆 水饺 馒头 包子 蛋糕 面包 月饼 糕点 酥 糖果 奶糖 硬糖 软糖 巧克力 薯片 薯条 瓜子 花生 坚果 辣条 调味面制品 肉干 牛肉干 火腿肠
香肠 火腿 罐头 八宝粥 粥 酱油 生抽 老抽 味极鲜 醋 陈醋 香醋 米醋 料酒 味精 鸡精 蚝油 火锅底料 底料 调味料 调料 十三香
酱 辣椒酱 豆瓣酱 黄豆酱 甜面酱 腐乳 榨菜 咸菜 食用油 调和油 食用植物调和油 花生油 菜籽油 大豆油 玉米油 橄榄油 芝麻油
香油 大米 面粉 小麦粉 白酒 啤酒 葡萄酒 红酒 黄酒 米酒 酒 洗发露 洗发水 洗发乳 护发素 沐浴露 沐浴乳 香皂 肥皂 洗衣粉
洗衣液 洗衣皂 洗洁精 洗涤剂 牙膏 牙刷 漱口水 洗手液 面霜 乳液 爽肤水 洗面奶 护手霜 花露水 驱蚊液 蚊香 卫生纸 纸巾
电热水壶 热水壶 电水壶 电饭煲 电饭锅 电压力锅 压力锅 豆浆机 破壁机 料理机 榨汁机 电暖器 取暖器 暖风机 电热毯 电磁炉
电陶炉 吹风机 电吹风 电风扇 风扇 空调 冰箱 洗衣机 热水器 微波炉 电烤箱 插座 插排 排插 转换器 转换插头 断路器 开关 电线
电缆 灯泡 灯管 台灯 充电器 数据线 复合肥 复合肥料 硫酸钾复合肥料 尿素 有机肥 化肥 磷肥 钾肥 叶面肥 水溶肥 农药 杀虫剂
除草剂 杀菌剂 种子 玉米种子 水稻种子 小麦种子 玩具 玩具车 电动玩具车 积木 童车 婴儿推车 推车 儿童安全座椅
产品 系列 礼盒 套装 组合 柠檬味 柠檬 草莓 香草 原味 牛肉 鸡肉 猪肉 海鲜 番茄 香菇 蘑菇 玉米 红枣 枸杞 核桃 花生 芝麻 绿豆 红豆 黑米 燕麦 椰子
芒果 苹果 橙子 橙味 蜜桃 葡萄 蓝莓 荔枝 菠萝 西瓜 哈密瓜 香蕉 薄荷 茉莉 桂花 玫瑰 红烧 酸菜 老坛 麻辣 藤椒 山楂 乳酸
""".split()), key=len, reverse=True))

_SINGLE_DESCRIPTORS = frozenset(w for w in DESCRIPTORS if len(w) == 1) | frozenset("鲜纯香甜辣脆嫩")

# Prefixes and suffixes that copies add to a genuine mark (新康师傅, 正宗…, 港…, …牌).
COPY_AFFIXES = ("正宗", "新", "老", "港", "正", "真", "牌", "小")

_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_MARKED = re.compile(r"([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z'&.\- ]{0,15}?)\s*[®™Ⓡ]")
_PAI = re.compile(r"([\u4e00-\u9fff]{2,5})牌")
# a name that opens with a bracketed word (【康师傅】红烧牛肉面, 「雪碧」): the brackets set the mark apart
_BRACKETED = re.compile(r"^\s*[【\[「『〖]([^】\]」』〗]{2,12})[】\]」』〗]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z'&.\-]*(?: [A-Za-z][A-Za-z'&.\-]*){0,3}")
_KEEP = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True)
class MarkCandidate:
    """A name a shopper would take for the mark, and where on the label it stands.

    ``where``: ``brand_field``, ``trademark`` (® / ™ / 牌), ``title`` or ``product_name``; a
    ``_guess`` suffix when no product word marked where the mark ends.
    """

    text: str
    where: str


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _BRACKETS.sub("", text)
    return _KEEP.sub("", text)


def strip_descriptors(text: str) -> str:
    """The name without the generic descriptors in front of it (特浓纯牛奶 -> 纯牛奶).

    Only descriptors of two characters or more are stripped: 大, 纯 or 特 begin genuine marks
    (大白兔, 纯甄, 特仑苏)."""
    changed = True
    while changed and text:
        changed = False
        for word in DESCRIPTORS:
            if len(word) >= 2 and text.startswith(word) and len(text) > len(word):
                text = text[len(word):]
                changed = True
                break
    return text


def is_generic(text: str) -> bool:
    """Whether a name is only descriptors and product words (纯牛奶, 多功能插座, 特浓): never a mark."""
    rest = _clean(text)
    while rest:
        for word in DESCRIPTORS + PRODUCT_WORDS:
            if rest.startswith(word):
                rest = rest[len(word):]
                break
        else:
            return False
    return True


def _starts_with_word(text: str) -> bool:
    if text[:1] in _SINGLE_DESCRIPTORS and any(text[1:].startswith(w) for w in PRODUCT_WORDS):
        return True  # 光明|鲜牛奶: a one-character descriptor right before a product word
    return not text or not ("\u4e00" <= text[0] <= "\u9fff") or text.startswith("牌") or any(text.startswith(w) for w in PRODUCT_WORDS) \
        or any(text.startswith(w) for w in DESCRIPTORS if len(w) >= 2)


def name_heads(name: str, known: frozenset[str] | set[str] = frozenset(), longest: int = 8) -> list[str]:
    """The leading parts of a product name that can be its mark, shortest first.

    A head ends where a product word, a descriptor or 牌 begins (康帅傅|红烧牛肉面).  When the name
    starts with a registered mark (``known``), that mark is the only head.
    """
    whole = _clean(name)
    text = strip_descriptors(whole)
    for source in (whole, text):
        for size in range(min(len(source), longest), 1, -1):
            if source[:size] in known and _starts_with_word(source[size:]):
                return [source[:size]]
    stripped = whole[:len(whole) - len(text)]
    if stripped and any(mark.startswith(stripped) and len(mark) > len(stripped) for mark in known):
        text = whole  # 营养 is a descriptor, and how 营养快线 begins: its copies keep it (营养抉线)
    if not text or is_generic(text):
        return []
    heads = []
    for size in range(2, min(len(text), longest) + 1):
        head = text[:size]
        if _starts_with_word(text[size:]) and not is_generic(head):
            heads.append(head)
    if not heads and len(text) <= longest:
        heads.append(text)
    return heads[:3]


def guessed_heads(name: str, known: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Leading parts of two to five characters where no product word marks the end of the mark
    (心莲心|高塔复合肥料: 高塔 is no word we list).  Five: a four-character mark with a character
    added inside it (三只小松鼠|每日坚果).  Weaker than :func:`name_heads`: the screener asks more
    agreeing signals of a lookalike found only through a guess."""
    whole = _clean(name)
    text = strip_descriptors(whole)
    if not text or is_generic(text):
        return []
    if any(source[:k] in known for source in (whole, text) for k in range(2, min(len(source), 12) + 1)):
        return []  # the name starts with a registered mark: that is where its mark ends (娃哈哈|AD钙奶)
    found = name_heads(name, known)
    return [text[:k] for k in (2, 3, 4, 5) if len(text) > k and text[:k] not in found and not is_generic(text[:k])]


def mark_candidates(*, title: str | None = None, product_name: str | None = None, brand: str | None = None,
                    text: str = "", known: frozenset[str] | set[str] = frozenset()) -> list[MarkCandidate]:
    """Every name a shopper would read as the mark of this label, best place first, without repeats.

    Parameters
    ----------
    title, product_name, brand : str, optional
        The title line, the product name and the brand field (品牌/商标) as read.
    text : str
        Further text to search for ® / ™ / …牌 marks.
    known : set of str
        Registered marks: a name that starts with one has that mark as its head.

    Returns
    -------
    list of MarkCandidate
    """
    found: list[MarkCandidate] = []

    def add(value: str, where: str) -> None:
        value = value.strip()
        if len(value) >= 2 and not is_generic(value) and all(c.text != value for c in found):
            found.append(MarkCandidate(value, where))

    if brand:
        cleaned = _clean(brand)
        for head in name_heads(cleaned, known) or ([cleaned] if len(cleaned) <= 8 else []):
            add(head, "brand_field")
        for run in _LATIN.findall(unicodedata.normalize("NFKC", brand)):
            add(run, "brand_field")
    for source in (title, product_name, text):
        for match in _MARKED.finditer(unicodedata.normalize("NFKC", source or "")):
            add(strip_descriptors(_clean(match.group(1))) or match.group(1), "trademark")
        for match in _PAI.finditer(_clean(source or "")):
            head = strip_descriptors(match.group(1))
            add(head, "trademark")
            add(head + "牌", "trademark")
    for source, where in ((title, "title"), (product_name, "product_name")):
        if not source:
            continue
        bracketed = _BRACKETED.match(unicodedata.normalize("NFKC", source))
        if bracketed:
            inner = _clean(bracketed.group(1))
            for head in name_heads(inner, known) or [strip_descriptors(inner)]:
                add(head, "trademark")
        for head in name_heads(source, known):
            add(head, where)
        latin = _LATIN.match(unicodedata.normalize("NFKC", source).strip())
        if latin:
            add(latin.group(0), where)
    for source, where in ((title, "title_guess"), (product_name, "product_name_guess")):
        for head in guessed_heads(source or "", known):
            add(head, where)
    return found
