"""Real tools and awkward file names for the evidence-integrity tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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


def run(args: list[str], cwd: Path | None = None, input: bytes | None = None, timeout: float = 120):
    return subprocess.run(args, cwd=cwd, input=input, capture_output=True, timeout=timeout)


def once_while_hashing(action):
    """A ``progress`` callback for build_manifest that runs ``action`` once, while the first file is hashed."""
    done = []

    def progress(_path, _nbytes):
        if not done:
            done.append(True)
            action()

    return progress
