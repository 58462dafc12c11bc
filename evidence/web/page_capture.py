"""Fix a web page as electronic data: a fresh headless Chromium opens it and writes what it saw.

One capture writes six files into a folder the caller gives (see docs/domain.md, "Web capture"):

- ``page.html``: the DOM after the page's scripts ran (UTF-8 with a BOM, which outranks any
  ``<meta charset>`` the page declares, so the file opens as it was serialised);
- ``page.mhtml``: the page with its resources, from DevTools ``Page.captureSnapshot``;
- ``screenshot.png``: the full page, not the viewport;
- ``page.pdf``: the page printed with screen styles;
- ``response.json``: redirect chain, status, headers, server address, certificate
  (:mod:`evidence.web.web_response`);
- ``capture.json``: addresses, start and end times (UTC and Asia/Shanghai), browser and tool
  versions, viewport, user agent, whether the page settled, and what was refused
  (:mod:`evidence.web.capture_record`).

Every capture runs in a new browser context: no cookies, cache, storage or service workers from
any earlier page.  Only http and https reach the page (:mod:`evidence.web.page_guard`).  A page
"settles" when its load event fired, its network went idle and its DOM stayed unchanged for
``quiet_ms``; one that does not settle within the timeout is captured as it is then, and
``capture.json`` says which condition failed.  A page whose scripts never yield has them terminated so that it can still be captured.

Playwright's async API is used under a synchronous facade: only it lets every browser call be
bounded in time (the sync API has no timeout for ``content()``, ``evaluate`` or ``pdf()``).  Its
event loop runs in a thread of its own, so callers may use Playwright's sync API beside it (the
record is printed that way) or call from a notebook, whose own loop is already running.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from evidence.integrity.hashing import hash_bytes
from evidence.web.capture_record import capture_record, json_bytes, moment
from evidence.web.chromium import CHROMIUM_ARGS, chromium_path
from evidence.web.page_guard import (
    ALLOWED_SCHEMES,
    GUARD_SCRIPT,
    QUIET_JS,
    SCRIPT_FRAMES_JS,
    PageWatch,
    short,
)
from evidence.web.web_errors import navigation_error
from evidence.web.web_response import certificate_details, hop_record, origin_of, response_record
from safeio.atomic import write_bytes_atomic
from safeio.errors import InputError, MissingDependencyError

__all__ = [
    "ARTIFACT_FILES",
    "Artifact",
    "CaptureSettings",
    "PageCapture",
    "WebCapturer",
    "check_url",
    "moment",
]

ARTIFACT_FILES = {"html": "page.html", "mhtml": "page.mhtml", "screenshot": "screenshot.png", "pdf": "page.pdf",
                  "response": "response.json", "capture": "capture.json"}

def check_url(url: str) -> str:
    """The address to capture, checked and written in one form (scheme and host in lower case).

    Parameters
    ----------
    url : str
        An http or https address.

    Returns
    -------
    str
        The address with a lower-case scheme and host and a path of at least ``/``.

    Raises
    ------
    InputError
        Another scheme (``file:``, ``javascript:``, ``data:``, ...), no host, a user name or password
        in the address, a bad port, or spaces and control characters.
    """
    text = str(url).strip()
    if not text or any(ch.isspace() or not ch.isprintable() for ch in text):
        raise InputError(f"'{short(text)}' is not a web address (it is empty or holds spaces or control "
                         "characters)", field="url", hint="Copy the address from the browser's address bar.")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        what = f"'{scheme}:' addresses" if scheme else "addresses without http:// or https://"
        raise InputError(f"'{short(text)}' is not an http or https address: {what} are refused", field="url",
                         hint="Give the listing's web address, starting with https:// or http://.")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as err:
        raise InputError(f"'{short(text)}' has a bad port ({err})", field="url",
                         hint="A port is a number from 1 to 65535, as in https://shop.example.com:8443/.") from err
    if not host:
        raise InputError(f"'{short(text)}' names no host", field="url",
                         hint="A web address looks like https://shop.example.com/item/123.")
    if parts.username is not None or parts.password is not None:
        raise InputError(f"'{short(text)}' carries a user name or password, which would be written into the "
                         "evidence", field="url", hint="Give the address without 'user:password@'.")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


@dataclass(frozen=True)
class CaptureSettings:
    """How a page is opened; every value lands in ``capture.json``.

    ``ignore_https_errors`` exists for tests against a loopback server with a self-signed
    certificate; a real capture keeps the browser's certificate checks.
    """

    timeout_s: float = 30.0
    viewport_width: int = 1366
    viewport_height: int = 768
    quiet_ms: int = 500
    locale: str = "zh-CN"
    timezone_id: str = "Asia/Shanghai"
    ignore_https_errors: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.timeout_s <= 3600:
            raise InputError(f"a timeout of {self.timeout_s} s is outside 1..3600 s", field="timeout")

    @property
    def step_s(self) -> float:
        """Time allowed for each snapshot step once the page is loaded (a tall page takes a while)."""
        return max(30.0, self.timeout_s)


@dataclass
class Artifact:
    """One written file with its size and digests."""

    kind: str
    name: str
    bytes: int
    sha256: str
    sm3: str
    taken: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "bytes": self.bytes, "sha256": self.sha256, "sm3": self.sm3,
                "taken_utc": self.taken.get("utc")}


@dataclass
class PageCapture:
    """What one capture found and wrote; ``record`` is ``capture.json``, ``response`` is ``response.json``."""

    url: str
    final_url: str
    status: int
    title: str
    folder: Path
    started: dict
    ended: dict
    settled: bool
    not_settled: list[str]
    artifacts: list[Artifact]
    record: dict
    response: dict

    @property
    def started_utc(self) -> str:
        return self.started["utc"]

    def artifact(self, kind: str) -> Artifact:
        return next(item for item in self.artifacts if item.kind == kind)


class WebCapturer:
    """One headless Chromium for many captures, each in a fresh browser context.

    ``with WebCapturer(settings) as capturer: capturer.capture(url, folder)``.  The browser is
    started again if a page crashed it.
    """

    def __init__(self, settings: CaptureSettings | None = None) -> None:
        self.settings = settings or CaptureSettings()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pw = None
        self._pw_manager = None
        self._browser = None
        self._version: dict = {}

    # -- lifecycle -------------------------------------------------------------------------------
    def __enter__(self) -> WebCapturer:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="casebook-web-capture", daemon=True)
        self._thread.start()
        try:
            self._run(self._start())
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self._loop is None:
            return
        try:
            self._run(self._stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(60)
            if not self._thread.is_alive():
                self._loop.close()
            self._loop = self._thread = None

    def _run(self, coroutine):
        """Run a coroutine on the capture thread and wait for it."""
        return self.wait(asyncio.run_coroutine_threadsafe(coroutine, self._loop))

    @staticmethod
    def wait(future: concurrent.futures.Future):
        """The result of a :meth:`submit`; an interrupt while waiting cancels the capture first.

        Parameters
        ----------
        future : concurrent.futures.Future

        Returns
        -------
        PageCapture

        Raises
        ------
        InputError
            As :meth:`capture`.
        """
        try:
            return future.result()
        except BaseException:
            if not future.done():
                future.cancel()
                concurrent.futures.wait([future], timeout=60)
            raise

    async def _start(self) -> None:
        try:
            from playwright.async_api import async_playwright
        except ImportError as err:  # pragma: no cover - a declared dependency
            raise MissingDependencyError("the Python package 'playwright' is missing",
                                         hint="pip install playwright (no browser download is needed).") from err
        self._pw_manager = async_playwright()
        self._pw = await self._pw_manager.start()
        await self._launch()

    async def _launch(self) -> None:
        self._browser = await self._pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                                       args=CHROMIUM_ARGS)
        session = await self._browser.new_browser_cdp_session()
        self._version = await session.send("Browser.getVersion")
        await session.detach()

    async def _stop(self) -> None:
        if self._browser is not None:
            try:
                await asyncio.wait_for(self._browser.close(), 30)
            except Exception:  # a browser that will not close is killed with its driver below
                pass
        if self._pw_manager is not None:
            await self._pw_manager.__aexit__(None, None, None)
        self._browser = self._pw = self._pw_manager = None

    # -- one capture -----------------------------------------------------------------------------
    def capture(self, url: str, folder: str | os.PathLike, *, started: datetime | None = None) -> PageCapture:
        """Open ``url`` in a fresh context and write the six artifacts into ``folder``.

        Parameters
        ----------
        url : str
            An http or https address (checked with :func:`check_url`).
        folder : path
            An existing, empty folder; the caller moves it into place once everything is written.
        started : datetime, optional
            When the capture began, if the caller already named its folder after that moment;
            now by default.

        Returns
        -------
        PageCapture
            Addresses, status, times, whether the page settled, and each artifact with its digests.

        Raises
        ------
        InputError
            Not an http(s) address; the site cannot be reached, does not answer within the timeout,
            or has an invalid certificate; it redirects or navigates to another scheme; the page
            stopped responding. Nothing useful was written then.
        MissingDependencyError
            Playwright or Chromium is missing.
        """
        if self._loop is None:
            with self:
                return self.capture(url, folder, started=started)
        return self.wait(self.submit(url, folder, started=started))

    def submit(self, url: str, folder: str | os.PathLike, *,
               started: datetime | None = None) -> concurrent.futures.Future:
        """Start a capture on the capture thread and return at once (the caller may do other work).

        Parameters
        ----------
        url, folder, started
            As :meth:`capture`.

        Returns
        -------
        concurrent.futures.Future
            Pass it to :meth:`wait` for the :class:`PageCapture`.

        Raises
        ------
        InputError
            Not an http(s) address, or no such folder (checked before anything starts).
        """
        if self._loop is None:
            raise InputError("the capturer is not started", hint="Use 'with WebCapturer() as capturer:'.")
        url = check_url(url)
        target = Path(folder)
        if not target.is_dir():
            raise InputError("the folder for the capture does not exist", path=target)
        return asyncio.run_coroutine_threadsafe(self._capture(url, target, moment(started)), self._loop)

    async def _capture(self, url: str, folder: Path, started: dict) -> PageCapture:
        if self._browser is None or not self._browser.is_connected():
            await self._launch()
        s = self.settings
        user_agent = self._version.get("userAgent", "").replace("HeadlessChrome/", "Chrome/")
        context = await self._browser.new_context(
            viewport={"width": s.viewport_width, "height": s.viewport_height}, device_scale_factor=1,
            user_agent=user_agent or None, locale=s.locale, timezone_id=s.timezone_id, service_workers="block",
            accept_downloads=False, ignore_https_errors=s.ignore_https_errors)
        try:
            return await self._in_context(context, url, folder, user_agent, started)
        finally:
            try:
                await asyncio.wait_for(context.close(), 15)
            except Exception:  # a context that will not close: drop the whole browser, start afresh next time
                await self._stop_browser()

    async def _stop_browser(self) -> None:
        try:
            await asyncio.wait_for(self._browser.close(), 10)
        except Exception:
            pass
        self._browser = None

    async def _in_context(self, context, url: str, folder: Path, user_agent: str, started: dict) -> PageCapture:
        from playwright.async_api import Error as PlaywrightError

        s = self.settings
        watch = PageWatch()
        await context.add_init_script(GUARD_SCRIPT)
        await context.route_web_socket(re.compile(r".*"), watch.websocket)
        page = await context.new_page()
        watch.main_page = page
        context.on("page", watch.popup)
        page.on("dialog", watch.dialog)
        page.on("download", watch.download)
        page.on("request", watch.request)
        page.on("requestfailed", watch.request_failed)
        page.on("response", watch.response)
        page.on("framenavigated", watch.frame_navigated)
        cdp = await context.new_cdp_session(page)
        cdp.on("Log.entryAdded", watch.browser_log)
        await cdp.send("Log.enable")
        # Network on this session only so that the browser keeps the certificates it is shown (read
        # back with Network.getCertificate); response bodies are not wanted here, so the buffers stay small.
        await cdp.send("Network.enable", {"maxTotalBufferSize": 1 << 20, "maxResourceBufferSize": 1 << 19})
        deadline = self._loop.time() + s.timeout_s
        try:
            first = await page.goto(url, wait_until="commit", timeout=s.timeout_s * 1000)
        except PlaywrightError as err:
            raise navigation_error(url, err, s.timeout_s) from None
        if first is None:
            raise InputError(f"{url}: the browser opened no document", field="url")
        for attempt in range(1, 4):
            moves = len(watch.navigations)
            try:
                not_settled, stopped = await self._settle(page, cdp, deadline)
                return await self._snapshot(page, cdp, watch, url, folder, started, not_settled, stopped, user_agent)
            except PlaywrightError as err:
                if len(watch.navigations) > moves and attempt < 3:
                    continue  # the page moved itself to another document meanwhile: settle on that one
                first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                raise InputError(f"{url}: the page failed while it was captured ({short(first_line, 200)})",
                                 field="url", hint="Try again; a page that crashes the browser every time "
                                 "must be captured by other means.") from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _settle(self, page, cdp, deadline: float) -> tuple[list[str], bool]:
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        not_settled: list[str] = []

        def left_ms() -> float:
            return max(0.0, (deadline - self._loop.time()) * 1000)

        for state, reason in (("load", "load"), ("networkidle", "network_idle")):
            if not_settled or left_ms() <= 0:
                not_settled.append(reason)
                continue
            try:
                await page.wait_for_load_state(state, timeout=max(1.0, left_ms()))
            except PlaywrightTimeout:
                not_settled.append(reason)
        stopped = False
        budget = left_ms()
        if budget <= 0:
            not_settled.append("dom_quiet")
            return not_settled, stopped
        try:
            quiet = await asyncio.wait_for(self._dom_quiet(cdp, budget), budget / 1000 + 5)
        except TimeoutError:
            quiet, stopped = False, await self._stop_scripts(cdp)
        if not quiet:
            not_settled.append("dom_quiet")
        return not_settled, stopped

    async def _dom_quiet(self, cdp, max_ms: float) -> bool:
        return bool(await _isolated(cdp, QUIET_JS % (self.settings.quiet_ms, int(max_ms))))

    async def _stop_scripts(self, cdp) -> bool:
        """Break a script that never yields (DevTools terminates it from outside the page's thread)."""
        try:
            await asyncio.wait_for(cdp.send("Runtime.terminateExecution"), 10)
        except Exception:
            return False
        return True

    async def _step(self, cdp, what: str, make, stopped: list[bool]):
        """Run one snapshot step in bounded time; a hung page gets its scripts terminated once."""
        for attempt in (1, 2):
            try:
                return await asyncio.wait_for(make(), self.settings.step_s)
            except TimeoutError:
                if attempt == 2 or not await self._stop_scripts(cdp):
                    raise InputError(f"the page stopped responding while the {what} was taken; nothing was "
                                     "captured", field="url",
                                     hint="The page's scripts never yield; capture it by other means.") from None
                stopped[0] = True
        raise AssertionError("unreachable")  # pragma: no cover

    async def _snapshot(self, page, cdp, watch: PageWatch, url: str, folder: Path, started: dict,
                        not_settled: list[str], stopped_in_settle: bool, user_agent: str) -> PageCapture:
        stopped = [stopped_in_settle]
        final_url = page.url
        if urlsplit(final_url).scheme.lower() not in ALLOWED_SCHEMES:
            raise InputError(f"{url}: the page moved itself to an address that is not http or https "
                             f"({short(final_url, 120)}), which is refused; nothing was captured", field="url")
        artifacts: list[Artifact] = []

        def keep(kind: str, data: bytes, taken: dict) -> None:
            write_bytes_atomic(folder / ARTIFACT_FILES[kind], data)
            digests = hash_bytes(data, ("sha256", "sm3"))
            artifacts.append(Artifact(kind, ARTIFACT_FILES[kind], len(data), digests["sha256"], digests["sm3"], taken))

        snapshot = moment()
        title = await self._step(cdp, "title", page.title, stopped)
        dom = await self._step(cdp, "DOM", page.content, stopped)
        keep("html", b"\xef\xbb\xbf" + dom.encode("utf-8"), snapshot)
        taken = moment()
        mhtml = await self._step(cdp, "MHTML snapshot",
                                 lambda: cdp.send("Page.captureSnapshot", {"format": "mhtml"}), stopped)
        keep("mhtml", mhtml["data"].encode("utf-8"), taken)
        taken = moment()
        png = await self._step(cdp, "screenshot", lambda: page.screenshot(
            full_page=True, type="png", timeout=self.settings.step_s * 1000), stopped)
        keep("screenshot", png, taken)
        taken = moment()
        await self._step(cdp, "PDF", lambda: page.emulate_media(media="screen"), stopped)
        pdf = await self._step(cdp, "PDF", lambda: page.pdf(format="A4", print_background=True), stopped)
        keep("pdf", pdf, taken)
        taken = moment()
        response = await self._step(cdp, "response record", lambda: self._response(page, cdp, watch, url), stopped)
        keep("response", json_bytes(response), taken)
        script_frames = await self._step(cdp, "frame list", lambda: _isolated(cdp, SCRIPT_FRAMES_JS), stopped)
        for src in script_frames or []:
            watch.refuse("frame", src)
        ended = moment()
        record = capture_record(
            url=url, final_url=final_url, status=response["status"], title=title,
            times={"started": started, "snapshot": snapshot, "ended": ended}, not_settled=not_settled,
            scripts_terminated=stopped[0], settings=self.settings, watch=watch, user_agent=user_agent,
            browser={"product": self._version.get("product"), "version": self._browser.version,
                     "revision": self._version.get("revision"), "js_version": self._version.get("jsVersion")},
            png=png)
        keep("capture", json_bytes(record), ended)
        return PageCapture(url=url, final_url=final_url, status=response["status"], title=title, folder=folder,
                           started=started, ended=ended, settled=not not_settled, not_settled=not_settled,
                           artifacts=artifacts, record=record, response=response)

    async def _response(self, page, cdp, watch: PageWatch, url: str) -> dict:
        final = next((r for r in reversed(watch.main_responses) if not 300 <= r.status < 400), None)
        if final is None and watch.main_responses:
            final = watch.main_responses[-1]
        requests = []
        request = final.request if final is not None else None
        while request is not None:
            requests.append(request)
            request = request.redirected_from
        chain = []
        for request in reversed(requests):
            response = await request.response()
            if response is None:
                continue
            chain.append(hop_record(request.url, request.method, response.status, response.status_text,
                                    await response.headers_array(), await response.server_addr(),
                                    await response.security_details()))
        certificates = {}
        https = sorted({origin_of(hop["url"]) for hop in chain if hop["tls"] is not None})
        if https:
            for origin in https:
                try:
                    names = (await cdp.send("Network.getCertificate", {"origin": origin})).get("tableNames", [])
                except Exception as err:  # the browser no longer holds it: say so, keep Playwright's facts
                    certificates[origin] = {"error": f"certificate not available: {short(err, 200)}"}
                    continue
                certificates[origin] = certificate_details(names)
        later = [nav for nav in watch.navigations[1:] if nav != url]
        return response_record(url, chain, certificates, later)

async def _isolated(cdp, expression: str):
    """Evaluate in a fresh isolated world of the main frame: same DOM, none of the page's globals."""
    tree = await cdp.send("Page.getFrameTree")
    world = await cdp.send("Page.createIsolatedWorld", {"frameId": tree["frameTree"]["frame"]["id"],
                                                        "worldName": "casebook-capture"})
    result = await cdp.send("Runtime.evaluate", {"expression": expression, "contextId": world["executionContextId"],
                                                 "awaitPromise": True, "returnByValue": True})
    return result.get("result", {}).get("value")
