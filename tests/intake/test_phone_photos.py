"""Label photos from a phone: HEIC read, EXIF kept, originals unchanged, no photo twice, GPS offered."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PIL import Image

from casebook.case import load_case
from casebook.casefile import read_case_file
from evidence.integrity.custody import CustodyLog
from evidence.labels.imageprep import load_image
from evidence.labels.photo_metadata import read_photo_metadata


def phone_photo(path: Path, *, color=(200, 30, 30), orientation: int = 6, gps: bool = True, size=(64, 48),
                text: str = "") -> Path:
    """A photo as a phone writes it: EXIF time with offset, camera, orientation and GPS (degrees, minutes, seconds).

    With ``text``, the photo shows a label: the lines are drawn upright in the project's CJK font, and the
    pixels are stored turned as a phone held sideways stores them (orientation 6)."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 15"
    taken = exif.get_ifd(0x8769)
    taken[0x9003], taken[0x9011] = "2026:11:03 10:20:30", "+08:00"
    if gps:
        where = exif.get_ifd(0x8825)
        where[1], where[2], where[3], where[4] = "N", (33.0, 40.0, 43.7), "E", (114.0, 37.0, 46.7)
    image = Image.new("RGB", size, color)
    if text:
        from PIL import ImageDraw, ImageFont

        from evidence.labels.glyph_shapes import cjk_font

        font_path, index = cjk_font()
        image = Image.new("RGB", size, (250, 250, 245))
        draw = ImageDraw.Draw(image)
        font = ImageFont.truetype(font_path, 30, index=index)
        for row, line in enumerate(text.splitlines()):
            draw.text((30, 30 + 48 * row), line, fill=(20, 20, 20), font=font)
        draw.rectangle((0, 0, size[0] - 1, 8), fill=color)  # each photo's own bytes
        if orientation == 6:
            image = image.transpose(Image.Transpose.ROTATE_90)  # stored turned; EXIF says turn it back
    image.save(path, exif=exif.tobytes())
    return path


def test_heic_is_read_as_phones_write_it(tmp_path):
    photo = phone_photo(tmp_path / "IMG_0001.HEIC")
    assert photo.read_bytes()[4:12] in (b"ftypheic", b"ftypmif1")  # a real HEIF container, encoded by libheif
    meta = read_photo_metadata(photo.read_bytes())
    assert meta.format == "HEIF" and meta.model == "iPhone 15"
    assert (meta.gps_lon, meta.gps_lat, meta.gps_system) == (114.6296389, 33.6788056, "wgs84")
    assert meta.taken_local == "2026-11-03T10:20:30" and meta.taken_utc == "2026-11-03T02:20:30Z"
    assert load_image(photo).size in ((48, 64), (64, 48))  # the label reader opens it


def test_jpeg_orientation_is_recorded_and_applied_when_read(tmp_path):
    photo = phone_photo(tmp_path / "IMG_0002.jpg", orientation=6)
    meta = read_photo_metadata(photo.read_bytes())
    assert (meta.orientation, meta.width, meta.height) == (6, 64, 48)
    assert load_image(photo).size == (48, 64)  # turned upright for reading: 48 wide, 64 high


def test_add_photos_into_an_item(cli, new_case, tmp_path):
    photos = [phone_photo(tmp_path / "IMG_0001.HEIC"), phone_photo(tmp_path / "IMG 0002.jpg", color=(0, 90, 0)),
              phone_photo(tmp_path / "front<1>.png", gps=False, color=(0, 0, 90))]
    originals = {p.name: p.read_bytes() for p in photos}
    code, out, err = cli("case", "add-photos", new_case, *photos, "--item", "康帅傅红烧牛肉面", "--json")
    assert code == 0, err
    report = json.loads(out)
    item = "kang-shuai-fu-hong-shao-niu-rou-mian"
    paths = [record["path"] for record in report["added"]]
    assert paths == [f"labels/{item}/IMG_0001.heic", f"labels/{item}/IMG_0002.jpg", f"labels/{item}/front_1.png"]
    for record, photo in zip(report["added"], photos, strict=True):
        data = (new_case / record["path"]).read_bytes()
        assert data == originals[photo.name]  # evidence is the original bytes, never re-encoded or rotated
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
    items = read_case_file(new_case / "case.yml")["items"]
    assert items == [{"id": item, "name": "康帅傅红烧牛肉面", "photos": paths, "complete": "false"}]
    kept = json.loads((new_case / "evidence" / "photo_metadata.json").read_text(encoding="utf-8"))["photos"]
    assert kept[1]["exif"]["orientation"] == 6 and kept[1]["exif"]["gps_system"] == "wgs84"
    assert "WGS-84" in kept[0]["gps_note"]
    assert CustodyLog(new_case / "custody.jsonl").events()[-1]["action"] == "acquired"
    assert report["location_offer"]["lon"] == 114.6296389  # the case has an address but no position


def test_a_photo_already_in_the_case_is_not_added_twice(cli, new_case, tmp_path):
    photo = phone_photo(tmp_path / "IMG_0001.jpg")
    code, _, err = cli("case", "add-photos", new_case, photo, "--item", "noodles")
    assert code == 0, err
    renamed = tmp_path / "copy of IMG_0001.jpg"
    renamed.write_bytes(photo.read_bytes())
    code, out, err = cli("case", "add-photos", new_case, renamed, "--item", "other-item", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["added"] == [] and report["duplicates"][0]["already"] == "labels/noodles/IMG_0001.jpg"
    assert not (new_case / "labels" / "other-item").exists() or not any((new_case / "labels" / "other-item").iterdir())
    assert [i["id"] for i in read_case_file(new_case / "case.yml")["items"]] == ["noodles"]


def test_gps_becomes_the_case_location_when_asked(cli, new_case, tmp_path):
    assert load_case(new_case).lon_lat() is None
    code, _, err = cli("case", "add-photos", new_case, phone_photo(tmp_path / "a.jpg"), "--use-gps-location")
    assert code == 0, err
    case = load_case(new_case)
    assert case.lon_lat() == (114.6296389, 33.6788056, "wgs84")
    assert "EXIF GPS" in case.location["position_source"] and case.location["county"] == "川汇区"


def test_a_file_that_is_not_a_photo_is_refused_and_the_rest_goes_on(cli, new_case, tmp_path):
    bad = tmp_path / "notes.jpg"
    bad.write_bytes(b"%PDF-1.4 not a photo")
    code, out, _err = cli("case", "add-photos", new_case, bad, phone_photo(tmp_path / "b.jpg"), "--json")
    assert code == 1
    report = json.loads(out)
    assert [f["photo"] for f in report["failed"]] == [str(bad)] and len(report["added"]) == 1
    assert sorted(p.name for p in (new_case / "labels").iterdir()) == ["b.jpg"]


def test_the_officer_can_say_every_side_was_photographed(cli, new_case, tmp_path):
    code, _, err = cli("case", "add-photos", new_case, phone_photo(tmp_path / "front.jpg"), "--item-id", "fertilizer")
    assert code == 0, err
    code, _, err = cli("case", "add-photos", new_case, phone_photo(tmp_path / "back.jpg", color=(1, 2, 3)),
                       "--item-id", "fertilizer", "--complete")
    assert code == 0, err
    (item,) = read_case_file(new_case / "case.yml")["items"]
    assert item["complete"] == "true" and item["photos"] == ["labels/fertilizer/front.jpg", "labels/fertilizer/back.jpg"]
