"""Streaming multi-digest hashing: one read of a file feeds every digest at once.

Evidence is hashed with SHA-256 and SM3 (GB/T 32905-2016) by default, MD5 only on request (legacy
tools such as hashdeep still print it).  Every stored value carries its algorithm name because no
rule fixes one algorithm (docs/domain.md, "Electronic evidence").

Speed: hashlib releases the GIL on large updates, so threads use every core.  Small files are
spread over a thread pool (see :mod:`evidence.integrity.tree_hashing`); a large file is read once and each digest
runs in its own thread over the same immutable chunks, so SM3, which cannot be split, runs beside
SHA-256 instead of after it.  Memory stays flat: chunks are 1 MiB and queues are bounded.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
from collections.abc import Callable, Iterable, Sequence

from safeio.errors import InputError, MissingDependencyError

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_ALGORITHMS",
    "DISPLAY_NAMES",
    "PIPELINE_MIN_SIZE",
    "SUPPORTED_ALGORITHMS",
    "DigestFeed",
    "hash_bytes",
    "hash_fd",
    "new_hashers",
    "normalize_algorithms",
    "openssl_version",
    "require_algorithms",
]

DEFAULT_ALGORITHMS: tuple[str, ...] = ("sha256", "sm3")
SUPPORTED_ALGORITHMS: tuple[str, ...] = ("sha256", "sm3", "md5")
# Names as other tools and vocabularies spell them (UCO HashNameVocab, hashdeep, coreutils).
DISPLAY_NAMES = {"sha256": "SHA-256", "sm3": "SM3", "md5": "MD5"}
CHUNK_SIZE = 1 << 20
# Above this size a file's digests run in parallel threads; below, thread hand-off costs more than it saves.
PIPELINE_MIN_SIZE = 8 << 20
_QUEUE_DEPTH = 4

ProgressCallback = Callable[[int], None]


def normalize_algorithms(algorithms: Iterable[str] | str) -> tuple[str, ...]:
    """Lower-case, de-duplicate and check the algorithm names (``SHA-256`` and ``sha256`` are one)."""
    if isinstance(algorithms, str):
        algorithms = algorithms.split(",")
    names: list[str] = []
    for raw in algorithms:
        name = str(raw).strip().lower().replace("-", "").replace("_", "")
        if not name:
            continue
        if name not in SUPPORTED_ALGORITHMS:
            raise InputError(
                f"unknown digest algorithm '{raw}'",
                field="algorithms",
                hint="Use sha256, sm3 and optionally md5, separated by commas (for example sha256,sm3).",
            )
        if name not in names:
            names.append(name)
    if not names:
        raise InputError("no digest algorithm given", field="algorithms", hint="Use sha256,sm3.")
    return tuple(names)


def require_algorithms(algorithms: Iterable[str] | str = DEFAULT_ALGORITHMS) -> tuple[str, ...]:
    """Check up front that this Python can compute every digest asked for; say how to get SM3 if not."""
    names = normalize_algorithms(algorithms)
    for name in names:
        try:
            hashlib.new(name, b"abc")
        except ValueError as err:
            if name == "sm3":
                raise MissingDependencyError(
                    "this Python's OpenSSL does not provide SM3",
                    hint="Use a Python built against OpenSSL 1.1.1 or 3.x with SM3 enabled (Debian 12's "
                    "python3, or conda-forge python with openssl>=3); check with "
                    "python -c \"import hashlib; hashlib.new('sm3')\".",
                ) from err
            raise MissingDependencyError(f"this Python cannot compute {name}") from err
    return names


def new_hashers(algorithms: Sequence[str]) -> dict[str, hashlib._Hash]:
    return {name: hashlib.new(name) for name in algorithms}


def hash_bytes(data: bytes, algorithms: Sequence[str] = DEFAULT_ALGORITHMS) -> dict[str, str]:
    """Digests of an in-memory value, in the same form as :func:`hash_fd` returns."""
    hashers = new_hashers(algorithms)
    for hasher in hashers.values():
        hasher.update(data)
    return {name: hasher.hexdigest() for name, hasher in hashers.items()}


def hash_fd(
    fd: int,
    algorithms: Sequence[str] = DEFAULT_ALGORITHMS,
    *,
    size_hint: int = 0,
    progress: ProgressCallback | None = None,
) -> tuple[dict[str, str], int]:
    """Read ``fd`` to its end once and return ``({algorithm: hex digest}, bytes read)``.

    ``progress`` is called with the running byte count after every chunk (the CLI shows it; tests
    use it to change a file while it is being read).
    """
    if len(algorithms) > 1 and size_hint >= PIPELINE_MIN_SIZE:
        return _hash_fd_parallel(fd, algorithms, progress)
    hashers = list(new_hashers(algorithms).items())
    total = 0
    while True:
        chunk = os.read(fd, CHUNK_SIZE)
        if not chunk:
            break
        total += len(chunk)
        for _, hasher in hashers:
            hasher.update(chunk)
        if progress is not None:
            progress(total)
    return {name: hasher.hexdigest() for name, hasher in hashers}, total


def _hash_fd_parallel(
    fd: int, algorithms: Sequence[str], progress: ProgressCallback | None
) -> tuple[dict[str, str], int]:
    total = 0
    with DigestFeed(algorithms, parallel=True) as feed:
        while True:
            chunk = os.read(fd, CHUNK_SIZE)
            if not chunk:
                break
            total += len(chunk)
            feed.update(chunk)
            if progress is not None:
                progress(total)
    return feed.hexdigests(), total


class DigestFeed:
    """Several digests fed the same chunks; with ``parallel`` each digest after the first has its own thread.

    The feeding thread updates the first digest itself and hands the same chunks to one thread
    per other digest through bounded queues (a bytes object is immutable, so sharing it is safe).
    Used as a context manager so the threads always stop; :meth:`hexdigests` after the block.
    Callers that read a file once for more than hashing (copying it) feed it here chunk by chunk.
    """

    def __init__(self, algorithms: Sequence[str], *, parallel: bool = False) -> None:
        self.algorithms = tuple(algorithms)
        self._hashers = new_hashers(self.algorithms)
        self._first = self._hashers[self.algorithms[0]]
        others = self.algorithms[1:] if parallel else ()
        self._queues = {name: queue.Queue(maxsize=_QUEUE_DEPTH) for name in others}
        self._inline = [self._hashers[name] for name in self.algorithms[1:] if name not in self._queues]
        self._failures: list[BaseException] = []
        self._threads = [threading.Thread(target=self._consume, args=(name,), daemon=True) for name in others]
        for thread in self._threads:
            thread.start()

    def _consume(self, name: str) -> None:
        hasher, inbox = self._hashers[name], self._queues[name]
        while True:
            chunk = inbox.get()
            if chunk is None:
                return
            try:
                hasher.update(chunk)
            except BaseException as err:  # keep draining so the feeder never blocks forever
                self._failures.append(err)

    def update(self, chunk: bytes) -> None:
        for inbox in self._queues.values():
            inbox.put(chunk)
        self._first.update(chunk)
        for hasher in self._inline:
            hasher.update(chunk)

    def close(self) -> None:
        for inbox in self._queues.values():
            inbox.put(None)
        for thread in self._threads:
            thread.join()
        self._threads = []
        if self._failures:
            raise self._failures[0]

    def __enter__(self) -> DigestFeed:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def hexdigests(self) -> dict[str, str]:
        return {name: self._hashers[name].hexdigest() for name in self.algorithms}


def openssl_version() -> str:
    import ssl

    return ssl.OPENSSL_VERSION
