"""Reading ``case.yml`` safely: a YAML subset without surprises, checked against a schema.

``case.yml`` is written by people and may come from anyone, so it is read defensively
(docs/domain.md, "Electronic evidence"):

- every scalar stays a string (YAML's base loader): a case number ``0012`` stays ``"0012"``
  and a party called ``no`` stays ``"no"`` (PyYAML's safe loader would give 12 and False);
- anchors and aliases (``&a`` / ``*a``) are refused: they are how a "billion laughs" file of
  a few hundred bytes expands to gigabytes, and no case needs them;
- the file may be at most :data:`MAX_BYTES`, nest :data:`MAX_DEPTH` levels and hold
  :data:`MAX_NODES` values; a key may appear once; the file itself may not be a link;
- the result must match :class:`CaseFile` (a pydantic model; ``CaseFile.model_json_schema()``
  gives it as JSON Schema for editors): ``title`` is text, ``party`` and ``location`` are
  mappings, ``investigators`` a list, dates are ``YYYY-MM-DD``.  Each wrong field gets one
  message naming the file, the row and the field.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from safeio.errors import InputError
from safeio.limits import read_capped, terminal_text

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "CaseFile", "CaseFileError", "SeizedItemEntry", "read_case_file"]

MAX_BYTES = 256 << 10
MAX_DEPTH = 16
MAX_NODES = 5_000  # a case.yml holds some 40 values

_DATE_TEXT = "a date written YYYY-MM-DD (for example 2024-03-02)"
_COORDINATE_TEXT = "a number in decimal degrees (for example 114.621974)"
# What each field must be, said for people; a field not listed here is text.
_EXPECT = {
    "case_id": "the case folder's name (for example ZK-2024-017)",
    "title": "the case title (案件名称) as text",
    "party": "a mapping: indented lines such as 'name:', 'credit_code:', 'address:'",
    "investigators": "a list: one line '- name: ...' per investigator",
    "investigators.*": "a name, or indented lines 'name:' and 'badge:'",
    "opened": _DATE_TEXT,
    "closed": _DATE_TEXT,
    "location": "a mapping: indented lines such as 'county:', 'lon:', 'lat:'",
    "location.lon": _COORDINATE_TEXT,
    "location.lat": _COORDINATE_TEXT,
    "items": "a list: one '- id: ...' block per seized item, with 'name:' and optionally quantity, unit, "
             "found_at, price, photos, complete",
    "items.*": "a mapping: indented lines 'id:', 'name:', 'quantity:', 'unit:', 'photos:' ...",
    "items.*.id": "a short name of lower-case letters, digits, '-' and '_' (for example kangshifu-noodles)",
    "items.*.name": "the item's name (物品名称) as text",
    "items.*.quantity": "a number (for example 48)",
    "items.*.price": "a number of yuan per unit (for example 3.5)",
    "items.*.photos": "a list of photo paths inside the case folder (for example labels/noodles/front.jpg)",
    "items.*.photos.*": "a photo path inside the case folder, without '..' (for example labels/noodles/front.jpg)",
    "items.*.complete": "true or false (true: every side of the item was photographed)",
}


def _iso_date(value: str) -> str:
    if value.strip():
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError("not YYYY-MM-DD")
        date.fromisoformat(value.strip())  # 2024-02-30 fails here
    return value


_Date = Annotated[str, AfterValidator(_iso_date)]
_Coordinate = Annotated[str, Field(pattern=r"^\s*(-?\d{1,3}(\.\d+)?)?\s*$")]
_Number = Annotated[str, Field(pattern=r"^\s*(\d{1,9}(\.\d+)?)?\s*$")]
_Flag = Annotated[str, Field(pattern=r"^\s*(true|false|True|False|TRUE|FALSE|yes|no|Yes|No|是|否)?\s*$")]


def _case_path(value: str) -> str:
    """A path relative to the case folder that stays inside it: no absolute path, drive or '..' part."""
    parts = re.split(r"[/\\]", value.strip())
    if not value.strip() or value.strip().startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value.strip()) \
            or ".." in parts:
        raise ValueError("not a path inside the case folder")
    return value


_CasePath = Annotated[str, AfterValidator(_case_path)]


class SeizedItemEntry(BaseModel):
    """One seized item (扣押物品) as ``case.yml`` declares it; every value is text as written."""

    model_config = ConfigDict(extra="allow", strict=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,64}$")]
    name: Annotated[str, Field(pattern=r"\S")]
    quantity: _Number = ""
    unit: str = ""
    found_at: str = ""
    price: _Number = ""
    photos: list[_CasePath] = []
    complete: _Flag = ""


class _Location(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    __pydantic_extra__: dict[str, str] = Field(init=False)

    lon: _Coordinate = ""
    lat: _Coordinate = ""


class CaseFile(BaseModel):
    """What ``case.yml`` may hold. Unknown top-level keys are kept (an office's own notes)."""

    model_config = ConfigDict(extra="allow", strict=True)

    case_id: Annotated[str, Field(min_length=1)]
    title: Annotated[str, Field(pattern=r"\S")]
    case_no: str = ""
    organ: str = ""
    party: dict[str, str] = {}
    investigators: list[str | dict[str, str]] = []
    opened: _Date = ""
    closed: _Date = ""
    category: str = ""
    location: _Location = _Location()
    summary: str = ""
    items: list[SeizedItemEntry] = []


# The fields that hold a mapping or a list: an empty value ('party:' with nothing under it) is "none".
_CONTAINERS = ("party", "investigators", "location", "items")
_EMPTY = ("", "~", "null", "Null", "NULL")


class CaseFileError(InputError):
    """``case.yml`` cannot be used; ``problems`` holds one error per wrong field."""

    def __init__(self, message: str, *, problems: list[InputError] | None = None, **where) -> None:
        self.problems = list(problems or [])
        super().__init__(message, **where)


class _Refused(Exception):
    def __init__(self, message: str, mark) -> None:
        super().__init__(message)
        self.message = message
        self.row = mark.line + 1 if mark is not None else None


class _CaseLoader(yaml.BaseLoader):
    """The base loader (strings only) with anchors and aliases refused and size limits kept."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("YAML anchors and aliases ('&name', '*name') are not accepted in case.yml",
                           event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(f"case.yml holds more than {MAX_NODES} values", event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(f"case.yml nests deeper than {MAX_DEPTH} levels", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _lines(node, path: tuple = (), out: dict | None = None, row: int | None = None) -> dict[tuple, int]:
    """``{path: row}`` for every value (the row of its key), so a wrong field is named with its row.

    Refuses a key that appears twice in one mapping (YAML would silently keep the last).
    """
    out = {} if out is None else out
    out[path] = row or node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            row = key.start_mark.line + 1
            if name in seen:
                raise _Refused(f"the key '{terminal_text(name)}' appears twice (rows {seen[name]} and {row}); "
                               "keep one", key.start_mark)
            seen[name] = row
            _lines(value, (*path, name), out, row)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), out)
    return out


def _parse(text: str, path: Path) -> tuple[object, dict[tuple, int]]:
    loader = _CaseLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        rows = _lines(node)
        return loader.construct_document(node), rows
    except _Refused as err:
        raise CaseFileError(err.message, path=path, row=err.row,
                            hint="Write each value out in full: case.yml takes plain 'key: value' lines, "
                            "indented mappings and '- ' lists, nothing more.") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise CaseFileError(f"case.yml cannot be read: {getattr(err, 'problem', None) or err}", path=path, row=row,
                            hint="Fix the YAML at that line (a missing colon or a tab are the usual causes).") from err
    finally:
        loader.dispose()


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"the text '{terminal_text(str(value))[:40]}'"


def _field_name(path) -> str:
    return ".".join(str(part) for part in path)


def _data_path(data: object, loc: tuple) -> tuple:
    """The part of a pydantic error location that names data (not a union member such as 'str')."""
    path: list = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(data, dict) and not path and isinstance(part, str):
            path.append(part)  # a missing top-level field
            break
        elif isinstance(data, dict) and isinstance(part, str) and path and path[0] == "items" \
                and part in SeizedItemEntry.model_fields:
            path.append(part)  # a missing field of an item
            break
        elif isinstance(part, str):
            continue  # a union member's name, such as 'dict[str,str]'
        else:
            break
        path.append(part)
    return tuple(path)


def _expect(path: tuple) -> str:
    generic = ".".join("*" if isinstance(part, int) else str(part) for part in path)
    return _EXPECT.get(generic) or _EXPECT.get(_field_name(path)) or "text"


def _hint(where: tuple, expect: str) -> str:
    if where and where[0] == "party":
        return "Write the party as indented lines under 'party:', e.g. '  name: 某某便利店'."
    if where and where[0] == "location":
        return "Write the place as indented lines under 'location:', e.g. '  lon: \"114.62\"' and '  lat: \"33.60\"'."
    if where and where[0] == "items":
        return (f"Write '{_field_name(where)}' as {expect}; each item starts with '- id: ...' and 'name: ...' "
                "under 'items:' (see docs/items.md).")
    if where and where[0] == "investigators":
        return "List each investigator on a line '- name: 张三' (with '  badge: ...' below if known)."
    return f"Write '{_field_name(where)}' as {expect}."


def _problems(data: dict, path: Path, rows: dict[tuple, int]) -> list[InputError]:
    try:
        CaseFile.model_validate(data)
    except ValidationError as err:
        errors = err.errors(include_url=False)
    else:
        return []
    found = {_data_path(data, tuple(error["loc"])): error["type"] for error in reversed(errors)}
    # one message per field: a union reports each member that did not fit; the deepest place wins
    places = [where for where in found if not any(other[:len(where)] == where != other for other in found)]
    problems = []
    for where in places:
        name = _field_name(where)
        if found[where] == "missing":
            key = name.rsplit(".", 1)[-1]
            problems.append(InputError(f"case.yml has no {name}", path=path, field=name,
                                       row=rows.get(where) or rows.get(where[:-1]),
                                       hint=f"Add a line '{key}: ...' to case.yml" + (
                                           f" under the item at '{_field_name(where[:-1])}'." if len(where) > 1
                                           else ".")))
            continue
        value = data
        for part in where:
            value = value[part]
        expect = _expect(where)
        what = "is empty" if isinstance(value, str) and not value.strip() else f"must be {expect}, not {_kind(value)}"
        problems.append(InputError(f"'{name}' {what}", path=path, row=rows.get(where), field=name,
                                   hint=_hint(where, expect)))
    return sorted(problems, key=lambda problem: problem.row or 0)


def read_case_file(path: str | os.PathLike) -> dict:
    """Read and check one ``case.yml``; every problem names the file, and where it can the row and field.

    Parameters
    ----------
    path : the ``case.yml`` file.

    Returns
    -------
    dict
        The fields, every scalar a string; ``party``/``location`` dicts and ``investigators`` a
        list when present (an empty value is left out).

    Raises
    ------
    CaseFileError
        Unreadable, too large, a link, not YAML, anchors or aliases, repeated keys, too deep, or
        fields of the wrong kind (``problems`` lists each wrong field; the message shows them all).
    UnsafePathError
        ``path`` is a symbolic link.
    """
    source = Path(path)
    data = read_capped(source, MAX_BYTES, what="case.yml",
                       hint="case.yml holds a case's metadata only; put documents in evidence/.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CaseFileError("case.yml is not UTF-8 text", path=source,
                            hint="Save case.yml as UTF-8 (in Notepad: Save as, Encoding: UTF-8).") from err
    document, rows = _parse(text, source)
    if not isinstance(document, dict):
        raise CaseFileError("case.yml must hold 'key: value' lines", path=source,
                            hint="Start with lines such as 'case_id: ZK-2024-017' and 'title: ...'.")
    for name in _CONTAINERS:
        if document.get(name) in _EMPTY:
            document.pop(name, None)
    for item in document.get("items") if isinstance(document.get("items"), list) else []:
        if isinstance(item, dict) and item.get("photos") in _EMPTY:
            item.pop("photos", None)
    problems = _problems(document, source, rows)
    if problems:
        first = problems[0]
        if len(problems) == 1:
            raise CaseFileError(first.message, problems=problems, path=source, row=first.row, field=first.field,
                                hint=first.hint)
        listing = "; ".join(f"row {p.row}: {p.message}" if p.row else p.message for p in problems)
        raise CaseFileError(f"{len(problems)} fields of case.yml are wrong: {listing}", problems=problems,
                            path=source,
                            hint="Fix each field as described; an example case.yml comes with 'casebook sample'.")
    return document
