"""Each documented copy trick as a family, with examples of our own (none is in the registry)."""

from __future__ import annotations

import pytest

from casebook.words.finding_words import trick_words
from evidence.labels.brands import default_registry
from evidence.labels.hanzi import char_likeness, merges_into

# every copy name used below (none may ever be stored in the registry)
COPIES = ("康帅傅", "雷碧", "全典", "加多室", "王老古", "红午", "女圭哈哈", "女子想你", "特伦苏", "金正太", "票柔", "立日",
          "黄飞鸿", "农夫三泉", "舒服佳", "哈娃哈", "仑特苏", "新康师傅", "正宗老干妈", "港娃哈哈", "六个土核桃", "六核桃",
          "KANGSHIFU", "WAHAHE", "Tibe", "Colgtae", "Oero")


@pytest.fixture(scope="module")
def registry():
    return default_registry()


def _best(registry, name):
    result = registry.match(name)
    assert result.genuine is None, result.to_dict()
    assert result.lookalikes, result.to_dict()
    return result.lookalikes[0]


def _kinds(look):
    return {t.kind for t in look.tricks}


@pytest.mark.parametrize(("copy", "genuine"), [("康帅傅", "康师傅"), ("雷碧", "雪碧"), ("全典", "金典"), ("加多室", "加多宝"),
                                               ("王老古", "王老吉"), ("红午", "红牛")])
def test_glyph_near_substitution(registry, copy, genuine):
    look = _best(registry, copy)
    assert look.brand == genuine and "glyph" in _kinds(look) and "shape" in look.signals


@pytest.mark.parametrize(("copy", "genuine", "kind"), [("女圭哈哈", "娃哈哈", "split"), ("女子想你", "好想你", "split")])
def test_a_character_split_into_its_components(registry, copy, genuine, kind):
    look = _best(registry, copy)
    assert look.brand == genuine and kind in _kinds(look)
    assert any("split into components" in r for r in look.reasons)
    assert any(trick_words(t, "zh").startswith("拆字：") for t in look.tricks)  # the dossier's word


def test_two_components_merged_into_one_character():
    assert merges_into("女子", "好") and merges_into("口力", "加") and not merges_into("女女", "好")


@pytest.mark.parametrize(("copy", "genuine", "kind"), [("特伦苏", "特仑苏", "radical_added"), ("金正太", "金正大", "radical_added"),
                                                       ("票柔", "飘柔", "radical_dropped"), ("立日", "立白", "radical_dropped")])
def test_a_radical_added_or_dropped(registry, copy, genuine, kind):
    look = _best(registry, copy)
    assert look.brand == genuine and kind in _kinds(look)


@pytest.mark.parametrize(("copy", "genuine"), [("黄飞鸿", "黄飞红"), ("农夫三泉", "农夫山泉"), ("舒服佳", "舒肤佳")])
def test_homophones_tones_ignored(registry, copy, genuine):
    look = _best(registry, copy)
    assert look.brand == genuine and "sound" in look.signals


def test_tones_are_ignored_and_near_initials_count():
    assert "sound" in char_likeness("肤", "服").tricks  # fū / fú
    assert "near_sound" in char_likeness("山", "三").tricks  # shan / san


@pytest.mark.parametrize(("copy", "genuine"), [("哈娃哈", "娃哈哈"), ("仑特苏", "特仑苏")])
def test_characters_reordered(registry, copy, genuine):
    look = _best(registry, copy)
    assert look.brand == genuine and "order" in look.signals


@pytest.mark.parametrize(("copy", "genuine", "kind"), [("新康师傅", "康师傅", "prefix"), ("正宗老干妈", "老干妈", "prefix"),
                                                       ("港娃哈哈", "娃哈哈", "prefix"), ("六个土核桃", "六个核桃", "added"),
                                                       ("六核桃", "六个核桃", "removed")])
def test_one_character_added_or_dropped_including_affixes(registry, copy, genuine, kind):
    look = _best(registry, copy)
    assert look.brand == genuine and kind in _kinds(look)


@pytest.mark.parametrize(("copy", "genuine"), [("KANGSHIFU", "康师傅"), ("Nong Fu Shan Quan", "农夫山泉"), ("WAHAHE", "娃哈哈")])
def test_the_mark_in_pinyin(registry, copy, genuine):
    look = _best(registry, copy)
    assert look.brand == genuine and "spelling" in look.signals


@pytest.mark.parametrize(("copy", "genuine"), [("Tibe", "汰渍"), ("Colgtae", "高露洁"), ("Oero", "奥利奥")])
def test_an_english_mark_with_letters_swapped(registry, copy, genuine):
    look = _best(registry, copy)
    assert registry.same_family(look.brand, genuine)
    assert "latin" in _kinds(look)


def test_two_independent_signals_are_reported_when_shape_and_sound_agree(registry):
    look = _best(registry, "特伦苏")
    assert {"shape", "sound"} <= set(look.signals)


@pytest.mark.parametrize("name", ["周口香", "豫丰源", "鑫源", "宏达", "金穗", "丰收"])
def test_a_name_far_from_every_mark_says_nothing(registry, name):
    assert registry.match(name).lookalikes == []
