"""The OCR confusions that fake a failed check digit, and the repairs they allow.

Printed labels are misread in known ways: letters for digits (0/O/D/Q, 1/I/L/7, 2/Z, 5/S, 6/G,
8/B/H, U/V; docs/domain.md, "OCR") and digits among themselves (5/6, 3/8, 1/7, 0/8 ...).  The
digit pairs come from what the engines do: ``bench/measure_confusions.py`` draws random codes in
the fonts labels use, degrades them like phone photos and counts what RapidOCR and Tesseract read
for each character; :data:`MEASURED_PAIRS` holds the pairs it saw, with those seen on real photos.
A credit code, EAN-13 or licence number whose check fails but passes after one
such substitution is a reading doubt before it is a forgery: the screener asks for a second
reading and lists the repairs.  (Any failed check digit needs a second reading before it accuses:
these pairs only rank the likely repairs.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

__all__ = ["CONFUSION_GROUPS", "ENGINE_PAIRS", "MEASURED_PAIRS", "confusable", "engine_repairs", "one_confusion_variants",
           "repairs"]

CONFUSION_GROUPS = ("0ODQ", "1IL7", "2Z", "5S", "6G", "8BH", "UV")
# Digit pairs (drawn -> read, kept both ways).  Measured by bench/measure_confusions.py on 150 drawn codes
# (DejaVu and Noto CJK fonts, 14-28 px, blur, JPEG 30-80): RapidOCR read every one exactly; Tesseract read
# 0 as 6, 8 or 9, 9 as 0, 8 as 6 and 1 as 3.  Seen on real photos: a 6 read as 5 by RapidOCR under a
# barcode; reported on real labels: 3/8 and 1/7.
MEASURED_PAIRS = ("06", "08", "09", "90", "86", "13", "65", "38", "17")
# Each engine's own digit confusions (drawn -> read): an engine repeats these on an enlarged crop of
# the same print, so a code one of them away from valid is confirmed only by the other engine.
ENGINE_PAIRS = {"rapidocr": ("65", "56"), "tesseract": ("06", "08", "09", "90", "86", "13")}
_PARTNERS: dict[str, set[str]] = {}
for _group in CONFUSION_GROUPS:
    for _char in _group:
        _PARTNERS.setdefault(_char, set()).update(c for c in _group if c != _char)
for _a, _b in MEASURED_PAIRS:
    _PARTNERS.setdefault(_a, set()).add(_b)
    _PARTNERS.setdefault(_b, set()).add(_a)


def confusable(char: str) -> str:
    """The characters OCR commonly reads for ``char`` (itself excluded), in a stable order; '' when none."""
    order = "".join(CONFUSION_GROUPS) + "".join(a + b for a, b in MEASURED_PAIRS)
    partners = _PARTNERS.get(char.upper(), set())
    return "".join(dict.fromkeys(c for c in order if c in partners))


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
    return _valid(is_valid, (variant for _, variant in one_confusion_variants(code, alphabet)))


def engine_repairs(code: str, is_valid: Callable[[str], bool], engine: str | None) -> list[str]:
    """The valid codes that one of ``engine``'s own digit confusions (:data:`ENGINE_PAIRS`) turns ``code`` into."""
    pairs = ENGINE_PAIRS.get(engine or "", ())
    # a character read as ``read`` may have been printed as ``drawn``
    return _valid(is_valid, (code[:index] + drawn + code[index + 1:]
                             for index, char in enumerate(code) for drawn, read in pairs if char == read))


def _valid(is_valid: Callable[[str], bool], variants) -> list[str]:
    """The distinct variants that pass ``is_valid``, in order (a check that raises counts as a failure)."""
    found = []
    for variant in variants:
        try:
            ok = is_valid(variant)
        except Exception:
            ok = False
        if ok and variant not in found:
            found.append(variant)
    return found
