"""Bad photos and files: each gives its own clear error; nothing stops the batch."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from evidence.labels.imageprep import load_image
from evidence.labels.label_report import read_labels
from safeio.errors import InputError


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, rendered_labels):
    folder = tmp_path_factory.mktemp("bad")
    good = rendered_labels[1][0]
    (folder / "zero.jpg").write_bytes(b"")
    (folder / "truncated.jpg").write_bytes(good.read_bytes()[:2500])
    (folder / "document.jpg").write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    (folder / "notes.jpg").write_text("这不是图片", encoding="utf-8")
    Image.new("RGB", (900, 600), (235, 235, 230)).save(folder / "blank.png")
    return folder, good


def test_each_bad_photo_gets_its_own_error_and_the_batch_goes_on(bad_files):
    folder, good = bad_files
    names = ["zero.jpg", "truncated.jpg", "document.jpg", "notes.jpg", "blank.png", "missing.jpg"]
    reports = read_labels([folder / n for n in names[:3]] + [good] + [folder / n for n in names[3:]], engine="rapidocr")
    assert [r.image for r in reports] == [str(folder / n) for n in names[:3]] + [str(good)] + \
        [str(folder / n) for n in names[3:]]
    good_report = reports[3]
    assert good_report.error is None and good_report.fields["product_name"]
    messages = [r.error["message"] for r in reports if r.error]
    assert len(messages) == 6
    assert "empty" in messages[0] and "truncated" in messages[1] and "PDF" in messages[2]
    assert "not a readable image" in messages[3] and "no text" in messages[4] and "does not exist" in messages[5]
    assert all(r.error["hint"] and r.error["type"] == "InputError" for r in reports if r.error)


def test_a_huge_photo_is_shrunk_on_decode_not_refused(tmp_path):
    path = tmp_path / "huge.jpg"
    Image.new("L", (12000, 12000), 250).save(path, quality=50)
    image = load_image(path)
    assert max(image.size) <= 4000 and image.mode == "RGB"


def test_an_absurd_image_is_refused_before_decoding():
    header = io.BytesIO()
    Image.new("1", (30000, 20000), 1).save(header, format="PNG")  # tiny file, 600 M pixels
    with pytest.raises(InputError, match="too large"):
        load_image(header.getvalue())
