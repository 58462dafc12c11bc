"""Copies of marks in general: unseen pairs of each kind are caught, genuine marks stay apart.

The pairs below are none of the lists the thresholds were chosen on (bench/data/copycats_own.json)
nor the development list: each is a copy the matcher has to recognise by a general measure of shape
(the drawn strokes), sound (pinyin, tones ignored, near initials and finals), order and edits.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.labels.brands import TRICK_FAMILY, default_registry
from evidence.labels.glyph_shapes import cjk_font, drawn_similarity
from evidence.labels.hanzi import char_likeness, glyph_similarity, sound_similarity

DEV_LIST = Path(__file__).resolve().parents[2] / ".." / "shared" / "labels" / "copycats_dev.json"
OWN_LIST = Path(__file__).resolve().parents[2] / "bench" / "data" / "copycats_own.json"
COMMON = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好"

# (copy, genuine mark, family of the trick that makes it a copy)
UNSEEN = [
    ("全尤鱼", "金龙鱼", "shape"),       # two substitutions in a three-character mark
    ("土好住", "上好佳", "shape"),       # two substitutions, both by shape
    ("农天山果", "农夫山泉", "shape"),   # two substitutions in a four-character mark
    ("三只小松鼠", "三只松鼠", "edit"),  # a character added inside
    ("良品铺", "良品铺子", "edit"),      # a character dropped
    ("金隆鱼", "金龙鱼", "sound"),       # a homophone, tones ignored
    ("海菲丝", "海飞丝", "sound"),
    ("龙夫山泉", "农夫山泉", "sound"),   # a near-homophone: l / n
    ("三只松属", "三只松鼠", "sound"),
    ("Jinlongyu", "金龙鱼", "romanised"),  # the mark in pinyin
    ("Xiangpiaopiao", "香飘飘", "romanised"),
    ("夭友", "天友", "shape"),           # a glyph neighbour in no table: the drawn strokes decide
    ("周黒鸭", "周黑鸭", "shape"),       # the Japanese form of 黑
    ("良品辅子", "良品铺子", "shape"),
]


@pytest.fixture(scope="module")
def registry():
    return default_registry()


def _families(look) -> set[str]:
    return {t.family for t in look.tricks}


@pytest.mark.parametrize(("copy", "genuine", "family"), UNSEEN)
def test_an_unseen_copy_of_each_kind_is_caught_by_the_right_trick(registry, copy, genuine, family):
    assert copy not in registry
    result = registry.match(copy)
    assert result.genuine is None, result.to_dict()
    assert result.lookalikes and result.lookalikes[0].brand == genuine, result.to_dict()
    assert family in _families(result.lookalikes[0]), result.to_dict()


def test_a_copy_of_a_copy_in_pinyin_is_still_romanised():
    look = default_registry().match("Kangshuaifu").lookalikes[0]
    assert look.brand == "康师傅" and _families(look) == {"romanised"}


def test_tricks_are_codes_in_the_json(registry):
    data = registry.match("康帅博").to_dict()
    look = data["lookalikes"][0]
    assert look["brand"] == "康师傅"
    assert [t["family"] for t in look["tricks"]] == ["shape", "shape"]
    assert {t["family"] for t in look["tricks"]} <= set(TRICK_FAMILY.values())
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


@pytest.mark.parametrize(("a", "b"), [("乐事", "乐虎"), ("维达", "维维"), ("清风", "清扬"), ("白象", "白家"),
                                      ("海尔", "海信"), ("统一", "统帅"), ("立白", "立邦"), ("九阳", "九牧"),
                                      ("雀巢", "雀氏"), ("大宝", "大宇"), ("伊利", "义利"), ("老干妈", "老干爹")])
def test_genuine_marks_that_resemble_each_other_stay_apart(registry, a, b):
    for x, y in ((a, b), (b, a)):
        result = registry.match(x)
        assert result.genuine == x and result.lookalikes == [], result.to_dict()
        assert registry.compare(y, x) is None


def test_the_development_lists_genuine_pairs_stay_apart(registry):
    path = DEV_LIST if DEV_LIST.is_file() else OWN_LIST
    pairs = json.loads(path.read_text(encoding="utf-8"))["genuine_pairs"]
    flagged = [(x, y) for a, b in pairs for x, y in ((a, b), (b, a))
               if y in {look.brand for look in registry.match(x).lookalikes}]
    assert flagged == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_registered_mark_is_never_a_lookalike_of_itself_or_another(registry, data):
    name = data.draw(st.sampled_from(sorted(registry.brands)))
    assert registry.compare(name, name) is None
    result = registry.match(name)
    assert result.genuine == name and result.lookalikes == []


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@settings(max_examples=80, deadline=None)
@given(HAN, HAN)
def test_character_likeness_is_symmetric(a, b):
    assert glyph_similarity(a, b) == glyph_similarity(b, a)
    assert sound_similarity(a, b) == sound_similarity(b, a)
    assert char_likeness(a, b).similarity == pytest.approx(char_likeness(b, a).similarity, abs=1e-9)
    drawn = drawn_similarity(a, b)
    assert drawn == drawn_similarity(b, a)
    assert drawn is None or 0.0 <= drawn <= 1.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=COMMON, min_size=2, max_size=4))
def test_the_name_score_is_symmetric_for_substitutions(registry, name):
    """Swapping which side is genuine changes nothing when the names differ only by likeness."""
    other = "".join(reversed(name))
    if len(set(name)) < len(name) or name in registry or other in registry:
        return
    from evidence.labels.brands import align

    there, back = align(name, other)[0], align(other, name)[0]
    assert there == pytest.approx(back, abs=1e-9)


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed")
def test_the_drawn_measure_sees_neighbours_no_table_lists():
    near = [("师", "帅"), ("雪", "雷"), ("干", "于"), ("未", "末"), ("快", "抉"), ("天", "夭")]
    far = [("达", "维"), ("事", "虎"), ("个", "仁"), ("风", "扬")]
    assert min(drawn_similarity(a, b) for a, b in near) > max(drawn_similarity(a, b) for a, b in far)
    assert all(char_likeness(a, b).tricks for a, b in near)


def test_a_two_character_mark_is_not_copied_by_an_added_character_or_an_unrelated_one(registry):
    assert all(look.brand != "红牛" for look in registry.match("红牛奶").lookalikes)
    assert all(look.brand != "乐事" for look in registry.match("乐虎").lookalikes)


LABEL = ("配料：水、白砂糖\n净含量：500毫升\n生产者：周口市鑫源饮品厂\n地址：河南省周口市川汇区建设路8号\n"
         "联系电话：0394-1234567\n食品生产许可证编号：SC10641160200018\n产品标准代号：GB/T 10792\n"
         "生产日期：2024-03-01\n保质期：12个月\n")


def _accused(name: str) -> set[str]:
    from evidence.labels.screening import screen_text

    findings = screen_text(f"产品名称：{name}\n{LABEL}")[1]
    return {f.details["lookalike"]["brand"] for f in findings if f.code == "brand_lookalike"}


def test_a_copy_that_keeps_a_descriptor_the_mark_begins_with_is_read_on_a_label():
    assert _accused("营养抉线饮料") == {"营养快线"}  # 营养 is a descriptor, and how 营养快线 begins
    assert _accused("营养快线饮料") == set()


def test_a_homophone_alone_on_a_two_character_mark_is_listed_but_accuses_nothing_by_itself(registry):
    look = registry.match("金丰").lookalikes[0]
    assert look.brand == "金枫" and look.score < 0.9 and _families(look) == {"sound"}
    assert _accused("金丰大米") == set()
    assert _accused("雪必汽水") == {"雪碧"}  # the drinks' own words on the package agree


@pytest.mark.parametrize(("copy", "genuine"), [("六个核桃宝", "六个核桃"), ("王老吉吉", "王老吉")])
def test_a_copy_that_starts_with_the_genuine_mark_is_still_a_copy(registry, copy, genuine):
    result = registry.match(copy)
    assert result.genuine is None and result.lookalikes[0].brand == genuine, result.to_dict()


def test_brands_match_prints_the_tricks_as_codes():
    import subprocess
    import sys

    casebook = str(Path(sys.executable).with_name("casebook"))
    proc = subprocess.run([casebook, "brands", "match", "--json", "康帅博", "Kangshifu", "依利", "六仁核桃", "伊利"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    data = {item["name"]: item for item in json.loads(proc.stdout)}
    for name in ("康帅博", "Kangshifu", "依利", "六仁核桃"):
        first = data[name]["lookalikes"][0]
        assert first["brand"] in ("康师傅", "伊利", "六个核桃") and first["tricks"], data[name]
    assert [t["family"] for t in data["Kangshifu"]["lookalikes"][0]["tricks"]] == ["romanised"]
    assert data["伊利"]["genuine"] == "伊利" and data["伊利"]["lookalikes"] == []


@pytest.mark.parametrize(("name", "mark"), [("兰孚", "南孚"), ("千度", "百度"), ("沙溪", "白沙溪"), ("江南", "卤江南")])
def test_ordinary_words_near_a_short_mark_are_not_copies(registry, name, mark):
    """A near sound or a numeral alone on a two-character mark, or a three-character mark without its
    first character, makes another word."""
    assert mark in registry and name not in registry
    assert registry.compare(mark, name) is None
