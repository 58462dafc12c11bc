"""What a phone photo says about itself: EXIF orientation, time taken, camera, and GPS position.

Read with Pillow (HEIC/HEIF through pillow-heif, as iPhones and many Android phones save them).
GPS in EXIF is WGS-84 (the EXIF standard's default datum, GPSMapDatum says otherwise when it
is not); positions are returned in decimal degrees with their system named, never converted.
The time taken (DateTimeOriginal) is the camera's local clock; with OffsetTimeOriginal it is
turned into UTC, without it the time is kept as written and said to be local.  Nothing here
changes the photo: orientation is reported for whoever displays it (the label reader turns the
image as EXIF says).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta, timezone

from PIL import Image, UnidentifiedImageError

from safeio.errors import InputError

__all__ = ["PHOTO_SUFFIXES", "PhotoMetadata", "read_photo_metadata", "register_heif"]

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".tif", ".tiff")
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_ORIENTATION, _MAKE, _MODEL, _DATETIME = 0x0112, 0x010F, 0x0110, 0x0132
_DATETIME_ORIGINAL, _OFFSET_ORIGINAL = 0x9003, 0x9011
# Orientation codes (EXIF 2.32, tag 274) in words: what a viewer must do to show the photo upright.
ORIENTATIONS = {1: "upright", 2: "mirrored", 3: "rotate 180°", 4: "mirrored, rotate 180°",
                5: "mirrored, rotate 90° clockwise", 6: "rotate 90° clockwise", 7: "mirrored, rotate 90° anticlockwise",
                8: "rotate 90° anticlockwise"}


def register_heif() -> bool:
    """Let Pillow open HEIC/HEIF; False when pillow-heif is not installed (those photos then fail to open)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


@dataclass
class PhotoMetadata:
    """One photo's own account of itself; empty strings and None where the photo says nothing."""

    format: str
    width: int
    height: int
    orientation: int = 1
    orientation_text: str = "upright"
    taken_local: str = ""
    taken_offset: str = ""
    taken_utc: str = ""
    make: str = ""
    model: str = ""
    gps_lon: float | None = None
    gps_lat: float | None = None
    gps_system: str = ""

    @property
    def has_gps(self) -> bool:
        return self.gps_lon is not None and self.gps_lat is not None

    def to_dict(self) -> dict:
        return asdict(self)


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value or "").strip("\x00 ").strip()


def _degrees(parts, ref: str) -> float | None:
    try:
        d, m, s = (float(part) for part in parts)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    return -value if ref.upper() in ("S", "W") else value


def _taken(exif_ifd: dict, base: dict) -> tuple[str, str, str]:
    raw = _text(exif_ifd.get(_DATETIME_ORIGINAL) or base.get(_DATETIME))
    offset = _text(exif_ifd.get(_OFFSET_ORIGINAL))
    try:
        local = datetime.strptime(raw, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return "", "", ""
    utc = ""
    if offset[:1] in "+-" and len(offset) == 6:
        try:
            sign = 1 if offset[0] == "+" else -1
            delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])) * sign
            utc = local.replace(tzinfo=timezone(delta)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            offset = ""
    return local.strftime("%Y-%m-%dT%H:%M:%S"), offset, utc


def read_photo_metadata(data: bytes, *, where: str = "photo") -> PhotoMetadata:
    """The metadata of one photo's bytes.

    Raises
    ------
    InputError
        The bytes are not an image Pillow can open (HEIC needs pillow-heif).
    """
    register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise InputError(f"this file is not a readable photo ({type(err).__name__})", path=where,
                         hint="Give a JPEG, PNG or HEIC photo as the phone saved it.") from err
    orientation = exif.get(_ORIENTATION) or 1
    orientation = orientation if orientation in ORIENTATIONS else 1
    taken_local, offset, utc = _taken(exif.get_ifd(_EXIF_IFD), exif)
    meta = PhotoMetadata(format=str(image.format or ""), width=image.width, height=image.height,
                         orientation=orientation, orientation_text=ORIENTATIONS[orientation],
                         taken_local=taken_local, taken_offset=offset, taken_utc=utc,
                         make=_text(exif.get(_MAKE)), model=_text(exif.get(_MODEL)))
    gps = exif.get_ifd(_GPS_IFD)
    if gps.get(2) and gps.get(4):
        lat, lon = _degrees(gps[2], _text(gps.get(1)) or "N"), _degrees(gps[4], _text(gps.get(3)) or "E")
        datum = _text(gps.get(18)).upper().replace(" ", "")
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0):
            meta.gps_lat, meta.gps_lon = round(lat, 7), round(lon, 7)
            meta.gps_system = "wgs84" if datum in ("", "WGS-84", "WGS84") else datum.lower()
    return meta
