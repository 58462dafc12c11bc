"""Screen a sealed capture as a listing and keep the result beside it (``listing.json``).

The page is read from the sealed ``page.html`` (:mod:`evidence.web.listing_reader`), its values
placed on the screenshot by rendering the sealed DOM again offline, and screened
(:mod:`evidence.web.listing_checks`) for goods on sale on the capture's date (Beijing time).
``listing.json`` is derived data, like the extraction record: it is not in the capture's manifest,
and its digests go into the ``captured`` custody event with the record's.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from casebook.words.finding_words import with_words
from evidence.web.listing_checks import screen_listing
from evidence.web.listing_reader import locate, read_listing
from safeio.atomic import write_text_atomic
from safeio.errors import CasebookError, InputError
from safeio.limits import loads_json, read_capped

__all__ = ["LISTING_JSON", "load_screening", "sale_date_of", "screen_capture"]

LISTING_JSON = "listing.json"


def sale_date_of(started_utc: str):
    """The date (Asia/Shanghai) a capture shows the goods on sale."""
    moment = datetime.fromisoformat(str(started_utc).replace("Z", "+00:00"))
    return moment.astimezone(ZoneInfo("Asia/Shanghai")).date()


def screen_capture(folder: str | os.PathLike, started_utc: str, *, register=None, browser=None) -> dict:
    """Read, locate and screen the listing a capture folder holds; write ``listing.json`` there.

    Parameters
    ----------
    folder : the capture folder (its partial folder, while it is being built).
    started_utc : when the capture began (its date is the date of sale).
    register : a CCC certificate register, or None.
    browser : a Playwright (sync) Chromium for the offline re-rendering (one is started if not given).

    Returns
    -------
    dict
        ``{"sale_date", "register", "listing", "findings", "screened_utc"}``; a page that cannot be read
        gives ``findings == []`` and ``error``.
    """
    target = Path(folder)
    result = {"sale_date": sale_date_of(started_utc).isoformat(), "screened_utc":
              datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "register": None if register is None else {"source": Path(register.source).name,
                                                         "certificates": len(register)}}
    try:
        listing = read_listing(target)
        try:
            locate(listing, target, browser=browser)
        except CasebookError:
            raise
        except Exception as err:  # the browser failed to render: the findings stand, without regions
            result["regions_error"] = f"{type(err).__name__}: {str(err)[:200]}"
        flags = screen_listing(listing, register=register, sale_date=sale_date_of(started_utc))
        result.update(listing=listing.to_dict(), findings=[with_words(f.to_dict()) for f in flags])
    except CasebookError as err:
        result.update(listing=None, findings=[], error=err.to_dict())
    write_text_atomic(target / LISTING_JSON, _dumps(result))
    return result


def _dumps(data: dict) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=1)


def load_screening(folder: str | os.PathLike) -> dict | None:
    """The ``listing.json`` of a capture folder, or None if it was not screened (or the file is unusable)."""
    path = Path(folder) / LISTING_JSON
    if not path.is_file():
        return None
    try:
        data = loads_json(read_capped(path, 32 << 20, what="listing screening"), where=path)
    except (InputError, ValueError):
        return None
    return data if isinstance(data, dict) else None
