"""Claims: absolute terms in context, disease claims for non-medicines, health-food claims beyond what may be said."""

from __future__ import annotations

from evidence.claims.claim_screening import goods_kind, label_claims, screen_claims
from evidence.labels.screening import screen_text


def terms(text: str, **options) -> list[tuple[str, str]]:
    return [(f.code, f.values["term"]) for f in screen_claims(text, **options)]


def test_zui_in_an_ordinary_phrase_is_not_an_absolute_term_but_a_superlative_is():
    ordinary = ["最近30天售出2000台", "最后一批清仓", "最佳食用期：开封后7天内", "最好在干燥处存放", "最大功率1800W",
                "最高温度可达100℃", "最低起订量10件", "最多可选3件", "最快明天送达", "最终解释权",
                # a measured limit with a few words before its number: a garment's care label
                "最高洗涤温度30℃", "熨斗底板最高温度110℃", "最多可容纳6人"]
    for text in ordinary:
        assert terms(text) == [], text
    claims = {"全网最低价": "最低价", "品质最好的插座": "最好", "最佳选择": "最佳", "最先进的工艺": "最先进",
              "本店最受欢迎": "最受欢迎", "最高级面料": "最高级"}
    for text, term in claims.items():
        assert terms(text) == [("absolute_term", term)], text


def test_the_same_characters_differ_by_what_follows():
    assert terms("最好在阴凉处保存") == []
    assert terms("最好的保存方法") == [("absolute_term", "最好")]
    assert terms("最大功率2000W") == []
    assert terms("最大程度保留营养") == [("absolute_term", "最大程度")]


def test_absolute_words_and_rankings():
    assert terms("国家级非遗 销量第一 独家配方") == [("absolute_term", "国家级"), ("absolute_term", "销量第一"),
                                                  ("absolute_term", "独家")]
    assert terms("第一次使用请先清洗，每台设备有唯一标识码") == []


def test_a_claim_carries_its_clause_and_span():
    text = "经典口味。全网最低价，欢迎选购"
    (flag,) = screen_claims(text)
    assert flag.values["phrase"] == "全网最低价"
    assert text[flag.span[0]:flag.span[1]] == "最低价"


def test_disease_claims_for_goods_that_are_not_medicines():
    assert terms("颈椎按摩仪 治疗颈椎病", kind="general") == [("medical_claim", "治疗颈椎病")]
    assert terms("普通饼干 降血糖", kind="food") == [("medical_claim", "降血糖")]
    assert terms("治疗颈椎病 械注准20192090001") == []  # a registered medical device may state its use
    assert terms("本品不具有疾病治疗作用", kind="general") == []


def test_health_food_may_state_its_function_but_not_cure_or_guarantee():
    text = "保健食品 国食健注G20190123 辅助降血糖。本品不能代替药物。坚持服用可根治糖尿病，无效退款，专家推荐"
    assert goods_kind(text) == "health_food"
    assert terms(text) == [("health_food_claim", "根治糖尿病"), ("health_food_claim", "无效退款"),
                           ("health_food_claim", "专家推荐")]


def test_clean_labels_give_no_claim_finding():
    food = ("产品名称：奥利奥夹心饼干\n配料：小麦粉、白砂糖\n最佳食用期：开封后7天\n生产商：亿滋食品（苏州）有限公司\n"
            "地址：江苏省苏州市工业园区1号\n电话：0512-1234567\n生产许可证编号：SC10132059400123\n净含量：388克\n"
            "保质期：12个月\n生产日期：见包装\n执行标准：GB/T 20980")
    assert screen_text(food)[1] == []
    kettle = ("产品名称：电热水壶\n型号：MK-SH17\n额定电压：220V~ 最大功率：1800W\n生产商：广东美的生活电器制造有限公司\n"
              "地址：广东省佛山市顺德区北滘镇\nCCC证书编号：2022010717000001")
    assert screen_text(kettle)[1] == []


def test_the_same_claim_screening_applies_to_label_text():
    massager = ("产品名称：颈椎按摩仪\n功效：治疗颈椎病，最好的按摩仪\n生产商：周口市某电子有限公司\n"
                "地址：河南省周口市川汇区1号")
    codes = [f.code for f in screen_text(massager)[1]]
    assert codes.count("medical_claim") == 1 and codes.count("absolute_term") == 1
    food = "产品名称：苦瓜茶\n功效：降血糖\n配料：苦瓜"
    assert label_claims(food, "food") == []  # on food, label screening's own prohibited_claim says it
    assert "prohibited_claim" in {f.code for f in screen_text(food)[1]}
