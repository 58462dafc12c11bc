"""safeio.limits: the shared guards every layer uses on what a user hands over."""

from __future__ import annotations

import json
import os
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeio.errors import InputError, UnsafePathError
from safeio.limits import (
    MAX_JSON_DEPTH,
    json_depth,
    loads_json,
    read_capped,
    read_text_capped,
    terminal_json,
    terminal_text,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)
UNSAFE = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def depth_of(value) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


@given(json_values)
def test_json_depth_is_the_nesting_of_the_value(value):
    assert json_depth(json.dumps(value)) == depth_of(value)
    assert json_depth(json.dumps(value, ensure_ascii=False, indent=1)) == depth_of(value)


@given(json_values)
def test_loads_json_reads_what_json_writes(value):
    assert loads_json(json.dumps(value, ensure_ascii=False).encode()) == value


def test_brackets_inside_strings_do_not_count():
    assert json_depth(json.dumps({"name": "[[[[{{{{" * 1000, "x": ["\\\"[", "]"]})) == 2


def test_deep_nesting_is_an_input_error_naming_the_file():
    with pytest.raises(InputError) as err:
        loads_json("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), where="x.json", what="manifest")
    assert err.value.path == "x.json" and "manifest nests 65 levels" in err.value.message
    assert loads_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    with pytest.raises(json.JSONDecodeError):
        loads_json("[1,")


@given(st.text())
def test_terminal_text_leaves_no_control_character(text):
    shown = terminal_text(text)
    assert not any(unicodedata.category(ch) in UNSAFE for ch in shown)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Zl", "Zp", "Cs"))))
def test_terminal_text_keeps_safe_text_as_it_is(text):
    assert terminal_text(text) == text


def test_terminal_text_examples():
    assert terminal_text("a\x07b\x01\n\x9b\u202e中文\u3000😀") == "a\\x07b\\x01\\n\\x9b\\u202e中文\u3000😀"
    assert terminal_text("raw\udc9b") == "raw\\x9b"  # a non-UTF-8 byte from the command line


@given(json_values)
def test_terminal_json_is_the_same_json_without_control_characters(value):
    shown = terminal_json(value, indent=1)
    assert json.loads(shown) == value
    assert not any(unicodedata.category(ch) in UNSAFE for ch in shown if ch != "\n")


def test_read_capped_limits_and_refusals(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 100)
    assert read_capped(path, 100) == b"x" * 100
    with pytest.raises(InputError, match="larger than the 99 bytes"):
        read_capped(path, 99, what="f.txt")
    link = tmp_path / "link"
    link.symlink_to(path)
    with pytest.raises(UnsafePathError, match="symbolic link to"):
        read_capped(link, 1000)
    with pytest.raises(InputError, match="is a folder"):
        read_capped(tmp_path, 1000)
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(InputError, match="not a regular file"):
        read_capped(tmp_path / "fifo", 1000)
    with pytest.raises(InputError, match="does not exist"):
        read_capped(tmp_path / "nope", 1000)
    (tmp_path / "gbk.txt").write_bytes("标签".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_text_capped(tmp_path / "gbk.txt", 1000)
    (tmp_path / "bom.txt").write_bytes("\ufeff标签".encode())
    assert read_text_capped(tmp_path / "bom.txt", 1000) == "标签"


def test_one_refuser_of_links_names_the_file_and_where_it_points_for_reads_and_writes(tmp_path):
    from safeio.limits import refuse_link
    from safeio.path_parts import refuse_linked_folders

    (tmp_path / "real").mkdir()
    (tmp_path / "case").mkdir()
    (tmp_path / "case" / "evidence").symlink_to(tmp_path / "real", target_is_directory=True)
    with pytest.raises(UnsafePathError, match="never follows links") as read:
        refuse_link(tmp_path / "case" / "evidence", "case table")
    with pytest.raises(UnsafePathError, match="never writes through links") as write:
        refuse_linked_folders(tmp_path / "case", "evidence", "web", what="evidence folder")
    for err, what in ((read.value, "case table"), (write.value, "evidence folder")):
        assert what in err.message and str(tmp_path / "real") in err.message
        assert err.path.endswith("evidence")
    (tmp_path / "case" / "evidence").unlink()
    (tmp_path / "case" / "evidence").write_text("not a folder")
    with pytest.raises(UnsafePathError, match="should be a evidence folder but is a file"):
        refuse_linked_folders(tmp_path / "case", "evidence", "web", what="evidence folder")
    assert refuse_linked_folders(tmp_path / "case", "missing", "web") == tmp_path / "case" / "missing" / "web"
    assert refuse_link(tmp_path / "nothing here") is None
