"""Size-limited and read-only folders for fault injection: a tmpfs mount (root), or skip."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, timeout=30)


@contextlib.contextmanager
def tmpfs(folder: Path, size: str = "1m"):
    """``folder`` as a fresh tmpfs of ``size`` (a full disk is reached quickly); unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a size-limited folder needs root")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    except (subprocess.CalledProcessError, FileNotFoundError) as err:
        pytest.skip(f"cannot mount a tmpfs here: {err}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


def read_only(folder: Path) -> None:
    """Make a mounted tmpfs read-only (root can write through permissions, not through a read-only mount)."""
    _mount("-o", "remount,ro", str(folder))
