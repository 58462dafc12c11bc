"""Row 2 (owner: dossier engineer): a ``geo/``, ``evidence/`` or ``casebook/`` folder in the working
folder must not change the dossier.

Before: the kernel imported the folder instead of the package; the location section became
"unavailable" with exit 0, and a rerun of the batch kept that degraded dossier as "unchanged".
Here the working folder reaches the kernel's import path the way it does on many desks: a
relative entry (``.``) in ``PYTHONPATH``.
The fix belongs to the kernel start-up (working folder and import path chosen by casebook):
remove the ``xfail`` mark when it lands.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CASEBOOK = str(Path(sys.executable).with_name("casebook"))
SHADOW = "raise ImportError('the folder of this name in the working folder was imported, not the package')\n"


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.xfail(reason="kernel start-up owned by the dossier engineer; remove this mark when fixed", strict=False)
def test_a_dossier_is_the_same_from_any_working_folder(book, tmp_path):
    case = sorted(p.parent for p in book.glob("*/case.yml"))[0]
    shutil.rmtree(case / "labels")  # no OCR needed: the question is which packages the kernel imports
    clean, shadowed = tmp_path / "clean", tmp_path / "shadowed"
    clean.mkdir()
    for package in ("geo", "evidence", "casebook"):
        (shadowed / package).mkdir(parents=True)
        (shadowed / package / "__init__.py").write_text(SHADOW, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([".", os.environ.get("PYTHONPATH", "")])}
    summaries = []
    for where in (clean, shadowed):
        out = tmp_path / f"out-{where.name}"
        proc = subprocess.run([CASEBOOK, "dossier", "run", str(case), "--out", str(out)], cwd=where, env=env,
                              capture_output=True, text=True, timeout=600)
        written = out / case.name / "summary.json"
        summary = json.loads(written.read_text(encoding="utf-8")) if written.is_file() else {"status": None}
        summaries.append((proc.returncode, summary["status"], summary.get("sections"), summary.get("setting")))
    assert summaries[0][0] == 0 and set(summaries[0][2].values()) == {"ok"}
    assert summaries[1] == summaries[0]
