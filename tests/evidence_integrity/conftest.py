"""Fixtures for the evidence-integrity tests: odd trees, real tools, the CLI in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent
ODD_NAMES = [
    b"plain.txt",
    b"with space.csv",
    "微信聊天记录.txt".encode(),
    b"quote'single\"double.txt",
    b"back\\slash.txt",
    b"new\nline.txt",
    b"carriage\rreturn.txt",
    b"comma,name.txt",
    b"not-utf8-\xff\xfe.bin",
    b"empty",
]


def need(tool: str) -> str:
    """The path of a real tool the test relies on; a missing one is an error, not a skip."""
    path = shutil.which(tool) or (str(VENV_BIN / tool) if (VENV_BIN / tool).exists() else None)
    assert path, f"{tool} is not installed (see scripts/system-deps.sh / pyproject dev extras)"
    return path


def write(root: Path, raw: bytes, data: bytes) -> Path:
    target = os.path.join(os.fsencode(root), raw)
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(data)
    return Path(os.fsdecode(target))


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


def run(args: list[str], cwd: Path | None = None, input: bytes | None = None, timeout: float = 120):
    return subprocess.run(args, cwd=cwd, input=input, capture_output=True, timeout=timeout)


@pytest.fixture
def cli(capsysbinary):
    """Run ``casebook ...`` in-process; returns (exit code, stdout text, stderr text)."""
    from casebook.cli import main

    def invoke(*argv: str):
        code = main(list(argv))
        out, err = capsysbinary.readouterr()
        return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    return invoke
