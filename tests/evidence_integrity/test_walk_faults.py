"""Seized trees that fight back: FIFOs, links, odd names, files changing underneath, unreadable things.

Each gives a clear result, and nothing is written into the evidence tree (not even an atime).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from evidence.integrity.manifest import build_manifest, load_manifest, verify_manifest, write_manifest
from evidence.testing import assert_tree_untouched, snapshot_tree
from safeio.errors import InputError
from tests.support.tools import ODD_NAMES, once_while_hashing


def by_raw(manifest):
    return {entry.raw: entry for entry in manifest.entries}


@pytest.mark.timeout(60)
def test_fifo_socket_and_links_are_recorded_not_followed(tmp_path):
    root = tmp_path / "seized"
    (root / "d").mkdir(parents=True)
    (root / "d" / "f.txt").write_text("x")
    os.mkfifo(root / "pipe")  # hashdeep hangs here forever
    (root / "to_etc").symlink_to("/etc")  # a link pointing outside the root
    (root / "passwd").symlink_to("/etc/passwd")
    (root / "loop_a").symlink_to("loop_b")  # a link loop
    (root / "loop_b").symlink_to("loop_a")
    (root / "d" / "up").symlink_to("..")  # a folder loop
    import socket

    sock = socket.socket(socket.AF_UNIX)
    with contextlib.suppress(OSError):
        sock.bind(str(root / "sock"))
    before = snapshot_tree(root)
    manifest = build_manifest(root)
    entries = by_raw(manifest)
    assert set(entries) == {b"d/f.txt", b"pipe", b"to_etc", b"passwd", b"loop_a", b"loop_b", b"d/up"} | (
        {b"sock"} if (root / "sock").exists() else set())
    assert entries[b"pipe"].type == "fifo" and entries[b"pipe"].problem.startswith("skipped")
    assert entries[b"to_etc"].type == "symlink" and entries[b"to_etc"].target == b"/etc"
    assert entries[b"loop_a"].target == b"loop_b" and not entries[b"loop_a"].digests
    assert entries[b"d/up"].target == b".."
    assert manifest.totals["problems"] == 0 and manifest.totals["files"] == 1
    report = verify_manifest(manifest)
    assert report.ok and {item["path"] for item in report.skipped} >= {"pipe"}
    assert_tree_untouched(before, root)
    sock.close()


def test_odd_names_survive_exactly(odd_tree, tmp_path):
    before = snapshot_tree(odd_tree)
    manifest = build_manifest(odd_tree, case_id="ZK-1")
    path = write_manifest(manifest, tmp_path / "m.json")
    loaded = load_manifest(path)
    raws = set(by_raw(loaded))
    assert set(ODD_NAMES) <= raws
    assert "子目录/截图 1.png".encode() in raws and b"sub/deeper/data.bin" in raws
    bad = by_raw(loaded)[b"not-utf8-\xff\xfe.bin"]
    assert bad.to_dict()["path"] == "not-utf8-\\xff\\xfe.bin" and bad.to_dict()["path_b64"]
    assert by_raw(loaded)[b"empty"].digests["sha256"] == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert verify_manifest(loaded, custody=None).ok  # content only: this manifest was never sealed in a log
    assert_tree_untouched(before, odd_tree)


def test_deep_paths_beyond_path_max(tmp_path):
    root = tmp_path / "deep"
    root.mkdir()
    name = "d" * 200
    fd = os.open(root, os.O_RDONLY)
    depth = 30  # 30 * 201 bytes > PATH_MAX (4096)
    for _ in range(depth):
        os.mkdir(name, dir_fd=fd)
        child = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = child
    leaf = os.open("leaf.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(leaf, b"deep evidence")
    os.close(leaf)
    os.close(fd)
    manifest = build_manifest(root)
    (entry,) = manifest.entries
    assert len(entry.raw) > 4096 and entry.raw.endswith(b"/leaf.txt")
    assert entry.problem is None and entry.size == 13
    assert verify_manifest(manifest).ok


@pytest.mark.parametrize("change", ["grow", "shrink", "delete", "rewrite"])
def test_file_changing_while_hashed_is_reported_not_hashed(tmp_path, change):
    root = tmp_path / "t"
    root.mkdir()
    target = root / "growing.log"
    target.write_bytes(os.urandom(3 << 20))
    (root / "steady.txt").write_text("steady")

    def act():
        if change == "grow":
            with open(target, "ab") as handle:
                handle.write(b"more")
        elif change == "shrink":
            os.truncate(target, 10)
        elif change == "delete":
            target.unlink()
        else:
            with open(target, "r+b") as handle:
                handle.seek(1 << 21)
                handle.write(b"X")
            os.utime(target, ns=(0, 123456789))

    manifest = build_manifest(root, progress=once_while_hashing(act))
    entry = by_raw(manifest)[b"growing.log"]
    assert entry.problem and ("changed" in entry.problem or "deleted" in entry.problem)
    assert entry.digests == {} and not entry.has_content
    assert by_raw(manifest)[b"steady.txt"].has_content
    assert manifest.totals["problems"] == 1
    assert [e.path for e in manifest.problems] == ["growing.log"]


@contextlib.contextmanager
def as_nobody():
    """Drop to an unprivileged effective uid (root reads everything, mode 000 included)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_unreadable_file_and_folder_are_reported():
    top = Path(tempfile.mkdtemp(prefix="cb-unreadable-"))
    try:
        os.chmod(top, 0o755)
        root = top / "seized"
        root.mkdir(mode=0o755)
        (root / "ok.txt").write_text("fine")
        (root / "locked.txt").write_text("secret")
        os.chmod(root / "locked.txt", 0)
        (root / "closed").mkdir()
        (root / "closed" / "inside.txt").write_text("x")
        os.chmod(root / "closed", 0)
        os.chmod(root / "ok.txt", 0o644)
        with as_nobody():
            manifest = build_manifest(root)
            report = verify_manifest(manifest)
        entries = by_raw(manifest)
        assert entries[b"locked.txt"].problem.startswith("unreadable") and not entries[b"locked.txt"].digests
        assert entries[b"closed"].type == "directory" and "unreadable folder" in entries[b"closed"].problem
        assert entries[b"ok.txt"].has_content
        assert manifest.totals["problems"] == 2
        assert not report.ok and {i["path"] for i in report.unverifiable} == {"locked.txt", "closed"}
        assert {i["path"]: i["reason"] for i in report.unverifiable}["closed"] == "unreadable folder: Permission denied"
        assert report.matched == [{"path": "ok.txt"}]
    finally:
        for path in (top / "seized" / "closed", top / "seized" / "locked.txt"):
            with contextlib.suppress(OSError):
                os.chmod(path, 0o755)
        shutil.rmtree(top)


def test_missing_root_and_file_root_are_unusable_input(tmp_path, cli):
    with pytest.raises(InputError, match="does not exist"):
        build_manifest(tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(InputError, match="is a file, not a folder"):
        build_manifest(tmp_path / "file.txt")
    code, _, err = cli("evidence", "hash", str(tmp_path / "nope"), "--out", str(tmp_path / "m.json"))
    assert code == 2 and "does not exist" in err
    code, _, err = cli("evidence", "hash", str(tmp_path / "file.txt"), "--out", str(tmp_path / "m.json"))
    assert code == 2 and "is a file" in err
    assert not (tmp_path / "m.json").exists()


def test_manifest_inside_the_tree_is_refused(odd_tree, cli):
    before = snapshot_tree(odd_tree)
    code, _, err = cli("evidence", "hash", str(odd_tree), "--out", str(odd_tree / "m.json"))
    assert code == 2 and "inside the evidence tree" in err
    assert_tree_untouched(before, odd_tree)


CRASH_SCRIPT = textwrap.dedent("""
    import os, sys
    from evidence.integrity.manifest import build_manifest, write_manifest
    root, out, when = sys.argv[1], sys.argv[2], sys.argv[3]
    def progress(path, n):
        if when == "hashing":
            os._exit(9)
    if when == "rename":
        import safeio.atomic
        safeio.atomic.os.replace = lambda *a: os._exit(9)
    write_manifest(build_manifest(root, progress=progress), out)
""")


@pytest.mark.parametrize("when", ["hashing", "rename"])
def test_crash_mid_run_leaves_no_manifest_and_a_rerun_finishes(odd_tree, tmp_path, cli, when):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "manifest.json"
    proc = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(odd_tree), str(out), when],
                          capture_output=True, timeout=120)
    assert proc.returncode == 9
    assert not out.exists()
    assert all(p.name.startswith(".") and p.name.endswith(".tmp") for p in out_dir.iterdir())
    code, _, err = cli("evidence", "hash", str(odd_tree), "--out", str(out))
    assert code == 0, err
    assert verify_manifest(load_manifest(out)).ok


def test_manifests_are_deterministic_apart_from_times(odd_tree):
    one, two = build_manifest(odd_tree, workers=1), build_manifest(odd_tree, workers=4)
    assert one.merkle_root == two.merkle_root
    assert [e.to_dict() for e in one.entries] == [e.to_dict() for e in two.entries]


def test_the_path_based_fallback_gives_the_same_manifest(odd_tree, monkeypatch):
    """Windows has no dir_fd: the walk then uses full paths; the result must not change."""
    import evidence.integrity.walk

    with_fds = build_manifest(odd_tree)
    monkeypatch.setattr(evidence.integrity.walk, "USE_DIR_FD", False)
    with_paths = build_manifest(odd_tree)
    assert with_paths.merkle_root == with_fds.merkle_root


def test_cli_hash_exits_1_when_a_file_could_not_be_hashed(cli):
    top = Path(tempfile.mkdtemp(prefix="cb-unreadable-cli-"))
    try:
        os.chmod(top, 0o777)
        root = top / "seized"
        root.mkdir(mode=0o755)
        (root / "ok.txt").write_text("fine")
        os.chmod(root / "ok.txt", 0o644)
        (root / "locked.txt").write_text("secret")
        os.chmod(root / "locked.txt", 0)
        with as_nobody():
            code, text, err = cli("evidence", "hash", str(root), "--out", str(top / "m.json"), "--json")
        assert code == 1, err
        assert json.loads(text)["problems"] == [{"path": "locked.txt", "problem": "unreadable: Permission denied"}]
        assert load_manifest(top / "m.json").totals["problems"] == 1
    finally:
        shutil.rmtree(top)


def test_a_folder_unreadable_when_sealed_stays_unverifiable_once_readable():
    top = Path(tempfile.mkdtemp(prefix="cb-unreadable-then-"))
    try:
        os.chmod(top, 0o755)
        root = top / "seized"
        root.mkdir(mode=0o755)
        (root / "closed").mkdir()
        (root / "closed" / "inside.txt").write_text("x")
        os.chmod(root / "closed", 0)
        from evidence.integrity.manifest import tool_info

        tool_info()  # imports what it needs while still privileged (nobody cannot read this Python's library)
        with as_nobody():
            manifest = build_manifest(root)
        os.chmod(root / "closed", 0o755)  # readable now: what it held then is still unknown
        report = verify_manifest(manifest)
        assert report.unverifiable == [
            {"path": "closed", "reason": "was unreadable when hashed: unreadable folder: Permission denied"}]
        assert [item["path"] for item in report.added] == ["closed/inside.txt"] and not report.missing
    finally:
        with contextlib.suppress(OSError):
            os.chmod(top / "seized" / "closed", 0o755)
        shutil.rmtree(top)
