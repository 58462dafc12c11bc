"""Row 9: ``brands match`` with a 100,000-character name, and with BEL, 0x01 or a raw 0x9B byte.

Before: 136 s for the long name; control bytes written to the terminal as they came.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

CASEBOOK = str(Path(sys.executable).with_name("casebook"))
CONTROL_BYTES = (b"\x07", b"\x01", b"\x9b", b"\xc2\x9b", b"\x1b")


def _run(*args: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([CASEBOOK.encode(), b"brands", b"match", *args], capture_output=True, timeout=120)


def test_a_huge_name_is_refused_quickly_with_a_clear_message():
    started = time.perf_counter()
    proc = _run(b"a" * 100_000)
    assert time.perf_counter() - started < 30  # start-up on a busy machine; matching it took 136 s
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "100000 characters long; at most 200" in err and "What to do" in err


def test_control_bytes_are_shown_escaped_never_written():
    proc = _run("康师傅\x07\x01".encode(), b"x\x9by", "\x9b[31mred".encode(), b"\x1b]0;pwned\x07")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert not any(bad in out for bad in CONTROL_BYTES), out
    text = out.decode()
    assert "康师傅\\x07\\x01" in text and "x\\x9by" in text and "\\x9b[31mred" in text and "\\x1b]0;pwned" in text


def test_json_output_escapes_them_too_and_stays_valid_json():
    proc = _run(b"--json", "康师傅\x07".encode(), b"x\x9by", "\x9b[31m\u202e".encode())
    assert proc.returncode == 0, proc.stderr
    assert not any(bad in proc.stdout for bad in CONTROL_BYTES)
    names = [item["name"] for item in json.loads(proc.stdout)]
    assert names == ["康师傅\x07", "x\\x9by", "\x9b[31m\u202e"]  # JSON escapes decode back to the name
