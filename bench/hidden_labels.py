"""A second label generator that the everyday tests never see: the hidden set of bench_labels.py.

Everything differs from the sample casebook's generator (casebook.sample.sample_labels): other fonts (楷体
AR PL UKai, 明体 AR PL UMing, WenQuanYi Zen Hei, Noto Serif CJK), other wordings of the keys, other
products, makers and places, other layouts (a ruled two-column table, a vertical title, a curved
bottle label) and harsher photos (glare, heavier blur, perspective, noise, low JPEG quality).  Its
copycat names are its own and are listed nowhere else; so are the genuine lookalike pairs.

No test imports this module.  Do not tune the reader on it: a change that helps only here is
overfitting.  Fonts: Debian fonts-arphic-ukai, fonts-arphic-uming, fonts-wqy-zenhei, fonts-noto-cjk.
"""

from __future__ import annotations

import io
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from stdnum import ean
from stdnum.cn import uscc

FONTS = [("/usr/share/fonts/truetype/arphic/ukai.ttc", 0), ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
         ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0), ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
         ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0), ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
         ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2)]

# Copycat names of our own, by trick family (genuine mark -> copy).  Listed nowhere else.
HIDDEN_COPIES = {
    "glyph": [("娃哈哈", "娃恰哈"), ("农夫山泉", "农夫出泉"), ("金龙鱼", "金尤鱼"), ("蒙牛", "蒙午"), ("光明", "光朋"),
              ("老干妈", "老千妈"), ("王老吉", "玉老吉"), ("加多宝", "加多宇"), ("士力架", "土力架"), ("蓝月亮", "蓝日亮"),
              ("立白", "立自"), ("正泰", "正秦"), ("金正大", "金正夫"), ("公牛", "公午"), ("美的", "美约")],
    "radical": [("海天", "海夭"), ("鲁花", "鲁化"), ("伊利", "伊俐"), ("旺仔", "旺子"), ("奥妙", "澳妙"), ("心连心", "心莲心"),
                ("史丹利", "史丹莉"), ("新洋丰", "新羊丰"), ("格力", "恪力")],
    "sound": [("徐福记", "徐富记"), ("达利园", "达利圆"), ("舒肤佳", "舒扶佳"), ("六神", "六伸"), ("好丽友", "好莉友"),
              ("九阳", "九杨")],
    "split": [("好孩子", "女子孩子")],
    "reorder": [("喜之郎", "之喜郎")],
    "added": [("三只松鼠", "三只小松鼠"), ("太太乐", "正宗太太乐"), ("白象", "新白象")],
    "removed": [("农夫山泉", "农山泉")],
    "number": [("三只松鼠", "五只松鼠"), ("六个核桃", "八个核桃")],
    "latin": [("雪碧", "Sprlte"), ("雀巢", "Nestie")],
    "both_changed": [("洽洽", "恰恰")],
}
# Genuine marks that look alike but are not copies of each other (and same-owner families).
GENUINE_PAIRS = [("三元", "三全"), ("美的", "美菱"), ("可口可乐", "百事可乐"), ("旺旺", "旺仔"), ("好利来", "好丽友"),
                 ("达利", "达利园"), ("统一", "统帅"), ("金龙鱼", "金龙泉"), ("立白", "立顿"), ("海天", "海信"),
                 ("康师傅", "康佳"), ("格力", "格力高"), ("劲牌", "劲仔"), ("燕京", "燕塘"), ("双汇", "双鹿"),
                 ("心相印", "心连心"), ("乐事", "乐虎"), ("白象", "白猫"), ("稻香村", "北京稻香村"), ("冠生园", "南京冠生园")]

# kind, mark, product, product words for the label, owner, province code, category code
PRODUCTS = [
    ("food", "娃哈哈", "AD钙奶饮品", "220克", "杭州娃哈哈集团有限公司", "33", "106", "GB/T 21732"),
    ("food", "农夫山泉", "饮用天然水", "380毫升", "农夫山泉股份有限公司", "33", "106", "GB 19298"),
    ("food", "金龙鱼", "玉米油", "4升", "益海嘉里金龙鱼粮油食品股份有限公司", "31", "102", "GB/T 19111"),
    ("food", "蒙牛", "纯牛奶", "250毫升", "内蒙古蒙牛乳业（集团）股份有限公司", "15", "105", "GB 25190"),
    ("food", "光明", "鲜牛奶", "950毫升", "光明乳业股份有限公司", "31", "105", "GB 19645"),
    ("food", "老干妈", "风味豆豉油制辣椒", "280克", "贵阳南明老干妈风味食品有限责任公司", "52", "103", "GB/T 20560"),
    ("food", "王老吉", "凉茶植物饮料", "310毫升", "广州王老吉大健康产业有限公司", "44", "106", "GB/T 31121"),
    ("food", "加多宝", "凉茶植物饮料", "310毫升", "加多宝（中国）饮料有限公司", "44", "106", "GB/T 31121"),
    ("food", "海天", "金标生抽", "1.28升", "佛山市海天调味食品股份有限公司", "44", "103", "GB/T 18186"),
    ("food", "鲁花", "花生油", "5升", "山东鲁花集团有限公司", "37", "102", "GB/T 1534"),
    ("food", "伊利", "纯牛奶", "250毫升", "内蒙古伊利实业集团股份有限公司", "15", "105", "GB 25190"),
    ("food", "旺仔", "牛奶", "245毫升", "湖南旺旺食品有限公司", "43", "105", "GB 25191"),
    ("food", "徐福记", "酥心糖", "500克", "东莞徐记食品有限公司", "44", "113", "GB 17399"),
    ("food", "达利园", "蛋黄派", "300克", "福建达利食品集团有限公司", "35", "124", "GB/T 20977"),
    ("food", "好丽友", "巧克力派", "204克", "好丽友食品有限公司", "11", "124", "GB/T 20977"),
    ("food", "三只松鼠", "每日坚果", "750克", "三只松鼠股份有限公司", "34", "119", "GB 19300"),
    ("food", "太太乐", "鸡精调味料", "200克", "上海太太乐食品有限公司", "31", "103", "SB/T 10371"),
    ("food", "白象", "红烧牛肉面", "111克", "白象食品股份有限公司", "41", "107", "GB 17400"),
    ("food", "喜之郎", "果冻", "360克", "广东喜之郎集团有限公司", "44", "113", "GB 19299"),
    ("food", "六个核桃", "核桃乳", "240毫升", "河北养元智汇饮品股份有限公司", "13", "106", "GB/T 31325"),
    ("food", "士力架", "花生夹心巧克力", "51克", "玛氏食品（中国）有限公司", "11", "113", "GB/T 19343"),
    ("food", "雪碧", "清爽柠檬味汽水", "330毫升", "中粮可口可乐饮料（湖北）有限公司", "42", "106", "GB/T 10792"),
    ("food", "雀巢", "咖啡饮料", "268毫升", "雀巢（中国）有限公司", "11", "106", "GB/T 30767"),
    ("food", "洽洽", "焦糖瓜子", "308克", "洽洽食品股份有限公司", "34", "119", "GB 19300"),
    ("toiletry", "蓝月亮", "深层洁净洗衣液", "3千克", "蓝月亮（中国）有限公司", "44", "", "GB/T 13171.2"),
    ("toiletry", "立白", "天然皂粉", "1.6千克", "广州立白企业集团有限公司", "44", "", "QB/T 2387"),
    ("toiletry", "奥妙", "全自动洗衣粉", "2千克", "联合利华（中国）有限公司", "31", "", "GB/T 13171.1"),
    ("toiletry", "舒肤佳", "纯白清香沐浴露", "720毫升", "宝洁（中国）有限公司", "44", "", "GB/T 34857"),
    ("toiletry", "六神", "花露水", "195毫升", "上海家化联合股份有限公司", "31", "", "QB/T 1858.1"),
    ("appliance", "美的", "电饭煲", "4升", "佛山市顺德区美的电热电器制造有限公司", "44", "0705", "GB 4706.19-2008"),
    ("appliance", "九阳", "破壁料理机", "1.75升", "九阳股份有限公司", "37", "0708", "GB 4706.30-2008"),
    ("appliance", "格力", "电风扇", "", "珠海格力电器股份有限公司", "44", "0709", "GB 4706.27-2008"),
    ("electrical", "公牛", "新国标插座", "", "公牛集团股份有限公司", "33", "0201", "GB/T 2099.7-2015"),
    ("electrical", "正泰", "漏电断路器", "", "浙江正泰电器股份有限公司", "33", "0305", "GB/T 16917.1-2014"),
    ("toy", "好孩子", "婴儿手推车", "", "好孩子儿童用品有限公司", "32", "2102", "GB 14748-2006"),
    ("fertilizer", "心连心", "高塔复合肥料", "50千克", "河南心连心化学工业集团股份有限公司", "41", "", "GB/T 15063-2020"),
    ("fertilizer", "史丹利", "硝硫基复合肥", "40千克", "史丹利农业集团股份有限公司", "37", "", "GB/T 15063-2020"),
    ("fertilizer", "新洋丰", "硫酸钾型复合肥料", "50千克", "湖北新洋丰肥业股份有限公司", "42", "", "GB/T 15063-2020"),
    ("fertilizer", "金正大", "缓释复合肥料", "40千克", "金正大生态工程集团股份有限公司", "37", "", "GB/T 15063-2020"),
]
# Genuine local marks not in any registry and far from every mark: they must never be accused.
LOCAL_BRANDS = [("food", "豫园春", "芝麻酥饼", "350克"), ("food", "淮阳坊", "手工挂面", "1千克"),
                ("food", "鹿邑春", "香油麻花", "260克"), ("food", "柘城记", "辣椒酱", "300克"),
                ("toiletry", "洁然", "洗洁精", "1.5千克"), ("appliance", "顺风", "暖风机", ""),
                ("food", "沙颍河", "红薯粉条", "500克"), ("food", "黄泛区", "小米锅巴", "180克")]
MAKERS = [("周口市淮阳区豫园食品有限公司", "河南省周口市淮阳区城关镇文化路12号", "411603"),
          ("鹿邑县老君台食品厂", "河南省周口市鹿邑县真源街道紫气大道88号", "411628"),
          ("开封市祥符区顺风电器厂", "河南省开封市祥符区朱仙镇兴华街6号", "410212"),
          ("商丘市睢阳区洁然日化有限公司", "河南省商丘市睢阳区古城路19号", "411403"),
          ("驻马店市驿城区丰年农资有限公司", "河南省驻马店市驿城区雪松大道200号", "411702")]
PROVINCE = {"11": "北京市朝阳区", "13": "河北省衡水市桃城区", "15": "内蒙古自治区呼和浩特市", "31": "上海市浦东新区",
            "32": "江苏省昆山市", "33": "浙江省杭州市钱塘区", "34": "安徽省芜湖市弋江区", "35": "福建省晋江市",
            "37": "山东省莱阳市", "41": "河南省郑州市金水区", "42": "湖北省武汉市东西湖区", "43": "湖南省长沙市望城区",
            "44": "广东省佛山市顺德区", "52": "贵州省贵阳市南明区"}
KEYS = {"product_name": ["品名", "产品名称", "商品名称"], "manufacturer": ["生产商", "制造商", "生产企业", "生产者", "生产单位"],
        "address": ["厂址", "地址", "生产地址"], "phone": ["客服热线", "联系电话", "服务热线", "消费者热线"],
        "licence": ["生产许可证号", "食品生产许可证编号"], "date": ["生产日期", "出厂日期", "制造日期"],
        "shelf": ["保质期", "保质期限"], "net": ["净含量", "净重"], "standard": ["执行标准", "产品标准号", "产品标准代号"],
        "credit": ["统一社会信用代码"], "barcode": ["条形码", "商品条码"]}
# wordings of the whole label: the name only as the large title (GB 7718 allows it), or traditional characters
WORDINGS = ["plain"] * 6 + ["title_only"] * 3 + ["traditional"] * 2
CLAIMS = ["本品具有降血糖、降血脂功效", "长期食用可预防癌症", "根治失眠，无副作用"]


@dataclass
class HiddenLabel:
    kind: str
    lines: list[str]
    title: str
    fields: dict
    problems: list[str]
    copy: tuple[str, str] | None = None
    layout: str = "plain"
    conditions: list[str] = field(default_factory=list)
    wording: str = "plain"

    def truth(self, image: str) -> dict:
        return {"image": image, "text": "\n".join(([self.title] if self.title else []) + self.lines),
                "fields": self.fields, "problems": sorted(self.problems), "copy": self.copy,
                "layout": self.layout, "conditions": self.conditions, "product_type": self.kind,
                "wording": self.wording}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _credit(rng: random.Random, region: str, bad: bool) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    stem = "91" + region + "".join(rng.choice(alphabet) for _ in range(9))
    check = uscc.calc_check_digit(stem)
    return stem + (rng.choice([c for c in alphabet if c != check]) if bad else check)


def _barcode(rng: random.Random, bad: bool) -> str:
    stem = "69" + _digits(rng, 10)
    check = ean.calc_check_digit(stem)
    return stem + (str((int(check) + rng.randint(1, 9)) % 10) if bad else check)


def compose(rng: random.Random, problem: str | None) -> HiddenLabel:
    """One hidden label carrying ``problem`` (None: clean; 'local': a genuine mark nobody registered)."""
    copy = None
    if problem == "local":
        kind, mark, product, net = rng.choice(LOCAL_BRANDS)
        owner, address, county = rng.choice(MAKERS)
        province, category, standard = "41", "124" if kind == "food" else "0710", "Q/ZK 0001S"
    else:
        choices = PRODUCTS
        if problem == "brand_lookalike":
            family = rng.choice(list(HIDDEN_COPIES))
            genuine_mark, copied = rng.choice(HIDDEN_COPIES[family])
            choices = [p for p in PRODUCTS if p[1] == genuine_mark] or PRODUCTS
            copy = (genuine_mark, copied)
        elif problem in ("obsolete_qs_mark", "prohibited_claim", "missing_registration", "license_region_mismatch"):
            choices = [p for p in PRODUCTS if p[0] == "food"]
        elif problem == "missing_ccc":
            choices = [p for p in PRODUCTS if p[0] in ("appliance", "electrical", "toy")]
        kind, mark, product, net, owner, province, category, standard = rng.choice(choices)
        address = f"{PROVINCE[province]}{rng.choice(['工业园', '开发区', '科技园'])}{rng.choice(['纬一路', '兴业大道', '长江路'])}{rng.randint(2, 199)}号"
        county = province + "0" + _digits(rng, 3)
        if copy:
            mark = copy[1]
            owner, address, county = rng.choice(MAKERS)
            province = "41"
    problems = [] if problem in (None, "local") else [problem]
    name = f"{mark}{product}" if not mark.isascii() else f"{mark} {product}"
    fields = dict.fromkeys(("product_name", "manufacturer", "address", "phone", "license_no", "ccc_cert_no",
                            "credit_code", "barcode", "production_date", "shelf_life", "net_content"))
    fields["standards"] = []
    colon = rng.choice(["：", ":", "："])
    lines = [f"{rng.choice(KEYS['product_name'])}{colon}{name}"]
    fields["product_name"] = name.replace(" ", "") if not mark.isascii() else name
    if problem == "missing_registration":
        name = "益生菌固体饮料（保健食品）"
        lines[0] = f"{KEYS['product_name'][0]}{colon}{name}"
        fields["product_name"] = name
        mark = ""
    if net:
        lines.append(f"{rng.choice(KEYS['net'])}{colon}{net}")
        fields["net_content"] = net
    if kind == "food":
        lines.append(f"配料{colon}" + rng.choice(["白砂糖、小麦粉、食用植物油", "生牛乳", "水、白砂糖、柠檬酸", "花生、食用盐"]))
    if kind in ("appliance",):
        lines.append(f"额定电压{colon}220V~ 50Hz")
    if problem != "three_no":
        lines.append(f"{rng.choice(KEYS['manufacturer'])}{colon}{owner}")
        lines.append(f"{rng.choice(KEYS['address'])}{colon}{address}")
        fields["manufacturer"], fields["address"] = owner, address
        phone = rng.choice([f"400-{_digits(rng, 3)}-{_digits(rng, 4)}", f"0{rng.randint(10, 99)}-{_digits(rng, 8)}"])
        lines.append(f"{rng.choice(KEYS['phone'])}{colon}{phone}")
        fields["phone"] = phone
        if rng.random() < 0.6 or problem == "bad_credit_code_checksum":
            code = _credit(rng, county, problem == "bad_credit_code_checksum")
            lines.append(f"统一社会信用代码{colon}{code}")
            fields["credit_code"] = code
    produced = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == "food" and problem != "three_no":
        if problem == "obsolete_qs_mark":
            licence = f"QS{province}{_digits(rng, 10)}"
            lines.append(f"QS{licence[2:]}")
        else:
            sc_province = province if problem != "license_region_mismatch" else rng.choice(
                [p for p in PROVINCE if p != province and abs(int(p) - int(province)) > 3])
            licence = f"SC{category or '101'}{sc_province}{_digits(rng, 9)}"
            lines.append(f"{rng.choice(KEYS['licence'])}{colon}{licence}")
        fields["license_no"] = licence
        if problem == "missing_registration":
            pass
    if kind in ("appliance", "electrical", "toy") and problem not in ("missing_ccc", "three_no"):
        cert = f"{rng.randint(2020, 2025)}01{category}{_digits(rng, 6)}"
        lines.append(f"CCC认证证书编号{colon}{cert}")
        fields["ccc_cert_no"] = cert
    if problem != "three_no":
        lines.append(f"{rng.choice(KEYS['standard'])}{colon}{standard}")
        fields["standards"] = [standard]
        y, m, d = produced.split("-")
        lines.append(f"{rng.choice(KEYS['date'])}{colon}" + rng.choice([produced, f"{y}年{m}月{d}日", f"{y}.{m}.{d}"]))
        fields["production_date"] = produced
    if kind in ("food", "toiletry"):
        shelf = rng.choice(["12个月", "18个月", "9个月", "3年"])
        lines.append(f"{rng.choice(KEYS['shelf'])}{colon}{shelf}")
        fields["shelf_life"] = shelf
    if problem == "prohibited_claim":
        lines.append(rng.choice(CLAIMS))
    if problem != "three_no":
        code = _barcode(rng, problem == "bad_barcode_checksum")
        lines.append(code)
        fields["barcode"] = code
    if problem == "three_no":
        problems = ["three_no"] + (["missing_ccc"] if kind in ("appliance", "electrical", "toy") else [])
    title = mark if mark and rng.random() < 0.7 else ""
    label = HiddenLabel(kind=kind, lines=lines, title=title, fields=fields, problems=problems, copy=copy)
    wording = rng.choice(WORDINGS)
    if wording == "title_only" and problem != "missing_registration" and not mark.isascii():
        label.lines = label.lines[1:]  # no 名称 line: the name is the title
        label.title = fields["product_name"]
        label.wording = wording
    elif wording == "traditional" and problem not in ("brand_lookalike", "missing_registration"):
        _to_traditional(label)
    return label


def _to_traditional(label: HiddenLabel) -> None:
    """The label printed in traditional characters (goods for Hong Kong or Taiwan); the truth as printed."""
    import opencc

    convert = opencc.OpenCC("s2t").convert
    label.lines = [convert(line) for line in label.lines]
    label.title = convert(label.title)
    for name in ("product_name", "manufacturer", "address", "shelf_life", "net_content"):
        if label.fields.get(name):
            label.fields[name] = convert(label.fields[name])
    label.wording = "traditional"


# --- drawing -------------------------------------------------------------------------------------


def _font(rng: random.Random, size: int) -> ImageFont.FreeTypeFont:
    usable = [(p, i) for p, i in FONTS if Path(p).is_file()]
    path, index = rng.choice(usable)
    return ImageFont.truetype(path, size, index=index)


def draw(label: HiddenLabel, rng: random.Random) -> bytes:
    """Render one hidden label in a random layout and photograph it harshly; JPEG bytes."""
    layout = rng.choice(["plain", "plain", "table", "vertical", "bottle", "columns"])
    if layout == "vertical" and len(label.title) > 6:
        layout = "plain"
    label.layout = layout
    if layout == "columns":
        return _draw_columns(label, rng)
    font = _font(rng, rng.choice([30, 32, 36]))
    head = _font(rng, rng.choice([58, 66, 72]))
    line_h = int(font.size * 1.45)
    width = 1180
    left = 170 if layout == "vertical" and label.title else 44
    top = 40 + (0 if layout == "vertical" or not label.title else 100)
    height = top + line_h * len(label.lines) + 50
    if layout == "vertical" and label.title:
        height = max(height, 60 + len(label.title) * (head.size + 8))
    paper = rng.choice([(255, 253, 245), (245, 250, 255), (255, 248, 225), (240, 240, 236)])
    image = Image.new("RGB", (width, height), paper)
    pen = ImageDraw.Draw(image)
    ink = rng.choice([(15, 15, 15), (40, 20, 90), (90, 20, 20)])
    if label.title:
        colour = rng.choice([(200, 20, 20), (20, 90, 40), (20, 40, 150)])
        if layout == "vertical":
            for k, ch in enumerate(label.title):
                pen.text((40, 40 + k * (head.size + 8)), ch, font=head, fill=colour)
        else:
            pen.text((44, 30), label.title, font=head, fill=colour)
    y = top
    for text in label.lines:
        if layout == "table":
            key, sep, value = text.partition("：") if "：" in text else text.partition(":")
            if sep:
                pen.text((left, y), key, font=font, fill=ink)
                pen.text((left + 330, y), value, font=font, fill=ink)
                pen.line((left - 10, y - 6, width - 30, y - 6), fill=(120, 120, 120), width=2)
                pen.line((left + 315, y - 6, left + 315, y + line_h - 6), fill=(120, 120, 120), width=2)
            else:
                pen.text((left, y), text, font=font, fill=ink)
        else:
            pen.text((left, y), text, font=font, fill=ink)
        y += line_h
    conditions = [layout]
    if layout == "bottle":
        image = _cylinder(image, rng.uniform(0.10, 0.18))
    if rng.random() < 0.35:
        image = _glare(image, rng)
        conditions.append("glare")
    if rng.random() < 0.4:
        angle = rng.uniform(-6, 6)
        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(rng.randint(40, 160),) * 3)
        conditions.append("rotated")
    if rng.random() < 0.3:
        image = _perspective(image, rng)
        conditions.append("perspective")
    if rng.random() < 0.4:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.8)))
        conditions.append("blurred")
    if rng.random() < 0.3:
        noise = np.random.default_rng(rng.randint(0, 10**6)).normal(0, 9, (image.height, image.width, 1))
        image = Image.fromarray(np.clip(np.asarray(image, dtype=np.float64) + noise, 0, 255).astype(np.uint8))
        conditions.append("noise")
    quality = rng.choice([90, 75, 45, 32])
    if quality < 50:
        conditions.append("jpeg")
    label.conditions = conditions
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


_PARTY_WORDS = ("生产", "制造", "厂址", "地址", "热线", "电话", "信用代码", "许可证", "QS", "CCC", "条", "SC")


def _draw_columns(label: HiddenLabel, rng: random.Random) -> bytes:
    """Two columns side by side: the product on the left, the maker and its numbers on the right."""
    font = _font(rng, rng.choice([28, 30]))
    head = _font(rng, rng.choice([58, 66]))
    import opencc

    simple = opencc.OpenCC("t2s").convert  # a traditional label is sorted by the same words
    right = [t for t in label.lines if any(w in simple(t) for w in _PARTY_WORDS) or re.fullmatch(r"\d{8,13}", t)]
    left = [t for t in label.lines if t not in right]
    line_h = int(font.size * 1.5)
    width, column = 1760, 860
    top = 40 + (100 if label.title else 0)
    height = top + line_h * max(len(left), len(right)) + 50
    image = Image.new("RGB", (width, height), rng.choice([(255, 253, 245), (245, 250, 255), (250, 250, 250)]))
    pen = ImageDraw.Draw(image)
    ink = rng.choice([(15, 15, 15), (40, 20, 90)])
    if label.title:
        pen.text((44, 30), label.title, font=head, fill=(200, 20, 20))
    for x, rows in ((44, left), (44 + column, right)):
        for k, text in enumerate(rows):
            pen.text((x, top + k * line_h), text, font=font, fill=ink)
    label.conditions = ["columns"]
    if rng.random() < 0.3:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.2)))
        label.conditions.append("blurred")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=rng.choice([90, 75, 60]))
    return buffer.getvalue()


def _cylinder(image: Image.Image, bend: float) -> Image.Image:
    """A label on a bottle: rows bow and the sides are compressed as on a cylinder."""
    src = np.asarray(image)
    h, w = src.shape[:2]
    out = np.full_like(src, 230)
    xs = np.arange(w)
    theta = (xs / (w - 1) - 0.5) * math.pi * 0.8
    source_x = ((np.sin(theta) / math.sin(math.pi * 0.4)) * 0.5 + 0.5) * (w - 1)
    shift = (bend * h * 0.25 * (1 - np.cos(theta))).astype(int)
    for x in range(w):
        sx = int(source_x[x])
        column = src[:, sx]
        dy = shift[x]
        out[dy:, x] = column[: h - dy] if dy else column
    shade = (0.75 + 0.25 * np.cos(theta))[None, :, None]
    return Image.fromarray(np.clip(out * shade, 0, 255).astype(np.uint8))


def _glare(image: Image.Image, rng: random.Random) -> Image.Image:
    w, h = image.size
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    yy, xx = np.mgrid[0:h, 0:w]
    spot = np.exp(-(((xx - cx) / (0.18 * w)) ** 2 + ((yy - cy) / (0.25 * h)) ** 2))[..., None]
    lifted = np.asarray(image, dtype=np.float64) * (1 - 0.55 * spot) + 255 * 0.55 * spot
    return Image.fromarray(np.clip(lifted, 0, 255).astype(np.uint8))


def _perspective(image: Image.Image, rng: random.Random) -> Image.Image:
    w, h = image.size
    d = 0.06
    quad = [rng.uniform(0, d) * w, rng.uniform(0, d) * h, rng.uniform(0, d) * w, h - rng.uniform(0, d) * h,
            w - rng.uniform(0, d) * w, h - rng.uniform(0, d) * h, w - rng.uniform(0, d) * w, rng.uniform(0, d) * h]
    return image.transform((w, h), Image.QUAD, quad, resample=Image.BICUBIC, fillcolor=(90, 90, 90))


PROBLEM_MIX = ([None] * 4 + ["local"] * 2 + ["brand_lookalike"] * 3 + ["three_no", "obsolete_qs_mark", "bad_barcode_checksum",
               "bad_credit_code_checksum", "license_region_mismatch", "missing_ccc", "prohibited_claim",
               "missing_registration"])


def write_hidden_set(folder: Path, n: int = 150, seed: int = 90210) -> list[dict]:
    """Write ``n`` hidden label photos to ``folder``; returns their truth records."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    truth = []
    for i in range(n):
        label = compose(rng, PROBLEM_MIX[i % len(PROBLEM_MIX)])
        path = folder / f"hidden_{i:03d}.jpg"
        path.write_bytes(draw(label, rng))
        truth.append(label.truth(path.name))
    return truth
