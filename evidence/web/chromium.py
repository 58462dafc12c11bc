"""The system Chromium, found and launched the same way wherever casebook drives a browser.

Playwright is pointed at the system Chromium (``/usr/bin/chromium``) through ``executable_path``:
nothing ever downloads a browser.  The flags keep the browser quiet: no background requests
(updates, sync, field trials), no QUIC (every request goes over TCP, where the server address and
certificate are recorded), no first-run work.  ``--no-sandbox`` is needed where Chromium runs as
root (containers, CI); Playwright passes it by default anyway.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from safeio.errors import MissingDependencyError

__all__ = ["CHROMIUM_ARGS", "chromium_path", "sync_playwright"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str:
    """The Chromium executable to drive.

    Returns
    -------
    str
        ``CASEBOOK_CHROMIUM`` if set (on Windows: a Chrome or Edge exe), else the first of
        ``/usr/bin/chromium``, ``/usr/bin/chromium-browser`` or ``chromium``/``google-chrome``
        on the PATH.

    Raises
    ------
    MissingDependencyError
        No browser was found; the hint says how to install one.
    """
    candidates = [os.environ.get("CASEBOOK_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                  shutil.which("chromium"), shutil.which("chromium-browser"), shutil.which("google-chrome")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    raise MissingDependencyError(
        "no Chromium browser was found (needed for web captures, PDFs and page checks)",
        hint="Install it: 'sudo apt-get install chromium' (make setup does this); on Windows set "
        "CASEBOOK_CHROMIUM to the path of chrome.exe or msedge.exe.",
    )


def sync_playwright():
    """Playwright's synchronous entry point, or a clear error if the package is missing.

    Returns
    -------
    playwright.sync_api.PlaywrightContextManager
        Use as ``with sync_playwright() as pw: pw.chromium.launch(executable_path=chromium_path())``.

    Raises
    ------
    MissingDependencyError
        The Python package ``playwright`` is not installed.
    """
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise MissingDependencyError("the Python package 'playwright' is missing",
                                     hint="pip install playwright (no browser download is needed).") from err
    return start()
