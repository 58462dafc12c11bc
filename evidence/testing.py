"""Public assertions on evidence objects, for other packages' tests (like ``geopandas.testing``)."""

from __future__ import annotations

import os
from pathlib import Path

from evidence.integrity.custody import CustodyLog
from evidence.integrity.manifest import Manifest, load_manifest, verify_manifest
from evidence.integrity.verify import VerifyReport

__all__ = ["assert_custody_ok", "assert_manifest_refused", "assert_manifest_verifies", "assert_tree_untouched",
           "snapshot_tree"]


def _manifest(manifest: Manifest | str | os.PathLike) -> Manifest:
    return manifest if isinstance(manifest, Manifest) else load_manifest(manifest)


def assert_manifest_verifies(manifest: Manifest | str | os.PathLike, root: str | os.PathLike | None = None,
                             *, allow_metadata_changes: bool = True,
                             custody: str | os.PathLike | None = "auto") -> VerifyReport:
    """Assert that the manifest loads (seal intact), every item of the tree matches it, and (unless
    ``custody`` is None) it is the manifest its custody log sealed last.

    Parameters
    ----------
    manifest : a loaded manifest or its path.
    root : the tree (default: the manifest's case folder or recorded root).
    allow_metadata_changes : accept items whose modification time alone changed.
    custody : the custody log, ``"auto"`` (beside the manifest) or None (content only).

    Returns
    -------
    VerifyReport

    Raises
    ------
    AssertionError
        Naming each item that does not match, and the seal's status when it is not confirmed.
    """
    sealed = _manifest(manifest)
    report = verify_manifest(sealed, root, custody=custody)
    if not report.ok or (not allow_metadata_changes and report.metadata_changed):
        bad = {name: [item["path"] for item in items]
               for name, items in report.to_dict().items()
               if name in {"modified", "missing", "added", "moved", "unverifiable", "metadata_changed"} and items}
        if report.seal is not None and not report.seal["ok"]:
            bad["seal"] = f"{report.seal['status']}: {report.seal['reason']}"
        raise AssertionError(f"manifest {sealed.path} does not verify against {report.root}: {bad}")
    return report


def assert_manifest_refused(path: str | os.PathLike) -> None:
    """Loading the manifest at ``path`` is refused as edited or damaged."""
    from safeio.errors import IntegrityError

    try:
        load_manifest(path)
    except IntegrityError:
        return
    raise AssertionError(f"manifest {path} loaded although it should be refused")


def assert_custody_ok(log: CustodyLog | str | os.PathLike, *, min_events: int = 1,
                      action: str | None = None) -> None:
    """The custody log's chain verifies, holds at least ``min_events``, and (optionally) an ``action``."""
    log = log if isinstance(log, CustodyLog) else CustodyLog(log)
    report = log.verify()
    if not report.ok:
        raise AssertionError(f"custody log {log.path} does not verify: {report.reason}")
    if report.n_events < min_events:
        raise AssertionError(f"custody log {log.path} holds {report.n_events} events, expected >= {min_events}")
    if action is not None and not any(event["action"] == action for event in log.events()):
        raise AssertionError(f"custody log {log.path} has no '{action}' event")


def snapshot_tree(root: str | os.PathLike) -> dict[bytes, tuple]:
    """Every path under ``root`` (raw bytes) with type, size, mtime, atime, mode and content digest.

    Links are not followed; files and folders are read with O_NOATIME so that taking the snapshot
    does not itself move the atimes it records.
    """
    import hashlib
    import stat

    noatime = getattr(os, "O_NOATIME", 0)
    out: dict[bytes, tuple] = {}

    def visit(fd: int, prefix: bytes) -> None:
        for name in sorted(os.fsencode(n) for n in os.listdir(fd)):
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            digest = None
            if stat.S_ISREG(st.st_mode):
                try:
                    child = os.open(name, os.O_RDONLY | noatime, dir_fd=fd)
                except PermissionError:
                    child = None
                if child is not None:
                    try:
                        hasher = hashlib.sha256()
                        while chunk := os.read(child, 1 << 20):
                            hasher.update(chunk)
                        digest = hasher.hexdigest()
                    finally:
                        os.close(child)
            elif stat.S_ISLNK(st.st_mode):
                digest = os.readlink(name, dir_fd=fd)
            # a link's atime moves when its target is read, which no API avoids: left out
            atime = None if stat.S_ISLNK(st.st_mode) else st.st_atime_ns
            out[prefix + name] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns, atime, st.st_mode, digest)
            if stat.S_ISDIR(st.st_mode):
                try:
                    child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | noatime, dir_fd=fd)
                except PermissionError:
                    continue
                try:
                    visit(child, prefix + name + b"/")
                finally:
                    os.close(child)

    top = os.open(Path(root), os.O_RDONLY | os.O_DIRECTORY | noatime)
    try:
        visit(top, b"")
    finally:
        os.close(top)
    return out


def assert_tree_untouched(before: dict[bytes, tuple], root: str | os.PathLike) -> None:
    """Nothing under ``root`` was added, removed, written, renamed or even read-touched (atime)."""
    after = snapshot_tree(root)
    if after != before:
        added = sorted(set(after) - set(before))
        removed = sorted(set(before) - set(after))
        changed = sorted(k for k in set(after) & set(before) if after[k] != before[k])
        raise AssertionError(f"evidence tree {root} changed: added {added}, removed {removed}, changed {changed}")
