"""Opening a case: check what an officer gives, field by field, and write a case folder the schema accepts.

Each ``check_*`` function takes the text as typed and returns the value to store, or raises
:class:`~safeio.errors.InputError` naming the field, so the command line can refuse a wrong value
on the spot and ask again.  :func:`create_case` writes ``case.yml`` (read back through
:func:`casebook.casefile.read_case_file` before it is put in place, so a file the schema refuses
is never left behind) and the folders a case needs.  The address is resolved to its province,
city and county offline with cpca; coordinates are optional and keep the system they were given in.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from casebook.case import parse_case_no, safe_case_id
from casebook.casefile import read_case_file
from safeio.atomic import write_text_atomic
from safeio.errors import InputError

__all__ = [
    "CASE_FOLDERS",
    "CAUSES",
    "COORD_SYSTEMS",
    "PARTY_TYPES",
    "NewCase",
    "check_category",
    "check_cause",
    "check_coord_sys",
    "check_coordinate",
    "check_date",
    "check_party_id",
    "check_party_type",
    "check_text",
    "create_case",
    "resolve_address",
]

CASE_FOLDERS = ("labels", "evidence")
# 案由 an officer picks from, with the product category (casebook.words.map_words.CATEGORIES) each implies, if any.
CAUSES = {
    "销售侵犯注册商标专用权商品": "",
    "销售无厂名厂址产品": "",
    "销售不符合食品安全标准的食品": "food",
    "销售标注虚假生产许可证编号食品": "food",
    "销售标注过期生产许可标志食品": "food",
    "销售标签含疾病治疗功能声称食品": "food",
    "销售未经强制性产品认证产品": "",
    "销售不合格电器电工产品": "hardware_electrical",
    "销售假冒伪劣农资（化肥、农药、种子）": "agri_input",
    "销售不合格儿童用品、玩具": "children",
    "销售假冒伪劣化妆品、洗护用品": "toiletry",
    "销售标注虚假生产者信息商品": "",
    "其他": "",
}
PARTY_TYPES = {"企业": "credit_code", "个体工商户": "credit_code", "其他组织": "credit_code", "自然人": "id_number"}
COORD_SYSTEMS = {"wgs84": "WGS-84 (GPS, phone photos)", "cgcs2000": "CGCS2000 (天地图, ≈ WGS-84)",
                 "gcj02": "GCJ-02 (高德, 腾讯)", "bd09": "BD-09 (百度)"}
_TEXT_MAX = 200


def check_text(value: str, name: str, *, required: bool = True) -> str:
    """Plain one-line text: trimmed, no control characters, not too long; required unless said otherwise."""
    text = str(value or "").strip()
    if required and not text:
        raise InputError(f"'{name}' is empty", field=name, hint=f"Give the {name}; it cannot be left out.")
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise InputError(f"'{name}' holds control characters", field=name, hint="Type it as one line of text.")
    if len(text) > _TEXT_MAX:
        raise InputError(f"'{name}' is longer than {_TEXT_MAX} characters", field=name, hint="Shorten it.")
    return text


def check_case_no(value: str) -> str:
    """A 文号 such as 周市监处罚〔2024〕17号 (brackets of any width accepted), stored in canonical form."""
    return parse_case_no(check_text(value, "case_no")).canonical


def check_date(value: str, name: str = "opened") -> str:
    text = check_text(value, name)
    try:
        parsed = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InputError(f"'{name}' is not a date written YYYY-MM-DD: '{text}'", field=name,
                         hint="Write the date as 2024-03-02.")
    if parsed > date.today():
        raise InputError(f"'{name}' lies in the future: {text}", field=name, hint="Give the day the case was opened.")
    return text


def check_cause(value: str) -> str:
    """One of :data:`CAUSES`, given as its text or its number in the list (1-based)."""
    text = check_text(value, "cause")
    names = list(CAUSES)
    if text.isdigit() and 1 <= int(text) <= len(names):
        return names[int(text) - 1]
    if text not in CAUSES:
        raise InputError(f"'cause' must be one of the listed 案由, not '{text}'", field="cause",
                         hint="Pick a number from the list: " + "; ".join(f"{i}. {n}" for i, n in enumerate(names, 1)))
    return text


def check_category(value: str) -> str:
    """A product category code of casebook.words.map_words.CATEGORIES, given as the code, its Chinese name or its number."""
    from casebook.words.map_words import CATEGORIES

    text = check_text(value, "category")
    codes = list(CATEGORIES)
    if text.isdigit() and 1 <= int(text) <= len(codes):
        return codes[int(text) - 1]
    for code, (zh, en) in CATEGORIES.items():
        if text in (code, zh) or text.lower() == en.lower():
            return code
    raise InputError(f"'category' must be one of the listed product categories, not '{text}'", field="category",
                     hint="Pick a number: " + "; ".join(f"{i}. {zh} ({code})" for i, (code, (zh, _en))
                                                         in enumerate(CATEGORIES.items(), 1)))


def check_party_type(value: str) -> str:
    text = check_text(value, "party.type")
    if text not in PARTY_TYPES:
        raise InputError(f"'party.type' must be one of {', '.join(PARTY_TYPES)}, not '{text}'", field="party.type",
                         hint="企业 or 个体工商户 or 其他组织 (with a credit code), or 自然人 (with an ID number).")
    return text


def check_party_id(value: str, party_type: str) -> tuple[str, str]:
    """``(field, value)``: the credit code (统一社会信用代码) of a business, or the ID number of a person."""
    kind = PARTY_TYPES[party_type]
    name = f"party.{kind}"
    text = check_text(value, name).upper().replace(" ", "")
    if kind == "credit_code":
        from stdnum.cn import uscc as scheme
    else:
        from stdnum.cn import ric as scheme
    try:
        return kind, scheme.validate(text)
    except Exception as err:  # stdnum raises ValidationError subclasses; any means "not a valid number"
        what = "统一社会信用代码 (18 characters)" if kind == "credit_code" else "居民身份证号码 (18 characters)"
        raise InputError(f"'{name}' is not a valid {what}: '{text}' ({err})", field=name,
                         hint="Copy it again from the business licence or ID card; the last character is a "
                         "check digit, so one wrong character is caught.") from None


def check_coordinate(value: str, name: str) -> str:
    """A longitude or latitude in decimal degrees, inside China's range; empty is allowed (no position)."""
    text = str(value or "").strip()
    if not text:
        return ""
    low, high = (73.0, 136.0) if name.endswith("lon") else (3.0, 54.0)
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not re.fullmatch(r"-?\d{1,3}(\.\d+)?", text):
        raise InputError(f"'{name}' must be a number in decimal degrees, not '{text}'", field=name,
                         hint="Write it as 114.621974 (no ° ′ ″; convert degrees-minutes-seconds first).")
    if not low <= number <= high:
        raise InputError(f"'{name}' {text} lies outside China ({low}–{high})", field=name,
                         hint="Check that longitude and latitude are not swapped.")
    return text


def check_coord_sys(value: str) -> str:
    text = check_text(value, "location.coord_sys").lower().replace("-", "").replace(" ", "")
    if text not in COORD_SYSTEMS:
        raise InputError(f"'location.coord_sys' must be one of {', '.join(COORD_SYSTEMS)}, not '{text}'",
                         field="location.coord_sys",
                         hint="GPS and phone photos give wgs84; 高德/腾讯 maps gcj02; 百度 bd09; 天地图 cgcs2000.")
    return text


def resolve_address(value: str) -> dict[str, str]:
    """Province, city, county and adcode of a Chinese address, offline (cpca); refuse one with no county."""
    text = check_text(value, "location.address")
    from safeio.cpca_loader import load_cpca

    cpca = load_cpca()

    row = cpca.transform([text]).iloc[0]
    county = str(row.get("区") or "").strip()
    if not county or str(row.get("adcode") or "").endswith("00"):
        raise InputError(f"the county of 'location.address' cannot be found: '{text}'", field="location.address",
                         hint="Write the address with its county or district, for example 周口市川汇区李埠口乡集贸市场34号.")
    return {"address": text, "province": str(row.get("省") or ""), "city": str(row.get("市") or ""),
            "county": county, "adcode": str(row.get("adcode") or "")}


@dataclass
class NewCase:
    """A case as checked, ready to be written (values as stored in case.yml)."""

    case_id: str
    title: str
    case_no: str
    organ: str
    party: dict[str, str]
    opened: str
    cause: str
    location: dict[str, str]
    category: str = ""
    investigators: list[dict[str, str]] = field(default_factory=list)

    def document(self) -> dict:
        doc = {"case_id": self.case_id, "case_no": self.case_no, "title": self.title, "organ": self.organ,
               "party": self.party, "investigators": self.investigators, "opened": self.opened, "closed": "",
               "cause": self.cause, "category": self.category or CAUSES.get(self.cause, ""), "location": self.location,
               "summary": ""}
        if not self.investigators:
            doc.pop("investigators")
        return doc


def create_case(folder: str | os.PathLike, case: NewCase) -> Path:
    """Write ``case.yml`` and the case's folders into ``folder`` (new, or empty).

    Raises
    ------
    InputError
        The folder already holds a case or other files, or its name is not the case id.
    """
    target = Path(folder)
    safe_case_id(target.name)
    if target.name != case.case_id:
        raise InputError(f"the folder name '{target.name}' is not the case id '{case.case_id}'", field="case_id",
                         hint="The case folder is named after the case id.")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InputError("this path exists and is not a folder", path=target, hint="Choose a new folder name.")
    if target.is_dir() and any(target.iterdir()):
        raise InputError("this folder is not empty; a case is opened in a new folder", path=target,
                         hint="Choose a new folder (named after the case id), or edit the existing case.yml.")
    target.mkdir(parents=True, exist_ok=True)
    text = "# 案件信息 (written by casebook case new; every value is text)\n" + yaml.safe_dump(
        case.document(), allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    draft = write_text_atomic(target / ".case.yml.new", text)
    try:
        read_case_file(draft)  # the schema accepts it, or nothing is put in place
        os.replace(draft, target / "case.yml")
    finally:
        draft.unlink(missing_ok=True)
    for name in CASE_FOLDERS:
        (target / name).mkdir(exist_ok=True)
    return target / "case.yml"
