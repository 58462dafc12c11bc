"""Photos in every mode a scanner or phone writes are converted before reading (16-bit, CMYK, palette, alpha)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from evidence.labels.imageprep import load_image


@pytest.fixture(scope="module")
def page() -> Image.Image:
    """A small grey page with dark text-like bars."""
    image = Image.new("L", (240, 120), 235)
    pixels = np.asarray(image).copy()
    for row in range(20, 110, 30):
        pixels[row:row + 12, 20:220:7] = 25
    return Image.fromarray(pixels)


def _grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float64)


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _variants(page: Image.Image) -> dict[str, bytes]:
    sixteen = Image.fromarray((np.asarray(page, dtype=np.uint16) * 257).astype(np.uint16))
    rgba = page.convert("RGBA")
    rgba.putalpha(Image.fromarray(np.where(np.asarray(page) < 128, 255, 0).astype(np.uint8)))  # ink opaque only
    palette = page.convert("RGB").convert("P", palette=Image.ADAPTIVE, colors=8)
    palette.info["transparency"] = int(np.asarray(palette)[0, 0])
    return {
        "tiff_16bit_grey": _encode(sixteen, "TIFF"),
        "png_16bit_grey": _encode(sixteen, "PNG"),
        "jpeg_cmyk": _encode(page.convert("CMYK"), "JPEG", quality=95),
        "png_palette_transparent": _encode(palette, "PNG", transparency=palette.info["transparency"]),
        "png_alpha": _encode(rgba, "PNG"),
        "tiff_float": _encode(Image.fromarray(np.asarray(page, dtype=np.float32)), "TIFF"),
    }


@pytest.mark.parametrize("name", ["tiff_16bit_grey", "png_16bit_grey", "jpeg_cmyk", "png_palette_transparent",
                                  "png_alpha", "tiff_float"])
def test_every_mode_gives_dark_text_on_a_light_page(page, name):
    data = _variants(page)[name]
    image = load_image(data)
    assert image.mode == "RGB" and image.size == page.size
    grey, original = _grey(image), _grey(page)
    ink = original < 128
    assert grey[ink].mean() < 90, "text must stay dark"
    assert grey[~ink].mean() > 170, "the page must stay light (not clipped to white, not black behind alpha)"
    assert np.corrcoef(grey.ravel(), original.ravel())[0, 1] > 0.9


def test_sixteen_bit_was_clipped_by_a_plain_conversion(page):
    """Why the conversion exists: Pillow's own RGB conversion of 16-bit grey is all white."""
    raw = Image.open(io.BytesIO(_variants(page)["tiff_16bit_grey"]))
    assert raw.mode.startswith("I;16")
    assert _grey(raw.convert("RGB")).min() == 255


@pytest.mark.slow
def test_a_16_bit_greyscale_tiff_label_is_read(rendered_labels, tmp_path):
    from evidence.labels.label_report import read_label

    path, truth = rendered_labels[1]
    grey = np.asarray(Image.open(path).convert("L"), dtype=np.uint16) * 257
    tiff = tmp_path / "label16.tif"
    Image.fromarray(grey.astype(np.uint16)).save(tiff)
    report = read_label(tiff, "rapidocr")
    assert report.error is None, report.error
    assert report.fields["product_name"] == truth["fields"]["product_name"]
