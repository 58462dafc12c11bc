"""Reading order of a label: text boxes grouped into blocks by geometry, columns read one by one.

A detector returns boxes in no useful order, and joining every box at the same height into one
row reads a two-column label across both columns (the ingredients of the left column run into
the maker of the right one).  A recursive XY cut (split at a blank band across the whole region,
alternately horizontal and vertical) finds the blocks; rows are then joined inside each block
only.  A vertical blank band between a key and its value ("生产日期：   2024-03-01") is not a
column gap: a cut is refused when the left side is mostly keys.

A photo taken a few degrees askew has no horizontal blank band between its rows and no vertical
one between its columns: the skew is estimated from the wide boxes (their median slope) and the
cut and the joining of rows are done in the straightened frame; the boxes given back are the
photo's own.  A standing box (vertical text, the digits beside a barcode turned 90°) is never
joined into a row of horizontal text.

Layout libraries (layoutparser, PaddleOCR's PP-Structure) need detection models of their own;
this needs only the boxes RapidOCR already returns, hence the small hand-written cut.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

__all__ = ["blocks", "reading_order", "skew"]

_KEYISH = re.compile(r"[:：]\s*$|^[\u4e00-\u9fff]{1,6}[:：]?$")


def _extent(line) -> tuple[float, float, float, float]:
    xs = [p[0] for p in line.box]
    ys = [p[1] for p in line.box]
    return min(xs), min(ys), max(xs), max(ys)


def _height(line) -> float:
    (_, y0), (_, y1), (_, y2), (_, y3) = line.box[:4]
    return max(1.0, ((y3 - y0) + (y2 - y1)) / 2)


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The blank intervals between the union of ``spans`` (sorted), as (start, end)."""
    spans = sorted(spans)
    out, reach = [], spans[0][1]
    for start, end in spans[1:]:
        if start > reach:
            out.append((reach, start))
        reach = max(reach, end)
    return out


def _split(lines: list, axis: int, cut: float) -> tuple[list, list]:
    first = [ln for ln in lines if (_extent(ln)[axis] + _extent(ln)[axis + 2]) / 2 < cut]
    return first, [ln for ln in lines if ln not in first]


def _column_gap_ok(left: list, right: list, height: float, width: float) -> bool:
    """A blank vertical band is a column gap, not the space between keys and values or a table's cells."""
    if len(left) < 2 or len(right) < 2 or width < 1.2 * height:
        return False
    paired = [ln for ln in left if any(_same_row(ln, other) for other in right)]
    keys = [ln for ln in paired if _KEYISH.search(ln.text.strip())]
    return len(keys) * 2 < max(1, len(paired))


def _same_row(a, b) -> bool:
    _, ay0, _, ay1 = _extent(a)
    _, by0, _, by1 = _extent(b)
    return min(ay1, by1) - max(ay0, by0) > 0.5 * min(ay1 - ay0, by1 - by0)


def _column_cut(lines: list, height: float) -> tuple[list, list] | None:
    xs = [(_extent(ln)[0], _extent(ln)[2]) for ln in lines]
    for start, end in sorted(_gaps(xs), key=lambda g: g[0] - g[1]):
        left, right = _split(lines, 0, (start + end) / 2)
        if left and right and _column_gap_ok(left, right, height, end - start):
            return left, right
    return None


def _cut(lines: list, height: float, depth: int = 0) -> list[list]:
    if len(lines) < 2 or depth > 16:
        return [lines]
    ys = [(_extent(ln)[1] + 0.15 * _height(ln), _extent(ln)[3] - 0.15 * _height(ln)) for ln in lines]
    gaps = [g for g in _gaps(ys) if g[1] - g[0] >= 0.3 * height]
    sizes = sorted(g[1] - g[0] for g in gaps)
    usual = sizes[len(sizes) // 2] if sizes else 0.0
    # a paragraph break: a blank band clearly wider than the usual space between rows
    breaks = [g for g in gaps if g[1] - g[0] >= max(0.9 * height, 1.5 * usual)]
    if breaks:
        widest = max(breaks, key=lambda g: g[1] - g[0])
        top, bottom = _split(lines, 1, (widest[0] + widest[1]) / 2)
        if top and bottom:
            return _cut(top, height, depth + 1) + _cut(bottom, height, depth + 1)
    columns = _column_cut(lines, height)
    if columns:
        return _cut(columns[0], height, depth + 1) + _cut(columns[1], height, depth + 1)
    # a title above (or a line below) two columns: split it off where the rest divides into columns
    for gap in gaps[:2] + gaps[-2:]:
        top, bottom = _split(lines, 1, (gap[0] + gap[1]) / 2)
        if top and bottom and (_column_cut(bottom, height) or _column_cut(top, height)):
            return _cut(top, height, depth + 1) + _cut(bottom, height, depth + 1)
    return [lines]


def blocks(pieces: list) -> list[list]:
    """The text boxes grouped into blocks in reading order (each a list of boxes, unordered inside)."""
    if not pieces:
        return []
    heights = sorted(_height(p) for p in pieces)
    return _cut(list(pieces), heights[len(heights) // 2])


def skew(pieces: list) -> float:
    """The photo's skew in radians (positive: rows fall to the right), the median slope of the boxes
    at least three times wider than tall; 0 when fewer than three such boxes or under half a degree."""
    angles = []
    for piece in pieces:
        (x0, y0), (x1, y1) = piece.box[0], piece.box[1]
        width = math.hypot(x1 - x0, y1 - y0)
        if x1 > x0 and width >= 3 * _height(piece):
            angles.append(math.atan2(y1 - y0, x1 - x0))
    if len(angles) < 3:
        return 0.0
    angles.sort()
    angle = angles[len(angles) // 2]
    return angle if math.radians(0.5) <= abs(angle) <= math.radians(25) else 0.0


def _turn(line, angle: float, centre: tuple[float, float]):
    """``line`` with its box turned by ``-angle`` about ``centre`` (the straightened frame)."""
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = centre
    box = tuple((cx + (x - cx) * cos + (y - cy) * sin, cy - (x - cx) * sin + (y - cy) * cos) for x, y in line.box)
    return replace(line, box=box)


def _standing(line) -> bool:
    """Vertical text: a box of two or more characters clearly taller than wide."""
    x0, y0, x1, y1 = _extent(line)
    return len(line.text.strip()) >= 2 and (y1 - y0) > 2 * max(1.0, x1 - x0)


def reading_order(pieces: list, merge) -> list:
    """Rows in reading order: ``merge`` (``evidence.labels.ocr.merge_rows``) inside each block, blocks in
    order; each row carries the number of its block, so parties and values never cross a block.

    The work is done in the straightened frame of a skewed photo (see :func:`skew`); the rows
    returned have their boxes in the photo."""
    if not pieces:
        return []
    angle = skew(pieces)
    centre = (0.0, 0.0)
    own: dict = {}  # straightened box -> the photo's box, so a row of one piece keeps its box exactly
    if angle:
        xs = [x for piece in pieces for x, _ in piece.box]
        ys = [y for piece in pieces for _, y in piece.box]
        centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
        turned = [_turn(piece, angle, centre) for piece in pieces]
        own = {t.box: p.box for t, p in zip(turned, pieces, strict=True)}
        pieces = turned
    flat = [piece for piece in pieces if not _standing(piece)]
    upright = [piece for piece in pieces if _standing(piece)]
    out = []
    for number, block in enumerate(blocks(flat) if flat else []):
        out += [replace(row, block=number) for row in merge(block)]
    # vertical text in a block of its own (it joins nothing), placed where its middle stands among the rows
    alone = out[-1].block + 1 if out else 0

    def middle(line) -> float:
        return (_extent(line)[1] + _extent(line)[3]) / 2

    for piece in sorted(upright, key=middle):
        at = next((k for k, row in enumerate(out) if middle(row) > middle(piece)), len(out))
        out.insert(at, replace(piece, block=alone))
    if angle:
        out = [replace(row, box=own[row.box]) if row.box in own else _turn(row, -angle, centre) for row in out]
    return out
