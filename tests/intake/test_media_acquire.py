"""Acquisition from seized media: the copy equals the source, the source is untouched, faults are handled."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook.case import load_case
from casebook.intake.media_acquire import ACQUIRED_DIR, acquire_media
from evidence.integrity.copy_hashing import PART_SUFFIX, copy_tree
from evidence.integrity.custody import CustodyLog
from evidence.integrity.manifest import load_manifest, verify_manifest
from tests.intake.conftest import CASE_FLAGS, make_media, open_case, tree_bytes

REPO = Path(__file__).resolve().parents[2]
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _listing(root: Path) -> dict:
    out = {}
    for folder, dirs, names in os.walk(root):
        for name in dirs + names:
            st = os.lstat(os.path.join(folder, name))
            out[os.path.join(folder, name)] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ino, st.st_atime_ns)
    return out


def _acquisitions(case: Path) -> list[Path]:
    folder = case / ACQUIRED_DIR
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


def _partials(case: Path) -> list[Path]:
    folder = case / ACQUIRED_DIR
    return sorted(p for p in folder.iterdir() if p.name.endswith(".partial")) if folder.is_dir() else []


def test_acquire_copies_verifies_seals_and_records(cli, new_case, tmp_path):
    media = make_media(tmp_path / "stick")
    _listing(media)  # listing the folders sets their access time once (relatime); the files are not read
    before = _listing(media)
    code, out, err = cli("evidence", "acquire", media, "--case", new_case, "--description", "<b>收银台U盘</b>",
                         "--device-model", "Kingston DT50", "--serial", "0019E06B", "--write-blocker", "--no-pdf",
                         "--json")
    assert code == 0, err
    report = json.loads(out)
    assert _listing(media) == before  # the source is not written, renamed, re-timed, nor its access time touched
    (folder,) = _acquisitions(new_case)
    copied = tree_bytes(folder / "files")
    assert copied == tree_bytes(media)  # every byte, including the non-UTF-8 name and the empty file
    assert os.readlink(folder / "files" / "DCIM" / "link-out") == "../empty.txt"  # recreated, never followed
    source = tree_bytes(media)
    listed = {item["source"]: item for item in report["files"]}
    ledger = listed["账本/2024年进货.csv"]
    content = source["账本/2024年进货.csv".encode()]
    assert ledger["sha256"] == hashlib.sha256(content).hexdigest()
    assert ledger["sm3"] == hashlib.new("sm3", content).hexdigest()
    assert report["problems"] == [] and report["listing_changes"] == []
    manifest = load_manifest(folder / "manifest.json")
    assert verify_manifest(manifest, folder, custody=new_case / "custody.jsonl").ok
    events = CustodyLog(new_case / "custody.jsonl").events()
    assert events[-1]["action"] == "acquired"
    assert events[-1]["objects"][0]["merkle_root"] == manifest.merkle_root
    assert events[-1]["objects"][0]["serial"] == "0019E06B"
    state = json.loads((folder / "acquisition.json").read_text(encoding="utf-8"))
    assert state["source"]["write_blocker"] is True and state["listing"]["unchanged"]
    assert state["started_utc"].endswith("Z") and state["started_beijing"]
    html = (folder / "record.html").read_text(encoding="utf-8")
    assert "电子数据提取笔录" in html and "&lt;b&gt;收银台U盘&lt;/b&gt;" in html and "<b>收银台" not in html
    assert "Kingston DT50" in html and manifest.merkle_root in html
    assert not (folder / "copy-journal.jsonl").exists() and not _partials(new_case)


def test_source_inside_the_case_is_refused(cli, new_case, tmp_path):
    inside = new_case / "evidence" / "stick"
    inside.mkdir()
    (inside / "a.txt").write_text("x")
    code, _, err = cli("evidence", "acquire", inside, "--case", new_case, "--no-pdf")
    assert code == 2 and "inside the case" in err
    code, _, err = cli("evidence", "acquire", new_case.parent, "--case", new_case, "--no-pdf")  # holds the case
    assert code == 2 and "source" in err
    assert not (new_case / ACQUIRED_DIR).exists() or not any((new_case / ACQUIRED_DIR).iterdir())


def test_a_file_that_changes_while_copied_is_not_kept(tmp_path):
    media = tmp_path / "stick"
    media.mkdir()
    (media / "growing.log").write_bytes(os.urandom(3 << 20))
    (media / "steady.txt").write_bytes(b"steady")
    touched = []

    def grow(_nbytes: int) -> None:
        if not touched:
            touched.append(1)
            with open(media / "growing.log", "ab") as handle:
                handle.write(b"one more line\n")

    result = copy_tree(media, tmp_path / "copy", journal=tmp_path / "journal", workers=1, progress=grow)
    items = {item.path: item for item in result.items}
    assert "changed" in items["growing.log"].problem and "copied" in items["growing.log"].problem
    assert items["steady.txt"].copied
    assert not (tmp_path / "copy" / "growing.log").exists()
    assert not list((tmp_path / "copy").glob("*" + PART_SUFFIX.decode()))
    assert [c["path"] for c in result.changes] == ["growing.log"]  # the listing after differs and says where


def test_an_unreadable_file_is_logged_and_the_rest_goes_on(cli, new_case, tmp_path):
    media = make_media(tmp_path / "stick")
    bad = media / "账本" / "locked.xlsx"
    bad.write_bytes(b"")
    mounted = False
    if ROOT:  # root reads anything a mode forbids: give the file an I/O error instead (this process's memory at 0)
        try:
            subprocess.run(["mount", "--bind", f"/proc/{os.getpid()}/mem", str(bad)], check=True, capture_output=True)
            mounted = True
        except (subprocess.CalledProcessError, FileNotFoundError):
            pytest.skip("this machine does not allow bind mounts")
    else:
        bad.chmod(0)
    try:
        code, out, err = cli("evidence", "acquire", media, "--case", new_case, "--no-pdf", "--json",
                             "--no-write-blocker")
        assert code == 1, err
        report = json.loads(out)
        assert [p["path"] for p in report["problems"]] == ["账本/locked.xlsx"]
        assert any(word in report["problems"][0]["problem"] for word in ("Input/output error", "Permission denied"))
        assert report["state"] == "complete" and len(report["files"]) == 10  # the rest went on
        (folder,) = _acquisitions(new_case)
        assert "locked.xlsx" in (folder / "record.html").read_text(encoding="utf-8")
        assert not (folder / "files" / "账本" / "locked.xlsx").exists()
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(bad)], check=False)
        else:
            bad.chmod(0o600)
    expected = tree_bytes(media)
    expected.pop("账本/locked.xlsx".encode(), None)
    assert tree_bytes(folder / "files") == expected


def _mount_tmpfs(path: Path, size: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)


@pytest.mark.skipif(not ROOT, reason="mounting a size-limited tmpfs needs root")
def test_a_full_destination_stops_cleanly_and_resumes(cli, tmp_path):
    disk = tmp_path / "small-disk"
    try:
        _mount_tmpfs(disk, "2m")
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip("this machine does not allow mounting tmpfs")
    try:
        case = open_case(cli, disk / "ZK-2026-005")
        media = tmp_path / "stick"
        media.mkdir()
        for number in range(8):
            (media / f"video{number}.mp4").write_bytes(os.urandom(400_000))
        code, out, err = cli("evidence", "acquire", media, "--case", case, "--no-pdf", "--json", "--no-write-blocker")
        assert code == 1
        report = json.loads(out)
        assert report["state"] == "destination_full" and report["destination_full"]
        assert not _acquisitions(case)  # nothing under a final name
        (partial,) = _partials(case)
        kept = tree_bytes(partial / "files")
        assert 0 < len(kept) < 8
        source = tree_bytes(media)
        assert all(source[name] == data for name, data in kept.items())  # what is there is whole and verified
        subprocess.run(["mount", "-o", "remount,size=8m", str(disk)], check=True)  # space freed
        code, out, err = cli("evidence", "acquire", media, "--case", case, "--no-pdf", "--json", "--no-write-blocker")
        assert code == 0, err
        report = json.loads(out)
        assert sum(item["resumed"] for item in report["files"]) == len(kept)
        (folder,) = _acquisitions(case)
        assert tree_bytes(folder / "files") == source
        assert verify_manifest(load_manifest(folder / "manifest.json"), folder, custody=None).ok
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.slow
def test_kill_9_during_acquisition_then_resume(cli, tmp_path):
    case = open_case(cli, tmp_path / "ZK-2026-006")
    media = tmp_path / "stick"
    media.mkdir()
    for number in range(300):
        (media / f"img{number:04d}.jpg").write_bytes(os.urandom(300_000))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-m", "casebook.cli", "evidence", "acquire", str(media), "--case",
                              str(case), "--no-pdf", "--no-write-blocker", "--workers", "2"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    journal = None
    while time.monotonic() < deadline:
        partials = _partials(case)
        journal = partials[0] / "copy-journal.jsonl" if partials else None
        if journal is not None and journal.is_file() and journal.read_bytes().count(b"\n") >= 30:
            break
        time.sleep(0.005)
    child.kill()
    child.wait()
    assert child.returncode == -9, "the acquisition finished before it could be interrupted"
    (partial,) = _partials(case)
    source = tree_bytes(media)
    for name, data in tree_bytes(partial / "files").items():  # nothing half-written under a final name
        if not name.endswith(PART_SUFFIX):
            assert data == source[name], name
    vouched = [json.loads(line) for line in journal.read_bytes().splitlines() if line.endswith(b"}")]
    assert len(vouched) >= 30
    assert not (partial / "manifest.json").exists()
    code, out, err = cli("evidence", "acquire", media, "--case", case, "--no-pdf", "--json", "--no-write-blocker")
    assert code == 0, err
    report = json.loads(out)
    assert sum(item["resumed"] for item in report["files"]) >= len(vouched)
    (folder,) = _acquisitions(case)
    assert tree_bytes(folder / "files") == source
    assert not _partials(case)
    assert verify_manifest(load_manifest(folder / "manifest.json"), folder, custody=case / "custody.jsonl").ok


def test_a_sealed_case_is_sealed_again_over_the_acquisition(cli, new_case, tmp_path):
    (new_case / "evidence" / "note.txt").write_text("现场笔录", encoding="utf-8")
    code, _, err = cli("evidence", "hash", new_case)
    assert code == 0, err
    result = acquire_media(make_media(tmp_path / "stick"), new_case, pdf=False)
    assert result.ok and result.case_seal["state"] == "resealed"
    from casebook.sealing import check_case

    assert check_case(new_case).ok
    assert load_case(new_case).case_id == new_case.name
    assert CASE_FLAGS  # the case was opened by the command, not written by hand


def test_the_same_media_acquired_twice_in_one_second_keeps_both(new_case, tmp_path):
    """A second acquisition of the same stick (an officer re-runs it) is a second folder, never a crash."""
    stick = make_media(tmp_path / "stick")
    first = acquire_media(stick, new_case, pdf=False, label="stick")
    second = acquire_media(stick, new_case, pdf=False, label="stick")
    assert first.ok and second.ok
    assert first.folder != second.folder
    assert sorted(_acquisitions(new_case)) == sorted([first.folder, second.folder])
    for folder in (first.folder, second.folder):
        assert verify_manifest(load_manifest(folder / "manifest.json"), folder, custody=new_case / "custody.jsonl").ok
