"""A tall page kept as a sequence of screenshot tiles of bounded height.

One full-page screenshot of an endless listing (100,000 px and more) is a giant image that can
take the browser's compositor down, and a hostile page can make it as tall as it likes.  A page
taller than ``tile_height`` (or wider than ``max_width``) is therefore photographed in horizontal
bands, top to bottom, each a clip of the laid-out page (Playwright's full-page screenshot with a
clip, which paints beyond the viewport without scrolling, so no scroll handler of the page runs).
Each tile is written and hashed like any other capture file, as it is taken.

At most ``max_tiles`` tiles are taken; the part of the page below them, a band that could not be
taken in time, and anything right of ``max_width`` are listed in ``capture.json`` (``not_taken``)
with the reason, never left out silently.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from evidence.web.capture_files import tile_name
from evidence.web.capture_record import moment

__all__ = ["PAGE_SIZE_JS", "TilePlan", "TilesTaken", "plan_tiles", "take_tiles"]

# The page's laid-out size, measured as Playwright measures it for a full-page screenshot
# (evaluated in an isolated world: the page's own scripts cannot answer in its place).
PAGE_SIZE_JS = """(() => {
  const b = document.body, d = document.documentElement;
  if (!b || !d) return null;
  return {width: Math.max(b.scrollWidth, d.scrollWidth, b.offsetWidth, d.offsetWidth, b.clientWidth, d.clientWidth),
          height: Math.max(b.scrollHeight, d.scrollHeight, b.offsetHeight, d.offsetHeight, b.clientHeight,
                           d.clientHeight)};
})()"""


@dataclass(frozen=True)
class TilePlan:
    """The bands a tall page is photographed in: ``clips`` in page pixels, top first."""

    page_width: int
    page_height: int
    tile_height: int
    width: int
    max_tiles: int
    clips: tuple[dict, ...]

    @property
    def covered_height(self) -> int:
        return sum(clip["height"] for clip in self.clips)

    @property
    def capped(self) -> bool:
        """Whether the page goes on below the last tile the cap allows."""
        return self.covered_height < self.page_height


@dataclass
class TilesTaken:
    """What :func:`take_tiles` kept (file names, top first) and what it could not take, with why."""

    plan: TilePlan
    files: list[str] = field(default_factory=list)
    heights: list[int] = field(default_factory=list)
    not_taken: list[dict] = field(default_factory=list)

    def record(self) -> dict:
        """The ``tiles`` entry of ``capture.json``."""
        p = self.plan
        return {"count": len(self.files), "planned": len(p.clips), "tile_height": p.tile_height, "width": p.width,
                "page_width": p.page_width, "page_height": p.page_height, "covered_height": sum(self.heights),
                "max_tiles": p.max_tiles, "capped": p.capped, "files": list(self.files)}


def plan_tiles(size, *, tile_height: int, max_tiles: int, max_width: int) -> TilePlan | None:
    """The tiles for a page of ``size``, or None when one screenshot of the whole page stays within bounds.

    Parameters
    ----------
    size : dict or None
        ``{"width", "height"}`` in CSS pixels, as :data:`PAGE_SIZE_JS` measures; None (no body) or
        anything unreadable means no plan.
    tile_height, max_tiles, max_width : int
        The most pixels one tile is tall, the most tiles taken, the most pixels one tile is wide.

    Returns
    -------
    TilePlan or None
    """
    try:
        width, height = max(1, int(size["width"])), max(1, int(size["height"]))
    except (TypeError, KeyError, ValueError, OverflowError):
        return None
    if height <= tile_height and width <= max_width:
        return None
    band = min(width, max_width)
    clips = []
    for top in range(0, height, tile_height):
        if len(clips) == max_tiles:
            break
        clips.append({"x": 0, "y": top, "width": band, "height": min(tile_height, height - top)})
    return TilePlan(width, height, tile_height, band, max_tiles, tuple(clips))


async def take_tiles(plan: TilePlan, shoot: Callable[[dict], Awaitable[bytes]],
                     step: Callable[[str, Callable[[], Awaitable[bytes]]], Awaitable[bytes]],
                     not_taken_error: type[Exception],
                     keep: Callable[[str, bytes, dict], None]) -> TilesTaken:
    """Take the planned tiles top first, each handed to ``keep`` as soon as it is taken.

    Parameters
    ----------
    plan : TilePlan
    shoot : callable
        ``shoot(clip)`` takes the screenshot of one clip (PNG bytes).
    step : callable
        ``step(what, make)`` runs one snapshot step within the capture's time; it raises
        ``not_taken_error`` (whose text says why) when the step fails or time runs out.
    not_taken_error : exception class
    keep : callable
        ``keep(file_name, png, taken)`` writes and hashes one tile.

    Returns
    -------
    TilesTaken
        The first tile that cannot be taken ends the sequence: it and the ones after it are listed
        as not taken with the reason, as are the page below the cap and the part right of the
        tiles' width.
    """
    done = TilesTaken(plan)
    total = len(plan.clips)
    for number, clip in enumerate(plan.clips, 1):
        taken = moment()
        try:
            png = await step(f"screenshot tile {number} of {total}", lambda clip=clip: shoot(clip))
        except not_taken_error as missing:
            rest = tile_name(number) if number == total else f"{tile_name(number)} … {tile_name(total)}"
            done.not_taken.append({"artifact": rest, "reason": str(missing)})
            break
        keep(tile_name(number), png, taken)
        done.files.append(tile_name(number))
        done.heights.append(clip["height"])
    if plan.capped:
        done.not_taken.append({
            "artifact": f"screenshot tiles after {tile_name(total)}",
            "reason": f"the page is {plan.page_height} px tall; a capture keeps at most {plan.max_tiles} tiles of "
                      f"{plan.tile_height} px, so only its top {plan.covered_height} px were taken (the page "
                      "itself is kept whole in page.html and page.mhtml)"})
    if plan.width < plan.page_width:
        done.not_taken.append({
            "artifact": "screenshot tiles (right part)",
            "reason": f"the page is {plan.page_width} px wide; tiles keep its left {plan.width} px"})
    return done
