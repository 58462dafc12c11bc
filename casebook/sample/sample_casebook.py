"""The deterministic sample casebook: about 30 cases in 周口市 (Zhoukou, Henan), the embedded default.

The demo, the notebooks, the tests and the benchmarks all need real work without any download,
so this writes a casebook in the case-folder format of docs/architecture.md with the truth beside it
(``truth.json``): what every label prints, which problems it carries, and where every case is.
The same seed gives the same bytes.  Places are real counties and towns; their positions are
approximate (within a few km), and all parties, makers and people are invented.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from casebook import __version__
from casebook.fonts import cjk_font_file
from casebook.sample.sample_chains import plant_chains
from casebook.sample.sample_complaints import write_complaints
from casebook.sample.sample_labels import compose_label, draw_label, make_credit_code
from casebook.sample.sample_register import (
    county_check,
    keep_towns_in_their_counties,
    offset_km,
    register_rows,
)
from geo.coords import wgs84_to_gcj02
from safeio.atomic import write_text_atomic
from safeio.errors import InputError

STAMP = "sample.json"

# County: (seat lon, lat WGS-84 approx., county code, bureau, 文号 abbreviation, towns)
COUNTIES = {
    "川汇区": (114.650, 33.625, "411602", "周口市市场监督管理局", "周", ["搬口街道", "李埠口乡", "许湾乡"]),
    "淮阳区": (114.886, 33.732, "411603", "周口市淮阳区市场监督管理局", "淮", ["新站镇", "鲁台镇"]),
    "商水县": (114.611, 33.542, "411623", "商水县市场监督管理局", "商", ["黄寨镇", "练集镇", "谭庄镇"]),
    "西华县": (114.530, 33.767, "411622", "西华县市场监督管理局", "西", ["逍遥镇", "红花集镇"]),
    "项城市": (114.875, 33.467, "411681", "项城市市场监督管理局", "项", ["秣陵镇", "丁集镇"]),
    "沈丘县": (115.098, 33.409, "411624", "沈丘县市场监督管理局", "沈", ["付井镇", "老城镇"]),
    "郸城县": (115.177, 33.645, "411625", "郸城县市场监督管理局", "郸", ["宁平镇", "汲冢镇"]),
    "鹿邑县": (115.484, 33.860, "411628", "鹿邑县市场监督管理局", "鹿", ["太清宫镇", "玄武镇"]),
    "太康县": (114.837, 34.064, "411627", "太康县市场监督管理局", "太", ["朱口镇", "逊母口镇"]),
    "扶沟县": (114.394, 34.060, "411621", "扶沟县市场监督管理局", "扶", ["练寺镇", "白潭镇"]),
}
# Planted concentrations beyond inspection effort: a peri-urban belt of the city and a rural market.
CLUSTERS = [("川汇区", "李埠口乡", "peri-urban"), ("西华县", "逍遥镇", "rural")]

CATEGORIES = {  # category -> label product types
    "food": ["food"], "small_appliance": ["appliance"], "toiletry": ["toiletry"],
    "hardware_electrical": ["electrical"], "agri_input": ["fertilizer"], "children": ["toy"],
}
CATEGORY_WEIGHTS = {"food": 11, "small_appliance": 4, "toiletry": 4, "hardware_electrical": 3,
                    "agri_input": 4, "children": 3}
PROBLEMS_BY_TYPE = {
    "food": ["brand_lookalike", "three_no", "obsolete_qs_mark", "prohibited_claim", "license_region_mismatch",
             "bad_barcode_checksum", "bad_credit_code_checksum", "missing_registration", None, None, "formula_clean"],
    "appliance": ["missing_ccc", "brand_lookalike", "three_no", None, None],
    "electrical": ["missing_ccc", "bad_barcode_checksum", None],
    "toy": ["missing_ccc", "bad_credit_code_checksum", None],
    "toiletry": ["brand_lookalike", "bad_barcode_checksum", None],
    "fertilizer": ["brand_lookalike", "bad_credit_code_checksum", None],
}
VIOLATION = {
    "brand_lookalike": "销售侵犯注册商标专用权商品", "three_no": "销售无厂名厂址产品",
    "obsolete_qs_mark": "销售标注过期生产许可标志食品", "prohibited_claim": "销售标签含疾病治疗功能声称食品",
    "missing_ccc": "销售未经强制性产品认证产品", "license_region_mismatch": "销售标注虚假生产许可证编号食品",
    "missing_registration": "销售未经注册婴幼儿配方乳粉", "bad_barcode_checksum": "销售标注虚假商品条码商品",
    "bad_credit_code_checksum": "销售标注虚假生产者信息商品",
}
SHOP_KINDS = ["副食店", "超市", "日杂店", "农资店", "五金电器店", "便利店", "批发部"]
SHOP_WORDS = ["鑫源", "兴旺", "福满多", "惠民", "好运来", "金鑫", "顺达", "利民", "万家", "百姓"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林"
GIVEN = ["建国", "秀英", "志强", "桂兰", "海涛", "丽娟", "永红", "国庆", "红梅", "东升", "春花", "卫东"]


@dataclass
class SampleBook:
    root: Path
    n_cases: int
    n_labels: int
    n_evidence_files: int


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _places(rng: random.Random) -> dict:
    """Town positions around each county seat (approximate) and their settings."""
    places = {}
    for county, (lon, lat, *_rest, towns) in COUNTIES.items():
        places[(county, "城区")] = (lon, lat, "urban")
        for town in towns:
            if county == "川汇区":
                places[(county, town)] = (*offset_km(lon, lat, rng, 4.0, 7.0), "peri-urban")
            else:
                places[(county, town)] = (*offset_km(lon, lat, rng, 9.0, 22.0), "rural")
    return places


def _urban_rural_code(setting: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return ""  # half the cases carry no NBS code: geo labels them by distance instead
    return {"urban": "111", "peri-urban": rng.choice(["112", "122"]), "rural": rng.choice(["210", "220"])}[setting]




def _shop_screenshot(shop: str, product: str, price: float, sold: int) -> bytes:
    path, index = cjk_font_file()
    from PIL import ImageFont

    font = ImageFont.truetype(str(path), 28, index=index)
    image = Image.new("RGB", (720, 420), (255, 255, 255))
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 720, 70), fill=(255, 80, 0))
    pen.text((20, 18), f"{shop} 网店", font=font, fill=(255, 255, 255))
    pen.text((20, 110), product, font=font, fill=(20, 20, 20))
    pen.text((20, 170), f"￥{price:.2f}   月销 {sold} 件", font=font, fill=(220, 40, 0))
    pen.text((20, 230), "正品保证 假一赔十 全国包邮", font=font, fill=(90, 90, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _write_evidence(folder: Path, rng: random.Random, shop: str, products: list[str], opened: date,
                    kinds: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    product = products[0] if products else "商品"
    if "screenshot" in kinds:
        path = folder / "店铺页面截图.png"
        path.write_bytes(_shop_screenshot(shop, product, rng.uniform(2, 200), rng.randint(10, 3000)))
        written.append(path)
    if "orders" in kinds:
        path = folder / f"订单导出 {opened:%Y-%m}.csv"
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["订单号", "下单时间", "商品名称", "数量", "单价", "金额", "收货地区"])
        for _ in range(rng.randint(5, 25)):
            qty = rng.randint(1, 20)
            unit = round(rng.uniform(2, 150), 2)
            when = datetime.combine(opened, datetime.min.time()) - timedelta(days=rng.randint(1, 90),
                                                                             minutes=rng.randint(0, 1440))
            writer.writerow([f"{rng.randint(10**17, 10**18 - 1)}", when.strftime("%Y-%m-%d %H:%M"),
                             rng.choice(products or [product]), qty, unit, round(qty * unit, 2),
                             rng.choice(["河南省周口市", "河南省商丘市", "安徽省阜阳市", "河南省驻马店市"])])
        path.write_text(out.getvalue(), encoding="utf-8-sig")
        written.append(path)
    if "chat" in kinds:
        path = folder / "微信聊天记录.txt"
        lines = [f"{opened - timedelta(days=20):%Y-%m-%d} 09:12 买家：{product}还有货吗？",
                 f"{opened - timedelta(days=20):%Y-%m-%d} 09:15 {shop}：有，一箱起批，价格好商量",
                 f"{opened - timedelta(days=19):%Y-%m-%d} 18:40 买家：是正品吗？",
                 f"{opened - timedelta(days=19):%Y-%m-%d} 18:42 {shop}：跟正品一样，放心卖"]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    if "image" in kinds:
        path = folder / "收银机 硬盘镜像.img"
        path.write_bytes(rng.randbytes(rng.choice([65536, 131072, 262144])))
        written.append(path)
    stamp = datetime.combine(opened, datetime.min.time(), tzinfo=UTC).timestamp() + 3600 * 10
    for path in written:
        os.utime(path, (stamp, stamp))
    return written


_UNITS = {"food": "袋", "toiletry": "瓶", "appliance": "台", "electrical": "个", "toy": "件", "fertilizer": "袋"}
_FOUND_AT = ("店内货架", "柜台", "仓库", "门口堆放区", "收银台旁")


def _item(rng: random.Random, k: int, spec, photos: list[str]) -> dict:
    """One seized item of case.yml: the labelled product, how many, where, at what price, and its photos.

    Each rendered label shows the whole package text, so the item is ``complete`` (every side seen)."""
    return {"id": f"item-{k + 1}", "name": spec.fields["product_name"], "quantity": str(rng.randint(2, 60)),
            "unit": _UNITS.get(spec.product_type, "件"), "found_at": rng.choice(_FOUND_AT),
            "price": f"{rng.choice([3.5, 6.8, 12.0, 25.0, 49.9, 89.0, 168.0])}", "photos": photos, "complete": "true"}


def _plan_problems(rng: random.Random, n_cases: int) -> list[tuple[str, list]]:
    """Categories and label problems per case, so that every scored problem appears at least once."""
    cats = list(CATEGORY_WEIGHTS)
    plan = []
    for i in range(n_cases):
        category = cats[i % len(cats)] if i < len(cats) else rng.choices(cats, weights=list(CATEGORY_WEIGHTS.values()))[0]
        product_type = CATEGORIES[category][0]
        n_labels = rng.choice([1, 1, 2, 2, 3, 4])
        problems = [rng.choice(PROBLEMS_BY_TYPE[product_type]) for _ in range(n_labels)]
        plan.append((category, problems))
    # make sure every food problem is present at least once
    food_cases = [k for k, (cat, _) in enumerate(plan) if cat == "food"]
    for k, problem in zip(food_cases, PROBLEMS_BY_TYPE["food"][:8], strict=False):
        if problem not in plan[k][1]:
            plan[k][1][0] = problem
    return plan


def write_sample(out_dir: str | Path, *, n_cases: int = 30, seed: int = 2024) -> SampleBook:
    """Write the sample casebook; a second call with the same settings leaves it (and its manifests) as is."""
    out = Path(out_dir)
    stamp = {"generator": "casebook sample", "version": __version__, "cases": n_cases, "seed": seed}
    if out.exists() and not out.is_dir():
        raise InputError("the output path is a file, not a folder", path=out,
                         hint="Give a new or empty folder for the sample casebook.")
    if out.is_dir() and any(out.iterdir()):
        previous = out / STAMP
        if not previous.is_file():
            raise InputError("the output folder is not empty and holds no sample casebook", path=out,
                             hint="Give a new or empty folder; casebook only replaces a sample it wrote.")
        old = json.loads(previous.read_text(encoding="utf-8"))
        if old == stamp:
            truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
            return SampleBook(out, len(truth["cases"]), len(truth["labels"]), truth["n_evidence_files"])
        shutil.rmtree(out)
    tmp = out.with_name(out.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    book = _write_cases(tmp, n_cases=n_cases, seed=seed)
    write_text_atomic(tmp / STAMP, json.dumps(stamp, ensure_ascii=False, indent=1))
    os.replace(tmp, out)
    book.root = out
    return book


def _write_cases(root: Path, *, n_cases: int, seed: int) -> SampleBook:
    rng = random.Random(seed)
    places = keep_towns_in_their_counties(_places(rng), COUNTIES)
    inside = county_check(COUNTIES)
    plan = _plan_problems(rng, n_cases)
    place_keys = list(places)
    cluster_keys = [(c, t) for c, t, _ in CLUSTERS]
    rows, label_truth, case_truth = [], [], []
    n_evidence = 0
    no_labels_case = n_cases - 2 if n_cases >= 4 else None
    no_evidence_case = n_cases - 1 if n_cases >= 4 else None
    case_numbers: dict[str, int] = {}
    parties: list[dict] = []
    for i, (category, problems) in enumerate(plan):
        case_id = f"ZK-2024-{i + 1:03d}"
        # a third of the cases sit in the planted clusters, the rest anywhere
        key = cluster_keys[i % 2] if i % 3 == 0 else rng.choice(place_keys)
        county, town = key
        lon0, lat0, setting = places[key]
        lon, lat = offset_km(lon0, lat0, rng, 0.05, 0.6 if setting != "urban" else 2.0)
        if not inside(county, lon, lat):  # the shop lies in the county its case names (own draws: the rest stay)
            redraw = random.Random(f"{seed}/{case_id}")
            lon, lat = next(((x, y) for x, y in (offset_km(lon0, lat0, redraw, 0.05, 0.6) for _ in range(30))
                             if inside(county, x, y)), (lon0, lat0))
        *_seat, county_code, organ, abbr, _towns = COUNTIES[county]
        opened = date(2024, 1, 2) + timedelta(days=rng.randint(0, 350))
        closed = opened + timedelta(days=rng.randint(30, 90)) if rng.random() < 0.6 else None
        case_numbers[abbr] = case_numbers.get(abbr, 0) + rng.randint(3, 40)
        case_no = f"{abbr}市监处罚〔2024〕{case_numbers[abbr]}号"
        market = f"{town}集贸市场" if town != "城区" else rng.choice(["七一路农贸市场", "大庆路农贸市场", "荷花市场"])
        shop = f"{town if town != '城区' else county}{rng.choice(SHOP_WORDS)}{rng.choice(SHOP_KINDS)}"
        operator = _person(rng)
        coord_sys = "gcj02" if rng.random() < 0.4 else "wgs84"
        shown_lon, shown_lat = (float(v) for v in wgs84_to_gcj02(lon, lat)) if coord_sys == "gcj02" else (lon, lat)
        code = _urban_rural_code(setting, rng)
        folder = root / case_id
        (folder / "labels").mkdir(parents=True)
        labels_here = [] if i == no_labels_case else problems
        products, items = [], []
        item_rng = random.Random(f"{seed}/{case_id}/items")  # its own draws: the rest of the sample stays as it was
        for k, problem in enumerate(labels_here):
            produced = (opened - timedelta(days=rng.randint(20, 400))).isoformat()
            spec = compose_label(rng, CATEGORIES[category][0], problem, produced)
            image = f"{case_id}/labels/label_{k + 1}.jpg"
            (root / image).write_bytes(draw_label(spec, rng))
            label_truth.append(spec.truth(image, case_id))
            products.append(spec.fields["product_name"])
            photos = [image.split("/", 1)[1]]
            if item_rng.random() < 0.3:  # a second photo of the same seized item, taken again
                again = f"{case_id}/labels/label_{k + 1}_b.jpg"
                (root / again).write_bytes(draw_label(spec, item_rng))
                label_truth.append(spec.truth(again, case_id))
                photos.append(again.split("/", 1)[1])
            items.append(_item(item_rng, k, spec, photos))
        planted = sorted({p for lt in label_truth if lt["case_id"] == case_id for p in lt["problems"]})
        violation = VIOLATION.get(planted[0], "销售不符合标签标注规定商品") if planted else "涉嫌销售不合格商品"
        title = f"{shop}{violation}案"
        kinds = [] if i == no_evidence_case else rng.sample(["screenshot", "orders", "chat", "image"], rng.randint(1, 4))
        n_evidence += len(_write_evidence(folder / "evidence", rng, shop, products, opened, kinds))
        if i == no_evidence_case:
            (folder / "evidence").mkdir(exist_ok=True)
        record = {
            "case_id": case_id, "case_no": case_no, "title": title, "organ": organ,
            "party": {"name": shop, "type": "个体工商户", "operator": operator,
                      "credit_code": make_credit_code(rng, county_code, kind="92"),
                      "address": f"河南省周口市{county}{market}{rng.randint(1, 80)}号"},
            "investigators": [{"name": _person(rng), "badge": f"4116{rng.randint(10**6, 10**7 - 1)}"} for _ in range(2)],
            "opened": opened.isoformat(), "closed": closed.isoformat() if closed else "",
            "category": category,
            "location": {"county": county, "town": town, "market": market, "lon": f"{shown_lon:.6f}",
                         "lat": f"{shown_lat:.6f}", "coord_sys": coord_sys, "urban_rural_code": code},
            "summary": f"执法人员在{market}检查时发现当事人{shop}经营的商品涉嫌{violation.removeprefix('销售')}。",
        }
        if items:
            record["items"] = items
        (folder / "case.yml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
        parties.append({"case_id": case_id, **record["party"], "county": county, "town": town})
        rows.append({"case_id": case_id, "case_no": case_no, "title": title, "lon": f"{shown_lon:.6f}",
                     "lat": f"{shown_lat:.6f}", "coord_sys": coord_sys, "opened": opened.isoformat(),
                     "category": category, "county": county, "town": town, "market": market,
                     "urban_rural_code": code, "party": shop})
        case_truth.append({"case_id": case_id, "lon_wgs84": round(lon, 7), "lat_wgs84": round(lat, 7),
                           "setting": setting, "cluster": f"{county}{town}" if key in cluster_keys else None,
                           "problems": planted})
    links = plant_chains(root, rows, label_truth, seed=seed)  # supply chains across counties, and decoys
    n_evidence += links.n_files
    register, register_baseline, register_truth = register_rows(
        COUNTIES, places, seed=seed, abbreviations={k: v[4] for k, v in COUNTIES.items()},
        organs={k: v[3] for k, v in COUNTIES.items()})
    _write_csv(root / "cases.csv", [{**r, "kind": "case"} for r in rows] + [{**r, "kind": "register"} for r in register])
    _write_csv(root / "baseline.csv", _baseline(places, rng) + register_baseline)
    write_complaints(root, parties, seed=seed)
    truth = {"generator": f"casebook {__version__}", "seed": seed, "n_evidence_files": n_evidence,
             "scored_problems": list(_scored()), "cases": case_truth, "labels": label_truth,
             "register": register_truth, "chains": links.chains, "link_decoys": links.decoys}
    write_text_atomic(root / "truth.json", json.dumps(truth, ensure_ascii=False, indent=1))
    return SampleBook(root, len(rows), len(label_truth), n_evidence)


def _scored() -> tuple[str, ...]:
    from casebook.sample.sample_labels import SCORED_PROBLEMS

    return SCORED_PROBLEMS


def _baseline(places: dict, rng: random.Random) -> list[dict]:
    """Inspection effort: dense in the city and county seats, thin in towns (the planted clusters get no extra)."""
    rows = []
    for (county, town), (lon, lat, setting) in places.items():
        effort = {"urban": rng.randint(90, 160), "peri-urban": rng.randint(15, 30), "rural": rng.randint(6, 20)}[setting]
        rows.append({"place": f"{county}{town}", "lon": f"{lon:.6f}", "lat": f"{lat:.6f}", "coord_sys": "wgs84",
                     "inspections": effort})
    return rows


def _write_csv(path: Path, rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    write_text_atomic(path, out.getvalue())
