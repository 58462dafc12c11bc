"""Fixtures for the evidence-integrity tests: odd trees, real tools."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.tools import ODD_NAMES, write


@pytest.fixture
def odd_tree(tmp_path) -> Path:
    """A tree with awkward names, an empty file, a sub-folder and a few MiB file."""
    root = tmp_path / "seized"
    root.mkdir()
    for index, raw in enumerate(ODD_NAMES):
        write(root, raw, b"" if raw == b"empty" else f"content {index}\n".encode() * (index + 1))
    write(root, "子目录/截图 1.png".encode(), os.urandom(3000))
    write(root, b"sub/deeper/data.bin", os.urandom(3 << 20))
    return root
