"""Properties: any tree copies byte for byte; any bytes as a photo give metadata or a plain error; checked fields fit the schema."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from casebook.casefile import CaseFile
from casebook.intake.case_new import check_coordinate, check_date
from evidence.integrity.copy_hashing import copy_tree
from evidence.labels.photo_metadata import read_photo_metadata
from safeio.errors import InputError
from tests.intake.conftest import tree_bytes

_FOLDERS = [b"", b"d1/", b"d1/d2/", b"\xe5\xa4\x87/"]  # the last one is 备 in UTF-8
_NAMES = st.binary(min_size=1, max_size=12).filter(  # any name a disk may hold, not one of the folders
    lambda raw: b"/" not in raw and b"\0" not in raw and raw not in (b".", b"..", b"d1", b"d2", b"\xe5\xa4\x87")
    and not raw.endswith(b".casebook-part"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.tuples(st.sampled_from(_FOLDERS), _NAMES), st.binary(max_size=3000), min_size=1, max_size=8))
def test_any_tree_is_copied_byte_for_byte(files):
    with tempfile.TemporaryDirectory() as work:
        src = Path(work) / "src"
        for (folder, name), content in files.items():
            path = os.path.join(os.fsencode(src), folder + name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(content)
        result = copy_tree(src, Path(work) / "copy", journal=Path(work) / "journal", workers=2)
        assert result.complete and not result.problems and not result.changes
        assert len(result.copied) == len(files)
        assert tree_bytes(Path(work) / "copy") == tree_bytes(src)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_metadata_or_a_plain_error(data):
    try:
        read_photo_metadata(data)
    except InputError as err:
        assert err.hint


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_a_jpeg_with_any_exif_bytes_never_crashes(blob):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG", exif=b"Exif\x00\x00" + blob)
    try:
        meta = read_photo_metadata(buffer.getvalue())
    except InputError:
        return
    assert 1 <= meta.orientation <= 8
    assert meta.gps_lat is None or -90 <= meta.gps_lat <= 90


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=14), st.floats(allow_nan=False, allow_infinity=False).map(str),
                 st.decimals(min_value=-200, max_value=200, places=6).map(str)))
def test_an_accepted_coordinate_or_date_fits_the_schema(text):
    for name in ("location.lon", "location.lat"):
        try:
            value = check_coordinate(text, name)
        except InputError as err:
            assert err.field == name
            continue
        CaseFile.model_validate({"case_id": "X", "title": "t", "location": {name.split(".")[1]: value}})
    try:
        day = check_date(text)
    except InputError as err:
        assert err.field == "opened"
    else:
        CaseFile.model_validate({"case_id": "X", "title": "t", "opened": day})
