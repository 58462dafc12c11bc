"""The promises that matter most, each tested so that breaking it one line at a time fails a test.

Every change below keeps what a careless check would compare: sizes stay the same, modification
times are put back, a link's target keeps its length.  Only content, identity or type changes,
and verify *and* sealing must both notice.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from casebook.sealing import check_case, seal_case
from evidence.integrity.manifest import load_manifest, verify_manifest
from safeio.errors import IntegrityError


@pytest.fixture
def case(tmp_path) -> Path:
    """A sealed case whose evidence holds same-size files and a link."""
    case = tmp_path / "ZK-P-001"
    evidence = case / "evidence"
    (evidence / "orders").mkdir(parents=True)
    (case / "labels").mkdir()
    (evidence / "orders" / "2024-02.csv").write_text("订单,金额\nA-1,100 元\n", encoding="utf-8")
    (evidence / "orders" / "2024-03.csv").write_text("订单,金额\nA-2,200 元\n", encoding="utf-8")
    (evidence / "chat.txt").write_text("老板：货到了\n", encoding="utf-8")
    (evidence / "latest.csv").symlink_to("orders/2024-02.csv")
    (case / "labels" / "label_1.jpg").write_bytes(b"\xff\xd8 not really a photo \xff\xd9")
    seal_case(case)
    return case


def _keep_times(path: Path):
    """Put back a path's times after changing it, so that only its content or identity differs."""
    st = os.lstat(path)

    def restore(target: Path = path):
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)

    return restore


def _verify(case: Path):
    return verify_manifest(load_manifest(case / "manifest.json"))


def _refused_by_sealing(case: Path, words: str) -> None:
    with pytest.raises(IntegrityError, match="changed since it was sealed") as err:
        seal_case(case)
    assert words in err.value.message and err.value.path == str(case / "manifest.json")
    assert not check_case(case).ok


def test_a_same_size_edit_is_modified(case):
    target = case / "evidence" / "orders" / "2024-02.csv"
    restore = _keep_times(target)
    before = target.stat().st_size
    target.write_text(target.read_text(encoding="utf-8").replace("100 元", "900 元"), encoding="utf-8")
    restore()
    assert target.stat().st_size == before
    report = _verify(case)
    assert not report.ok and [i["path"] for i in report.modified] == ["evidence/orders/2024-02.csv"]
    assert report.modified[0]["change"] == "content"
    assert not (report.moved or report.missing or report.added or report.metadata_changed)
    _refused_by_sealing(case, "1 modified")


def test_moved_files_are_paired_by_content_not_size(case):
    orders = case / "evidence" / "orders"
    assert (orders / "2024-02.csv").stat().st_size == (orders / "2024-03.csv").stat().st_size
    (orders / "2024-02.csv").rename(case / "evidence" / "moved.csv")  # same content, new name
    (orders / "2024-03.csv").unlink()  # gone
    (orders / "2024-04.csv").write_text("订单,金额\nA-3,300 元\n", encoding="utf-8")  # same size, new content
    report = _verify(case)
    assert [(i["path"], i["to"]) for i in report.moved] == [("evidence/orders/2024-02.csv", "evidence/moved.csv")]
    assert [i["path"] for i in report.missing] == ["evidence/orders/2024-03.csv"]
    assert [i["path"] for i in report.added] == ["evidence/orders/2024-04.csv"]
    assert report.modified == []  # the link's target text did not change, even if it now points nowhere
    _refused_by_sealing(case, "1 moved")


def test_a_moved_file_alone_is_not_ok(case):
    (case / "evidence" / "chat.txt").rename(case / "evidence" / "chat-renamed.txt")
    report = _verify(case)
    assert not report.ok and [i["to"] for i in report.moved] == ["evidence/chat-renamed.txt"]
    assert not (report.missing or report.added)
    _refused_by_sealing(case, "1 moved")


def test_an_added_file_is_not_ok(case):
    (case / "evidence" / "new.txt").write_text("后来加的", encoding="utf-8")
    report = _verify(case)
    assert not report.ok and [i["path"] for i in report.added] == ["evidence/new.txt"]
    _refused_by_sealing(case, "1 added")


def test_a_repointed_link_is_modified(case):
    link = case / "evidence" / "latest.csv"
    restore = _keep_times(link)
    link.unlink()
    link.symlink_to("orders/2024-03.csv")  # a target of the same length
    restore()
    report = _verify(case)
    assert not report.ok and [(i["path"], i["change"]) for i in report.modified] == [
        ("evidence/latest.csv", "link target")]
    assert report.modified[0]["expected"]["target"] == "orders/2024-02.csv"
    assert report.modified[0]["found"]["target"] == "orders/2024-03.csv"
    _refused_by_sealing(case, "1 modified")


def test_a_file_turned_into_a_folder_is_noticed(case):
    target = case / "evidence" / "chat.txt"
    target.unlink()
    target.mkdir()
    (target / "inside.txt").write_text("老板：货没到\n", encoding="utf-8")
    report = _verify(case)
    assert [i["path"] for i in report.missing] == ["evidence/chat.txt"]
    assert [i["path"] for i in report.added] == ["evidence/chat.txt/inside.txt"]
    assert not report.ok and not report.moved
    _refused_by_sealing(case, "1 missing, 1 added")


def test_a_file_turned_into_a_folder_holding_it_is_a_move(case):
    target = case / "evidence" / "chat.txt"
    target.unlink()
    target.mkdir()
    (target / "inside.txt").write_text("老板：货到了\n", encoding="utf-8")  # the same content, one level down
    report = _verify(case)
    assert [(i["path"], i["to"]) for i in report.moved] == [("evidence/chat.txt", "evidence/chat.txt/inside.txt")]
    assert not report.ok
    _refused_by_sealing(case, "1 moved")


def test_a_file_turned_into_a_link_and_back(case):
    target = case / "evidence" / "chat.txt"
    target.unlink()
    target.symlink_to("orders/2024-02.csv")
    report = _verify(case)
    assert [(i["path"], i["change"]) for i in report.modified] == [("evidence/chat.txt", "type")]
    assert report.modified[0]["found"]["type"] == "symlink"
    _refused_by_sealing(case, "1 modified")
    link = case / "evidence" / "latest.csv"
    link.unlink()
    link.write_text("orders/2024-02.csv", encoding="utf-8")  # a file holding the link's target text
    report = _verify(case)
    assert {(i["path"], i["change"]) for i in report.modified} == {("evidence/chat.txt", "type"),
                                                                   ("evidence/latest.csv", "type")}


def test_a_folder_turned_into_a_file_is_noticed(case):
    orders = case / "evidence" / "orders"
    shutil.rmtree(orders)
    orders.write_text("订单,金额\nA-1,100 元\n", encoding="utf-8")  # the content of one file it held
    report = _verify(case)
    assert [(i["path"], i["to"]) for i in report.moved] == [("evidence/orders/2024-02.csv", "evidence/orders")]
    assert [i["path"] for i in report.missing] == ["evidence/orders/2024-03.csv"]
    assert not report.added and not report.ok
    _refused_by_sealing(case, "1 missing, 1 moved")


def test_an_untouched_case_verifies_and_reseals_to_nothing(case):
    report = _verify(case)
    assert report.ok and not (report.modified or report.metadata_changed)
    assert len(report.matched) == 5  # four files and the link
    again = seal_case(case)
    assert not again.created and again.event is None
