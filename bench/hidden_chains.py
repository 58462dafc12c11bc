"""A second, hidden generator of casebooks with planted chains, for judging the link analysis on data
it was not tuned on.  Tests never import it.

Unlike the sample (周口市, toiletries and noodles), it writes cases in 驻马店市 (Henan) and 阜阳市
(Anhui) - or, at scale, in every county of both provinces - with other goods (fertilizer, liquor,
chargers, seasoning), other name cores and legal forms, other ledger headers (供方名称, 供货方电话,
生产单位名称 ...), other chat formats ("[2024/3/1 9:12] 张三: ..."), homophone slips in names,
short county prefixes, full-width and dotted phone numbers, and label readings with OCR slips
(O for 0) placed in the reading cache as if sealing had read the photos.

Chains that live only on labels (a workshop's credit code under three spellings of its name; a
workshop's name and address, each spelled three ways) sit beside the chains of ledgers and chats.

Decoys: stalls of one market, phones one digit apart, one shop name (兴隆超市) in several towns,
common operator names, a distributor per prefecture in ~45 % of its cases' ledgers, national
brands' makers with their 400 numbers and codes in most ledgers and on most labels; on labels, a
genuine owner printed on fakes in three counties, one trade name in two counties, two makers at two
stalls of one market.  The genuine owners the bureau knows go into ``CASEBOOK/brand_owners.csv``.

    from bench.hidden_chains import write_hidden
    book = write_hidden(out_dir, n_cases=80, seed=1, cache_dir=..., fingerprint=...)
    book.truth["chains"], book.truth["link_decoys"]
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml
from stdnum import luhn
from stdnum.cn import uscc

SMALL_PREFECTURES = ("4117", "3412")  # 驻马店市, 阜阳市
LARGE_PROVINCES = ("41", "34")
TOWN_WORDS = ["关王庙", "朱里", "蔡沟", "万冢", "庙湾", "杨埠", "崔桥", "刘集", "韩庄", "王店", "老君庙", "十字街",
              "高庙", "宋集", "黄埠", "铁佛", "新安", "双庙", "芦庙", "李屯", "张楼", "陈庄", "田营", "吕店"]
SHOP_WORDS = ["兴隆", "永丰", "福源", "广进", "恒通", "金盛", "聚宝", "天润", "和美", "瑞祥", "华丰", "东升",
              "宏达", "鼎盛", "顺发", "万隆", "金源", "嘉和", "昌盛", "富康"]
SHOP_KINDS = ["超市", "农资门市", "烟酒店", "副食门市部", "电器行", "调料店", "便民店"]
GOODS = {
    "fertilizer": ("复合肥料(15-15-15)", "肥业", "农资"), "liquor": ("浓香型白酒500ml", "酒业", "烟酒"),
    "charger": ("快充充电器", "电子", "电器"), "seasoning": ("鸡精调味料1kg", "调味品", "调味品"),
}
CHAIN_CORES = ["丰沃", "润田", "金禾", "玉液坊", "皖北春", "速能", "亿联达", "鲜之源", "百味佳", "农丰源", "聚福坊",
               "淮润", "驿达", "汝河", "颍淮", "蔡州", "天中", "新蔡源", "中原农", "沃土"]
# characters a hurried clerk swaps for one that sounds the same
HOMOPHONES = {"丰": "峰", "润": "闰", "禾": "和", "源": "园", "达": "大", "福": "富", "坊": "方", "佳": "嘉",
              "鲜": "先", "春": "椿", "能": "龙", "联": "连", "田": "甜", "玉": "裕", "天": "添", "沃": "握"}
NATIONAL = [("益海嘉里金龙鱼粮油食品股份有限公司", "400-616-8888"), ("中化化肥有限公司", "400-810-6088"),
            ("贵州茅台酒股份有限公司", "400-888-1919"), ("公牛集团股份有限公司", "400-830-8899"),
            ("太太乐食品有限公司", "400-820-8958")]
COMMON_PEOPLE = ["王建国", "李秀英", "张伟", "刘洋", "陈静"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
CORE_CHARS = "安宝昌诚达德东方丰福富刚广国海和恒宏华辉吉佳建金锦晶久俊凯康坤兰乐利力联良林龙隆茂美民明鸣宁鹏平祺启"
LEDGER_STYLES = [
    {"title": "进货登记簿", "date": "购进时间", "goods": "产品名称", "qty": "购进数量", "supplier": "供方名称",
     "phone": "供方电话", "maker": "生产单位名称", "licence": "许可证号"},
    {"title": "", "date": "时间", "goods": "货物名称", "supplier": "供货方", "phone": "供货方电话",
     "contact": "业务员", "maker": "厂家", "maker_phone": "厂家电话"},
    {"title": "{shop} 商品购进台账 （{year}年）", "date": "入库日期", "goods": "名称", "qty": "数量",
     "supplier": "供应商名称", "phone": "联系方式", "address": "供应商地址", "maker": "生产商"},
    {"title": "", "date": "日期", "goods": "品名规格", "supplier": "进货渠道", "phone": "电话号码",
     "wechat": "微信号", "maker": "生产企业"},
]


@dataclass
class HiddenBook:
    root: Path
    truth: dict
    n_cases: int
    n_ledger_rows: int = 0
    n_photos: int = 0


@dataclass
class _Case:
    case_id: str
    county: str
    adcode: str
    town: str
    party: str
    address: str
    code: str
    operator: str
    opened: date
    ledger: list[dict] = field(default_factory=list)
    chat: list[str] = field(default_factory=list)
    orders: list[list] = field(default_factory=list)
    labels: list[list[str]] = field(default_factory=list)
    style: int = 0


def _counties(prefixes: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """(adcode, province, city, county) for every county under the given province or city prefixes."""
    from links.places import place_index

    names = place_index().names
    out = []
    for code, name in sorted(names.items()):
        if code.endswith("00") or not code.startswith(prefixes):
            continue
        out.append((code, names.get(code[:2] + "0000", ""), names.get(code[:4] + "00", ""), name))
    return out


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"hidden-{seed}")
        self.phones: set[str] = set()
        self.cores: set[str] = set()

    def mobile(self) -> str:
        while True:
            p = self.rng.choice(["133", "135", "136", "150", "152", "155", "177", "180", "182", "199"]) + \
                "".join(self.rng.choice("0123456789") for _ in range(8))
            if p not in self.phones:
                self.phones.add(p)
                return p

    def landline(self, area: str) -> str:
        while True:
            p = f"{area}-{self.rng.randint(2, 8)}{self.rng.randint(100000, 999999)}"
            if p not in self.phones:
                self.phones.add(p)
                return p

    def written(self, digits: str) -> str:
        rng = self.rng
        if "-" in digits:  # a landline
            area, number = digits.split("-")
            return rng.choice([digits, f"({area}){number}", f"{area} {number}", f"+86-{area[1:]}-{number}"])
        return rng.choice([digits, f"{digits[:3]}.{digits[3:7]}.{digits[7:]}", f"({digits[:3]}){digits[3:]}",
                           f"0086-{digits}", f"+86{digits}", digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))])

    def code(self, region: str, kind: str = "92") -> str:
        stem = kind + region + "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        return stem + uscc.calc_check_digit(stem)

    def card(self) -> str:
        stem = self.rng.choice(["6217", "6222", "6230"]) + "".join(self.rng.choice("0123456789") for _ in range(14))
        return stem + luhn.calc_check_digit(stem)

    def core(self) -> str:
        """A fresh two- or three-character name core that no other party uses (nor sounds like)."""
        from links.names import pinyin_key

        while True:
            core = "".join(self.rng.choice(CORE_CHARS) for _ in range(self.rng.choice([2, 3])))
            sound = pinyin_key(core)
            if core not in self.cores and sound not in self.cores:
                self.cores |= {core, sound}
                return core


def _short(county: str) -> str:
    return county[:-1] if len(county) >= 3 and county[-1] in "县区市" else county


def _slip(rng: random.Random, core: str) -> str:
    """One character of the core swapped for a homophone, as typed from speech."""
    spots = [i for i, c in enumerate(core) if c in HOMOPHONES]
    if not spots:
        return core
    i = rng.choice(spots)
    return core[:i] + HOMOPHONES[core[i]] + core[i + 1:]


def write_hidden(out: Path, *, n_cases: int = 80, n_chains: int | None = None, seed: int = 1,
                 cache_dir: Path | None = None, fingerprint: str | None = None, rows_per_ledger: int = 6) -> HiddenBook:
    """Write a hidden casebook into ``out`` (a new folder); label readings go into ``cache_dir`` if given."""
    gen = _Gen(seed)
    rng = gen.rng
    counties = _counties(SMALL_PREFECTURES if n_cases <= 500 else LARGE_PROVINCES)
    n_chains = n_chains if n_chains is not None else max(2, n_cases // 25)
    out.mkdir(parents=True)
    cases: list[_Case] = []
    towns: dict[str, list[str]] = {}
    for i in range(n_cases):
        adcode, province, city, county = rng.choice(counties)
        town_list = towns.setdefault(adcode, rng.sample(TOWN_WORDS, 4))
        town = rng.choice(town_list) + rng.choice(["镇", "乡"])
        word = rng.choice(SHOP_WORDS)
        party = f"{town}{word}{rng.choice(SHOP_KINDS)}" if rng.random() < 0.7 else f"{_short(county)}{gen.core()}{rng.choice(SHOP_KINDS)}"
        stall = i + 1
        cases.append(_Case(f"HB-{i + 1:05d}", county, adcode, town, party,
                           f"{province}{city}{county}{town}农贸市场{stall}号摊位", gen.code(adcode),
                           rng.choice(COMMON_PEOPLE) if rng.random() < 0.15 else rng.choice(SURNAMES) + rng.choice("振华秀兰国强玉梅志刚"),
                           date(2024, 1, 1) + timedelta(days=rng.randint(0, 360)), style=rng.randrange(len(LEDGER_STYLES))))
    # same party name in one town would be one shop: make parties unique per town
    seen: set[tuple[str, str, str]] = set()
    for c in cases:
        while (c.adcode, c.town, c.party) in seen:
            c.party = f"{c.town}{gen.core()}{rng.choice(SHOP_KINDS)}"
        seen.add((c.adcode, c.town, c.party))
    # hubs: one distributor per prefecture, national brands everywhere
    hubs = {}
    for adcode, province, city, _ in counties:
        if adcode[:4] not in hubs:
            hubs[adcode[:4]] = {"name": f"{city[:-1]}{rng.choice(['万通', '大华', '鑫联', '豫皖'])}商贸有限公司",
                                "phone": gen.landline("0" + str(rng.randint(370, 399))),
                                "address": f"{province}{city}{rng.choice(['解放路', '中山街', '人民大道'])}{rng.randint(1, 300)}号"}
    national_codes = [gen.code("110000", "91") for _ in NATIONAL]
    decoys: list[dict] = []
    chains: list[dict] = []
    owners: list[dict] = []  # genuine owners a bureau knows, with their identifiers (CASEBOOK/brand_owners.csv)
    free = list(range(n_cases))
    rng.shuffle(free)

    def take(k: int, distinct_from: set[str]) -> list[_Case]:
        chosen: list[_Case] = []
        for idx in list(free):
            c = cases[idx]
            if c.adcode not in distinct_from and all(c.adcode != x.adcode for x in chosen):
                chosen.append(c)
                free.remove(idx)
            if len(chosen) == k:
                break
        return chosen

    for number in range(n_chains):
        kind = rng.choice(list(GOODS))
        goods, trade, _ = GOODS[kind]
        size = rng.choice([3, 3, 4, 4, 5])
        members = take(size, set())
        if len(members) < 3:
            break
        maker, whole, shops = members[0], members[1], members[2:]
        core_m, core_w = CHAIN_CORES[(2 * number) % len(CHAIN_CORES)] + gen.core()[0], gen.core() + "商"
        maker.party = f"{maker.county}{core_m}{trade}{rng.choice(['厂', '加工厂', '有限公司'])}"
        whole.party = f"{whole.county}{core_w}{rng.choice(['贸易', '商贸'])}{rng.choice(['有限公司', '经营部', '中心'])}"
        m_phone, w_phone, m_card = gen.mobile(), gen.mobile(), gen.card()
        w_wx = rng.choice("abcdefghkmnpqrstwxyz") + "".join(rng.choice("abcdefghkmnpqrstwxyz0123456789") for _ in range(7)) \
            + rng.choice(["_Pf", "-QY", "_hn"])
        sc = f"SC{rng.randint(101, 131)}{maker.adcode[:2]}{maker.adcode[2:4]}{maker.adcode[4:6]}{rng.randint(1000, 9999)}{rng.randint(0, 9)}"
        roles = {maker.case_id: "maker", whole.case_id: "wholesaler"}
        # the wholesaler's ledger: the maker as supplier and as maker, its phone, its SC number
        for k in range(rng.randint(2, 4)):
            whole.ledger.append({"date": whole.opened - timedelta(days=20 + 9 * k), "goods": goods,
                                 "supplier": rng.choice([f"{_short(maker.county)}{core_m}{trade}", f"{core_m}{trade}（{maker.county}）",
                                                         maker.party]),
                                 "phone": gen.written(m_phone), "maker": rng.choice([maker.party, f"{core_m}{trade}厂"]),
                                 "licence": sc, "qty": str(rng.randint(50, 300))})
        # the maker's own order export: the wholesaler buys, the maker is paid on its card
        for k in range(rng.randint(2, 5)):
            maker.orders.append([f"{rng.randint(10**15, 10**16 - 1)}", str(maker.opened - timedelta(days=30 + k)),
                                 goods, f"{core_w}{rng.choice(['', '老板', '张总'])}", gen.written(w_phone),
                                 f"{whole.county}{whole.town}", m_card])
        any_named = False
        for shop in shops:
            named = rng.random() < 0.85
            any_named |= named
            labelled = rng.random() < 0.5
            if named:  # a ledger row naming the wholesaler (sometimes misspelt)
                core = _slip(rng, core_w) if rng.random() < 0.25 else core_w
                shop.ledger.append({"date": shop.opened - timedelta(days=rng.randint(5, 40)), "goods": goods,
                                    "supplier": rng.choice([f"{core}贸易", f"{_short(whole.county)}{core}商贸",
                                                            f"{core} 商贸（{whole.county}）", whole.party]),
                                    "phone": gen.written(w_phone), "maker": rng.choice([f"{core_m}{trade}", ""]),
                                    "wechat": w_wx.upper() if rng.random() < 0.5 else w_wx, "qty": str(rng.randint(2, 30))})
            if not named or rng.random() < 0.5:  # and a chat with it
                day = shop.opened - timedelta(days=rng.randint(10, 50))
                shop.chat += [f"[{day:%Y/%m/%d} 8:{rng.randint(10, 59)}] {core_w}老板: {goods}到了，要的话加微信：{w_wx}",
                              f"[{day:%Y/%m/%d} 8:{rng.randint(10, 59)}] 我: 价钱多少",
                              f"[{day:%Y/%m/%d} 9:{rng.randint(10, 59)}] {core_w}老板: 电话{gen.written(w_phone)}，微信同号"]
            if labelled:  # the seized goods print the workshop's phone and code (OCR slips O for 0)
                printed = maker.code.replace("0", "O", 1) if rng.random() < 0.2 else maker.code
                shop.labels.append([f"产品名称：{goods}", f"生产商：{core_m}{trade}厂", f"地址：{maker.county}工业园区",
                                    f"电话：{m_phone}", f"统一社会信用代码：{printed}", f"许可证编号：{sc}"])
            if named or labelled:
                roles[shop.case_id] = "retailer"
        if not any_named:
            roles[whole.case_id] = "retailer"  # nobody's documents say it sells: it is a buyer of the workshop
        chains.append({"name": f"H{number + 1}", "goods": kind, "cases": sorted(c.case_id for c in members),
                       "counties": sorted({c.county for c in members}), "roles": roles})
    _plant_label_chains(gen, counties, take, chains, decoys, owners, max(1, n_chains // 8))
    # decoys: phones one digit apart, one generic shop name in several towns
    pool = [cases[i] for i in free]
    for _ in range(max(1, n_cases // 60)):
        if len(pool) < 2:
            break
        a, b = pool.pop(), pool.pop()
        p = gen.mobile()
        q = p[:-2] + p[-2] + str((int(p[-1]) + 3) % 10)
        for shop, phone, name in ((a, p, f"{gen.core()}调料行"), (b, q, f"{gen.core()}调味品店")):
            shop.ledger.append({"date": shop.opened - timedelta(days=9), "goods": "味精", "supplier": name,
                                "phone": gen.written(phone), "maker": ""})
        decoys.append({"kind": "phones_one_digit_apart", "cases": sorted([a.case_id, b.case_id]), "values": [p, q]})
    generic, towns_used = [], set()
    taken_names = {(c.adcode, c.town, c.party) for c in cases}
    for c in pool:
        if (c.party.endswith("超市") and (c.adcode, c.town) not in towns_used
                and (c.adcode, c.town, f"{c.town}兴隆超市") not in taken_names):
            generic.append(c)
            towns_used.add((c.adcode, c.town))
        if len(generic) == 3:
            break
    for c in generic:
        c.party = f"{c.town}兴隆超市"
    if len(generic) >= 2:
        decoys.append({"kind": "one_name_many_towns", "cases": sorted(c.case_id for c in generic),
                       "values": ["兴隆超市"]})
    by_market: dict[str, list[str]] = {}
    for c in cases:
        by_market.setdefault(c.address.split("农贸市场")[0], []).append(c.case_id)
    decoys += [{"kind": "same_market", "cases": v[:4], "values": [k]} for k, v in by_market.items() if len(v) >= 2][:5]
    # hub rows, national brands and unique local suppliers in most ledgers; labels of national brands
    hub_cases = []
    n_rows = 0
    for c in cases:
        if rng.random() < 0.45:
            hub = hubs[c.adcode[:4]]
            hub_cases.append(c.case_id)
            for _ in range(rng.randint(1, 3)):
                brand, hotline = rng.choice(NATIONAL)
                c.ledger.append({"date": c.opened - timedelta(days=rng.randint(1, 90)), "goods": "日常商品",
                                 "supplier": hub["name"], "phone": gen.written(hub["phone"]), "address": hub["address"],
                                 "maker": brand, "maker_phone": hotline, "contact": "赵经理"})
        if c.ledger or rng.random() < 0.6:
            for _ in range(max(1, rows_per_ledger - len(c.ledger) + rng.randint(-2, 2))):
                c.ledger.append({"date": c.opened - timedelta(days=rng.randint(1, 120)), "goods": "散装货",
                                 "supplier": f"{rng.choice(SURNAMES)}记{gen.core()}{rng.choice(['粮油', '干货', '蔬菜'])}",
                                 "phone": gen.written(gen.mobile()), "maker": ""})
        if rng.random() < 0.35:
            brand, hotline = rng.choice(NATIONAL)
            c.labels.append([f"生产商：{brand}", f"服务热线：{hotline}",
                             f"统一社会信用代码：{national_codes[NATIONAL.index((brand, hotline))]}"])
    decoys.append({"kind": "regional_distributor", "cases": sorted(hub_cases), "values": [h["name"] for h in hubs.values()]})
    decoys.append({"kind": "common_operator", "cases": sorted(c.case_id for c in cases if c.operator in COMMON_PEOPLE),
                   "values": COMMON_PEOPLE})
    # write it all
    rows = [["case_id", "case_no", "title", "county", "opened", "lon", "lat", "coord_sys"]]
    n_photos = 0
    store = None
    if cache_dir is not None and fingerprint:
        from evidence.labels.ocr import OcrLine, OcrResult
        from evidence.labels.readings import ReadingCache

        store = ReadingCache(cache_dir)
    for c in cases:
        folder = out / c.case_id
        (folder / "evidence").mkdir(parents=True)
        (folder / "labels").mkdir()
        record = {"case_id": c.case_id, "case_no": f"驻市监处罚〔2024〕{c.case_id[-4:]}号",
                  "title": f"{c.party}销售假冒伪劣商品案", "organ": f"{c.county}市场监督管理局",
                  "party": {"name": c.party, "type": "个体工商户", "operator": c.operator, "credit_code": c.code,
                            "address": c.address}, "opened": c.opened.isoformat(), "location": {"county": c.county}}
        (folder / "case.yml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
        rows.append([c.case_id, record["case_no"], record["title"], c.county, c.opened.isoformat(),
                     f"{114 + rng.random():.5f}", f"{32.5 + rng.random():.5f}", "wgs84"])
        if c.ledger:
            n_rows += len(c.ledger)
            _write_ledger(folder / "evidence", c, rng)
        if c.chat:
            (folder / "evidence" / "微信聊天导出.txt").write_bytes("\n".join(c.chat).encode(rng.choice(["utf-8", "gb18030"])))
        if c.orders:
            table = [["交易单号", "付款时间", "商品标题", "买家昵称", "联系手机", "收货省市", "收款卡号"], *c.orders]
            (folder / "evidence" / "店铺订单.csv").write_bytes(_csv(table).encode("gb18030"))
        for k, lines in enumerate(c.labels):
            photo = folder / "labels" / f"IMG_{k + 1:04d}.jpg"
            data = b"\xff\xd8\xff\xe0" + hashlib.sha256(f"{c.case_id}-{k}-{seed}".encode()).digest() * 64
            photo.write_bytes(data)
            n_photos += 1
            if store is not None:
                ocr_lines = [OcrLine(t, ((0.0, 40.0 * i), (900.0, 40.0 * i), (900.0, 40.0 * i + 30), (0.0, 40.0 * i + 30)),
                                     0.97) for i, t in enumerate(lines)]
                store.put(hashlib.sha256(data).hexdigest(), fingerprint, OcrResult.from_lines("rapidocr", ocr_lines, (1000, 800)))
    (out / "cases.csv").write_text(_csv(rows), encoding="utf-8")
    if owners:
        columns = ["owner", "credit_code", "licence", "address", "phone", "source"]
        (out / "brand_owners.csv").write_text(_csv([columns, *[[o.get(c, "") for c in columns] for o in owners]]),
                                              encoding="utf-8")
    truth = {"generator": "bench/hidden_chains.py", "seed": seed, "chains": chains, "link_decoys": decoys,
             "cases": [{"case_id": c.case_id, "county": c.county} for c in cases]}
    return HiddenBook(out, truth, n_cases, n_rows, n_photos)


def _plant_label_chains(gen: _Gen, counties: list, take, chains: list[dict], decoys: list[dict], owners: list[dict],
                        n: int) -> None:
    """Chains that live only on the labels of seized goods, and the label decoys that must not link.

    - a fertilizer workshop known only from its labels: one credit code, its name spelled three ways
      (full legal name, a bracketed city, the short name) on seized bags in three counties;
    - a food workshop known only by name and address, both spelled three ways in three counties;
    decoys: a genuine owner (known to the bureau with its identifiers) printed on fakes in three
    counties, a genuine brand owner's name with a made-up phone, one trade name in two counties at two
    addresses, and two makers at two stalls of one market.
    """
    rng = gen.rng
    roads = ["建设路", "振兴路", "工业大道", "迎宾大道", "光明路", "富民路"]

    def workshop_place() -> tuple[str, str, str, str]:
        return rng.choice(counties)

    def label(shop: _Case, lines: list[str]) -> None:
        shop.labels.append(lines)

    for number in range(n):
        # 1. a fertilizer workshop: one code, three spellings of its name
        members = take(3, set())
        if len(members) < 3:
            return
        adcode, province, city, county = workshop_place()
        core = gen.core() + rng.choice("丰沃禾")
        code = gen.code(adcode, "91")
        names = [f"{city}{core}肥业有限公司", f"{core}肥业（{city[:-1]}）", f"{core}肥业"]
        rng.shuffle(names)
        for shop, name in zip(members, names, strict=True):
            label(shop, ["产品名称：复合肥料(15-15-15)", f"生产企业：{name}", f"地址：{county}{rng.choice(TOWN_WORDS)}镇工业园",
                         f"统一社会信用代码：{code}", "净含量：40kg"])
        chains.append({"name": f"L{number + 1}code", "goods": "fertilizer", "kind": "label_code",
                       "cases": sorted(c.case_id for c in members), "counties": sorted({c.county for c in members}),
                       "roles": {c.case_id: "retailer" for c in members}})
        # 2. a food workshop: name and address, each spelled three ways
        members = take(3, set())
        if len(members) < 3:
            return
        adcode, province, city, county = workshop_place()
        core, road, no = gen.core(), rng.choice(roads), rng.randint(3, 220)
        names = [f"{county}{core}食品厂", f"{core}食品（{city[:-1]}）", f"{_short(county)}{core}食品"]
        full = "０１２３４５６７８９"
        addresses = [f"{province}{city}{county}{road}{no}号", f"{city}{county}{road}{no}#",
                     f"{county}{road}{str(no).translate(str.maketrans('0123456789', full))}号"]
        rng.shuffle(names)
        rng.shuffle(addresses)
        for shop, name, address in zip(members, names, addresses, strict=True):
            label(shop, ["产品名称：鸡精调味料1kg", f"生产者：{name}", f"地址：{address}",
                         f"生产日期：{shop.opened - timedelta(days=rng.randint(20, 90))}"])
        chains.append({"name": f"L{number + 1}name", "goods": "seasoning", "kind": "label_name_address",
                       "cases": sorted(c.case_id for c in members), "counties": sorted({c.county for c in members}),
                       "roles": {c.case_id: "retailer" for c in members}})
        # decoy: a genuine owner's whole identity printed on fakes in three counties
        members = take(3, set())
        if len(members) < 3:
            return
        adcode, province, city, county = workshop_place()
        owner = {"owner": f"{city}{gen.core()}农化股份有限公司", "credit_code": gen.code(adcode, "91"),
                 "phone": gen.landline("0" + str(rng.randint(370, 399))),
                 "address": f"{province}{city}{county}{rng.choice(roads)}{rng.randint(1, 300)}号",
                 "source": "owner's rights-protection file (hidden generator)"}
        owners.append(owner)
        for shop in members:
            label(shop, ["产品名称：复合肥料(17-17-17)", f"生产商：{owner['owner']}", f"地址：{owner['address']}",
                         f"电话：{gen.written(owner['phone'])}", f"统一社会信用代码：{owner['credit_code']}"])
        decoys.append({"kind": "genuine_maker_on_fakes", "cases": sorted(c.case_id for c in members),
                       "values": [owner["owner"]]})
        # decoy: a brand owner's name (brands.csv) with one made-up phone on fakes in three counties
        members = take(3, set())
        if len(members) >= 3:
            fake_phone = gen.mobile()
            for shop in members:
                label(shop, ["产品名称：酱香型白酒500ml", "生产商：贵州茅台酒股份有限公司", "地址：贵州省仁怀市茅台镇",
                             f"电话：{gen.written(fake_phone)}"])
            decoys.append({"kind": "brand_owner_name_on_fakes", "cases": sorted(c.case_id for c in members),
                           "values": ["贵州茅台酒股份有限公司", fake_phone]})
        # decoy: one trade name in two counties, each at its own address
        members = take(2, set())
        if len(members) == 2:
            core = gen.core()
            for shop in members:
                a = next(x for x in counties if x[0] == shop.adcode)
                label(shop, ["产品名称：鸡精调味料1kg", f"生产者：{core}食品厂",
                             f"地址：{a[1]}{a[2]}{a[3]}{rng.choice(roads)}{rng.randint(1, 300)}号"])
            decoys.append({"kind": "one_trade_name_two_counties", "cases": sorted(c.case_id for c in members),
                           "values": [f"{core}食品厂"]})
        # decoy: two makers at two stalls of one market
        members = take(2, set())
        if len(members) == 2:
            adcode, province, city, county = workshop_place()
            market = f"{province}{city}{county}{rng.choice(TOWN_WORDS)}镇农贸市场"
            stalls = rng.sample(range(1, 60), 2)
            for shop, stall in zip(members, stalls, strict=True):
                label(shop, ["产品名称：辣条", f"生产者：{gen.core()}食品加工坊", f"地址：{market}{stall}号摊位"])
            decoys.append({"kind": "label_makers_one_market", "cases": sorted(c.case_id for c in members),
                           "values": [market]})


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _write_ledger(folder: Path, c: _Case, rng: random.Random) -> None:
    style = LEDGER_STYLES[c.style]
    roles = [r for r in style if r != "title"]
    table: list[list] = []
    if style["title"]:
        table += [[style["title"].format(shop=c.party, year=c.opened.year)]]
    table.append([style[r] for r in roles])
    for entry in c.ledger:
        table.append([str(entry.get(r, "")) for r in roles])
    fmt = rng.choice(["gb18030", "gb18030", "utf-8-sig", "xlsx"])
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.active.title = "台账"
        for row in table:
            book.active.append(row)
        book.create_sheet("说明").append(["本台账由门店自行填写"])
        book.save(folder / "购进台账.xlsx")
    else:
        (folder / "购进台账.csv").write_bytes(_csv(table).encode(fmt))
