"""What a label shows without a key: the product's name as its prominent title (GB 7718 4.1.2) and
the nutrition table (GB 28050)."""

from __future__ import annotations

import re

from evidence.labels.label_keys import _KEY_RE, normalise

__all__ = ["nutrition_table", "prominent_title", "title_name"]


_TITLE_SKIP = re.compile(r"[:：]|\d{5}|^[\W\d_]+$")


# a section heading or a company is not a product's name
_NOT_A_NAME = re.compile(r"(?:成分|配料|营养|说明|注意|方法|须知|条件|信息|参数)表?$|表$|有限公?司?|公司|集团|厂$")


def title_name(title: str | None) -> str | None:
    if title and re.search(r"[\u4e00-\u9fff]{2}", title) and not _TITLE_SKIP.search(title) \
            and not _NOT_A_NAME.search(normalise(title)):
        return title
    return None


def prominent_title(source, lines: list[str]) -> str | None:
    """The product name as the label's largest line: at least 1.4 times the median text height, holding
    two Han characters, not a key line or a number."""
    if isinstance(source, str):
        return None
    items = [(item, normalise(str(getattr(item, "text", "")))) for item in source if getattr(item, "box", None)]
    if len(items) < 3:
        return None

    def height(item) -> float:
        (_, y0), (_, y1), (_, y2), (_, y3) = item.box[:4]
        return abs(((y3 - y0) + (y2 - y1)) / 2)

    heights = sorted(height(item) for item, _ in items)
    median = heights[len(heights) // 2]
    top = min(min(p[1] for p in item.box) for item, _ in items)
    bottom = max(max(p[1] for p in item.box) for item, _ in items)
    tall = [(height(item), min(p[1] for p in item.box), text) for item, text in items
            if height(item) >= 1.5 * median and getattr(item, "confidence", 1.0) >= 0.9 and title_name(text)
            and not _KEY_RE.search(text) and len(text) <= 24
            and min(p[1] for p in item.box) <= top + 0.4 * (bottom - top)]
    if not tall:
        return None
    biggest = max(h for h, _, _ in tall)
    return min((y, text) for h, y, text in tall if h >= 0.85 * biggest)[1]  # the top one of the largest


_NUTRIENT_RE = re.compile(r"^(能量|蛋白质|脂肪|饱和脂肪|反式脂肪|碳水化合物|糖|膳食纤维|钠|钙|维生素[A-Z]\d?|胆固醇)"
                          r"\s*[:：]?\s*(\d+(?:\.\d+)?)\s*(千焦|kJ|KJ|克|g|毫克|mg|微克|μg)\s*(\d+(?:\.\d+)?\s*%)?")


def nutrition_table(lines: list[str]) -> list[dict]:
    """The rows of a GB 28050 nutrition table: item, amount per 100 g/mL or per serving, unit, NRV%."""
    rows = []
    for line in lines:
        for part in re.split(r"\s{2,}|(?<=%)\s+", line):
            found = _NUTRIENT_RE.match(part.strip())
            if found and found.group(1) not in {r["item"] for r in rows}:
                rows.append({"item": found.group(1), "amount": found.group(2), "unit": found.group(3),
                             "nrv": re.sub(r"\s", "", found.group(4) or "") or None})
    return rows
