"""Values printed over two lines: an address that wraps under its key or under its own first line.

OCR gives each printed line on its own; a wrapped address loses its second line unless the line
that follows is recognised as the same value by where it sits.
"""

from __future__ import annotations

import re

from evidence.labels.label_keys import _KEY_RE, DATE_RE, KEYS, PHONE_RE, _digits, normalise

__all__ = ["join_wrapped"]


_ADDRESS_KEY_RE = re.compile(r"(?:^|(?<=[\s【\[(（]))(?:" + "|".join(map(re.escape, KEYS["address"])) + r"|址)"
                             r"\s*[】\]）)]?\s*[:：;；]\s*\S")


def _left_top_bottom(box) -> tuple[float, float, float, float]:
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    return min(xs), max(xs), min(ys), max(ys)


def join_wrapped(items: list) -> list:
    """OCR lines with a wrapped address joined to its first line.

    A long address runs onto a second printed line ("…自编" / "B栋一、二、三楼"); that line starts
    no key, sits right below in the same block, begins at the first line's left edge or under
    its value, and the first line fills most of the block's width (it wrapped because it was full).
    Lines without boxes (plain text) are left as they are."""
    if not all(getattr(item, "box", None) for item in items):
        return items
    from dataclasses import replace

    widths: dict[int, float] = {}
    for item in items:
        left, right, _, _ = _left_top_bottom(item.box)
        block = getattr(item, "block", 0)
        widths[block] = max(widths.get(block, 0.0), right - left)
    out, joined = [], set()
    for index, item in enumerate(items):
        if index in joined:
            continue
        # the next line of horizontal text (vertical text placed between them is passed over)
        after = next((k for k in range(index + 1, len(items)) if not _standing(items[k].box)), None)
        following = items[after] if after is not None else None
        if following is not None and _wraps_into(item, following, widths):
            glue = "" if re.search(r"[\u4e00-\u9fff）)]$", item.text) or re.match(r"[\u4e00-\u9fff(（]", following.text) \
                else " "
            item = replace(item, text=item.text + glue + following.text,
                           confidence=min(item.confidence, following.confidence))
            joined.add(after)
        out.append(item)
    return out


def _standing(box) -> bool:
    left, right, top, bottom = _left_top_bottom(box)
    return bottom - top > 2 * max(1.0, right - left)


def _wraps_into(item, following, widths: dict[int, float]) -> bool:
    """``following`` is the rest of the address on ``item`` (see :func:`join_wrapped`)."""
    block = getattr(item, "block", 0)
    if getattr(following, "block", 0) != block:
        return False
    text, rest = normalise(item.text), normalise(following.text)
    if not _ADDRESS_KEY_RE.search(text) or not rest or len(rest) > 40:
        return False
    if re.search(r"[:：]", rest) or _KEY_RE.search(rest) or not re.search(r"[\u4e00-\u9fff]", rest) \
            or DATE_RE.search(_digits(rest)) or PHONE_RE.search(rest):
        return False
    left, right, top, bottom = _left_top_bottom(item.box)
    next_left, next_right, next_top, next_bottom = _left_top_bottom(following.box)
    height = max(1.0, min(bottom - top, next_bottom - next_top))
    return (right - left >= 0.6 * widths.get(block, right - left)
            and next_top - top < 2.2 * height and next_top > top + 0.4 * height
            and left - 0.8 * height <= next_left <= left + 0.5 * (right - left)
            and next_right <= right + height)
