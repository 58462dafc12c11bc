"""A cache of OCR readings keyed by the SHA-256 of the photo's bytes: read once, use everywhere.

Sealing, dossiers, ``labels read`` and linkage all need what a label photo says; OCR is by far
the slowest step.  A reading depends only on the bytes of the photo and on the engine that read
it, so it is stored under ``<sha256>.<engine fingerprint>.json`` and reused by anyone holding the
same bytes, in any case folder.  What is cached is the raw reading (lines, boxes, confidences),
never the findings: screening is cheap and its rules and brand registry change.

A damaged or foreign cache file is ignored and read again, never trusted; writes are atomic, so
parallel workers can share one folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from evidence.labels.ocr import OcrResult
from safeio.atomic import write_text_atomic

__all__ = ["ReadingCache"]

_KEY = re.compile(r"[0-9a-f]{64}")
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


class ReadingCache:
    """OCR readings on disk, one small JSON file per (photo bytes, engine fingerprint)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, sha256: str, fingerprint: str) -> Path:
        if not _KEY.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.folder / sha256[:2] / f"{sha256}.{_SAFE.sub('_', fingerprint)}.json"

    def get(self, sha256: str, fingerprint: str) -> OcrResult | None:
        """The cached reading, or None when there is none (or the file is not one we wrote whole)."""
        path = self._path(sha256, fingerprint)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("sha256") != sha256 or data.get("fingerprint") != fingerprint:
                return None
            return OcrResult.from_dict(data["reading"])
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None

    def put(self, sha256: str, fingerprint: str, reading: OcrResult) -> Path:
        path = self._path(sha256, fingerprint)
        record = {"sha256": sha256, "fingerprint": fingerprint, "reading": reading.to_dict()}
        return write_text_atomic(path, json.dumps(record, ensure_ascii=False))

    def __len__(self) -> int:
        return sum(1 for _ in self.folder.glob("??/*.json")) if self.folder.is_dir() else 0
