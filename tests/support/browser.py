"""Open a generated page in the real headless Chromium and record what it tried to do.

Every request the page (and its frames) makes is recorded and refused unless it stays inside the
page itself; any dialog, page error or ``window.__casebook_pwned`` marker set by injected case data
is reported.  A passing assert means what a person opening the page would see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from casebook.browser import launch_browser

# Test payloads set this global (or open a dialog); a safe page never has it.
PWNED_MARKER = "__casebook_pwned"
_LOCAL_SCHEMES = ("data:", "about:", "blob:")


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
