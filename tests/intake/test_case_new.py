"""Opening a case by command: flags or prompts, each wrong value refused with its field named."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from casebook.case import load_case
from casebook.casefile import read_case_file
from casebook.cli import cli as casebook_cli
from tests.intake.conftest import CASE_FLAGS


def test_flags_write_a_case_the_schema_accepts(cli, tmp_path):
    folder = tmp_path / "ZK-2026-010"
    code, _out, err = cli("case", "new", folder, *CASE_FLAGS, "--lon", "114.6296", "--lat", "33.6788",
                         "--coord-sys", "GCJ-02")
    assert code == 0, err
    case = load_case(folder)
    assert case.case_no == "周市监处罚〔2026〕3号" and case.title.startswith("周口市某某便利店")
    assert case.party == {"type": "个体工商户", "name": "某某便利店", "credit_code": "92411602CHD7420KF5",
                          "address": "周口市川汇区李埠口乡集贸市场34号"}
    assert case.location["county"] == "川汇区" and case.location["adcode"] == "411602"
    assert case.lon_lat() == (114.6296, 33.6788, "gcj02")
    assert case.raw["cause"] == "销售侵犯注册商标专用权商品" and case.opened == "2026-11-01"
    assert case.category == "food"  # given as 食品
    assert case.investigators == [{"name": "杨秀英", "badge": "41166424376"}]
    assert (folder / "labels").is_dir() and (folder / "evidence").is_dir()


@pytest.mark.parametrize(("flag", "value", "field"), [
    ("--case-no", "周口17号", "case_no"),
    ("--party-id", "92411602CHD7420KF6", "party.credit_code"),  # one wrong check character
    ("--opened", "2024-02-30", "opened"),
    ("--cause", "99", "cause"),
    ("--address", "某某路12号", "location.address"),  # no county can be found
    ("--party-type", "公司", "party.type"),
    ("--lon", "33.6788", "location.lon"),  # latitude given as longitude
    ("--category", "服装", "category"),
])
def test_a_wrong_flag_is_refused_with_its_field(cli, tmp_path, flag, value, field):
    folder = tmp_path / "ZK-2026-011"
    flags = list(CASE_FLAGS)
    if flag in flags:
        flags[flags.index(flag) + 1] = value
    else:
        flags += [flag, value, "--lat", "33.6"]
    code, _, err = cli("case", "new", folder, *flags)
    assert code == 2
    assert f"field '{field}'" in err
    assert not (folder / "case.yml").exists()


def test_a_person_needs_a_valid_id_number(cli, tmp_path):
    flags = list(CASE_FLAGS)
    flags[flags.index("--party-type") + 1] = "自然人"
    code, _, err = cli("case", "new", tmp_path / "ZK-2026-012", *flags)  # a credit code is not an ID number
    assert code == 2 and "party.id_number" in err
    flags[flags.index("--party-id") + 1] = "11010519491231002X"
    code, _, err = cli("case", "new", tmp_path / "ZK-2026-012", *flags)
    assert code == 0, err
    assert read_case_file(tmp_path / "ZK-2026-012" / "case.yml")["party"]["id_number"] == "11010519491231002X"


def test_prompts_ask_again_naming_the_field(tmp_path):
    folder = tmp_path / "ZK-2026-013"
    answers = ["假冒洗衣粉案",            # 案件名称
               "周口市监处罚2026号",       # 文号, wrong
               "周市监处罚（2026）8号",     # 文号, right (full-width brackets accepted)
               "周口市市场监督管理局",       # 办案机构
               "企业", "某某日化有限公司",
               "91411600MA9XXXXXX0",       # credit code, wrong
               "92411602CHD7420KF5",
               "",                         # party address (optional)
               "2026-11-02",
               "11",                       # 案由 by number
               "",                         # 商品类别: the one the 案由 implies (日化用品)
               "周口市西华县逍遥镇",
               "", ""]                      # no coordinates
    result = CliRunner().invoke(casebook_cli, ["case", "new", str(folder)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "case_no" in result.output and "party.credit_code" in result.output  # said, then asked again
    case = load_case(folder)
    assert case.case_no == "周市监处罚〔2026〕8号" and case.location["county"] == "西华县"
    assert case.raw["cause"] == "销售假冒伪劣化妆品、洗护用品" and case.lon_lat() is None
    assert case.category == "toiletry"


def test_an_existing_case_is_never_overwritten(cli, new_case):
    before = (new_case / "case.yml").read_bytes()
    code, _, err = cli("case", "new", new_case, *CASE_FLAGS)
    assert code == 2 and "not empty" in err
    assert (new_case / "case.yml").read_bytes() == before
