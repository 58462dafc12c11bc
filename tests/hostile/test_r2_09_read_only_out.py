"""Round 2, row 9: a read-only output folder is one clear message and exit 2, never a traceback.

Before: ``dossier run``, ``dossier batch``, ``link``, ``geo hotspots`` and ``capture`` gave a Python
traceback and exit 1.  The folders are read-only mounts (root writes through permission bits).
"""

from __future__ import annotations

import shutil

import pytest

from tests.hostile.r2_mounts import read_only, tmpfs


@pytest.fixture
def ro_out(tmp_path):
    with tmpfs(tmp_path / "ro", "4m") as folder:
        (folder / "out").mkdir()
        read_only(folder)
        yield folder / "out"


def _plain(code: int, err: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and "cannot be written" in err and "read-only" in err


def test_link(book, ro_out, cli):
    _plain(*cli("link", book, "--no-ocr", "--out", ro_out)[::2])


def test_dossier_run_and_batch(case, book, ro_out, cli):
    _plain(*cli("dossier", "run", case, "--out", ro_out)[::2])
    _plain(*cli("dossier", "batch", book, "--out", ro_out, "--quiet")[::2])


@pytest.mark.slow  # the geo stack takes ~15 s to import on a busy machine
def test_geo_hotspots(hostile_book, ro_out, cli):
    cases = next(hostile_book.glob("*.csv"))
    _plain(*cli("geo", "hotspots", cases, "--out", ro_out / "map.html")[::2])
    _plain(*cli("geo", "hotspots", cases, "--summary", ro_out / "summary.json")[::2])


def test_capture_into_a_read_only_case(case, tmp_path, cli):
    with tmpfs(tmp_path / "mnt", "4m") as folder:
        copy = folder / case.name
        shutil.copytree(case, copy)
        read_only(folder)
        code, _, err = cli("evidence", "capture", "https://shop.example/", "--case", copy)
        assert code == 2 and "Traceback" not in err and "read-only" in err
