"""Dossier fixtures: the tiny casebook (see tests.support.dossier_book), built and rendered once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.dossier_book import build_tiny_book, case_rows, run_cli


@pytest.fixture(scope="session", autouse=True)
def reading_cache_of_its_own(tmp_path_factory):
    """Label readings go to a session folder, not the user's cache (kernels and CLIs inherit it)."""
    old = os.environ.get("CASEBOOK_CACHE")
    os.environ["CASEBOOK_CACHE"] = str(tmp_path_factory.mktemp("casebook-cache"))
    yield
    if old is None:
        os.environ.pop("CASEBOOK_CACHE", None)
    else:
        os.environ["CASEBOOK_CACHE"] = old


@pytest.fixture(scope="session")
def source_book(tmp_path_factory) -> Path:
    from casebook.sample.sample_casebook import write_sample

    root = tmp_path_factory.mktemp("dossier-src") / "book"
    write_sample(root, n_cases=3, seed=2024)
    return root


@pytest.fixture(scope="session")
def tiny_book(source_book, tmp_path_factory) -> Path:
    return build_tiny_book(source_book, tmp_path_factory.mktemp("dossier-tiny") / "book")


@pytest.fixture(scope="session")
def batch_run(tiny_book, tmp_path_factory):
    """``casebook dossier batch`` with PDFs over the tiny casebook, once for all the tests that read it."""
    out = tmp_path_factory.mktemp("dossier-out") / "out"
    proc = run_cli("dossier", "batch", str(tiny_book), "--out", str(out), "--workers", "2", "--pdf", "--quiet")
    return proc, out


@pytest.fixture(scope="session")
def light_book(source_book, tmp_path_factory) -> Path:
    """Three cases without photos (fast to render): for resume, kill and Dask tests."""
    target = tmp_path_factory.mktemp("dossier-light") / "book"
    shutil.copytree(source_book, target)
    for row in case_rows(target):
        shutil.rmtree(target / row["case_id"] / "labels", ignore_errors=True)
    return target
