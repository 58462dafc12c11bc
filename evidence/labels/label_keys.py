"""The words and patterns of label text: the keys each field is printed under, the identifiers' shapes,
and the normal form lines are compared in.

Real labels word the same item many ways (食品名称/产品名称/品名; 生产者/生产商/制造商/委托方) and OCR
adds its own confusions inside identifiers (O/0, I/l/1, S/5, Z/2, B/8); the field parser and the
readers of wrapped lines and titles share these.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from safeio.identifier_grammar import USCC_OCR_CONFUSIONS

__all__ = ["FIELD_NAMES", "KEYS", "OTHER_KEYS", "normalise"]

FIELD_NAMES = ("product_name", "manufacturer", "address", "phone", "license_no", "ccc_cert_no", "credit_code",
               "barcode", "standards", "production_date", "expiry_date", "shelf_life", "net_content")

# Keys as printed, per field (longest first at match time).  A key must start the line or follow
# white space / a bracket, and is followed by an optional colon.
KEYS: dict[str, tuple[str, ...]] = {
    "product_name": ("食品名称", "产品名称", "商品名称", "品名", "名称"),
    "manufacturer": ("生产企业名称", "生产者名称", "受委托方", "被委托方", "委托方", "生产者", "生产商", "制造商",
                     "生产企业", "生产单位", "制造单位", "制造者", "受委托生产企业", "委托生产企业", "委托单位", "被委托商",
                     "委托商"),
    "address": ("生产地址", "生产者地址", "委托方地址", "受委托方地址", "企业地址", "厂址", "地址"),
    "phone": ("联系电话", "服务热线", "客服热线", "客服电话", "消费者热线", "联系方式", "电话", "热线", "TEL", "Tel"),
    "license_no": ("食品生产许可证编号", "食品生产许可证号", "生产许可证编号", "生产许可证号", "许可证编号", "许可证号",
                   "工业产品生产许可证"),
    "ccc_cert_no": ("CCC证书编号", "3C证书编号", "CCC认证证书编号", "认证证书编号", "CCC证书号", "证书编号"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
    "barcode": ("商品条码", "条形码", "条码"),
    "standards": ("产品标准代号", "产品执行标准", "执行标准号", "执行标准", "产品标准号", "标准代号", "产品标准"),
    "production_date": ("生产日期", "制造日期", "出厂日期", "生产批号/日期", "MFG", "MFD", "PROD"),
    "shelf_life": ("保质期限", "保质期", "保存期限", "保存期", "有效期", "食用期限"),
    "expiry_date": ("限期使用日期", "有效期至", "保质期至", "此日期前最佳", "此日期前食用", "最佳食用日期", "届满日期",
                    "到期日", "失效日期", "限用日期", "EXP"),
    "net_content": ("净含量/规格", "净含量", "净重", "规格"),
    "model_no": ("产品编号", "产品型号", "规格型号", "型号", "货号"),
    "brand": ("品牌", "商标"),
}
# Traditional keys with no one-to-one simplified form (OpenCC maps 製造商 and 淨含量 itself).
KEYS["net_content"] += ("淨重", "容量")
KEYS["manufacturer"] += ("生产厂家", "生产厂商")
# Keys of items we do not extract but must not mistake for one we do (a line is claimed by its key).
OTHER_KEYS = ("配料表", "配料", "贮存条件", "储存条件", "额定电压", "额定功率", "总养分", "肥料登记证号",
              "产品配方注册号", "注册号", "批准文号", "使用方法", "食用方法", "注意事项", "产地", "经销商", "营养成分表",
              "适用人群", "主要成分", "主要功能", "致敏物质", "产品类型", "产品类别", "食品类型", "产品种类")

_KEY_INDEX = sorted(((k, f) for f, ks in KEYS.items() for k in ks), key=lambda kv: -len(kv[0]))
_KEY_INDEX += sorted(((k, None) for k in OTHER_KEYS), key=lambda kv: -len(kv[0]))
# a Latin key is a whole word: EXP is not the start of EXPRESS
_KEY_ALTERNATIVES = "|".join(re.escape(k) + ("(?![A-Za-z])" if k[-1].isascii() and k[-1].isalpha() else "")
                             for k, _ in sorted(_KEY_INDEX, key=lambda kv: -len(kv[0])))
# A key starts the line or follows white space or a bracket; or, anywhere, it is followed by a colon
# (a vertical title read into the row: "光明净重：950毫升").
_KEY_RE = re.compile(
    r"(?:(?:^|(?<=[\s【\[(（]))(" + _KEY_ALTERNATIVES + r")|(" + _KEY_ALTERNATIVES + r")(?=\s*[】\]）)]?\s*[:：]))"
    + r"\s*[】\]）)]?\s*[:：;；]*\s*"
)
_KEY_FIELD = dict(_KEY_INDEX)

# Identifier patterns on NFKC text; "[0-9OoIlSZB]" admits the OCR confusions, fixed by _digits().
_D = r"[0-9OoIlZB]"
SC_RE = re.compile(r"S\s?C\s?[:：]?\s?(" + _D + r"{14})(?!\d)")
QS_RE = re.compile(r"Q\s?S\s?[:：]?\s?(" + _D + r"{12})(?!\d)")
XK_RE = re.compile(r"(?:[\u4e00-\u9fff])?XK\s?\d{2}\s?-\s?\d{3}\s?-\s?\d{5}")
COSMETIC_RE = re.compile(r"([\u4e00-\u9fff])\s?妆\s?(?:准?字?)?\s?(\d{8})")
USCC_RE = re.compile(r"(?<![0-9A-Z])([0-9A-Z]{18})(?![0-9A-Z])")
EAN_RE = re.compile(r"(?<!\d)(\d{13}|\d{8})(?!\d)")
CCC_RE = re.compile(r"(?<!\d)(\d{16})(?!\d)")
STANDARD_RE = re.compile(
    r"(?:GB/T|GB|QB/T|NY/T|SB/T|LS/T|NY|QB|HG/T|JB/T|DB\d{2}(?:/T)?|T/[A-Z]+)\s?\d+(?:\.\d+)*(?:-\d{4})?"
    r"|Q/[0-9A-Z\u4e00-\u9fff]{2,12}\s?\d{3,4}S?(?:-\d{4})?"
)
PHONE_RE = re.compile(r"(?:\+?86[-\s]?)?(?:\(?0\d{2,3}\)?[-\s]?\d{7,8}|400[-\s]?\d{3}[-\s]?\d{4}|800[-\s]?\d{3}[-\s]?\d{4}"
                      r"|1[3-9]\d{9})(?:[-转]\d{1,5})?")
DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[年./\-]\s*(?P<m>\d{1,2})\s*[月./\-]\s*(?P<d>\d{1,2})\s*日?"
    r"|(?P<m2>[01]\d)(?P<d2>[0-3]\d))(?!\d)"
)
ELSEWHERE_RE = re.compile(r"见(?:包装|瓶身|瓶盖|瓶底|袋口|封口|喷码|罐底|盒|箱|外包装|标签|侧面|背面|底部|顶部|合格证|标注|打码)"
                          r"|(?:标|印)于")
SHELF_RE = re.compile(r"\d+\s*(?:个月|个月份|月|天|日|年|小时)")
NET_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:毫升|升|千克|公斤|克|mL|ml|ML|L|kg|KG|Kg|g|G|片|粒|袋|包|支|瓶)"
                    r"(?:\s*[x×*]\s*\d+\s*\S{0,2})?")
REGISTRATION_RE = re.compile(r"国食注字\s?(?:YP|TY)\s?\d{8}|国食健注\s?[GJ]\s?\d{8}|国食健字\s?[GJ]\s?\d{8}"
                             r"|食健备\s?[GJ]\s?\d{12}|卫食健字\s?[(（]\s?\d{4}\s?[)）]\s?第?\s?\d+\s?号?")

ADDRESS_RE = re.compile(r"^[^:：\u4e00-\u9fff]{0,6}[:：;]\s*((?:[\u4e00-\u9fff]{2,4}(?:省|自治区))?[\u4e00-\u9fff]{2,8}"
                        r"(?:市|州|盟)[\u4e00-\u9fff\d\s\-]{2,40}(?:路|街|道|号|村|镇|园|楼|室)[\u4e00-\u9fff\d\s\-]*)$")
MAKER_RE = re.compile(r"^[^:：\u4e00-\u9fff]{0,6}[:：;]\s*([\u4e00-\u9fff（）()]{4,40}(?:有限公司|有限责任公司|集团|厂|公司))$")
NET_LINE_RE = re.compile(r"^[^:：\u4e00-\u9fff]{0,6}[:：;]\s*(\d+(?:\.\d+)?\s*(?:毫升|升|千克|公斤|克|mL|ml|L|kg|g))$")
_CONFUSIONS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "Z": "2", "B": "8", "S": "5"})
# USCC never holds I O S V Z (GB 32100-2015): map the OCR lookalikes back before the check.
_USCC_CONFUSIONS = USCC_OCR_CONFUSIONS


# Variant and traditional forms OCR models return for characters printed in simplified form.
_VARIANTS = str.maketrans("凈產號廠證許電話質標準執製編稱區東縣鎮開發業傳營養內蒙臺灣廣龍農藥劑",
                          "净产号厂证许电话质标准执制编称区东县镇开发业传营养内蒙台湾广龙农药剂")


@lru_cache(maxsize=1)
def _to_simplified():
    """OpenCC's traditional-to-simplified converter (its dictionaries ship in the wheel), or None."""
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except (ImportError, OSError, RuntimeError):  # without it, the small table below still applies
        return None


def normalise(text: str) -> str:
    """NFKC (full-width colons, digits and letters become ASCII), simplified forms, spaces collapsed.

    OCR models return traditional or variant forms for simplified print, most of all on 楷体
    labels (涼 for 凉, 國 for 国): OpenCC maps them back."""
    text = unicodedata.normalize("NFKC", text).translate(_VARIANTS)
    converter = _to_simplified()
    if converter is not None and re.search(r"[\u3400-\u9fff]", text):
        text = converter.convert(text)
    text = re.sub(r"(?<=[\u4e00-\u9fff])[—―－‐-](?=[\u4e00-\u9fff])", "一", text)  # 统—社会 -> 统一社会
    text = text.replace("〈", "(").replace("〉", ")")  # Tesseract's reading of full-width brackets
    return re.sub(r"[ \t\u3000]+", " ", text).strip()


def _digits(text: str) -> str:
    return text.translate(_CONFUSIONS)
