"""The OCR confusions that fake a failed check digit, and the repairs they allow.

Printed labels are misread in known ways: 0/O/D/Q, 1/I/L/7, 2/Z, 5/S, 6/G, 8/B/H, U/V
(docs/domain.md, "OCR").  A credit code, EAN-13 or licence number whose check fails but passes
after one such substitution is a reading doubt before it is a forgery: the screener then asks for
a second reading instead of accusing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

__all__ = ["CONFUSION_GROUPS", "confusable", "one_confusion_variants", "repairs"]

CONFUSION_GROUPS = ("0ODQ", "1IL7", "2Z", "5S", "6G", "8BH", "UV")
_GROUP_OF = {ch: group for group in CONFUSION_GROUPS for ch in group}


def confusable(char: str) -> str:
    """The characters OCR commonly reads for ``char`` (itself excluded); '' when none."""
    group = _GROUP_OF.get(char.upper(), "")
    return group.replace(char.upper(), "")


def one_confusion_variants(code: str, alphabet: str) -> Iterator[tuple[int, str]]:
    """Every (position, variant) of ``code`` with one character swapped for a confusable one in ``alphabet``."""
    for index, char in enumerate(code):
        for other in confusable(char):
            if other in alphabet:
                yield index, code[:index] + other + code[index + 1:]


def repairs(code: str, alphabet: str, is_valid: Callable[[str], bool]) -> list[str]:
    """The valid codes one common OCR confusion away from ``code`` (empty when none).

    Parameters
    ----------
    code : str
        The code as read.
    alphabet : str
        The characters the code may hold (a substitution outside it is no repair).
    is_valid : callable
        The check, e.g. ``stdnum.cn.uscc.is_valid``.

    Returns
    -------
    list of str
    """
    found = []
    for _, variant in one_confusion_variants(code, alphabet):
        try:
            ok = is_valid(variant)
        except Exception:
            ok = False
        if ok and variant not in found:
            found.append(variant)
    return found
