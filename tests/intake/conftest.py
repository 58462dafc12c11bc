"""Fixtures for intake: a case opened with the command, seized-media trees, phone photos with EXIF."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CASE_FLAGS = ["--title", "周口市某某便利店销售假冒方便面案", "--case-no", "周市监处罚〔2026〕3号",
              "--organ", "周口市市场监督管理局", "--party-type", "个体工商户", "--party-name", "某某便利店",
              "--party-id", "92411602CHD7420KF5", "--party-address", "周口市川汇区李埠口乡集贸市场34号",
              "--opened", "2026-11-01", "--cause", "1", "--category", "食品", "--address", "河南省周口市川汇区李埠口乡集贸市场34号",
              "--investigator", "杨秀英:41166424376", "--no-input"]


def open_case(cli, folder: Path) -> Path:
    code, _out, err = cli("case", "new", folder, *CASE_FLAGS)
    assert code == 0, err
    return folder


@pytest.fixture
def new_case(cli, tmp_path) -> Path:
    return open_case(cli, tmp_path / "ZK-2026-003")


def make_media(root: Path, *, files: int = 6, size: int = 150_000, seed: int = 7) -> Path:
    """A seized stick: files of several sizes in folders, an empty file, a link, a name that is not UTF-8."""
    import random

    rng = random.Random(seed)
    (root / "DCIM" / "100PHOTO").mkdir(parents=True)
    (root / "账本").mkdir()
    for number in range(files):
        folder = root / ("DCIM/100PHOTO" if number % 2 else "账本")
        (folder / f"file{number:03d}.bin").write_bytes(rng.randbytes(rng.randrange(1, size)))
    (root / "empty.txt").write_bytes(b"")
    (root / "账本" / "2024年进货.csv").write_text("日期,商品,数量\n2024-03-01,康帅傅,48\n", encoding="utf-8")
    os.symlink("../empty.txt", root / "DCIM" / "link-out")
    (root / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"latin-1 name")
    return root


def tree_bytes(root: Path) -> dict[bytes, bytes]:
    """Every regular file under root, by raw relative path (links not followed)."""
    out = {}
    top = os.fsencode(root)
    for folder, _dirs, names in os.walk(top):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                out[os.path.relpath(path, top)] = Path(os.fsdecode(path)).read_bytes()
    return out
