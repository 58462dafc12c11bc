"""Round 2, rows 5 and 11: devices, FIFOs and links named on the command line are refused, never read.

Before: ``capture --list /dev/zero`` read 16 GB in 20 s, a FIFO blocked it forever, and a symbolic
link named on the command line was followed by ``labels read``, ``capture --list`` and ``geo hotspots``.
Each command runs in a subprocess with a time limit, so the old behaviour fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def casebook(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casebook.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(REPO)}, stdin=subprocess.DEVNULL)


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "urls.txt"
    os.mkfifo(path)
    return path


def test_capture_list_refuses_dev_zero_at_once(case):
    done = casebook("evidence", "capture", "--list", "/dev/zero", "--case", case, timeout=60)
    assert done.returncode == 2 and "not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_capture_list_refuses_a_fifo_without_blocking(case, fifo):
    done = casebook("evidence", "capture", "--list", fifo, "--case", case, timeout=60)
    assert done.returncode == 2 and "not a regular file" in done.stderr


def test_capture_list_refuses_a_link(case, tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("https://shop.example/\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(real)
    done = casebook("evidence", "capture", "--list", tmp_path / "link.txt", "--case", case, timeout=60)
    assert done.returncode == 2 and "symbolic link" in done.stderr and str(real) in done.stderr


def test_labels_read_refuses_a_link_and_a_fifo(case, tmp_path, fifo):
    photo = sorted((case / "labels").iterdir())[0]
    (tmp_path / "link.jpg").symlink_to(photo)
    os.rename(fifo, tmp_path / "pipe.jpg")
    done = casebook("labels", "read", tmp_path / "link.jpg", tmp_path / "pipe.jpg", "--json", timeout=120)
    errors = [item["error"]["message"] for item in json.loads(done.stdout)]
    assert done.returncode == 1 and "symbolic link" in errors[0] and "not a regular file" in errors[1]


@pytest.mark.slow  # the geo stack takes ~15 s to import on a busy machine
def test_geo_hotspots_refuses_a_link_a_fifo_and_a_device(tmp_path, hostile_book):
    cases = next(hostile_book.glob("*.csv"))
    (tmp_path / "linked.csv").symlink_to(cases)
    os.mkfifo(tmp_path / "pipe.csv")
    for path, words in ((tmp_path / "linked.csv", "symbolic link"), (tmp_path / "pipe.csv", "not a regular file"),
                        (Path("/dev/zero"), "not a regular file")):
        done = casebook("geo", "hotspots", path, timeout=180)
        assert done.returncode == 2 and words in done.stderr, done.stderr
