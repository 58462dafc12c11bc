"""How alike two characters look when drawn: a general measure, with no table of known neighbours.

A shopper glancing at a shelf reads 康帅博 as 康师傅 because the strokes of 帅 and 博 lie where the
strokes of 师 and 傅 lie.  Each character is drawn with a CJK font installed on the machine and split
into horizontal, vertical and slanting strokes (the directional features of Chinese OCR); two
characters are alike when most strokes of each lie, in the same direction, within a pixel or two of a
stroke of the other.  Splitting by direction keeps dense characters apart: their ink covers the whole
square, but not with strokes running the same way in the same places.

The font is one of the system's (Noto Sans CJK, WenQuanYi, Microsoft YaHei, PingFang); none is
downloaded.  Without one, the measure is unavailable (None) and the component tables alone decide.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

__all__ = ["cjk_font", "drawn_similarity"]

SIZE = 48  # pixels per character: enough for the strokes of 鼎 to stay apart
TOLERANCE = 2.5  # pixels a stroke may move and still count as the same stroke
# (file, face index) in order of preference; face 2 of Noto Sans CJK is Simplified Chinese.
_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
)


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int] | None:
    """The file and face index of an installed font that draws Chinese, or None.

    The usual places first; then fontconfig's own answer (``fc-match :lang=zh``), which finds a
    font installed anywhere else."""
    for path, index in _CANDIDATES:
        if Path(path).is_file():
            return path, index
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh"], capture_output=True, text=True,
                                 timeout=10, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
        if out and Path(out).is_file():
            return out, 0
    return None


@lru_cache(maxsize=1)
def _font():
    from PIL import ImageFont

    found = cjk_font()
    if found is None:
        return None
    try:
        return ImageFont.truetype(found[0], SIZE, index=found[1])
    except OSError:
        return None


@lru_cache(maxsize=16384)
def _strokes(char: str):
    """The character's strokes by direction (horizontal, vertical, slanting): the stroke pixels, the
    pixels within :data:`TOLERANCE` of such a stroke, and the number of stroke pixels.  None without
    a font or when the font has no glyph for it."""
    import cv2
    import numpy as np
    from PIL import Image, ImageDraw

    font = _font()
    if font is None:
        return None
    image = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(image).text((SIZE // 2, SIZE // 2), char, font=font, fill=255, anchor="mm")
    ink = (np.asarray(image) > 96).astype(np.uint8)
    if not ink.any():
        return None
    flat = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 9), np.uint8))
    upright = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((9, 1), np.uint8))
    slanting = ink & ~(flat | upright)
    strokes, near = [], []
    for mask in (flat, upright, slanting):
        # distance to the nearest stroke pixel of this direction (cv2 wants stroke pixels as 0)
        far = cv2.distanceTransform((1 - mask).astype(np.uint8), cv2.DIST_L2, cv2.DIST_MASK_PRECISE) \
            if mask.any() else np.full(mask.shape, 99.0, np.float32)
        strokes.append(mask.astype(bool))
        near.append(far <= TOLERANCE)
    # kept as bits in Python integers: 900 bytes a character, and a pair is compared by one AND
    as_bits = [int.from_bytes(np.packbits(np.stack(planes)).tobytes(), "big") for planes in (strokes, near)]
    return as_bits[0], as_bits[1], as_bits[0].bit_count()


@lru_cache(maxsize=262144)
def _covered(a: str, b: str) -> float | None:
    """The share of ``a``'s strokes that lie near a stroke of ``b`` running the same way."""
    x, y = _strokes(a), _strokes(b)
    if x is None or y is None or not x[2]:
        return None
    return (x[0] & y[1]).bit_count() / x[2]


def drawn_similarity(a: str, b: str) -> float | None:
    """0-1: the share of strokes the two drawn characters have in common, the smaller of the two ways.

    Symmetric.  Taking the smaller way means a character with strokes added (王 / 玉 / 主) is as far
    from the other as the strokes added.  None when no CJK font is installed.  On common characters
    drawn in Noto Sans CJK, 99 in 100 unrelated pairs stay below 0.70, and glyph neighbours used in
    copies (师 / 帅, 快 / 块, 雪 / 雷, 干 / 于) reach 0.8-1."""
    if a == b:
        return 1.0
    there, back = _covered(a, b), _covered(b, a)
    if there is None or back is None:
        return None
    return min(there, back)
