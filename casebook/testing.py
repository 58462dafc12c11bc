"""Public assert helpers for dossiers and batch outputs (like ``geopandas.testing``).

They open pages in the real headless Chromium (:mod:`casebook.browser`) and read PDFs with
poppler's ``pdftotext``, so a passing assert means what a person would see.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from casebook.browser import PageReport, inspect_page
from casebook.errors import MissingDependencyError


def assert_html_safe(path: str | Path, *, expect_text: Iterable[str] = (), browser=None) -> PageReport:
    """Open ``path``: no request leaves the file, no dialog opens, no injected marker is set.

    ``expect_text`` must appear as visible text (an escaped ``<script>`` shows as the characters).
    """
    report = inspect_page(path, browser=browser)
    assert not report.requests, f"{path}: the page made requests: {report.requests}"
    assert not report.dialogs, f"{path}: injected script opened dialogs: {report.dialogs}"
    assert not report.pwned_frames, f"{path}: injected script ran in frames: {report.pwned_frames}"
    for text in expect_text:
        assert text in report.text, f"{path}: {text!r} is not shown as text"
    return report


def pdf_text(path: str | Path, *, layout: bool = False) -> str:
    """The text layer of a PDF: ``-raw`` (content order: a wrapped table cell stays together) or ``-layout``."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise MissingDependencyError("pdftotext is missing", hint="sudo apt-get install poppler-utils")
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
