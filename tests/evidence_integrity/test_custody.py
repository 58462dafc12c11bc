"""Custody log: hash chain finds edited, deleted, inserted, reordered and truncated events."""

from __future__ import annotations

import itertools
import json
import multiprocessing

import pytest

from evidence.integrity.custody import ACTIONS, GENESIS, CustodyLog, custody_table
from evidence.testing import assert_custody_ok
from safeio.errors import InputError, IntegrityError


@pytest.fixture
def log(tmp_path):
    log = CustodyLog(tmp_path / "custody.jsonl")
    log.append("王五", "seized", ["U盘 1 个（封存袋 A-001）"], note="现场扣押")
    log.append("王五", "extracted", [{"path": "evidence/订单.csv", "sha256": "ab" * 32}])
    log.append("casebook", "hashed", [{"manifest": "manifest.json", "merkle_root": "cd" * 32}])
    log.append("李四", "transferred", [{"manifest": "manifest.json", "merkle_root": "cd" * 32}], note="移交法制科")
    return log


def lines(log):
    return log.path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_events_are_chained(log):
    events = log.events()
    assert [e["seq"] for e in events] == [1, 2, 3, 4]
    assert events[0]["prev"] == GENESIS
    assert all(b["prev"] == a["hash"] for a, b in itertools.pairwise(events))
    assert all(e["time_utc"].endswith("Z") for e in events)
    assert events[0]["objects"] == [{"path": "U盘 1 个（封存袋 A-001）"}]
    report = log.verify()
    assert report.ok and report.n_events == 4 and report.head == events[-1]["hash"]
    assert_custody_ok(log, min_events=4, action="hashed")


@pytest.mark.parametrize(
    ("tamper", "bad_line", "words"),
    [
        ("edit", 2, "edited"),
        ("edit_spacing", 2, "edited"),
        ("delete", 2, "deleted, inserted or reordered"),
        # a forged event that chains onto event 1 is itself well-formed: the break shows at the next one
        ("insert", 3, "deleted, inserted or reordered"),
        ("reorder", 2, "deleted, inserted or reordered"),
        ("truncate", 4, "incomplete"),
        ("garbage", 3, "not a JSON event"),
    ],
)
def test_tampering_is_found_and_the_first_bad_event_named(log, tamper, bad_line, words):
    rows = lines(log)
    if tamper == "edit":
        rows[1] = rows[1].replace("evidence/订单.csv", "evidence/订单2.csv")
    elif tamper == "edit_spacing":
        rows[1] = rows[1].replace('","', '", "', 1)
    elif tamper == "delete":
        del rows[1]
    elif tamper == "insert":  # a well-formed event with a valid own hash, slipped in
        forged = json.loads(rows[0])
        forged.update(seq=2, note="forged", prev=json.loads(rows[0])["hash"])
        from evidence.integrity.custody import event_hash
        from evidence.integrity.manifest_model import canonical_json

        forged["hash"] = event_hash(forged)
        rows.insert(1, canonical_json(forged).decode() + "\n")
    elif tamper == "reorder":
        rows[1], rows[2] = rows[2], rows[1]
    elif tamper == "truncate":
        rows[-1] = rows[-1][:40]
    else:
        rows[2] = "not json at all\n"
    log.path.write_text("".join(rows), encoding="utf-8")
    report = log.verify()
    assert not report.ok
    assert report.first_bad_line == bad_line and report.first_bad_index == bad_line - 1
    assert words in report.reason and report.n_events == len(rows) and not report.refused
    if tamper in ("truncate", "garbage"):  # a line that is no event at all cannot even be listed
        with pytest.raises(IntegrityError, match=f"line {bad_line}: ") as reading:  # exit 1, not a usage error
            log.events()
        assert reading.value.path == str(log.path)
    with pytest.raises(IntegrityError, match="nothing was added to a broken chain"):
        log.append("x", "verified", [])
    table = custody_table(log)
    assert table["chain"].iloc[bad_line - 1] == "broken" and table["problem"].iloc[bad_line - 1]
    assert all(v == "ok" for v in table["chain"].iloc[: bad_line - 1])
    assert all(v == "unconfirmed" for v in table["chain"].iloc[bad_line:])


def test_a_cut_off_end_is_found_with_the_head_kept_elsewhere(log):
    head = log.verify().head
    assert log.verify(expected_head=head).ok
    assert log.verify(expected_head=log.events()[1]["hash"]).ok  # an earlier seal is still in the log
    log.path.write_text("".join(lines(log)[:-1]), encoding="utf-8")
    assert log.verify().ok  # undetectable from inside, as documented
    report = log.verify(expected_head=head)
    assert not report.ok and "cut off" in report.reason and head in report.reason
    assert report.n_events == 3 and report.first_bad_line == 4 and report.head == log.events()[-1]["hash"]


@pytest.mark.parametrize(("change", "words"), [
    (lambda event: event.update(approved_by="局长"), "exactly the fields"),
    (lambda event: event.pop("note"), "exactly the fields"),
    (lambda event: event.update(seq=str(event["seq"])), "field 'seq' has the wrong type"),
    (lambda event: event.update(seq=True), "field 'seq' has the wrong type"),
])
def test_a_last_event_rewritten_with_a_fresh_hash_must_still_have_the_form_of_an_event(log, change, words):
    """The chain cannot see an edit of its last event; the form of every event is checked all the same."""
    from evidence.integrity.custody import event_hash
    from evidence.integrity.manifest_model import canonical_json

    rows = lines(log)
    event = json.loads(rows[-1])
    change(event)
    event["hash"] = event_hash(event)
    rows[-1] = canonical_json(event).decode() + "\n"
    log.path.write_text("".join(rows), encoding="utf-8")
    report = log.verify()
    assert not report.ok and report.first_bad_line == 4 and words in report.reason, report


def test_bad_events_are_refused(log):
    with pytest.raises(InputError, match="not a custody action"):
        log.append("a", "deleted", [])
    with pytest.raises(InputError, match="needs an actor"):
        log.append("  ", "verified", [])
    with pytest.raises(InputError, match="cannot be stored as JSON"):
        log.append("a", "verified", [{"x": object()}])
    assert set(ACTIONS) == {"seized", "extracted", "captured", "acquired", "hashed", "transferred", "verified", "exported",
                            "dossier"}
    assert log.verify().n_events == 4


def test_table_for_the_dossier(log):
    table = custody_table(log)
    assert list(table.columns) == ["seq", "time_utc", "actor", "action", "objects", "note", "chain", "problem"]
    assert list(table["action"]) == ["seized", "extracted", "hashed", "transferred"]
    assert set(table["chain"]) == {"ok"} and set(table["problem"]) == {""}
    assert table["time_utc"].iloc[0].endswith("Z")
    assert log.table().equals(table)


def _append_many(path, who, n):
    log = CustodyLog(path)
    for i in range(n):
        log.append(who, "verified", [], note=str(i))


def test_concurrent_appenders_keep_one_chain(tmp_path):
    path = tmp_path / "custody.jsonl"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(path, f"p{i}", 15)) for i in range(3)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    report = CustodyLog(path).verify()
    assert report.ok and report.n_events == 45
