"""Seal evidence and check it later: the glue between case folders (or any tree) and ``evidence``.

``seal_case`` hashes a case's originals (``evidence/`` and ``labels/``; never ``manifest.json``,
``custody.jsonl``, ``case.yml`` or outputs) into ``<case>/manifest.json`` and records a
``hashed`` custody event carrying the manifest's Merkle root in ``<case>/custody.jsonl``.
``seal_tree`` does the same for any folder, with the manifest and log where the caller says.

Sealing again is idempotent, and it never launders a change (docs/domain.md, "Electronic evidence"):

- no manifest and no seal in the log yet: hash, write the manifest, record the event;
- a manifest whose content still matches the tree and which is the log's last seal: nothing
  is rewritten or recorded;
- a matching manifest the log never recorded (a run that crashed between writing the
  manifest and the log): the ``hashed`` event is recorded now, saying so;
- anything else is refused with IntegrityError unless ``reseal=True`` (CLI ``--reseal``) says
  the change is deliberate: the evidence changed, the manifest does not load, the manifest is not
  the one the log sealed last (``seal_replaced``), or the log records a seal but the manifest is
  gone.  A reseal keeps the old manifest in ``manifests/`` and its event names the previous root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from evidence.integrity.custody import CustodyLog, CustodyReport
from evidence.integrity.hashing import DEFAULT_ALGORITHMS
from evidence.integrity.manifest import (
    MAX_MANIFEST_BYTES,
    Manifest,
    build_manifest,
    load_manifest,
    write_manifest,
)
from evidence.integrity.seals import last_seal
from evidence.integrity.tree_hashing import Progress, check_root
from evidence.integrity.verify import VerifyReport, verify_manifest
from safeio.atomic import write_bytes_atomic
from safeio.errors import InputError, IntegrityError
from safeio.limits import read_capped

__all__ = ["ARCHIVE_DIR", "CASE_INCLUDE", "CUSTODY_NAME", "MANIFEST_NAME", "CaseIntegrity", "SealResult",
           "check_case", "seal_case", "seal_tree", "unrecorded_case_captures"]

CASE_INCLUDE = ("evidence", "labels")
MANIFEST_NAME = "manifest.json"
CUSTODY_NAME = "custody.jsonl"
ARCHIVE_DIR = "manifests"


@dataclass
class SealResult:
    """What sealing did: the manifest now in force, whether it is new, the custody event written."""

    case_dir: Path
    manifest_path: Path
    custody_path: Path
    manifest: Manifest
    created: bool
    event: dict | None = None
    report: VerifyReport | None = None
    archived: Path | None = None
    timestamp: dict | None = None

    @property
    def problems(self) -> list[dict]:
        return [{"path": entry.path, "problem": entry.problem} for entry in self.manifest.problems]

    def to_dict(self) -> dict:
        return {
            "case_dir": str(self.case_dir),
            "root": str(self.case_dir),
            "case_id": self.manifest.case_id,
            "manifest": str(self.manifest_path),
            "custody": str(self.custody_path),
            "created": self.created,
            "merkle_root": self.manifest.merkle_root,
            "seal_sha256": self.manifest.seal["sha256"],
            "files": self.manifest.totals["files"],
            "bytes": self.manifest.totals["bytes"],
            "problems": self.problems,
            "event": self.event,
            "archived": str(self.archived) if self.archived else None,
            "metadata_changed": [item["path"] for item in self.report.metadata_changed] if self.report else [],
            "timestamp": self.timestamp,
        }


@dataclass
class CaseIntegrity:
    """A case checked without writing anything: content, custody chain, and the manifest's seal."""

    case_dir: Path
    manifest_path: Path
    manifest: Manifest | None = None
    report: VerifyReport | None = None
    custody: CustodyReport | None = None
    custody_records_manifest: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def seal(self) -> dict | None:
        return self.report.seal if self.report is not None else None

    @property
    def ok(self) -> bool:
        return (not self.errors and self.report is not None and self.report.ok
                and self.custody is not None and self.custody.ok and self.custody_records_manifest)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "case_dir": str(self.case_dir),
            "manifest": str(self.manifest_path),
            "merkle_root": self.manifest.merkle_root if self.manifest else None,
            "verify": self.report.to_dict() if self.report else None,
            "custody": self.custody.to_dict() if self.custody else None,
            "custody_records_manifest": self.custody_records_manifest,
            "seal": self.seal,
            "errors": self.errors,
        }


def _case_folder(case_dir: str | os.PathLike) -> Path:
    folder = Path(case_dir)
    if not folder.is_dir():
        raise InputError("this case folder does not exist" if not folder.exists() else "this is not a folder",
                         path=folder, hint="Give the case folder that holds case.yml, labels/ and evidence/.")
    return folder.resolve()


def _unchanged(report: VerifyReport, manifest: Manifest) -> bool:
    """Same content as sealed; files that could not be hashed then may still be unhashable now."""
    if report.modified or report.missing or report.added or report.moved:
        return False
    failed_then = {entry.path for entry in manifest.entries if entry.failed}
    return all(item["path"] in failed_then for item in report.unverifiable)


def _manifest_object(manifest: Manifest, name: str, **extra) -> dict:
    item = {"manifest": name, "merkle_root": manifest.merkle_root, "seal_sha256": manifest.seal["sha256"],
            "seal_sm3": manifest.seal.get("sm3"), "files": manifest.totals["files"],
            "bytes": manifest.totals["bytes"]}
    item.update({key: value for key, value in extra.items() if value is not None})
    return item


def _archive(manifest_path: Path, label: str) -> Path:
    """Keep a replaced manifest, byte for byte, in ``manifests/`` beside it."""
    folder = manifest_path.parent / ARCHIVE_DIR
    folder.mkdir(exist_ok=True)
    stem, suffix = manifest_path.stem, manifest_path.suffix or ".json"
    target = folder / f"{stem}-{label}{suffix}"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{stem}-{label}-{number}{suffix}"
    write_bytes_atomic(target, read_capped(manifest_path, MAX_MANIFEST_BYTES, what="manifest"))
    return target


def _refuse(message: str, manifest_path: Path, hint: str | None = None):
    return IntegrityError(message, path=manifest_path, hint=hint or (
        "See what changed with 'casebook evidence verify'. If the change is deliberate (new evidence "
        "added), seal again with --reseal: the old manifest is kept in manifests/ and the custody log "
        "records both roots."))


def seal_tree(root: str | os.PathLike, manifest_path: str | os.PathLike, actor: str = "casebook", *,
              custody_path: str | os.PathLike | None = None, case_id: str | None = None,
              include: tuple[str, ...] | list[str] | None = None, algorithms=DEFAULT_ALGORITHMS,
              reseal: bool = False, tsa_url: str | None = None, workers: int | None = None,
              progress: Progress | None = None, first_note: str | None = None) -> SealResult:
    """Hash ``root`` into a sealed manifest at ``manifest_path`` and record the seal in the custody log.

    Parameters
    ----------
    root : the folder to hash (nothing in it is written).
    manifest_path : where the manifest goes (outside the hashed tree).
    actor : who seals, as recorded in the custody log.
    custody_path : the custody log; default ``custody.jsonl`` beside the manifest.
    case_id, include : recorded in the manifest; ``include`` limits the top-level names hashed.
    algorithms : digests per file (SHA-256 and SM3 by default).
    reseal : replace a seal on purpose (see the module docstring); the log records both roots.
    tsa_url : an RFC 3161 timestamp authority for the new Merkle root.
    workers, progress : hashing threads, and a callback ``(path, bytes so far)``.
    first_note : the note of a first seal's custody event.

    Returns
    -------
    SealResult
        ``created`` is False when the existing seal still holds and nothing was written.

    Raises
    ------
    IntegrityError
        A change that only ``reseal=True`` may seal over, or a custody log that does not verify.
    InputError
        The tree or the manifest's folder is missing, or an input is unusable.
    """
    top = check_root(root)
    manifest_path = Path(manifest_path)
    if not manifest_path.parent.is_dir():
        raise InputError("the folder for the manifest does not exist", path=manifest_path.parent,
                         hint="Create the folder first or choose another --out path.")
    custody_path = Path(custody_path) if custody_path is not None else manifest_path.parent / CUSTODY_NAME
    try:  # the log names the manifest by its path from the log's folder ("manifest.json" in a case)
        name = Path(os.path.relpath(manifest_path, custody_path.parent)).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        name = str(manifest_path.resolve())
    log = CustodyLog(custody_path)
    chain = log.verify()
    if not chain.ok:
        raise IntegrityError(f"the custody log does not verify ({chain.reason}); nothing was sealed", path=custody_path,
                             hint="Keep the log exactly as it is and report it to the case supervisor; "
                             "do not repair it by hand.")
    last = last_seal(log.events(), manifest_path, custody_path.parent)
    sealed_root = last[1]["merkle_root"] if last else None
    previous_root, archived, report, note = sealed_root, None, None, first_note or f"first seal of {top}"
    if os.path.lexists(manifest_path):
        try:
            old = load_manifest(manifest_path)
        except IntegrityError as err:
            if not reseal:
                raise
            old = None
            archived = _archive(manifest_path, "refused")
            note = f"resealed: the previous manifest was refused ({err.message}); kept as {archived.name}"
        if old is not None:
            report = verify_manifest(old, top, custody=None, workers=workers, progress=progress)
            unchanged = _unchanged(report, old)
            if unchanged and sealed_root in (None, old.merkle_root):
                event = None
                if sealed_root is None:  # the manifest was written, then the run died before the log
                    event = log.append(actor, "hashed", [_manifest_object(old, name)],
                                       note="recorded for the existing manifest (the earlier run did not record it)")
                return SealResult(top, manifest_path, custody_path, old, created=False, event=event, report=report)
            if not reseal:
                if sealed_root not in (None, old.merkle_root):
                    raise _refuse(f"seal_replaced: {name} is not the manifest the custody log sealed last (event "
                                  f"{last[0]['seq']} records Merkle root {sealed_root}; this one has "
                                  f"{old.merkle_root}); it was not replaced again", manifest_path)
                counts = ", ".join(f"{v} {k}" for k, v in report.counts().items()
                                   if v and k in {"modified", "missing", "added", "moved", "unverifiable"})
                raise _refuse(f"the evidence changed since it was sealed ({counts}); the manifest was not replaced",
                              manifest_path)
            previous_root = sealed_root or old.merkle_root
            archived = _archive(manifest_path, old.created_utc.replace(":", "").replace("-", ""))
            why = ("the manifest in place was not the one the log sealed last"
                   if sealed_root not in (None, old.merkle_root) else "a deliberate change")
            note = f"resealed after {why}; previous manifest kept as {archived.name}"
    elif sealed_root is not None:
        if not reseal:
            raise _refuse(f"the custody log records a seal of {name} (event {last[0]['seq']}, Merkle root "
                          f"{sealed_root}) but the manifest is gone; nothing was sealed", manifest_path)
        note = f"resealed: the sealed manifest (Merkle root {sealed_root}) was missing"
    manifest = build_manifest(top, case_id=case_id, algorithms=algorithms, include=include, workers=workers,
                              progress=progress)
    write_manifest(manifest, manifest_path)
    stamp = None
    if tsa_url:
        from evidence.integrity.timestamp import timestamp_manifest

        stamp = timestamp_manifest(manifest, tsa_url).to_dict()
    event = log.append(actor, "hashed", [_manifest_object(manifest, name, previous_merkle_root=previous_root,
                                                          timestamp_utc=stamp["gen_time_utc"] if stamp else None)],
                       note=note)
    return SealResult(top, manifest_path, custody_path, manifest, created=True, event=event, report=report,
                      archived=archived, timestamp=stamp)


def seal_case(case_dir: str | os.PathLike, actor: str = "casebook", *, algorithms=DEFAULT_ALGORITHMS,
              reseal: bool = False, tsa_url: str | None = None, workers: int | None = None,
              progress: Progress | None = None) -> SealResult:
    """Hash and seal one case folder's ``evidence/`` and ``labels/`` (see the module docstring).

    Parameters
    ----------
    case_dir : the case folder.
    actor : who seals (custody log).
    algorithms, reseal, tsa_url, workers, progress : as for :func:`seal_tree`.

    Returns
    -------
    SealResult

    Raises
    ------
    IntegrityError
        The evidence or the manifest changed since sealing (without ``reseal``), or the custody
        log does not verify.
    InputError
        Not a case folder.
    """
    case = _case_folder(case_dir)
    _refuse_unrecorded_captures(case)
    return seal_tree(case, case / MANIFEST_NAME, actor, custody_path=case / CUSTODY_NAME, case_id=case.name,
                     include=CASE_INCLUDE, algorithms=algorithms, reseal=reseal, tsa_url=tsa_url, workers=workers,
                     progress=progress, first_note="first seal of this case's evidence")


def unrecorded_case_captures(case: Path) -> list[dict]:
    from casebook.webcapture.capture_custody import unrecorded_captures

    log = CustodyLog(case / CUSTODY_NAME)
    try:
        events = log.events()
    except (InputError, IntegrityError):
        events = []  # the custody check says what is wrong with the log itself
    return unrecorded_captures(case, events)


def _refuse_unrecorded_captures(case: Path) -> None:
    """A seal never takes in a capture folder that custody never recorded (nor a capture's partial folder)."""
    found = unrecorded_case_captures(case)
    if found:
        listed = "; ".join(f"{item['path']}: {item['reason']}" for item in found)
        raise IntegrityError(f"nothing was sealed: custody never recorded {len(found)} folder(s) under evidence/web/ "
                             f"({listed})", path=case,
                             hint="Move such a folder out of the case (keep it for the record) and capture the page "
                             "again with 'casebook evidence capture'; a hidden '.partial' folder of a stopped capture "
                             "is cleaned by the next capture run.")


def check_case(case_dir: str | os.PathLike, *, workers: int | None = None) -> CaseIntegrity:
    """Verify a case's manifest against its folder, its custody log and its seal, writing nothing.

    Parameters
    ----------
    case_dir : the case folder.
    workers : hashing threads.

    Returns
    -------
    CaseIntegrity
        ``ok`` only if content, custody chain and seal all hold; ``errors`` says what did not.

    Raises
    ------
    InputError
        Not a case folder, or an input casebook refuses (oversized or linked log or manifest).
    """
    case = _case_folder(case_dir)
    result = CaseIntegrity(case_dir=case, manifest_path=case / MANIFEST_NAME)
    log = CustodyLog(case / CUSTODY_NAME)
    result.custody = log.verify()
    if not result.custody.ok:
        result.errors.append(f"custody log: {result.custody.reason}")
    result.errors += [f"{item['path']}: {item['reason']}" for item in unrecorded_case_captures(case)]
    if not os.path.lexists(result.manifest_path):
        result.errors.append("the case has not been sealed yet (no manifest.json)")
        return result
    try:
        result.manifest = load_manifest(result.manifest_path)
    except IntegrityError as err:
        result.errors.append(str(err.message))
        return result
    result.report = verify_manifest(result.manifest, case, custody=case / CUSTODY_NAME, workers=workers)
    seal = result.report.seal
    result.custody_records_manifest = seal["status"] == "sealed"
    if result.custody.ok and not result.custody_records_manifest:
        result.errors.append(f"{seal['status']}: {seal['reason']}")
    return result
