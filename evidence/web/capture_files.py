"""The files one web capture writes, by kind: the six fixed ones and the tiles of a tall page.

A page taller than one screenshot may be (:mod:`evidence.web.page_tiles`) is also kept as
numbered tiles, ``screenshot-tile-001.png``, ``screenshot-tile-002.png`` ...; every reader of a
capture folder names and orders its files through :func:`artifact_kind` and :func:`artifact_rank`.
"""

from __future__ import annotations

import re

__all__ = ["ARTIFACT_FILES", "TILE_KIND", "artifact_kind", "artifact_rank", "is_tile_name", "tile_name"]

ARTIFACT_FILES = {"html": "page.html", "mhtml": "page.mhtml", "screenshot": "screenshot.png", "pdf": "page.pdf",
                  "response": "response.json", "capture": "capture.json"}
TILE_KIND = "screenshot_tile"
_KIND_BY_NAME = {name: kind for kind, name in ARTIFACT_FILES.items()}
_TILE = re.compile(r"screenshot-tile-(\d{3,})\.png")


def tile_name(number: int) -> str:
    """The file name of tile ``number`` (counted from 1, top of the page first)."""
    return f"screenshot-tile-{number:03d}.png"


def is_tile_name(name: str) -> bool:
    """Whether a file name is that of a screenshot tile."""
    return _TILE.fullmatch(name) is not None


def artifact_kind(name: str, default: str = "other") -> str:
    """The kind of a capture file (``html``, ``screenshot``, ``screenshot_tile`` ...), or ``default``."""
    return _KIND_BY_NAME.get(name) or (TILE_KIND if is_tile_name(name) else default)


def artifact_rank(name: str) -> tuple[int, int]:
    """A sort key: the six files in their order, the tiles right after the screenshot, anything else last."""
    order = list(ARTIFACT_FILES.values())
    tile = _TILE.fullmatch(name)
    if tile:
        return order.index(ARTIFACT_FILES["screenshot"]), int(tile.group(1))
    return (order.index(name), 0) if name in order else (len(order), 0)
