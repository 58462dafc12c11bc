"""Shared fixtures: the sample casebook (built once per session), the shared real data, the CLI in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# The machines are shared and noisy: a property fails on a wrong answer, never on a slow example.
settings.register_profile("casebook", deadline=None)
settings.load_profile("casebook")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def sample_book(tmp_path_factory) -> Path:
    """A read-only sample casebook; copy it (``sample_copy``) before changing anything."""
    from casebook.sample.sample_casebook import write_sample

    root = tmp_path_factory.mktemp("sample") / "book"
    write_sample(root, n_cases=30, seed=2024)
    return root


@pytest.fixture
def sample_copy(sample_book, tmp_path) -> Path:
    """A private, writable copy of the sample casebook."""
    target = tmp_path / "book"
    shutil.copytree(sample_book, target)
    return target


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The shared real photos with known text; tests needing them skip if ../shared is absent."""
    path = SHARED / "realdata" / "ocr"
    if not path.is_dir():
        pytest.skip("../shared/realdata/ocr is not beside this checkout")
    return path


@pytest.fixture
def cli(capsysbinary):
    """Run ``casebook ...`` in-process; returns (exit code, stdout text, stderr text)."""
    from casebook.cli import main

    def invoke(*argv: str):
        code = main([str(arg) for arg in argv])
        out, err = capsysbinary.readouterr()
        return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    return invoke
