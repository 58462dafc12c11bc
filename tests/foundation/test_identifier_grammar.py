"""One grammar for identifiers: labels and links accept and check the same credit codes, licences and barcodes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean
from stdnum.cn import uscc

from evidence.labels.label_fields import read_credit_code, read_licence
from links.identifiers import barcode_prefix, check_credit_code, check_licence
from safeio.identifier_grammar import (
    PROVINCE_CODES,
    USCC_ALPHABET,
    credit_code_valid,
    gtin_valid,
    sc_province_ok,
)

# department, kind and region are digits (8), then the organisation code from the alphabet (9)
stems = st.builds(str.__add__, st.text(alphabet="0123456789", min_size=8, max_size=8),
                  st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))


@given(stems)
def test_a_valid_credit_code_is_valid_for_labels_links_and_the_grammar(stem):
    code = stem + uscc.calc_check_digit(stem)
    assert credit_code_valid(code)
    assert check_credit_code(code).valid
    assert read_credit_code(f"统一社会信用代码：{code}") == code


@given(stems, st.sampled_from(USCC_ALPHABET))
def test_links_and_the_grammar_agree_on_any_check_character(stem, last):
    code = stem + last
    assert check_credit_code(code).valid == credit_code_valid(code) == uscc.is_valid(code)


def test_letters_outside_gb_32100_are_read_back_by_labels_and_refused_by_links():
    stem = "91410100MA40ABCD1"
    code = stem + uscc.calc_check_digit(stem)
    misread = code.replace("1", "I").replace("0", "O")
    assert check_credit_code(misread) is None  # I and O are not in the alphabet
    assert read_credit_code(misread) == code  # the label reader maps OCR's lookalikes back


@given(st.sampled_from(sorted(PROVINCE_CODES)), st.from_regex(r"[0-9]{9}", fullmatch=True), st.sampled_from("123"))
def test_sc_licences_name_a_province_the_same_way(province, rest, kind):
    digits = f"1{kind}0{province}{rest}"
    assert sc_province_ok(digits) and check_licence(f"SC{digits}").valid
    assert read_licence(None, f"生产许可证编号：SC{digits}") == f"SC{digits}"
    assert not sc_province_ok(f"110{'99'}{rest}")


@given(st.from_regex(r"69[0-9]{10}", fullmatch=True))
def test_barcodes_share_one_check(stem):
    code = stem + ean.calc_check_digit(stem)
    assert gtin_valid(code) and barcode_prefix(code).key == code[:7]
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert not gtin_valid(wrong) and barcode_prefix(wrong) is None
