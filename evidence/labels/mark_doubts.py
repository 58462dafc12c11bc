"""A genuine mark read where a copy may be printed: what else the recogniser saw in each character.

A copy that changes one small stroke (海天 -> 海夭, 尔 -> 尓, 的 -> 旳) is read as the genuine mark by
RapidOCR and Tesseract alike: both models learned the common character and pull the rare one
towards it.  The reading is then a genuine mark and screening has nothing to compare.  Yet the
recogniser's own scores still show the doubt: for each character it scores every character it
knows, and on a printed 夭 the second choice 夭 keeps a share (0.1-0.2 on 楷体 and 宋体 print)
that a printed 天 never leaves it (under 0.02).  This module reads the mark's line once more
and lists, character by character, the choices that kept such a share.  They are
a reason to look at the package, never proof: the screener turns them into ``needs_review``.

Only RapidOCR gives its scores (PP-OCR's CTC output, through its recognition session); its
public API returns the best text alone, hence the direct use of its recogniser here.  Cost: one
recognition of one line (some 50 ms of CPU), on photos whose mark is a registered one.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["SHARE", "make_alternatives"]

SHARE = 0.05  # the least share of the recogniser's scores a second choice keeps, to be listed

Alternatives = Callable[[object], list[tuple[str, dict[str, float]]]]


def make_alternatives(picture, engine) -> Alternatives | None:
    """``alternatives(line) -> [(character read, {other character: its share of the scores})]``
    for one line of ``picture``, or None when the engine gives no scores (Tesseract)."""
    if getattr(engine, "name", "") != "rapidocr":
        return None

    def alternatives(line) -> list[tuple[str, dict[str, float]]]:
        try:
            return _alternatives(picture, engine, line.box)
        except Exception:  # a recogniser's internals that changed: no second look, never a failure
            return []

    return alternatives


def _alternatives(picture, engine, box) -> list[tuple[str, dict[str, float]]]:
    import numpy as np

    from evidence.labels.imageprep import to_bgr
    from evidence.labels.ocr import crop_line

    recogniser = engine._ocr._load_rec_model()  # the scores are not in its public output
    characters = recogniser.postprocess_op.character
    image = to_bgr(crop_line(picture, box, 1.0))  # the recogniser brings every line to 48 px high anyway
    h, w = image.shape[:2]
    shape = recogniser.rec_image_shape
    batch = recogniser.resize_norm_img(image, max(shape[2] / shape[1], w / max(h, 1)))[np.newaxis]
    scores = recogniser.session(batch.astype(np.float32))[0]
    return [(char, {c: round(p, 4) for c, p in shares.items() if c != char and p >= SHARE})
            for char, shares in _decode(scores, characters)]


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
