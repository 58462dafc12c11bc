"""The reading cache: a photo read once is not read again, by any path; a damaged entry is read afresh."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from evidence.labels.label_report import read_label
from evidence.labels.ocr import OcrEngine, OcrLine, OcrResult
from evidence.labels.readings import ReadingCache


class CountingEngine(OcrEngine):
    """A real engine's interface over a fixed reading, counting how often it is asked to read."""

    name = "counting"

    def __init__(self, text: str = "品名：康师傅红烧牛肉面\n净含量：100克") -> None:
        self.calls = 0
        self.text = text

    def _version(self) -> str:
        return "1"

    def _read(self, picture):
        self.calls += 1
        return [OcrLine(t, ((0, i * 20), (100, i * 20), (100, i * 20 + 18), (0, i * 20 + 18)), 0.99)
                for i, t in enumerate(self.text.splitlines())]


def _photo(tmp_path, name="a.png", colour=(255, 255, 255)):
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (120, 60), colour).save(path)
    return path


def test_a_photo_read_once_is_not_read_again(tmp_path):
    cache, engine = ReadingCache(tmp_path / "cache"), CountingEngine()
    photo = _photo(tmp_path)
    first = read_label(photo, engine, cache=cache)
    copy = tmp_path / "elsewhere.png"
    copy.write_bytes(photo.read_bytes())  # the same bytes in another case folder
    second = read_label(copy, engine, cache=cache)
    assert engine.calls == 1
    assert second.text == first.text and second.fields == first.fields
    assert len(cache) == 1


def test_other_bytes_or_another_engine_version_are_read_afresh(tmp_path):
    cache, engine = ReadingCache(tmp_path / "cache"), CountingEngine()
    read_label(_photo(tmp_path, "a.png"), engine, cache=cache)
    read_label(_photo(tmp_path, "b.png", (250, 250, 250)), engine, cache=cache)
    assert engine.calls == 2
    newer = CountingEngine()
    newer._version = lambda: "2"
    read_label(_photo(tmp_path, "a.png"), newer, cache=cache)
    assert newer.calls == 1


def test_a_damaged_or_foreign_cache_file_is_not_trusted(tmp_path):
    cache, engine = ReadingCache(tmp_path / "cache"), CountingEngine()
    photo = _photo(tmp_path)
    read_label(photo, engine, cache=cache)
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    entry = next((tmp_path / "cache").glob("??/*.json"))
    entry.write_text("{not json", encoding="utf-8")
    assert cache.get(digest, engine.fingerprint) is None
    forged = {"sha256": "0" * 64, "fingerprint": engine.fingerprint,
              "reading": OcrResult.from_lines("x", [], (1, 1)).to_dict()}
    entry.write_text(json.dumps(forged), encoding="utf-8")
    assert cache.get(digest, engine.fingerprint) is None
    entry.write_text("[" * 100_000, encoding="utf-8")
    assert cache.get(digest, engine.fingerprint) is None
    read_label(photo, engine, cache=cache)
    assert engine.calls == 2


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.lists(st.tuples(_text, st.floats(0, 1), st.floats(0, 5000, allow_nan=False)), max_size=8),
       st.integers(1, 9000), st.integers(1, 9000))
def test_a_reading_survives_the_round_trip(lines, width, height):
    reading = OcrResult.from_lines("rapidocr", [
        OcrLine(text, ((0.0, y), (10.0, y), (10.0, y + 5), (0.0, y + 5)), round(conf, 4)) for text, conf, y in lines],
        (width, height))
    back = OcrResult.from_dict(json.loads(json.dumps(reading.to_dict())))
    assert back == reading
