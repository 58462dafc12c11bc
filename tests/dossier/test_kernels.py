"""Kernels: their own folder and import path, limits, and nothing left running after them."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from casebook.kernel.kernels import KernelLimits
from casebook.kernel.notebook_run import run_notebook
from tests.support.dossier_book import CASEBOOK, REPO
from tests.support.processes import new_marker, wait_gone

pytestmark = pytest.mark.slow


@pytest.fixture(params=["zygote", "guard"])
def kernel_start(request, monkeypatch):
    """Both ways a kernel starts: forked by the zygote (POSIX), or from scratch under the guard."""
    monkeypatch.setenv("CASEBOOK_KERNEL_ZYGOTE", "1" if request.param == "zygote" else "0")
    return request.param


def _template(path, *cells: str):
    nb = new_notebook(cells=[new_code_cell("x = 0", metadata={"tags": ["parameters"]}),
                             *(new_code_cell(c) for c in cells)],
                      metadata={"kernelspec": {"name": "casebook", "display_name": "casebook", "language": "python"}})
    nbformat.write(nb, path)
    return path


def _shadowing_folder(root):
    """A working folder holding packages named like ours, each of which fails when imported."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("geo", "evidence", "casebook", "safeio"):
        (root / name).mkdir()
        (root / name / "__init__.py").write_text(f"raise ImportError('the {name} folder of the cwd was imported')\n")
    return root


def test_kernel_starts_in_its_own_folder_with_our_packages_first(tmp_path, kernel_start):
    template = _template(tmp_path / "t.ipynb", textwrap.dedent("""\
        import json, os, sys, geo, evidence, casebook
        print(json.dumps({"cwd": os.getcwd(), "listing": os.listdir("."), "geo": geo.__file__,
                          "path0": sys.path[0], "pgrp": os.getpgrp(), "pid": os.getpid(), "ppid": os.getppid()}))"""))
    cwd = _shadowing_folder(tmp_path / "work")
    old = os.getcwd()
    os.chdir(cwd)
    try:
        run = run_notebook(template, tmp_path / "out.ipynb", {})
    finally:
        os.chdir(old)
    assert run.ok, run.failure
    seen = json.loads(nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[-1].outputs[0]["text"])
    assert seen["geo"] == str(REPO / "geo" / "__init__.py")
    assert seen["cwd"] != str(cwd) and not any(n in seen["listing"] for n in ("geo", "casebook"))
    assert seen["path0"] == str(REPO)
    # the kernel's process group is its own (or its guard's), never the caller's
    assert seen["pgrp"] in (seen["pid"], seen["ppid"]) and seen["pgrp"] != os.getpgrp()
    assert not os.path.exists(seen["cwd"])  # the private folder is removed afterwards


def test_a_kernel_behaves_like_a_fresh_one(tmp_path, kernel_start, monkeypatch):
    """Inline figures, fresh random state, a clean namespace and the caller's environment of now."""
    template = _template(tmp_path / "t.ipynb", "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()",
                         "import json, os, numpy\nprint(json.dumps([numpy.random.random(), 'dossier' in dir(), "
                         "os.environ.get('CASEBOOK_PROBE')]))")
    draws = []
    for n in range(2):
        monkeypatch.setenv("CASEBOOK_PROBE", f"run {n}")
        run = run_notebook(template, tmp_path / f"out{n}.ipynb", {})
        assert run.ok, run.failure
        cells = nbformat.read(tmp_path / f"out{n}.ipynb", as_version=4).cells
        assert any("image/png" in o.get("data", {}) for o in cells[-2].outputs)
        draw, leaked, probe = json.loads(cells[-1].outputs[0]["text"])
        assert not leaked and probe == f"run {n}"
        draws.append(draw)
    assert draws[0] != draws[1]


def test_dossier_from_a_folder_full_of_lookalike_packages_is_the_same(tiny_book, tmp_path):
    hostile = _shadowing_folder(tmp_path / "hostile")
    clean = tmp_path / "clean"
    clean.mkdir()
    pages = {}
    for where in (hostile, clean):
        out = where / "out"
        proc = subprocess.run([*CASEBOOK, "dossier", "run", str(tiny_book / "ZK-T-CLEAN"), "--out", "out"],
                              cwd=where, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        summary = json.loads((out / "ZK-T-CLEAN" / "summary.json").read_text(encoding="utf-8"))
        assert summary["status"] == "ok" and set(summary["sections"].values()) == {"ok"}
        html = (out / "ZK-T-CLEAN" / "dossier.html").read_text(encoding="utf-8")
        # what differs between two renders anyway: times, folium's element ids, papermill's new cell's id
        html = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\dZ?", "TIME", html)
        html = re.sub(r"cell-id=[0-9a-f-]+", "cell-id=ID", html)
        pages[where.name] = re.sub(r"[0-9a-f]{32}", "ID", html)
        for key in ("seconds", "cpu_seconds", "rendered_at"):
            summary.pop(key)
        pages[where.name + ".json"] = summary
    assert pages["hostile"] == pages["clean"]
    assert pages["hostile.json"] == pages["clean.json"]


def test_a_runaway_kernel_is_stopped_with_its_children_and_leaves_no_temp_file(tmp_path, kernel_start):
    pids = tmp_path / "pids.json"
    template = _template(tmp_path / "t.ipynb", textwrap.dedent(f"""\
        import json, os, subprocess
        child = subprocess.Popen(["sleep", "600"])
        open({str(pids)!r}, "w").write(json.dumps([os.getpid(), child.pid]))"""), "while True:\n    pass")
    started = time.monotonic()
    # the wall clock runs from the kernel's start: leave a loaded machine time to start it
    run = run_notebook(template, tmp_path / "out.ipynb", {}, cell_timeout=300,
                       limits=KernelLimits(memory_mb=2048, seconds=30))
    assert not run.ok and time.monotonic() - started < 150
    assert run.failure.cell is None and run.failure.to_dict()["type"] == "NotebookError"
    assert wait_gone(json.loads(pids.read_text()), 5) == []
    assert not list(tmp_path.glob(".*.tmp*"))


def test_memory_is_capped(tmp_path, kernel_start):
    template = _template(tmp_path / "t.ipynb", "block = bytearray(3 * 1024 ** 3)")
    run = run_notebook(template, tmp_path / "out.ipynb", {}, limits=KernelLimits(memory_mb=1536, seconds=120))
    assert not run.ok and run.failure.ename == "MemoryError"
    assert not list(tmp_path.glob(".*.tmp*"))


def test_the_kernel_dies_with_the_process_that_started_it(tmp_path, kernel_start):
    pids = tmp_path / "pids.json"
    template = _template(tmp_path / "t.ipynb", textwrap.dedent(f"""\
        import json, os, subprocess, time
        child = subprocess.Popen(["sleep", "600"])
        open({str(pids)!r}, "w").write(json.dumps([os.getpid(), child.pid]))
        time.sleep(600)"""))
    script = (f"from casebook.kernel.notebook_run import run_notebook\n"
              f"run_notebook({str(template)!r}, {str(tmp_path / 'out.ipynb')!r}, {{}})\n")
    caller = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        deadline = time.monotonic() + 120
        while not pids.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.3)
        kernel_pids = json.loads(pids.read_text())
    finally:
        caller.send_signal(signal.SIGKILL)
        caller.wait()
    assert wait_gone(kernel_pids, 5) == []


def test_killed_batch_leaves_nothing_running(light_book, tmp_path):
    marker = new_marker()
    out = tmp_path / "out"
    proc = subprocess.Popen([*CASEBOOK, "dossier", "batch", str(light_book), "--out", str(out), "--workers", "2",
                             "--quiet"], cwd=REPO, env={**os.environ, **marker}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out.glob("*/.*.tmp.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.1)  # a case is rendering: workers and kernels are up
    time.sleep(0.5)
    assert proc.poll() is None, "the batch ended before it could be killed"
    proc.send_signal(signal.SIGKILL)  # the driver only: what an out-of-memory killer or a user does
    proc.wait()
    assert wait_gone(marker, 5) == [], "processes of the killed batch are still running"
    shutil.rmtree(out / "hotspots", ignore_errors=True)


def test_a_worker_killed_mid_batch_costs_no_case(light_book, tmp_path):
    """The out-of-memory killer or a user ends one worker: the pool breaks, and its cases are rendered again."""
    import threading

    import psutil

    from casebook.batch import run_batch

    out = tmp_path / "out"
    killed = []

    def kill_a_rendering_worker():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            for child in psutil.Process().children():
                try:
                    rendering = "spawn_main" in " ".join(child.cmdline()) and child.children()
                except psutil.Error:
                    continue
                if rendering and list(out.glob("*/.*.tmp.ipynb")):
                    child.kill()
                    killed.append(child.pid)
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_rendering_worker, daemon=True)
    killer.start()
    report = run_batch(light_book, out, workers=2, progress=False)
    killer.join()
    assert killed, "no worker was seen rendering"
    assert report.failed == 0 and sorted(r["status"] for r in report.results) == ["ok"] * 3, report.results


def test_a_case_that_kills_every_worker_it_meets_is_the_only_one_to_fail():
    """Round by round: the whole pool again, then one case at a time, until the culprit is alone."""
    from casebook.batch import _after_break

    cases = [Path(f"C{i}") for i in range(5)]
    culprit, blamed, done = cases[2], [], []
    pending, width, attempt = cases, 2, 0
    while pending:
        # the pool breaks when the culprit runs: the cases before it finish (but the one running beside it
        # in a wide pool), the culprit and every case after it are lost with the pool
        stop = pending.index(culprit) - (width > 1) if culprit in pending else len(pending)
        done += pending[:max(stop, 0)]
        broken = pending[max(stop, 0):]
        pending, width, blame = _after_break(pending, broken, width, attempt)
        attempt += 1
        if blame is not None:
            blamed.append(blame)
    assert blamed == [culprit] and sorted(done) == sorted(set(cases) - {culprit})
