"""What an officer reads when sealing or the custody log refuses: the file, what happened, and what to do.

The hint is the instruction a non-programmer follows at a seizure; these tests hold its words.
"""

from __future__ import annotations

import os

import pytest

from casebook.sealing import check_case, seal_case, seal_tree
from evidence.integrity.custody import ACTIONS, MAX_LOG_BYTES, CustodyLog
from safeio.errors import InputError, IntegrityError
from tests.support.tools import write


@pytest.fixture
def case(tmp_path):
    root = tmp_path / "ZK-2024-001"
    write(root, b"evidence/ledger.csv", "进货日期,供货单位\n2024-03-01,汇通日化\n".encode())
    write(root, b"labels/label_1.jpg", os.urandom(2000))
    (root / "case.yml").write_text("case_id: ZK-2024-001\n", encoding="utf-8")
    return root


def test_a_case_folder_that_is_not_there_or_is_a_file(tmp_path):
    with pytest.raises(InputError) as missing:
        seal_case(tmp_path / "nowhere")
    assert missing.value.message == "this case folder does not exist"
    assert missing.value.hint == "Give the case folder that holds case.yml, labels/ and evidence/."
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="this is not a folder") as a_file:
        check_case(tmp_path / "file")
    assert a_file.value.path == str(tmp_path / "file")


def test_a_manifest_asked_for_in_a_folder_that_does_not_exist(case, tmp_path):
    with pytest.raises(InputError) as refused:
        seal_tree(case, tmp_path / "no" / "such" / "manifest.json")
    assert refused.value.message == "the folder for the manifest does not exist"
    assert refused.value.hint == "Create the folder first or choose another --out path."
    assert refused.value.path == str(tmp_path / "no" / "such")


def test_a_changed_case_says_how_to_seal_a_deliberate_change(case):
    seal_case(case)
    (case / "evidence" / "ledger.csv").write_bytes("进货日期,供货单位\n2024-03-01,汇通日化（改）\n".encode())
    with pytest.raises(IntegrityError) as refused:
        seal_case(case)
    assert "(1 modified)" in refused.value.message and "the manifest was not replaced" in refused.value.message
    assert refused.value.hint == ("See what changed with 'casebook evidence verify'. If the change is deliberate "
                                  "(new evidence added), seal again with --reseal: the old manifest is kept in "
                                  "manifests/ and the custody log records both roots.")


def test_check_case_says_a_case_is_not_sealed_and_why_a_log_is_broken(case):
    assert check_case(case).errors == ["the case has not been sealed yet (no manifest.json)"]
    seal_case(case)
    log = case / "custody.jsonl"
    log.write_bytes(log.read_bytes()[:-10])
    assert check_case(case).errors[0] == ("custody log: line 1: the line is incomplete (the file was cut or a "
                                          "write did not finish)")


def test_custody_events_need_an_actor_and_a_known_action(tmp_path):
    log = CustodyLog(tmp_path / "custody.jsonl")
    with pytest.raises(InputError) as no_actor:
        log.append(" ", "seized", [])
    assert no_actor.value.message == "a custody event needs an actor (who did it)"
    assert no_actor.value.field == "actor" and "--actor 张三" in no_actor.value.hint
    with pytest.raises(InputError) as bad_action:
        log.append("王五", "deleted", [])
    assert bad_action.value.hint == "Use one of: " + ", ".join(ACTIONS) + "."
    with pytest.raises(InputError) as nowhere:
        CustodyLog(tmp_path / "gone" / "custody.jsonl").append("王五", "seized", [])
    assert nowhere.value.message == "the folder for the custody log does not exist"
    assert nowhere.value.path == str(tmp_path / "gone")


def test_a_broken_or_oversized_log_is_kept_as_it_is(tmp_path):
    path = tmp_path / "custody.jsonl"
    log = CustodyLog(path)
    log.append("王五", "seized", ["U盘 1 个"])
    path.write_bytes(path.read_bytes().replace(b"\xe7\x8e\x8b", b"\xe6\x9d\x8e"))  # 王 -> 李
    with pytest.raises(IntegrityError) as broken:
        log.append("王五", "verified", [])
    assert "do not repair it by hand." in broken.value.hint
    path.write_bytes(b"not json\n")
    with pytest.raises(IntegrityError) as unlisted:
        log.events()
    assert unlisted.value.hint == "Keep the log as it is; check it with 'casebook evidence custody verify'."
    with open(path, "wb") as handle:
        handle.truncate(MAX_LOG_BYTES + 1)
    with pytest.raises(InputError) as huge:
        log.verify()
    assert huge.value.hint == ("A custody log this large was not written by casebook; keep it as it is and "
                               "report it to the case supervisor.")
