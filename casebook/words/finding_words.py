"""The words of the findings, in Chinese and English: one place per language.

The libraries return a finding as its code, severity, legal basis, evidence and the *values* its
message needs (codes, numbers, names as printed); :func:`describe` says it in a language, and
:func:`with_words` gives a finding's record the ``message`` and ``message_en`` people read.  Every
place that shows a finding (the command line, the dossier, the capture records, the patrol table)
goes through here.
"""

from __future__ import annotations

from evidence.labels.finding_rules import PROVINCES
from evidence.labels.mark_tricks import Trick

__all__ = ["LANGS", "MESSAGES", "PIECES", "describe", "lookalike_words", "trick_words", "with_words"]

LANGS = ("zh", "en")

# One message per finding code; {placeholders} are filled from the finding's values (see _FILL).
MESSAGES = {
    "zh": {
        "three_no": "疑似“三无”产品：标签未标注生产者名称和地址{extra}",
        "obsolete_qs_mark": "使用已废止的“QS”标志（{license}），生产日期 {date} 在 2018-10-01 或之后",
        "bad_barcode_checksum": "商品条码 {barcode} 校验位错误（应为 {expected}），疑似伪造或印刷错误",
        "bad_credit_code_checksum": "统一社会信用代码 {code} 校验位不符（应为 {expected}），需核实（早期试点代码亦可能不通过校验）",
        "license_region_mismatch": "生产许可证 {license} 的省级代码 {code}（{licence_province}）与生产者地址所在省份"
                                   "（{address_province}）不一致",
        "missing_ccc": "{product} 属强制性产品认证（CCC）目录产品，标签未见 CCC 标志或证书编号",
        "brand_lookalike": "商品名称“{matched}”疑似仿冒知名品牌“{brand}”（{owner}）：{reasons}",
        "prohibited_claim": "标签含禁止声称：“{claim}”{extra}",
        "zero_additive_claim": "标签含“{claim}”类声称，GB 7718-2025 自 2027-03-16 起禁止",
        "missing_registration": "{kind}未标注{number}",
        "needs_review": "识读不确定，未作认定：{what}；请人工核对原图（两次识读：{readings}）",
        "not_visible": "{where}未见：{items}（未见不等于产品未标注：其他面未拍摄；拍全各面或由执法人员确认后方可认定缺项）",
        "missing_product_name": "标签未标注产品名称",
        "missing_manufacturer": "标签未标注生产者名称",
        "missing_address": "标签未标注生产者地址",
        "missing_phone": "食品标签未标注生产者联系方式",
        "missing_license_no": "食品标签未标注食品生产许可证编号",
        "missing_production_date": "标签未标注生产日期",
        "missing_shelf_life": "标签未标注保质期",
        "missing_net_content": "标签未标注净含量",
        "missing_standards": "食品标签未标注产品标准代号",
        "ccc_not_shown": "{product}属强制性产品认证目录产品（{catalogue}），页面未展示 CCC 证书编号，需核实是否获证",
        "ccc_malformed": "CCC 证书编号“{number}”不符合编号规则：{reason}",
        "ccc_not_registered": "CCC 证书编号 {number} 在证书登记表（{register}）中查无此证，需在认证认可信息公共服务平台核实",
        "ccc_suspended": "CCC 证书 {number} 自 {changed} 起暂停，{sale_date} 销售时证书处于暂停状态",
        "ccc_withdrawn": "CCC 证书 {number} 已于 {changed} 被撤销，{sale_date} 仍在销售",
        "ccc_cancelled": "CCC 证书 {number} 已于 {changed} 注销，{sale_date} 仍在销售",
        "ccc_expired": "CCC 证书 {number} 有效期至 {expires}，{sale_date} 销售时已过期",
        "ccc_other_maker": "CCC 证书 {number} 属于“{holder}”，与商品标示的生产者“{maker}”不一致，疑似借用或冒用他人证书",
        "ccc_model_not_covered": "型号“{model}”不在 CCC 证书 {number} 覆盖的型号内（证书型号：{models}）",
        "absolute_term": "使用绝对化用语“{term}”（{phrase}）",
        "medical_claim": "{kind}宣传疾病预防、治疗功能或使用医疗用语：“{term}”（{phrase}）",
        "health_food_claim": "保健食品宣传超出允许范围：“{term}”（{reason}）",
    },
    "en": {
        "three_no": "Suspected three-no product: the label names no maker and no address{extra}",
        "obsolete_qs_mark": "Abolished QS mark ({license}) on a product made on {date}, on or after 2018-10-01",
        "bad_barcode_checksum": "Barcode {barcode} has a wrong check digit (should be {expected}): forged or misprinted?",
        "bad_credit_code_checksum": "Credit code {code} fails its check character (should be {expected}); check it "
                                    "(early pilot codes may fail too)",
        "license_region_mismatch": "Licence {license}: its province code {code} ({licence_province}) is not the "
                                   "maker's province ({address_province})",
        "missing_ccc": "{product} is in the compulsory certification (CCC) catalogue, but the label shows no CCC mark "
                       "or certificate number",
        "brand_lookalike": "The name “{matched}” imitates the well-known mark “{brand}” ({owner}): {reasons}",
        "prohibited_claim": "Prohibited claim on the label: “{claim}”{extra}",
        "zero_additive_claim": "A “{claim}” claim, banned by GB 7718-2025 from 2027-03-16",
        "missing_registration": "{kind} without its {number}",
        "needs_review": "Reading uncertain, nothing alleged: {what}; check the photo by eye (readings: {readings})",
        "not_visible": "Not visible {where}: {items} (not visible is not missing: other sides were not photographed; "
                       "photograph every side, or an officer must confirm, before anything is called missing)",
        "missing_product_name": "No product name on the label",
        "missing_manufacturer": "No maker's name on the label",
        "missing_address": "No maker's address on the label",
        "missing_phone": "No maker's contact on the food label",
        "missing_license_no": "No food production licence number on the food label",
        "missing_production_date": "No production date on the label",
        "missing_shelf_life": "No shelf life on the label",
        "missing_net_content": "No net content on the label",
        "missing_standards": "No product standard code on the food label",
        "ccc_not_shown": "{product} is in the CCC catalogue ({catalogue}) but the page shows no CCC certificate "
                         "number: check that it is certified",
        "ccc_malformed": "CCC certificate number “{number}” does not follow the numbering rule: {reason}",
        "ccc_not_registered": "CCC certificate {number} is not in the register ({register}): check it on the public "
                              "certification database",
        "ccc_suspended": "CCC certificate {number} is suspended since {changed}; the goods were on sale on {sale_date}",
        "ccc_withdrawn": "CCC certificate {number} was withdrawn on {changed}; the goods were on sale on {sale_date}",
        "ccc_cancelled": "CCC certificate {number} was cancelled on {changed}; the goods were on sale on {sale_date}",
        "ccc_expired": "CCC certificate {number} expired on {expires}; the goods were on sale on {sale_date}",
        "ccc_other_maker": "CCC certificate {number} belongs to “{holder}”, not to the maker shown, “{maker}”: a "
                           "borrowed or misused certificate?",
        "ccc_model_not_covered": "Model “{model}” is not covered by CCC certificate {number} (certified models: {models})",
        "absolute_term": "Absolute term “{term}” ({phrase})",
        "medical_claim": "{kind} claims to prevent or treat disease or uses medical terms: “{term}” ({phrase})",
        "health_food_claim": "Health-food claim beyond what may be said: “{term}” ({reason})",
    },
}

# The words the values are said with: items a label prints, what a review holds back, the goods' kinds ...
PIECES = {
    "zh": {
        "list": "、", "also": "，亦未标注", "this_product": "该产品", "owner": "品牌方", "reasons": "；",
        "trick_form": "both",  # the Chinese message quotes each trick in both languages (形近 glyph: 师→帅)
        "no_readings": "无", "no_date": "（日期未载明）", "unknown_province": "未知省份代码",
        "also_items": {"production_date": "生产日期", "license_no": "生产许可证编号"},
        "items": {"product_name": "产品名称", "manufacturer": "生产者名称", "address": "生产者地址",
                  "phone": "生产者联系方式", "license_no": "食品生产许可证编号", "production_date": "生产日期",
                  "shelf_life": "保质期", "net_content": "净含量", "standards": "产品标准代号",
                  "ccc_cert_no": "CCC 标志或证书编号"},
        "where": {"photo": "本照片", "item": "本物品各照片均"},
        "claim_extra": {"disease": "（普通食品不得声称疾病预防、治疗功能）",
                        "health": "（未标注保健食品注册或备案号，不得声称保健功能）"},
        "registration": {"infant_formula": ("婴幼儿配方乳粉", "产品配方注册号（国食注字）"),
                         "health_food": ("保健食品", "保健食品注册号或备案号（国食健注/食健备）")},
        "goods": {"general": "该商品", "food": "普通食品", "health_food": "保健食品", "medicine": "药品或医疗器械"},
        # 广告法 第十八条: what a health food may not say, in the statute's words
        "health_reasons": {"disease": "涉及疾病预防、治疗功能", "guarantee": "功效、安全性的断言或者保证",
                           "necessary": "声称或者暗示为保障健康所必需", "drug_comparison": "与药品进行比较",
                           "endorsement": "利用专家、医生、患者名义作推荐、证明"},
        "number_problems": {"not_digits": "含有数字以外的字符", "length": "应为16位数字，实为{digits}位",
                            "year": "发证年度 {year} 不在 {first_year}–{latest} 之间", "body": "认证机构代码为 00",
                            "category": "产品类别代码为 00", "serial": "顺序号为 000000"},
        "review": {
            "health_claim_unseen_number": "保健功能声称，本照片未见保健食品注册或备案号（可能印于其他面）",
            "three_no_unread": "三无判断（未识读到生产者名称和地址）",
            "ccc_unread": "未识读到 CCC 证书编号（识读质量差）",
            "photos_poor": "各照片识读质量差，无法判断标签缺项",
            "qs_no_date": "QS 标志，但未识读到生产日期，无法判断是否晚于 2018-10-01",
            "qs_doubtful": "疑似 QS 标志 {license}",
            "barcode_check": "商品条码 {barcode} 校验位不符{note}",
            "credit_check": "统一社会信用代码 {code} 校验位不符{note}",
            "licence_region": "许可证 {license} 与地址省份不一致{note}",
            "names_differ": "名称两处识读不一致（{first} / {second}）",
            "maker_is_owner": "生产者为正品品牌方，疑为识读误差",
            "name_unsure": "疑似仿冒“{brand}”的名称“{matched}”识读置信度不足",
            "mark_alternative": "品牌“{mark}”的“{char}”字，识别器亦见形近字“{other}”（{share}），"
                                "可能为仿冒名称“{variant}”，请目视核对包装",
        },
        "repair_note": "；一处常见识读混淆即可使其有效：{fixes}",
        "tricks": {"glyph": "形近", "radical_added": "加偏旁", "radical_dropped": "减偏旁", "sound": "音近",
                   "near_sound": "近音", "number": "数字替换", "split": "拆字", "merge": "并字", "reorder": "颠倒",
                   "added": "加字", "removed": "减字", "prefix": "加前缀", "suffix": "加后缀", "latin": "英文仿写",
                   "pinyin": "拼音仿写", "changed": "改字"},
    },
    "en": {
        "list": ", ", "also": "; nor ", "this_product": "This product", "owner": "its owner", "reasons": "; ",
        "trick_form": "en",
        "no_readings": "none", "no_date": "(date not given)", "unknown_province": "unknown province code",
        "also_items": {"production_date": "production date", "license_no": "licence number"},
        "items": {"product_name": "product name", "manufacturer": "maker's name", "address": "maker's address",
                  "phone": "maker's contact", "license_no": "food production licence number",
                  "production_date": "production date", "shelf_life": "shelf life", "net_content": "net content",
                  "standards": "product standard code", "ccc_cert_no": "CCC mark or certificate number"},
        "where": {"photo": "on this photo", "item": "on any photo of this item"},
        "claim_extra": {"disease": " (no food may claim to prevent or treat disease)",
                        "health": " (health functions need a health-food registration or filing number)"},
        "registration": {"infant_formula": ("Infant formula", "formula registration number (国食注字)"),
                         "health_food": ("Health food", "registration or filing number (国食健注/食健备)")},
        "goods": {"general": "The product", "food": "An ordinary food", "health_food": "A health food",
                  "medicine": "A medicine or device"},
        "health_reasons": {"disease": "disease prevention or treatment",
                           "guarantee": "an assertion or guarantee of efficacy or safety",
                           "necessary": "claims to be necessary for health", "drug_comparison": "a comparison with drugs",
                           "endorsement": "an endorsement by experts, doctors or patients"},
        "number_problems": {"not_digits": "it holds characters other than digits",
                            "length": "it should have 16 digits, not {digits}",
                            "year": "the year {year} is outside {first_year}-{latest}",
                            "body": "the certification body code is 00", "category": "the product category code is 00",
                            "serial": "the serial is 000000"},
        "review": {
            "health_claim_unseen_number": "a health-function claim; no registration number on this photo "
                                          "(it may be on another side)",
            "three_no_unread": "three-no (no maker name and address read)",
            "ccc_unread": "no CCC certificate number read (poor photo)",
            "photos_poor": "every photo read poorly: absences cannot be judged",
            "qs_no_date": "a QS mark, but no production date read to compare with 2018-10-01",
            "qs_doubtful": "a QS mark {license}?",
            "barcode_check": "barcode {barcode} fails its check digit{note}",
            "credit_check": "credit code {code} fails its check character{note}",
            "licence_region": "licence {license} does not match the address's province{note}",
            "names_differ": "the name reads differently in two places ({first} / {second})",
            "maker_is_owner": "the maker is the genuine mark's owner: a misreading?",
            "name_unsure": "the name “{matched}” (like “{brand}”) was not read with confidence",
            "mark_alternative": "the mark “{mark}” was read, but the recogniser also saw “{other}” for “{char}” "
                                "({share}): possibly the copy “{variant}”; check the package by eye",
        },
        "repair_note": "; one common OCR confusion would make it valid: {fixes}",
        "tricks": {"glyph": "glyph", "radical_added": "radical added", "radical_dropped": "radical dropped",
                   "sound": "sound", "near_sound": "near sound", "number": "number swap",
                   "split": "split into components", "merge": "components merged", "reorder": "reordered characters",
                   "added": "added character", "removed": "removed character", "prefix": "added prefix",
                   "suffix": "added suffix", "latin": "Latin imitation", "pinyin": "pinyin imitation",
                   "changed": "changed character"},
    },
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def _trick(trick) -> Trick:
    if isinstance(trick, Trick):
        return trick
    return Trick(trick.get("kind", "changed"), trick.get("genuine") or "", trick.get("seen") or "")


def trick_words(trick, lang: str = "both") -> str:
    """One lookalike trick (a :class:`Trick` or its dict) in words: ``形近：师→帅`` (zh), ``glyph: 师→帅``
    (en), or ``形近 glyph: 师→帅`` (both, as the findings quote it)."""
    trick = _trick(trick)
    zh, en = PIECES["zh"]["tricks"].get(trick.kind, trick.kind), PIECES["en"]["tricks"].get(trick.kind, trick.kind)
    name = {"zh": zh, "en": en}.get(lang, f"{zh} {en}")
    separator = "：" if lang == "zh" else ": "
    return f"{name}{separator}{trick.change}" if trick.change else name


def lookalike_words(look: dict) -> dict:
    """A lookalike record (``Lookalike.to_dict`` / ``to_record``) with its ``reasons`` said from its tricks,
    in both languages (``形近 glyph: 师→帅``)."""
    if not look.get("tricks"):
        return dict(look)
    return {**look, "reasons": list(dict.fromkeys(trick_words(t, "both") for t in look["tricks"]))}


def _review(values: dict, w: dict) -> dict:
    what = values.get("what", "")
    fixes = values.get("fixes") or []
    note = w["repair_note"].format(fixes=" / ".join(fixes)) if fixes else ""
    places = [*(values.get("places") or []), "", ""]
    template = w["review"].get(what)
    text = what if template is None else template.format_map(
        _Missing({**values, "note": note, "first": places[0], "second": places[1]}))
    readings = values.get("readings") or []
    return {"what": text, "readings": " / ".join(readings) or w["no_readings"]}


def _three_no(values: dict, w: dict) -> dict:
    also = [w["also_items"].get(name, name) for name in values.get("also") or []]
    return {"extra": w["also"] + w["list"].join(also) if also else ""}


def _region(values: dict, w: dict) -> dict:
    # province names as printed on licences, in both languages
    names = "、".join(PROVINCES[c][0] for c in values.get("licence_provinces") or [] if c in PROVINCES)
    where = values.get("address_province")
    return {"licence_province": names or w["unknown_province"],
            "address_province": PROVINCES[where][0] if where in PROVINCES else where}


def _lookalike(values: dict, w: dict) -> dict:
    said = (trick_words(t, w["trick_form"]) for t in values.get("tricks") or [])
    return {"owner": values.get("owner") or w["owner"], "reasons": w["reasons"].join(dict.fromkeys(said))}


def _claim(values: dict, w: dict) -> dict:
    # the claims are quoted as printed, in both languages
    return {"claim": "、".join(values.get("claims") or []), "extra": w["claim_extra"].get(values.get("kind"), "")}


def _registration(values: dict, w: dict) -> dict:
    kind, number = w["registration"].get(values.get("kind"), (values.get("kind"), ""))
    return {"kind": kind, "number": number}


def _not_visible(values: dict, w: dict) -> dict:
    return {"where": w["where"].get(values.get("where"), values.get("where")),
            "items": w["list"].join(w["items"].get(n, n) for n in values.get("items") or [])}


def _malformed(values: dict, w: dict) -> dict:
    problem = values.get("problem")
    return {"reason": w["number_problems"].get(problem, problem or "").format_map(_Missing(values))}


def _dates(values: dict, w: dict) -> dict:
    return {key: values.get(key) or w["no_date"] for key in ("changed", "expires")}


_FILL = {
    "needs_review": _review, "three_no": _three_no, "license_region_mismatch": _region, "brand_lookalike": _lookalike,
    "missing_ccc": lambda v, w: {"product": v.get("product") or w["this_product"]},
    "prohibited_claim": _claim, "missing_registration": _registration, "not_visible": _not_visible,
    "ccc_malformed": _malformed, "ccc_suspended": _dates, "ccc_withdrawn": _dates, "ccc_cancelled": _dates,
    "ccc_expired": _dates,
    "medical_claim": lambda v, w: {"kind": w["goods"].get(v.get("kind"), v.get("kind"))},
    "health_food_claim": lambda v, w: {"reason": w["health_reasons"].get(v.get("reason"), v.get("reason"))},
}


def describe(finding, lang: str = "zh") -> str:
    """The message of one finding in ``lang`` ("zh" or "en").

    Parameters
    ----------
    finding : a Finding (evidence.labels.screening), a Flag (evidence.certification.rule_flags), or the
        dict form of either (``code`` and ``values``).
    lang : {"zh", "en"}

    Returns
    -------
    str
        The message; a code without words says its code.
    """
    if isinstance(finding, dict):
        code, values = finding.get("code", ""), finding.get("values") or {}
    else:
        code, values = finding.code, finding.values
    lang = _lang(lang)
    w = PIECES[lang]
    template = MESSAGES[lang].get(code)
    if template is None:
        return code
    fill = _FILL.get(code)
    filled = fill(values, w) if fill else {}
    return template.format_map(_Missing({**values, **filled}))


class _Missing(dict):
    """Format values where a value the template names is absent: shown as an empty string."""

    def __missing__(self, key: str) -> str:
        return ""


def with_words(record: dict) -> dict:
    """A finding's record (``Finding.to_dict``, ``Flag.to_dict``) as people read it: ``message`` and
    ``message_en`` in place of ``values``, and a lookalike's reasons in words.  A record that already
    has its words (kept from an earlier run) is returned as it is."""
    if "values" not in record:
        return dict(record)
    out = {"code": record.get("code"), "severity": record.get("severity"), "message": describe(record, "zh")}
    for key in ("basis", "evidence"):
        if key in record:
            out[key] = record[key]
    out["message_en"] = describe(record, "en")
    for key, value in record.items():
        if key not in out and key != "values":
            out[key] = value
    details = out.get("details")
    if isinstance(details, dict) and isinstance(details.get("lookalike"), dict):
        out["details"] = {**details, "lookalike": lookalike_words(details["lookalike"])}
    if isinstance(out.get("lookalike"), dict):
        out["lookalike"] = lookalike_words(out["lookalike"])
    return out
