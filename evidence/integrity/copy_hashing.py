"""Hash-on-copy: bring a seized tree into evidence, proving the copy equals what was read.

Each regular file of the source is read once; every digest (SHA-256 and SM3 by default) is
computed on the very bytes read, which are written to a temporary name in the destination,
given the source's modification time, flushed to disk (``fsync``), dropped from the page cache
where the platform allows (``posix_fadvise``) and read back: a small file is compared byte for
byte with what was read, a large one by its first digest.  Only a file that reads back equal is
renamed to its final name and written to the journal.  So a file under its final name has been
verified; an interrupted run (even ``kill -9``) leaves at most ``*.casebook-part`` files, which
the next run removes, and a rerun copies again only what the journal does not vouch for.

The source is walked with the rules of :mod:`evidence.integrity.walk` (opened read-only, no link
followed, no atime touched, FIFOs and devices skipped); links are recreated as links.  The
source's listing is taken before and after the copy and compared, and a file that changes while
it is read is recorded with a problem and not kept.  An unreadable file is recorded and the rest
goes on; a full destination stops the run cleanly (nothing half-written kept), to be resumed.

shutil.copyfile and friends copy without hashing (a second read), cannot check the source held
still, and leave a half-written file under its final name when interrupted: hence this module.
"""

from __future__ import annotations

import base64
import errno
import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from evidence.integrity.hashing import (
    CHUNK_SIZE,
    PIPELINE_MIN_SIZE,
    DigestFeed,
    new_hashers,
    require_algorithms,
)
from evidence.integrity.manifest_model import Entry, display_name
from evidence.integrity.tree_hashing import _changed, _differs, check_root
from evidence.integrity.walk import (
    KIND_DIRECTORY,
    KIND_FILE,
    KIND_SYMLINK,
    Found,
    describe_os_error,
    kind_of,
    open_root,
    walk,
)

__all__ = ["COMPARE_MAX", "JOURNAL_NAME", "PART_SUFFIX", "CopiedItem", "CopyResult", "compare_listings", "copy_file",
           "copy_tree", "list_tree"]

PART_SUFFIX = b".casebook-part"
JOURNAL_NAME = "copy-journal.jsonl"
# Up to this size the bytes read are kept and compared with the read-back; above, the first digest is.
COMPARE_MAX = 8 << 20
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)

# progress(bytes just copied)
CopyProgress = Callable[[int], None]


@dataclass
class CopiedItem:
    """One item of the source and what became of it; ``rel`` is the raw relative path."""

    rel: bytes
    kind: str
    size: int | None = None
    mtime_ns: int | None = None
    digests: dict[str, str] = field(default_factory=dict)
    target: bytes | None = None
    problem: str | None = None
    resumed: bool = False

    @property
    def path(self) -> str:
        return display_name(self.rel)

    @property
    def copied(self) -> bool:
        """In the copy and verified (a file) or recreated (a link)."""
        return self.problem is None and self.kind in (KIND_FILE, KIND_SYMLINK)

    def entry(self, prefix: bytes = b"") -> Entry:
        """The manifest entry of the copy (the copy keeps the source's name, size, time and digests)."""
        return Entry(prefix + self.rel, self.kind, self.size, self.mtime_ns, dict(self.digests), self.target)

    def to_dict(self) -> dict:
        out = {"path": self.path, "type": self.kind, "size": self.size, "mtime_ns": self.mtime_ns,
               "digests": dict(self.digests), "problem": self.problem, "resumed": self.resumed}
        if self.target is not None:
            out["target"] = display_name(self.target)
        return out


@dataclass
class CopyResult:
    """What a copy did: every item, the source's listings and their differences, and why it stopped."""

    items: list[CopiedItem]
    before: dict[bytes, tuple]
    after: dict[bytes, tuple]
    changes: list[dict]
    destination_full: str | None = None
    bytes_copied: int = 0

    @property
    def complete(self) -> bool:
        return self.destination_full is None

    @property
    def copied(self) -> list[CopiedItem]:
        return [item for item in self.items if item.copied]

    @property
    def problems(self) -> list[CopiedItem]:
        return [item for item in self.items if item.problem]


def _listing_row(found: Found) -> tuple:
    st = found.st
    if st is None:
        return (found.kind, None, None, None, found.problem)
    size = st.st_size if found.kind == KIND_FILE else None
    return (found.kind, size, st.st_mtime_ns, st.st_ino, found.problem)


def list_tree(root: str | os.PathLike) -> dict[bytes, tuple]:
    """``{raw path: (kind, size, mtime_ns, inode, problem)}`` for everything under ``root`` (nothing opened)."""
    out: dict[bytes, tuple] = {}
    for found in walk(str(check_root(root))):
        out[found.rel] = _listing_row(found)
        found.release()
    return out


def compare_listings(before: dict[bytes, tuple], after: dict[bytes, tuple]) -> list[dict]:
    """Each path added, removed or changed (kind, size, time or inode) between two listings."""
    changes = []
    for rel in sorted(set(before) | set(after)):
        then, now = before.get(rel), after.get(rel)
        if then == now:
            continue
        change = "added" if then is None else "removed" if now is None else "changed"
        changes.append({"path": display_name(rel), "change": change,
                        "before": None if then is None else {"type": then[0], "size": then[1], "mtime_ns": then[2]},
                        "after": None if now is None else {"type": now[0], "size": now[1], "mtime_ns": now[2]}})
    return changes


class _DestinationFull(Exception):
    pass


class _Journal:
    """The verified files of a copy, one JSON line each; a torn last line (a killed run) is ignored."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: dict[bytes, dict] = {}
        if path.is_file():
            for line in path.read_bytes().split(b"\n"):
                try:
                    record = json.loads(line)
                    self.done[base64.b64decode(record["rel"])] = record
                except (ValueError, KeyError, TypeError):
                    continue
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | _O_CLOEXEC | _O_BINARY, 0o644)
        self._lock = threading.Lock()

    def add(self, item: CopiedItem, inode: int) -> None:
        record = {"rel": base64.b64encode(item.rel).decode("ascii"), "size": item.size, "mtime_ns": item.mtime_ns,
                  "ino": inode, "digests": item.digests}
        line = json.dumps(record, sort_keys=True, separators=(",", ":")).encode("ascii") + b"\n"
        with self._lock:
            os.write(self._fd, line)  # one O_APPEND write: whole or (killed mid-way) torn and ignored

    def close(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _drop_cache(fd: int) -> None:
    """Make the read-back come from the disk, not from memory (best effort; Linux and BSDs only)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        try:
            advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        except OSError:
            pass


def _read_back(path: bytes, kept: list[bytes] | None, algorithm: str, expected: str) -> str | None:
    """Read the written file again; None if it equals what was read, else what differs."""
    fd = os.open(path, os.O_RDONLY | _O_CLOEXEC | _O_BINARY)
    try:
        _drop_cache(fd)
        if kept is not None:
            for chunk in kept:
                again = b""
                while len(again) < len(chunk):
                    more = os.read(fd, len(chunk) - len(again))
                    if not more:
                        return "the copy reads back shorter than the source"
                    again += more
                if again != chunk:
                    return "the copy reads back different from the bytes read"
            return "the copy reads back longer than the source" if os.read(fd, 1) else None
        hasher = new_hashers([algorithm])[algorithm]
        while chunk := os.read(fd, CHUNK_SIZE):
            hasher.update(chunk)
        return None if hasher.hexdigest() == expected else f"the copy's {algorithm} differs from the source's"
    finally:
        os.close(fd)


def _remove(path: bytes) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _copy_file(found: Found, dest: bytes, algorithms: Sequence[str], progress: CopyProgress | None) -> CopiedItem:
    """Copy one listed file with hash-on-copy and read-back; raise _DestinationFull when the disk is."""
    listed = found.st
    item = CopiedItem(found.rel, KIND_FILE, listed.st_size, listed.st_mtime_ns)
    try:
        moved = _differs(listed, found.lstat_again())
        if moved:
            item.problem = f"{moved} before it was read"
            return item
        src = found.open_file()
    except FileNotFoundError:
        item.problem = "vanished before it was read (deleted or renamed after listing)"
        return item
    except OSError as err:
        item.problem = f"unreadable: {describe_os_error(err)}"
        return item
    part = dest + PART_SUFFIX
    try:
        before = os.fstat(src)
        try:
            out = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY, 0o644)
        except OSError as err:
            if err.errno in _FULL:
                raise _DestinationFull(describe_os_error(err)) from err
            item.problem = f"could not be written to the destination: {describe_os_error(err)}"
            return item
        kept: list[bytes] | None = [] if before.st_size <= COMPARE_MAX else None
        nbytes = 0
        try:
            with DigestFeed(algorithms, parallel=before.st_size >= PIPELINE_MIN_SIZE) as feed:
                while True:
                    try:
                        chunk = os.read(src, CHUNK_SIZE)
                    except OSError as err:
                        item.problem = f"read error: {describe_os_error(err)}"
                        break
                    if not chunk:
                        break
                    nbytes += len(chunk)
                    feed.update(chunk)
                    _write_all(out, chunk)
                    if kept is not None:
                        kept.append(chunk)
                    if progress is not None:
                        progress(len(chunk))
            after = os.fstat(src)
            if item.problem is None:
                item.problem = _changed(before, after, nbytes)
            if item.problem is None:
                # the copy keeps the source's times (Windows cannot set them through a descriptor)
                os.utime(out if os.utime in os.supports_fd else part, ns=(before.st_atime_ns, before.st_mtime_ns))
                os.fsync(out)
        except OSError as err:
            os.close(out)
            _remove(part)
            if err.errno in _FULL:
                raise _DestinationFull(describe_os_error(err)) from err
            item.problem = f"could not be written to the destination: {describe_os_error(err)}"
            return item
        os.close(out)
    finally:
        os.close(src)
    if item.problem is None:
        try:
            moved = _differs(after, found.lstat_again())
        except OSError:
            moved = "deleted or renamed"
        if moved:
            item.problem = f"{moved} while it was being copied"
    if item.problem is not None:
        if "changed" in item.problem:
            item.problem = item.problem.replace("being hashed", "being copied")
        _remove(part)
        return item
    digests = feed.hexdigests()
    try:
        differs = _read_back(part, kept, algorithms[0], digests[algorithms[0]])
    except OSError as err:
        differs = f"the copy cannot be read back: {describe_os_error(err)}"
    if differs:
        _remove(part)
        item.problem = differs
        return item
    os.replace(part, dest)
    item.size, item.mtime_ns, item.digests = before.st_size, before.st_mtime_ns, digests
    return item


def _sweep_parts(dest: bytes, journal: _Journal) -> None:
    """Remove the temporary files of an interrupted run (never a file the journal vouches for)."""
    for folder, _dirs, names in os.walk(dest):
        for name in names:
            if name.endswith(PART_SUFFIX):
                path = os.path.join(folder, name)
                if os.path.relpath(path, dest).replace(os.sep.encode(), b"/") not in journal.done:
                    _remove(path)


def _resumable(found: Found, dest: bytes, journal: _Journal) -> CopiedItem | None:
    """The journal's record of this file, if the source and the copy are still as it says."""
    record = journal.done.get(found.rel)
    st = found.st
    if record is None or st is None:
        return None
    if (record.get("size"), record.get("mtime_ns"), record.get("ino")) != (st.st_size, st.st_mtime_ns, st.st_ino):
        return None
    try:
        copy = os.lstat(dest)
    except OSError:
        return None
    if (copy.st_size, copy.st_mtime_ns) != (st.st_size, st.st_mtime_ns) or not os.path.isfile(dest):
        return None
    return CopiedItem(found.rel, KIND_FILE, st.st_size, st.st_mtime_ns, dict(record["digests"]), resumed=True)


def _link(found: Found, dest: bytes) -> CopiedItem:
    item = CopiedItem(found.rel, KIND_SYMLINK, len(found.target or b""), found.st.st_mtime_ns, target=found.target)
    try:
        if os.path.lexists(dest):
            if os.readlink(dest) == found.target and os.path.islink(dest):
                return item
            os.unlink(dest)
        os.symlink(found.target, dest)
        os.utime(dest, ns=(found.st.st_atime_ns, found.st.st_mtime_ns), follow_symlinks=False)
    except (OSError, NotImplementedError) as err:  # Windows without the right to create links
        item.problem = f"the link could not be recreated: {err}"
    return item


def copy_tree(src: str | os.PathLike, dest: str | os.PathLike, *, journal: str | os.PathLike,
              algorithms: Sequence[str] = ("sha256", "sm3"), workers: int = 4,
              progress: CopyProgress | None = None) -> CopyResult:
    """Copy everything under ``src`` into ``dest`` with hash-on-copy (see the module docstring).

    Parameters
    ----------
    src : the seized tree (only read).
    dest : the folder of the copy (created); a rerun with the same ``journal`` resumes.
    journal : the journal of verified files (kept outside ``dest``).
    algorithms : digests computed on the bytes read (the first one also checks large read-backs).
    workers : files copied at once.
    progress : called with the bytes of each chunk copied.

    Returns
    -------
    CopyResult
        ``destination_full`` says why the run stopped early, if it did; the items list every file
        met up to then, each copied, resumed or with its problem.
    """
    algorithms = require_algorithms(algorithms)
    top = check_root(src)
    dest_b = os.fsencode(Path(dest))
    os.makedirs(dest_b, exist_ok=True)
    log = _Journal(Path(journal))
    _sweep_parts(dest_b, log)
    before = list_tree(top)
    items: list[CopiedItem] = []
    pending: list[Future] = []
    slots = threading.BoundedSemaphore(max(2, workers * 2))
    full: list[str] = []
    lock = threading.Lock()
    copied_bytes = [0]

    def one(found: Found, target: bytes) -> CopiedItem:
        try:
            if full:
                return CopiedItem(found.rel, KIND_FILE, found.st.st_size, found.st.st_mtime_ns,
                                  problem="not copied: the destination is full")
            item = _copy_file(found, target, algorithms, progress)
            if item.copied:
                log.add(item, found.st.st_ino)
                with lock:
                    copied_bytes[0] += item.size or 0
            return item
        except _DestinationFull as err:
            full.append(str(err))
            return CopiedItem(found.rel, KIND_FILE, found.st.st_size, found.st.st_mtime_ns,
                              problem=f"not copied: the destination is full ({err})")
        finally:
            found.release()
            slots.release()

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="copy") as pool:
            for found in walk(str(top)):
                target = os.path.join(dest_b, found.rel)
                if full:
                    found.release()
                    break
                if found.kind == KIND_DIRECTORY or found.problem:
                    items.append(CopiedItem(found.rel, found.kind, problem=found.problem))
                    found.release()
                    continue
                try:
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                except OSError as err:
                    found.release()
                    if err.errno in _FULL:
                        full.append(describe_os_error(err))
                        break
                    items.append(CopiedItem(found.rel, found.kind, problem="its folder could not be made in the "
                                            f"destination: {describe_os_error(err)}"))
                    continue
                if found.kind == KIND_SYMLINK:
                    items.append(_link(found, target))
                    continue
                resumed = _resumable(found, target, log)
                if resumed is not None:
                    found.release()
                    items.append(resumed)
                    if progress is not None:
                        progress(resumed.size or 0)
                    continue
                slots.acquire()
                pending.append(pool.submit(one, found, target))
            for future in pending:
                items.append(future.result())
    finally:
        log.close()
    for folder, _dirs, _names in os.walk(dest_b):  # make the new names durable
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
    items.sort(key=lambda item: item.rel)
    after = list_tree(top)
    return CopyResult(items, before, after, compare_listings(before, after),
                      destination_full=full[0] if full else None, bytes_copied=copied_bytes[0])


def copy_file(src: str | os.PathLike, dest: str | os.PathLike, *,
              algorithms: Sequence[str] = ("sha256", "sm3")) -> CopiedItem:
    """Copy one regular file with hash-on-copy and read-back (a photo from a phone, say).

    ``dest`` must not exist yet; on any problem nothing is left at ``dest`` and the item says why.
    A link given as ``src`` is refused (recorded as a problem), not followed.
    """
    algorithms = require_algorithms(algorithms)
    source = Path(src)
    parent = open_root(str(source.parent.resolve()))
    try:
        try:
            st = parent.lstat(source.name)
        except OSError as err:
            return CopiedItem(os.fsencode(source.name), KIND_FILE, problem=f"unreadable: {describe_os_error(err)}")
        kind = kind_of(st.st_mode)
        if kind != KIND_FILE:
            return CopiedItem(os.fsencode(source.name), kind, problem=f"not a regular file (a {kind}); not copied")
        found = Found(os.fsencode(source.name), KIND_FILE, st, parent=parent.acquire(), name=source.name)
        try:
            return _copy_file(found, os.fsencode(Path(dest)), algorithms, None)
        except _DestinationFull as err:
            return CopiedItem(found.rel, KIND_FILE, st.st_size, problem=f"not copied: the destination is full ({err})")
        finally:
            found.release()
    finally:
        parent.close()
