"""Round 2, row 1: a value from input never becomes a path outside its folder.

Before: a case whose ``location.county`` was ``../../…/victim/index`` made ``casebook link --out O``
write its 协查函 over any ``index.html`` the path reached.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeio.path_parts import child_path, safe_component
from tests.support.links import make_case, write_table

HOSTILE_COUNTIES = ["../../../victim/index", "/tmp/victim/index", "..", "a/../../b", "C:\\victim\\index",
                    "\x1b]0;owned\x07县", "NUL", "." * 300, "长" * 200]


def _linked_pair(book: Path, county: str) -> None:
    """Two cases that share a supplier's phone, in two counties (one of them hostile): one chain, one letter."""
    for case_id, where in (("C1", "川汇区"), ("C2", county)):
        folder = make_case(book, case_id, county=where, party={"name": "某某商行"})
        write_table(folder / "evidence", "进货台账", [["日期", "商品", "供货单位", "联系电话", "数量"],
                                                   ["2024-05-01", "洗发水", "某某日化批发部", "13839462217", "5"]],
                    "utf-8")


def _all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("county", HOSTILE_COUNTIES[:3])
def test_link_writes_every_letter_inside_out_letters(tmp_path, cli, county):
    book, out = tmp_path / "deep" / "er" / "book", tmp_path / "deep" / "er" / "out"
    _linked_pair(book, county)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "index.html").write_text("keep me", encoding="utf-8")
    before = _all_files(tmp_path) - _all_files(out) if out.exists() else _all_files(tmp_path)
    code, _, err = cli("link", book, "--no-ocr", "--out", out)
    assert code == 0, err
    letters = sorted((out / "letters").iterdir())
    assert len(letters) == 1 and letters[0].parent == out / "letters" and letters[0].suffix == ".html"
    assert (victim / "index.html").read_text(encoding="utf-8") == "keep me"
    assert not Path("/tmp/victim/index.html").exists()
    written = _all_files(tmp_path) - before
    assert all(out in path.parents for path in written), sorted(written)


@pytest.mark.parametrize("county", HOSTILE_COUNTIES)
def test_a_letter_name_is_one_component_whatever_the_county(county):
    from casebook.chains.assist_letter import AssistLetter

    name = AssistLetter(chain="chain-001", from_county="川汇区", from_organ="", to_county=county, to_organ="").name
    assert child_path("/out/letters", name + ".html").parent == Path("/out/letters")
    assert len(name.encode("utf-8")) <= 150 and not name.startswith(".")


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_safe_component_never_leaves_its_folder(text):
    name = safe_component(text)
    assert name and name not in (".", "..") and not name.startswith(".")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert len(name.encode("utf-8")) <= 150
    assert os.path.normpath(os.path.join("/base", name)).startswith("/base/")
    assert safe_component(name) == name  # already safe: unchanged


def test_long_names_cut_to_the_same_prefix_do_not_collide():
    a, b = safe_component("县" * 100 + "甲"), safe_component("县" * 100 + "乙")
    assert a != b and a.startswith("县") and b.startswith("县")


def test_child_path_refuses_a_name_that_is_not_one_component():
    from safeio.errors import UnsafePathError

    for bad in ("../x", "a/b", "..", "", ".hidden"):
        with pytest.raises(UnsafePathError):
            child_path("/out", bad)
