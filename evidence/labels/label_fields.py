"""Label text -> fields: the items GB 7718 and 产品质量法 §27 make a label carry.

Real labels word the same item many ways (食品名称/产品名称/品名; 生产者/生产商/制造商/委托方;
地址/厂址/生产地址), use full-width or ASCII colons, wrap values onto the next line, and OCR adds
its own confusions inside identifiers (O/0, I/l/1, S/5, Z/2, B/8).  The parser is written by hand:
no library parses Chinese label text into these fields.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache

from safeio.identifier_grammar import USCC_OCR_CONFUSIONS

__all__ = ["FIELD_NAMES", "KEYS", "LabelFields", "decode_label_text", "extract_fields", "guess_product_type",
           "is_health_food", "is_infant_formula", "join_wrapped", "normalise", "read_credit_code", "read_digits",
           "read_licence"]

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


@dataclass
class LabelFields:
    """The fields of one label; None where the label does not print the item."""

    product_name: str | None = None
    manufacturer: str | None = None
    address: str | None = None
    phone: str | None = None
    license_no: str | None = None
    ccc_cert_no: str | None = None
    credit_code: str | None = None
    barcode: str | None = None
    standards: list[str] = field(default_factory=list)
    production_date: str | None = None
    shelf_life: str | None = None
    net_content: str | None = None
    product_type: str = "unknown"
    title: str | None = None
    brand: str | None = None
    model_no: str | None = None
    registration_no: str | None = None
    date_elsewhere: bool = False  # "生产日期：见包装": printed elsewhere, legal, not missing
    expiry_date: str | None = None  # 保质期至 / 限期使用日期: states the shelf life as a date (GB 7718 4.1.7)
    parties: list[dict] = field(default_factory=list)  # evidence.labels.parties: each with its own address, licence
    made_by: str | None = None  # the coded factory the date letter names, when the label lists two
    nutrition: list[dict] = field(default_factory=list)  # GB 28050 table rows: item, amount, unit, nrv
    raw: dict = field(default_factory=dict)  # the printed text each field was taken from

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("raw")
        return data


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


def _lines_of(source) -> list[str]:
    return [line for line, _, _ in _read_lines(source)]


def _read_lines(source) -> list[tuple[str, int, str]]:
    """(normalised line, layout block, line as read) for each non-empty line.

    The as-read form is NFKC only: traditional characters stay as printed (a Hong Kong label is
    quoted as it reads), while keys and comparisons work on the simplified form."""
    if isinstance(source, str):
        raw = [(r, 0) for r in source.splitlines()]
    else:
        raw = [(getattr(item, "text", item), getattr(item, "block", 0)) for item in source]
    out = []
    for text, block in raw:
        line = normalise(str(text))
        if line:
            read = re.sub(r"[ \t\u3000]+", " ", unicodedata.normalize("NFKC", str(text))).strip()
            out.append((line, int(block or 0), read))
    return out


def _as_read(value: str | None, read_lines: list[tuple[str, int, str]]) -> str | None:
    """``value`` (found in a normalised line) as printed: the same span of the line as read, when the
    conversion kept its length (OpenCC's t2s maps character for character on label text)."""
    if not value:
        return value
    for line, _, read in read_lines:
        at = line.find(value)
        if at >= 0 and len(line) == len(read) and line != read:
            return read[at:at + len(value)]
    return value


def _digits(text: str) -> str:
    return text.translate(_CONFUSIONS)


def read_digits(text: str) -> str:
    """Digits as a label prints them, with OCR's letter lookalikes mapped back (O -> 0, B -> 8, S -> 5)."""
    return _digits(text)


def read_credit_code(text: str | None) -> str | None:
    """A credit code as read, in the form the field holds (no I O S V Z: GB 32100 never uses them)."""
    return _credit_code(text)


def _fuzzy_key(prefix: str) -> str | None:
    """The field of a key OCR clipped or garbled ("址" for 厂址, "统—社会信用代码"), when unambiguous."""
    from rapidfuzz.distance import Levenshtein

    prefix = prefix.strip(" 【】[]()（）")
    prefix = re.sub(r"^[A-Za-z0-9|]{1,2}(?=[\u4e00-\u9fff]{2})", "", prefix)  # "E产企业": a clipped 生 read as a letter
    if not prefix or len(prefix) > 12 or not all("\u4e00" <= c <= "\u9fff" for c in prefix):
        return None
    names = {name for key, name in _KEY_INDEX if (key.endswith(prefix) and len(prefix) >= max(1, len(key) - 2))
             or (len(prefix) >= 3 and Levenshtein.distance(key, prefix) <= 1)
             or (len(prefix) == len(key) == 2 and prefix[1] == key[1] and prefix[0] != key[0])}
    # a tail shared with a key one character longer than those accepted is no evidence either way:
    # "期" ends 保质期 and 生产日期 alike
    names |= {name for key, name in _KEY_INDEX if key.endswith(prefix) and len(key) == len(prefix) + 3}
    return names.pop() if len(names) == 1 else None


def _segments(line: str) -> list[tuple[str | None, str | None, str]]:
    """Split a line into (key, field, value) segments; text before the first key has key None."""
    found = list(_KEY_RE.finditer(line))
    if not found or found[0].start() > 0:
        head = re.match(r"^([^:：;]{1,12})[:：;]+\s*", line) or re.match(r"^([\u4e00-\u9fff]{3,6})\s+(?=\S)", line)
        name = _fuzzy_key(head.group(1)) if head else None
        if name:
            rest = _segments(line[head.end():]) if found else [(None, None, line[head.end():])]
            first_key, _, first_value = rest[0]
            if first_key is None:
                return [(head.group(1), name, first_value), *rest[1:]]
            return [(head.group(1), name, ""), *rest]
    if not found:
        return [(None, None, line)]
    segments = []
    if found[0].start() > 0:
        segments.append((None, None, line[: found[0].start()].strip()))
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(line)
        key = match.group(1) or match.group(2)
        value = line[match.end():end].strip()
        rest = re.match(r"^([\u4e00-\u9fff]{1,2})[:：]\s*", value)
        if rest and _fuzzy_key(key + rest.group(1)):  # 品名|称：… - the key read longer than we list it
            value = value[rest.end():]
        segments.append((key, _KEY_FIELD.get(key), value))
    return segments


def extract_fields(source) -> LabelFields:
    """The fields of a label from its text (a string) or its OCR lines (strings or OcrLine)."""
    if not isinstance(source, str):
        source = join_wrapped(list(source))
    read_lines = _read_lines(source)
    lines = [line for line, _, _ in read_lines]
    fields = LabelFields()
    values: dict[str, str] = {}
    pending: str | None = None  # a key printed alone, its value on the next line
    for index, line in enumerate(lines):
        segments = _segments(line)
        if pending and segments[0][0] is None and segments[0][2]:
            values.setdefault(pending, segments[0][2])
            pending = None
            continue
        pending = None
        for key, name, value in segments:
            if key is None or name is None:
                continue
            if not value:
                pending = name
                continue
            values.setdefault(name, value)
        if index == 0 and segments[0][0] is None and not re.search(r"\d{5}", segments[0][2]):
            lead = segments[0][2] if len(segments) > 1 else line  # a vertical title read into the first row
            if 0 < len(lead) <= 12:
                fields.title = lead
    text = "\n".join(lines)
    fields.raw = dict(values)

    if "address" not in values:  # the key misread ("厂址" -> "HE:"): a value shaped like an address
        found = next((m for m in map(ADDRESS_RE.search, lines) if m), None)
        if found:
            values["address"] = found.group(1)
    if "manufacturer" not in values:
        found = next((m for m in map(MAKER_RE.search, lines) if m), None)
        if found:
            values["manufacturer"] = found.group(1)
    if "net_content" not in values:
        found = next((m for m in map(NET_LINE_RE.search, lines) if m), None)
        if found:
            values["net_content"] = found.group(1)
    fields.product_name = _clean_value(values.get("product_name"))
    fields.manufacturer = _clean_value(values.get("manufacturer"))
    fields.address = _clean_value(values.get("address"))
    fields.phone = _phone(values.get("phone"))
    fields.license_no = read_licence(values.get("license_no"), text)
    fields.ccc_cert_no = _ccc(values.get("ccc_cert_no"))
    if fields.ccc_cert_no is None:  # the key misread: a 16-digit number starting with a year is a CCC number
        found = re.search(r"(?<![\dA-Z])(20[0-3]\d{13})(?![\dA-Z])", text)
        fields.ccc_cert_no = found.group(1) if found else None
    fields.credit_code = _credit_code(values.get("credit_code"))
    fields.barcode = _barcode(values.get("barcode"), lines)
    fields.standards = _standards(values.get("standards"))
    fields.production_date, fields.date_elsewhere = _production_date(values.get("production_date"))
    fields.shelf_life = _match(SHELF_RE, values.get("shelf_life")) or _shelf_words(values.get("shelf_life"))
    fields.net_content = _match(NET_RE, values.get("net_content"))
    fields.brand = _clean_value(values.get("brand"))
    fields.model_no = _clean_value(values.get("model_no"))
    registration = REGISTRATION_RE.search(text)
    fields.registration_no = re.sub(r"\s", "", registration.group(0)) if registration else None
    fields.expiry_date, expiry_elsewhere = _production_date(values.get("expiry_date"))
    _bare_dates(fields, lines, expiry_elsewhere)
    _apply_parties(fields, read_lines, lines)
    if not fields.product_name:  # GB 7718 4.1.2: the name stands in a prominent position; no 名称 line needed
        fields.product_name = _prominent_title(source, lines) or _title_name(fields.title)
    fields.nutrition = nutrition_table(lines)
    fields.product_type = guess_product_type(text, fields)
    for name in ("product_name", "manufacturer", "address", "title", "brand"):
        setattr(fields, name, _as_read(getattr(fields, name), read_lines))
    return fields


_ADDRESS_KEY_RE = re.compile(r"(?:^|(?<=[\s【\[(（]))(?:" + "|".join(map(re.escape, KEYS["address"])) + r"|址)"
                             r"\s*[】\]）)]?\s*[:：;；]\s*\S")


def _left_top_bottom(box) -> tuple[float, float, float, float]:
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    return min(xs), max(xs), min(ys), max(ys)


def join_wrapped(items: list) -> list:
    """OCR lines with a wrapped address joined to its first line.

    A long address runs onto a second printed line ("…自编" / "B栋一、二、三楼"); that line starts
    no key, sits right below in the same block, begins at the first line's left edge or under
    its value, and the first line fills most of the block's width (it wrapped because it was full).
    Lines without boxes (plain text) are left as they are."""
    if not all(getattr(item, "box", None) for item in items):
        return items
    from dataclasses import replace

    widths: dict[int, float] = {}
    for item in items:
        left, right, _, _ = _left_top_bottom(item.box)
        block = getattr(item, "block", 0)
        widths[block] = max(widths.get(block, 0.0), right - left)
    out, joined = [], set()
    for index, item in enumerate(items):
        if index in joined:
            continue
        # the next line of horizontal text (vertical text placed between them is passed over)
        after = next((k for k in range(index + 1, len(items)) if not _standing(items[k].box)), None)
        following = items[after] if after is not None else None
        if following is not None and _wraps_into(item, following, widths):
            glue = "" if re.search(r"[\u4e00-\u9fff）)]$", item.text) or re.match(r"[\u4e00-\u9fff(（]", following.text) \
                else " "
            item = replace(item, text=item.text + glue + following.text,
                           confidence=min(item.confidence, following.confidence))
            joined.add(after)
        out.append(item)
    return out


def _standing(box) -> bool:
    left, right, top, bottom = _left_top_bottom(box)
    return bottom - top > 2 * max(1.0, right - left)


def _wraps_into(item, following, widths: dict[int, float]) -> bool:
    """``following`` is the rest of the address on ``item`` (see :func:`join_wrapped`)."""
    block = getattr(item, "block", 0)
    if getattr(following, "block", 0) != block:
        return False
    text, rest = normalise(item.text), normalise(following.text)
    if not _ADDRESS_KEY_RE.search(text) or not rest or len(rest) > 40:
        return False
    if re.search(r"[:：]", rest) or _KEY_RE.search(rest) or not re.search(r"[\u4e00-\u9fff]", rest) \
            or DATE_RE.search(_digits(rest)) or PHONE_RE.search(rest):
        return False
    left, right, top, bottom = _left_top_bottom(item.box)
    next_left, next_right, next_top, next_bottom = _left_top_bottom(following.box)
    height = max(1.0, min(bottom - top, next_bottom - next_top))
    return (right - left >= 0.6 * widths.get(block, right - left)
            and next_top - top < 2.2 * height and next_top > top + 0.4 * height
            and left - 0.8 * height <= next_left <= left + 0.5 * (right - left)
            and next_right <= right + height)


# an ink-jet code line: a date with a batch code or a stamp beside it, and no key
_CODE_LINE_RE = re.compile(r"^[^\u4e00-\u9fff:：]*[\u4e00-\u9fff]{0,2}[^\u4e00-\u9fff:：]*[\u4e00-\u9fff]{0,2}$")
# a line that is only a date (a factory letter or the time after it, a stamp's character before it)
_DATE_LINE_RE = re.compile(r"^[\u4e00-\u9fff]?(?:19|20)\d{2}([./\-]?)[01]\d\1[0-3]\d(?:[./\-]?[A-Z])?"
                           r"(?:[0-2]\d:[0-5]\d(?::[0-5]\d)?)?$")


def _bare_dates(fields: LabelFields, lines: list[str], expiry_elsewhere: bool) -> None:
    """Dates printed without a key (an ink-jet code: "20280629", "2025.06.21.Y") given their meaning.

    A date after today cannot be a production date: it is the date to use by (限期使用日期, 保质期至).
    When the label says its production date or its use-by date is printed elsewhere ("见包装",
    "见标注"), the bare date is that one; two bare dates are the production date and the use-by date;
    a lone past date alone on its line is the production date (a date beside a batch code is left
    unread: it may be the batch's own)."""
    found, only_dates = [], []
    for line in lines:
        if any(k for k, n, _ in _segments(line) if n):
            continue
        compact = _TIME_RE.sub(" ", line).strip()  # "2025.07.19 08:21": the printer's clock
        day, _ = _production_date(compact)
        compact = compact.replace(" ", "")
        if len(compact) > 24 or not _CODE_LINE_RE.match(compact):
            continue
        if day and day not in found:
            found.append(day)
            if _DATE_LINE_RE.match(compact) or _DATE_LINE_RE.match(_digits(compact)):
                only_dates.append(day)
    if not found:
        return
    today = date.today().isoformat()
    if len(found) == 2 and fields.production_date is None and fields.expiry_date is None and min(found) <= today:
        fields.production_date, fields.expiry_date = sorted(found)
        fields.date_elsewhere = False
        return
    later = sorted(d for d in found if d > today)
    past = sorted(d for d in found if d <= today)
    if fields.expiry_date is None and later:
        fields.expiry_date = later[0]
    elif fields.expiry_date is None and expiry_elsewhere and len(found) == 1 and not fields.date_elsewhere:
        fields.expiry_date = found[0]
    if fields.production_date is None and fields.date_elsewhere and len(past) == 1:
        fields.production_date = past[0]
        fields.date_elsewhere = False
    if fields.production_date is None and fields.expiry_date is None and found == only_dates == past:
        fields.production_date = past[0]  # a lone date, nothing else on its line: the date GB 7718 requires


def _apply_parties(fields: LabelFields, read_lines, lines: list[str]) -> None:
    """Maker, address and licence from one party (the one that made the goods), never mixed from two."""
    from evidence.labels.parties import find_parties, made_by, responsible_party

    parties = find_parties([(line, block) for line, block, _ in read_lines])
    if not parties:
        return
    fields.parties = [p.to_dict() for p in parties]
    chosen = responsible_party(parties, lines)
    if chosen is None:
        return
    coded = made_by(parties, lines)  # only the factory the date's letter names, never a guess
    fields.made_by = coded.name if coded else None
    if fields.production_date is None and any(p.code for p in parties):
        # coded factories: the ink-jet date that carries a factory letter ("2025.06.21.Y") is the production date
        from evidence.labels.parties import coded_date

        fields.production_date = coded_date(lines)
    fields.manufacturer = _clean_value(chosen.name) or fields.manufacturer
    if chosen.address:
        fields.address = _clean_value(chosen.address)
    elif any(p.address for p in parties):
        fields.address = None  # another party's address is not the maker's
    if chosen.licence:
        fields.license_no = read_licence(chosen.licence, "")


_TITLE_SKIP = re.compile(r"[:：]|\d{5}|^[\W\d_]+$")


# a section heading or a company is not a product's name
_NOT_A_NAME = re.compile(r"(?:成分|配料|营养|说明|注意|方法|须知|条件|信息|参数)表?$|表$|有限公?司?|公司|集团|厂$")


def _title_name(title: str | None) -> str | None:
    if title and re.search(r"[\u4e00-\u9fff]{2}", title) and not _TITLE_SKIP.search(title) \
            and not _NOT_A_NAME.search(normalise(title)):
        return title
    return None


def _prominent_title(source, lines: list[str]) -> str | None:
    """The product name as the label's largest line: at least 1.4 times the median text height, holding
    two Han characters, not a key line or a number."""
    if isinstance(source, str):
        return None
    items = [(item, normalise(str(getattr(item, "text", "")))) for item in source if getattr(item, "box", None)]
    if len(items) < 3:
        return None

    def height(item) -> float:
        (_, y0), (_, y1), (_, y2), (_, y3) = item.box[:4]
        return abs(((y3 - y0) + (y2 - y1)) / 2)

    heights = sorted(height(item) for item, _ in items)
    median = heights[len(heights) // 2]
    top = min(min(p[1] for p in item.box) for item, _ in items)
    bottom = max(max(p[1] for p in item.box) for item, _ in items)
    tall = [(height(item), min(p[1] for p in item.box), text) for item, text in items
            if height(item) >= 1.5 * median and getattr(item, "confidence", 1.0) >= 0.9 and _title_name(text)
            and not _KEY_RE.search(text) and len(text) <= 24
            and min(p[1] for p in item.box) <= top + 0.4 * (bottom - top)]
    if not tall:
        return None
    biggest = max(h for h, _, _ in tall)
    return min((y, text) for h, y, text in tall if h >= 0.85 * biggest)[1]  # the top one of the largest


_NUTRIENT_RE = re.compile(r"^(能量|蛋白质|脂肪|饱和脂肪|反式脂肪|碳水化合物|糖|膳食纤维|钠|钙|维生素[A-Z]\d?|胆固醇)"
                          r"\s*[:：]?\s*(\d+(?:\.\d+)?)\s*(千焦|kJ|KJ|克|g|毫克|mg|微克|μg)\s*(\d+(?:\.\d+)?\s*%)?")


def nutrition_table(lines: list[str]) -> list[dict]:
    """The rows of a GB 28050 nutrition table: item, amount per 100 g/mL or per serving, unit, NRV%."""
    rows = []
    for line in lines:
        for part in re.split(r"\s{2,}|(?<=%)\s+", line):
            found = _NUTRIENT_RE.match(part.strip())
            if found and found.group(1) not in {r["item"] for r in rows}:
                rows.append({"item": found.group(1), "amount": found.group(2), "unit": found.group(3),
                             "nrv": re.sub(r"\s", "", found.group(4) or "") or None})
    return rows


def _clean_value(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip(" :;,，。")
    return value or None


def _match(pattern: re.Pattern, value: str | None) -> str | None:
    if not value:
        return None
    found = pattern.search(value)
    return re.sub(r"\s+", "", found.group(0)) if found else None


def _shelf_words(value: str | None) -> str | None:
    """A shelf life in words ("三年", "十八个月") or printed elsewhere ("见包装"); not a stray word after
    the key ("有效期(EXPIRY)" on a bank slip)."""
    value = _clean_value(value)
    if value and re.search(r"[零一二三四五六七八九十两半百]+\s*(?:个月|年|天|日|周)|^见|长期", value):
        return value
    return None


def _phone(value: str | None) -> str | None:
    if not value:
        return None
    found = PHONE_RE.search(value.replace("—", "-").replace("–", "-"))
    return found.group(0).strip() if found else _clean_value(value)


def read_licence(value: str | None, text: str) -> str | None:
    """The licence number in its canonical form (SC/QS digits, XK, 妆), from the field or else the whole text."""
    for source in (value, text):
        if not source:
            continue
        compact = source.replace(" ", "")
        for pattern, prefix in ((SC_RE, "SC"), (QS_RE, "QS")):
            found = pattern.search(compact)
            if found:
                return prefix + _digits(found.group(1))
        found = XK_RE.search(source)
        if found:
            return re.sub(r"\s", "", found.group(0))
        found = COSMETIC_RE.search(source)
        if found:
            return f"{found.group(1)}妆{found.group(2)}"
    return _clean_value(value)


def _ccc(value: str | None) -> str | None:
    if not value:
        return None
    found = CCC_RE.search(_digits(value.replace(" ", "")))
    return found.group(1) if found else _clean_value(value)


def _credit_code(value: str | None) -> str | None:
    if not value:
        return None
    compact = re.sub(r"[\s\-]", "", value.upper())
    found = USCC_RE.search(compact)
    if not found:
        return _clean_value(compact)
    return found.group(1).translate(_USCC_CONFUSIONS)


def _barcode(value: str | None, lines: list[str]) -> str | None:
    candidates = [value] if value else []
    candidates += [line for line in lines if re.fullmatch(r"[\dOoIlZBS\s]{8,17}", line)]
    for candidate in candidates:
        compact = _digits(re.sub(r"\s", "", candidate))
        found = EAN_RE.search(compact)
        if found and (len(found.group(1)) == 13 or compact == found.group(1)):
            return found.group(1)
    return None


def _standards(value: str | None) -> list[str]:
    if not value:
        return []
    found = [re.sub(r"\s+", "", s) for s in STANDARD_RE.findall(value)]
    return [re.sub(r"^((?:GB|QB|NY|SB|LS|HG|JB)(?:/T)?|DB\d{2}(?:/T)?)(?=\d)", r"\1 ", s) for s in found]


_TIME_RE = re.compile(r"(?<!\d)[0-2]?\d[:：][0-5]\d(?:[:：][0-5]\d)?(?!\d)")


def _production_date(value: str | None) -> tuple[str | None, bool]:
    if not value:
        return None, False
    if ELSEWHERE_RE.search(value):
        return None, True
    if not re.search(r"\d", value):
        return None, False
    # the time after an ink-jet date ("2025-05-20 08:32") and a batch after a space ("20250702 1A") are not
    # part of it: read with the spaces first, then without (a date printed "2025 05 13")
    value = _TIME_RE.sub(" ", value)
    found = DATE_RE.search(_digits(re.sub(r"\s+", " ", value))) or DATE_RE.search(_digits(value.replace(" ", "")))
    if not found:
        return None, False
    year = int(found.group("y"))
    month = int(found.group("m") or found.group("m2"))
    day = int(found.group("d") or found.group("d2"))
    try:
        return date(year, month, day).isoformat(), False
    except ValueError:
        return None, False


# --- product type --------------------------------------------------------------------------------

TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "food": ("配料", "食品", "保质期", "贮存条件", "储存条件", "营养成分", "SC", "食用", "饮料", "乳", "奶粉", "饼干",
             "方便面", "糖果", "调味", "食用油", "酱油", "汽水", "饮用水"),
    "toiletry": ("洗发", "护发", "沐浴", "香皂", "洗衣", "洗洁精", "妆", "牙膏", "洗手液", "清洁剂", "日化", "花露水",
                 "驱蚊", "皂粉", "洗涤剂", "消毒液", "护肤", "面霜"),
    "appliance": ("额定电压", "额定功率", "电热水壶", "电饭煲", "电饭锅", "豆浆机", "电暖器", "暖风机", "电磁炉",
                  "吹风机", "取暖器", "电器"),
    "electrical": ("插座", "转换器", "断路器", "开关", "电线", "电缆", "插头", "漏电保护", "排插"),
    "toy": ("玩具", "推车", "童车", "儿童安全座椅", "积木"),
    "fertilizer": ("肥料", "复合肥", "尿素", "总养分", "肥料登记证", "氮磷钾", "农资"),
}


def guess_product_type(text: str, fields: LabelFields | None = None) -> str:
    """food / toiletry / appliance / electrical / toy / fertilizer, or 'unknown', from the words printed."""
    name = (fields.product_name or "") if fields else ""
    scores = {}
    for kind, words in TYPE_WORDS.items():
        score = sum(2 for w in words if w in name) + sum(1 for w in words if w in text)
        scores[kind] = score
    if fields and fields.license_no and fields.license_no.startswith(("SC", "QS")):
        scores["food"] += 3
    if fields and fields.license_no and "妆" in fields.license_no:
        scores["toiletry"] += 3
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else "unknown"


def is_infant_formula(text: str) -> bool:
    return bool(re.search(r"婴[幼]?儿.{0,6}配方|较大婴儿|幼儿配方|特殊医学用途", text))


def is_health_food(text: str) -> bool:
    return "保健食品" in text or bool(re.search(r"国食健|食健备|卫食健", text))


def decode_label_text(data: bytes, where: str = "<text>") -> tuple[str, list[str]]:
    """Text of a label file that may mix UTF-8 and GBK lines (copied from different systems).

    Returns (text, encodings used).  Each line is decoded on its own: UTF-8 first, then GB18030
    (a superset of GBK); a line that is neither is an InputError naming its number.
    """
    from safeio.errors import InputError

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), ["utf-16"]
    if b"\x00" in data:
        raise InputError("this is not a text file (it holds binary data)", path=where,
                         hint="Give a plain text file with the label's words, one line per printed line.")
    lines, used = [], []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        for encoding in ("utf-8", "gb18030"):
            try:
                lines.append(raw.decode(encoding).rstrip("\r"))
                if raw.strip() and raw.decode("ascii", errors="ignore") != raw.decode(encoding):
                    used.append(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError("a line is neither UTF-8 nor GBK text", path=where, row=number,
                             hint="Save the file as UTF-8 (Notepad: 'Save as', encoding UTF-8) and try again.")
    return "\n".join(lines), sorted(set(used)) or ["ascii"]
