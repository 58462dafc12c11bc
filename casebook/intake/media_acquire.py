"""Acquisition from seized media into a case: the glue between case folders and ``evidence.integrity.copy_hashing``.

A USB stick, an SD card, a phone's export folder or a mounted image is copied to
``<case>/evidence/acquired/<UTC time>-<label>/``::

    files/               the copy, names and modification times as on the source
    manifest.json        sealed manifest of files/ (built from the digests taken while copying)
    acquisition.json     the source (description, device, serial, write blocker, read-only mount),
                         times in UTC and Beijing time, tool versions, problems, listing changes
    listing-before.jsonl / listing-after.jsonl   the source's listing around the copy
    record.html, record.pdf                      电子数据提取笔录

The folder is built under a hidden name (``.<name>.partial``) and renamed into place only when
the manifest and the record are written, so a folder under its final name is complete.  A run
that stops (interrupted, destination full) leaves the hidden folder with its journal of verified
files; the next run for the same source resumes there, copying only what the journal does not
vouch for.  The rename is followed by an ``acquired`` custody event naming the manifest's Merkle
root.  If the case was sealed and the only change since is this acquisition, the case is sealed
again (the old manifest kept in ``manifests/``).
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from casebook.case import Case, load_case
from casebook.intake.intake_seal import update_case_seal
from evidence.integrity.copy_hashing import JOURNAL_NAME, CopiedItem, CopyResult, copy_tree
from evidence.integrity.custody import CustodyLog
from evidence.integrity.electronic_data_list import shanghai_time
from evidence.integrity.hashing import DEFAULT_ALGORITHMS, hash_bytes, require_algorithms
from evidence.integrity.manifest import (
    load_manifest,
    seal_entries,
    tool_info,
    verify_manifest,
    write_manifest,
)
from evidence.integrity.manifest_model import Manifest, display_name, utc_iso
from safeio.atomic import fsync_folder, write_bytes_atomic
from safeio.errors import InputError, IntegrityError, UnsafePathError

__all__ = ["ACQUIRED_DIR", "AcquireResult", "SourceFacts", "acquire_media"]

ACQUIRED_DIR = "evidence/acquired"
FILES_DIR = "files"
MANIFEST_NAME = "manifest.json"
STATE_NAME = "acquisition.json"


@dataclass
class SourceFacts:
    """What the officer says about the seized medium (recorded as given)."""

    description: str = ""
    device_model: str = ""
    serial: str = ""
    write_blocker: bool | None = None
    place: str = ""
    actor: str = "casebook"


@dataclass
class AcquireResult:
    """One acquisition: where it lies, what was copied, how it was sealed and recorded."""

    case_dir: Path
    folder: Path
    state: str  # "complete" | "destination_full"
    copy: CopyResult
    record: dict
    manifest: Manifest | None = None
    event: dict | None = None
    case_seal: dict | None = None
    record_files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.state == "complete" and not self.copy.problems and not self.copy.changes

    def to_dict(self) -> dict:
        folder = self.folder
        where = folder.relative_to(self.case_dir).as_posix()
        files = [{"source": item.path, "destination": f"{where}/{FILES_DIR}/{item.path}", "type": item.kind,
                  "size": item.size, "sha256": item.digests.get("sha256"), "sm3": item.digests.get("sm3"),
                  "resumed": item.resumed} for item in self.copy.copied]
        return {
            "ok": self.ok, "state": self.state, "case_dir": str(self.case_dir), "folder": str(folder),
            "source": self.record["source"], "files": files,
            "problems": [{"path": item.path, "type": item.kind, "problem": item.problem} for item in self.copy.problems],
            "listing_changes": self.copy.changes, "destination_full": self.copy.destination_full,
            "manifest": str(folder / MANIFEST_NAME) if self.manifest else None,
            "merkle_root": self.manifest.merkle_root if self.manifest else None,
            "record": [str(path) for path in self.record_files], "custody_event": self.event,
            "case_seal": self.case_seal,
        }


def _inside(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def _check_source(source: str | os.PathLike, case: Case) -> Path:
    path = Path(source)
    if not path.exists():
        raise InputError("the source does not exist", path=path,
                         hint="Give the folder where the seized medium is mounted (for example /media/usb).")
    if not path.is_dir():
        raise InputError("the source is a file, not a folder", path=path,
                         hint="Give the folder of the medium; mount a disk image first (read-only).")
    top = path.resolve()
    if _inside(top, case.root) or _inside(case.root, top):
        raise UnsafePathError("the source lies inside the case folder (or holds it)", path=top, field="source",
                              hint="Acquire from the seized medium itself, never from the case's own folder.")
    return top


def _label(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:60]
    return slug or "media"


def _read_only_mount(path: Path) -> bool | None:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # Windows has no statvfs
        return None


def _listing_lines(listing: dict[bytes, tuple]) -> bytes:
    rows = [json.dumps({"path": display_name(rel), "type": row[0], "size": row[1], "mtime_ns": row[2],
                        "problem": row[4]}, ensure_ascii=False, sort_keys=True) for rel, row in sorted(listing.items())]
    return ("\n".join(rows) + "\n").encode("utf-8") if rows else b""


def _find_partial(acquired: Path, source: Path) -> Path | None:
    """The hidden folder of an interrupted acquisition of the same source, if any."""
    if not acquired.is_dir():
        return None
    for entry in sorted(acquired.iterdir()):
        if entry.name.startswith(".") and entry.name.endswith(".partial") and not entry.is_symlink():
            try:
                state = json.loads((entry / STATE_NAME).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if state.get("source", {}).get("path") == str(source):
                return entry
    return None


def _unrecorded(acquired: Path, source: Path, log: CustodyLog, case_root: Path) -> Path | None:
    """A complete acquisition of this source whose custody event was never written (a run that died)."""
    if not acquired.is_dir():
        return None
    sealed = {str(item.get("manifest")) for event in log.events() if event.get("action") == "acquired"
              for item in event.get("objects") or [] if isinstance(item, dict)}
    for entry in sorted(acquired.iterdir()):
        if entry.name.startswith(".") or entry.is_symlink() or not (entry / MANIFEST_NAME).is_file():
            continue
        try:
            state = json.loads((entry / STATE_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        rel = entry.relative_to(case_root).as_posix()
        if state.get("source", {}).get("path") == str(source) and f"{rel}/{MANIFEST_NAME}" not in sealed:
            return entry
    return None



def acquire_media(source: str | os.PathLike, case_dir: str | os.PathLike, facts: SourceFacts | None = None, *,
                  label: str | None = None, algorithms=DEFAULT_ALGORITHMS, workers: int = 4,
                  progress: Callable[[int], None] | None = None, total: Callable[[int], None] | None = None,
                  pdf: bool = True, lang: str = "zh") -> AcquireResult:
    """Copy a seized medium into a case with hash-on-copy, seal it, record it (see the module docstring).

    Parameters
    ----------
    source : the mounted medium or export folder (only ever read).
    case_dir : the case folder (with case.yml).
    facts : what the officer says about the medium.
    label : the acquisition folder's label (default: the source folder's name), made safe.
    algorithms, workers : digests and files copied at once.
    progress, total : called with bytes copied, and once with the bytes to copy.
    pdf : also print the record to PDF (Chromium).
    lang : the record's language.

    Returns
    -------
    AcquireResult
        ``state`` is ``destination_full`` when the run stopped early (rerun to resume).

    Raises
    ------
    InputError
        No case, an unusable case.yml, or a missing source.
    UnsafePathError
        The source lies inside the case (or holds it).
    IntegrityError
        The case's custody log does not verify (nothing is copied).
    """
    facts = facts or SourceFacts()
    algorithms = require_algorithms(algorithms)
    case = load_case(case_dir)
    top = _check_source(source, case)
    log = CustodyLog(case.custody_path)
    chain = log.verify()
    if not chain.ok:
        raise IntegrityError(f"the custody log does not verify ({chain.reason}); nothing was acquired",
                             path=case.custody_path, hint="Keep the log as it is and report it to the case supervisor.")
    acquired = case.root / ACQUIRED_DIR
    acquired.mkdir(parents=True, exist_ok=True)
    done = _unrecorded(acquired, top, log, case.root)
    if done is not None:
        return _record_existing(case, done, log, facts)
    partial = _find_partial(acquired, top)
    started = utc_iso()
    if partial is None:
        name, partial = _fresh_folder(acquired, f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{_label(label or top.name)}")
        state = {"name": name, "started_utc": started, "runs": []}
    else:
        state = json.loads((partial / STATE_NAME).read_text(encoding="utf-8"))
    state["source"] = {"path": str(top), "description": facts.description, "device_model": facts.device_model,
                       "serial": facts.serial, "write_blocker": facts.write_blocker,
                       "read_only_mount": _read_only_mount(top)}
    state["runs"].append({"started_utc": started})
    write_bytes_atomic(partial / STATE_NAME, _json(state))
    if total is not None:
        total(_source_bytes(top))
    copied = copy_tree(top, partial / FILES_DIR, journal=partial / JOURNAL_NAME, algorithms=algorithms,
                       workers=workers, progress=progress)
    ended = utc_iso()
    state["runs"][-1].update({"ended_utc": ended, "copied": len(copied.copied),
                              "resumed": sum(item.resumed for item in copied.copied),
                              "destination_full": copied.destination_full})
    record = _record(state, copied, case, facts, algorithms, ended)
    if not copied.complete:
        write_bytes_atomic(partial / STATE_NAME, _json({**state, **record}))
        return AcquireResult(case.root, partial, "destination_full", copied, record)
    write_bytes_atomic(partial / "listing-before.jsonl", _listing_lines(copied.before))
    write_bytes_atomic(partial / "listing-after.jsonl", _listing_lines(copied.after))
    write_bytes_atomic(partial / STATE_NAME, _json({**state, **record}))
    entries = [item.entry(f"{FILES_DIR}/".encode()) for item in copied.copied]
    manifest = seal_entries(partial, entries, case_id=case.case_id, algorithms=algorithms, include=[FILES_DIR],
                            created_utc=state["started_utc"])
    write_manifest(manifest, partial / MANIFEST_NAME)
    name = state["name"]
    from casebook.intake.acquisition_record import write_acquisition_record

    record_files = write_acquisition_record(partial, case, record, manifest, folder=f"{ACQUIRED_DIR}/{name}",
                                            pdf=pdf, lang=lang)
    (partial / JOURNAL_NAME).unlink(missing_ok=True)
    final = acquired / name
    os.replace(partial, final)
    fsync_folder(acquired)
    manifest.path = final / MANIFEST_NAME
    event = _custody(log, case, final, manifest, record, facts.actor)
    result = AcquireResult(case.root, final, "complete", copied, record, manifest, event,
                           record_files=[final / path.name for path in record_files])
    result.case_seal = update_case_seal(case, facts.actor, added_under=[final.relative_to(case.root).as_posix()])
    return result


def _fresh_folder(acquired: Path, stem: str) -> tuple[str, Path]:
    """A name no earlier acquisition holds: two runs in the same second must not meet at the rename."""
    for number in range(1, 1000):
        name = stem if number == 1 else f"{stem}-{number}"
        partial = acquired / f".{name}.partial"
        if (acquired / name).exists() or (acquired / name).is_symlink():
            continue
        try:
            partial.mkdir()
        except FileExistsError:
            continue
        return name, partial
    raise InputError(f"{acquired} already holds 999 acquisitions named {stem}", path=acquired,
                     hint="Wait a second and acquire again.")


def _json(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _source_bytes(top: Path) -> int:
    total = 0
    for folder, _dirs, names in os.walk(top):
        for name in names:
            try:
                st = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                total += st.st_size
    return total


def _record(state: dict, copied: CopyResult, case: Case, facts: SourceFacts, algorithms, ended: str) -> dict:
    """acquisition.json: everything the extraction record says, as data."""
    return {
        "case_id": case.case_id, "source": state["source"], "place": facts.place,
        "started_utc": state["started_utc"], "ended_utc": ended,
        "started_beijing": shanghai_time(state["started_utc"]), "ended_beijing": shanghai_time(ended),
        "tool": tool_info(), "algorithms": list(algorithms),
        "totals": {"files": sum(item.kind == "file" for item in copied.copied),
                   "links": sum(item.kind == "symlink" for item in copied.copied),
                   "bytes": sum(item.size or 0 for item in copied.copied if item.kind == "file"),
                   "problems": len(copied.problems), "listed": len(copied.before)},
        "problems": [{"path": item.path, "type": item.kind, "problem": item.problem} for item in copied.problems],
        "listing": {"entries_before": len(copied.before), "entries_after": len(copied.after),
                    "unchanged": not copied.changes, "changes": copied.changes},
        "destination_full": copied.destination_full,
    }


def _custody(log: CustodyLog, case: Case, folder: Path, manifest: Manifest, record: dict, actor: str) -> dict:
    rel = folder.relative_to(case.root).as_posix()
    source = record["source"]
    item = {"path": rel, "manifest": f"{rel}/{MANIFEST_NAME}", "merkle_root": manifest.merkle_root,
            "seal_sha256": manifest.seal["sha256"], "seal_sm3": manifest.seal.get("sm3"),
            "files": manifest.totals["files"], "bytes": manifest.totals["bytes"],
            "source": source.get("description") or source.get("path"), "device_model": source.get("device_model"),
            "serial": source.get("serial"), "write_blocker": source.get("write_blocker"),
            "problems": record["totals"]["problems"], "listing_unchanged": record["listing"]["unchanged"]}
    records = [{"path": f"{rel}/{path.name}", **hash_bytes(path.read_bytes())}
               for path in [*sorted(folder.glob("record.*")), folder / STATE_NAME] if path.is_file()]
    return log.append(actor, "acquired", [item, *records],
                      note=f"acquisition with hash-on-copy from {source.get('description') or source.get('path')}")


def _record_existing(case: Case, folder: Path, log: CustodyLog, facts: SourceFacts) -> AcquireResult:
    """Finish a run that died after the rename: check the folder, then write its custody event."""
    manifest = load_manifest(folder / MANIFEST_NAME)
    report = verify_manifest(manifest, folder, custody=None)
    if not report.ok:
        raise IntegrityError("an earlier acquisition of this source no longer matches its manifest; nothing was "
                             "recorded", path=folder / MANIFEST_NAME,
                             hint=f"See what changed with 'casebook evidence verify {folder / MANIFEST_NAME}'.")
    record = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
    event = _custody(log, case, folder, manifest, record, facts.actor)
    items = [CopiedItem(entry.raw[len(FILES_DIR) + 1:], entry.type, entry.size, entry.mtime_ns, entry.digests,
                        entry.target, resumed=True) for entry in manifest.entries]
    copied = CopyResult(items, {}, {}, record.get("listing", {}).get("changes", []))
    result = AcquireResult(case.root, folder, "complete", copied, record, manifest, event,
                           record_files=sorted(folder.glob("record.*")))
    result.case_seal = update_case_seal(case, facts.actor, added_under=[folder.relative_to(case.root).as_posix()])
    return result
