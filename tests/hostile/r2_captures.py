"""Helpers for the round-2 capture tests: capture folders made by hand, as a run that died or a copy leaves them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from evidence.integrity.manifest import build_manifest, write_manifest


def hand_made_capture(case: Path, name: str = "20240607T081502Z-shop.example", *, url: str = "https://shop.example/",
                      hidden: bool = False) -> Path:
    """A complete-looking capture folder (artifacts, capture.json, sealed manifest) that custody never saw."""
    folder = case / "evidence" / "web" / (f".{name}.partial" if hidden else name)
    folder.mkdir(parents=True)
    (folder / "page.html").write_text("<p>假冒运动鞋 99 元</p>", encoding="utf-8")
    (folder / "capture.json").write_text(json.dumps({
        "url": url, "final_url": url, "status": 200, "title": "listing", "settled": True,
        "started": {"utc": "2024-06-07T08:15:02.123Z"}}), encoding="utf-8")
    manifest = build_manifest(folder, case_id=case.name, include=["capture.json", "page.html"])
    write_manifest(manifest, folder / "manifest.json")
    for record in ("record.html", "record.pdf"):
        (folder / record).write_text("record", encoding="utf-8")
    return folder


def dead_pid() -> int:
    """The id of a process that has just ended."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


def own(partial: Path, pid: int) -> None:
    (partial / ".owner.json").write_text(json.dumps({"pid": pid, "host": os.uname().nodename}), encoding="utf-8")
