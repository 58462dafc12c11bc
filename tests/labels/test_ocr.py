"""Real OCR on real images: the shared photos and labels drawn by the sample renderer."""

from __future__ import annotations

import pytest

from evidence.labels.label_fields import extract_fields
from evidence.labels.ocr import (
    OcrLine,
    OcrResult,
    TesseractEngine,
    character_error_rate,
    get_engine,
    merge_rows,
)
from safeio.errors import MissingDependencyError
from tests.support.labels import assert_fields_match

pytestmark = pytest.mark.slow


def test_engines_are_loaded_once_per_process():
    assert get_engine("rapidocr") is get_engine("rapidocr")
    assert get_engine("auto") is get_engine("rapidocr")


def test_rapidocr_reads_the_real_product_sheet(realdata):
    result = get_engine("rapidocr").read(realdata / "11.jpg")
    assert isinstance(result, OcrResult) and result.engine == "rapidocr"
    expected = (realdata / "11.expected.txt").read_text(encoding="utf-8")
    assert character_error_rate(expected, result.text) <= 0.05
    assert all(0 <= line.confidence <= 1 and len(line.box) == 4 for line in result.lines)
    fields = extract_fields(result.lines)
    assert (fields.product_name, fields.model_no, fields.net_content) == ("纯臻营养护发素", "YM-X-3011", "220ml")


def test_rapidocr_on_rendered_labels(rendered_labels):
    engine = get_engine("rapidocr")
    for path, truth in rendered_labels[:2]:
        result = engine.read(path)
        assert character_error_rate(truth["text"], result.text) <= 0.03, result.text
        assert_fields_match(extract_fields(result.lines), truth["fields"])


def test_tesseract_with_preparation_on_a_rendered_label(rendered_labels):
    path, truth = rendered_labels[0]
    result = get_engine("tesseract").read(path)
    assert result.engine == "tesseract"
    assert character_error_rate(truth["text"], result.text) <= 0.10, result.text


def test_a_missing_language_pack_names_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # an empty tessdata folder: no chi_sim, no eng
    with pytest.raises(MissingDependencyError) as caught:
        TesseractEngine()
    assert "tesseract-ocr-chi-sim" in caught.value.hint


def test_a_missing_tesseract_program_names_the_package(monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(MissingDependencyError) as caught:
        TesseractEngine()
    assert "tesseract-ocr" in caught.value.hint


def test_boxes_on_one_tilted_row_merge_left_to_right():
    left = OcrLine("额定电压：220V~", ((0, 100), (300, 110), (300, 140), (0, 130)), 0.99)
    right = OcrLine("额定功率：1500W", ((400, 113), (700, 123), (700, 153), (400, 143)), 0.95)
    below = OcrLine("型号：AB-100", ((0, 160), (300, 170), (300, 200), (0, 190)), 0.98)
    rows = merge_rows([right, below, left])
    assert [r.text for r in rows] == ["额定电压：220V~ 额定功率：1500W", "型号：AB-100"]
    assert rows[0].confidence == 0.95


def test_the_real_second_reading_of_a_real_photo(realdata):
    """Both second readings of one line of a real photo: the same engine on the enlarged crop, the other engine."""
    from rapidfuzz import fuzz

    from evidence.labels.imageprep import load_image
    from evidence.labels.label_report import make_reread

    picture = load_image(realdata / "11.jpg")
    engine = get_engine("rapidocr")
    line = next(x for x in engine.read(picture).lines if "YM-X-3011" in x.text.replace(" ", ""))
    readings = make_reread(picture, engine)(line)
    assert len(readings) == 2, readings  # RapidOCR on the straightened, enlarged crop; then Tesseract on it
    assert [engine_name for _, _, engine_name in readings] == ["rapidocr", "tesseract"]
    for text, confidence, _ in readings:
        assert 0 <= confidence <= 1
        assert fuzz.partial_ratio("产品编号YM-X-3011", text.replace(" ", "")) >= 70, readings
    assert "3011" in readings[0][0]


def test_a_crop_of_a_tilted_line_comes_out_level():
    from PIL import Image, ImageDraw

    from evidence.labels.ocr import crop_line

    picture = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(picture).polygon([(50, 100), (350, 60), (352, 80), (52, 120)], fill="black")
    strip = crop_line(picture, ((50, 100), (350, 60), (352, 80), (52, 120)), upscale=1.0)
    import numpy as np

    ink = np.asarray(strip.convert("L")) < 128
    inked_rows = ink.any(axis=1).sum()
    assert strip.width > 10 * strip.height
    assert inked_rows <= 24 and ink.mean(axis=1).max() > 0.9  # a level band ~20 px high, not a 60 px slant
