"""Find the claims a listing or a label may not make, with the words as shown and where they stand.

:func:`screen_claims` returns findings (:class:`evidence.certification.rule_flags.Flag`):
``absolute_term`` (广告法 第九条), ``medical_claim`` (第十七条; food also 食品安全法 第七十三条) for
goods that are not medicines, ``health_food_claim`` (第十八条) for health food.  Each carries the
word (``term``), the clause it stands in (``phrase``) and its span in the text, so a caller that
knows where each piece of text came from (a page element, a label line) can say where it is.
Context decides: 最 in an ordinary phrase, a spec (最大功率), or a negated claim (本品不能代替药物)
is no claim; a health food may state its approved function (辅助降血脂, 有助于改善睡眠).
"""

from __future__ import annotations

import re

from evidence.certification.rule_flags import Flag
from evidence.claims.claim_terms import (
    ABSOLUTE_PATTERN,
    ASSERTIONS,
    DISEASE_PATTERN,
    GOODS_PATTERNS,
    MOST_ORDINARY,
    MOST_SPEC,
    MOST_WORDS,
    NEGATION,
)

__all__ = ["goods_kind", "label_claims", "screen_claims"]

_CLAUSE_END = re.compile(r"[，。；！？,;!?\s|｜/【】\[\]]")
_APPROVED_PREFIX = re.compile(r"(?:辅助|有助于|有助)$")


def goods_kind(text: str) -> str:
    """``medicine``, ``health_food``, ``food`` or ``general``, from the words the page or label prints."""
    for kind, pattern in GOODS_PATTERNS:
        if pattern.search(text or ""):
            return kind
    return "general"


def _phrase(text: str, start: int, end: int) -> str:
    """The clause a word stands in, at most 30 characters around it."""
    left = max((m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 30), start)), default=max(0, start - 30))
    right_match = _CLAUSE_END.search(text, end, min(len(text), end + 30))
    right = right_match.start() if right_match else min(len(text), end + 30)
    return text[left:right].strip()


def _negated(text: str, start: int) -> bool:
    return bool(NEGATION.search(text[max(0, start - 12):start]))


def _absolute(text: str) -> list[Flag]:
    out = []
    for match in ABSOLUTE_PATTERN.finditer(text):
        if _negated(text, match.start()):
            continue
        out.append(_flag("absolute_term", text, match.start(), match.end()))
    for match in re.finditer("最", text):
        start = match.start()
        nxt = text[start + 1:start + 2]
        if not ("\u4e00" <= nxt <= "\u9fff"):
            continue
        if MOST_ORDINARY.match(text, start) or MOST_SPEC.match(text, start):
            continue
        if any(s <= start < e for s, e in (f.span for f in out)):
            continue  # inside 最高级, already found
        word = next((w for w in MOST_WORDS if text.startswith(w, start)), text[start:start + 2])
        out.append(_flag("absolute_term", text, start, start + len(word)))
    return out


def _flag(code: str, text: str, start: int, end: int, **values) -> Flag:
    term, phrase = text[start:end], _phrase(text, start, end)
    return Flag(code, phrase, {"term": term, "phrase": phrase, **values}, span=(start, end))


def _medical(text: str, kind: str) -> list[Flag]:
    out = []
    for match in DISEASE_PATTERN.finditer(text):
        start, end = match.span()
        if _negated(text, start):
            continue
        if kind == "health_food":
            if _APPROVED_PREFIX.search(text[max(0, start - 3):start]):
                continue  # an approved function's wording (辅助降血脂) is for the registration to confirm
            out.append(_flag("health_food_claim", text, start, end, reason="disease"))
        else:
            out.append(_flag("medical_claim", text, start, end, kind=kind))
    return out


def _assertions(text: str) -> list[Flag]:
    out = []
    for code, pattern in ASSERTIONS:
        for match in pattern.finditer(text):
            if _negated(text, match.start()):
                continue
            out.append(_flag("health_food_claim", text, *match.span(), reason=code))
    return out


def screen_claims(text: str, *, kind: str | None = None, absolute: bool = True) -> list[Flag]:
    """The forbidden claims in ``text``, in the order they appear.

    Parameters
    ----------
    text : the words of a listing (title, description) or a label.
    kind : ``general``, ``food``, ``health_food`` or ``medicine`` (default: :func:`goods_kind` of the text).
    absolute : look for absolute terms too (广告法 第九条).

    Returns
    -------
    list of Flag
        ``absolute_term``, ``medical_claim``, ``health_food_claim``; values ``term`` and ``phrase`` (and
        the goods' ``kind`` or the clause's ``reason``, as codes), and the span of the term in ``text``.  Overlapping finds keep the first, longest one.
    """
    if not text:
        return []
    kind = kind or goods_kind(text)
    found = _absolute(text) if absolute else []
    if kind != "medicine":
        found += _medical(text, kind)
    if kind == "health_food":
        found += _assertions(text)
    found.sort(key=lambda f: (f.span[0], -(f.span[1] - f.span[0])))
    out, taken = [], []
    for flag in found:
        if any(s < flag.span[1] and flag.span[0] < e for s, e in taken):
            continue
        taken.append(flag.span)
        out.append(flag)
    return out


def label_claims(text: str, product_type: str = "unknown") -> list[Flag]:
    """The claims of a label's text: as :func:`screen_claims`, except that disease and health claims on
    food are left to label screening's own ``prohibited_claim`` (食品安全法 第七十一条), not said twice."""
    kind = goods_kind(text)
    if product_type == "food" or kind in ("food", "health_food"):
        return _absolute(text)
    return screen_claims(text, kind=kind)
