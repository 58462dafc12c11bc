"""Headless Chromium, the system one, for printing PDFs (and for the tests' page checks).

Finding the browser and its flags live in :mod:`evidence.web.chromium` (web captures use them too);
this module opens one browser for as many pages as the caller wants.
"""

from __future__ import annotations

from contextlib import contextmanager

from evidence.web.chromium import CHROMIUM_ARGS, chromium_path, sync_playwright

__all__ = ["CHROMIUM_ARGS", "chromium_path", "launch_browser"]


@contextmanager
def launch_browser():
    """One headless Chromium for as many pages as the caller wants; closed on exit."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
