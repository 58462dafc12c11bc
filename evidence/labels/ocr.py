"""OCR engines behind one interface: RapidOCR (PP-OCR ONNX models from its wheel) and Tesseract.

Both return an :class:`OcrResult` whose lines keep their box and confidence, so that screening can
tell a confident reading from a guess and re-read a doubtful crop with the other engine before it
accuses anyone (docs/domain.md: a single OCR'd character must never decide a forgery finding).
Engines are cached per process: the ONNX models load once, not once per photo.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image

from evidence.labels.imageprep import ImageInput, even_rows, load_image, prepare_for_tesseract, to_bgr
from evidence.labels.layout import reading_order
from safeio.errors import InputError, MissingDependencyError

ENGINES = ("rapidocr", "tesseract")
# the revision of casebook's own reading code (preparation, row merging, cleaning): part of the cache key
__all__ = ["ENGINES", "READING_REVISION", "OcrEngine", "OcrLine", "OcrResult", "RapidOcrEngine", "TesseractEngine",
           "available_engines", "character_error_rate", "clean_text", "crop_line", "get_engine", "merge_rows",
           "normalise_for_cer", "upright"]

READING_REVISION = 5
TESSERACT_PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim"
_HAN_SPACE = re.compile(r"(?<=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f])\s+(?=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f])")


@dataclass(frozen=True)
class OcrLine:
    """One printed line: its text, its box (four corner points, x right, y down), confidence 0-1 and the
    number of the layout block it belongs to (evidence.labels.layout: a column, a paragraph, a box)."""

    text: str
    box: tuple[tuple[float, float], ...]
    confidence: float
    block: int = 0

    def to_dict(self) -> dict:
        return {"text": self.text, "box": [list(p) for p in self.box], "confidence": round(self.confidence, 4),
                "block": self.block}

    @classmethod
    def from_dict(cls, data: dict) -> OcrLine:
        return cls(str(data["text"]), tuple((float(x), float(y)) for x, y in data["box"]), float(data["confidence"]),
                   int(data.get("block", 0)))


@dataclass
class OcrResult:
    """What one engine read on one image, line by line in reading order.

    ``rotation``: the photo was turned by this many degrees (counter-clockwise, as PIL's ``rotate``)
    before it was read, because it was taken sideways or upside down; the boxes are in the turned
    photo (:func:`upright` turns a photo the same way)."""

    engine: str
    text: str
    lines: list[OcrLine] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)
    rotation: int = 0

    @classmethod
    def from_lines(cls, engine: str, lines: list[OcrLine], size: tuple[int, int], rotation: int = 0) -> OcrResult:
        return cls(engine=engine, text="\n".join(line.text for line in lines), lines=lines, size=size,
                   rotation=rotation)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["lines"] = [line.to_dict() for line in self.lines]
        data["size"] = list(self.size)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> OcrResult:
        lines = [OcrLine.from_dict(line) for line in data["lines"]]
        width, height = data["size"]
        return cls(engine=str(data["engine"]), text=str(data["text"]), lines=lines, size=(int(width), int(height)),
                   rotation=int(data.get("rotation", 0)))


def upright(picture: Image.Image, rotation: int) -> Image.Image:
    """The photo turned as it was for reading (see ``OcrResult.rotation``)."""
    return picture.rotate(rotation, expand=True) if rotation % 360 else picture


class OcrEngine:
    """The interface: ``read`` a whole photo, ``read_crop`` one line's region again, enlarged."""

    name = "base"

    @property
    def fingerprint(self) -> str:
        """Names this engine's exact reading behaviour: a cached reading is reused only under the same one.

        Bump ``READING_REVISION`` when image preparation or line merging changes what is read.
        """
        return f"{self.name}-{self._version()}-r{READING_REVISION}"

    def _version(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def read(self, image: ImageInput) -> OcrResult:
        picture = load_image(image)
        lines = self._read(picture)
        return OcrResult.from_lines(self.name, lines, picture.size)

    def read_crop(self, image: ImageInput, box, *, upscale: float = 2.0) -> OcrLine | None:
        """Re-read the region of one line (a second look at doubtful characters)."""
        return self.read_lines(image, [box], upscale=upscale)[0]

    def read_line_image(self, crop: Image.Image) -> OcrLine | None:
        """Read one line already cut out (and prepared by the caller: stretched, cleaned); None when empty."""
        return self._read_line(crop)

    def read_line_images(self, crops: list[Image.Image]) -> list[OcrLine | None]:
        """:meth:`read_line_image` for several crops (one recognition batch where the engine has one)."""
        return [self._read_line(crop) for crop in crops]

    def read_lines(self, image: ImageInput, boxes, *, upscale: float = 2.0) -> list[OcrLine | None]:
        """Re-read several line regions, each straightened and enlarged ``upscale`` times; None where nothing reads."""
        picture = load_image(image)
        return [self._read_line(crop_line(picture, box, upscale)) for box in boxes]

    def _read(self, picture: Image.Image) -> list[OcrLine]:  # pragma: no cover - interface
        raise NotImplementedError

    def _read_line(self, crop: Image.Image) -> OcrLine | None:  # pragma: no cover - interface
        raise NotImplementedError


def crop_line(picture: Image.Image, box, upscale: float = 2.0) -> Image.Image:
    """The region of one line, straightened from its four corners (a tilted row comes out level),
    with a margin (a quarter of its height at the ends, an eighth above and below, so that the
    neighbouring rows stay out), enlarged ``upscale`` times."""
    import cv2

    quad = np.asarray(box, dtype=np.float32)[:4]
    width = float(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[3] - quad[2])))
    height = float(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    side, top = 0.25 * max(height, 1.0), 0.12 * max(height, 1.0)
    right = (quad[1] - quad[0]) / max(width, 1e-6) * side
    down = (quad[3] - quad[0]) / max(height, 1e-6) * top
    padded = np.array([quad[0] - right - down, quad[1] + right - down, quad[2] + right + down, quad[3] - right + down],
                      dtype=np.float32)
    out_w = max(1, round((width + 2 * side) * upscale))
    out_h = max(1, round((height + 2 * top) * upscale))
    target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(padded, target)
    straight = cv2.warpPerspective(np.asarray(picture), matrix, (out_w, out_h), flags=cv2.INTER_CUBIC,
                                   borderMode=cv2.BORDER_REPLICATE)
    return Image.fromarray(straight)


def clean_text(text: str) -> str:
    """Drop the spaces OCR puts between Han characters; keep those between Latin words and numbers."""
    return _HAN_SPACE.sub("", text.strip())


# --- RapidOCR ---------------------------------------------------------------------------------------


def _thread_share() -> int:
    """Threads for onnxruntime: CASEBOOK_OCR_THREADS, else OMP_NUM_THREADS (set by batch workers), else all (-1)."""
    for name in ("CASEBOOK_OCR_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return -1


class RapidOcrEngine(OcrEngine):
    """PP-OCR detection + recognition through onnxruntime; the models ship inside the wheel."""

    name = "rapidocr"

    def __init__(self) -> None:
        from importlib.util import find_spec

        missing = [name for name in ("rapidocr", "onnxruntime") if find_spec(name) is None]
        if missing:
            raise MissingDependencyError(
                f"the RapidOCR engine cannot be loaded (missing: {', '.join(missing)})",
                hint="Install it: 'pip install rapidocr onnxruntime' (both are needed), or use --engine tesseract.",
            )
        self._session = None  # the models load on the first photo that is not in the reading cache

    @property
    def _ocr(self):
        if self._session is None:
            self._session = self._load()
        return self._session

    @staticmethod
    def _load():
        from rapidocr import RapidOCR

        # No visualisation (it downloads a font), quiet logs.  Measured on the sample labels (2 cores):
        # detection on the long side at 736 px reads 34 px label text as well as full size at a third
        # of the cost; onnxruntime's memory arena saves ~30 % of recognition time; the angle classifier
        # only helps upside-down photos, so it runs only when the first pass reads poorly.  Lines are
        # recognised in RapidOCR's batches of 6: one at a time saved a fifth of recognition time on
        # rendered labels, but the padding changes what the recogniser reads, and on real photos it
        # read fewer fields (29/36 against 33/36, bench/bench_labels.py).
        # onnxruntime ignores OMP_NUM_THREADS: a batch worker's fair share of the cores is passed on here,
        # or N workers would each spin one thread per core.
        # Detection thresholds below RapidOCR's (0.3 / 0.5): faint ink on glossy film (a second factory's
        # lines on a crumpled pouch) scores under 0.5 as a box and was dropped; text read from such a box
        # still faces the recogniser's confidence and the second readings before anything accuses.
        threads = _thread_share()
        return RapidOCR(params={"Global.log_level": "error", "Det.limit_type": "max", "Det.limit_side_len": 736,
                                "Det.thresh": 0.2, "Det.box_thresh": 0.3, "Global.use_cls": False,
                                "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
                                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                                "EngineConfig.onnxruntime.inter_op_num_threads": 1 if threads > 0 else -1})

    def _version(self) -> str:
        from importlib.metadata import version

        return f"{version('rapidocr')}-det736-t20b30"

    def read(self, image: ImageInput) -> OcrResult:
        """The photo read the right way up: a photo taken sideways (most text boxes standing) is read
        turned by 90° and 270°, one whose lines read only when flipped line by line is read turned by
        180°; the turn that reads most confidently wins."""
        picture = load_image(image)
        lines, flipped, standing = self._read_flipped(picture)
        best, rotation = lines, 0
        turns = (90, 270) if standing else (180,) if flipped else ()
        for angle in turns:
            again, again_flipped, again_standing = self._read_flipped(picture.rotate(angle, expand=True))
            # a turn that reads as much without flipping lines has them in their real order
            enough = 0.9 if angle == 180 or (rotation == 0 and standing) else 1.0
            if not again_flipped and not again_standing and _weight(again) >= enough * _weight(best):
                best, rotation = again, angle
        size = picture.size if rotation in (0, 180) else (picture.height, picture.width)
        return OcrResult.from_lines(self.name, best, size, rotation)

    def _read(self, picture: Image.Image) -> list[OcrLine]:
        return self._read_flipped(picture)[0]

    def _read_flipped(self, picture: Image.Image) -> tuple[list[OcrLine], bool, bool]:
        """(lines, whether flipping lines upside down read them better, whether most boxes stand)."""
        image = to_bgr(picture)
        # RapidOCR keeps per-call flags as state: pass all three every time
        pieces = self._pieces(self._ocr(image, use_det=True, use_cls=False, use_rec=True))
        standing = _standing(pieces)
        if not pieces or sum(p.confidence for p in pieces) / len(pieces) < 0.8:
            again = self._pieces(self._ocr(image, use_det=True, use_cls=True, use_rec=True))
            if sum(p.confidence for p in again) > sum(p.confidence for p in pieces):
                flipped = _weight(again) > 1.3 * _weight(pieces)
                return reading_order(again, merge_rows), flipped, standing
        return reading_order(pieces, merge_rows), False, standing

    @staticmethod
    def _pieces(out) -> list[OcrLine]:
        """The detector's boxes with their text, before rows are joined."""
        if out.boxes is None or out.txts is None:
            return []
        return [OcrLine(clean_text(t), tuple((float(x), float(y)) for x, y in b), float(s))
                for b, t, s in zip(out.boxes, out.txts, out.scores, strict=False) if t and t.strip()]

    @classmethod
    def _lines(cls, out) -> list[OcrLine]:
        return reading_order(cls._pieces(out), merge_rows)

    def _read_line(self, crop: Image.Image) -> OcrLine | None:
        return self._recognise([crop])[0]

    def read_lines(self, image: ImageInput, boxes, *, upscale: float = 2.0) -> list[OcrLine | None]:
        """All crops through one recognition call (the models are already loaded)."""
        picture = load_image(image)
        return self._recognise([crop_line(picture, box, upscale) for box in boxes])

    def read_line_images(self, crops: list[Image.Image]) -> list[OcrLine | None]:
        return self._recognise(crops)

    def _recognise(self, crops: list[Image.Image]) -> list[OcrLine | None]:
        if not crops:
            return []
        out = self._ocr.recognize_txt([to_bgr(crop) for crop in crops])
        lines: list[OcrLine | None] = []
        for crop, text, score in zip(crops, out.txts or (), out.scores or (), strict=False):
            w, h = crop.size
            lines.append(OcrLine(clean_text(text), ((0, 0), (w, 0), (w, h), (0, h)), float(score))
                         if text and text.strip() else None)
        return lines + [None] * (len(crops) - len(lines))


def _weight(lines: list[OcrLine]) -> float:
    """Characters read, weighted by confidence: how much of a photo a reading got."""
    return sum(line.confidence * len(line.text) for line in lines)


def _standing(lines: list[OcrLine]) -> bool:
    """Most multi-character boxes are taller than wide: the photo was taken sideways."""
    shapes = []
    for line in lines:
        if len(line.text) < 3:
            continue
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = line.box[:4]
        width = abs(x1 - x0) + abs(x2 - x3)
        height = abs(y3 - y0) + abs(y2 - y1)
        shapes.append(height > 1.5 * width)
    return len(shapes) >= 2 and sum(shapes) * 2 > len(shapes)


# --- Tesseract --------------------------------------------------------------------------------------


class TesseractEngine(OcrEngine):
    """Tesseract (chi_sim+eng) on a prepared image: upscaled, light flattened, deskewed, binarised."""

    name = "tesseract"
    config = "--oem 1 --psm 6 -c preserve_interword_spaces=1"

    def __init__(self, lang: str = "chi_sim+eng") -> None:
        try:
            import pytesseract
        except ImportError as err:
            raise MissingDependencyError("the Python package pytesseract is not installed",
                                         hint="Install it: 'pip install pytesseract'.") from err
        self._tess = pytesseract
        try:
            pytesseract.get_tesseract_version()
            available = set(pytesseract.get_languages(config=""))
        except (pytesseract.TesseractNotFoundError, OSError) as err:
            raise MissingDependencyError(
                "the Tesseract OCR program is not installed",
                hint=f"Install it: 'sudo apt-get install {TESSERACT_PACKAGES}' (conda: 'conda install tesseract').",
            ) from err
        missing = [code for code in lang.split("+") if code not in available]
        if missing:
            package = " ".join("tesseract-ocr-" + code.replace("_", "-") for code in missing)
            raise MissingDependencyError(
                f"the Tesseract language pack(s) {', '.join(missing)} are not installed",
                hint=f"Install them: 'sudo apt-get install {package}' (Chinese labels need chi_sim).",
            )
        self.lang = lang

    def _version(self) -> str:
        return f"{self._tess.get_tesseract_version()}-{self.lang}"

    def _read(self, picture: Image.Image) -> list[OcrLine]:
        prepared = prepare_for_tesseract(picture)
        page, rows = even_rows(prepared)
        sy = picture.height / prepared.height
        data = self._tess.image_to_data(page, lang=self.lang, config=self.config,
                                        output_type=self._tess.Output.DICT)
        grouped: dict[tuple, list[int]] = {}
        for i, word in enumerate(data["text"]):
            if word and word.strip() and float(data["conf"][i]) >= 0:
                grouped.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
        pitch = page.height / max(1, len(rows)) if rows else 1
        lines = []
        for idx in grouped.values():
            text = _strip_noise(clean_text(" ".join(data["text"][i] for i in idx)))
            conf = float(np.mean([float(data["conf"][i]) for i in idx])) / 100.0
            if not text or conf < 0.3:
                continue
            top = min(data["top"][i] for i in idx)
            k = min(len(rows) - 1, int(top // pitch)) if rows else 0
            y0, y1 = (rows[k][0] * sy, rows[k][1] * sy) if rows else (0, picture.height)
            box = ((0.0, y0), (float(picture.width), y0), (float(picture.width), y1), (0.0, y1))
            lines.append(OcrLine(text, box, conf))
        lines.sort(key=lambda line: line.box[0][1])
        return lines

    def _read_line(self, crop: Image.Image) -> OcrLine | None:
        prepared = prepare_for_tesseract(crop, text_height=crop.height / 1.5)
        data = self._tess.image_to_data(prepared, lang=self.lang, config="--oem 1 --psm 7",
                                        output_type=self._tess.Output.DICT)
        words = [(w, float(c)) for w, c in zip(data["text"], data["conf"], strict=False) if w and w.strip()]
        if not words:
            return None
        w, h = crop.size
        return OcrLine(clean_text(" ".join(t for t, _ in words)), ((0, 0), (w, 0), (w, h), (0, h)),
                       float(np.mean([c for _, c in words])) / 100.0)


_NOISE = re.compile(r"^(?:[\s|｜!¦\[\]{}”“'\"`~_—\-,，.。:：;；]+|[a-zA-Z]\s+(?=[^\x00-\x7f]))+"
                    r"|(?:\s+(?:[|｜¦”“'\"`~_]+|[a-z]))+$")


def _strip_noise(text: str) -> str:
    """Tesseract's stray marks at the ends of a row (edges, shadows): '| 配料', 'j ”统一'."""
    return _NOISE.sub("", text).strip()


# --- rows -------------------------------------------------------------------------------------------


def merge_rows(pieces: list[OcrLine]) -> list[OcrLine]:
    """Join the text boxes that sit on one printed row (a tilted photo included), left to right.

    Detectors split a row at wide gaps ("额定电压：220V~  额定功率：1500W"); the label means one line.
    """
    def geometry(line: OcrLine):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = line.box[:4]
        slope = (y1 - y0) / (x1 - x0) if abs(x1 - x0) > 1e-6 else 0.0
        cx, cy = (x0 + x1 + x2 + x3) / 4, (y0 + y1 + y2 + y3) / 4
        height = max(1.0, ((y3 - y0) + (y2 - y1)) / 2)
        return cx, cy, slope, height

    rows: list[list[tuple[OcrLine, tuple]]] = []
    for piece in sorted(pieces, key=lambda p: geometry(p)[1]):
        g = geometry(piece)
        for row in rows:
            anchor = row[0][1]
            expected_y = anchor[1] + anchor[2] * (g[0] - anchor[0])
            if abs(g[1] - expected_y) < 0.5 * min(g[3], anchor[3]):
                row.append((piece, g))
                break
        else:
            rows.append([(piece, g)])
    merged = []
    for row in rows:
        row.sort(key=lambda item: item[1][0])
        parts = [item[0] for item in row]
        if len(parts) == 1:
            merged.append(parts[0])
            continue
        # the row's own quadrilateral (first box's left edge, last box's right edge): on a tilted photo an
        # upright bounding box would take in the rows above and below, and a second reading of it would fail
        first, last = parts[0].box, parts[-1].box
        box = (tuple(first[0]), tuple(last[1]), tuple(last[2]), tuple(first[3]))
        merged.append(OcrLine(clean_text(" ".join(part.text for part in parts)), box,
                              min(p.confidence for p in parts)))
    merged.sort(key=lambda line: sum(p[1] for p in line.box) / 4)
    return merged


# --- choosing an engine -----------------------------------------------------------------------------


def available_engines() -> list[str]:
    """The engines that can run here, best first (the confusion measurement reads with each)."""
    found = []
    for name in ENGINES:
        try:
            get_engine(name)
        except MissingDependencyError:
            continue
        found.append(name)
    return found


@lru_cache(maxsize=4)
def get_engine(name: str = "auto") -> OcrEngine:
    """The engine called ``name`` ('auto': RapidOCR when installed, else Tesseract), one per process."""
    if name == "auto":
        try:
            return get_engine("rapidocr")
        except MissingDependencyError:
            return get_engine("tesseract")
    if name == "rapidocr":
        return RapidOcrEngine()
    if name == "tesseract":
        return TesseractEngine()
    raise InputError(f"unknown OCR engine '{name}'", field="engine",
                     hint="Use one of: auto, rapidocr, tesseract.")


def normalise_for_cer(text: str) -> str:
    """NFKC, no white space: the form in which character error rates are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over the reference length, after :func:`normalise_for_cer`."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = normalise_for_cer(reference), normalise_for_cer(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)
