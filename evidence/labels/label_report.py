"""Label photos -> per-photo reports ready for the dossier: thumbnail, fields table, findings.

One broken photo gives a report with an ``error`` (a CasebookError dict), never an exception,
so the dossier of a case with a damaged photo still renders with the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from evidence.labels.imageprep import MAX_PHOTO_BYTES, load_image, thumbnail_png, to_bgr
from evidence.labels.item_screening import ItemPhoto, ItemScreening, screen_item
from evidence.labels.label_fields import FIELD_NAMES, extract_fields
from evidence.labels.line_rereads import reread_doubtful_lines
from evidence.labels.mark_doubts import make_alternatives
from evidence.labels.ocr import OcrEngine, OcrLine, OcrResult, get_engine, upright
from evidence.labels.readings import ReadingCache
from evidence.labels.screening import Finding, screen
from safeio.errors import CasebookError, InputError, MissingDependencyError
from safeio.limits import read_capped

__all__ = ["ItemReport", "LabelReport", "make_reread", "read_bars", "read_item", "read_label", "read_labels",
           "report_from_ocr", "screen_reports"]

FINDING_COLUMNS = ("code", "severity", "basis", "evidence", "values", "suspected", "readings", "alternatives")


@dataclass
class LabelReport:
    """What one label photo says and what is wrong with it: data only (codes, severities, values).

    Displays (Chinese or English headers and words) are made by the caller, e.g. the dossier's
    label section; nothing here is meant to be parsed back.
    """

    image: str
    engine: str | None = None
    text: str = ""
    lines: list[OcrLine] = field(default_factory=list)
    thumbnail_png: bytes | None = None
    fields: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    lookalikes: list[dict] = field(default_factory=list)
    error: dict | None = None
    item_photo: ItemPhoto | None = field(default=None, repr=False)  # for screening the item it shows

    def fields_table(self):
        """One row per field a dossier shows: ``field`` (the identifier), ``value`` (text; '' when not printed)."""
        import pandas as pd

        rows = []
        for name in (*FIELD_NAMES, "registration_no", "product_type"):
            value = self.fields.get(name)
            if isinstance(value, list):
                value = "；".join(value)
            rows.append({"field": name, "value": "" if value in (None, "") else str(value)})
        return pd.DataFrame(rows, columns=["field", "value"])

    def findings_table(self):
        """One row per finding with its code, severity, basis, evidence, message values and readings (the
        words of each message are the caller's: casebook's finding words)."""
        import pandas as pd

        rows = [{**{c: "" for c in FINDING_COLUMNS}, **{k: v for k, v in f.to_dict().items() if k in FINDING_COLUMNS},
                 "suspected": f.suspected or "", "readings": list(f.readings), "alternatives": list(f.alternatives)}
                for f in self.findings]
        return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))

    def to_dict(self) -> dict:
        """The JSON shape of ``casebook labels read --json``."""
        data = {"image": self.image, "engine": self.engine, "text": self.text,
                "lines": [line.to_dict() for line in self.lines], "fields": self.fields,
                "findings": [f.to_dict() for f in self.findings]}
        if self.lookalikes:
            data["lookalikes"] = self.lookalikes
        if self.error is not None:
            data["error"] = self.error
        return data


def _other_engine(engine: OcrEngine) -> OcrEngine | None:
    other = "tesseract" if engine.name == "rapidocr" else "rapidocr"
    try:
        return get_engine(other)
    except MissingDependencyError:
        return None


def make_reread(picture, engine: OcrEngine):
    """A second look at one doubtful line: the same engine on the crop straightened and enlarged ×2,
    and the other engine on the same crop.  Only the line is read again, never the whole photo."""

    def reread(line: OcrLine) -> list[tuple[str, float, str]]:
        readings = []
        for reader in (engine, _other_engine(engine)):
            if reader is None:
                continue
            again = reader.read_crop(picture, line.box, upscale=2.0)
            if again is not None and again.text:
                readings.append((again.text, again.confidence, reader.name))
        return readings

    return reread


def read_bars(picture) -> list[str]:
    """The EAN/UPC codes the bars of a photo encode (OpenCV's barcode decoder; each has passed its check).

    The bars are a reading independent of the printed digits: a digit OCR misread under valid
    bars is a misreading, not a forged code."""
    import cv2

    try:
        ok, texts, kinds, _ = cv2.barcode.BarcodeDetector().detectAndDecodeWithType(to_bgr(picture))
    except (cv2.error, AttributeError, ValueError):  # an OpenCV build without the barcode module
        return []
    return [t for t, k in zip(texts or (), kinds or (), strict=False) if ok and t and k.startswith(("EAN", "UPC"))]


def _with_bars(fields, bars: list[str]) -> None:
    """The printed barcode as the bars say it, when OCR read it otherwise or not at all."""
    from stdnum import ean

    valid = [b for b in bars if ean.is_valid(b)]
    if not valid:
        return
    if fields.barcode and fields.barcode not in valid:
        close = [b for b in valid if len(b) == len(fields.barcode)
                 and sum(x != y for x, y in zip(b, fields.barcode, strict=True)) <= 2]
        if not close:
            return  # another code on the package: keep what was printed under the key
        fields.raw["barcode_ocr"] = fields.barcode
        fields.barcode = close[0]
    elif not fields.barcode:
        fields.barcode = valid[0]
    fields.raw["barcode_bars"] = fields.barcode


def report_from_ocr(image: str, picture, result: OcrResult, engine: OcrEngine, registry=None, *,
                    complete: bool = False, thumbnail: bool = True) -> LabelReport:
    """Fields, findings and lookalikes for one photo already read (``complete``: it shows the whole label;
    ``thumbnail``: make the dossier's small PNG of it)."""
    from evidence.labels.brands import default_registry

    registry = registry or default_registry()
    turned = upright(picture, result.rotation)  # the boxes are in the photo as it was read
    result = reread_doubtful_lines(result, turned, engine)
    fields = extract_fields(result.lines)
    _with_bars(fields, read_bars(picture))
    findings = screen(fields, text=result.text, ocr=result, registry=registry, reread=make_reread(turned, engine),
                      complete=complete, alternatives=make_alternatives(turned, engine))
    # the lookalike a finding rests on (accused or held for review), with its signals and tricks
    lookalikes = [f.details["lookalike"] for f in findings if f.details.get("lookalike")]
    return LabelReport(image=image, engine=result.engine, text=result.text, lines=result.lines,
                       thumbnail_png=thumbnail_png(picture) if thumbnail else None, fields=fields.to_dict(), findings=findings,
                       lookalikes=lookalikes, item_photo=ItemPhoto(image, fields, result, make_reread(turned, engine),
                                                                   result.text))


def _photo_bytes(path: Path) -> bytes:
    if not path.is_file() and not path.is_symlink() and not path.exists():
        raise InputError("the photo does not exist or is not a file", path=str(path),
                         hint="Check the file name; give the path of a JPEG or PNG photo.")
    # read once (evidence originals are only ever read), capped, never through a link or from a FIFO
    return read_capped(path, MAX_PHOTO_BYTES, what="photo")


def read_label(path: str | PathLike, engine: str | OcrEngine = "auto", registry=None,
               cache: ReadingCache | None = None, *, complete: bool = False, thumbnail: bool = True) -> LabelReport:
    """One photo -> its report; an unusable photo gives a report whose ``error`` says why.

    Parameters
    ----------
    path : path of the photo (JPEG, PNG, TIFF ...).
    engine : "auto", "rapidocr", "tesseract" or an engine from :func:`evidence.labels.ocr.get_engine`.
    registry : the brand registry for lookalike checks (default: the shipped one).
    cache : where readings are kept by the photo's SHA-256; a photo read before is not read again.
    complete : the photo shows the whole label (the officer's word): only then are absences judged.
    thumbnail : make ``thumbnail_png`` (dossiers show it; ``labels read`` prints none and skips it).

    Returns
    -------
    LabelReport
        Fields, findings and lookalikes, or ``error`` (a CasebookError dict) for an unusable photo.

    Raises
    ------
    MissingDependencyError
        When the engine cannot run here at all (the same for every photo).
    """
    image = str(path)
    ocr = engine if isinstance(engine, OcrEngine) else get_engine(engine)
    try:
        data = _photo_bytes(Path(path))
        picture = load_image(data, name=image)
        result = None
        if cache is not None:
            digest = hashlib.sha256(data).hexdigest()
            result = cache.get(digest, ocr.fingerprint)
        if result is None:
            result = ocr.read(picture)
            if cache is not None and result.lines:
                cache.put(digest, ocr.fingerprint, result)
        if not result.lines:
            raise InputError("no text was found on this photo", path=image,
                             hint="Check that it shows the label; photograph the label closer, in focus and lit.")
        return report_from_ocr(image, picture, result, ocr, registry, complete=complete, thumbnail=thumbnail)
    except MissingDependencyError:
        raise  # the same for every photo: the caller says which package to install
    except CasebookError as err:
        return LabelReport(image=image, engine=ocr.name, error=err.to_dict())
    except Exception as err:
        failure = InputError(f"the photo could not be read ({type(err).__name__}: {err})", path=image,
                             hint="Open the photo in an image viewer; if it shows, save it again as JPEG and retry.")
        return LabelReport(image=image, engine=ocr.name, error=failure.to_dict())


def read_labels(paths, engine: str = "auto", registry=None, cache: ReadingCache | None = None, *,
                complete: bool = False) -> list[LabelReport]:
    """Reports for many photos, in input order; the engine's models load once for all of them.

    Parameters
    ----------
    paths : iterable of paths
        The photos.
    engine, registry, cache :
        As for :func:`read_label`.

    Returns
    -------
    list of LabelReport
        One per photo; an unusable photo's report carries ``error``.
    """
    ocr = get_engine(engine)
    return [read_label(p, ocr, registry, cache, complete=complete) for p in paths]


@dataclass
class ItemReport:
    """One seized item: the report of each of its photos and the screening of the item as a whole."""

    photos: list[LabelReport]
    screening: ItemScreening | None

    @property
    def errors(self) -> list[LabelReport]:
        return [r for r in self.photos if r.error is not None]

    def to_dict(self) -> dict:
        return {"photos": [r.to_dict() for r in self.photos],
                "item": self.screening.to_dict() if self.screening else None}


def screen_reports(reports: list[LabelReport], *, complete: bool = False, registry=None) -> ItemReport:
    """The item the photos of ``reports`` show, screened as one (photos that failed are left out)."""
    photos = [r.item_photo for r in reports if r.error is None and r.item_photo is not None]
    screening = screen_item(photos, complete=complete, registry=registry) if photos else None
    return ItemReport(photos=reports, screening=screening)


def read_item(paths, engine: str | OcrEngine = "auto", registry=None, cache: ReadingCache | None = None, *,
              complete: bool = False) -> ItemReport:
    """Read every photo of one seized item and screen the item (``complete``: every side was photographed)."""
    ocr = engine if isinstance(engine, OcrEngine) else get_engine(engine)
    return screen_reports([read_label(p, ocr, registry, cache) for p in paths], complete=complete, registry=registry)
