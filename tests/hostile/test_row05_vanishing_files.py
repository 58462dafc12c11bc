"""Row 5: a file that disappears (or is swapped) while queued for hashing is a problem, not a sealed item.

Before: with ``--workers 1``, a file deleted after it was listed but before its turn came was
sealed as present, with the digest of the deleted content.
"""

from __future__ import annotations

import json
import os

import pytest

from evidence.integrity.manifest import build_manifest
from tests.support.tools import once_while_hashing, write


def _entries(manifest):
    return {entry.path: entry for entry in manifest.entries}


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "seized"
    write(root, b"a-first.txt", b"first")
    write(root, b"b-queued.csv", "订单,金额\n1,100 元\n".encode())
    write(root, b"c-last.txt", b"last")
    return root


def test_a_file_deleted_while_queued_is_a_problem(tree):
    manifest = build_manifest(tree, workers=1, progress=once_while_hashing(lambda: (tree / "b-queued.csv").unlink()))
    entry = _entries(manifest)["b-queued.csv"]
    assert entry.digests == {} and not entry.has_content
    assert entry.problem.startswith("vanished before it was read")
    assert manifest.totals["problems"] == 1 and manifest.totals["files"] == 2
    assert [e.path for e in manifest.problems] == ["b-queued.csv"]


def test_a_file_replaced_while_queued_is_a_problem(tree):
    def swap():
        write(tree, b"forged.tmp", "订单,金额\n1,900 元\n".encode())
        os.replace(tree / "forged.tmp", tree / "b-queued.csv")

    manifest = build_manifest(tree, workers=1, progress=once_while_hashing(swap))
    entry = _entries(manifest)["b-queued.csv"]
    assert entry.digests == {} and entry.problem.startswith("replaced (another file now has its name)")


def test_a_file_changed_while_queued_is_a_problem(tree):
    def edit():
        with open(tree / "b-queued.csv", "ab") as handle:
            handle.write(b"2,50 \xe5\x85\x83\n")

    manifest = build_manifest(tree, workers=1, progress=once_while_hashing(edit))
    entry = _entries(manifest)["b-queued.csv"]
    assert entry.digests == {} and "before it was read" in entry.problem


def test_a_file_renamed_away_during_its_read_is_a_problem(tmp_path):
    root = tmp_path / "seized"
    big = write(root, b"disk.img", os.urandom(3 << 20))
    manifest = build_manifest(root, workers=1, progress=once_while_hashing(lambda: big.rename(tmp_path / "gone.img")))
    (entry,) = manifest.entries
    assert entry.digests == {} and "while it was being hashed" in entry.problem


def test_the_cli_exits_1_and_names_the_vanished_file(tree, tmp_path, cli, monkeypatch):
    import evidence.integrity.tree_hashing

    real = evidence.integrity.tree_hashing.hash_fd
    victim = tree / "b-queued.csv"

    def delete_then_hash(fd, *args, **kwargs):
        if victim.exists():
            victim.unlink()  # the first file's turn: the queued one goes
        return real(fd, *args, **kwargs)

    monkeypatch.setattr(evidence.integrity.tree_hashing, "hash_fd", delete_then_hash)
    code, text, _ = cli("evidence", "hash", str(tree), "--out", str(tmp_path / "m.json"), "--workers", "1", "--json")
    assert code == 1
    assert [item["path"] for item in json.loads(text)["problems"]] == ["b-queued.csv"]
