"""Round 2, fault injection: a full disk and kill -9 during a seal, a dossier and a capture.

Each ends with ``casebook evidence verify`` telling the truth (checked against a fresh hash of the
tree and the custody log's last seal) and nothing half-written under a name that looks finished.
The full disk is a size-limited tmpfs (root only; skipped otherwise); kill -9 hits the whole
process group (Chromium included) after a random delay.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook.sealing import CASE_INCLUDE, seal_case
from evidence.integrity.custody import CustodyLog
from evidence.integrity.manifest import build_manifest, load_manifest
from evidence.integrity.seals import last_seal
from tests.hostile.r2_mounts import tmpfs

REPO = Path(__file__).resolve().parents[2]


def casebook(*args, timeout: float = 600, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "casebook.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO, **popen)


def killed(args: list, delay: float) -> None:
    """Start ``casebook ARGS`` in its own process group and SIGKILL the whole group after ``delay`` seconds."""
    proc = subprocess.Popen([sys.executable, "-m", "casebook.cli", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO,
                            start_new_session=True)
    try:
        proc.wait(delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)


def truth(case: Path) -> bool:
    """Does the case verify?  Answered without the verify command: hash the tree, read the log."""
    try:
        manifest = load_manifest(case / "manifest.json")
    except Exception:
        return False
    now = build_manifest(case, case_id=case.name, include=CASE_INCLUDE)
    sealed = last_seal(CustodyLog(case / "custody.jsonl").events(), case / "manifest.json", case)
    return (now.merkle_root == manifest.merkle_root and sealed is not None
            and sealed[1]["merkle_root"] == manifest.merkle_root and CustodyLog(case / "custody.jsonl").verify().ok)


def verify_tells_the_truth(case: Path) -> int:
    done = casebook("evidence", "verify", case / "manifest.json", "--json", timeout=300)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 1), done.stderr
    assert (done.returncode == 0) == truth(case), done.stdout
    return done.returncode


def half_written(root: Path) -> list[Path]:
    """Files or folders that look finished but are not: none may exist (hidden temp names are allowed)."""
    bad = []
    for path in root.rglob("*"):
        if path.name.endswith(".tmp") and not path.name.startswith("."):
            bad.append(path)
    web = root / "evidence" / "web"
    if web.is_dir():
        from casebook.webcapture.capture_custody import unrecorded_captures

        bad += [web / Path(item["path"]).name for item in
                unrecorded_captures(root, CustodyLog(root / "custody.jsonl").events())
                if not Path(item["path"]).name.startswith(".")]
    return bad


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    filler = folder / "filler.bin"
    with open(filler, "wb") as handle:
        try:
            handle.write(b"\0" * max(0, free - leave))
        except OSError:
            pass
    return filler


def test_a_full_disk_during_a_seal_leaves_the_old_seal_and_a_true_verify(case, tmp_path):
    with tmpfs(tmp_path / "disk", "2m") as disk:
        copy = disk / case.name
        shutil.copytree(case, copy)
        assert casebook("evidence", "hash", copy).returncode == 0
        log_before = (copy / "custody.jsonl").read_bytes()
        (copy / "evidence" / "新增进货单.csv").write_text("日期,数量\n2024-06-01,3\n", encoding="utf-8")
        filler = fill(disk, 2048)
        done = casebook("evidence", "hash", copy, "--reseal")
        assert done.returncode == 2 and "disk is full" in done.stderr and "Traceback" not in done.stderr
        assert CustodyLog(copy / "custody.jsonl").verify().ok
        assert (copy / "custody.jsonl").read_bytes().startswith(log_before)
        assert not half_written(copy)
        assert verify_tells_the_truth(copy) == 1  # the new file is not sealed, and verify says so
        filler.unlink()
        assert casebook("evidence", "hash", copy, "--reseal").returncode == 0
        assert verify_tells_the_truth(copy) == 0


@pytest.mark.slow  # renders in a real kernel
def test_a_full_disk_during_a_dossier_leaves_nothing_that_looks_finished(case, tmp_path):
    with tmpfs(tmp_path / "disk", "1m") as disk:
        out = disk / "out"
        out.mkdir()
        fill(disk, 64 << 10)
        done = casebook("dossier", "run", case, "--out", out, timeout=900)
        assert done.returncode in (1, 2) and "Traceback" not in done.stderr, done.stderr
        summary = out / case.name / "summary.json"
        assert not summary.exists() or json.loads(summary.read_text(encoding="utf-8"))["status"] != "ok"
        assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") and not p.name.startswith(".")]


@pytest.fixture(scope="module")
def site():
    from tests.hostile.r2_fighting_site import fighting_site

    with fighting_site() as url:
        yield url


@pytest.mark.slow  # real Chromium
def test_a_full_disk_during_a_capture_leaves_no_folder_and_a_true_verify(site, case, tmp_path):
    with tmpfs(tmp_path / "disk", "3m") as disk:
        copy = disk / case.name
        shutil.copytree(case, copy)
        seal_case(copy)
        log_before = (copy / "custody.jsonl").read_bytes()
        fill(disk, 48 << 10)
        done = casebook("evidence", "capture", f"{site}/print", "--case", copy, "--timeout", "15", timeout=300)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert "disk is full" in done.stderr or "No space" in done.stderr
        web = copy / "evidence" / "web"
        assert not web.exists() or not list(web.iterdir())
        assert (copy / "custody.jsonl").read_bytes() == log_before
        assert verify_tells_the_truth(copy) == 0


@pytest.mark.slow
def test_kill_9_at_random_points_of_a_seal(case, tmp_path):
    rng = random.Random(2311)
    (case / "evidence" / "大文件.bin").write_bytes(os.urandom(24 << 20))  # hashing takes a moment
    seal_case(case)
    for round_ in range(4):
        (case / "evidence" / f"追加{round_}.csv").write_text(f"第{round_}批\n", encoding="utf-8")
        killed(["evidence", "hash", case, "--reseal"], rng.uniform(0.3, 2.5))
        assert not half_written(case)
        verify_tells_the_truth(case)
        assert casebook("evidence", "hash", case, "--reseal").returncode == 0
        assert verify_tells_the_truth(case) == 0


@pytest.mark.slow  # real Chromium, several runs
def test_kill_9_at_random_points_of_a_capture(site, case):
    from casebook.webcapture.case_capture import CaseCapture

    rng = random.Random(2312)
    seal_case(case)
    for _ in range(3):
        killed(["evidence", "capture", f"{site}/print", "--case", case, "--timeout", "10", "--again"],
               rng.uniform(1.0, 12.0))
        assert not half_written(case)  # a folder under its final name is always one custody recorded
        verify_tells_the_truth(case)
        began = time.monotonic()
        with CaseCapture(case):  # the next run: the dead run's hidden folder is finished or removed at once
            pass
        assert time.monotonic() - began < 30
        assert not list((case / "evidence" / "web").glob(".*.partial"))
        assert casebook("evidence", "hash", case, "--reseal").returncode == 0
        assert verify_tells_the_truth(case) == 0
