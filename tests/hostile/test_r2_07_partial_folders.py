"""Round 2, row 7: the hidden folder of a capture killed with -9 is recognised at once, named, and cleaned.

Before: it blocked re-sealing for an hour with a message that did not mention it.
"""

from __future__ import annotations

import os

import pytest

from casebook.sealing import seal_case
from casebook.webcapture.capture_custody import partial_folders
from casebook.webcapture.case_capture import CaseCapture
from safeio.errors import IntegrityError
from tests.hostile.r2_captures import dead_pid, hand_made_capture, own


def test_a_partial_folder_of_a_dead_process_is_removed_at_once_and_named(case):
    partial = hand_made_capture(case, hidden=True)
    own(partial, dead_pid())
    with CaseCapture(case) as run:  # no address: no browser starts
        assert run.removed_partial == [partial.name]
        assert partial.name in run.partial_notes[0] and "is gone" in run.partial_notes[0]
    assert not partial.exists()


def test_a_partial_folder_of_a_live_process_is_kept(case):
    partial = hand_made_capture(case, hidden=True)
    own(partial, os.getppid())  # alive for the whole test
    with CaseCapture(case) as run:
        assert run.removed_partial == []
    assert partial.exists() and not partial_folders(case)[0].stale


def test_a_seal_names_a_partial_folder_instead_of_refusing_in_general_terms(case):
    partial = hand_made_capture(case, hidden=True)
    own(partial, dead_pid())
    with pytest.raises(IntegrityError) as caught:
        seal_case(case)
    assert partial.name in caught.value.message and "did not finish" in caught.value.message
    assert "capture" in caught.value.hint
    with CaseCapture(case):
        pass
    assert seal_case(case).created  # once cleaned, the case seals
