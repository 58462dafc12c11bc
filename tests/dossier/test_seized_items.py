"""Seized items (扣押物品) of a case: declared in case.yml first, then labels/<item>/ folders, then single photos."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from casebook.case import load_case
from casebook.casefile import CaseFileError
from safeio.errors import InputError

HEAD = "case_id: ZK-2024-901\ntitle: 某便利店销售三无产品案\n"


def make_case(tmp_path: Path, items: str = "", photos=()) -> Path:
    root = tmp_path / "ZK-2024-901"
    (root / "labels").mkdir(parents=True)
    for name in photos:
        path = root / "labels" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xd8\xff\xe0 photo " + name.encode())
    (root / "case.yml").write_text(HEAD + items, encoding="utf-8")
    return root


def test_declared_items_win_then_folders_then_single_photos(tmp_path):
    root = make_case(tmp_path, """items:
  - id: kangshifu-noodles
    name: 康帅傅红烧牛肉面
    quantity: 48
    unit: 袋
    found_at: 店内货架
    price: 3.5
    photos: [labels/kangshifu-noodles/front.jpg, labels/kangshifu-noodles/back.jpg]
    complete: true
  - id: heater
    name: 电暖器
""", photos=["kangshifu-noodles/front.jpg", "kangshifu-noodles/back.jpg", "kangshifu-noodles/extra.jpg",
             "heater/side.jpg", "soap/a.jpg", "soap/b.jpg", "loose.jpg"])
    items = load_case(root).items
    assert [(i.id, i.name, i.declared, i.complete) for i in items] == [
        ("kangshifu-noodles", "康帅傅红烧牛肉面", True, True), ("heater", "电暖器", True, False),
        ("soap", "soap", False, False), ("loose", "loose.jpg", False, False)]
    noodles, heater, soap, loose = items
    assert [p.name for p in noodles.photos] == ["front.jpg", "back.jpg"]  # as declared, in that order
    assert (noodles.quantity, noodles.unit, noodles.price, noodles.found_at, noodles.value) == (48, "袋", 3.5,
                                                                                              "店内货架", 168.0)
    assert [p.name for p in heater.photos] == ["side.jpg"]  # no photos declared: its folder
    assert [p.name for p in soap.photos] == ["a.jpg", "b.jpg"] and [p.name for p in loose.photos] == ["loose.jpg"]
    # the undeclared photo of a declared item's folder is still listed among the case's photos
    assert "extra.jpg" in {p.name for p in load_case(root).label_photos()}


@pytest.mark.parametrize(("items", "field"), [
    ("items:\n  - id: Bad Id\n    name: x\n", "items.0.id"),
    ("items:\n  - id: a\n", "items.0.name"),
    ("items:\n  - id: a\n    name: x\n    quantity: many\n", "items.0.quantity"),
    ("items:\n  - id: a\n    name: x\n    photos: [../../etc/passwd]\n", "items.0.photos.0"),
    ("items:\n  - id: a\n    name: x\n    complete: maybe\n", "items.0.complete"),
])
def test_a_wrong_item_names_its_field_and_row(tmp_path, items, field):
    root = make_case(tmp_path, items)
    with pytest.raises(CaseFileError) as caught:
        load_case(root)
    assert caught.value.field == field and caught.value.row and caught.value.hint


def test_two_items_with_one_id_and_unusable_photos(tmp_path):
    root = make_case(tmp_path, "items:\n  - id: a\n    name: x\n  - id: a\n    name: y\n")
    with pytest.raises(InputError, match="two items"):
        _ = load_case(root).items
    root = make_case(tmp_path / "2", "items:\n  - id: a\n    name: x\n    photos: [labels/none.jpg, labels/link.jpg]\n",
                     photos=["real.jpg"])
    os.symlink(root / "labels" / "real.jpg", root / "labels" / "link.jpg")
    [item, other] = load_case(root).items
    assert item.photos == [] and len(item.problems) == 2
    assert "does not exist" in item.problems[0].message and "link" in item.problems[1].message
    assert other.id == "real"


def test_the_sample_declares_items_some_with_two_photos(sample_book):
    cases = [load_case(folder) for folder in sorted(sample_book.iterdir()) if (folder / "case.yml").is_file()]
    declared = [item for case in cases for item in case.items if item.declared]
    assert declared and all(item.photos and item.quantity and item.unit and item.complete for item in declared)
    assert any(len(item.photos) >= 2 for item in declared)
