"""Row 8: a 16-bit greyscale TIFF label photo is converted and read.

Before: "no text was found... photograph closer", while a CMYK copy of the same photo read fine.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_16_bit_greyscale_tiff_reads_like_the_same_photo_as_jpeg(hostile_book, tmp_path):
    from evidence.labels.label_report import read_label

    photo = sorted(hostile_book.glob("*/labels/*.jpg"))[0]
    grey = np.asarray(Image.open(photo).convert("L"), dtype=np.uint16) * 257  # full 16-bit range
    tiff = tmp_path / "label-16bit.tif"
    Image.fromarray(grey).save(tiff)
    assert Image.open(tiff).mode.startswith("I;16")
    as_jpeg, as_tiff = read_label(photo), read_label(tiff)
    assert as_jpeg.error is None and as_tiff.error is None, as_tiff.error
    assert as_tiff.fields.get("product_name") == as_jpeg.fields.get("product_name")
