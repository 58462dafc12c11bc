"""Headless Chromium, the system one: open a page and record what it tried to do.

Used to prove that dossiers and the index are safe to open: every request the page (and its
frames) makes is recorded and refused unless it stays inside the page itself, and any dialog,
page error or ``window.__casebook_pwned`` marker set by injected case data is reported. Playwright is
pointed at ``/usr/bin/chromium``: nothing ever downloads a browser.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from casebook.errors import MissingDependencyError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Test payloads set this global (or open a dialog); a safe page never has it.
PWNED_MARKER = "__casebook_pwned"
_LOCAL_SCHEMES = ("data:", "about:", "blob:")


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


@dataclass
class PageReport:
    """What a page did when opened: each list empty means it behaved."""

    url: str
    requests: list[str] = field(default_factory=list)  # everything but the page itself and data: URLs
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    pwned_frames: list[str] = field(default_factory=list)
    text: str = ""
    probes: dict = field(default_factory=dict)  # name -> what each probe expression returned

    @property
    def network_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith("file:")]

    @property
    def safe(self) -> bool:
        return not (self.requests or self.dialogs or self.pwned_frames)


def inspect_page(html_path: str | Path, *, browser=None, settle_ms: int = 500,
                 probes: dict[str, tuple[str, object]] | None = None) -> PageReport:
    """Open ``html_path`` in headless Chromium; record requests, dialogs, errors and injection markers.

    Every request other than the page itself (and ``data:``/``about:``/``blob:`` URLs) is recorded and
    aborted, so the check cannot leak anything even when it fails.  ``probes`` maps a name to a
    JavaScript function and its argument, evaluated in order once the page settled (open the popups
    of a map, count injected elements ...), their results land in ``report.probes``.
    """
    if browser is None:
        with launch_browser() as own:
            return inspect_page(html_path, browser=own, settle_ms=settle_ms, probes=probes)
    page_url = Path(html_path).resolve().as_uri()
    report = PageReport(url=page_url)
    context = browser.new_context(java_script_enabled=True, service_workers="block")
    try:
        def foreign(url: str) -> bool:
            return url != page_url and not url.startswith(_LOCAL_SCHEMES)

        def record(request):
            if foreign(request.url) and request.url not in report.requests:
                report.requests.append(request.url)

        def route(r):
            if foreign(r.request.url):
                r.abort()
            else:
                r.continue_()

        context.on("request", record)
        context.route("**/*", route)
        context.on("websocket", lambda ws: report.requests.append(ws.url))
        page = context.new_page()
        page.on("dialog", lambda d: (report.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        page.on("pageerror", lambda e: report.page_errors.append(str(e)))
        page.goto(page_url, wait_until="load")
        page.wait_for_timeout(settle_ms)
        for name, (script, argument) in (probes or {}).items():
            report.probes[name] = page.evaluate(script, argument)
        for frame in page.frames:
            try:
                if frame.evaluate(f"() => typeof window.{PWNED_MARKER} !== 'undefined'"):
                    report.pwned_frames.append(frame.url or "(srcdoc frame)")
            except Exception:  # a frame that went away while we looked: nothing ran in it
                continue
        report.text = page.inner_text("body")
    finally:
        context.close()
    return report
