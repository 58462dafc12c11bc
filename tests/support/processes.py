"""Find the processes a test started, by a marker in their environment (Linux /proc)."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path


def new_marker() -> dict[str, str]:
    """An environment variable to give a process tree, so its members can be found later."""
    return {"CASEBOOK_TEST_TREE": uuid.uuid4().hex}


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended


def marked(marker: dict[str, str]) -> list[int]:
    """Live processes whose environment holds the marker."""
    (name, value), = marker.items()
    needle = f"{name}={value}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0") and _alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def wait_gone(pids_or_marker, seconds: float = 5.0) -> list[int]:
    """Wait until the processes are gone; return those still alive after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        left = marked(pids_or_marker) if isinstance(pids_or_marker, dict) else \
            [p for p in pids_or_marker if _alive(p)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)
