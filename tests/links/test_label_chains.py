"""Chains that live only on the labels of seized goods: whose identity a label prints, names that belong
together, the decoys that must not link, leads, and several casebooks linked at once."""

from __future__ import annotations

import hashlib
import html
import io
import json

import pytest

from casebook.chains.linkage import link_casebook
from casebook.cli import main
from evidence.labels.label_fields import extract_fields
from links import CaseRecord, link_mentions
from links.label_claims import GenuineOwners
from links.records import label_mentions
from tests.support.links import make_case, write_table

WORKSHOP_CODE = "91411621MA3X8PQ10W"  # check-digit valid (python-stdnum), made up
GENUINE = {"owner": "中原沃土农化股份有限公司", "credit_code": "91410100MA44F7B5XQ", "phone": "0371-66881234",
           "address": "河南省郑州市金水区农业路18号"}


def _valid(code: str) -> str:
    from stdnum.cn import uscc

    return code[:-1] + uscc.calc_check_digit(code[:-1])


WORKSHOP_CODE, GENUINE["credit_code"] = _valid(WORKSHOP_CODE), _valid(GENUINE["credit_code"])


def _photo(text: str) -> bytes:
    """A small real JPEG (so the chart can show a thumbnail); its bytes differ for every label."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 120), "white")
    ImageDraw.Draw(image).text((10, 50), hashlib.sha256(text.encode()).hexdigest()[:24], fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def _label(book, case: str, lines: list[str], cache, fingerprint: str, name: str = "IMG_0001.jpg") -> str:
    """A label photo in the case folder, its reading in the cache as if sealing had read it; returns its SHA-256."""
    from evidence.labels.ocr import OcrLine, OcrResult

    data = _photo(case + "\n".join(lines))
    (book / case / "labels" / name).write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    ocr = [OcrLine(t, ((0.0, 40.0 * i), (900.0, 40.0 * i), (900.0, 40.0 * i + 30), (0.0, 40.0 * i + 30)), 0.97)
           for i, t in enumerate(lines)]
    cache.put(digest, fingerprint, OcrResult.from_lines("rapidocr", ocr, (1000, 800)))
    return digest


CASES = {  # case -> county; shops of three prefectures' counties
    "S1": "西华县", "S2": "鹿邑县", "S3": "郸城县", "G1": "商水县", "G2": "太康县", "G3": "项城市",
    "T1": "西华县", "T2": "淮阳区", "M1": "沈丘县", "M2": "川汇区", "P1": "扶沟县", "P2": "郸城县"}


@pytest.fixture(scope="module")
def label_book(tmp_path_factory):
    """A casebook whose only ties are on labels: one workshop's code under three spellings (S1-S3), and decoys:
    a genuine owner on every fake (G1-G3), one trade name in two counties (T1, T2), two makers at two stalls
    of one market (M1, M2); P1, P2 have nothing in common."""
    from evidence.labels.ocr import get_engine
    from evidence.labels.readings import ReadingCache

    root = tmp_path_factory.mktemp("labelbook")
    book, cache_dir = root / "book", root / "cache" / "readings"  # where CASEBOOK_CACHE=root/cache keeps readings
    cache, fingerprint = ReadingCache(cache_dir), get_engine("auto").fingerprint
    for case, county in CASES.items():
        make_case(book, case, county=county, party={"name": f"{county}{case}便民超市", "address": f"河南省周口市{county}"},
                  organ=f"{county}市场监督管理局")
    digests = {}
    for case, name in zip(("S1", "S2", "S3"), ("周口市丰禾肥业有限公司", "丰禾肥业（周口）", "扶沟丰禾肥业"), strict=True):
        digests[case] = _label(book, case, ["产品名称：复合肥料(15-15-15)", f"生产企业：{name}", "地址：扶沟县练寺镇工业园",
                                            f"统一社会信用代码：{WORKSHOP_CODE}"], cache, fingerprint)
    for case in ("G1", "G2", "G3"):
        _label(book, case, ["产品名称：复合肥料(17-17-17)", f"生产商：{GENUINE['owner']}", f"地址：{GENUINE['address']}",
                            f"电话：{GENUINE['phone']}", f"统一社会信用代码：{GENUINE['credit_code']}"], cache, fingerprint)
    _label(book, "T1", ["产品名称：鸡精", "生产者：兴旺食品厂", "地址：河南省周口市西华县建设路12号"], cache, fingerprint)
    _label(book, "T2", ["产品名称：鸡精", "生产者：兴旺食品厂", "地址：河南省周口市淮阳区文化路88号"], cache, fingerprint)
    _label(book, "M1", ["产品名称：辣条", "生产者：福旺食品加工坊", "地址：河南省周口市沈丘县槐店镇农贸市场12号摊位"],
           cache, fingerprint)
    _label(book, "M2", ["产品名称：辣条", "生产者：广进食品加工坊", "地址：河南省周口市沈丘县槐店镇农贸市场15号摊位"],
           cache, fingerprint)
    columns = ["owner", "credit_code", "licence", "address", "phone"]
    write_table(book, "brand_owners", [columns, [GENUINE.get(c, "") for c in columns]], "utf-8")
    (book / "cases.csv").write_text("case_id,county\n" + "".join(f"{c},{k}\n" for c, k in CASES.items()),
                                    encoding="utf-8")
    return book, cache_dir, digests


@pytest.fixture(scope="module")
def label_linkage(label_book):
    book, cache_dir, _ = label_book
    return link_casebook(book, ocr=False, cache_dir=cache_dir)


def test_an_unknown_workshops_code_on_goods_of_three_counties_links_them_and_no_decoy(label_linkage):
    result = label_linkage.result
    assert label_linkage.stats["labels_cached"] == 10 and label_linkage.stats["labels_not_read"] == 0
    (chain,) = result.chains
    assert chain.cases == ["S1", "S2", "S3"] and chain.counties == ["西华县", "郸城县", "鹿邑县"]
    assert chain.roles == {"S1": "retailer", "S2": "retailer", "S3": "retailer"}
    assert [result.entity(e).value for e in chain.upstream]  # the workshop: the next lead, with no case here
    code = result.entity(f"credit_code:{WORKSHOP_CODE}")
    assert code.label_claim == "source" and code.id in {v["entity"] for v in chain.via if v["links"]}


def test_three_spellings_of_a_name_beside_one_code_are_one_party(label_linkage):
    result = label_linkage.result
    (name,) = [e for e in result.entities if e.kind == "name" and "丰禾" in e.value]
    assert name.variants == ["丰禾肥业(周口)", "周口市丰禾肥业有限公司", "扶沟丰禾肥业"]  # as read, width-folded
    assert name.cases == ["S1", "S2", "S3"] and name.label_claim == "source"


def test_a_genuine_owners_identity_on_every_fake_is_marked_copied_and_listed_as_a_lead(label_linkage):
    result = label_linkage.result
    copied = [e for e in result.entities if e.cases == ["G1", "G2", "G3"]]
    assert {e.kind for e in copied} == {"name", "credit_code", "phone", "address"}
    assert all(e.label_claim == "copied" and e.copied_from == [GENUINE["owner"]] for e in copied)
    leads = {lead["entity"]: lead for lead in result.leads}
    assert leads[f"credit_code:{GENUINE['credit_code']}"]["reason"] == "copied_genuine"


def test_one_trade_name_in_two_counties_and_two_stalls_of_one_market_stay_apart(label_linkage):
    result = label_linkage.result
    xingwang = [e for e in result.entities if e.kind == "name" and e.value == "兴旺食品厂"]
    assert sorted(c for e in xingwang for c in e.cases) == ["T1", "T2"] and all(len(e.cases) == 1 for e in xingwang)
    assert not [e for e in result.shared_entities if set(e.cases) & {"T1", "T2", "M1", "M2", "P1", "P2"}]


def test_without_the_registry_the_genuine_owners_identity_would_link(label_book, tmp_path, capsys, monkeypatch):
    """The copied owner is told apart by the registry, not by chance: without its list it is a source lead;
    the same list given with --owners tells it apart again."""
    book, cache_dir, _ = label_book
    moved = book / "brand_owners.csv"
    kept = moved.read_bytes()
    moved.unlink()
    (tmp_path / "owners.csv").write_bytes(kept)
    monkeypatch.setenv("CASEBOOK_CACHE", str(cache_dir.parent))
    try:
        linkage = link_casebook(book, ocr=False, cache_dir=cache_dir)
        code = main(["link", str(book), "--no-ocr", "--json", "--owners", str(tmp_path / "owners.csv")])
    finally:
        moved.write_bytes(kept)
    assert sorted(c.cases for c in linkage.result.chains) == [["G1", "G2", "G3"], ["S1", "S2", "S3"]]
    assert code == 0 and [c["cases"] for c in json.loads(capsys.readouterr().out)["chains"]] == [["S1", "S2", "S3"]]


def test_a_food_workshop_known_by_name_and_address_each_spelt_three_ways():
    spellings = [("F1", "淮阳区", "周口市淮阳区鑫旺食品厂", "河南省周口市淮阳区羲皇大道56号"),
                 ("F2", "西华县", "鑫旺食品（周口）", "周口市淮阳区羲皇大道56#"),
                 ("F3", "沈丘县", "淮阳鑫旺食品", "淮阳区羲皇大道５６号")]
    mentions = []
    for case, _, name, address in spellings:
        lines = ["产品名称：鸡精调味料", f"生产者：{name}", f"地址：{address}"]
        fields = extract_fields("\n".join(lines)).to_dict()
        mentions += label_mentions(case, "labels/1.jpg", fields, lines, sha256=hashlib.sha256(case.encode()).hexdigest())
    cases = {c: CaseRecord(c, county=k) for c, k, _, _ in spellings}
    cases.update({f"X{i}": CaseRecord(f"X{i}", county="项城市") for i in range(20)})
    result = link_mentions(mentions, cases, owners=GenuineOwners())
    (chain,) = result.chains
    assert chain.cases == ["F1", "F2", "F3"]
    tying = {v["kind"] for v in chain.via if v["links"]}
    assert tying == {"name", "address"}
    (name,) = [e for e in result.entities if e.kind == "name"]
    assert len(name.variants) == 3 and name.label_claim == "source"
    for source in name.sources():
        assert source["origin"] == "label" and len(source["sha256"]) == 64 and source["line"] == 2


def test_a_name_without_place_on_labels_of_two_cases_is_a_lead_not_a_link():
    mentions = []
    for case in ("C1", "C2"):
        lines = ["产品名称：辣条", "生产者：鸿运食品厂"]
        mentions += label_mentions(case, "labels/1.jpg", extract_fields("\n".join(lines)).to_dict(), lines)
    cases = {f"C{i}": CaseRecord(f"C{i}", county="西华县") for i in range(1, 25)}
    result = link_mentions(mentions, cases, owners=GenuineOwners())
    assert result.chains == []
    (lead,) = result.leads
    assert lead["cases"] == ["C1", "C2"] and lead["reason"] == "placeless_name" and 0.3 <= lead["best"] < 0.5


def test_label_parties_and_unknown_fields_are_read_tolerantly():
    fields = {"manufacturer": "丰禾肥业", "address": "扶沟县练寺镇工业路18号", "brand_new_field": {"x": 1},
              "parties": [{"role": "委托方", "name": "周口市禾丰农资有限公司", "address": "河南省周口市川汇区八一路9号"},
                          "not a party", {"role": "受委托方", "name": "丰禾肥业"}]}
    mentions = label_mentions("C1", "labels/1.jpg", fields, ["委托方：周口市禾丰农资有限公司"])
    names = {m.raw: m for m in mentions if m.kind == "name"}
    assert set(names) == {"丰禾肥业", "周口市禾丰农资有限公司"}
    assert names["周口市禾丰农资有限公司"].source.field == "parties.1.manufacturer"
    assert names["丰禾肥业"].name.place.adcodes == frozenset({"411621"})  # placed by the address beside it


@pytest.mark.slow
def test_outputs_show_the_label_photo_the_line_read_its_hash_and_mark_copied_identities(label_book, label_linkage,
                                                                                       tmp_path, monkeypatch):
    from casebook.chains.link_outputs import write_link_outputs
    from casebook.sections import Dossier

    book, cache_dir, digests = label_book
    written = write_link_outputs(label_linkage, tmp_path / "out")
    page = html.unescape((tmp_path / "out" / "links.html").read_text(encoding="utf-8"))
    for case, digest in digests.items():
        assert digest in page and f"{case}" in page
    assert "labels/IMG_0001.jpg" in page and "统一社会信用代码：" + WORKSHOP_CODE in page
    assert "data:image/jpeg;base64," in page  # the photo itself, as a thumbnail
    assert "源头线索" in page and "冒用正品企业信息" in page  # the leads list marks the copied genuine owner
    data = json.loads((tmp_path / "out" / "links.json").read_text(encoding="utf-8"))
    code = next(e for e in data["entities"] if e["id"] == f"credit_code:{WORKSHOP_CODE}")
    assert code["label_claim"] == "source" and {s["sha256"] for s in code["sources"]} == set(digests.values())
    copied = next(e for e in data["entities"] if e["id"] == f"credit_code:{GENUINE['credit_code']}")
    assert copied["label_claim"] == "copied" and copied["copied_from"] == [GENUINE["owner"]]
    assert any(lead["reason"] == "copied_genuine" for lead in data["leads"])
    letters = [p for p in written if p.parent.name == "letters"]
    assert len(letters) == 2  # to the two other counties of the chain
    letter = html.unescape(letters[0].read_text(encoding="utf-8"))
    assert all(d in letter for d in digests.values()) and "源头线索" in letter and "扶沟丰禾肥业" in letter
    monkeypatch.setenv("CASEBOOK_CACHE", str(cache_dir.parent))  # the dossier reads the cache sealing filled
    section = html.unescape(Dossier(book / "S2").linked()._repr_html_())
    assert digests["S1"] in section and "标签证据" in section and "源头线索" in section
    lone = html.unescape(Dossier(book / "G1", lang="en").linked()._repr_html_())
    assert "Leads for review" in lone and "copied onto fakes" in lone and GENUINE["owner"] in lone


def _book(root, name: str, cases: dict[str, str], organ_of) -> None:
    for case, county in cases.items():
        make_case(root / name, case, county=county, party={"name": f"{name}{case}副食店"}, organ=organ_of(county))


@pytest.mark.slow
def test_several_casebooks_link_across_bureaus_and_count_rarity_per_casebook(tmp_path, capsys, monkeypatch):
    """Two prefectures' casebooks: a supplier's phone ties a case of each (a chain naming both bureaus), a case id
    both use is kept apart, and a distributor in most cases of the small casebook is a hub there, however many
    cases the other casebook holds."""
    a = {f"A{i:02d}": "" for i in range(10)} | {"C-001": ""}
    b = {f"B{i:02d}": "" for i in range(60)} | {"C-001": ""}
    _book(tmp_path, "zmd", a, lambda _c: "驻马店市市场监督管理局")
    _book(tmp_path, "fy", b, lambda _c: "阜阳市市场监督管理局")
    header = ["日期", "商品名称", "供货单位", "联系电话"]
    for case in [f"A{i:02d}" for i in range(8)]:  # the small casebook's distributor
        write_table(tmp_path / "zmd" / case / "evidence", "进货台账", [header, ["2024-03-01", "洗衣粉", "大华商贸", "0396-5288123"]],
                    "utf-8")
    for book, case in (("zmd", "C-001"), ("fy", "B00")):  # one supplier, one case in each prefecture
        write_table(tmp_path / book / case / "evidence", "进货台账",
                    [header, ["2024-03-02", "白酒", "淮润商贸", "13700001111"]], "utf-8")
    monkeypatch.setenv("CASEBOOK_CACHE", "off")
    code = main(["link", str(tmp_path / "zmd"), str(tmp_path / "fy"), "--json", "--no-ocr"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["stats"]["casebooks"] == 2 and data["stats"]["cases"] == 72
    (chain,) = data["chains"]
    assert chain["cases"] == ["B00", "C-001"]
    assert chain["holders"] == {"B00": {"bureau": "阜阳市市场监督管理局", "casebook": "fy", "county": ""},
                                "C-001": {"bureau": "驻马店市市场监督管理局", "casebook": "zmd", "county": ""}}
    ids = {c for e in data["entities"] for c in e["cases"]}
    assert "fy-C-001" not in ids and "C-001" in ids  # the second casebook's C-001 is there, as fy-C-001
    hub = next(e for e in data["entities"] if e["id"] == "phone:03965288123")
    assert hub["population"] == 11 and hub["weight"] < 0.5  # counted among the small casebook's cases only
    linkage = link_casebook([tmp_path / "zmd", tmp_path / "fy"], ocr=False)
    assert "fy-C-001" in linkage.result.cases and linkage.case_folder("fy-C-001") == (tmp_path / "fy" / "C-001").resolve()


@pytest.mark.slow
def test_the_samples_labels_only_chain_shows_once_its_photos_are_read_by_ocr(sample_book, sample_truth, tmp_path):
    """Chain D of the sample: its three bags' photos read by the real OCR engine (as sealing would), the other
    photos not read; then every planted chain is found exactly, D with them, and no decoy links."""
    from evidence.labels.label_report import read_label
    from evidence.labels.ocr import get_engine
    from evidence.labels.readings import ReadingCache
    from links.testing import assert_chains_match

    (planted,) = [c for c in sample_truth["chains"] if c.get("labels_only")]
    workshop = planted["via"][0].split()[-1]  # its credit code
    photos = [label["image"] for label in sample_truth["labels"] if label["fields"].get("credit_code") == workshop]
    assert len(photos) == 3
    cache, engine = ReadingCache(tmp_path / "readings"), get_engine("auto")
    for photo in photos:
        assert read_label(sample_book / photo, engine, cache=cache).error is None
    linkage = link_casebook(sample_book, ocr=False, cache_dir=tmp_path / "readings")
    assert linkage.stats["labels_cached"] == 3
    assert_chains_match(linkage.result.chains, sample_truth["chains"], sample_truth["link_decoys"])
    chain = next(c for c in linkage.result.chains if c.cases == planted["cases"])
    assert all(v.get("label_claim") == "source" for v in chain.via if v["links"])
