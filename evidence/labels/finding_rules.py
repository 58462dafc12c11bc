"""The screening rules: each finding code with its severity, Chinese message and legal basis.

Sources (docs/domain.md, "Labels"): GB 7718-2011 《预包装食品标签通则》 (and GB 7718-2025, in force 2027-03-16);
《中华人民共和国食品安全法》 (2021 revision) arts. 67, 71, 76, 81; 《中华人民共和国产品质量法》 art. 27;
《中华人民共和国认证认可条例》 art. 28 and 《强制性产品认证管理规定》; 《食品生产许可管理办法》
(QS mark abolished for food produced from 2018-10-01; SC numbers); GB 32100-2015 (USCC);
GB 12904-2008 (EAN-13); 《中华人民共和国反不正当竞争法》 (confusion clause) and 《商标法》 art. 57.
Article numbers are as publicly reported: verify against the primary text before a dossier
quotes them as law.

Severities: ``violation`` (the label breaks a rule on its face), ``warning`` (a strong sign that
needs an officer's check: a failed check digit can be a pilot-era code or a misprint),
``needs_review`` (the reading itself is uncertain: both readings are given, nothing is alleged),
``info`` (what the photos of an item do not show: not visible, never "missing").
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ACCUSING_CODES", "CCC_PRODUCT_TYPES", "DISEASE_CLAIMS", "HEALTH_CLAIMS", "MANDATORY", "PROVINCES",
           "QS_CUTOFF", "RULES", "SCORED_CODES", "THREE_NO_SUBSUMES", "ZERO_ADDITIVE", "Rule"]


@dataclass(frozen=True)
class Rule:
    """One finding code: its severity, its message (zh-CN and English) and its legal basis."""

    code: str
    severity: str
    message: str  # zh-CN; {placeholders} filled by the screener
    basis: str
    message_en: str = ""  # English; the same placeholders (the screener passes English values where needed)


_FOOD_LABEL = "GB 7718-2011《预包装食品标签通则》4.1；《中华人民共和国食品安全法》第六十七条"
_GOODS_LABEL = "《中华人民共和国产品质量法》第二十七条"
_CCC_BASIS = "《中华人民共和国认证认可条例》第二十八条；《强制性产品认证管理规定》"

RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("three_no", "violation",
         "疑似“三无”产品：标签未标注生产者名称和地址{extra}",
         "《中华人民共和国产品质量法》第二十七条第（二）项；食品：GB 7718-2011 4.1.6、《食品安全法》第六十七条",
         message_en='Suspected three-no product: the label names no maker and no address{extra}'),
    Rule("obsolete_qs_mark", "violation",
         "使用已废止的“QS”标志（{license}），生产日期 {date} 在 2018-10-01 或之后",
         "《食品生产许可管理办法》：2018年10月1日及以后生产的食品一律不得继续使用原包装、标签和“QS”标志，"
         "应标注“SC”食品生产许可证编号",
         message_en='Abolished QS mark ({license}) on a product made on {date}, on or after 2018-10-01'),
    Rule("bad_barcode_checksum", "warning",
         "商品条码 {barcode} 校验位错误（应为 {expected}），疑似伪造或印刷错误",
         "GB 12904-2008《商品条码 零售商品编码与条码表示》校验码计算；《商品条码管理办法》",
         message_en='Barcode {barcode} has a wrong check digit (should be {expected}): forged or misprinted?'),
    Rule("bad_credit_code_checksum", "warning",
         "统一社会信用代码 {code} 校验位不符（应为 {expected}），需核实（早期试点代码亦可能不通过校验）",
         "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》",
         message_en='Credit code {code} fails its check character (should be {expected}); check it (early pilot codes may fail too)'),
    Rule("license_region_mismatch", "warning",
         "生产许可证 {license} 的省级代码 {code}（{licence_province}）与生产者地址所在省份（{address_province}）不一致",
         "《食品生产许可管理办法》（SC 编号中第4-5位为省级行政区划代码，GB/T 2260）；化妆品生产许可证编号规则",
         message_en="Licence {license}: its province code {code} ({licence_province}) is not the maker's province ({address_province})"),
    Rule("missing_ccc", "violation",
         "{product} 属强制性产品认证（CCC）目录产品，标签未见 CCC 标志或证书编号",
         "《中华人民共和国认证认可条例》第二十八条；《强制性产品认证管理规定》；《强制性产品认证目录》",
         message_en='{product} is in the compulsory certification (CCC) catalogue, but the label shows no CCC mark or certificate number'),
    Rule("brand_lookalike", "warning",
         "商品名称“{matched}”疑似仿冒知名品牌“{brand}”（{owner}）：{reasons}",
         "《中华人民共和国反不正当竞争法》混淆行为条款（2019年版第六条，2025年修订版第七条）；"
         "《中华人民共和国商标法》第五十七条",
         message_en='The name “{matched}” imitates the well-known mark “{brand}” ({owner}): {reasons}'),
    Rule("prohibited_claim", "violation",
         "标签含禁止声称：“{claim}”{extra}",
         "《中华人民共和国食品安全法》第七十一条（不得涉及疾病预防、治疗功能）；《中华人民共和国广告法》第十七条；"
         "保健功能仅限注册或备案的保健食品（《食品安全法》第七十六条）",
         message_en='Prohibited claim on the label: “{claim}”{extra}'),
    Rule("zero_additive_claim", "warning",
         "标签含“{claim}”类声称，GB 7718-2025 自 2027-03-16 起禁止",
         "GB 7718-2025《食品安全国家标准 预包装食品标签通则》（2027年3月16日实施）",
         message_en='A “{claim}” claim, banned by GB 7718-2025 from 2027-03-16'),
    Rule("missing_registration", "violation",
         "{kind}未标注{number}",
         "《中华人民共和国食品安全法》第八十一条（婴幼儿配方乳粉产品配方注册）、第七十六条（保健食品注册或备案）",
         message_en='{kind} without its {number}'),
    Rule("needs_review", "needs_review",
         "识读不确定，未作认定：{what}；请人工核对原图（两次识读：{readings}）",
         "证据审慎原则：单个OCR字符不得作为认定伪造的唯一依据",
         message_en='Reading uncertain, nothing alleged: {what}; check the photo by eye (readings: {readings})'),
    Rule("not_visible", "info",
         "{where}未见：{items}（未见不等于产品未标注：其他面未拍摄；拍全各面或由执法人员确认后方可认定缺项）",
         "证据审慎原则：照片未拍到的内容不得认定为标签未标注",
         message_en="Not visible {where_en}: {items_en} (not visible is not missing: other sides were not "
                    "photographed; photograph every side, or an officer must confirm, before anything is called missing)"),
    Rule("missing_product_name", "warning", "标签未标注产品名称", f"{_FOOD_LABEL}；{_GOODS_LABEL}第（一）项",
         message_en='No product name on the label'),
    Rule("missing_manufacturer", "warning", "标签未标注生产者名称", f"{_FOOD_LABEL}；{_GOODS_LABEL}第（二）项",
         message_en="No maker's name on the label"),
    Rule("missing_address", "warning", "标签未标注生产者地址", f"{_FOOD_LABEL}；{_GOODS_LABEL}第（二）项",
         message_en="No maker's address on the label"),
    Rule("missing_phone", "warning", "食品标签未标注生产者联系方式", "GB 7718-2011 4.1.6.1",
         message_en="No maker's contact on the food label"),
    Rule("missing_license_no", "violation", "食品标签未标注食品生产许可证编号", "GB 7718-2011 4.1.9；《食品安全法》第六十七条",
         message_en='No food production licence number on the food label'),
    Rule("missing_production_date", "warning", "标签未标注生产日期", "GB 7718-2011 4.1.7；《产品质量法》第二十七条第（四）项",
         message_en='No production date on the label'),
    Rule("missing_shelf_life", "warning", "标签未标注保质期", "GB 7718-2011 4.1.7",
         message_en='No shelf life on the label'),
    Rule("missing_net_content", "warning", "标签未标注净含量", "GB 7718-2011 4.1.5",
         message_en='No net content on the label'),
    Rule("missing_standards", "warning", "食品标签未标注产品标准代号", "GB 7718-2011 4.1.10",
         message_en='No product standard code on the food label'),
    # CCC certificates (evidence.certification): the catalogue, the number's structure, the register.
    Rule("ccc_not_shown", "warning",
         "{product}属强制性产品认证目录产品（{catalogue}），页面未展示 CCC 证书编号，需核实是否获证",
         _CCC_BASIS,
         message_en="{product} is in the CCC catalogue ({catalogue}) but the page shows no CCC certificate number: "
                    "check that it is certified"),
    Rule("ccc_malformed", "warning",
         "CCC 证书编号“{number}”不符合编号规则：{reason}",
         "《强制性产品认证证书和标志管理要求》（国家认监委2023年第12号公告）：16位编号=发证年度4位+认证机构2位+"
         "产品类别4位+顺序号6位",
         message_en="CCC certificate number “{number}” does not follow the numbering rule: {reason}"),
    Rule("ccc_not_registered", "warning",
         "CCC 证书编号 {number} 在证书登记表（{register}）中查无此证，需在认证认可信息公共服务平台核实",
         _CCC_BASIS,
         message_en="CCC certificate {number} is not in the register ({register}): check it on the public "
                    "certification database"),
    Rule("ccc_suspended", "violation",
         "CCC 证书 {number} 自 {changed} 起暂停，{sale_date} 销售时证书处于暂停状态",
         _CCC_BASIS + "（证书暂停期间，产品不得出厂、销售）",
         message_en="CCC certificate {number} is suspended since {changed}; the goods were on sale on {sale_date}"),
    Rule("ccc_withdrawn", "violation",
         "CCC 证书 {number} 已于 {changed} 被撤销，{sale_date} 仍在销售",
         _CCC_BASIS + "（证书撤销后，产品不得出厂、销售）",
         message_en="CCC certificate {number} was withdrawn on {changed}; the goods were on sale on {sale_date}"),
    Rule("ccc_cancelled", "violation",
         "CCC 证书 {number} 已于 {changed} 注销，{sale_date} 仍在销售",
         _CCC_BASIS + "（证书注销后，产品不得出厂、销售）",
         message_en="CCC certificate {number} was cancelled on {changed}; the goods were on sale on {sale_date}"),
    Rule("ccc_expired", "violation",
         "CCC 证书 {number} 有效期至 {expires}，{sale_date} 销售时已过期",
         _CCC_BASIS,
         message_en="CCC certificate {number} expired on {expires}; the goods were on sale on {sale_date}"),
    Rule("ccc_other_maker", "warning",
         "CCC 证书 {number} 属于“{holder}”，与商品标示的生产者“{maker}”不一致，疑似借用或冒用他人证书",
         _CCC_BASIS + "；《中华人民共和国产品质量法》第五条（不得伪造或者冒用认证标志等质量标志）",
         message_en="CCC certificate {number} belongs to “{holder}”, not to the maker shown, “{maker}”: a borrowed "
                    "or misused certificate?"),
    Rule("ccc_model_not_covered", "warning",
         "型号“{model}”不在 CCC 证书 {number} 覆盖的型号内（证书型号：{models}）",
         _CCC_BASIS,
         message_en="Model “{model}” is not covered by CCC certificate {number} (certified models: {models})"),
    # Claims (evidence.claims): advertising law on listings and labels.
    Rule("absolute_term", "violation",
         "使用绝对化用语“{term}”（{phrase}）",
         "《中华人民共和国广告法》第九条第（三）项（不得使用“国家级”、“最高级”、“最佳”等用语）",
         message_en="Absolute term “{term}” ({phrase})"),
    Rule("medical_claim", "violation",
         "{kind}宣传疾病预防、治疗功能或使用医疗用语：“{term}”（{phrase}）",
         "《中华人民共和国广告法》第十七条（除医疗、药品、医疗器械广告外，不得涉及疾病治疗功能、不得使用医疗用语）；"
         "食品另见《中华人民共和国食品安全法》第七十三条",
         message_en="{kind} claims to prevent or treat disease or uses medical terms: “{term}” ({phrase})"),
    Rule("health_food_claim", "violation",
         "保健食品宣传超出允许范围：“{term}”（{reason}）",
         "《中华人民共和国广告法》第十八条（保健食品广告不得表示功效、安全性的断言或者保证，不得涉及疾病预防、治疗功能，"
         "不得声称或者暗示广告商品为保障健康所必需）",
         message_en="Health-food claim beyond what may be said: “{term}” ({reason})"),
]}

# Items a label must carry, per product type (GB 7718-2011 for food; 产品质量法 §27 for other goods).
MANDATORY: dict[str, tuple[str, ...]] = {
    "food": ("product_name", "manufacturer", "address", "phone", "license_no", "production_date", "shelf_life",
             "net_content", "standards"),
    "toiletry": ("product_name", "manufacturer", "address", "production_date", "shelf_life"),
    "appliance": ("product_name", "manufacturer", "address"),
    "electrical": ("product_name", "manufacturer", "address"),
    "toy": ("product_name", "manufacturer", "address"),
    "fertilizer": ("product_name", "manufacturer", "address", "net_content"),
    "unknown": ("product_name", "manufacturer", "address"),
}
THREE_NO_SUBSUMES = ("manufacturer", "address", "license_no", "production_date")

# The label problems an evaluation scores (what a seized label can really have) ...
SCORED_CODES = ("three_no", "obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
                "license_region_mismatch", "missing_ccc", "brand_lookalike", "prohibited_claim",
                "missing_registration")
# ... and those that allege forgery or a wrong identifier: one of these on a clean label is a false accusation.
ACCUSING_CODES = ("obsolete_qs_mark", "bad_barcode_checksum", "bad_credit_code_checksum",
                  "license_region_mismatch", "brand_lookalike")

# Products of the CCC catalogue (强制性产品认证目录) as they are named on labels.
CCC_PRODUCT_TYPES = ("appliance", "electrical", "toy")

# Disease and health-function claims an ordinary food may not make (食品安全法 §71, 广告法 §17).
DISEASE_CLAIMS = ("降血压", "降血糖", "降血脂", "降三高", "抗癌", "防癌", "治疗", "根治", "治愈", "药到病除", "无副作用",
                  "消炎", "抗肿瘤", "防治", "降尿酸", "疗效")
HEALTH_CLAIMS = ("增强免疫力", "提高免疫力", "延缓衰老", "抗衰老", "改善睡眠", "减肥", "排毒", "养颜", "补肾", "壮阳",
                 "调节血糖", "辅助降", "缓解体力疲劳", "抗疲劳")
ZERO_ADDITIVE = ("零添加", "0添加", "不添加", "无添加")

# GB/T 2260 province codes and the names and one-character abbreviations printed on licences.
PROVINCES = {
    "11": ("北京", "京"), "12": ("天津", "津"), "13": ("河北", "冀"), "14": ("山西", "晋"), "15": ("内蒙古", "蒙"),
    "21": ("辽宁", "辽"), "22": ("吉林", "吉"), "23": ("黑龙江", "黑"), "31": ("上海", "沪"), "32": ("江苏", "苏"),
    "33": ("浙江", "浙"), "34": ("安徽", "皖"), "35": ("福建", "闽"), "36": ("江西", "赣"), "37": ("山东", "鲁"),
    "41": ("河南", "豫"), "42": ("湖北", "鄂"), "43": ("湖南", "湘"), "44": ("广东", "粤"), "45": ("广西", "桂"),
    "46": ("海南", "琼"), "50": ("重庆", "渝"), "51": ("四川", "川"), "52": ("贵州", "贵"), "53": ("云南", "云"),
    "54": ("西藏", "藏"), "61": ("陕西", "陕"), "62": ("甘肃", "甘"), "63": ("青海", "青"), "64": ("宁夏", "宁"),
    "65": ("新疆", "新"),
}
QS_CUTOFF = "2018-10-01"
