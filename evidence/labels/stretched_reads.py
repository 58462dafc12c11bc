"""A second look at a line whose identifier came out malformed, read stretched across.

On a curved bottle the text at the edge is squeezed sideways and PP-OCR's recogniser drops the
narrow digits ("SC127200155" for SC12732128200155).  The same line cut out and stretched to
1.6 times its width reads whole.  Only lines holding a licence or credit code of the wrong length
are read again, and the new reading is kept only when its identifier is well formed: a reading
that does not parse better changes nothing.
"""

from __future__ import annotations

import re

from evidence.labels.label_fields import normalise
from evidence.labels.ocr import OcrEngine, OcrLine, OcrResult, crop_line

__all__ = ["STRETCH", "restretch_malformed"]

STRETCH = 1.6
_D = r"[0-9OoIlZB]"
# (a malformed identifier, a well-formed one), on normalised text without spaces
_IDENTIFIERS = (
    (re.compile(r"SC[:：]?(" + _D + r"{6,})"), re.compile(r"SC[:：]?" + _D + r"{14}(?!\d)")),
    (re.compile(r"QS[:：]?(" + _D + r"{6,})"), re.compile(r"QS[:：]?" + _D + r"{12}(?!\d)")),
    (re.compile(r"信用代码[:：]?([0-9A-Z]{10,})"), re.compile(r"信用代码[:：]?[0-9A-Z]{18}(?![0-9A-Z])")),
)


def _malformed(text: str) -> bool:
    compact = normalise(text).replace(" ", "")
    return any(bad.search(compact) and not good.search(compact) for bad, good in _IDENTIFIERS)


def _well_formed(text: str) -> bool:
    compact = normalise(text).replace(" ", "")
    return any(good.search(compact) for _, good in _IDENTIFIERS)


def restretch_malformed(result: OcrResult, picture, engine: OcrEngine) -> OcrResult:
    """``result`` with each line that holds a malformed identifier replaced by its stretched reading,
    when that reading is well formed (``picture``: the photo turned as it was read)."""
    doubtful = [k for k, line in enumerate(result.lines) if _malformed(line.text)]
    if not doubtful:
        return result
    lines = list(result.lines)
    for k in doubtful:
        crop = crop_line(picture, lines[k].box, 1.0)
        again = engine.read_line_image(crop.resize((max(1, round(crop.width * STRETCH)), crop.height)))
        if again is not None and _well_formed(again.text):
            lines[k] = OcrLine(again.text, lines[k].box, min(lines[k].confidence, again.confidence), lines[k].block)
    return OcrResult.from_lines(result.engine, lines, result.size, result.rotation)
