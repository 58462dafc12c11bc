"""Round 2, row 4: a capture never writes through a linked ``evidence/`` or ``evidence/web/``.

Before: with either a symbolic link, the capture landed outside the case and custody recorded it as inside.
"""

from __future__ import annotations

import shutil

import pytest

from casebook.webcapture.case_capture import CaseCapture
from safeio.errors import UnsafePathError


@pytest.mark.parametrize("linked", ["evidence", "evidence/web"])
def test_a_linked_evidence_folder_is_refused_before_anything_is_written(case, tmp_path, cli, linked):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = case / linked
    if target.exists():
        shutil.copytree(target, outside, dirs_exist_ok=True)
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(outside, target_is_directory=True)
    custody_before = (case / "custody.jsonl").read_bytes() if (case / "custody.jsonl").exists() else b""
    listing_before = sorted(p.name for p in outside.rglob("*"))
    with pytest.raises(UnsafePathError, match="symbolic link"), CaseCapture(case):
        pass
    code, _, err = cli("evidence", "capture", "https://shop.example/", "--case", case)
    assert code == 2 and "symbolic link" in err and linked.split("/")[-1] in err
    assert sorted(p.name for p in outside.rglob("*")) == listing_before
    after = (case / "custody.jsonl").read_bytes() if (case / "custody.jsonl").exists() else b""
    assert after == custody_before
