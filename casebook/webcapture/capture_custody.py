"""What custody has recorded of a case's web captures, and the hidden folders of captures in progress.

Custody comes first: a capture folder gets its final name only after its ``captured`` event is in
the case's custody log, so a folder under ``evidence/web/`` that no event records was never
captured by casebook (a run from an older version, a copy, a hand-made folder).  The seal refuses
such a folder and the verification names it: a seal never takes in what custody never recorded.

A capture in progress lives in a hidden ``.<name>.partial`` folder holding ``.owner.json`` (the
process id, host and process start).  A later run finds the folders whose owner is gone (killed,
crashed, power cut): one whose manifest a ``captured`` event already records is renamed into place
(the run died between the event and the rename); any other is removed, and named in the report.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["OWNER_NAME", "PARTIAL_SUFFIX", "PartialFolder", "bounded_text", "claim_owner", "partial_folders",
           "recorded_capture_roots", "sweep_partial_folders", "unrecorded_captures"]

WEB_DIR = "evidence/web"
PARTIAL_SUFFIX = ".partial"
OWNER_NAME = ".owner.json"
NO_OWNER_GRACE_S = 60  # a partial folder without an owner file: its run died between mkdir and writing it
FOREIGN_STALE_S = 3600  # a partial folder of another host (a shared disk): its process cannot be asked
MAX_TEXT_CHARS = 4096  # an address or title kept whole in a custody event up to this length


def bounded_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, str | None]:
    """``text`` cut to ``limit`` characters for a custody event, with the SHA-256 of the whole when cut.

    A page can navigate to a megabyte-long address; the event keeps its start and its digest (the
    full address is in the sealed ``capture.json``), so the event stays within the log's line limit.
    """
    if len(text) <= limit:
        return text, None
    return text[:limit] + "…", hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _process_start(pid: int) -> str | None:
    """The start tick of a process (Linux ``/proc``), so a reused pid is not taken for the owner."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


def claim_owner(partial: Path) -> None:
    """Write ``.owner.json`` into a freshly made partial folder (this process owns it)."""
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "start": _process_start(os.getpid()),
             "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (partial / OWNER_NAME).write_text(json.dumps(owner), encoding="utf-8")


@dataclass
class PartialFolder:
    """A hidden partial capture folder and whether the process that made it is gone."""

    path: Path
    stale: bool
    why: str

    @property
    def final_name(self) -> str:
        return self.path.name[1:-len(PARTIAL_SUFFIX)]


def _judge(folder: Path) -> tuple[bool, str]:
    try:
        owner = json.loads((folder / OWNER_NAME).read_text(encoding="utf-8"))
        pid, host = int(owner["pid"]), str(owner["host"])
    except (OSError, ValueError, KeyError, TypeError):
        age = time.time() - folder.lstat().st_mtime
        if age > NO_OWNER_GRACE_S:
            return True, "no owner recorded (its run died before it began)"
        return False, "just created"
    if host != socket.gethostname():
        age = time.time() - folder.lstat().st_mtime
        return age > FOREIGN_STALE_S, f"made on {host} (pid {pid})"
    if not _alive(pid):
        return True, f"its process {pid} is gone (killed or crashed)"
    if owner.get("start") and _process_start(pid) not in (None, owner["start"]):
        return True, f"its process {pid} is gone (the number is now another process's)"
    if pid == os.getpid():
        return False, "this run's own capture in progress"
    return False, f"a capture in progress (process {pid})"


def partial_folders(case_dir: str | os.PathLike) -> list[PartialFolder]:
    """The hidden partial capture folders of a case, each judged stale or live."""
    web = Path(case_dir) / WEB_DIR
    if not web.is_dir() or web.is_symlink():
        return []
    found = []
    for folder in sorted(web.iterdir()):
        if folder.name.startswith(".") and folder.name.endswith(PARTIAL_SUFFIX) and folder.is_dir() \
                and not folder.is_symlink():
            stale, why = _judge(folder)
            found.append(PartialFolder(folder, stale, why))
    return found


def recorded_capture_roots(events: list[dict]) -> dict[str, set[str]]:
    """``{capture folder path: {Merkle roots}}`` of every ``captured`` event of a custody log."""
    roots: dict[str, set[str]] = {}
    for event in events:
        if event.get("action") != "captured":
            continue
        for item in event.get("objects") or []:
            if isinstance(item, dict) and item.get("merkle_root") and item.get("path"):
                roots.setdefault(str(item["path"]), set()).add(str(item["merkle_root"]))
    return roots


def _manifest_root(folder: Path) -> str | None:
    from evidence.integrity.manifest import load_manifest
    from safeio.errors import CasebookError

    try:
        return load_manifest(folder / "manifest.json").merkle_root
    except CasebookError:
        return None


def sweep_partial_folders(case_dir: str | os.PathLike, events: list[dict]) -> tuple[list[dict], list[dict]]:
    """Finish or remove the partial folders whose run is gone; return ``(removed, completed)``.

    Each item names the folder and why: ``{"folder": ".x.partial", "why": ...}`` and for a completed
    one its final ``"path"``.
    """
    web = Path(case_dir) / WEB_DIR
    recorded = recorded_capture_roots(events)
    removed, completed = [], []
    for partial in partial_folders(case_dir):
        if not partial.stale:
            continue
        final = web / partial.final_name
        root = _manifest_root(partial.path)
        if root is not None and root in recorded.get(f"{WEB_DIR}/{partial.final_name}", set()) \
                and not os.path.lexists(final):
            (partial.path / OWNER_NAME).unlink(missing_ok=True)
            os.rename(partial.path, final)
            completed.append({"folder": partial.path.name, "path": f"{WEB_DIR}/{final.name}", "why": partial.why})
            continue
        shutil.rmtree(partial.path)
        removed.append({"folder": partial.path.name, "why": partial.why})
    return removed, completed


def unrecorded_captures(case_dir: str | os.PathLike, events: list[dict]) -> list[dict]:
    """Folders under ``evidence/web/`` that custody never recorded as captured, with the reason.

    A capture folder counts as recorded when a ``captured`` event names its path and the Merkle
    root of the manifest it holds now.  Hidden partial folders are listed too (a capture that did
    not finish, or one still running).
    """
    web = Path(case_dir) / WEB_DIR
    if not web.is_dir() or web.is_symlink():
        return []
    recorded = recorded_capture_roots(events)
    out = []
    for folder in sorted(web.iterdir()):
        rel = f"{WEB_DIR}/{folder.name}"
        if folder.name.startswith("."):
            if folder.name.endswith(PARTIAL_SUFFIX) and folder.is_dir() and not folder.is_symlink():
                stale, why = _judge(folder)
                out.append({"path": rel, "reason": "the hidden folder of a capture that did not finish ("
                            f"{why}); 'casebook evidence capture' removes it" if stale else
                            f"a capture still in progress ({why})"})
            continue
        if not folder.is_dir() or folder.is_symlink():
            continue
        root = _manifest_root(folder)
        if rel not in recorded:
            out.append({"path": rel, "reason": "no 'captured' event in the custody log records this folder"})
        elif root is None:
            out.append({"path": rel, "reason": "its manifest is missing or cannot be read"})
        elif root not in recorded[rel]:
            out.append({"path": rel, "reason": f"its manifest (Merkle root {root}) is not the one custody recorded"})
    return out
