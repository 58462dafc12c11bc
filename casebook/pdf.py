"""HTML dossier -> A4 PDF through the system's headless Chromium, one browser for a whole batch.

nbconvert's ``webpdf`` insists on a Playwright-downloaded browser; Playwright itself accepts
``executable_path``, so we drive ``/usr/bin/chromium`` directly. The page is printed with print
media: the dossier's CSS swaps the interactive map for the static one. Requests leaving the file
are refused, so printing never waits on (or leaks to) the network.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from casebook.browser import launch_browser
from safeio.atomic import write_bytes_atomic

__all__ = ["PdfPrinter"]


class PdfPrinter:
    """``with PdfPrinter() as printer: printer.print(html, pdf)`` - starting Chromium once costs ~1 s."""

    def __init__(self, *, settle_ms: int = 300) -> None:
        self.settle_ms = settle_ms
        self._stack: ExitStack | None = None
        self._browser = None

    def __enter__(self) -> PdfPrinter:
        self._stack = ExitStack()
        self._browser = self._stack.enter_context(launch_browser())
        return self

    @property
    def browser(self):
        """The open Chromium (None outside ``with``), for other offline rendering in the same run."""
        return self._browser

    def __exit__(self, *exc) -> None:
        if self._stack is not None:
            self._stack.close()
        self._stack = self._browser = None

    def print(self, html: str | Path, pdf: str | Path) -> Path:
        """Print one HTML file to an A4 PDF with print media, refusing any request outside the file.

        Parameters
        ----------
        html, pdf : path
            The page to print and the PDF to write (atomically).

        Returns
        -------
        Path
            The PDF.

        Raises
        ------
        MissingDependencyError
            No Chromium or no Playwright.
        """
        if self._browser is None:
            with self:
                return self.print(html, pdf)
        html_url = Path(html).resolve().as_uri()
        pdf = Path(pdf).resolve()
        context = self._browser.new_context(service_workers="block")
        try:
            context.route("**/*", lambda r: r.continue_() if r.request.url == html_url
                          or r.request.url.startswith(("data:", "about:", "blob:")) else r.abort())
            page = context.new_page()
            page.goto(html_url, wait_until="load")
            page.emulate_media(media="print")
            page.wait_for_timeout(self.settle_ms)
            data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                            margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"})
        finally:
            context.close()
        return write_bytes_atomic(pdf, data)

