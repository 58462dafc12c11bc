"""Seal a case folder's evidence and check it later: the glue between case folders and ``evidence``.

``seal_case`` hashes the originals (``evidence/`` and ``labels/``; never ``manifest.json``,
``custody.jsonl``, ``case.yml`` or outputs) into ``<case>/manifest.json`` and records a
``hashed`` custody event carrying the manifest's Merkle root in ``<case>/custody.jsonl``.

Re-sealing is idempotent, and it never launders a change:

- no manifest yet: hash, write the manifest, record the event;
- a manifest whose content still matches the folder: nothing is rewritten; the ``hashed`` event
  is added only if the log lacks one for this Merkle root (a run that crashed between writing
  the manifest and the log is finished this way);
- a manifest that no longer matches (or does not load): refused with IntegrityError, unless
  ``reseal=True`` (CLI ``--reseal``) says the change is deliberate (new evidence added).  Then the
  old manifest is kept in ``<case>/manifests/`` and the new event names the old root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from evidence.custody import CustodyLog, CustodyReport
from evidence.hashing import DEFAULT_ALGORITHMS
from evidence.manifest import Manifest, build_manifest, load_manifest, write_manifest
from evidence.scan import Progress
from evidence.verify import VerifyReport, verify_manifest
from safeio.atomic import write_bytes_atomic
from safeio.errors import InputError, IntegrityError

CASE_INCLUDE = ("evidence", "labels")
MANIFEST_NAME = "manifest.json"
CUSTODY_NAME = "custody.jsonl"
ARCHIVE_DIR = "manifests"


@dataclass
class SealResult:
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
    case_dir: Path
    manifest_path: Path
    manifest: Manifest | None = None
    report: VerifyReport | None = None
    custody: CustodyReport | None = None
    custody_records_manifest: bool = False
    errors: list[str] = field(default_factory=list)

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


def _records(log: CustodyLog, merkle_root: str) -> bool:
    return any(event["action"] == "hashed" and any(item.get("merkle_root") == merkle_root for item in event["objects"])
               for event in log.events())


def _manifest_object(manifest: Manifest, **extra) -> dict:
    item = {"manifest": MANIFEST_NAME, "merkle_root": manifest.merkle_root, "seal_sha256": manifest.seal["sha256"],
            "seal_sm3": manifest.seal.get("sm3"), "files": manifest.totals["files"],
            "bytes": manifest.totals["bytes"]}
    item.update({key: value for key, value in extra.items() if value is not None})
    return item


def _archive(case: Path, manifest_path: Path, label: str) -> Path:
    folder = case / ARCHIVE_DIR
    folder.mkdir(exist_ok=True)
    target = folder / f"manifest-{label}.json"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"manifest-{label}-{number}.json"
    write_bytes_atomic(target, manifest_path.read_bytes())
    return target


def seal_case(case_dir: str | os.PathLike, actor: str = "casebook", *, algorithms=DEFAULT_ALGORITHMS,
              reseal: bool = False, tsa_url: str | None = None, workers: int | None = None,
              progress: Progress | None = None) -> SealResult:
    """Hash and seal one case folder (see the module docstring for what happens on a re-run)."""
    case = _case_folder(case_dir)
    manifest_path, custody_path = case / MANIFEST_NAME, case / CUSTODY_NAME
    log = CustodyLog(custody_path)
    previous_root, archived, report = None, None, None
    if manifest_path.exists():
        try:
            old = load_manifest(manifest_path)
        except IntegrityError as err:
            if not reseal:
                raise
            archived = _archive(case, manifest_path, "refused")
            old = None
            previous_note = f"previous manifest refused ({err.message}); kept as {archived.name}"
        if old is not None:
            report = verify_manifest(old, case, workers=workers, progress=progress)
            if _unchanged(report, old):
                event = None
                if not _records(log, old.merkle_root):
                    event = log.append(actor, "hashed", [_manifest_object(old)],
                                       note="recorded for the existing manifest (the earlier run did not record it)")
                return SealResult(case, manifest_path, custody_path, old, created=False, event=event, report=report)
            if not reseal:
                counts = ", ".join(f"{v} {k}" for k, v in report.counts().items()
                                   if v and k in {"modified", "missing", "added", "moved", "unverifiable"})
                raise IntegrityError(
                    f"the evidence changed since it was sealed ({counts}); the manifest was not replaced",
                    path=manifest_path,
                    hint="See what changed with 'casebook evidence verify'. If the change is deliberate "
                    "(new evidence added), seal again with --reseal: the old manifest is kept in manifests/.",
                )
            previous_root = old.merkle_root
            archived = _archive(case, manifest_path, old.created_utc.replace(":", "").replace("-", ""))
            previous_note = f"resealed after a deliberate change; previous manifest kept as {archived.name}"
    manifest = build_manifest(case, case_id=case.name, algorithms=algorithms, include=CASE_INCLUDE,
                              workers=workers, progress=progress)
    write_manifest(manifest, manifest_path)
    stamp = None
    if tsa_url:
        from evidence.timestamp import timestamp_manifest

        stamp = timestamp_manifest(manifest, tsa_url).to_dict()
    note = previous_note if archived is not None else "first seal of this case's evidence"
    event = log.append(actor, "hashed", [_manifest_object(manifest, previous_merkle_root=previous_root,
                                                         timestamp_utc=stamp["gen_time_utc"] if stamp else None)],
                       note=note)
    return SealResult(case, manifest_path, custody_path, manifest, created=True, event=event, report=report,
                      archived=archived, timestamp=stamp)


def check_case(case_dir: str | os.PathLike, *, workers: int | None = None) -> CaseIntegrity:
    """Verify a case's manifest against its folder and its custody log, without writing anything."""
    case = _case_folder(case_dir)
    result = CaseIntegrity(case_dir=case, manifest_path=case / MANIFEST_NAME)
    log = CustodyLog(case / CUSTODY_NAME)
    result.custody = log.verify()
    if not result.custody.ok:
        result.errors.append(f"custody log: {result.custody.reason}")
    if not result.manifest_path.exists():
        result.errors.append("the case has not been sealed yet (no manifest.json)")
        return result
    try:
        result.manifest = load_manifest(result.manifest_path)
    except IntegrityError as err:
        result.errors.append(str(err.message))
        return result
    result.report = verify_manifest(result.manifest, case, workers=workers)
    if result.custody.ok:
        result.custody_records_manifest = _records(log, result.manifest.merkle_root)
        if not result.custody_records_manifest:
            result.errors.append("the custody log has no 'hashed' event for this manifest's Merkle root")
    return result
