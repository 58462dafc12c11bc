"""Checks on what a run wrote: PDFs read through poppler's ``pdftotext``, paths kept inside OUT."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path


def pdf_text(path: str | Path, *, layout: bool = False) -> str:
    """The text layer of a PDF: ``-raw`` (content order: a wrapped table cell stays together) or ``-layout``."""
    exe = shutil.which("pdftotext")
    assert exe, "pdftotext is missing: sudo apt-get install poppler-utils (make setup does this)"
    return subprocess.run([exe, "-layout" if layout else "-raw", str(path), "-"], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout


def assert_pdf_contains(path: str | Path, texts: Iterable[str]) -> str:
    """Each of ``texts`` is in the PDF as text (whitespace ignored, as layout may break lines)."""
    text = pdf_text(path)
    flat = "".join(text.split())
    for wanted in texts:
        assert "".join(str(wanted).split()) in flat, f"{path}: {wanted!r} is not in the PDF text"
    return text


def assert_inside(folder: str | Path, paths: Iterable[str | Path]) -> None:
    """Every path lies inside ``folder`` (nothing was written outside the output folder)."""
    root = Path(folder).resolve()
    for path in paths:
        resolved = Path(path).resolve()
        assert resolved == root or root in resolved.parents, f"{resolved} is outside {root}"
