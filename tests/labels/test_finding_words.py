"""The findings' words at the edge: every code said in both languages, from the values the libraries return.

The exact words of every label path are pinned in tests/labels/data/screening_exact.json (through
:func:`with_words`); these tests cover what that file does not: records kept from earlier runs,
the lookalike tricks in the command line's English, and values the checks leave open.
"""

from __future__ import annotations

import pytest

from casebook.words.finding_words import PIECES, describe, lookalike_words, trick_words, with_words
from evidence.certification.rule_flags import Flag
from evidence.labels.brands import default_registry
from evidence.labels.mark_tricks import TRICK_FAMILY, Trick
from evidence.labels.screening import screen_text
from tests.support.screening_cases import food


def test_a_record_kept_with_its_words_is_shown_as_it_was():
    """listing.json files written before the words moved carry message and message_en, not values."""
    kept = {"code": "ccc_withdrawn", "severity": "violation", "message": "CCC 证书 1 已于 2024-05-01 被撤销",
            "basis": "b", "evidence": "1", "message_en": "withdrawn", "element": "td"}
    assert with_words(kept) == kept


def test_words_replace_the_values_in_the_order_people_read_them():
    [finding] = screen_text(food(barcode="6901234567893"))[1]
    record = with_words(finding.to_dict())
    assert list(record) == ["code", "severity", "message", "basis", "evidence", "message_en"]
    assert record["message"] == "商品条码 6901234567893 校验位错误（应为 2），疑似伪造或印刷错误"
    assert record["message_en"] == describe(finding, "en") == (
        "Barcode 6901234567893 has a wrong check digit (should be 2): forged or misprinted?")


@pytest.mark.parametrize("kind", sorted(TRICK_FAMILY))
def test_each_trick_reads_alike_in_the_findings_and_on_the_command_line(kind):
    trick = Trick(kind, "师", "帅")
    assert trick_words(trick, "en") == trick.describe()  # `casebook brands match` prints describe()
    zh = PIECES["zh"]["tricks"][kind]
    assert trick_words(trick, "zh").startswith(zh + "：")
    assert trick_words(trick, "both") == f"{zh} {trick.describe()}"


def test_a_lookalike_record_gets_its_reasons_in_both_languages():
    look = default_registry().match("康帅傅").lookalikes[0]
    assert look.reasons == ["glyph: 师→帅"]  # the library speaks the command line's English
    assert lookalike_words(look.to_dict())["reasons"] == ["形近 glyph: 师→帅"]


def test_a_date_the_register_leaves_open_is_said_so_in_each_language():
    flag = Flag("ccc_expired", "2020010201234567", {"number": "2020010201234567", "sale_date": "2024-06-01",
                                                    "changed": None, "expires": None})
    assert describe(flag) == "CCC 证书 2020010201234567 有效期至 （日期未载明），2024-06-01 销售时已过期"
    assert describe(flag, "en") == ("CCC certificate 2020010201234567 expired on (date not given); the goods were "
                                    "on sale on 2024-06-01")


def test_a_code_without_words_says_its_code():
    assert describe({"code": "a_new_code", "values": {}}) == "a_new_code"
