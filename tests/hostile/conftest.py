"""Fixtures for the hostile-input tests: a small sample casebook, writable case copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def hostile_book(tmp_path_factory) -> Path:
    """Three sample cases (read-only: copy before changing anything); two make the hot-spot step fail."""
    from casebook.sample.sample_casebook import write_sample

    root = tmp_path_factory.mktemp("hostile") / "book"
    write_sample(root, n_cases=3, seed=13)
    return root


@pytest.fixture
def book(hostile_book, tmp_path) -> Path:
    """A private, writable copy of the small casebook."""
    target = tmp_path / "book"
    shutil.copytree(hostile_book, target)
    return target


@pytest.fixture
def case(book) -> Path:
    """The first case folder of the private casebook (with labels/ and evidence/, not sealed)."""
    return sorted(p.parent for p in book.glob("*/case.yml"))[0]
