"""``capture.json``: how one capture ran, in one document.

Times are stored in UTC and shown in Asia/Shanghai, both to the millisecond; the browser, tool
versions, viewport, user agent and the rules the page ran under are stated, so that a reviewer can
see what was done and repeat it.
"""

from __future__ import annotations

import ipaddress
import json
import struct
from datetime import UTC, datetime
from urllib.parse import urlsplit

from evidence.integrity.electronic_data_list import SHANGHAI
from evidence.web.chromium import CHROMIUM_ARGS, chromium_path
from evidence.web.page_guard import ALLOWED_SCHEMES

__all__ = ["CAPTURE_FORMAT", "address_scope", "capture_record", "json_bytes", "moment", "png_size", "tool_versions"]

CAPTURE_FORMAT = "casebook-web-capture/1"
POLICY = {"schemes": list(ALLOWED_SCHEMES), "fresh_context": True, "service_workers": "blocked",
          "websockets": "refused", "popups": "closed", "downloads": "refused", "dialogs": "dismissed",
          "pdf_media": "screen"}


def moment(when: datetime | None = None) -> dict:
    """A moment as stored (UTC) and as shown (Asia/Shanghai), both to the millisecond.

    Parameters
    ----------
    when : datetime, optional
        An aware moment; now by default.

    Returns
    -------
    dict
        ``{"utc": "2024-06-07T08:15:02.123Z", "asia_shanghai": "2024-06-07T16:15:02.123+08:00"}``.
    """
    when = (when or datetime.now(UTC)).astimezone(UTC)
    millis = f"{when.microsecond // 1000:03d}"
    return {"utc": when.strftime("%Y-%m-%dT%H:%M:%S.") + millis + "Z",
            "asia_shanghai": when.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M:%S.") + millis + "+08:00"}


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header, or None for anything else."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return None
    return struct.unpack(">II", data[16:24])


def tool_versions() -> dict:
    """casebook, Python, OpenSSL and Playwright versions, as the record states them."""
    from importlib.metadata import PackageNotFoundError, version

    from evidence.integrity.manifest import tool_info

    try:
        playwright = version("playwright")
    except PackageNotFoundError:  # pragma: no cover - a declared dependency
        playwright = "unknown"
    return {**tool_info(), "playwright": playwright}


def json_bytes(document: dict) -> bytes:
    """A JSON record as written: UTF-8, indented, Chinese as is, one final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def address_scope(url: str, server_ips) -> dict:
    """Whether the page came from this machine or a private network rather than the internet.

    A capture of ``127.0.0.1``, ``localhost`` or ``192.168.x.x`` shows what a server on this
    machine or this network answered, not what the public saw: the record says so.

    Returns
    -------
    dict
        ``{"scope": "loopback" | "private" | "link_local" | "public" | "unknown", "host", "server_ips"}``.
    """
    host = (urlsplit(url).hostname or "").lower()
    candidates = [ip for ip in server_ips if ip] or [host]
    scopes = set()
    for text in candidates:
        try:
            address = ipaddress.ip_address(str(text).strip("[]"))
        except ValueError:
            scopes.add("loopback" if text in ("localhost",) or str(text).endswith(".localhost") else "unknown")
            continue
        if address.is_loopback:
            scopes.add("loopback")
        elif address.is_link_local:
            scopes.add("link_local")
        elif address.is_private or address.is_reserved or address.is_unspecified:
            scopes.add("private")
        else:
            scopes.add("public")
    order = ("loopback", "link_local", "private", "unknown", "public")
    scope = next((name for name in order if name in scopes), "unknown")
    return {"scope": scope, "host": host, "server_ips": sorted({str(ip) for ip in server_ips if ip})}


def capture_record(*, url: str, final_url: str, status: int, title: str, times: dict, not_settled: list[str],
                   scripts_terminated: bool, settings, watch, user_agent: str, browser: dict, png: bytes | None,
                   not_taken: list[dict] | None = None, screenshot: str | None = "full_page",
                   server_ips: list | None = None, tiles: dict | None = None) -> dict:
    """The ``capture.json`` document.

    Parameters
    ----------
    url, final_url, status, title
        The address asked for, the one the page ended on, its status and title (as found).
    times : dict
        ``{"started", "snapshot", "ended"}``, each a :func:`moment`.
    not_settled : list of str
        The settling conditions not met in time (``load``, ``network_idle``, ``dom_quiet``).
    scripts_terminated : bool
        Whether the page's scripts had to be stopped.
    settings : evidence.web.page_capture.CaptureSettings
    watch : evidence.web.page_guard.PageWatch
        What the page tried and was refused, its dialogs, failed requests and the browser's log.
    user_agent : str
    browser : dict
        ``product``, ``version``, ``revision``, ``js_version`` as the browser reports them.
    png : bytes or None
        The screenshot (a full-page one gives the page's size); None when none could be taken.
    not_taken : list of dict
        ``{"artifact", "reason"}`` for each snapshot the page did not let be taken.
    screenshot : "full_page", "viewport" or None
        What the screenshot shows.
    server_ips : list of str
        The addresses the responses came from (loopback and private ones are marked).
    tiles : dict, optional
        For a page too tall for one screenshot, its tiles (:meth:`evidence.web.page_tiles.TilesTaken.record`):
        how many, their height, the page's size, whether the cap was reached.

    Returns
    -------
    dict
    """
    s = settings
    size = png_size(png) if png and screenshot == "full_page" else None
    if tiles:
        size = (tiles["page_width"], tiles["page_height"])
    return {
        "format": CAPTURE_FORMAT,
        "url": url,
        "final_url": final_url,
        "status": status,
        "title": title,
        **times,
        "settled": not not_settled,
        "not_settled": not_settled,
        "scripts_terminated": scripts_terminated,
        "timeout_s": s.timeout_s,
        "quiet_ms": s.quiet_ms,
        "browser": {"name": "Chromium", **browser, "executable": chromium_path(), "headless": True,
                    "args": list(CHROMIUM_ARGS)},
        "tools": tool_versions(),
        "viewport": {"width": s.viewport_width, "height": s.viewport_height, "device_scale_factor": 1},
        "page_size": {"width": size[0], "height": size[1]} if size else None,
        "user_agent": user_agent,
        "locale": s.locale,
        "timezone": s.timezone_id,
        "policy": {**POLICY, "ignore_https_errors": s.ignore_https_errors},
        "refused": watch.refused,
        "dialogs": watch.dialogs,
        "requests": {"total": watch.requests, "failed": watch.failed},
        "browser_log": watch.log,
        "html_encoding": "utf-8 with BOM (the DOM serialised after the page's scripts ran)",
        "screenshot": screenshot,
        "tiles": tiles,
        "not_taken": list(not_taken or []),
        "bodies_cut": list(getattr(getattr(watch, "bodies", None), "cut", [])),
        "network": address_scope(final_url or url, server_ips or []),
    }
