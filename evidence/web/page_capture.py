"""Fix a web page as electronic data: a fresh headless Chromium opens it and writes what it saw.

One capture writes six files (and the tiles of a tall page) into a folder the caller gives (see docs/domain.md, "Web capture"):

- ``page.html``: the DOM after the page's scripts ran (UTF-8 with a BOM, which outranks any
  ``<meta charset>`` the page declares, so the file opens as it was serialised);
- ``page.mhtml``: the page with its resources, from DevTools ``Page.captureSnapshot``;
- ``screenshot.png``: the full page (the viewport when the page does not let the full page be
  taken, or is too tall for one image; ``capture.json`` says which);
- ``screenshot-tile-001.png`` ...: only for a page taller than ``tile_height``: the whole page
  in bands of bounded height (:mod:`evidence.web.page_tiles`);
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

The timeout is a wall-clock limit for the whole capture: settling gets the first 60 % of it, the
snapshots the rest.  Pages that fight back are captured as far as they let: a response body is
read up to :attr:`CaptureSettings.max_body_bytes` and only until the settling time is up (a body
that never ends is cut there, and the record says so); ``window.print()`` does nothing; a
full-page screenshot that fails falls back to the viewport; a snapshot that cannot be taken in
time is left out and ``capture.json`` names it with the reason (``not_taken``).  Only a capture
that could take none of DOM, MHTML and screenshot fails.

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
from urllib.parse import urlsplit

from evidence.integrity.hashing import hash_bytes
from evidence.web.capture_files import ARTIFACT_FILES, TILE_KIND
from evidence.web.capture_record import capture_record, json_bytes, moment
from evidence.web.chromium import CHROMIUM_ARGS, chromium_path
from evidence.web.page_guard import (
    ALLOWED_SCHEMES,
    GUARD_SCRIPT,
    QUIET_JS,
    SCRIPT_FRAMES_JS,
    PageWatch,
    check_url,
    short,
)
from evidence.web.page_limits import DOM_JS, BodyLimit
from evidence.web.page_tiles import PAGE_SIZE_JS, TilePlan, plan_tiles, take_tiles
from evidence.web.web_errors import navigation_error
from evidence.web.web_response import page_response
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
    max_body_bytes: int = 8 << 20  # a listing page is far smaller; a larger body is cut here and marked
    tile_height: int = 8192  # a taller page is kept in tiles: one PNG of 1366 x 8192 px stays below 50 MB decoded
    max_tiles: int = 32  # some 260,000 px of page; what lies below is reported, not taken
    max_shot_width: int = 4096  # a wider page is tiled too, its left part kept and the rest reported

    def __post_init__(self) -> None:
        if not 1 <= self.timeout_s <= 3600:
            raise InputError(f"a timeout of {self.timeout_s} s is outside 1..3600 s", field="timeout")
        if not (256 <= self.tile_height <= 16384 and 1 <= self.max_tiles <= 1000 and 256 <= self.max_shot_width <= 16384):
            raise InputError("tile height and width must be 256..16384 px and the tile cap 1..1000", field="tiles")

    @property
    def settle_s(self) -> float:
        """The part of the timeout for opening and settling the page; the snapshots get the rest."""
        return self.timeout_s * 0.6


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
                await asyncio.wait_for(context.close(), 5)
            except Exception:  # a context that will not close: drop the whole browser, start afresh next time
                await self._stop_browser()

    async def _stop_browser(self) -> None:
        try:
            await asyncio.wait_for(self._browser.close(), 5)
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
        begun = self._loop.time()
        deadline, hard = begun + s.settle_s, begun + s.timeout_s
        bodies = BodyLimit(cdp, s.max_body_bytes, deadline, self._loop)
        cdp.on("Fetch.requestPaused", bodies.paused)
        cdp.on("Network.requestWillBeSent", bodies.request)
        cdp.on("Network.dataReceived", bodies.data)
        await cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Response"}]})
        watch.bodies = bodies
        try:
            first = await page.goto(url, wait_until="commit", timeout=s.settle_s * 1000)
        except PlaywrightError as err:
            raise navigation_error(url, err, s.timeout_s) from None
        if first is None:
            raise InputError(f"{url}: the browser opened no document", field="url")
        for attempt in range(1, 4):
            moves = len(watch.navigations)
            try:
                not_settled, stopped = await self._settle(page, cdp, deadline)
                if "load" in not_settled:  # a body that never ends: what arrived is what is kept
                    bodies.stop("the page had not finished loading when the settling time was up: "
                                "loading was stopped there", page.url)
                return await self._snapshot(page, cdp, watch, url, folder, started, not_settled, stopped, user_agent,
                                            hard)
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
            quiet = await asyncio.wait_for(self._dom_quiet(cdp, budget), budget / 1000 + 0.5)
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
            await asyncio.wait_for(cdp.send("Runtime.terminateExecution"), 3)
        except Exception:
            return False
        return True

    @staticmethod
    async def _content(page, cdp) -> str:
        """The DOM as serialised; while the page is still loading (Playwright refuses then), as parsed so far."""
        from playwright.async_api import Error as PlaywrightError

        try:
            return await page.content()
        except PlaywrightError as err:
            if "navigating" not in str(err):
                raise
        dom = await _isolated(cdp, DOM_JS)
        if not isinstance(dom, str):
            raise PlaywrightError("the page has no document yet")
        return dom

    def _left_s(self, hard: float) -> float:
        return hard - self._loop.time()

    async def _step(self, cdp, what: str, make, stopped: list[bool], hard: float):
        """Run one snapshot step within what is left of the timeout; a hung page gets its scripts terminated once.

        Raises :class:`_NotTaken` (with the reason) when the step fails or time runs out.
        """
        from playwright.async_api import Error as PlaywrightError

        for attempt in (1, 2):
            left = self._left_s(hard)
            if left <= 0.2:
                raise _NotTaken(f"the {what} was not taken: the {self.settings.timeout_s:g} s timeout ran out first")
            try:  # one step that hangs leaves half of what is left to the others
                return await asyncio.wait_for(make(), max(min(left, 2.0), left / 2))
            except TimeoutError:
                if attempt == 2 or stopped[0] or not await self._stop_scripts(cdp):
                    raise _NotTaken(f"the {what} was not taken: the page did not answer within the "
                                    f"{self.settings.timeout_s:g} s timeout") from None
                stopped[0] = True
            except PlaywrightError as err:
                if "Target page, context or browser has been closed" in str(err) or "Target crashed" in str(err):
                    raise
                first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                raise _NotTaken(f"the {what} was not taken: {short(first, 200)}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _snapshot(self, page, cdp, watch: PageWatch, url: str, folder: Path, started: dict,
                        not_settled: list[str], stopped_in_settle: bool, user_agent: str, hard: float) -> PageCapture:
        stopped = [stopped_in_settle]
        final_url = page.url
        if urlsplit(final_url).scheme.lower() not in ALLOWED_SCHEMES:
            raise InputError(f"{url}: the page moved itself to an address that is not http or https "
                             f"({short(final_url, 120)}), which is refused; nothing was captured", field="url")
        artifacts: list[Artifact] = []

        def keep(kind: str, data: bytes, taken: dict, name: str | None = None) -> None:
            name = name or ARTIFACT_FILES[kind]
            write_bytes_atomic(folder / name, data)
            digests = hash_bytes(data, ("sha256", "sm3"))
            artifacts.append(Artifact(kind, name, len(data), digests["sha256"], digests["sm3"], taken))

        not_taken: list[dict] = []

        async def attempt(kind: str, what: str, make):
            try:
                return await self._step(cdp, what, make, stopped, hard)
            except _NotTaken as missing:
                not_taken.append({"artifact": ARTIFACT_FILES.get(kind, kind), "reason": str(missing)})
                return None

        snapshot = moment()
        title = await attempt("title", "title", page.title) or ""
        dom = await attempt("html", "DOM", lambda: self._content(page, cdp))
        if dom is not None:
            keep("html", b"\xef\xbb\xbf" + dom.encode("utf-8"), snapshot)
        taken = moment()
        mhtml = await attempt("mhtml", "MHTML snapshot",
                              lambda: cdp.send("Page.captureSnapshot", {"format": "mhtml"}))
        if mhtml is not None:
            keep("mhtml", mhtml["data"].encode("utf-8"), taken)
        taken = moment()
        # the viewport first: it is cheap, and a full-page screenshot of a huge page can hang the compositor
        viewport_missing = len(not_taken)
        png = await attempt("screenshot", "viewport screenshot", lambda: page.screenshot(full_page=False, type="png"))
        shot, shot_taken = "viewport", taken
        taken = moment()
        before = len(not_taken)
        await attempt("pdf", "PDF", lambda: page.emulate_media(media="screen"))
        pdf = await attempt("pdf", "PDF", lambda: page.pdf(format="A4", print_background=True)) \
            if len(not_taken) == before else None
        if pdf is not None:
            keep("pdf", pdf, taken)
        taken = moment()
        plan = await self._tile_plan(cdp, stopped, hard)
        tiles = None
        if plan is not None:  # too tall (or wide) for one image: bands of bounded size; screenshot.png is the viewport
            tiles = await take_tiles(plan, lambda clip: page.screenshot(
                full_page=True, type="png", clip=clip, timeout=max(1.0, self._left_s(hard) / 2) * 1000),
                lambda what, make: self._step(cdp, what, make, stopped, hard), _NotTaken,
                lambda name, data, when: keep(TILE_KIND, data, when, name))
            not_taken += tiles.not_taken
        else:
            full = await attempt("screenshot", "full-page screenshot", lambda: page.screenshot(
                full_page=True, type="png", timeout=max(1.0, self._left_s(hard) / 2) * 1000))
            if full is not None:
                if png is None:  # the full page replaces the viewport that failed: nothing is missing
                    del not_taken[viewport_missing]
                png, shot, shot_taken = full, "full_page", taken
            elif png is not None:  # the viewport is kept: the record says the full page could not be taken
                not_taken[-1]["artifact"] = "screenshot.png (full page)"
        if png is not None:
            keep("screenshot", png, shot_taken)
        if not artifacts:
            raise InputError(f"{url}: nothing of the page could be taken ({'; '.join(n['reason'] for n in not_taken)})",
                             field="url", hint="Try again with a longer --timeout; a page that defeats every "
                             "snapshot must be captured by other means.")
        taken = moment()
        response = await self._response_bounded(page, cdp, watch, url, hard)
        keep("response", json_bytes(response), taken)
        script_frames = await attempt("frames", "frame list", lambda: _isolated(cdp, SCRIPT_FRAMES_JS))
        for src in script_frames or []:
            watch.refuse("frame", src)
        ended = moment()
        record = capture_record(
            url=url, final_url=final_url, status=response["status"], title=title,
            times={"started": started, "snapshot": snapshot, "ended": ended}, not_settled=not_settled,
            scripts_terminated=stopped[0], settings=self.settings, watch=watch, user_agent=user_agent,
            not_taken=not_taken, screenshot=shot if png is not None else None,
            tiles=None if tiles is None else tiles.record(),
            server_ips=[(hop.get("server") or {}).get("ip") for hop in response.get("chain", [])],
            browser={"product": self._version.get("product"), "version": self._browser.version,
                     "revision": self._version.get("revision"), "js_version": self._version.get("jsVersion")},
            png=png)
        keep("capture", json_bytes(record), ended)
        return PageCapture(url=url, final_url=final_url, status=response["status"], title=title, folder=folder,
                           started=started, ended=ended, settled=not not_settled, not_settled=not_settled,
                           artifacts=artifacts, record=record, response=response)

    async def _response_bounded(self, page, cdp, watch: PageWatch, url: str, hard: float) -> dict:
        """The response record; its certificate look-ups get a few seconds even when the timeout is spent."""
        try:
            return await asyncio.wait_for(page_response(page, cdp, watch, url), max(5.0, self._left_s(hard)))
        except TimeoutError:
            return await page_response(page, None, watch, url)

    async def _tile_plan(self, cdp, stopped: list[bool], hard: float) -> TilePlan | None:
        """The tiles of a page too tall or wide for one screenshot; None for one image (or when it cannot be measured)."""
        s = self.settings
        try:
            size = await self._step(cdp, "page size", lambda: _isolated(cdp, PAGE_SIZE_JS), stopped, hard)
        except _NotTaken:  # Playwright's own full-page attempt measures again and reports what fails
            return None
        return plan_tiles(size, tile_height=s.tile_height, max_tiles=s.max_tiles, max_width=s.max_shot_width)


class _NotTaken(Exception):
    """One snapshot could not be taken; the message says which and why (it goes into capture.json)."""


async def _isolated(cdp, expression: str):
    """Evaluate in a fresh isolated world of the main frame: same DOM, none of the page's globals."""
    tree = await cdp.send("Page.getFrameTree")
    world = await cdp.send("Page.createIsolatedWorld", {"frameId": tree["frameTree"]["frame"]["id"],
                                                        "worldName": "casebook-capture"})
    result = await cdp.send("Runtime.evaluate", {"expression": expression, "contextId": world["executionContextId"],
                                                 "awaitPromise": True, "returnByValue": True})
    return result.get("result", {}).get("value")
