"""Digests: known vectors, one-read multi-digest equals separate digests, cross-checked by real tools."""

from __future__ import annotations

import hashlib
import os

import pytest

from evidence.integrity.hashing import (
    PIPELINE_MIN_SIZE,
    hash_bytes,
    hash_fd,
    normalize_algorithms,
    require_algorithms,
)
from evidence.integrity.manifest import build_manifest
from safeio.errors import InputError
from tests.support.tools import need, run


def test_sm3_reference_vectors():
    # GB/T 32905-2016 appendix A
    assert hash_bytes(b"abc", ["sm3"])["sm3"] == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert hash_bytes(b"abcd" * 16, ["sm3"])["sm3"] == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


def test_algorithm_names_are_normalised_and_checked():
    assert normalize_algorithms("SHA-256, sm3,sha256") == ("sha256", "sm3")
    assert require_algorithms(["sha256", "sm3", "md5"]) == ("sha256", "sm3", "md5")
    with pytest.raises(InputError, match="unknown digest algorithm 'sha1'"):
        normalize_algorithms("sha256,sha1")
    with pytest.raises(InputError):
        normalize_algorithms(" , ")


@pytest.mark.parametrize("size", [0, 1, 1 << 20, PIPELINE_MIN_SIZE + 12345])
def test_one_read_feeds_every_digest(tmp_path, size):
    data = os.urandom(size)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    seen = []
    fd = os.open(path, os.O_RDONLY)
    try:
        digests, nbytes = hash_fd(fd, ("sha256", "sm3", "md5"), size_hint=size, progress=seen.append)
    finally:
        os.close(fd)
    assert nbytes == size
    assert digests == {name: hashlib.new(name, data).hexdigest() for name in ("sha256", "sm3", "md5")}
    assert seen == sorted(seen) and (not size or seen[-1] == size)


def test_manifest_digests_agree_with_sha256sum_cksum_and_hashdeep(tmp_path):
    root = tmp_path / "t"
    root.mkdir()
    (root / "big.img").write_bytes(os.urandom(PIPELINE_MIN_SIZE + 7))
    for i in range(20):
        (root / f"small{i}.txt").write_bytes(os.urandom(i * 100))
    manifest = build_manifest(root, algorithms=("sha256", "sm3", "md5"), workers=2)
    files = sorted(e.path for e in manifest.entries)
    by_path = {e.path: e.digests for e in manifest.entries}

    sha = run([need("sha256sum"), *files], cwd=root).stdout.decode().splitlines()
    sm3 = run([need("cksum"), "-a", "sm3", "--untagged", *files], cwd=root).stdout.decode().splitlines()
    deep = run([need("hashdeep"), "-r", "-l", "."], cwd=root).stdout.decode().splitlines()
    assert {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in sha} == {p: d["sha256"] for p, d in by_path.items()}
    assert {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in sm3} == {p: d["sm3"] for p, d in by_path.items()}
    rows = [line.split(",") for line in deep if not line.startswith(("%", "#"))]
    assert {row[3][2:]: (row[1], row[2]) for row in rows} == {p: (d["md5"], d["sha256"]) for p, d in by_path.items()}
