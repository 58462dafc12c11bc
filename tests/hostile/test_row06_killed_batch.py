"""Row 6 (owner: dossier engineer): after ``kill -9`` of ``dossier batch`` nothing of it keeps running.

Before: two workers and the resource tracker kept running and finished a case; a rerun in that
window raced with them.  Workers must die with their parent (process group, or a parent-death
check), and a rerun must render every unfinished case.  Remove the ``xfail`` mark when fixed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

CASEBOOK = str(Path(sys.executable).with_name("casebook"))


def _kernels(root: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in root.children(recursive=True):
        try:
            if any("ipykernel" in part for part in child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.xfail(reason="batch process management owned by the dossier engineer; remove this mark when fixed",
                   strict=False)
def test_a_killed_batch_leaves_nothing_running_and_a_rerun_finishes(book, tmp_path):
    out = tmp_path / "out"
    batch = subprocess.Popen([CASEBOOK, "dossier", "batch", str(book), "--out", str(out), "--workers", "2"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = psutil.Process(batch.pid)
    deadline = time.monotonic() + 300
    while not _kernels(root) and time.monotonic() < deadline and batch.poll() is None:
        time.sleep(0.5)
    descendants = root.children(recursive=True)
    assert _kernels(root), "no kernel started within 300 s"
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait()
    time.sleep(5)
    alive = [p for p in descendants if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    for process in alive:  # tidy up what this test started, by pid
        try:
            process.kill()
        except psutil.Error:
            pass
    assert alive == [], [p.pid for p in alive]
    rerun = subprocess.run([CASEBOOK, "dossier", "batch", str(book), "--out", str(out), "--workers", "2"],
                           capture_output=True, text=True, timeout=800)
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert rerun.returncode == 0 and report["failed"] == 0
    assert all(r["status"] in ("ok", "skipped") for r in report["results"])
