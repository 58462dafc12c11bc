"""Seized items (扣押物品) of a case: what ``case.yml`` declares, else what the ``labels/`` folders say.

An officer photographs each seized product from several sides; the item, not the photo, is what
is screened and listed in the dossier's 查封扣押物品清单.  Declared items win:

- ``items:`` in ``case.yml`` names each item (id, name, quantity, unit, found_at, price, photos,
  complete); an item without ``photos`` takes the photos of ``labels/<id>/``;
- every other sub-folder ``labels/<folder>/`` is one item (id and name: the folder's name);
- every other photo directly in ``labels/`` is an item of its own.

Only a declared item may be ``complete`` (the officer's word that every side was photographed).
Nothing is reached through a link: a declared photo that is a link or outside the case is listed
under ``problems`` and left unread.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from safeio.errors import InputError

__all__ = ["SeizedItem", "case_items"]

_TRUE = {"true", "yes", "是"}
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".heic", ".gif"}


@dataclass
class SeizedItem:
    """One seized item with its photos (absolute paths inside the case folder)."""

    id: str
    name: str
    photos: list[Path] = field(default_factory=list)
    quantity: float | None = None
    unit: str = ""
    found_at: str = ""
    price: float | None = None
    complete: bool = False
    declared: bool = False
    problems: list[InputError] = field(default_factory=list)  # declared photos that cannot be used

    @property
    def value(self) -> float | None:
        """Quantity times unit price, when both are known."""
        return None if self.quantity is None or self.price is None else round(self.quantity * self.price, 2)


def _number(text: str) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _files(folder: Path) -> list[Path]:
    """Regular, visible files of one folder (no link followed), sorted."""
    if not _is_dir(folder):
        return []
    return sorted(Path(e.path) for e in os.scandir(folder)
                  if e.is_file(follow_symlinks=False) and not e.is_symlink() and not e.name.startswith("."))


def _declared_photo(root: Path, relative: str, item_id: str) -> tuple[Path | None, InputError | None]:
    path = root / relative
    where = root / "case.yml"
    if any(part == ".." for part in Path(relative).parts) or Path(relative).is_absolute():
        return None, InputError(f"the photo '{relative}' of item '{item_id}' is outside the case folder", path=where,
                                field="items.photos", hint="Give photo paths inside the case, e.g. labels/x/front.jpg.")
    current = root
    for part in Path(relative).parts:
        current = current / part
        if current.is_symlink():
            return None, InputError(f"the photo '{relative}' of item '{item_id}' is reached through a link; it is "
                                    "not read", path=where, field="items.photos",
                                    hint="Copy the photo itself into the case folder.")
    if not _is_file(path):
        return None, InputError(f"the photo '{relative}' of item '{item_id}' does not exist", path=where,
                                field="items.photos", hint="Correct the path or put the photo there.")
    return path, None


def case_items(root: Path, entries: list[dict]) -> list[SeizedItem]:
    """The items of the case folder ``root`` from the declared ``entries`` (``case.yml`` ``items``) and ``labels/``.

    Raises
    ------
    InputError
        Two declared items share an id.
    """
    labels = root / "labels"
    items: list[SeizedItem] = []
    seen: set[str] = set()
    claimed: set[Path] = set()
    for entry in entries or []:
        item_id = entry["id"]
        if item_id in seen:
            raise InputError(f"two items in case.yml have the id '{item_id}'", path=root / "case.yml",
                             field="items.id", hint="Give each item its own id.")
        seen.add(item_id)
        item = SeizedItem(id=item_id, name=entry["name"].strip(), quantity=_number(entry.get("quantity", "")),
                          unit=entry.get("unit", "").strip(), found_at=entry.get("found_at", "").strip(),
                          price=_number(entry.get("price", "")),
                          complete=entry.get("complete", "").strip().lower() in _TRUE, declared=True)
        for relative in entry.get("photos") or []:
            path, problem = _declared_photo(root, relative, item_id)
            if problem is not None:
                item.problems.append(problem)
            elif path not in item.photos:
                item.photos.append(path)
        if not entry.get("photos"):
            item.photos = _files(labels / item_id)
        claimed.update(item.photos)
        items.append(item)
    if _is_dir(labels):
        folders = sorted(Path(e.path) for e in os.scandir(labels)
                         if e.is_dir(follow_symlinks=False) and not e.is_symlink() and not e.name.startswith("."))
        for folder in folders:
            if folder.name in seen:
                continue
            photos = [p for p in _files(folder) if p not in claimed]
            if photos:
                items.append(SeizedItem(id=folder.name, name=folder.name, photos=photos))
                claimed.update(photos)
        for photo in _files(labels):
            if photo not in claimed:
                items.append(SeizedItem(id=_slug(photo.stem, seen), name=photo.name, photos=[photo]))
    return items


def _slug(stem: str, seen: set[str]) -> str:
    base = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-") or "photo"
    name, n = base, 2
    while name in seen:
        name, n = f"{base}-{n}", n + 1
    seen.add(name)
    return name
