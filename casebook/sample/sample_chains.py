"""Supply chains planted in the sample casebook, with the decoys that must not link them.

Three chains cross county lines the way counterfeit goods do (docs/domain.md, Linking cases):

- A, toiletries: a back-street workshop (maker) sells copycat shampoo to a wholesaler, who sells it
  to two shops; the shops' ledgers, a chat log, the maker's order export and the labels on the
  seized bottles name them, each in its own spelling;
- B, food: a workshop -> a wholesale department -> two shops, through ledgers (CSV and Excel, three
  encodings, four header styles) and an order export;
- C, online: two shops that bought from one QQ seller (no case of its own) and paid one bank card;
- D, labels only: a fertilizer workshop known only from the labels of its goods in three counties
  (:mod:`casebook.sample.sample_label_chain`): it shows once the label photos are read.

Decoys that a careless join would link: shops in one market (different stall numbers), suppliers
whose phones differ in one digit, a national brand's maker named in most ledgers, and a big
regional distributor that every second shop buys from.  Cases whose names or stall addresses
collide by chance in the base sample are renamed first, so that the only links are the planted ones.

Chains are planted into existing cases (so ``--cases N`` keeps N cases) with a random generator of
their own: the base sample's labels and positions are the same bytes with or without them.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml
from stdnum import ean, luhn

from casebook.sample.sample_label_chain import plant_label_chain
from casebook.sample.sample_labels import compose_label, draw_label, make_credit_code
from links.names import normalise_name
from links.places import place_index

MIN_CASES = 14  # fewer cases cannot hold three chains and their decoys

ROADS = ["建设路", "人民路", "工业路", "交通路", "文昌大道", "育新街", "商周路", "中州大道"]
OPERATORS = ["李保国", "王富贵", "赵红旗", "孙立新", "周长海", "吴金凤", "郑广才", "冯玉兰"]
EXTRA_WORDS = ["宏发", "聚源", "永盛", "吉祥", "德兴", "瑞丰", "新世纪", "东方红", "和顺", "富民", "康乐", "益民",
               "旺角", "家家乐", "天天", "万福", "长青", "嘉禾", "豫丰", "中原"]
SHOP_KINDS = ["副食店", "超市", "日杂店", "农资店", "五金电器店", "便利店", "批发部"]
# small local suppliers, different in every ledger; none of them may link two cases
LOCAL_SUPPLIER = ["{s}记粮油", "{s}家调料批发", "{w}{g}经营部", "{w}{g}门市", "{s}氏{g}行"]
LOCAL_GOODS = ["粮油", "调味品", "烟酒", "干货", "蔬菜", "冷饮", "炒货", "纸品"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
LOCAL_WORDS = ["兴隆", "永发", "恒信", "广源", "金丰", "大众", "诚信", "老街", "鸿运", "祥和", "汇丰", "明珠",
               "三友", "四季", "五洲", "六合", "七彩", "八方", "九州", "十全", "百福", "千禧", "万利", "华泰"]

# The regional distributor (a hub) and national brands' makers: in most ledgers, never a link.
DISTRIBUTOR = {"names": ["周口华联百货批发有限公司", "华联百货批发", "周口华联批发", "华联百货（周口）"],
               "phone": ["0394-8288123", "(0394)8288123", "0394 828 8123"],
               "address": "河南省周口市川汇区七一路188号"}
NATIONAL = [
    ("宝洁（中国）有限公司", "400-823-1234", "海飞丝去屑洗发露400ml"),
    ("广州宝洁有限公司", "400-823-1234", "飘柔洗发露400ml"),
    ("联合利华（中国）有限公司", "400-830-5958", "清扬去屑洗发露500ml"),
    ("天津顶益食品有限公司", "400-800-0607", "康师傅红烧牛肉面5连包"),
    ("统一企业（中国）投资有限公司", "400-880-0577", "统一老坛酸菜牛肉面"),
]
NATIONAL_CODE = "91440101618607268N"  # a made-up but check-digit-valid code, used for the brand maker in many ledgers

# Header styles: role -> the header as a shop writes it; a title row above the header in some.
LEDGER_STYLES = [
    {"title": "{shop}进货台账", "date": "进货日期", "goods": "商品名称", "spec": "规格", "quantity": "数量",
     "supplier": "供货单位", "supplier_phone": "联系电话", "maker": "生产厂家", "licence": "生产许可证号"},
    {"title": "", "date": "日期", "goods": "品名", "quantity": "进货数量", "supplier": "供应商",
     "supplier_phone": "供应商电话", "maker": "厂家", "maker_phone": "厂家电话", "supplier_address": "供货地址"},
    {"title": "食品进货查验记录（索证索票）", "date": "购进日期", "goods": "货品名称", "spec": "规格型号",
     "quantity": "数量", "supplier": "*供货者名称", "supplier_phone": "联系方式", "maker": "生产企业",
     "licence": "许可证编号", "batch": "生产日期/批号"},
    {"title": "{shop}  购货登记", "date": "进货时间", "goods": "商品", "supplier": "供货商", "contact": "联系人",
     "supplier_phone": "手机", "maker": "生产商", "supplier_code": "统一社会信用代码"},
]


@dataclass
class PlantedLinks:
    """What was planted: the chains and decoys for truth.json, and how many evidence files were added."""

    chains: list[dict] = field(default_factory=list)
    decoys: list[dict] = field(default_factory=list)
    n_files: int = 0


@dataclass
class _Party:
    name: str
    county: str
    phone: str  # as a mobile, digits only
    code: str
    address: str
    operator: str
    wechat: str = ""
    card: str = ""
    licence: str = ""
    barcode_stem: str = ""


class _Writer:
    """Writes evidence files into case folders, with the case's date as their mtime."""

    def __init__(self, root: Path, rows: dict[str, dict]) -> None:
        self.root, self.rows, self.count = root, rows, 0

    def write(self, case_id: str, name: str, data: bytes) -> Path:
        path = self.root / case_id / "evidence" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        opened = date.fromisoformat(self.rows[case_id]["opened"])
        stamp = datetime.combine(opened, datetime.min.time(), tzinfo=UTC).timestamp() + 3600 * 11
        os.utime(path, (stamp, stamp))
        self.count += 1
        return path


def _county_code(county: str) -> str:
    codes = sorted(place_index().full.get(county, {"410000"}))
    return codes[0]


def _mobile(rng: random.Random, used: set[str]) -> str:
    while True:
        number = rng.choice(["135", "137", "138", "139", "150", "151", "158", "159", "186", "187"]) + \
            "".join(rng.choice("0123456789") for _ in range(8))
        if number not in used:
            used.add(number)
            return number


def _card(rng: random.Random) -> str:
    stem = "6228" + "".join(rng.choice("0123456789") for _ in range(14))
    return stem + luhn.calc_check_digit(stem)


def _written_phone(rng: random.Random, digits: str) -> str:
    """A mobile as people write it: spaces, dashes, +86, full-width digits."""
    forms = [digits, f"{digits[:3]}-{digits[3:7]}-{digits[7:]}", f"{digits[:3]} {digits[3:7]} {digits[7:]}",
             f"+86 {digits}", f"86-{digits}", digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))]
    return rng.choice(forms)


def _xlsx(sheets: list[tuple[str, list[list]]]) -> bytes:
    """An Excel workbook whose bytes depend only on its cells (fixed zip and document times)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return fixed.getvalue()


def _table_bytes(rows: list[list], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _ledger(style: dict, shop: str, entries: list[dict], fmt: str) -> tuple[bytes, str]:
    """A purchase ledger in one header style and format (utf-8, utf-8-sig, gb18030 or xlsx)."""
    roles = [r for r in style if r != "title"]
    rows: list[list] = []
    if style["title"]:
        rows += [[style["title"].format(shop=shop)], []]
    rows.append([style[r] for r in roles])
    for entry in entries:
        rows.append([entry.get(r, "") for r in roles])
    if fmt == "xlsx":
        return _xlsx([("进货台账", rows)]), ".xlsx"
    return _table_bytes(rows, fmt), ".csv"


def _chat(lines: list[str], encoding: str) -> bytes:
    return ("\r\n" if encoding == "gb18030" else "\n").join(lines).encode(encoding) + b"\n"


def _load(root: Path, case_id: str) -> dict:
    return yaml.safe_load((root / case_id / "case.yml").read_text(encoding="utf-8"))


def _save(root: Path, case_id: str, record: dict) -> None:
    (root / case_id / "case.yml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")


def _rename_party(root: Path, row: dict, name: str, party: dict | None = None) -> None:
    """Give a case a new party name (and party fields); title, summary and cases.csv follow."""
    record = _load(root, row["case_id"])
    old = record["party"]["name"]
    record["party"]["name"] = name
    if party:
        record["party"].update(party)
    record["title"] = record["title"].replace(old, name, 1)
    record["summary"] = record["summary"].replace(old, name)
    _save(root, row["case_id"], record)
    row["party"], row["title"] = name, record["title"]


def _dedupe(root: Path, rows: list[dict], rng: random.Random) -> None:
    """Rename chance collisions of the base sample (same shop name in one place, same stall address)."""
    seen_names: list = []
    seen_addresses: set[str] = set()
    words = list(EXTRA_WORDS)
    rng.shuffle(words)
    for row in rows:
        record = _load(root, row["case_id"])
        key = normalise_name(record["party"]["name"])
        clash = key is not None and any(
            key.core == k.core and key.trades_compatible(k) and key.place.compatible(k.place) for k in seen_names)
        if clash:
            prefix = row["town"] if row["town"] != "城区" else row["county"]
            kind = next((k for k in SHOP_KINDS if record["party"]["name"].endswith(k)), "商店")
            _rename_party(root, row, f"{prefix}{words.pop()}{kind}")
            record = _load(root, row["case_id"])
            key = normalise_name(record["party"]["name"])
        address = record["party"]["address"]
        while address in seen_addresses:
            address = re.sub(r"\d+号$", f"{rng.randint(81, 199)}号", address)
        if address != record["party"]["address"]:
            record["party"]["address"] = address
            _save(root, row["case_id"], record)
        seen_addresses.add(address)
        if key is not None:
            seen_names.append(key)


def _pick(rows: list[dict], k: int, taken: set[str], rng: random.Random) -> list[dict]:
    """``k`` cases from as many different counties as there are, none already taken."""
    free = [r for r in rows if r["case_id"] not in taken]
    by_county: dict[str, list[dict]] = {}
    for row in free:
        by_county.setdefault(row["county"], []).append(row)
    counties = sorted(by_county, key=lambda c: (-len(by_county[c]), c))
    rng.shuffle(counties)
    chosen: list[dict] = []
    while len(chosen) < k and any(by_county.values()):
        for county in counties:
            if by_county[county] and len(chosen) < k:
                chosen.append(by_county[county].pop(rng.randrange(len(by_county[county]))))
    taken.update(r["case_id"] for r in chosen)
    return chosen


def _make_party(row: dict, core: str, kind: str, rng: random.Random, used: set[str], *, card: bool = False) -> _Party:
    county = row["county"]
    town = row["town"] if row["town"] != "城区" else ""
    address = f"河南省周口市{county}{town}{rng.choice(ROADS)}{rng.randint(3, 160)}号"
    return _Party(name=f"{county}{core}{kind}", county=county, phone=_mobile(rng, used),
                  code=make_credit_code(rng, _county_code(county), kind="92"), address=address,
                  operator=rng.choice(OPERATORS), card=_card(rng) if card else "")


def _set_party(root: Path, row: dict, party: _Party, kind: str) -> None:
    _rename_party(root, row, party.name, {"type": kind, "operator": party.operator, "credit_code": party.code,
                                          "address": party.address})


def _day(row: dict, back: int) -> str:
    return (date.fromisoformat(row["opened"]) - timedelta(days=back)).isoformat()


class _Hubs:
    """Rows every second ledger carries: the regional distributor's national brands; and unique locals."""

    def __init__(self, rng: random.Random, used_phones: set[str]) -> None:
        self.rng, self.used, self.local_names = rng, used_phones, set()
        self.cases: set[str] = set()  # cases whose ledgers carry the distributor and the national brands

    def distributor_rows(self, row: dict) -> list[dict]:
        rng = self.rng
        self.cases.add(row["case_id"])
        rows = []
        for k in range(rng.randint(2, 4)):
            maker, hotline, goods = rng.choice(NATIONAL[:2] if k == 0 else NATIONAL)  # P&G in every ledger
            rows.append({"date": _day(row, rng.randint(5, 80)), "goods": goods, "spec": "箱",
                         "quantity": str(rng.randint(1, 20)), "supplier": rng.choice(DISTRIBUTOR["names"]),
                         "supplier_phone": rng.choice(DISTRIBUTOR["phone"]), "maker": maker, "maker_phone": hotline,
                         "supplier_address": DISTRIBUTOR["address"], "contact": "刘经理",
                         "supplier_code": NATIONAL_CODE if rng.random() < 0.3 else ""})
        return rows

    def local_rows(self, row: dict) -> list[dict]:
        rng = self.rng
        rows = []
        for _ in range(rng.randint(1, 2)):
            while True:
                name = rng.choice(LOCAL_SUPPLIER).format(s=rng.choice(SURNAMES), w=rng.choice(LOCAL_WORDS),
                                                         g=rng.choice(LOCAL_GOODS))
                key = normalise_name(name)
                if key is not None and key.key not in self.local_names:
                    self.local_names.add(key.key)
                    break
            rows.append({"date": _day(row, rng.randint(5, 80)), "goods": rng.choice(LOCAL_GOODS), "spec": "件",
                         "quantity": str(rng.randint(1, 10)), "supplier": name,
                         "supplier_phone": _written_phone(rng, _mobile(rng, self.used)), "maker": "",
                         "contact": rng.choice(SURNAMES) + rng.choice(["先生", "女士", "老板"])})
        return rows


def _chain_truth(name: str, goods: str, members: list[tuple[dict, str | None]], via: list[str]) -> dict:
    """A planted chain as truth.json lists it; a role of None is one the documents do not state."""
    return {"name": name, "goods": goods, "cases": sorted(row["case_id"] for row, _ in members),
            "counties": sorted({row["county"] for row, _ in members}),
            "roles": {row["case_id"]: role for row, role in members if role}, "via": via}


def _label(rng: random.Random, maker: _Party, produced: str) -> tuple[bytes, object]:
    """A copycat-shampoo label printed by the chain's workshop: its name, address, phone, code, licence."""
    spec = compose_label(rng, "toiletry", "brand_lookalike", produced)
    barcode = maker.barcode_stem + "".join(rng.choice("0123456789") for _ in range(12 - len(maker.barcode_stem)))
    barcode += ean.calc_check_digit(barcode)
    replace = {"manufacturer": maker.name, "address": maker.address, "phone": maker.phone,
               "credit_code": maker.code, "license_no": maker.licence, "barcode": barcode}
    lines = []
    for line in spec.lines:
        for name, value in replace.items():
            old = spec.fields.get(name)
            if old and old in line:
                line = line.replace(old, value)
        lines.append(line)
    spec.lines = lines
    spec.fields.update(replace)
    return draw_label(spec, rng), spec


def plant_chains(root: Path, rows: list[dict], label_truth: list[dict], *, seed: int) -> PlantedLinks:
    """Plant the chains and decoys into the sample's case folders; ``rows`` and ``label_truth`` are updated.

    Parameters
    ----------
    root : the sample casebook being written.
    rows : the rows of cases.csv (party and title change where a case gets a new party).
    label_truth : the labels of truth.json; label photos added here are appended.
    seed : the sample's seed; the chains use a generator of their own seeded from it.

    Returns
    -------
    PlantedLinks
        The chains and decoys for truth.json, and the number of evidence files written.
    """
    planted = PlantedLinks()
    if len(rows) < MIN_CASES:
        return planted
    rng = random.Random(f"casebook-chains-{seed}")
    by_id = {r["case_id"]: r for r in rows}
    writer = _Writer(root, by_id)
    used: set[str] = set()
    _dedupe(root, rows, rng)
    # the base sample's case without labels and its case without evidence stay as they are
    taken = {rows[-2]["case_id"], rows[-1]["case_id"]}
    maker_a, whole_a, shop_a1, shop_a2 = _pick(rows, 4, taken, rng)
    maker_b, whole_b, shop_b1, shop_b2 = _pick(rows, 4, taken, rng)
    shop_c1, shop_c2 = _pick(rows, 2, taken, rng)
    phone_d1, phone_d2 = _pick(rows, 2, taken, rng)
    market = _same_market(rows, taken)
    hubs = _Hubs(rng, used)

    # -- chain A: 雅洁 (workshop) -> 汇通 (wholesaler) -> two shops, copycat shampoo --------------------------
    pa = _make_party(maker_a, "雅洁日化用品", "厂", rng, used, card=True)
    pa.licence = f"豫妆{rng.randint(2016, 2022)}{rng.randint(1000, 9999)}"
    pa.barcode_stem = "69" + "".join(rng.choice("0123456789") for _ in range(5))
    wa = _make_party(whole_a, "汇通日化商贸", "有限公司", rng, used)
    wa.name = f"周口市{whole_a['county']}汇通日化商贸有限公司"
    wa.wechat = "HuiTong_RH888"
    wa_landline = f"0394-{rng.randint(2, 8)}{rng.randint(100000, 999999)}"
    _set_party(root, maker_a, pa, "个人独资企业")
    _set_party(root, whole_a, wa, "有限责任公司")
    shampoo = "海非丝去屑洗发露400ml"
    # the maker's own order export: the wholesaler's phone as buyer, the maker's card as payee
    orders = [["订单号", "下单时间", "商品名称", "数量", "收货人", "收货人电话", "收货地区", "收款账号"]]
    for k in range(6):
        orders.append([f"{rng.randint(10**17, 10**18 - 1)}", f"{_day(maker_a, 90 - 12 * k)} 10:{10 + k}",
                       shampoo, str(rng.randint(50, 200)), "汇通日化 王经理", _written_phone(rng, wa.phone),
                       f"河南省周口市{whole_a['county']}", pa.card])
    writer.write(maker_a["case_id"], "网店订单导出.csv", _table_bytes(orders, "utf-8-sig"))
    # the wholesaler's ledger (Excel): the workshop as supplier, under another spelling
    entries = [{"date": _day(whole_a, 60 - 9 * k), "goods": shampoo, "spec": "箱", "quantity": str(rng.randint(80, 200)),
                "supplier": rng.choice(["雅洁日用化工", f"{pa.county[:-1]}雅洁日化", f"{pa.county}雅洁日用品厂"]),
                "supplier_phone": _written_phone(rng, pa.phone), "maker": "雅洁日化用品厂",
                "licence": pa.licence, "contact": pa.operator} for k in range(4)]
    entries += hubs.distributor_rows(whole_a)
    data, ext = _ledger(LEDGER_STYLES[0], wa.name, entries, "xlsx")
    writer.write(whole_a["case_id"], f"进货台账{ext}", data)
    # the wholesaler's phone export (GB18030): its WeChat id, the workshop's phone and card
    chat = [f"微信号：{wa.wechat.lower()}", f"{_day(whole_a, 70)} 08:30 雅洁日化 {pa.operator[0]}厂长：汇通的，这周的货明天发",
            f"{_day(whole_a, 70)} 08:35 我：好，还是老价格？{shampoo[:3]}两百箱",
            f"{_day(whole_a, 70)} 08:40 雅洁日化 {pa.operator[0]}厂长：对，货款打我卡上 "
            f"{pa.card[:4]} {pa.card[4:8]} {pa.card[8:12]} {pa.card[12:16]} {pa.card[16:]}",
            f"{_day(whole_a, 69)} 09:00 雅洁日化 {pa.operator[0]}厂长：有事打 {pa.phone}"]
    writer.write(whole_a["case_id"], "微信聊天记录（手机导出）.txt", _chat(chat, "gb18030"))
    # shop A1: a GB18030 ledger naming the wholesaler with its landline and mobile
    entries = [{"date": _day(shop_a1, 30 - 7 * k), "goods": shampoo, "spec": "瓶", "quantity": str(rng.randint(12, 48)),
                "supplier": rng.choice(["周口汇通日化", "汇通日化商贸（周口）", "周口市汇通贸易有限公司"]),
                "supplier_phone": f"{wa_landline}/{_written_phone(rng, wa.phone)}" if k == 0 else _written_phone(rng, wa.phone),
                "maker": "雅洁日化", "maker_phone": pa.phone if k == 1 else "", "licence": pa.licence}
               for k in range(3)]
    entries += hubs.distributor_rows(shop_a1) + hubs.local_rows(shop_a1)
    rng.shuffle(entries)
    data, ext = _ledger(LEDGER_STYLES[1], shop_a1["party"], entries, "gb18030")
    writer.write(shop_a1["case_id"], f"进货记录{ext}", data)
    # shop A2: an Excel ledger with the wholesaler's name only, and a chat log with its WeChat and phone
    entries = [{"date": _day(shop_a2, 25), "goods": shampoo, "quantity": "24", "supplier": "汇通日用品商行", "maker": "雅洁日化用品厂"}, *hubs.distributor_rows(shop_a2), *hubs.local_rows(shop_a2)]
    data, ext = _ledger(LEDGER_STYLES[3], shop_a2["party"], entries, "xlsx")
    writer.write(shop_a2["case_id"], f"购货登记{ext}", data)
    chat = [f"{_day(shop_a2, 28)} 10:15 汇通日用品商行 王经理：老板你好，{shampoo[:3]}洗发露到货了，要不要来点？",
            f"{_day(shop_a2, 28)} 10:16 {shop_a2['party']}：多少钱一箱",
            f"{_day(shop_a2, 28)} 10:20 汇通日用品商行 王经理：批发价38一瓶，加我V信 {wa.wechat} 发你图片",
            f"{_day(shop_a2, 27)} 16:40 汇通日用品商行 王经理：货已发，有事打我电话 +86 {wa.phone[:3]}-{wa.phone[3:7]}-{wa.phone[7:]}"]
    writer.write(shop_a2["case_id"], "与供货商聊天记录.txt", _chat(chat, "utf-8"))
    for shop in (shop_a1, shop_a2):
        photo, spec = _label(rng, pa, _day(shop, rng.randint(60, 200)))
        labels = root / shop["case_id"] / "labels"
        image = labels / f"label_{len(list(labels.glob('*.jpg'))) + 1}.jpg"
        image.write_bytes(photo)
        label_truth.append(spec.truth(image.relative_to(root).as_posix(), shop["case_id"]))
    planted.chains.append(_chain_truth(
        "A", "copycat shampoo", [(maker_a, "maker"), (whole_a, "wholesaler"), (shop_a1, "retailer"), (shop_a2, "retailer")],
        [f"phone {wa.phone}", f"wechat {wa.wechat.lower()}", f"phone {pa.phone}", f"card {pa.card}",
         f"credit code {pa.code}", f"licence {pa.licence}", "name 汇通日化", "name 雅洁日化"]))

    # -- chain B: 香满园 (workshop) -> 宏运 (wholesale dept.) -> two shops, fake noodles and snacks ----------
    pb = _make_party(maker_b, "香满园食品", "加工厂", rng, used, card=True)
    pb.licence = f"SC10741{_county_code(maker_b['county'])[2:6]}{rng.randint(1000, 9999)}{rng.randint(0, 9)}"
    wb = _make_party(whole_b, "宏运副食品", "批发部", rng, used, card=True)
    _set_party(root, maker_b, pb, "个体工商户")
    _set_party(root, whole_b, wb, "个体工商户")
    noodles, snack = "康帅傅红烧牛肉面", "麻辣条（调味面制品）"
    orders = [["订单编号", "订单创建时间", "宝贝标题", "购买数量", "买家会员名", "联系手机", "收货地址", "买家支付宝账号"]]
    for k in range(5):
        buyer = rng.choice([("宏运副食批发部", wb.phone, wb.card), ("宏运副食", wb.phone, wb.card)])
        orders.append([f"{rng.randint(10**17, 10**18 - 1)}", f"{_day(maker_b, 80 - 14 * k)} 14:0{k}",
                       rng.choice([noodles, snack]), str(rng.randint(100, 400)), buyer[0], _written_phone(rng, buyer[1]),
                       f"河南省周口市{whole_b['county']}{whole_b['town'] if whole_b['town'] != '城区' else ''}",
                       buyer[2]])
    for _ in range(4):  # retail buyers from elsewhere: context only
        orders.append([f"{rng.randint(10**17, 10**18 - 1)}", f"{_day(maker_b, rng.randint(5, 90))} 20:15", snack,
                       str(rng.randint(1, 5)), rng.choice(SURNAMES) + "先生", _written_phone(rng, _mobile(rng, used)),
                       rng.choice(["安徽省阜阳市临泉县", "河南省商丘市柘城县", "河南省驻马店市平舆县"]),
                       _mobile(rng, used)])
    writer.write(maker_b["case_id"], "订单导出（拼多多）.csv", _table_bytes(orders, "gb18030"))
    entries = [{"date": _day(whole_b, 50 - 10 * k), "goods": rng.choice([noodles, snack]), "spec": "件",
                "quantity": str(rng.randint(100, 300)), "supplier": rng.choice(["香满园食品厂", "香满园食品加工厂"]),
                "supplier_phone": _written_phone(rng, pb.phone), "maker": "香满园食品", "licence": pb.licence,
                "batch": _day(whole_b, 60 - 10 * k)} for k in range(3)]
    entries += hubs.distributor_rows(whole_b) + hubs.local_rows(whole_b)
    data, ext = _ledger(LEDGER_STYLES[2], wb.name, entries, "utf-8-sig")
    writer.write(whole_b["case_id"], f"进货查验记录{ext}", data)
    b_names = [f"{wb.county}宏运副食批发部", "宏运副食品批发部（周口）", "宏 运 副 食 批 发"]
    for shop, style, fmt in ((shop_b1, LEDGER_STYLES[0], "xlsx"), (shop_b2, LEDGER_STYLES[1], "utf-8")):
        entries = [{"date": _day(shop, 20 - 6 * k), "goods": rng.choice([noodles, snack]), "spec": "箱",
                    "quantity": str(rng.randint(5, 30)), "supplier": rng.choice(b_names),
                    "supplier_phone": _written_phone(rng, wb.phone), "maker": rng.choice(["香满园食品厂", "香满园"]),
                    "licence": pb.licence if k == 0 else ""} for k in range(2)]
        entries += hubs.distributor_rows(shop) + hubs.local_rows(shop)
        rng.shuffle(entries)
        data, ext = _ledger(style, shop["party"], entries, fmt)
        writer.write(shop["case_id"], f"进货台账{ext}", data)
    planted.chains.append(_chain_truth(
        "B", "fake instant noodles and snacks",
        [(maker_b, "maker"), (whole_b, "wholesaler"), (shop_b1, "retailer"), (shop_b2, "retailer")],
        [f"phone {wb.phone}", f"phone {pb.phone}", f"card {wb.card}", f"licence {pb.licence}",
         "name 宏运副食", "name 香满园食品"]))

    # -- chain C: one QQ seller (no case of its own), one bank card, two shops -----------------------------
    qq = str(rng.randint(10**9, 3 * 10**9))
    card = _card(rng)
    chat = []
    for k, text in enumerate(["老板，鑫达的辣条还有吗", "有，一箱200包，包邮",
                              f"货款转到 {card[:4]} {card[4:8]} {card[8:12]} {card[12:16]} {card[16:]} 户名 陈",
                              "收到，今天发货"]):
        speaker = f"{shop_c1['party']}(1{rng.randint(10**8, 10**9 - 1)})" if k % 2 == 0 else f"鑫达批发({qq})"
        chat += [f"{_day(shop_c1, 40)} {9 + k}:1{k}:0{k} {speaker}", text, ""]
    writer.write(shop_c1["case_id"], "QQ聊天记录.txt", _chat(chat, "gb18030"))
    entries = [{"date": _day(shop_c2, 33), "goods": "麻辣条", "spec": "箱", "quantity": "3", "supplier": "鑫达批发（网店）", "supplier_phone": f"QQ：{qq}", "maker": ""}, *hubs.distributor_rows(shop_c2)]
    data, ext = _ledger(LEDGER_STYLES[2], shop_c2["party"], entries, "utf-8")
    writer.write(shop_c2["case_id"], f"索证索票记录{ext}", data)
    chat = [f"{_day(shop_c2, 34)} 21:03 鑫达批发：扣扣 {qq} 上下单，款打 {card}", f"{_day(shop_c2, 34)} 21:05 我：好"]
    writer.write(shop_c2["case_id"], "聊天记录.txt", _chat(chat, "utf-8"))
    planted.chains.append(_chain_truth("C", "snacks bought online", [(shop_c1, None), (shop_c2, "retailer")],
                                       [f"qq {qq}", f"card {card}"]))

    # -- decoys -------------------------------------------------------------------------------------------
    base = _mobile(rng, used)
    near = base[:-1] + str((int(base[-1]) + 1) % 10)
    used.add(near)
    for shop, supplier, phone in ((phone_d1, "金鑫调味品批发", base), (phone_d2, "福源调料行", near)):
        entries = [{"date": _day(shop, 15), "goods": "十三香", "spec": "箱", "quantity": "2", "supplier": supplier,
                    "supplier_phone": _written_phone(rng, phone), "maker": "王守义十三香调味品集团有限公司"}]
        entries += hubs.distributor_rows(shop)
        data, ext = _ledger(LEDGER_STYLES[rng.randrange(4)], shop["party"], entries, rng.choice(["utf-8", "gb18030"]))
        writer.write(shop["case_id"], f"进货台账{ext}", data)
    planted.decoys.append({"kind": "phones_one_digit_apart", "cases": sorted([phone_d1["case_id"], phone_d2["case_id"]]),
                           "values": [base, near]})
    if market:
        planted.decoys.append({"kind": "same_market", "cases": sorted(r["case_id"] for r in market),
                               "values": [market[0]["market"]]})
        for shop in market:
            entries = hubs.distributor_rows(shop) + hubs.local_rows(shop)
            data, ext = _ledger(LEDGER_STYLES[rng.randrange(4)], shop["party"], entries, "utf-8-sig")
            writer.write(shop["case_id"], f"进货台账{ext}", data)
            taken.add(shop["case_id"])
    # the hubs: half of the remaining cases keep a ledger too
    others = [r for r in rows if r["case_id"] not in taken]
    for shop in rng.sample(others, k=len(others) // 2):
        entries = hubs.distributor_rows(shop) + hubs.local_rows(shop)
        style = rng.randrange(4)
        data, ext = _ledger(LEDGER_STYLES[style], shop["party"], entries,
                            rng.choice(["utf-8", "utf-8-sig", "gb18030", "xlsx"]))
        writer.write(shop["case_id"], f"进货台账{ext}", data)
    hub_cases = sorted(hubs.cases)
    planted.decoys.append({"kind": "regional_distributor", "cases": hub_cases, "values": [DISTRIBUTOR["names"][0]]})
    planted.decoys.append({"kind": "national_brand_maker", "cases": hub_cases, "values": [n for n, _, _ in NATIONAL]})
    # -- chain D: a workshop known only from the labels of its goods (sample_label_chain) ------------------
    label_chain = plant_label_chain(root, rows, label_truth, taken, seed=seed)
    if label_chain is not None:
        planted.chains.append(label_chain)
    planted.n_files = writer.count
    return planted


def _same_market(rows: list[dict], taken: set[str]) -> list[dict]:
    """Two free cases in one market (the base sample clusters a third of its cases in two towns)."""
    by_market: dict[str, list[dict]] = {}
    for row in rows:
        if row["case_id"] not in taken and row["town"] != "城区":
            by_market.setdefault(row["market"], []).append(row)
    for market in sorted(by_market, key=lambda m: (-len(by_market[m]), m)):
        if len(by_market[market]) >= 2:
            return by_market[market][:2]
    return []
