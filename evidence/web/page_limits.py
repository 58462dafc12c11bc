"""Limits a capture puts on a page that fights back: response bodies capped, the DOM of a page still loading.

:class:`BodyLimit` keeps every response body within a byte cap and the settling time, through
DevTools (see its docstring); :data:`DOM_JS` serialises the DOM as parsed so far, for a page that is
still loading (Playwright's ``page.content()`` refuses then).
"""

from __future__ import annotations

import asyncio
import base64

from evidence.web.page_guard import short

__all__ = ["DOM_JS", "BodyLimit"]

# What Playwright's page.content() evaluates, for a page still loading (evaluated in an isolated world).
DOM_JS = """(() => {
  let html = '';
  if (document.doctype) html = new XMLSerializer().serializeToString(document.doctype);
  if (document.documentElement) html += document.documentElement.outerHTML;
  return html;
})()"""


class BodyLimit:
    """Response bodies kept within a byte cap and the settling time, through DevTools.

    A body that declares more than the cap is taken as a stream and cut there (Playwright's routes
    buffer a whole body before the handler sees it).  A body that declares no length is passed on
    untouched (its server address and certificate stay on record), its bytes are counted, and the
    page's loading is stopped once it passes the cap or the settling time is up.  Each cut is
    listed for ``capture.json``.
    """

    def __init__(self, cdp, limit: int, deadline: float, loop) -> None:
        self.cdp, self.limit, self.deadline, self.loop = cdp, limit, deadline, loop
        self.cut: list[dict] = []
        self.received: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.stopped = False

    def request(self, event: dict) -> None:
        self.urls[event.get("requestId", "")] = event.get("request", {}).get("url", "")

    def data(self, event: dict) -> None:
        request_id = event.get("requestId", "")
        total = self.received.get(request_id, 0) + int(event.get("dataLength") or 0)
        self.received[request_id] = total
        if total > self.limit and not self.stopped:
            self.stop(f"a body passed the {self.limit >> 20} MiB a capture keeps: loading was stopped there",
                      self.urls.get(request_id, ""), total)

    def stop(self, why: str, url: str = "", received: int | None = None) -> None:
        """Stop the page's loading (what arrived stays in the page) and note why."""
        if self.stopped:
            return
        self.stopped = True
        self.cut.append({"url": short(url, 300), "received_bytes": received, "why": why})
        self.loop.create_task(self._stop_loading())

    async def _stop_loading(self) -> None:
        try:
            await asyncio.wait_for(self.cdp.send("Page.stopLoading"), 5)
        except Exception:  # the page is gone or hung: the snapshot steps find that out
            pass

    def paused(self, event: dict) -> None:
        self.loop.create_task(self._handle(event))

    async def _handle(self, event: dict) -> None:
        request_id = event["requestId"]
        headers = event.get("responseHeaders") or []
        status = event.get("responseStatusCode")
        try:
            length = next((int(h["value"]) for h in headers if h["name"].lower() == "content-length"), None)
        except ValueError:
            length = None
        try:
            if status is None or length is None or length <= self.limit:
                await self.cdp.send("Fetch.continueResponse", {"requestId": request_id})
                return
            stream = (await self.cdp.send("Fetch.takeResponseBodyAsStream", {"requestId": request_id}))["stream"]
            body, why = await self._read(stream)
            kept = [h for h in headers if h["name"].lower() not in ("content-length", "content-encoding",
                                                                    "transfer-encoding")]
            self.cut.append({"url": short(event.get("request", {}).get("url", ""), 300), "kept_bytes": len(body),
                             "declared_bytes": length, "why": why or f"the body declares more than the "
                             f"{self.limit >> 20} MiB a capture keeps: cut there"})
            await self.cdp.send("Fetch.fulfillRequest", {"requestId": request_id, "responseCode": status,
                                                         "responseHeaders": kept,
                                                         "body": base64.b64encode(body).decode("ascii")})
        except Exception:  # the page or the request went away meanwhile: nothing to pass on
            pass

    async def _read(self, stream: str) -> tuple[bytes, str | None]:
        chunks, total, why = [], 0, None
        try:
            while total <= self.limit:
                left = self.deadline - self.loop.time()
                try:
                    if left <= 0:
                        raise TimeoutError
                    part = await asyncio.wait_for(self.cdp.send("IO.read", {"handle": stream, "size": 1 << 20}), left)
                except TimeoutError:
                    why = "the body had not ended when the settling time was up: cut there"
                    break
                data = base64.b64decode(part["data"]) if part.get("base64Encoded") else part["data"].encode("utf-8")
                chunks.append(data)
                total += len(data)
                if part.get("eof"):
                    break
        finally:
            try:
                await asyncio.wait_for(self.cdp.send("IO.close", {"handle": stream}), 5)
            except Exception:
                pass
        return b"".join(chunks)[: self.limit], why
