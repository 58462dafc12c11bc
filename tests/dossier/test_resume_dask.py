"""Resume after a kill, render nothing twice; the same batch on a Dask LocalCluster."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.dossier_book import CASEBOOK, REPO, case_rows
from tests.support.processes import new_marker, wait_gone

pytestmark = pytest.mark.slow


def _done(out: Path) -> set[str]:
    """Cases whose render finished (the driver's summary carries the input fingerprint)."""
    done = set()
    for path in out.glob("*/summary.json"):
        try:
            if "input_hash" in json.loads(path.read_text(encoding="utf-8")):
                done.add(path.parent.name)
        except ValueError:
            continue
    return done


def test_killed_batch_resumes_and_renders_nothing_twice(light_book, tmp_path):
    out = tmp_path / "out"
    marker = new_marker()
    cmd = [*CASEBOOK, "dossier", "batch", str(light_book), "--out", str(out), "--workers", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **marker}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while not _done(out) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)  # the driver only: its workers and kernels must follow
        proc.wait(timeout=30)
    assert wait_gone(marker, 5) == [], "processes of the killed batch are still running"
    first = _done(out)
    assert first, "no case finished before the kill"
    cases = {p.name for p in light_book.iterdir() if (p / "case.yml").is_file()}
    assert first < cases, "the batch finished before it could be killed"
    stamps = {c: (out / c / "dossier.html").stat().st_mtime_ns for c in first}
    assert not (out / "batch-report.json").exists()

    rerun = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    status = {r["case_id"]: r["status"] for r in report["results"]}
    assert {c for c, s in status.items() if s == "skipped"} == first
    assert {c for c, s in status.items() if s == "ok"} == cases - first
    for case_id in first:
        assert (out / case_id / "dossier.html").stat().st_mtime_ns == stamps[case_id]
    assert not list(out.rglob(".*.tmp*"))

    # touching an input without changing it does not count; changing its content does
    victim = sorted(first)[0]
    yml = light_book / victim / "case.yml"
    os.utime(yml)
    again = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert again.returncode == 0 and report["skipped"] == len(cases)
    yml.write_text(yml.read_text(encoding="utf-8") + "# 补充说明\n", encoding="utf-8")
    subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600, check=True)
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert {r["case_id"] for r in report["results"] if r["status"] == "ok"} == {victim}


def test_degraded_dossiers_are_rendered_again(light_book, tmp_path):
    """A section that cannot be built marks the dossier degraded: exit 1, and no resume skips it."""
    book = tmp_path / "book"
    shutil.copytree(light_book, book)
    rows = case_rows(book)
    with (book / "cases.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**row, "lon": "not a number", "lat": ""} for row in rows)  # no usable place
    out = tmp_path / "out"
    cmd = [*CASEBOOK, "dossier", "batch", str(book), "--out", str(out), "--workers", "2", "--quiet"]
    for _ in range(2):
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 1, proc.stderr
        report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
        assert {r["status"] for r in report["results"]} == {"degraded"}, report["results"]
        folders = [r for r in rows if r.get("kind") != "register"]  # register rows have no case folder
        assert report["degraded"] == len(folders) and report["skipped"] == 0
    summary = json.loads((out / rows[0]["case_id"] / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "degraded" and summary["sections"]["location"] == "error"
    assert summary["sections"]["evidence"] == "ok"  # the other sections are there
    assert set(summary["section_errors"]["location"]) == {"type", "message", "hint", "path", "row", "field"}


def test_batch_on_a_dask_local_cluster(light_book, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([*CASEBOOK, "dossier", "batch", str(light_book), "--out", str(out), "--workers", "2",
                           "--scheduler", "local", "--quiet", "--lang", "en"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert report["scheduler"] == "local" and report["failed"] == 0
    assert report["ok"] == len([p for p in light_book.iterdir() if (p / "case.yml").is_file()])
    html = next(out.glob("*/dossier.html")).read_text(encoding="utf-8")
    assert "Administrative penalty case file" in html and "Evidence list" in html


def test_batch_on_an_existing_scheduler_address(light_book, tmp_path):
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = tmp_path / "out"
        proc = subprocess.run([*CASEBOOK, "dossier", "batch", str(light_book), "--out", str(out),
                               "--scheduler", cluster.scheduler_address, "--quiet"],
                              cwd=REPO, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
        assert report["scheduler"] == cluster.scheduler_address and report["failed"] == 0
        assert (out / "index.html").is_file()


def test_unreachable_scheduler_is_bad_usage(light_book, tmp_path):
    proc = subprocess.run([*CASEBOOK, "dossier", "batch", str(light_book), "--out", str(tmp_path / "out"),
                           "--scheduler", "tcp://127.0.0.1:9", "--quiet"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Dask scheduler" in proc.stderr
