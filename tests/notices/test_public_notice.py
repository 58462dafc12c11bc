"""Public notices: a decision whose free text hides an ID number and a phone is published without either."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from casebook.notices.notice_writer import NoticeRefused, write_notice
from casebook.notices.personal_data import REMOVED, find_personal_data, scrub
from casebook.notices.public_notice import Notice

ID_NUMBER = "11010519491231002X"  # GB 11643's own example, valid check character
MOBILE = "13839462217"


def _case_with_decision(sample_book, tmp_path, facts: str, **decision):
    book = tmp_path / "book"
    book.mkdir()
    case_dir = book / "ZK-2024-001"
    shutil.copytree(sample_book / "ZK-2024-001", case_dir)
    data = yaml.safe_load((case_dir / "case.yml").read_text(encoding="utf-8"))
    data["decision"] = {"date": "2024-10-14", "penalty": "没收违法商品，罚款人民币5000元",
                        "basis": "《中华人民共和国产品质量法》第五十三条", "persons": ["张三"], "facts": facts, **decision}
    (case_dir / "case.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return case_dir


@pytest.mark.slow
def test_a_notice_holds_neither_the_hidden_id_number_nor_the_phone_in_html_or_pdf(sample_book, tmp_path, cli):
    facts = (f"经营者胡卫东（公民身份号码 {ID_NUMBER[:6]} {ID_NUMBER[6:14]} {ID_NUMBER[14:]}）于2024年8月销售标注虚假"
             f"生产者信息的商品，举报人张三（电话 138-3946-{MOBILE[7:]}）向12315举报；另有联系人手机１３８３９４６２２１７。")
    case_dir = _case_with_decision(sample_book, tmp_path, facts)
    code, _out, err = cli("notice", case_dir, "--out", tmp_path / "notice")
    assert code == 0, err
    html = (tmp_path / "notice" / "notice.html").read_text(encoding="utf-8")
    pdf = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "notice" / "notice.pdf"), "-"],
                         capture_output=True, check=True).stdout.decode("utf-8")
    for text in (html, pdf):
        digits = "".join(ch for ch in text if ch.isdigit() or ch in "Xx")
        assert ID_NUMBER[:14] not in digits and MOBILE not in digits and MOBILE[3:] not in digits
        assert find_personal_data(text) == []
        assert "张三" not in text
        assert "周市监处罚〔2024〕20号" in text and "罚款人民币5000元" in text  # what must be published is there
        assert "李埠口乡利民便利店" in text and "924116021JP2RL4LY6" in text
    assert REMOVED in html


def test_a_notice_that_still_holds_personal_data_is_refused_and_nothing_is_written(tmp_path):
    leaked = Notice("ZK-1", {"decision_no": "x", "party": {"name": "某店", "type": "", "credit_code": "",
                                                          "representative": "", "address": ""},
                             "violation": "v", "penalty": f"罚款，联系 {MOBILE}", "organ": "o", "date": "2024-01-01",
                             "basis": ""}, [f"户主 {ID_NUMBER}"], "t")
    with pytest.raises(NoticeRefused, match="id_number, mobile"):
        write_notice(leaked, tmp_path / "out", pdf=False)
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []


def test_a_warning_alone_is_not_published(sample_book, tmp_path, cli):
    case_dir = _case_with_decision(sample_book, tmp_path, "事实", penalty="警告")
    code, _out, err = cli("notice", case_dir, "--out", tmp_path / "n", "--no-pdf")
    assert code == 1 and "warning" in err
    assert not (tmp_path / "n").exists()


def test_a_case_without_a_penalty_is_bad_input(sample_book, tmp_path, cli):
    book = tmp_path / "book"
    shutil.copytree(sample_book / "ZK-2024-002", book / "ZK-2024-002")
    code, _out, err = cli("notice", book / "ZK-2024-002", "--out", tmp_path / "n", "--no-pdf")
    assert code == 2 and "decision.penalty" in err


def _id_numbers():
    digits = st.sampled_from(["110105", "410102", "411602", "411628", "440106", "650102"])  # real division codes
    day = st.dates(min_value=__import__("datetime").date(1930, 1, 1), max_value=__import__("datetime").date(2010, 12, 31))
    seq = st.text(alphabet="0123456789", min_size=3, max_size=3)
    def build(area, born, serial):
        body = area + born.strftime("%Y%m%d") + serial
        return body + ric.calc_check_digit(body + "?")  # stdnum reads the first 17 of an 18-character number

    return st.builds(build, digits, day, seq)


def _cards():
    return st.builds(lambda p, n: p + n + luhn.calc_check_digit(p + n), st.sampled_from(["62", "4", "5"]),
                     st.text(alphabet="0123456789", min_size=14, max_size=15))


def _spaced(value: str, cuts: list[int], sep: str) -> str:
    out, last = [], 0
    for c in sorted(set(cuts)):
        if 0 < c < len(value):
            out.append(value[last:c])
            last = c
    out.append(value[last:])
    return sep.join(out)


noise = st.text(alphabet="当事人经营者于年月日销售商品，。：（）电话身份证号码联系举报", max_size=12)


@given(before=noise, after=noise, value=st.one_of(_id_numbers(), _cards(),
                                                 st.builds(lambda s: "1" + s, st.text("3456789", min_size=1, max_size=1)
                                                           .flatmap(lambda d: st.text("0123456789", min_size=9,
                                                                                      max_size=9).map(lambda r: d + r)))),
       cuts=st.lists(st.integers(1, 18), max_size=2), sep=st.sampled_from(["", " ", "-", "\n"]),
       wide=st.booleans())
def test_scrub_leaves_no_number_the_checker_can_find(before, after, value, cuts, sep, wide):
    written = _spaced(value, cuts, sep)
    if wide:
        written = written.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    text = before + written + after
    assert find_personal_data(text), text  # the checker sees it however it is written
    public, kinds = scrub(text)
    assert find_personal_data(public) == []
    assert kinds
    assert value not in "".join(ch for ch in public if ch.isdigit())


@given(st.text(max_size=80))
def test_scrub_never_adds_personal_data(text):
    public, _ = scrub(text)
    assert find_personal_data(public) == []
