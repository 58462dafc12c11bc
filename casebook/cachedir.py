"""Where casebook keeps what it can compute again: label readings by photo SHA-256.

``CASEBOOK_CACHE`` names the folder (``off`` turns caching off); the default is the user's cache
folder (``~/.cache/casebook`` on Linux, ``%LOCALAPPDATA%\\casebook\\Cache`` on Windows). A cache is
never evidence: deleting it only costs time.
"""

from __future__ import annotations

import os
from pathlib import Path

from evidence.labels.readings import ReadingCache

__all__ = ["cache_root", "reading_cache"]


def cache_root() -> Path | None:
    """The cache folder (``CASEBOOK_CACHE``, else the user's cache folder); None when caching is off."""
    chosen = os.environ.get("CASEBOOK_CACHE", "").strip()
    if chosen.lower() in ("off", "none", "0"):
        return None
    if chosen:
        return Path(chosen).expanduser().resolve()
    from platformdirs import user_cache_path

    return user_cache_path("casebook", appauthor=False)


def reading_cache(folder: str | os.PathLike | None = None) -> ReadingCache | None:
    """The label-reading cache in ``folder`` or, by default, under :func:`cache_root`.

    Parameters
    ----------
    folder : path, optional
        A folder of its own for the readings (tests, a shared network drive).

    Returns
    -------
    ReadingCache or None
        None when caching is turned off (``CASEBOOK_CACHE=off``) and no folder is given.
    """
    if folder:
        return ReadingCache(Path(folder))
    root = cache_root()
    return None if root is None else ReadingCache(root / "readings")
