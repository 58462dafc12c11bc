"""Headless Chromium, the system one, for printing PDFs (and for the tests' page checks).

Playwright is pointed at the system Chromium (``/usr/bin/chromium``): nothing ever downloads a
browser.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from safeio.errors import MissingDependencyError

__all__ = ["CHROMIUM_ARGS", "chromium_path", "launch_browser"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium; ``CASEBOOK_CHROMIUM`` overrides (Windows: a Chrome or Edge exe)."""
    candidates = [os.environ.get("CASEBOOK_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                  shutil.which("chromium"), shutil.which("chromium-browser"), shutil.which("google-chrome")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    raise MissingDependencyError(
        "no Chromium browser was found (needed for PDFs and page checks)",
        hint="Install it: 'sudo apt-get install chromium' (make setup does this); on Windows set "
        "CASEBOOK_CHROMIUM to the path of chrome.exe or msedge.exe.",
    )


@contextmanager
def launch_browser():
    """One headless Chromium for as many pages as the caller wants; closed on exit."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise MissingDependencyError("the Python package 'playwright' is missing",
                                     hint="pip install playwright (no browser download is needed).") from err
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
