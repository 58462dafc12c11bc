"""The brand registry and lookalike detection (形近, 音近, added/removed/reordered, numbers, Latin)."""

from __future__ import annotations

import pytest

from evidence.labels.brands import BrandRegistry, char_similarity
from safeio.errors import InputError

# Documented copycat examples (docs/domain.md, "Copycat brands"), plus those of the sample casebook.
COPYCATS = {"康帅傅": "康师傅", "雷碧": "雪碧", "粤利粤": "奥利奥", "红午": "红牛", "大白免": "大白兔", "全典": "金典",
            "特伦苏": "特仑苏", "六个土核桃": "六个核桃", "可日可乐": "可口可乐", "清场": "清扬", "娃啥哈": "娃哈哈",
            "海非丝": "海飞丝", "漂柔": "飘柔", "舒服佳": "舒肤佳", "汰清": "汰渍", "立日": "立白", "雕脾": "雕牌",
            "苏伯尔": "苏泊尔", "丸阳": "九阳", "史丹丽": "史丹利", "金正太": "金正大"}


@pytest.fixture(scope="module")
def registry() -> BrandRegistry:
    return BrandRegistry.load()


def test_registry_is_large_and_complete(registry):
    assert len(registry) >= 3000
    for brand in registry.brands.values():
        assert brand.owner and brand.category and brand.family and brand.source, brand
    sources = {b.source for b in registry.brands.values()}
    assert any("中华老字号" in s for s in sources) and any("well-known mark" in s for s in sources)
    assert {"bakery", "pesticide", "seed", "tea", "meat", "frozen_food"} <= {b.category for b in registry.brands.values()}
    for old_name in ("全聚德", "六必居", "王致和", "狗不理", "同仁堂", "张小泉", "稻香村", "冠生园"):  # 中华老字号
        assert old_name in registry
    categories = {b.category for b in registry.brands.values()}
    assert {"instant_noodles", "drinks", "dairy", "snacks", "sweets", "condiments", "edible_oil", "liquor",
            "infant_formula", "health_food", "toiletries", "detergents", "small_appliances", "electrical",
            "fertilizer"} <= categories
    for brand in set(COPYCATS.values()) | {"三元", "三全", "美的", "美菱", "百事可乐", "旺旺", "旺仔", "统一", "蒙牛"}:
        assert brand in registry
        assert registry.brands[brand].owner


@pytest.mark.parametrize(("copy", "genuine"), sorted(COPYCATS.items()))
def test_every_copycat_is_found_with_its_genuine_brand(registry, copy, genuine):
    result = registry.match(copy)
    assert result.genuine is None
    assert result.lookalikes and result.lookalikes[0].brand == genuine, result.to_dict()
    assert result.lookalikes[0].reasons


def test_no_copycat_name_is_stored(registry):
    from tests.labels.test_tricks import COPIES

    assert not [copy for copy in (*COPYCATS, *COPIES) if copy in registry]


def test_no_genuine_brand_is_a_lookalike_of_another(registry):
    flagged = {name: [x.brand for x in registry.match(name).lookalikes] for name in registry.brands}
    assert {k: v for k, v in flagged.items() if v} == {}


@pytest.mark.parametrize("name", ["三元", "三全", "美的", "美菱", "可口可乐", "百事可乐", "旺旺", "旺仔"])
def test_lookalike_genuine_pairs_are_each_genuine(registry, name):
    result = registry.match(name)
    assert result.genuine == name and result.lookalikes == []


def test_same_owner_family(registry):
    assert registry.same_family("旺旺", "旺仔")
    assert not registry.same_family("三元", "三全")


@pytest.mark.parametrize("generic", ["核桃乳", "可乐", "冰红茶", "纯净水", "牛奶", "纯牛奶"])
def test_generic_words_are_not_distinctive(registry, generic):
    assert registry.match(generic).lookalikes == []


@pytest.mark.parametrize(("name", "reason"), [("康帅傅", "glyph"), ("特伦苏", "sound"), ("六个土核桃", "added"),
                                               ("七个核桃", "number swap"), ("哈娃哈", "reordered"), ("六核桃", "removed")])
def test_reasons_name_the_trick(registry, name, reason):
    result = registry.match(name)
    assert result.lookalikes, result.to_dict()
    assert any(reason in r for r in result.lookalikes[0].reasons), result.to_dict()


def test_latin_imitation(registry):
    result = registry.match("Tibe")
    assert result.lookalikes[0].brand == "汰渍" and "Latin" in result.lookalikes[0].reasons[0]


def test_brand_inside_a_product_name(registry):
    assert registry.match("康帅傅红烧牛肉面", anchored=True).lookalikes[0].brand == "康师傅"
    assert registry.match("康师傅红烧牛肉面").genuine == "康师傅"
    assert registry.match("特仑苏纯牛奶", anchored=True).lookalikes == []


def test_match_json_shape(registry):
    data = registry.match("雷碧").to_dict()
    assert set(data) == {"name", "genuine", "lookalikes"}
    assert set(data["lookalikes"][0]) >= {"brand", "score", "reasons"}


def test_similarity_comes_from_the_tables():
    assert char_similarity("师", "帅")[1] == "glyph"
    assert char_similarity("仑", "伦")[1] == "sound"
    assert char_similarity("六", "七")[1] == "number"
    assert char_similarity("康", "水")[0] < 0.5


def test_users_can_add_their_own_brands(tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text("brand,owner,category,family\n周口香,周口市某食品有限公司,snacks,周口香\n", encoding="utf-8")
    registry = BrandRegistry.load(extra)
    assert "周口香" in registry
    assert registry.match("周口湘").lookalikes[0].brand == "周口香"


def test_a_bad_user_csv_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,who\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns"):
        BrandRegistry.load(bad)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("brand,owner,category,family\n周口香,某公司,snacks,周口香\n".encode("gbk"))
    with pytest.raises(InputError, match="UTF-8"):
        BrandRegistry.load(gbk)
    with pytest.raises(InputError, match="does not exist"):
        BrandRegistry.load(tmp_path / "none.csv")
