"""Label photos from a phone into a case: hash-on-copy, grouped into seized items, EXIF kept.

Each photo is copied with :func:`evidence.integrity.copy_hashing.copy_file` (read once, SHA-256
and SM3 on the bytes read, flushed, read back) to ``labels/<item-id>/`` (or ``labels/`` when no
item is named), under a safe name.  The original bytes are the evidence and are never changed:
EXIF orientation is recorded (the label reader turns the image as it says), and the time taken
and the GPS position (WGS-84, as EXIF stores it) are recorded in ``evidence/photo_metadata.json``
beside the photo's digests.  A photo whose SHA-256 is already among the case's labels is not
added twice.  With an item, ``case.yml`` declares it (``items:``, see docs/intake.md) and lists
its photos.  A GPS point is offered as the case's location when the case has none.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casebook.case import Case, load_case
from casebook.casefile import read_case_file
from casebook.intake.intake_seal import update_case_seal
from evidence.integrity.copy_hashing import copy_file
from evidence.integrity.custody import CustodyLog
from evidence.integrity.hashing import hash_fd
from evidence.integrity.manifest_model import utc_iso
from evidence.labels.photo_metadata import read_photo_metadata
from safeio.atomic import write_bytes_atomic, write_text_atomic
from safeio.errors import InputError, IntegrityError
from safeio.limits import read_capped

__all__ = ["METADATA_FILE", "PhotoIntake", "add_photos", "item_id_for", "set_case_location"]

METADATA_FILE = "evidence/photo_metadata.json"
_ITEM_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


@dataclass
class PhotoIntake:
    """What one run did: photos added (with their metadata), skipped as already present, failed."""

    case_dir: Path
    item_id: str | None
    added: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    event: dict | None = None
    case_seal: dict | None = None
    location_offer: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict:
        return {"ok": self.ok, "case_dir": str(self.case_dir), "item": self.item_id, "added": self.added,
                "duplicates": self.duplicates, "failed": self.failed, "custody_event": self.event,
                "case_seal": self.case_seal, "location_offer": self.location_offer}


def item_id_for(name: str) -> str:
    """A folder-safe item id (``[a-z0-9_-]``) for an item's name; Chinese names by their pinyin."""
    text = str(name).strip().lower()
    if _ITEM_ID.fullmatch(text):
        return text
    from pypinyin import lazy_pinyin

    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(lazy_pinyin(text)).lower()).strip("-")[:64].strip("-")
    if not slug:
        raise InputError(f"no item id can be made from '{name}'", field="item",
                         hint="Give --item-id with letters, digits, '-' or '_' (for example kangshifu-noodles).")
    return slug


def _safe_name(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_")[:80] or "photo"
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix).lower()[:8]
    return f"{stem}.{suffix}" if suffix else stem


def _free_name(folder: Path, name: str) -> Path:
    target, number = folder / name, 1
    stem, suffix = os.path.splitext(name)
    while os.path.lexists(target):
        number += 1
        target = folder / f"{stem}-{number}{suffix}"
    return target


def _case_sha256(case: Case) -> dict[str, str]:
    """SHA-256 of every regular file under labels/ (no link followed): ``{digest: path in the case}``."""
    from evidence.integrity.walk import KIND_FILE, walk

    known: dict[str, str] = {}
    if not case.labels_dir.is_dir() or case.labels_dir.is_symlink():
        return known
    for found in walk(str(case.labels_dir)):
        try:
            if found.kind != KIND_FILE:
                continue
            fd = found.open_file()
            try:
                digests, _ = hash_fd(fd, ("sha256",))
            finally:
                os.close(fd)
            known[digests["sha256"]] = "labels/" + found.rel.decode("utf-8", "replace")
        except OSError:
            continue
        finally:
            found.release()
    return known


def _metadata(case: Case) -> list[dict]:
    path = case.root / METADATA_FILE
    if not path.is_file():
        return []
    try:
        data = json.loads(read_capped(path, 64 << 20, what="photo metadata"))
    except ValueError as err:
        raise InputError("evidence/photo_metadata.json is not JSON", path=path,
                         hint="It is written by casebook; restore it from the sealed copy.") from err
    return data.get("photos", []) if isinstance(data, dict) else []


def _write_case_yml(case: Case, update) -> None:
    """Change case.yml through ``update(document)``; the schema must accept the result or nothing changes."""
    path = case.root / "case.yml"
    document = read_case_file(path)
    update(document)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    draft = write_text_atomic(case.root / ".case.yml.new", text)
    try:
        read_case_file(draft)
        os.replace(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def _declare(case: Case, item_id: str, name: str, photos: list[str], complete: bool) -> None:
    def update(document: dict) -> None:
        items = document.get("items")
        items = items if isinstance(items, list) else []
        for item in items:
            if isinstance(item, dict) and item.get("id") == item_id:
                listed = item.get("photos") if isinstance(item.get("photos"), list) else []
                item["photos"] = listed + [photo for photo in photos if photo not in listed]
                if complete:
                    item["complete"] = True
                break
        else:
            items.append({"id": item_id, "name": name, "photos": photos, "complete": complete})
        document["items"] = items

    _write_case_yml(case, update)


def set_case_location(case_dir: str | os.PathLike, lon: float, lat: float, *, source: str) -> None:
    """Set the case's position (WGS-84) from a photo's GPS, saying where it came from; keep the rest."""
    case = load_case(case_dir)

    def update(document: dict) -> None:
        location = document.get("location") if isinstance(document.get("location"), dict) else {}
        location.update(lon=f"{lon:.7f}", lat=f"{lat:.7f}", coord_sys="wgs84", position_source=source)
        document["location"] = location

    _write_case_yml(case, update)


def add_photos(case_dir: str | os.PathLike, photos: list[str | os.PathLike], *, item: str | None = None,
               item_id: str | None = None, complete: bool = False, actor: str = "casebook") -> PhotoIntake:
    """Bring phone photos into a case (see the module docstring); one bad photo never stops the others.

    ``complete`` records that the officer photographed every side of the item.

    Returns
    -------
    PhotoIntake
        ``location_offer`` holds the first GPS point when the case has no position yet.

    Raises
    ------
    InputError
        No case, an unusable case.yml, or an item name no id can be made from.
    IntegrityError
        The case's custody log does not verify (nothing is added).
    """
    case = load_case(case_dir)
    log = CustodyLog(case.custody_path)
    chain = log.verify()
    if not chain.ok:
        raise IntegrityError(f"the custody log does not verify ({chain.reason}); no photo was added",
                             path=case.custody_path, hint="Keep the log as it is and report it to the case supervisor.")
    ident = None
    if item or item_id:
        ident = str(item_id).strip() if item_id else item_id_for(item)
        if not _ITEM_ID.fullmatch(ident):
            raise InputError(f"'{ident}' is not a usable item id", field="item_id",
                             hint="Use lower-case letters, digits, '-' and '_' (for example kangshifu-noodles).")
    folder = case.labels_dir / ident if ident else case.labels_dir
    folder.mkdir(parents=True, exist_ok=True)
    result = PhotoIntake(case.root, ident)
    known = _case_sha256(case)
    records = _metadata(case)
    for given in photos:
        source = Path(given)
        shown = str(source)
        if source.is_symlink() or not source.is_file():
            result.failed.append({"photo": shown, "problem": "not a regular file (a link, a folder or missing)"})
            continue
        target = _free_name(folder, _safe_name(source.name))
        copied = copy_file(source, target)
        if copied.problem:
            result.failed.append({"photo": shown, "problem": copied.problem})
            continue
        sha = copied.digests["sha256"]
        rel = target.relative_to(case.root).as_posix()
        if sha in known:
            target.unlink()
            result.duplicates.append({"photo": shown, "sha256": sha, "already": known[sha]})
            continue
        try:
            meta = read_photo_metadata(target.read_bytes(), where=shown).to_dict()
        except InputError as err:
            target.unlink()
            result.failed.append({"photo": shown, "problem": err.message})
            continue
        known[sha] = rel
        record = {"path": rel, "source_name": source.name, "size": copied.size, **copied.digests,
                  "added_utc": utc_iso(), "item": ident, "exif": meta,
                  "gps_note": "EXIF GPS, WGS-84, decimal degrees" if meta["gps_lon"] is not None else ""}
        records.append(record)
        result.added.append(record)
    if result.added:
        write_bytes_atomic(case.root / METADATA_FILE, json.dumps(
            {"note": "metadata of label photos as the phone recorded it (EXIF); GPS is WGS-84", "photos": records},
            ensure_ascii=False, indent=1).encode("utf-8"))
        if ident:
            _declare(case, ident, str(item or ident).strip(), [record["path"] for record in result.added], complete)
        objects = [{"path": r["path"], "sha256": r["sha256"], "sm3": r.get("sm3"), "source_name": r["source_name"],
                    "taken_local": r["exif"]["taken_local"]} for r in result.added]
        result.event = log.append(actor, "acquired", objects,
                                  note=f"{len(objects)} label photo(s) from a phone, hash-on-copy"
                                  + (f", item {ident}" if ident else ""))
        result.case_seal = update_case_seal(case, actor, added_under=[folder.relative_to(case.root).as_posix()],
                                            rewritten=frozenset({METADATA_FILE}))
    if case.lon_lat() is None:  # any photo of the case with a GPS point, this run's first
        with_gps = next((r for r in [*result.added, *records] if (r.get("exif") or {}).get("gps_lon") is not None),
                        None)
        if with_gps is not None:
            result.location_offer = {"lon": with_gps["exif"]["gps_lon"], "lat": with_gps["exif"]["gps_lat"],
                                     "coord_sys": "wgs84", "photo": with_gps["path"]}
    return result
