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

from evidence.labels.label_keys import (
    _KEY_FIELD,
    _KEY_INDEX,
    _KEY_RE,
    _USCC_CONFUSIONS,
    ADDRESS_RE,
    CCC_RE,
    COSMETIC_RE,
    DATE_RE,
    EAN_RE,
    ELSEWHERE_RE,
    FIELD_NAMES,
    KEYS,
    MAKER_RE,
    NET_LINE_RE,
    NET_RE,
    PHONE_RE,
    QS_RE,
    REGISTRATION_RE,
    SC_RE,
    SHELF_RE,
    STANDARD_RE,
    USCC_RE,
    XK_RE,
    _digits,
    normalise,
)
from evidence.labels.label_titles import nutrition_table, prominent_title, title_name
from evidence.labels.label_wrapping import join_wrapped

__all__ = ["FIELD_NAMES", "KEYS", "LabelFields", "decode_label_text", "extract_fields", "guess_product_type",
           "is_health_food", "is_infant_formula", "join_wrapped", "normalise", "read_credit_code", "read_digits",
           "read_licence"]

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
        fields.product_name = prominent_title(source, lines) or title_name(fields.title)
    fields.nutrition = nutrition_table(lines)
    fields.product_type = guess_product_type(text, fields)
    for name in ("product_name", "manufacturer", "address", "title", "brand"):
        setattr(fields, name, _as_read(getattr(fields, name), read_lines))
    return fields


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
