"""Row 1: a case.yml built to explode (nested aliases, deep nesting, size) is refused within a second.

Before: a "billion laughs" case.yml made ``dossier run`` spin for 300 s and 8.5 GB, and leave its
kernel running and a ``.tmp.ipynb`` behind.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from casebook.case import load_case
from safeio.errors import InputError, UnsafePathError

MAX_DEPTH, MAX_NODES = 16, 5_000  # casebook.casefile's limits, as documented

CASEBOOK = str(Path(sys.executable).with_name("casebook"))


def billion_laughs(case_id: str, field: str = "title") -> str:
    lines = [f"case_id: {case_id}", "lol0: &a0 'lol'"]
    for level in range(1, 10):
        previous = f"*a{level - 1}"
        lines.append(f"lol{level}: &a{level} [{', '.join([previous] * 10)}]")
    lines.append(f"{field}: *a9")
    if field != "title":
        lines.append("title: 有标题")
    return "\n".join(lines) + "\n"


def _write(case: Path, text: str) -> Path:
    (case / "case.yml").write_text(text, encoding="utf-8")
    return case


def _limited_memory() -> None:  # the old code needed 8.5 GB: stop it at 4 GiB instead
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


@pytest.mark.parametrize("field", ["title", "summary", "party"])
def test_billion_laughs_is_refused_within_a_second(case, field):
    _write(case, billion_laughs(case.name, field))
    started = time.process_time()  # CPU time: other jobs on a shared machine do not count
    with pytest.raises(InputError) as err:
        load_case(case)
    assert time.process_time() - started < 1.0
    assert "anchors and aliases" in err.value.message and err.value.path.endswith("case.yml")
    assert err.value.row == 2  # the first anchor


@pytest.mark.timeout(120)
def test_dossier_run_refuses_it_with_exit_2_and_leaves_nothing(case, tmp_path):
    _write(case, billion_laughs(case.name))
    out = tmp_path / "out-laughs"
    started = time.perf_counter()
    proc = subprocess.run([CASEBOOK, "dossier", "run", str(case), "--out", str(out)], capture_output=True,
                          text=True, timeout=90, preexec_fn=_limited_memory, cwd=tmp_path)
    elapsed = time.perf_counter() - started
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "anchors and aliases" in proc.stderr and "case.yml" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert elapsed < 60  # the refusal itself takes milliseconds; this is start-up on a busy machine
    left = [p for p in out.rglob("*")] if out.exists() else []
    assert left == []  # no notebook, no .tmp.ipynb, no summary
    running = [p.info for p in psutil.process_iter(["pid", "cmdline"])
               if any(str(out) in part or str(case) in part for part in (p.info["cmdline"] or []))]
    assert running == []


def test_deep_nesting_is_refused_without_recursion(case):
    _write(case, f"case_id: {case.name}\ntitle: t\nsummary: " + "[" * 100_000 + "\n")
    started = time.process_time()  # CPU time: other jobs on a shared machine do not count
    with pytest.raises(InputError, match=f"deeper than {MAX_DEPTH}"):
        load_case(case)
    assert time.process_time() - started < 1.0


def test_too_many_values_are_refused(case):
    items = ", ".join(["x"] * (MAX_NODES + 10))
    _write(case, f"case_id: {case.name}\ntitle: t\nsummary: [{items}]\n")
    started = time.process_time()  # CPU time: other jobs on a shared machine do not count
    with pytest.raises(InputError, match=f"more than {MAX_NODES} values"):
        load_case(case)
    assert time.process_time() - started < 1.0


def test_an_oversized_case_yml_is_refused_unread(case):
    with open(case / "case.yml", "ab") as handle:
        handle.truncate(4 << 30)  # 4 GiB, sparse: reading it would take minutes and the memory
    started = time.process_time()  # CPU time: other jobs on a shared machine do not count
    with pytest.raises(InputError, match="larger than the 256 KiB") as err:
        load_case(case)
    assert time.process_time() - started < 1.0 and err.value.path.endswith("case.yml")


def test_a_repeated_key_is_refused_with_both_rows(case):
    _write(case, f"case_id: {case.name}\ntitle: 真标题\nsummary: x\ntitle: 假标题\n")
    with pytest.raises(InputError, match=r"'title' appears twice \(rows 2 and 4\)"):
        load_case(case)


@pytest.mark.timeout(30)
def test_a_fifo_named_case_yml_does_not_block(case):
    (case / "case.yml").unlink()
    os.mkfifo(case / "case.yml")
    with pytest.raises(InputError, match="not a regular file"):
        load_case(case)


def test_case_yml_as_a_link_is_refused(case, tmp_path):
    elsewhere = tmp_path / "elsewhere.yml"
    elsewhere.write_text((case / "case.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (case / "case.yml").unlink()
    (case / "case.yml").symlink_to(elsewhere)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        load_case(case)
