"""Opening label photos safely and preparing them for Tesseract.

Field photos arrive broken (zero bytes, truncated JPEGs, a PDF named .jpg) or huge (a 12000×12000
phone panorama).  ``load_image`` turns each of these into a clear :class:`InputError` or a
reasonably sized RGB image, so that one bad photo never stops a batch.

Tesseract reads clean, upright, black-on-white text about 30-40 px high far better than a raw
photo (docs/domain.md, "OCR"): ``prepare_for_tesseract`` upscales, flattens uneven light, deskews and
binarises.  RapidOCR does its own preparation and gets the photo as it is.
"""

from __future__ import annotations

import io
import warnings
from os import PathLike
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from evidence.labels.photo_metadata import register_heif
from safeio.errors import InputError
from safeio.limits import read_capped

register_heif()  # HEIC/HEIF photos, as phones take them, open like JPEGs

__all__ = ["MAX_SIDE", "ImageInput", "estimate_skew", "estimate_text_height", "even_rows", "load_image",
           "prepare_for_tesseract", "text_rows", "thumbnail_png", "to_bgr", "to_rgb"]

MAX_SIDE = 4000  # larger photos are shrunk on decode: label text stays far above OCR's needs
MAX_PIXELS_HARD = 400_000_000  # beyond this even a reduced decode would exhaust memory
MAX_PHOTO_BYTES = 256 << 20  # a label photo, even a 16-bit TIFF, is far smaller

ImageInput = str | PathLike | Image.Image | bytes


def load_image(source: ImageInput, *, name: str | None = None) -> Image.Image:
    """An RGB image from a path, bytes or PIL image; every unusable input is an InputError."""
    if isinstance(source, Image.Image):
        return _limit(to_rgb(source))
    label = name or (str(source) if not isinstance(source, bytes) else "<image bytes>")
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        if not path.is_file() and not path.is_symlink():
            raise InputError("the photo does not exist or is not a file", path=label,
                             hint="Check the file name; give the path of a JPEG or PNG photo.")
        # read once (evidence originals are only ever read), capped, never through a link or from a FIFO
        data = read_capped(path, MAX_PHOTO_BYTES, what="photo")
    if not data:
        raise InputError("the photo file is empty (0 bytes)", path=label,
                         hint="Copy the photo again from the camera or phone; this copy holds nothing.")
    if data[:5] == b"%PDF-":
        raise InputError("this is a PDF document, not a photo", path=label,
                         hint="Export the PDF page as an image (pdftoppm -png FILE.pdf OUT) and read that.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS_HARD:
                raise InputError(f"the photo is too large to read ({width}×{height} pixels)", path=label,
                                 hint="Resize it below 20000×20000 pixels with an image editor and try again.")
            if max(width, height) > MAX_SIDE and image.format == "JPEG":
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8 scale: fast, little memory
            image = ImageOps.exif_transpose(image)
            image.load()
    except InputError:
        raise
    except Image.DecompressionBombError as err:
        raise InputError("the photo is too large to read (over 180 million pixels)", path=label,
                         hint="Resize it below 12000×12000 pixels with an image editor and try again.") from err
    except UnidentifiedImageError as err:
        raise InputError(f"this file is not a readable image ({type(err).__name__})", path=label,
                         hint="Give a JPEG or PNG photo; if it is one, it may be damaged: copy it again.") from err
    except (OSError, SyntaxError, ValueError) as err:
        raise InputError(f"the image is damaged or truncated ({err})", path=label,
                         hint="Copy the photo again from the camera or phone; this copy is incomplete.") from err
    return _limit(to_rgb(image))


def to_rgb(image: Image.Image) -> Image.Image:
    """8-bit RGB on white from any mode a scanner or camera app writes (returns a new image).

    Pillow's own ``convert("RGB")`` clips 16-bit greyscale (TIFF, PNG) to white, drops alpha onto
    black, and ignores a palette's transparency: each of these would read as "no text".
    """
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        low, high = float(np.min(values)), float(np.max(values))
        if high - low < 1e-9:
            scaled = np.full(values.shape, 255, np.uint8)
        else:
            scaled = np.clip((values - low) * 255.0 / (high - low), 0, 255).round().astype(np.uint8)
        return Image.fromarray(scaled, "L").convert("RGB")
    if mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or image.mode == "RGBA":
        rgba = image.convert("RGBA")
        ground = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(ground, rgba).convert("RGB")
    if mode == "CMYK":
        return _cmyk_to_rgb(image)
    return image.convert("RGB")


def _cmyk_to_rgb(image: Image.Image) -> Image.Image:
    """CMYK through its embedded ICC profile when there is one (Pillow's plain conversion is naive)."""
    profile = image.info.get("icc_profile")
    if profile:
        try:
            from PIL import ImageCms

            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (OSError, ValueError, ImageCms.PyCMSError):
            pass
    return image.convert("RGB")


def _limit(image: Image.Image) -> Image.Image:
    if max(image.size) > MAX_SIDE:
        image = image.copy()
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
    return image


def to_bgr(image: Image.Image) -> np.ndarray:
    """The OpenCV channel order RapidOCR expects."""
    return np.asarray(image)[:, :, ::-1].copy()


def thumbnail_png(image: Image.Image, size: int = 240) -> bytes:
    """A small PNG for dossiers: the photo itself stays in the case folder, untouched.

    Plain zlib compression: ``optimize`` made a phone photo's thumbnail 2 % smaller at three times
    the cost (30 ms of a label's reading)."""
    thumb = image.copy()
    thumb.thumbnail((size, size), Image.LANCZOS)
    buffer = io.BytesIO()
    thumb.save(buffer, format="PNG")
    return buffer.getvalue()


# --- Tesseract preparation --------------------------------------------------------------------------


def prepare_for_tesseract(image: Image.Image, *, text_height: int | None = None) -> Image.Image:
    """Grayscale, even out the light, deskew, scale text to ~36 px and binarise (Otsu)."""
    import cv2

    gray = np.array(image.convert("L"))  # a writable copy: cv2.floodFill below writes into it when no resize made one
    height = text_height or estimate_text_height(gray)
    scale = 36.0 / height if height else 1.0
    scale = min(max(scale, 0.5), 4.0)
    if abs(scale - 1.0) > 0.1:
        gray = cv2.resize(gray, None, fx=scale, fy=scale,
                          interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
    # uneven light: divide by a heavily blurred background estimate
    kernel = 31  # a small blur: a wide one darkens a band along the photo edge and eats the first characters
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25)))
    background = cv2.GaussianBlur(background, (kernel, kernel), 0)
    flat = cv2.divide(gray, background, scale=255)
    flat[_surroundings(gray)] = 255
    angle = estimate_skew(flat)
    if abs(angle) > 0.3:
        h, w = flat.shape
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        flat = cv2.warpAffine(flat, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)
    _, binary = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if np.mean(binary) < 127:  # light text on a dark ground
        binary = 255 - binary
    binary = _clear_border(binary)
    return Image.fromarray(binary)


def _surroundings(gray: np.ndarray) -> np.ndarray:
    """What lies around the label (a table, the fill of a rotated photo), flood-filled from the corners.

    A flood grows across gradual shading and stops at the sharp paper edge.  It is kept only where it
    is clearly darker than the paper: a corner of paper floods the page, and must not be whitened."""
    import cv2

    h, w = gray.shape
    bright = float(np.percentile(gray, 90))
    region = np.zeros((h, w), bool)
    for x, y in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)):
        if region[y, x]:
            continue
        mask = np.zeros((h + 2, w + 2), np.uint8)
        cv2.floodFill(gray, mask, (x, y), 0, loDiff=6, upDiff=6, flags=4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8))
        flooded = mask[1:-1, 1:-1] > 0
        if flooded.sum() < 0.6 * h * w and float(gray[flooded].mean()) < 0.7 * bright:
            region |= flooded
    if region.any():
        region = cv2.dilate(region.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    return region


def _clear_border(binary: np.ndarray) -> np.ndarray:
    """Drop ink touching the edge (the table or the shadow around a photographed label): Tesseract
    reads such frames as rows of '|' and stray letters."""
    import cv2

    ink = (binary < 128).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = ink.shape
    out = binary.copy()
    for i in range(1, count):
        x, y, bw, bh = stats[i][:4]
        area = stats[i][4]
        touches = x <= 1 or y <= 1 or x + bw >= w - 1 or y + bh >= h - 1
        if area < 12 and bw < 6 and bh < 6:  # a speck of noise (a stroke's dot survives: it sits in a row)
            touches = touches or _isolated(ink, x, y, bw, bh)
        rule = max(bw, bh) > 60 and max(bw, bh) > 15 * max(1, min(bw, bh))  # a frame edge, not a stroke
        if touches or rule or bw > 0.9 * w or bh > 0.5 * h:
            out[labels == i] = 255
    return out


def _isolated(ink: np.ndarray, x: int, y: int, w: int, h: int, reach: int = 12) -> bool:
    """No other ink within ``reach`` pixels: a speck, not the dot of a character."""
    y0, y1 = max(0, y - reach), min(ink.shape[0], y + h + reach)
    x0, x1 = max(0, x - reach), min(ink.shape[1], x + w + reach)
    return int(ink[y0:y1, x0:x1].sum()) <= int(ink[y:y + h, x:x + w].sum())


def text_rows(binary: np.ndarray, min_gap: int = 3) -> list[tuple[int, int]]:
    """(top, bottom) of each text row from the horizontal ink projection of a binarised page."""
    ink = (binary < 128).sum(axis=1)
    ink = np.where(ink > 2, ink, 0)  # specks are not a row
    rows, start, gap = [], None, 0
    for y, count in enumerate(ink):
        if count > 0:
            if start is None:
                start = y
            gap = 0
        elif start is not None:
            gap += 1
            if gap >= min_gap:
                rows.append((start, y - gap + 1))
                start, gap = None, 0
    if start is not None:
        rows.append((start, len(ink)))
    return [(a, b) for a, b in rows if b - a >= 6]


def even_rows(binary: Image.Image, height: int = 40, gap: int = 32) -> tuple[Image.Image, list[tuple[int, int]]]:
    """Rescale every text row to one height and stack them: Tesseract's page model reads a big title
    and small body text far better when both come at the size it was trained on."""
    array = np.asarray(binary)
    rows = text_rows(array)
    if len(rows) < 2:
        return binary, rows
    pieces = []
    kept = []
    typical = float(np.median([b - t for t, b in rows]))
    for top, bottom in rows:
        band = array[top:bottom] < 128
        columns = np.flatnonzero(band.any(axis=0))
        if band.sum() < 40 or columns.size == 0 or bottom - top < 0.5 * typical:  # specks, frame dashes
            continue
        kept.append((top, bottom))
        left, right = max(0, int(columns[0]) - 4), min(binary.width, int(columns[-1]) + 5)
        strip = binary.crop((left, top, right, bottom))
        scale = height / max(1, bottom - top)
        pieces.append(strip.resize((max(1, int(strip.width * scale)), height), Image.LANCZOS))
    if not pieces:
        return binary, rows
    width = max(p.width for p in pieces) + 2 * gap
    page = Image.new("L", (width, gap + len(pieces) * (height + gap)), 255)
    for i, piece in enumerate(pieces):
        page.paste(piece, (gap, gap + i * (height + gap)))
    return page, kept


def _ink(gray: np.ndarray) -> np.ndarray:
    import cv2

    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def estimate_text_height(gray: np.ndarray) -> float | None:
    """Median height of the text rows (horizontal projection), or None when there is no text."""
    import cv2

    small_scale = 800 / max(gray.shape) if max(gray.shape) > 800 else 1.0
    work = cv2.resize(gray, None, fx=small_scale, fy=small_scale) if small_scale < 1 else gray
    background = cv2.GaussianBlur(work, (0, 0), 25)
    flat = cv2.divide(work, background, scale=255)
    ink = _ink(flat)
    _count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = [s[cv2.CC_STAT_HEIGHT] for s in stats[1:] if 4 <= s[cv2.CC_STAT_HEIGHT] <= work.shape[0] / 4
               and s[cv2.CC_STAT_WIDTH] <= work.shape[1] / 3]
    if len(heights) < 5:
        return None
    # components of Han characters are parts of a glyph: the tall end is the character height
    return float(np.percentile(heights, 80)) / small_scale


def estimate_skew(gray: np.ndarray, limit: float = 8.0) -> float:
    """The rotation (degrees) that makes text rows sharpest in the horizontal projection."""
    import cv2

    scale = 600 / max(gray.shape) if max(gray.shape) > 600 else 1.0
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = _ink(small).astype(np.float32)
    h, w = ink.shape
    best, best_score = 0.0, -1.0
    for coarse in (np.arange(-limit, limit + 0.01, 1.0), None):
        angles = coarse if coarse is not None else np.arange(best - 1.0, best + 1.01, 0.2)
        for angle in angles:
            matrix = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
            rotated = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
            profile = rotated.sum(axis=1)
            score = float(np.var(np.diff(profile)))
            if score > best_score:
                best, best_score = float(angle), score
    return best
