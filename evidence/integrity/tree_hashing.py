"""Walk a tree and hash every regular file on a thread pool: the shared engine of hash and verify.

One walker (the calling thread) lists files in order; a pool of workers hashes them.  A bounded
number of files waits at once, so descriptors and memory stay flat on a tree of any size.

Each file is looked up by name just before it is opened and again just after it is read, and
its open descriptor is checked before and after the read: it must still be there, be the same
inode, and keep the size and modification time it was listed with.  A file that vanishes while
queued, is replaced, changes, grows, shrinks or is deleted while read is recorded with a problem
and no digest: it is reported, never sealed as present.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from evidence.integrity.hashing import hash_fd, require_algorithms
from evidence.integrity.manifest_model import Entry, printable
from evidence.integrity.walk import KIND_FILE, Found, describe_os_error, kind_of, walk
from safeio.errors import InputError

__all__ = ["DigestMemo", "Progress", "check_root", "default_workers", "describe", "scan_tree"]

BATCH_FILES = 16
BATCH_BYTES = 2 << 20
# progress(relative path display, bytes read so far in that file)
Progress = Callable[[str, int], None]


class DigestMemo:
    """Digests of the files hashed in one pass over overlapping trees (a dossier checks the case and
    each web capture inside it), so that a file is read once.

    A file is known by device, inode, size and modification time and the algorithms asked for; a
    file that changed since has another key and is hashed again. Keep one memo for one moment
    (one render), never across runs.
    """

    def __init__(self) -> None:
        self._digests: dict[tuple, dict[str, str]] = {}
        self._lock = threading.Lock()
        self.hashed = 0  # files read
        self.reused = 0  # files answered from the memo

    @staticmethod
    def _key(st: os.stat_result, algorithms: Sequence[str]) -> tuple:
        return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, tuple(algorithms)

    def get(self, st: os.stat_result, algorithms: Sequence[str]) -> dict[str, str] | None:
        with self._lock:
            found = self._digests.get(self._key(st, algorithms))
            self.reused += found is not None
            return found

    def put(self, st: os.stat_result, algorithms: Sequence[str], digests: dict[str, str]) -> None:
        with self._lock:
            self._digests[self._key(st, algorithms)] = digests
            self.hashed += 1


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def check_root(root: str | os.PathLike) -> Path:
    """A root that is missing, or a file rather than a folder, is unusable input (exit 2).

    The root itself may be reached through a link (a mounted disk); nothing inside it is followed.
    """
    path = Path(root)
    if not path.exists():
        raise InputError("this folder does not exist", path=path,
                         hint="Check the path; give the folder that holds the seized files.")
    if not path.is_dir():
        raise InputError("this is a file, not a folder", path=path,
                         hint="Give the folder that holds the evidence, not a single file inside it.")
    return path.resolve()


def scan_tree(
    root: str | os.PathLike,
    *,
    include: Iterable[str] | None = None,
    algorithms: Sequence[str] = ("sha256", "sm3"),
    workers: int | None = None,
    progress: Progress | None = None,
    memo: DigestMemo | None = None,
) -> list[Entry]:
    """Every item under ``root`` as an :class:`Entry`, sorted by raw path (``memo``: files read once)."""
    algorithms = require_algorithms(algorithms)
    top = check_root(root)
    workers = workers or default_workers()
    entries: list[Entry] = []
    pending: list[Future] = []
    # Small files travel in batches: one pool task per file would cost more than hashing it.
    # At most (slots x batch) files are open at once: 256 descriptors whatever the core count.
    slots = threading.BoundedSemaphore(max(2, min(workers * 2, 16)))
    batch: list[Found] = []
    batch_bytes = 0

    def submit(items: list[Found]) -> None:
        slots.acquire()
        future = pool.submit(_hash_batch, items, algorithms, progress, memo)
        future.add_done_callback(lambda _f: slots.release())
        pending.append(future)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hash") as pool:
        for found in walk(str(top), include):
            if found.kind != KIND_FILE:
                entries.append(_entry_without_content(found))
                continue
            size = found.st.st_size if found.st is not None else 0
            if size >= BATCH_BYTES:
                submit([found])
                continue
            batch.append(found)
            batch_bytes += size
            if len(batch) >= BATCH_FILES or batch_bytes >= BATCH_BYTES:
                submit(batch)
                batch, batch_bytes = [], 0
        if batch:
            submit(batch)
        for future in pending:
            entries.extend(future.result())
    entries.sort(key=lambda entry: entry.raw)
    return entries


def _entry_from_stat(found: Found, problem: str | None = None) -> Entry:
    st = found.st
    return Entry(
        raw=found.rel,
        type=found.kind,
        size=st.st_size if st is not None and found.kind == KIND_FILE else None,
        mtime_ns=st.st_mtime_ns if st is not None else None,
        problem=problem,
    )


def _entry_without_content(found: Found) -> Entry:
    st = found.st
    return Entry(
        raw=found.rel,
        type=found.kind,
        size=len(found.target) if found.target is not None else None,
        mtime_ns=st.st_mtime_ns if st is not None else None,
        target=found.target,
        problem=found.problem,
    )


def _hash_batch(items: list[Found], algorithms: Sequence[str], progress: Progress | None,
                memo: DigestMemo | None = None) -> list[Entry]:
    out = []
    try:
        for found in items:
            out.append(_hash_listed_file(found, algorithms, progress, memo))
    finally:
        for found in items:
            found.release()
    return out


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _differs(then: os.stat_result, now: os.stat_result) -> str | None:
    """How a file's status moved between two looks, or None if it held still."""
    if not _same_file(then, now):
        return "replaced (another file now has its name)"
    if not stat.S_ISREG(now.st_mode):
        return f"changed type (now a {kind_of(now.st_mode)})"
    if now.st_size != then.st_size:
        return f"changed (size {then.st_size}, then {now.st_size})"
    if now.st_mtime_ns != then.st_mtime_ns:
        return "changed (modification time moved)"
    return None


def _hash_listed_file(found: Found, algorithms: Sequence[str], progress: Progress | None,
                      memo: DigestMemo | None = None) -> Entry:
    """Hash one listed file, checking by name and by descriptor, before and after, that it held still."""
    listed = found.st
    try:
        named = found.lstat_again()
    except FileNotFoundError:
        return _entry_from_stat(found, problem="vanished before it was read (deleted or renamed after listing)")
    except OSError as err:
        return _entry_from_stat(found, problem=f"unreadable: {describe_os_error(err)}")
    moved = _differs(listed, named) if listed is not None else None
    if moved:
        return _entry_from_stat(found, problem=f"{moved} before it was read")
    known = memo.get(named, algorithms) if memo is not None else None
    if known is not None:
        return Entry(found.rel, KIND_FILE, named.st_size, named.st_mtime_ns, digests=known)
    try:
        fd = found.open_file()
    except OSError as err:
        return _entry_from_stat(found, problem=f"unreadable: {describe_os_error(err)}")
    label = found.rel.decode("utf-8", "backslashreplace")
    try:
        before = os.fstat(fd)
        moved = _differs(named, before)
        if moved or before.st_nlink == 0:
            return _entry_from_stat(found, problem=f"{moved or 'deleted'} as it was opened")
        report = None if progress is None else (lambda n: progress(label, n))
        try:
            digests, nbytes = hash_fd(fd, algorithms, size_hint=before.st_size, progress=report)
        except OSError as err:
            return Entry(found.rel, KIND_FILE, before.st_size, before.st_mtime_ns,
                         problem=f"read error: {describe_os_error(err)}")
        after = os.fstat(fd)
    finally:
        os.close(fd)
    problem = _changed(before, after, nbytes)
    if problem is None:
        try:
            moved = _differs(after, found.lstat_again())
        except OSError:
            moved = "deleted or renamed"
        if moved:
            problem = f"{moved} while it was being hashed"
    if problem:
        return Entry(found.rel, KIND_FILE, after.st_size, after.st_mtime_ns, problem=problem)
    if memo is not None:
        memo.put(before, algorithms, digests)
    return Entry(found.rel, KIND_FILE, before.st_size, before.st_mtime_ns, digests=digests)


def _changed(before: os.stat_result, after: os.stat_result, nbytes: int) -> str | None:
    if after.st_nlink == 0:
        return "deleted while it was being hashed"
    if nbytes != before.st_size or after.st_size != before.st_size:
        return (f"changed while it was being hashed (size {before.st_size} at open, {nbytes} bytes read, "
                f"{after.st_size} after)")
    if after.st_mtime_ns != before.st_mtime_ns:
        return "changed while it was being hashed (modification time moved)"
    return None


def describe(entry: Entry) -> str:
    """One readable line about an entry's problem, for CLI output and error lists."""
    return f"{printable(entry.path)}: {entry.problem}"
