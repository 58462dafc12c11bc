"""Label photos -> per-photo reports ready for the dossier: thumbnail, fields table, findings.

One broken photo gives a report with an ``error`` (a CasebookError dict), never an exception,
so the dossier of a case with a damaged photo still renders with the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from evidence.labels.imageprep import MAX_PHOTO_BYTES, load_image, thumbnail_png
from evidence.labels.label_fields import FIELD_NAMES, extract_fields
from evidence.labels.ocr import OcrEngine, OcrLine, OcrResult, get_engine
from evidence.labels.readings import ReadingCache
from evidence.labels.screening import Finding, screen
from safeio.errors import CasebookError, InputError, MissingDependencyError
from safeio.limits import read_capped

__all__ = ["LabelReport", "make_reread", "read_label", "read_labels", "report_from_ocr"]

FINDING_COLUMNS = ("code", "severity", "message", "message_en", "basis", "evidence", "suspected", "readings",
                   "alternatives")


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
        """One row per finding with its code, severity, messages (zh, en), basis, evidence and readings."""
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

    def reread(line: OcrLine) -> list[tuple[str, float]]:
        readings = []
        for reader in (engine, _other_engine(engine)):
            if reader is None:
                continue
            again = reader.read_crop(picture, line.box, upscale=2.0)
            if again is not None and again.text:
                readings.append((again.text, again.confidence))
        return readings

    return reread


def report_from_ocr(image: str, picture, result: OcrResult, engine: OcrEngine, registry=None) -> LabelReport:
    """Fields, findings and lookalikes for one photo already read."""
    from evidence.labels.brands import default_registry

    registry = registry or default_registry()
    fields = extract_fields(result.lines)
    findings = screen(fields, text=result.text, ocr=result, registry=registry, reread=make_reread(picture, engine))
    # the lookalike a finding rests on (accused or held for review), with its signals and tricks
    lookalikes = [f.details["lookalike"] for f in findings if f.details.get("lookalike")]
    return LabelReport(image=image, engine=result.engine, text=result.text, lines=result.lines,
                       thumbnail_png=thumbnail_png(picture), fields=fields.to_dict(), findings=findings,
                       lookalikes=lookalikes)


def _photo_bytes(path: Path) -> bytes:
    if not path.is_file() and not path.is_symlink() and not path.exists():
        raise InputError("the photo does not exist or is not a file", path=str(path),
                         hint="Check the file name; give the path of a JPEG or PNG photo.")
    # read once (evidence originals are only ever read), capped, never through a link or from a FIFO
    return read_capped(path, MAX_PHOTO_BYTES, what="photo")


def read_label(path: str | PathLike, engine: str | OcrEngine = "auto", registry=None,
               cache: ReadingCache | None = None) -> LabelReport:
    """One photo -> its report; an unusable photo gives a report whose ``error`` says why.

    Parameters
    ----------
    path : path of the photo (JPEG, PNG, TIFF ...).
    engine : "auto", "rapidocr", "tesseract" or an engine from :func:`evidence.labels.ocr.get_engine`.
    registry : the brand registry for lookalike checks (default: the shipped one).
    cache : where readings are kept by the photo's SHA-256; a photo read before is not read again.

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
        return report_from_ocr(image, picture, result, ocr, registry)
    except MissingDependencyError:
        raise  # the same for every photo: the caller says which package to install
    except CasebookError as err:
        return LabelReport(image=image, engine=ocr.name, error=err.to_dict())
    except (OSError, ValueError, RuntimeError) as err:  # an engine failing on one odd image
        failure = InputError(f"the photo could not be read ({type(err).__name__}: {err})", path=image,
                             hint="Open the photo in an image viewer; if it shows, save it again as JPEG and retry.")
        return LabelReport(image=image, engine=ocr.name, error=failure.to_dict())


def read_labels(paths, engine: str = "auto", registry=None, cache: ReadingCache | None = None) -> list[LabelReport]:
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
    return [read_label(p, ocr, registry, cache) for p in paths]
