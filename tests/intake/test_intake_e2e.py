"""Tried as a new user would: from an empty folder to a sealed case with a rendered dossier, by commands only."""

from __future__ import annotations

import json

import pytest

from casebook.sealing import check_case
from evidence.integrity.custody import CustodyLog
from tests.intake.conftest import CASE_FLAGS, make_media, tree_bytes
from tests.intake.test_phone_photos import phone_photo


@pytest.mark.slow
def test_empty_folder_to_sealed_case_and_dossier(cli, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    case = work / "ZK-2026-020"
    stick = make_media(tmp_path / "media" / "stick")
    sides = ["康帅傅红烧牛肉面\n净含量：105克", "配料：小麦粉、棕榈油、食盐\n保质期：6个月",
             "生产者：河南某某食品有限公司\n地址：河南省周口市川汇区人民路18号"]
    photos = [phone_photo(tmp_path / "IMG_0001.HEIC", size=(900, 300), text=sides[0]),
              phone_photo(tmp_path / "IMG_0002.jpg", color=(10, 90, 10), size=(900, 300), text=sides[1]),
              phone_photo(tmp_path / "IMG_0003.jpg", color=(10, 10, 90), gps=False, size=(900, 300), text=sides[2])]

    assert cli("case", "new", case, *CASE_FLAGS)[0] == 0
    code, out, err = cli("evidence", "acquire", stick, "--case", case, "--description", "收银台U盘",
                         "--serial", "0019E06B", "--no-write-blocker", "--json")
    assert code == 0, err
    acquired = json.loads(out)
    folder = case / "evidence" / "acquired" / acquired["folder"].rsplit("/", 1)[-1]
    assert (folder / "record.pdf").read_bytes().startswith(b"%PDF") and (folder / "record.html").is_file()
    code, out, err = cli("case", "add-photos", case, *photos, "--item", "康帅傅红烧牛肉面", "--use-gps-location",
                         "--json")
    assert code == 0, err
    assert len(json.loads(out)["added"]) == 3
    code, _, err = cli("evidence", "hash", case)
    assert code == 0, err
    integrity = check_case(case)
    assert integrity.ok, integrity.errors
    sealed = {entry.path for entry in integrity.manifest.entries}
    assert sum(path.startswith("labels/kang-shuai-fu-hong-shao-niu-rou-mian/") for path in sealed) == 3
    assert f"evidence/acquired/{folder.name}/files/账本/2024年进货.csv" in sealed
    assert tree_bytes(folder / "files") == tree_bytes(stick)
    assert [e["action"] for e in CustodyLog(case / "custody.jsonl").events()] == ["acquired", "acquired", "hashed"]

    code, out, err = cli("dossier", "run", case, "--out", tmp_path / "out")
    assert code == 0, err + out
    html = (tmp_path / "out" / case.name / "dossier.html").read_text(encoding="utf-8")
    assert "周口市某某便利店销售假冒方便面案" in html and "2024年进货.csv" in html
    assert integrity.manifest.merkle_root in html
    assert "从原始存储介质提取" in html  # the custody log names the acquisitions
