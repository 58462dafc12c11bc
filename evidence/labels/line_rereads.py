"""Second looks at lines the first reading got wrong in a way that shows: read again, differently cut.

* A licence or credit code of the wrong length.  On a curved bottle the text at the edge is
  squeezed sideways and PP-OCR's recogniser drops the narrow digits ("SC127200155" for
  SC12732128200155); the same line stretched to 1.6 times its width reads whole.  The new
  reading is kept only when its identifier is well formed.
* An ink-jet code read with low confidence (a short line of digits and capitals).  Dot-matrix
  digits are separate dots, and the detector's box of a code line takes in half of the line
  above, so the recogniser reads 8 as 6.  The line is read again from nine crops (as boxed,
  shaved at the top and bottom, each plain, with its dots joined by a grey-level opening, and
  blurred); the date most of them agree on replaces the first reading's.

OpenCV's morphology does the image work; the voting is written here because no OCR library
offers a dot-matrix mode for PP-OCR models.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from PIL import Image

from evidence.labels.label_fields import normalise, read_digits
from evidence.labels.ocr import OcrEngine, OcrLine, OcrResult, crop_line

__all__ = ["STRETCH", "reread_code_lines", "reread_doubtful_lines", "restretch_malformed"]

STRETCH = 1.6
_D = r"[0-9OoIlZB]"
# (a malformed identifier, a well-formed one), on normalised text without spaces
_IDENTIFIERS = (
    (re.compile(r"SC[:：]?(" + _D + r"{6,})"), re.compile(r"SC[:：]?" + _D + r"{14}(?!\d)")),
    (re.compile(r"QS[:：]?(" + _D + r"{6,})"), re.compile(r"QS[:：]?" + _D + r"{12}(?!\d)")),
    (re.compile(r"信用代码[:：]?([0-9A-Z]{10,})"), re.compile(r"信用代码[:：]?[0-9A-Z]{18}(?![0-9A-Z])")),
)
# the crops of a code line: (top, bottom) shaved as fractions of its height
_SHAVES = ((0.0, 0.0), (0.12, 0.05), (0.2, 0.1))
_DATE = re.compile(r"((?:19|20)\d{2})[./\-]?([01]\d)[./\-]?([0-3]\d)(?!\d)")


def _compact(text: str) -> str:
    return normalise(text).replace(" ", "")


def _malformed(text: str) -> bool:
    compact = _compact(text)
    return any(bad.search(compact) and not good.search(compact) for bad, good in _IDENTIFIERS)


def _well_formed(text: str) -> bool:
    compact = _compact(text)
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


def _code_line(line: OcrLine) -> bool:
    """A short line of digits and capitals (at most two Han characters, a stamp's) read with doubt."""
    compact = _compact(line.text)
    return (line.confidence < 0.9 and len(compact) <= 24 and len(re.findall(r"\d", read_digits(compact))) >= 6
            and len(re.findall(r"[\u4e00-\u9fff]", compact)) <= 2 and ":" not in compact)


def _date_of(text: str) -> str | None:
    found = _DATE.search(read_digits(_compact(text)))
    if not found:
        return None
    year, month, day = found.groups()
    return f"{year}-{month}-{day}" if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 else None


def _shaved(box, top: float, bottom: float):
    quad = np.asarray(box, dtype=float)[:4]
    return (tuple(quad[0] + (quad[3] - quad[0]) * top), tuple(quad[1] + (quad[2] - quad[1]) * top),
            tuple(quad[2] - (quad[2] - quad[1]) * bottom), tuple(quad[3] - (quad[3] - quad[0]) * bottom))


def _crops(picture, box) -> list[Image.Image]:
    import cv2

    out = []
    for top, bottom in _SHAVES:
        grey = np.asarray(crop_line(picture, _shaved(box, top, bottom), 1.0).convert("L"))
        size = max(3, grey.shape[0] // 12) | 1  # about one dot's pitch
        joined = cv2.morphologyEx(grey, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
        out += [Image.fromarray(g).convert("RGB") for g in (grey, joined, cv2.GaussianBlur(grey, (size, size), 0))]
    return out


def reread_code_lines(result: OcrResult, picture, engine: OcrEngine) -> OcrResult:
    """``result`` with each doubtful ink-jet code line replaced by the reading whose date most crops
    agree on (at least three, twice as many as any other date), when that date is not the first one's."""
    doubtful = [k for k, line in enumerate(result.lines) if _code_line(line)]
    if not doubtful:
        return result
    lines = list(result.lines)
    for k in doubtful:
        readings = [r for r in engine.read_line_images(_crops(picture, lines[k].box)) if r is not None]
        votes = Counter(d for d in (_date_of(r.text) for r in readings) if d).most_common(2)
        if not votes or votes[0][1] < 3 or (len(votes) > 1 and votes[0][1] < 2 * votes[1][1]):
            continue
        date = votes[0][0]
        if date == _date_of(lines[k].text):
            continue
        best = max((r for r in readings if _date_of(r.text) == date), key=lambda r: r.confidence)
        lines[k] = OcrLine(best.text, lines[k].box, min(lines[k].confidence, best.confidence), lines[k].block)
    return OcrResult.from_lines(result.engine, lines, result.size, result.rotation)


def reread_doubtful_lines(result: OcrResult, picture, engine: OcrEngine) -> OcrResult:
    """Both second looks (see the module's notes); lines that read well are not read again."""
    return reread_code_lines(restretch_malformed(result, picture, engine), picture, engine)
