"""Entity resolution and chains on small, hand-made sets of mentions: what links, what must not."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from links import CaseRecord, Source, link_mentions, rarity
from links.extract import (
    CLAIM_TRUST,
    PRINTED_TRUST,
    address_mention,
    credit_code_mentions,
    name_mention,
    phone_mentions,
    wechat_mentions,
)
from links.graph import LINK_THRESHOLD


def src(case: str, row: int = 2, file: str = "evidence/进货台账.csv", origin: str = "ledger") -> Source:
    return Source(case, file, origin, row=row, field="供货单位", text=f"row {row} of {case}")


def cases(n: int, county: str = "西华县") -> dict[str, CaseRecord]:
    return {f"C{i:02d}": CaseRecord(f"C{i:02d}", county=county) for i in range(n)}


def test_rarity_is_an_idf_scaled_to_one():
    assert rarity(2, 30) == 1.0 and rarity(30, 30) == 0.0
    assert rarity(5, 30) == pytest.approx(math.log(6) / math.log(15))
    # a phone links up to sqrt(2N) cases: 7 of 30, 141 of 10,000
    assert rarity(7, 30) >= LINK_THRESHOLD > rarity(8, 30)
    assert rarity(141, 10_000) >= LINK_THRESHOLD > rarity(142, 10_000)


def test_one_supplier_in_many_spellings_is_one_entity_with_the_evidence_of_each_match():
    mentions = []
    for i, text in enumerate(["周口市汇通日化商贸有限公司", "汇通日用品商行", "周口汇通日化", "汇 通 日 化",
                              "汇通贸易（周口）"]):
        mentions += name_mention(text, src(f"C{i:02d}"), "supplier")
    mentions += name_mention("汇通日化", src("C05"), "supplier")
    mentions += name_mention("匯通日化", src("C06"), "supplier")  # the traditional form: same sound
    mentions += name_mention("汇丰日化", src("C07"), "supplier")  # another core: another supplier
    result = link_mentions(mentions, cases(30))
    entity = next(e for e in result.entities if "周口市汇通日化商贸有限公司" in e.variants)
    assert entity.cases == ["C00", "C01", "C02", "C03", "C04", "C05", "C06"]
    assert entity.matches["匯通日化"]["method"] == "same pinyin (hui tong)"
    assert all(v in entity.matches for v in entity.variants if v != entity.value)
    assert any("dropped" in m["method"] for m in entity.matches.values())


def test_a_homophone_and_a_leading_county_name_are_matched_with_their_evidence():
    mentions = name_mention("郸城县雅洁日化用品厂", src("C01"), "party")
    mentions += name_mention("雅杰日化", src("C02"), "supplier")  # typed from speech: same pinyin
    mentions += name_mention("郸城雅洁日化", src("C03"), "supplier")  # 郸城 may be part of the name
    result = link_mentions(mentions, cases(30))
    entity = next(e for e in result.entities if e.kind == "name")
    assert entity.cases == ["C01", "C02", "C03"]
    assert entity.matches["雅杰日化"]["method"].startswith("same pinyin")
    assert "郸城" in entity.matches["郸城雅洁日化"]["method"]


def test_phones_one_digit_apart_do_not_link():
    mentions = phone_mentions("13938472915", src("C01")) + phone_mentions("139-3847-2916", src("C02"))
    result = link_mentions(mentions, cases(30))
    assert result.chains == [] and len([e for e in result.entities if e.kind == "phone"]) == 2


def test_two_shops_in_one_market_are_not_linked_by_the_market():
    mentions = address_mention("河南省周口市西华县逍遥镇集贸市场12号", src("C01", origin="case"), "party")
    mentions += address_mention("西华县逍遥镇集贸市场35号", src("C02", origin="case"), "party")
    mentions += address_mention("西华县逍遥镇集贸市场", src("C03", origin="case"), "party")
    mentions += name_mention("逍遥镇兴旺副食店", src("C01", origin="case"), "party")
    mentions += name_mention("逍遥镇百姓副食店", src("C02", origin="case"), "party")
    assert link_mentions(mentions, cases(30)).chains == []


def test_a_hub_in_most_cases_carries_almost_no_weight_and_links_nothing():
    mentions = []
    for i in range(20):  # a regional distributor in 20 of 30 ledgers, name and phone in each row
        mentions += name_mention("周口华联百货批发有限公司", src(f"C{i:02d}", row=3), "supplier")
        mentions += phone_mentions("0394-8288123", src(f"C{i:02d}", row=3), "supplier")
    # its address, written down in only two ledgers, belongs to the same party: no rarer than the hub
    mentions += address_mention("河南省周口市川汇区七一路188号", src("C00", row=3), "supplier")
    mentions += address_mention("周口市川汇区七一路188号", src("C01", row=3), "supplier")
    result = link_mentions(mentions, cases(30))
    assert result.chains == []
    weights = {e.kind: e.weight for e in result.entities}
    assert weights["phone"] < 0.2 and weights["address"] < 0.2
    assert next(e for e in result.entities if e.kind == "address").reach == 20


def test_a_genuine_owners_identity_on_goods_links_nothing_an_unknown_makers_ties_shops_and_maker():
    from links.label_claims import GenuineOwners

    # a maker name, phone and code printed on labels in two cases
    mentions = name_mention("雅洁日化用品厂", src("C01", origin="label"), "maker", trust=CLAIM_TRUST)
    mentions += name_mention("雅洁日化用品厂", src("C02", origin="label"), "maker", trust=CLAIM_TRUST)
    mentions += phone_mentions("13933883907", src("C01", origin="label"), "maker", PRINTED_TRUST)
    mentions += phone_mentions("+86 139 3388 3907", src("C02", origin="label"), "maker", PRINTED_TRUST)
    mentions += credit_code_mentions("92411625AF8HNBYEBL", src("C01", origin="label"), "maker", bare=True,
                                     trust=PRINTED_TRUST)
    mentions += credit_code_mentions("92411625AF8HNBYEBL", src("C02", origin="label"), "maker", bare=True,
                                     trust=PRINTED_TRUST)
    # when the code is a genuine owner's, it and everything printed beside it is copied: no chain
    genuine = GenuineOwners()
    genuine.add([{"owner": "某某日化股份有限公司", "credit_code": "92411625AF8HNBYEBL"}], "test")
    copied = link_mentions([replace(m) for m in mentions], cases(30), owners=genuine)
    assert copied.chains == []
    assert {e.label_claim for e in copied.entities} == {"copied"}
    # the workshop's own case record names the code: an unknown maker's goods in two shops and its own case
    mentions += credit_code_mentions("92411625AF8HNBYEBL", src("C03", origin="case", file="case.yml"), "party",
                                     bare=True)
    mentions += name_mention("郸城县雅洁日化用品厂", src("C03", origin="case", file="case.yml"), "party")
    result = link_mentions(mentions, cases(30), owners=GenuineOwners())
    (chain,) = result.chains
    assert chain.cases == ["C01", "C02", "C03"] and chain.roles == {"C01": "retailer", "C02": "retailer",
                                                                   "C03": "maker"}


def test_a_distributor_in_half_of_one_prefectures_cases_is_a_hub_however_big_the_casebook():
    records = {f"Z{i:03d}": CaseRecord(f"Z{i:03d}", county="西平县") for i in range(30)}  # 驻马店
    records.update({f"K{i:03d}": CaseRecord(f"K{i:03d}", county="西华县") for i in range(400)})  # 周口
    mentions = []
    for i in range(15):  # half of 驻马店's cases
        mentions += phone_mentions("0396-5288123", src(f"Z{i:03d}"), "supplier")
    result = link_mentions(mentions, records)
    (phone,) = result.entities
    assert phone.population == 30 and phone.weight < 0.3 and result.chains == []


def test_two_registered_parties_with_alike_names_stay_two_entities():
    mentions = name_mention("谢家集区聚福坊平调味品有限公司", src("C01", origin="case", file="case.yml"), "party")
    mentions += name_mention("谢家集区聚福坊金调味品加工厂", src("C02", origin="case", file="case.yml"), "party")
    mentions += name_mention("聚福坊平调味品厂", src("C03"), "maker", trust=CLAIM_TRUST)  # alike both
    result = link_mentions(mentions, cases(30))
    parties = [e for e in result.entities if any(m.role == "party" for m in e.mentions)]
    assert len(parties) == 2 and all(len({m.source.case for m in e.mentions if m.role == "party"}) == 1
                                     for e in parties)


def test_a_chain_spans_counties_and_its_roles_come_from_the_documents():
    records = cases(30)
    records["C01"].county, records["C02"].county, records["C03"].county = "郸城县", "项城市", "川汇区"
    m = name_mention("郸城县雅洁日化用品厂", src("C01", origin="case", file="case.yml"), "party")
    m += name_mention("项城市汇通日化商贸有限公司", src("C02", origin="case", file="case.yml"), "party")
    m += name_mention("雅洁日用化工", src("C02", row=4), "supplier")  # the wholesaler buys from the workshop
    m += phone_mentions("13933883907", src("C02", row=4), "supplier")
    m += name_mention("周口汇通日化", src("C03", row=2), "supplier")  # the shop buys from the wholesaler
    m += phone_mentions("187 4170 2094", src("C03", row=2), "supplier")
    m += name_mention("雅洁日化", src("C03", row=2), "maker", trust=CLAIM_TRUST)
    m += wechat_mentions("加我V信 HuiTong_RH888", Source("C03", "evidence/聊天.txt", "chat", line=3, text="..."), "contact")
    m += wechat_mentions("微信号：huitong_rh888", Source("C02", "evidence/聊天.txt", "chat", line=1, text="..."), "contact")
    result = link_mentions(m, records)
    (chain,) = result.chains
    assert chain.cases == ["C01", "C02", "C03"] and chain.counties == ["川汇区", "郸城县", "项城市"]
    assert chain.roles == {"C01": "maker", "C02": "wholesaler", "C03": "retailer"}
    assert 0 < chain.score <= 1
    linking = {v["kind"] for v in chain.via if v["links"]}
    assert {"name", "wechat"} <= linking
    assert chain.upstream == ["phone:13933883907"] or "phone:13933883907" not in {v["entity"] for v in chain.via}
    sources = result.chain_sources(chain)
    assert all(s["file"] and ("row" in s or "line" in s) for s in sources)


def test_json_shape():
    mentions = phone_mentions("13933883907", src("C01"), "supplier") + phone_mentions("13933883907", src("C02"))
    data = link_mentions(mentions, cases(10)).to_dict()
    assert set(data) == {"entities", "chains", "leads", "problems"}
    assert {"id", "kind", "value", "variants", "cases", "sources"} <= set(data["entities"][0])
    assert {"id", "cases", "counties", "via", "roles", "score"} <= set(data["chains"][0])
    assert data["entities"][0]["sources"][0] == {"case": "C01", "file": "evidence/进货台账.csv", "origin": "ledger",
                                                  "row": 2, "field": "供货单位", "text": "row 2 of C01",
                                                  "as_read": "13933883907", "role": "supplier"}


def test_a_chain_of_spelling_slips_is_only_as_sure_as_its_weakest_slip():
    mentions = []
    for case, name in (("C01", "刘记美茂福粮油"), ("C02", "刘记建茂福粮油"), ("C03", "刘记建茂海粮油")):
        mentions += name_mention(name, src(case), "supplier")
    result = link_mentions(mentions, cases(30))
    assert result.chains == []  # three small suppliers a slip apart from each other are not one supplier
    for entity in result.entities:
        for variant, match in entity.matches.items():
            assert match["score"] < 90, (variant, match)
