"""Re-hash a tree and compare it with its sealed manifest.

Every item lands in exactly one list:

- ``matched``: same path, same content, same mtime;
- ``metadata_changed``: same path and content, only the mtime differs (a copy that lost times);
- ``modified``: same path, other content (or another type, or a link pointing elsewhere);
- ``missing`` / ``added``: only in the manifest / only in the tree;
- ``moved``: the same content under another path (a missing and an added item paired up);
- ``skipped``: FIFOs, sockets and devices, which have no content (still there with the same type);
- ``unverifiable``: files whose content could not be compared (unreadable now, changing while
  read, or never hashed when the manifest was made).

``ok`` means all content matches: no modified, missing, added, moved or unverifiable item,
and the manifest is the one its custody log sealed (``seal``, see :mod:`evidence.integrity.seals`): a
manifest written over the sealed one agrees with the tree it was made from, but not with the log.
Metadata-only changes do not spoil ``ok``; they are reported separately.
"""

from __future__ import annotations

import base64
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evidence.integrity.manifest_model import Entry, Manifest, is_utf8, ns_to_utc_iso, utc_iso
from evidence.integrity.seals import CUSTODY_NAME, check_seal
from evidence.integrity.tree_hashing import DigestMemo, Progress, check_root, scan_tree
from safeio.errors import InputError

__all__ = ["LISTS", "VerifyReport", "default_custody", "default_root", "verify_manifest"]

AUTO = "auto"
LISTS = ("matched", "modified", "missing", "added", "moved", "metadata_changed", "skipped", "unverifiable")


@dataclass
class VerifyReport:
    manifest: str | None
    root: str
    algorithms: list[str]
    checked_utc: str
    matched: list[dict] = field(default_factory=list)
    modified: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    metadata_changed: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    unverifiable: list[dict] = field(default_factory=list)
    seal: dict | None = None

    @property
    def content_ok(self) -> bool:
        """Every item matches the manifest (whatever the custody log says of the manifest)."""
        return not (self.modified or self.missing or self.added or self.moved or self.unverifiable)

    @property
    def ok(self) -> bool:
        return self.content_ok and (self.seal is None or bool(self.seal["ok"]))

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in LISTS}

    def to_dict(self) -> dict:
        out = {"ok": self.ok, "content_ok": self.content_ok, "manifest": self.manifest, "root": self.root,
               "algorithms": self.algorithms, "checked_utc": self.checked_utc, "counts": self.counts(),
               "seal": self.seal}
        out.update({name: getattr(self, name) for name in LISTS})
        return out

    def status_by_path(self) -> dict[str, tuple[str, dict]]:
        """``{path: (list name, item)}`` for the manifest's paths (a moved item under its old path)."""
        out = {}
        for name in LISTS:
            if name == "added":
                continue
            for item in getattr(self, name):
                out[item.get("path_b64") or item["path"]] = (name, item)
        return out


def _named(entry: Entry, key: str = "path") -> dict:
    out = {key: entry.path}
    if not is_utf8(entry.raw):
        out[f"{key}_b64"] = base64.b64encode(entry.raw).decode("ascii")
    return out


def _state(entry: Entry) -> dict:
    out = {"type": entry.type, "size": entry.size, "mtime_utc": ns_to_utc_iso(entry.mtime_ns)}
    if entry.digests:
        out["digests"] = dict(entry.digests)
    if entry.target is not None:
        out["target"] = entry.target.decode("utf-8", "backslashreplace")
    if entry.problem:
        out["problem"] = entry.problem
    return out


def default_root(manifest: Manifest) -> Path:
    """A case manifest sits in its case folder: check that folder, wherever the case was copied to.

    Any other manifest is checked against the root it recorded.
    """
    if manifest.include and manifest.path is not None:
        here = manifest.path.resolve().parent
        if any((here / name).exists() for name in manifest.include):
            return here
    return Path(manifest.root)


def default_custody(manifest_path: str | os.PathLike) -> Path:
    """The custody log a manifest answers to: ``custody.jsonl`` beside it, else its case's log.

    A manifest inside a case folder (a web capture's ``evidence/web/<page>/manifest.json``) is
    sealed in the case's ``custody.jsonl``; the case folder is the nearest one holding ``case.yml``.
    """
    here = Path(manifest_path).absolute().parent
    if os.path.lexists(here / CUSTODY_NAME):
        return here / CUSTODY_NAME
    case = next((folder for folder in here.parents if (folder / "case.yml").is_file()), None)
    return case / CUSTODY_NAME if case is not None and os.path.lexists(case / CUSTODY_NAME) else here / CUSTODY_NAME


def verify_manifest(
    manifest: Manifest,
    root: str | os.PathLike | None = None,
    *,
    custody: str | os.PathLike | None = AUTO,
    workers: int | None = None,
    progress: Progress | None = None,
    memo: DigestMemo | None = None,
) -> VerifyReport:
    """Re-hash the tree with the manifest's algorithms, sort every item, and check the manifest's seal.

    Parameters
    ----------
    manifest : the loaded manifest.
    root : the tree to check; default the manifest's case folder or recorded root.
    custody : the custody log whose last seal the manifest must match; ``"auto"`` (default) is
        :func:`default_custody` for a manifest read from a file; ``None`` checks content only.
    workers, progress : hashing threads, and a callback ``(path, bytes so far)``.
    memo : digests already read in this pass (:class:`~evidence.integrity.tree_hashing.DigestMemo`),
        so trees that overlap are read once.

    Returns
    -------
    VerifyReport
        ``ok`` only if all content matches and the seal is confirmed (``report.seal``).

    Raises
    ------
    InputError
        The tree is not there, or the custody log cannot be used (too large, a link).
    """
    if root is None and not default_root(manifest).is_dir():
        raise InputError("the folder this manifest was made for is not here", path=default_root(manifest),
                         hint="Give the folder to check with --root (the copy of the seized tree).")
    top = check_root(root if root is not None else default_root(manifest))
    current = scan_tree(top, include=manifest.include, algorithms=manifest.algorithms, workers=workers,
                        progress=progress, memo=memo)
    report = VerifyReport(
        manifest=str(manifest.path) if manifest.path else None,
        root=str(top),
        algorithms=list(manifest.algorithms),
        checked_utc=utc_iso(),
    )
    now = {entry.raw: entry for entry in current}
    gone: list[Entry] = []
    for old in manifest.entries:
        new = now.pop(old.raw, None)
        if new is None and old.type == "directory":  # unreadable when hashed, readable now: its content is new
            report.unverifiable.append({**_named(old), "reason": f"was unreadable when hashed: {old.problem}"})
        elif new is None:
            gone.append(old)
        else:
            _compare(old, new, report)
    _pair_moves(gone, list(now.values()), report)
    if custody == AUTO:
        custody = default_custody(manifest.path) if manifest.path is not None else None
    if custody is not None:
        report.seal = check_seal(manifest, custody).to_dict()
    return report


def _compare(old: Entry, new: Entry, report: VerifyReport) -> None:
    if old.type == "file" and old.problem:
        report.unverifiable.append({**_named(old), "reason": f"not hashed when the manifest was made: {old.problem}"})
        return
    if old.type != new.type:
        report.modified.append({**_named(old), "change": "type", "expected": _state(old), "found": _state(new)})
        return
    if old.type == "file":
        if new.problem:
            report.unverifiable.append({**_named(old), "reason": new.problem})
        elif new.digests != old.digests or new.size != old.size:
            report.modified.append({**_named(old), "change": "content", "expected": _state(old), "found": _state(new)})
        elif new.mtime_ns != old.mtime_ns:
            report.metadata_changed.append({**_named(old), "mtime_utc_expected": ns_to_utc_iso(old.mtime_ns),
                                            "mtime_utc_found": ns_to_utc_iso(new.mtime_ns)})
        else:
            report.matched.append(_named(old))
    elif old.type == "symlink":
        if new.target != old.target:
            report.modified.append({**_named(old), "change": "link target", "expected": _state(old),
                                    "found": _state(new)})
        elif new.mtime_ns != old.mtime_ns:
            report.metadata_changed.append({**_named(old), "mtime_utc_expected": ns_to_utc_iso(old.mtime_ns),
                                            "mtime_utc_found": ns_to_utc_iso(new.mtime_ns)})
        else:
            report.matched.append(_named(old))
    elif old.type == "directory":  # a folder unreadable then and now (the walk lists folders only then)
        report.unverifiable.append({**_named(old), "reason": new.problem})
    else:
        report.skipped.append({**_named(old), "type": old.type, "reason": "no content to compare"})


def _movable(entry: Entry) -> bool:
    return entry.has_content or (entry.type == "symlink" and entry.target is not None)


def _pair_moves(gone: list[Entry], arrived: list[Entry], report: VerifyReport) -> None:
    """Pair each vanished item with an arrived one of identical content; the rest are missing/added."""
    waiting: dict[tuple, list[Entry]] = defaultdict(list)
    for entry in sorted(arrived, key=lambda e: e.raw):
        if _movable(entry):
            waiting[entry.content_key()].append(entry)
    paired: set[bytes] = set()
    for old in sorted(gone, key=lambda e: e.raw):
        candidates = waiting.get(old.content_key()) if _movable(old) else None
        if candidates:
            new = candidates.pop(0)
            paired.add(new.raw)
            report.moved.append({**_named(old), **_named(new, "to"), **_state(new)})
        else:
            report.missing.append({**_named(old), **_state(old)})
    for entry in sorted(arrived, key=lambda e: e.raw):
        if entry.raw not in paired:
            report.added.append({**_named(entry), **_state(entry)})
