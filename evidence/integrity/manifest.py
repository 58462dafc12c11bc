"""Sealed manifests: build, write atomically, load (refusing edited ones), verify, list.

A manifest records the case, the tool, the UTC time, the root and, per item, its relative path
(raw bytes kept in base64 when not UTF-8), size, mtime, digests with their algorithm names, type
and any problem.  It is sealed by its own digests and a Merkle root over its entries (see
:mod:`evidence.integrity.manifest_model`); a custody event records that root.

``verify_manifest`` and ``evidence_list`` live in :mod:`evidence.integrity.verify` and
:mod:`evidence.integrity.electronic_data_list` and are re-exported here, where callers expect them.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable, Sequence
from pathlib import Path

from evidence.integrity.electronic_data_list import evidence_list
from evidence.integrity.hashing import DEFAULT_ALGORITHMS, openssl_version, require_algorithms
from evidence.integrity.manifest_model import (
    FORMAT,
    Entry,
    Manifest,
    entries_merkle_root,
    parse_manifest_bytes,
    seal_document,
    utc_iso,
)
from evidence.integrity.tree_hashing import Progress, check_root, scan_tree
from evidence.integrity.verify import VerifyReport, verify_manifest
from safeio.atomic import write_bytes_atomic
from safeio.errors import InputError
from safeio.limits import read_capped

__all__ = [
    "MAX_MANIFEST_BYTES",
    "Entry",
    "Manifest",
    "VerifyReport",
    "build_manifest",
    "evidence_list",
    "load_manifest",
    "seal_entries",
    "verify_manifest",
    "write_manifest",
]

# About a million entries: a larger tree is sealed in parts (one manifest per disk or folder).
MAX_MANIFEST_BYTES = 1 << 30


def tool_info() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool_version = version("casebook")
    except PackageNotFoundError:  # an uninstalled checkout still records something true
        tool_version = "unknown (not installed)"
    return {
        "name": "casebook",
        "version": tool_version,
        "python": platform.python_version(),
        "openssl": openssl_version(),
    }


def build_manifest(
    root: str | os.PathLike,
    *,
    case_id: str | None = None,
    algorithms: Sequence[str] = DEFAULT_ALGORITHMS,
    include: Iterable[str] | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Manifest:
    """Hash every item under ``root`` (only the top-level names in ``include``, if given) and seal it.

    Nothing under ``root`` is written or opened for writing; files are read without following links.
    """
    algorithms = require_algorithms(algorithms)
    top = check_root(root)
    include_list = None if include is None else sorted(str(name) for name in include)
    if include_list is not None:
        for name in include_list:
            if not name or "/" in name or "\\" in name or name in {".", ".."}:
                raise InputError(f"'{name}' is not a folder name inside the root", field="include")
    started = utc_iso()
    entries = scan_tree(top, include=include_list, algorithms=algorithms, workers=workers, progress=progress)
    return seal_entries(top, entries, case_id=case_id, algorithms=algorithms, include=include_list,
                        created_utc=started)


def seal_entries(root: str | os.PathLike, entries: list[Entry], *, case_id: str | None = None,
                 algorithms: Sequence[str] = DEFAULT_ALGORITHMS, include: list[str] | None = None,
                 created_utc: str | None = None) -> Manifest:
    """Seal entries already hashed (by :func:`build_manifest`, or while copying them) into a manifest.

    ``entries`` must describe ``root`` as a walk would (a copy hashed on the way in need not be read
    a third time to be sealed); they are sorted by raw path here.
    """
    entries = sorted(entries, key=lambda entry: entry.raw)
    files = [entry for entry in entries if entry.has_content]
    body = {
        "format": FORMAT,
        "case_id": case_id,
        "tool": tool_info(),
        "created_utc": created_utc or utc_iso(),
        "finished_utc": utc_iso(),
        "root": str(Path(root)),
        "include": include,
        "algorithms": list(algorithms),
        "totals": {
            "entries": len(entries),
            "files": len(files),
            "bytes": sum(entry.size or 0 for entry in files),
            "symlinks": sum(entry.type == "symlink" for entry in entries),
            "skipped": sum(entry.type not in {"file", "symlink"} for entry in entries),
            "problems": sum(entry.failed for entry in entries),
        },
        "entries": [entry.to_dict() for entry in entries],
        "merkle": {"algorithm": "sha256", "scheme": "RFC 6962", "root": entries_merkle_root(entries),
                   "leaves": len(entries)},
    }
    return Manifest(document=seal_document(body), entries=entries)


def write_manifest(manifest: Manifest, path: str | os.PathLike) -> Path:
    """Write the manifest atomically; a crash leaves the previous file or none, never half of one."""
    target = Path(path)
    if not target.parent.is_dir():
        raise InputError("the folder for the manifest does not exist", path=target.parent,
                         hint="Create the folder first or choose another --out path.")
    write_bytes_atomic(target, manifest.to_bytes())
    manifest.path = target
    return target


def load_manifest(path: str | os.PathLike) -> Manifest:
    """Read a manifest, refusing one that is edited, truncated, oversized or reached through a link.

    Parameters
    ----------
    path : the manifest file (``manifest.json`` of a case folder, or any ``--out`` file).

    Returns
    -------
    Manifest

    Raises
    ------
    IntegrityError
        The manifest was edited or damaged after sealing (the message says how).
    InputError
        Missing, a folder or pipe, larger than :data:`MAX_MANIFEST_BYTES`, or nested deeper than
        any manifest is (hostile input).
    UnsafePathError
        The path is a symbolic link.
    """
    source = Path(path)
    data = read_capped(source, MAX_MANIFEST_BYTES, what="manifest",
                       hint="A manifest this large was not written by casebook; check the path.")
    return parse_manifest_bytes(data, source)
