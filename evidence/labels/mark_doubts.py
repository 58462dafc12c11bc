"""A genuine mark read where a copy may be printed: what else the recogniser saw in each character.

A copy that changes one small stroke (海天 -> 海夭, 尔 -> 尓, 的 -> 旳) is read as the genuine mark by
RapidOCR and Tesseract alike: both models learned the common character and pull the rare one
towards it.  The reading is then a genuine mark and screening has nothing to compare.  Yet the
recogniser's own scores still show the doubt: for each character it scores every character it
knows, and on a printed 夭 the second choice 夭 keeps a share that a printed 天 never leaves it.
This module reads the mark's line once more and lists, character by character, the choices that
kept such a share: at least :data:`SHARE`, and :data:`OVER_CLEAN` times what the recogniser leaves
them on the mark drawn clean in the installed CJK font (its baseline: 天 leaves 夭 some 1e-5, 洽
leaves 治 far more).  They are a reason to look at the package, never proof: the screener turns
them into ``needs_review``.

The share is fragile: the stroke that tells 夭 from 天 is a pixel or two once the line is brought
to the recogniser's 48 px, so it moves with the detector's box (its margins) and with the
resampling (0.02-0.10 for one printed 小夭鹅).  The line is therefore read at two resamplings
(:data:`UPSCALES`) and each choice keeps its larger share; the comparison is a ratio to the
clean baseline, not a fixed share.  Crops cut to the mark's own characters were tried: without
the rest of the line the recogniser grows unsure of genuine characters too (some 20 of 514 genuine
marks held, against none for the whole line).

Only RapidOCR gives its scores (PP-OCR's CTC output, through its recognition session); its
public API returns the best text alone, hence the direct use of its recogniser here.  Cost: two
recognitions of one line, on photos whose mark is a registered one.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["OVER_CLEAN", "SHARE", "UPSCALES", "baseline", "make_alternatives"]

# Chosen on bench/bench_mark_doubts.py (one-character copies of registered marks and the genuine marks,
# six fonts, and a hidden label set; checked on a second hidden seed): genuine marks' second choices
# above 0.01 keep at most some 40 times their clean share, copies read as genuine 1,000 times and more.
SHARE = 0.01  # the least share of the recogniser's scores a second choice keeps, to be listed
OVER_CLEAN = 300  # ... and how many times its share on the mark drawn clean
UPSCALES = (1.0, 2.0)  # the line cropped at these scales, then resampled to 48 px by the recogniser

Alternatives = Callable[[object, str], list[tuple[int, str, float]]]


def make_alternatives(picture, engine) -> Alternatives | None:
    """``alternatives(line, mark) -> [(position in mark, other character, its share)]``: the second
    choices of the recogniser in ``mark`` where ``line`` of ``picture`` reads it, beyond what it leaves
    them when it reads the mark drawn clean (:func:`baseline`); None when the engine gives no scores
    (Tesseract)."""
    if getattr(engine, "name", "") != "rapidocr":
        return None

    def alternatives(line, mark: str) -> list[tuple[int, str, float]]:
        try:
            return _alternatives(picture, engine, line.box, mark)
        except Exception:  # a recogniser's internals that changed: no second look, never a failure
            return []

    return alternatives


def _alternatives(picture, engine, box, mark: str) -> list[tuple[int, str, float]]:
    from evidence.labels.imageprep import to_bgr
    from evidence.labels.label_fields import normalise
    from evidence.labels.ocr import crop_line

    clean = baseline(engine, mark)
    if clean is None:
        return []  # the mark drawn clean is not read as itself (洽洽 collapses): nothing to compare with
    recogniser = engine._ocr._load_rec_model()  # the scores are not in its public output
    seen: dict[tuple[int, str], float] = {}
    for upscale in UPSCALES:
        read = _recognise(recogniser, to_bgr(crop_line(picture, box, upscale)))
        at = "".join(c for c, _ in read).find(mark)
        for i in range(len(mark) if at >= 0 else 0):
            for other, share in read[at + i][1].items():
                seen[i, other] = max(seen.get((i, other), 0.0), share)
    out = []
    for (i, other), share in seen.items():
        char = mark[i]  # (奧 for 奥 is the same character in another form)
        if other != char and normalise(other) != char and share >= max(SHARE, OVER_CLEAN * clean[i].get(other, 0.0)):
            out.append((i, other, round(share, 4)))
    return sorted(out, key=lambda item: -item[2])


def _recognise(recogniser, image) -> list[tuple[str, dict[str, float]]]:
    import numpy as np

    h, w = image.shape[:2]
    shape = recogniser.rec_image_shape
    batch = recogniser.resize_norm_img(image, max(shape[2] / shape[1], w / max(h, 1)))[np.newaxis]
    return _decode(recogniser.session(batch.astype(np.float32))[0], recogniser.postprocess_op.character)


_BASELINES: dict[str, list[dict[str, float]] | None] = {}


def baseline(engine, mark: str) -> list[dict[str, float]] | None:
    """What the recogniser gives each other character when it reads ``mark`` itself, drawn clean in
    the installed CJK font (evidence.labels.glyph_shapes): 洽 leaves 治 a share on any print, 天 leaves
    夭 almost none.  None when the font is missing or the drawn mark is not read as itself."""
    if mark not in _BASELINES:
        _BASELINES[mark] = None
        try:
            _BASELINES[mark] = _baseline(engine, mark)
        except Exception:  # no font, or the recogniser's internals changed: no baseline
            pass
    return _BASELINES[mark]


def _baseline(engine, mark: str) -> list[dict[str, float]] | None:
    from PIL import Image, ImageDraw

    from evidence.labels.glyph_shapes import _font
    from evidence.labels.imageprep import to_bgr

    font = _font()
    if font is None:
        return None
    size = font.size
    picture = Image.new("RGB", (size * (len(mark) + 1), size * 2), "white")
    ImageDraw.Draw(picture).text((size // 2, size // 2), mark, font=font, fill="black")
    read = _recognise(engine._ocr._load_rec_model(), to_bgr(picture))
    if "".join(c for c, _ in read) != mark:
        return None
    return [shares for _, shares in read]


def _decode(scores, characters) -> list[tuple[str, dict[str, float]]]:
    """Greedy CTC decoding (as PP-OCR's), keeping each character's three best choices at its frames."""
    import numpy as np

    best = scores.argmax(axis=1)
    out: list[tuple[str, dict[str, float]]] = []
    previous = -1
    for frame, index in enumerate(best):
        if index != 0 and index != previous:
            top = np.argsort(-scores[frame])[:3]
            out.append((characters[index], {characters[k]: float(scores[frame][k]) for k in top if k != 0}))
        elif index != 0 and index == previous and out:
            for k in np.argsort(-scores[frame])[:3]:  # the same character over several frames: its best shares
                if k != 0:
                    out[-1][1][characters[k]] = max(out[-1][1].get(characters[k], 0.0), float(scores[frame][k]))
        previous = index
    return out
