"""Labels of seized goods for the sample casebook: what they print, which problems they carry.

Each label is composed as text lines with known fields and planted problems (the ground truth),
then drawn as a photo: rendered with a CJK font and degraded the way field photos are
(rotation, blur, uneven light, JPEG).  Identifiers are made with python-stdnum so that a "bad
check digit" is bad by the same algorithm the screener uses.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from stdnum import ean
from stdnum.cn import uscc

from casebook.fonts import cjk_font_file

# Problems the screener is scored on; see evidence.labels.screening for their legal basis.
SCORED_PROBLEMS = (
    "three_no", "obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
    "license_region_mismatch", "missing_ccc", "brand_lookalike", "prohibited_claim", "missing_registration",
)

# Genuine product lines: brand, product, type, SC food category, standard, net content, shelf life, owner.
# Owners are the brands' well-known owners; addresses printed with them are invented for the sample.
PRODUCTS = {
    "food": [
        ("康师傅", "红烧牛肉面", "107", "GB 17400", "105克", "6个月", "天津顶益食品有限公司", "12"),
        ("统一", "老坛酸菜牛肉面", "107", "GB 17400", "121克", "6个月", "统一企业（中国）投资有限公司", "32"),
        ("雪碧", "柠檬味汽水", "106", "GB/T 10792", "500毫升", "12个月", "中粮可口可乐饮料（河南）有限公司", "41"),
        ("奥利奥", "原味夹心饼干", "108", "GB/T 20980", "97克", "12个月", "亿滋食品（北京）有限公司", "11"),
        ("红牛", "维生素风味饮料", "106", "GB/T 10789", "250毫升", "18个月", "红牛维他命饮料有限公司", "11"),
        ("大白兔", "奶糖", "113", "GB 17399", "114克", "12个月", "上海冠生园食品有限公司", "31"),
        ("六个核桃", "核桃乳", "106", "GB/T 31325", "240毫升", "12个月", "河北养元智汇饮品股份有限公司", "13"),
        ("娃哈哈", "AD钙奶", "106", "GB/T 21732", "220克", "9个月", "杭州娃哈哈集团有限公司", "33"),
        ("特仑苏", "纯牛奶", "105", "GB 25190", "250毫升", "6个月", "内蒙古蒙牛乳业（集团）股份有限公司", "15"),
        ("农夫山泉", "饮用天然水", "106", "GB 19298", "550毫升", "24个月", "农夫山泉股份有限公司", "33"),
        ("海天", "味极鲜酱油", "103", "GB/T 18186", "500毫升", "18个月", "佛山市海天调味食品股份有限公司", "44"),
        ("金龙鱼", "食用植物调和油", "102", "GB 2716", "5升", "18个月", "益海嘉里金龙鱼粮油食品股份有限公司", "31"),
        ("旺旺", "雪饼", "108", "GB/T 20977", "84克", "9个月", "湖南旺旺食品有限公司", "43"),
    ],
    "toiletry": [
        ("海飞丝", "去屑洗发露", "", "GB/T 29679", "400毫升", "3年", "宝洁（中国）有限公司", "44"),
        ("飘柔", "洗发露", "", "GB/T 29679", "400毫升", "3年", "宝洁（中国）有限公司", "44"),
        ("舒肤佳", "香皂", "", "QB/T 2485", "108克", "3年", "宝洁（中国）有限公司", "44"),
        ("清扬", "去屑洗发露", "", "GB/T 29679", "500毫升", "3年", "联合利华（中国）有限公司", "31"),
        ("汰渍", "洗衣粉", "", "GB/T 13171.1", "1.5千克", "3年", "宝洁（中国）有限公司", "44"),
        ("立白", "洗洁精", "", "GB/T 9985", "1.5千克", "3年", "广州立白企业集团有限公司", "44"),
        ("雕牌", "洗衣粉", "", "GB/T 13171.1", "1.2千克", "3年", "纳爱斯集团有限公司", "33"),
    ],
    "appliance": [
        ("美的", "电热水壶", "0701", "GB 4706.1-2005 GB 4706.19-2008", "1.7升", "", "广东美的生活电器制造有限公司", "44"),
        ("苏泊尔", "电饭煲", "0705", "GB 4706.1-2005 GB 4706.19-2008", "4升", "", "浙江绍兴苏泊尔生活电器有限公司", "33"),
        ("九阳", "豆浆机", "0708", "GB 4706.1-2005 GB 4706.30-2008", "1.2升", "", "九阳股份有限公司", "37"),
        ("格力", "电暖器", "0710", "GB 4706.1-2005 GB 4706.23-2007", "", "", "珠海格力电器股份有限公司", "44"),
    ],
    "electrical": [
        ("公牛", "转换器（插座）", "0201", "GB/T 2099.7-2015", "", "", "公牛集团股份有限公司", "33"),
        ("正泰", "小型断路器", "0305", "GB/T 10963.1-2020", "", "", "浙江正泰电器股份有限公司", "33"),
    ],
    "toy": [
        ("好孩子", "婴儿推车", "2102", "GB 14748-2006", "", "", "好孩子儿童用品有限公司", "32"),
        ("奥迪双钻", "电动玩具车", "2201", "GB 6675.1-2014", "", "", "广东奥飞实业有限公司", "44"),
    ],
    "fertilizer": [
        ("史丹利", "硫酸钾复合肥料", "", "GB/T 15063-2020", "40千克", "", "史丹利农业集团股份有限公司", "37"),
        ("金正大", "复合肥料", "", "GB/T 15063-2020", "40千克", "", "金正大生态工程集团股份有限公司", "37"),
        ("心连心", "尿素", "", "GB/T 2440-2017", "40千克", "", "河南心连心化学工业集团股份有限公司", "41"),
    ],
}

# Copycat names of the kind seen in cases (形近, 音近, an added character); the screener must find
# them by similarity, never from this table.
COPYCATS = {
    "康师傅": "康帅傅", "雪碧": "雷碧", "奥利奥": "粤利粤", "红牛": "红午", "大白兔": "大白免",
    "六个核桃": "六个土核桃", "娃哈哈": "娃啥哈", "特仑苏": "特伦苏", "海飞丝": "海非丝", "飘柔": "漂柔",
    "舒肤佳": "舒服佳", "清扬": "清场", "汰渍": "汰清", "立白": "立日", "雕牌": "雕脾", "苏泊尔": "苏伯尔",
    "九阳": "丸阳", "史丹利": "史丹丽", "金正大": "金正太",
}

STANDARD = re.compile(r"(?:GB/T|GB|QB/T)\s?[\d.]+(?:-\d{4})?")
PROVINCES = {"11": "北京市", "12": "天津市", "13": "河北省", "15": "内蒙古自治区", "31": "上海市", "32": "江苏省",
             "33": "浙江省", "37": "山东省", "41": "河南省", "43": "湖南省", "44": "广东省"}
PROVINCE_ABBR = {"11": "京", "12": "津", "13": "冀", "15": "蒙", "31": "沪", "32": "苏", "33": "浙", "37": "鲁",
                 "41": "豫", "43": "湘", "44": "粤"}
CITY_OF = {"11": "朝阳区", "12": "西青区", "13": "衡水市桃城区", "15": "呼和浩特市和林格尔县",
           "31": "闵行区", "32": "苏州市昆山市", "33": "杭州市上城区", "37": "临沂市临沭县",
           "41": "郑州市经济技术开发区", "43": "长沙市望城区", "44": "佛山市顺德区"}
STREETS = ["工业大道", "建设路", "经三路", "兴业街", "发展大道", "人民路", "科技园路", "滨河路"]

# Local makers of doubtful goods (invented names, Zhoukou prefecture addresses, county code).
LOCAL_MAKERS = {
    "food": [("周口市川汇区鑫源食品厂", "河南省周口市川汇区搬口街道工业园8号", "411602"),
             ("商水县永兴食品有限公司", "河南省周口市商水县黄寨镇商周路66号", "411623"),
             ("郸城县康达食品厂", "河南省周口市郸城县宁平镇北街19号", "411625")],
    "toiletry": [("鹿邑县恒昌日化有限公司", "河南省周口市鹿邑县玄武镇工业区3号", "411628")],
    "appliance": [("沈丘县顺发电器厂", "河南省周口市沈丘县付井镇东环路21号", "411624"),
                  ("项城市宏达电器有限公司", "河南省周口市项城市秣陵镇建设路45号", "411681")],
    "fertilizer": [("西华县丰收农资有限公司", "河南省周口市西华县逍遥镇胡辣汤街9号", "411622"),
                   ("太康县金穗肥业有限公司", "河南省周口市太康县朱口镇南街2号", "411627")],
}
LOCAL_MAKERS["electrical"] = LOCAL_MAKERS["toy"] = LOCAL_MAKERS["appliance"]

_WORKSHOP_CORES = "鑫源永兴康达恒昌顺发宏达丰收金穗利民福旺广进聚财祥和盛隆华泰佳美润丰"


def _local_maker(maker: tuple[str, str, str], produced: str, product_type: str) -> tuple[str, str, str]:
    """A local workshop of its own for each label: the listed maker's core and street number varied.

    Unknown workshops that recur on goods of several cases link those cases (a source lead), so
    the background of the sample must not repeat one by chance.  Derived from the label's own date
    and kind (no draw from the generator: the rest of the sample stays the same bytes).
    """
    import hashlib

    name, address, county = maker
    digest = hashlib.sha256(f"{produced}|{product_type}|{name}".encode()).digest()
    cores = [_WORKSHOP_CORES[i:i + 2] for i in range(0, len(_WORKSHOP_CORES), 2)]
    old = next(core for core in cores if core in name)
    new = cores[digest[0] % len(cores)] + _WORKSHOP_CORES[digest[1] % len(_WORKSHOP_CORES)]
    number = 1 + int.from_bytes(digest[2:4], "big") % 300
    return name.replace(old, new, 1), re.sub(r"\d+号$", f"{number}号", address), county


INGREDIENTS = {
    "107": "小麦粉、棕榈油、食用盐、白砂糖、酱油、牛肉粉、香辛料、脱水蔬菜",
    "106": "水、白砂糖、食品添加剂（柠檬酸、柠檬酸钠、苯甲酸钠）、食用香精",
    "108": "小麦粉、白砂糖、植物油、可可粉、玉米淀粉、食用盐、碳酸氢钠",
    "113": "白砂糖、麦芽糖浆、全脂乳粉、奶油、明胶、食用香精",
    "105": "生牛乳",
    "103": "水、非转基因大豆、小麦、食用盐、白砂糖、谷氨酸钠",
    "102": "大豆油、菜籽油、玉米油、葵花籽油",
    "101": "小麦粉、水、食用盐、辣椒、大豆油、白砂糖、香辛料",
}
CLAIMS = ["本品可降血压、降血糖、降血脂", "长期饮用可防癌抗癌，无副作用", "零添加 纯天然 增强免疫力"]
FORMULA = ("伊利", "金领冠婴儿配方奶粉（0-6月龄，1段）", "105", "GB 10765", "800克", "24个月",
           "内蒙古伊利实业集团股份有限公司", "15")
CHEAP_SNACK = ("", "麻辣条（调味面制品）", "101", "", "60克", "6个月", "", "")
LOOSE_HEATER = ("", "暖风机（电暖器）", "0710", "", "", "", "", "")

PRODUCT_KEYS = ["食品名称", "产品名称", "品名"]
MAKER_KEYS = ["生产者", "生产商", "制造商", "生产企业", "委托方"]
ADDRESS_KEYS = ["地址", "厂址", "生产地址"]
DATE_KEYS = ["生产日期", "制造日期"]


@dataclass
class LabelSpec:
    """One label: the lines it prints and the truth about it."""

    product_type: str
    brand: str
    genuine_brand: str | None
    lines: list[str]
    fields: dict
    problems: list[str]
    conditions: list[str] = field(default_factory=list)
    title: str = ""

    def truth(self, image: str, case_id: str) -> dict:
        return {
            "image": image, "case_id": case_id, "product_type": self.product_type, "brand": self.brand,
            "genuine_brand": self.genuine_brand, "title": self.title, "lines": self.lines,
            "text": "\n".join(([self.title] if self.title else []) + self.lines),
            "fields": self.fields, "problems": sorted(self.problems), "conditions": self.conditions,
        }


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_barcode(rng: random.Random, bad: bool = False) -> str:
    stem = "69" + _digits(rng, 10)
    check = ean.calc_check_digit(stem)
    if bad:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    return stem + check


def make_credit_code(rng: random.Random, region: str, bad: bool = False, kind: str = "91") -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    stem = kind + region + "".join(rng.choice(alphabet) for _ in range(9))
    check = uscc.calc_check_digit(stem)
    if bad:
        check = rng.choice([c for c in alphabet if c != check])
    return stem + check


def make_sc(rng: random.Random, category: str, province: str) -> str:
    return f"SC{category}{province}{_digits(rng, 4)}{_digits(rng, 4)}{_digits(rng, 1)}"


def make_ccc(rng: random.Random, year: int, category: str) -> str:
    return f"{year}01{category}{_digits(rng, 6)}"


def _date_text(rng: random.Random, iso: str) -> str:
    y, m, d = iso.split("-")
    return rng.choice([iso, f"{y}年{m}月{d}日", f"{y}.{m}.{d}", f"{y}{m}{d}", f"{y}/{m}/{d}"])


def _colon(rng: random.Random) -> str:
    return rng.choice(["：", "：", ":"])


def compose_label(rng: random.Random, product_type: str, problem: str | None, produced: str) -> LabelSpec:
    """Compose one label of ``product_type`` carrying ``problem`` (None for a clean label)."""
    if problem == "missing_registration" or (product_type == "food" and problem == "formula_clean"):
        line = FORMULA
    elif problem == "three_no" and product_type == "food":
        line = CHEAP_SNACK
    elif problem == "three_no":
        line = LOOSE_HEATER
        product_type = "appliance"
    else:
        candidates = PRODUCTS[product_type]
        if problem == "brand_lookalike":
            candidates = [p for p in candidates if p[0] in COPYCATS]
        line = rng.choice(candidates)
    brand, product, category, standard, net, shelf, owner, province = line
    genuine = None
    problems = [] if problem in (None, "formula_clean") else [problem]
    if problem == "three_no" and product_type == "appliance":
        problems.append("missing_ccc")
    if problem == "brand_lookalike":
        genuine, brand = brand, COPYCATS[brand]
    local = problem in ("brand_lookalike", "three_no", "obsolete_qs_mark", "prohibited_claim",
                        "missing_ccc", "license_region_mismatch")
    if local:
        owner, address, county = _local_maker(rng.choice(LOCAL_MAKERS[product_type]), produced, product_type)
        province = "41"
    else:
        address = f"{PROVINCES[province]}{CITY_OF[province]}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
        county = province + "0" + _digits(rng, 3)
    c = _colon(rng)
    fields = {k: None for k in ("product_name", "manufacturer", "address", "phone", "license_no", "ccc_cert_no",
                                "credit_code", "barcode", "standards", "production_date", "shelf_life",
                                "net_content")}
    fields["standards"] = []
    lines: list[str] = []
    name = f"{brand}{product}"
    title = brand if brand else ""
    key = "食品名称" if product_type == "food" and rng.random() < 0.6 else rng.choice(PRODUCT_KEYS)
    lines.append(f"{key}{c}{name}")
    fields["product_name"] = name
    if product_type == "food":
        ingredients = "水" if product == "饮用天然水" else INGREDIENTS.get(category, INGREDIENTS["101"])
        if line is FORMULA:
            ingredients = "生牛乳、乳清粉、植物油、乳糖、低聚半乳糖、维生素、矿物质"
        lines.append(f"配料{c}{ingredients[:20]}")
        if len(ingredients) > 20:
            lines.append(ingredients[20:])
    if net:
        lines.append(f"净含量{c}{net}")
        fields["net_content"] = net
    if product_type in ("appliance", "electrical", "toy"):
        lines.append(f"型号{c}{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}-{rng.randint(100, 9999)}")
    if product_type == "appliance":
        lines.append(f"额定电压{c}220V~  额定功率{c}{rng.choice([600, 800, 1500, 1800, 2000])}W")
    if product_type == "fertilizer":
        lines.append(f"总养分{c}≥{rng.choice([40, 45, 46, 51])}%")
        lines.append(f"肥料登记证号{c}{rng.choice(['鲁', '豫', '苏'])}农肥（20{rng.randint(15, 22)}）准字{rng.randint(1000, 9999)}号")
    produced_text = _date_text(rng, produced)
    date_elsewhere = product_type == "food" and problem is None and rng.random() < 0.15
    if problem != "three_no":
        lines.append(f"{rng.choice(MAKER_KEYS)}{c}{owner}")
        fields["manufacturer"] = owner
        lines.append(f"{rng.choice(ADDRESS_KEYS)}{c}{address}")
        fields["address"] = address
        phone = rng.choice([f"0394-{_digits(rng, 7)}", f"400-{_digits(rng, 3)}-{_digits(rng, 4)}",
                            f"13{rng.randint(0, 9)}{_digits(rng, 8)}"])
        lines.append(f"{rng.choice(['电话', '联系电话', '服务热线'])}{c}{phone}")
        fields["phone"] = phone
        code = make_credit_code(rng, county, bad=problem == "bad_credit_code_checksum")
        if local or problem == "bad_credit_code_checksum" or rng.random() < 0.5:
            lines.append(f"统一社会信用代码{c}{code}")
            fields["credit_code"] = code
    if product_type == "food":
        if problem == "obsolete_qs_mark":
            qs = f"QS{province}{_digits(rng, 10)}"
            lines.append(f"QS {qs[2:]}  生产许可")
            fields["license_no"] = qs
        elif problem != "three_no":
            sc_province = province
            if problem == "license_region_mismatch":
                sc_province = rng.choice([p for p in PROVINCES if p != province])
            sc = make_sc(rng, category, sc_province)
            lines.append(f"{rng.choice(['食品生产许可证编号', '生产许可证编号'])}{c}{sc}")
            fields["license_no"] = sc
        if line is FORMULA and problem != "missing_registration":
            lines.append(f"产品配方注册号{c}国食注字YP{_digits(rng, 8)}")
    if product_type == "toiletry" and problem != "three_no":
        licence = f"{PROVINCE_ABBR[province]}妆20{rng.randint(16, 22)}{_digits(rng, 4)}"
        lines.append(f"生产许可证编号{c}{licence}")
        fields["license_no"] = licence
    if product_type in ("appliance", "electrical", "toy") and problem not in ("missing_ccc", "three_no"):
        cert = make_ccc(rng, int(produced[:4]) - rng.randint(0, 3), category)
        lines.append(f"CCC证书编号{c}{cert}")
        fields["ccc_cert_no"] = cert
    if standard:
        lines.append(f"{rng.choice(['产品标准代号', '执行标准'])}{c}{standard}")
        fields["standards"] = STANDARD.findall(standard)
    if date_elsewhere:
        lines.append(f"生产日期{c}见包装")
    elif problem != "three_no" or product_type == "food":
        if problem != "three_no":
            lines.append(f"{rng.choice(DATE_KEYS)}{c}{produced_text}")
            fields["production_date"] = produced
    if shelf:
        lines.append(f"保质期{c}{shelf}")
        fields["shelf_life"] = shelf
    if product_type == "food" and problem != "three_no":
        lines.append(f"贮存条件{c}{rng.choice(['常温、阴凉干燥处', '置于阴凉干燥处，避免阳光直射', '0-6℃冷藏'])}")
    if problem == "prohibited_claim":
        lines.append(rng.choice(CLAIMS))
    barcode = make_barcode(rng, bad=problem == "bad_barcode_checksum")
    if problem != "three_no":
        lines.append(barcode)
        fields["barcode"] = barcode
    return LabelSpec(product_type=product_type, brand=brand, genuine_brand=genuine, lines=lines,
                     fields=fields, problems=problems, title=title)


# --- drawing --------------------------------------------------------------------------------------

_BACKGROUNDS = [(250, 248, 240), (255, 255, 255), (252, 244, 214), (236, 244, 250), (246, 236, 236)]
_INKS = [(20, 20, 20), (120, 20, 20), (20, 40, 110), (30, 30, 30)]


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path, index = cjk_font_file(bold)
    return ImageFont.truetype(str(path), size, index=index)


def draw_label(spec: LabelSpec, rng: random.Random) -> bytes:
    """Draw the label and photograph it badly; returns JPEG bytes and records the conditions."""
    body = _font(34)
    head = _font(64, bold=True)
    width = 1100
    line_h = 50
    height = 60 + (100 if spec.title else 0) + line_h * len(spec.lines) + 40
    paper = rng.choice(_BACKGROUNDS)
    ink = rng.choice(_INKS)
    image = Image.new("RGB", (width, height), paper)
    pen = ImageDraw.Draw(image)
    y = 40
    if spec.title:
        pen.text((50, y), spec.title, font=head, fill=(180, 20, 20))
        y += 100
    for text in spec.lines:
        pen.text((50, y), text, font=body, fill=ink)
        y += line_h
    conditions = []
    if rng.random() < 0.45:
        angle = rng.choice([-1, 1]) * rng.uniform(1.5, 5.0)
        table = (rng.randint(60, 120),) * 3
        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=table)
        conditions.append("rotated")
    if rng.random() < 0.4:
        w, h = image.size
        light = Image.linear_gradient("L").resize((w, h)).rotate(rng.choice([0, 90, 180, 270])).resize((w, h))
        dark = Image.new("RGB", (w, h), (0, 0, 0))
        shade = light.point(lambda v: 120 + v * 135 // 255)
        image = Image.composite(image, dark, shade)
        conditions.append("uneven_light")
    if rng.random() < 0.35:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.7, 1.2)))
        conditions.append("blurred")
    quality = 88
    if rng.random() < 0.4:
        quality = rng.randint(35, 60)
        conditions.append("jpeg")
    if not conditions:
        conditions.append("straight")
    spec.conditions = conditions
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
