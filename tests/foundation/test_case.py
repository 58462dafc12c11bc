"""The case folder model: safe ids, 文号 parsing, case.yml read without YAML surprises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebook.case import case_dirs, load_case, parse_case_no, safe_case_id
from safeio.errors import InputError, UnsafePathError


@pytest.mark.parametrize("bad", ["../../etc", "..", "a/b", "a\\b", "", " ", "案件1", "-x", "a" * 65, "a b"])
def test_unsafe_case_ids_are_refused(bad):
    with pytest.raises(UnsafePathError) as err:
        safe_case_id(bad)
    assert "case id" in str(err.value) and err.value.hint


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", fullmatch=True))
def test_safe_case_ids_are_accepted_unchanged(case_id):
    assert safe_case_id(case_id) == case_id


@given(st.text(max_size=80))
def test_any_accepted_case_id_is_a_plain_folder_name(text):
    try:
        value = safe_case_id(text)
    except UnsafePathError:
        return
    assert "/" not in value and "\\" not in value and value not in (".", "..") and not value.startswith("-")


@given(organ=st.sampled_from(["周", "清", "商", "郑州"]), kind=st.sampled_from(["市监处罚", "市监立"]),
       year=st.integers(1990, 2099), number=st.integers(1, 999999),
       brackets=st.sampled_from(["〔〕", "[]", "［］", "()", "（）", "【】"]))
def test_case_numbers_parse_with_any_bracket_variant(organ, kind, year, number, brackets):
    text = f"{organ}{kind}{brackets[0]}{year}{brackets[1]}{number}号"
    parsed = parse_case_no(text)
    assert (parsed.organ, parsed.kind, parsed.year, parsed.number) == (organ, kind, year, number)
    assert parsed.canonical == f"{organ}{kind}〔{year}〕{number}号"


@pytest.mark.parametrize("bad", ["周市监处罚2024 17号", "周市监处罚〔24〕17号", "17号", ""])
def test_malformed_case_numbers_name_the_field(bad):
    with pytest.raises(InputError) as err:
        parse_case_no(bad)
    assert err.value.field == "case_no"


def _write_case(folder, text):
    folder.mkdir()
    (folder / "case.yml").write_text(text, encoding="utf-8")
    return folder


def test_case_yml_scalars_stay_strings(tmp_path):
    folder = _write_case(tmp_path / "C-1", "case_id: C-1\ncase_no: 0012\ntitle: no\nparty:\n  name: 'yes'\n"
                                           "  credit_code: 0123\n")
    case = load_case(folder)
    assert case.case_no == "0012" and case.title == "no" and case.party["credit_code"] == "0123"


def test_broken_case_yml_names_file_and_line(tmp_path):
    folder = _write_case(tmp_path / "C-2", "case_id: C-2\ntitle: [unclosed\n")
    with pytest.raises(InputError) as err:
        load_case(folder)
    assert err.value.path.endswith("case.yml") and err.value.row is not None


def test_missing_title_names_the_field(tmp_path):
    folder = _write_case(tmp_path / "C-3", "case_id: C-3\n")
    with pytest.raises(InputError) as err:
        load_case(folder)
    assert err.value.field == "title"


def test_case_id_must_match_its_folder(tmp_path):
    folder = _write_case(tmp_path / "C-4", "case_id: C-5\ntitle: x\n")
    with pytest.raises(InputError, match="does not match"):
        load_case(folder)


def test_cases_csv_row_with_a_path_escape_is_refused_with_its_row(tmp_path):
    (tmp_path / "cases.csv").write_text("case_id,title\nok-1,a\n../../etc,b\n", encoding="utf-8")
    with pytest.raises(UnsafePathError) as err:
        case_dirs(tmp_path)
    assert err.value.row == 3 and err.value.path.endswith("cases.csv")
