"""Row 10: case.yml fields of the wrong kind are refused, one message per field naming file and row.

Before: ``title`` as a mapping, ``party`` as a string and ``location`` as a list rendered a
dossier with exit 0 and the title ``{'x': 'y'}``.
"""

from __future__ import annotations

import pytest

from casebook.case import iter_cases, load_case
from safeio.errors import InputError

WRONG = {
    "title": ("title:\n  x: y\n", 2, "'title' must be the case title (案件名称) as text, not a mapping"),
    "party": ("party: 某某便利店\n", 3, "'party' must be a mapping"),
    "location": ("location:\n- 114.6\n- 33.6\n", 4, "'location' must be a mapping"),
}


def _case_yml(case_id: str, **fields: str) -> str:
    text = {"title": "title: 一个正常的标题\n", "party": "party:\n  name: 某某便利店\n",
            "location": "location:\n  lon: '114.6'\n  lat: '33.6'\n"}
    text.update(fields)
    return f"case_id: {case_id}\n" + text["title"] + text["party"] + text["location"]


@pytest.mark.parametrize("field", list(WRONG))
def test_each_wrong_field_is_refused_with_file_row_and_field(case, field):
    text, _, message = WRONG[field]
    (case / "case.yml").write_text(_case_yml(case.name, **{field: text}), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(case)
    (problem,) = getattr(err.value, "problems", [None])
    assert problem.field == field and message in problem.message
    assert problem.path.endswith("case.yml") and err.value.path.endswith("case.yml")
    lines = (case / "case.yml").read_text(encoding="utf-8").splitlines()
    assert lines[problem.row - 1].startswith(f"{field}:")
    assert err.value.hint


def test_all_three_at_once_give_three_messages(case):
    (case / "case.yml").write_text(_case_yml(case.name, **{f: WRONG[f][0] for f in WRONG}), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(case)
    assert [p.field for p in getattr(err.value, "problems", [])] == ["title", "party", "location"]
    assert "3 fields of case.yml are wrong" in err.value.message
    for field in WRONG:
        assert WRONG[field][2] in str(err.value)


@pytest.mark.parametrize(("text", "field", "words"), [
    ("opened: 2024-02-30\n", "opened", "a date written YYYY-MM-DD"),
    ("opened: 3/2/2024\n", "opened", "a date written YYYY-MM-DD"),
    ("investigators: 张三\n", "investigators", "must be a list"),
    ("investigators:\n- name: 张三\n  badge: [1, 2]\n", "investigators.0.badge", "must be text"),
    ("summary:\n  a: b\n", "summary", "must be text, not a mapping"),
    ("title: '   '\n", "title", "is empty"),
])
def test_more_wrong_fields(case, text, field, words):
    body = f"case_id: {case.name}\n" + ("" if text.startswith("title") else "title: t\n") + text
    (case / "case.yml").write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(case)
    assert [p.field for p in getattr(err.value, "problems", [])] == [field]
    assert words in err.value.problems[0].message


def test_valid_case_keeps_the_shapes_the_dossier_uses(hostile_book):
    case = load_case(sorted(p.parent for p in hostile_book.glob("*/case.yml"))[0])
    assert isinstance(case.party, dict) and case.party["name"]
    assert isinstance(case.investigators, list) and all(isinstance(p, dict) for p in case.investigators)
    assert isinstance(case.location, dict) and case.lon_lat() is not None
    assert isinstance(case.title, str) and isinstance(case.opened, str)


def test_empty_containers_mean_none(case):
    (case / "case.yml").write_text(f"case_id: {case.name}\ntitle: t\nparty:\nlocation: ~\ninvestigators:\n",
                                   encoding="utf-8")
    loaded = load_case(case)
    assert (loaded.party, loaded.location, loaded.investigators) == ({}, {}, [])


def test_the_schema_is_available_as_json_schema_for_editors():
    from casebook.casefile import CaseFile

    schema = CaseFile.model_json_schema()
    assert set(schema["required"]) == {"case_id", "title"}
    assert schema["properties"]["party"]["type"] == "object"


def test_the_batch_refuses_such_a_case_and_goes_on(book):
    from casebook.batch import render_task

    cases = sorted(p.parent for p in book.glob("*/case.yml"))
    bad = cases[0]
    (bad / "case.yml").write_text(_case_yml(bad.name, title=WRONG["title"][0]), encoding="utf-8")
    loaded = list(iter_cases(book))
    assert isinstance(loaded[0], InputError) and loaded[0].problems[0].field == "title"
    assert [c.case_id for c in loaded[1:]] == [p.name for p in cases[1:]]
    # what a batch worker does with the bad case: a failed entry naming the field; no kernel started
    result = render_task({"case_dir": str(bad), "casebook_dir": str(book)}, str(book.parent / "out"), False)
    assert result["status"] == "failed" and "'title' must be" in result["error"]["message"]
    assert result["error"]["path"].endswith("case.yml")
    assert not (book.parent / "out" / bad.name).exists()
