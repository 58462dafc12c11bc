"""What a captured page may do, and the record of what it tried.

The capture lets a page's scripts run (the DOM after them is the evidence) but lets only http and
https reach it.  Chromium already refuses ``file:`` from web pages and top-level navigations or
redirects to ``data:`` and ``file:``; :data:`GUARD_SCRIPT` covers what it allows: documents of other
schemes in frames and popups, and iframes pointed at ``javascript:`` URLs.  :class:`PageWatch`
refuses WebSockets, popups and downloads, dismisses dialogs, and keeps what the browser itself
reported (its own log entries, not the page's console, which the page could write anything into).
:func:`check_url` refuses any other address before a browser starts.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from safeio.errors import InputError

__all__ = ["ALLOWED_SCHEMES", "GUARD_SCRIPT", "QUIET_JS", "SCRIPT_FRAMES_JS", "PageWatch", "check_url", "short"]

ALLOWED_SCHEMES = ("http", "https")
_KEEP = 200  # at most this many items in each list of capture.json (failed requests, refusals, log)


def short(text: object, limit: int = 160) -> str:
    """Text for a record, cut to a length (an ellipsis marks the cut).

    Parameters
    ----------
    text : object
        Anything; shown as ``str(text)``.
    limit : int
        The most characters kept.

    Returns
    -------
    str
    """
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


# Runs in every new document before the page's own scripts.  A frame or popup whose document is not
# http(s) (data:, blob:, ...) is stopped before it parses anything and replaced by an empty page (a
# stopped document alone would leave its load pending for ever); about:blank and srcdoc frames are
# the parent's own.  In an http(s) document, an iframe pointed at a javascript: URL has that pending
# navigation cancelled (Chromium runs it in a later task; the observer's microtask comes first).
# The DOM is not changed: page.html shows the iframe as the page wrote it.
GUARD_SCRIPT = r"""(() => {
  // print() on load stopped every snapshot of the page: here it does nothing
  window.print = function print() {};
  const href = String(location.href);
  if (!(/^https?:/i.test(href) || href === 'about:blank' || href === 'about:srcdoc')) {
    window.stop();
    location.replace('about:blank');
    return;
  }
  const frameWindow = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow').get;
  const getAttribute = Element.prototype.getAttribute;
  const isScriptUrl = (value) => /^\s*javascript:/i.test(String(value || '').replace(/[\t\n\r]/g, ''));
  const stop = (node) => {
    if (node instanceof HTMLIFrameElement && isScriptUrl(getAttribute.call(node, 'src'))) {
      const child = frameWindow.call(node);
      if (child) child.stop();
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') stop(record.target);
      for (const node of record.addedNodes || []) {
        stop(node);
        if (node.querySelectorAll) node.querySelectorAll('iframe').forEach(stop);
      }
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
})();"""

# Evaluated in an isolated world (the page's scripts cannot replace MutationObserver or setTimeout
# there): resolves true once the DOM has not changed for quietMs, false after maxMs.
QUIET_JS = """new Promise(resolve => {
  const quietMs = %d, maxMs = %d;
  let last = performance.now();
  const start = last;
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const tick = () => {
    const now = performance.now();
    if (now - last >= quietMs) { observer.disconnect(); resolve(true); }
    else if (now - start >= maxMs) { observer.disconnect(); resolve(false); }
    else setTimeout(tick, 50);
  };
  setTimeout(tick, 50);
})"""


class PageWatch:
    """Everything the page tried that a capture refuses or should report."""

    def __init__(self) -> None:
        self.refused: list[dict] = []
        self.failed: list[dict] = []
        self.dialogs: list[dict] = []
        self.log: list[dict] = []
        self.requests = 0
        self.main_responses: list = []
        self.navigations: list[str] = []
        self.main_page = None
        self.bodies = None  # the BodyLimit of the capture: what was cut from which response

    @staticmethod
    def _add(target: list, item: dict) -> None:
        if len(target) < _KEEP:
            target.append(item)

    def refuse(self, what: str, url: str) -> None:
        self._add(self.refused, {"what": what, "url": short(url, 300)})

    async def websocket(self, route) -> None:
        self.refuse("websocket", route.url)
        await route.close(code=1008, reason="refused by the evidence capture")

    async def popup(self, page) -> None:
        if self.main_page is None or page is self.main_page:
            return
        self.refuse("popup", page.url)
        await page.close()

    async def dialog(self, dialog) -> None:
        self._add(self.dialogs, {"type": dialog.type, "message": short(dialog.message, 300)})
        await dialog.dismiss()

    def download(self, download) -> None:
        self.refuse("download", download.url)

    def request(self, _request) -> None:
        self.requests += 1

    def request_failed(self, request) -> None:
        self._add(self.failed, {"url": short(request.url, 300), "error": request.failure or ""})

    def response(self, response) -> None:
        request = response.request
        if request.is_navigation_request() and response.frame is self.main_page.main_frame:
            self.main_responses.append(response)

    def frame_navigated(self, frame) -> None:
        if frame is self.main_page.main_frame:
            self.navigations.append(frame.url)
        elif frame.url and urlsplit(frame.url).scheme.lower() not in (*ALLOWED_SCHEMES, "about"):
            self.refuse("frame", frame.url)

    def browser_log(self, event: dict) -> None:
        entry = event.get("entry", {})
        if entry.get("source") not in ("javascript", "console-api"):  # the browser's own words, not the page's
            self._add(self.log, {"source": entry.get("source"), "level": entry.get("level"),
                                 "text": short(entry.get("text", ""), 300), "url": short(entry.get("url", ""), 300)})

# Evaluated in an isolated world at snapshot time: the iframes of the page that point at javascript:
# URLs (the guard cancelled them; the record lists them).
SCRIPT_FRAMES_JS = r"""Array.from(document.querySelectorAll('iframe[src]'), f => f.getAttribute('src'))
  .filter(src => /^\s*javascript:/i.test(src.replace(/[\t\n\r]/g, '')))"""
