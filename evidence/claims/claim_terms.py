"""The words of forbidden claims, and the contexts in which the same characters are ordinary.

Sources (docs/domain.md, "Claims"): 《中华人民共和国广告法》 (2021 text) 第九条第（三）项 (国家级、最高级、
最佳 and like terms), 第十七条 (no disease-treatment function or medical terms outside medical, drug
and device advertisements), 第十八条 (health food: no assertion or guarantee of efficacy or safety,
no disease prevention or treatment, not necessary for health, no comparison with drugs, no
endorsement); 《中华人民共和国食品安全法》 第七十三条 (food advertisements: no disease prevention or
treatment); the absolute terms SAMR and provincial bureaus cite in published penalty decisions.
A word counts as it appears: 最 in 最近, 最后, 最好在…食用 or 最大功率 is not a claim.
"""

from __future__ import annotations

import re

__all__ = ["ABSOLUTE_PATTERN", "ASSERTIONS", "DISEASE_PATTERN", "GOODS_PATTERNS", "MOST_ORDINARY", "MOST_SPEC",
           "MOST_WORDS", "NEGATION"]

# Absolute terms that are claims wherever they stand (广告法 第九条第（三）项).
_ABSOLUTE = ["国家级", "世界级", "全球级", "宇宙级", "国际级", "最高级", "顶级", "顶尖", "极品", "独一无二", "绝无仅有",
             "史无前例", "前无古人", "万能", "第一品牌", "销量冠军", "领导品牌", "首选", "独家", "全网首发", "全国首家",
             "全网首家", "NO.1", "NO1", "TOP1", "TOP 1"]
_FIRST = r"(?:销量|全国|全网|全球|世界|行业|中国|同类|排名|天下|品类)第一"
_ONLY = r"唯一(?!标识|识别|编码|编号|码|指定收款)"  # 唯一标识码 is a code, not a claim
ABSOLUTE_PATTERN = re.compile("|".join([_FIRST, _ONLY, *(re.escape(w) for w in sorted(_ABSOLUTE, key=len,
                                                                                     reverse=True))]),
                              re.IGNORECASE)

# 最 + what makes it a superlative claim, longest first; any other 最 + a Han character is one too,
# unless the phrase is ordinary (time, quantity, advice) or a specification (最大功率 2000W).
MOST_WORDS = ("最高级", "最高档", "最先进", "最低价", "最便宜", "最受欢迎", "最流行", "最专业", "最权威", "最正宗",
              "最安全", "最有效", "最实惠", "最大程度", "最新技术", "最新科技", "最优秀", "最时尚", "最舒适", "最畅销")
MOST_ORDINARY = re.compile(
    r"最(?:近|后|终|初|早|迟|晚|少|多|快|末|上|下|前|里|外|底层?|佳(?:食用|赏味|饮用|品尝|使用|冲泡|储存|保存)|"
    r"好(?:在|于|不|别|是|尽快|放|冷藏|先)|长(?:保修|质保)|小起订|低起订|低消费|高不超过|低不低于|大不超过)")
MOST_SPEC = re.compile(
    r"最(?:大|高|低|小|长|短|快|远)(?:额定|输出|输入|工作|可)?(?:功率|电流|电压|容量|负载|负荷|温度|水温|转速|承重|"
    r"尺寸|长度|宽度|高度|厚度|重量|压力|扬程|流量|风量|风速|亮度|分辨率|速度|续航|档|加热|支持|可达|达|为|\d|[:：])"
    # any measured limit: a superlative, a few words, then the number (最高洗涤温度30℃, 最多可容纳 6 人)
    r"|最(?:大|高|低|小|长|短|多|少)[\u4e00-\u9fff]{0,8}?\s*[:：]?\s*[\d０-９]")

# Disease prevention or treatment (广告法 第十七条、第十八条; 食品安全法 第七十三条).
_MEDICAL_WORDS = ["药到病除", "包治百病", "治愈率", "有效率", "治疗", "治愈", "根治", "医治", "疗效", "药效", "疗程",
                  "抗癌", "防癌", "抗肿瘤", "降血压", "降血糖", "降血脂", "降三高", "降尿酸", "消炎", "治病", "防病",
                  "祛病", "处方", "消除疾病", "预防疾病", "无副作用"]
_DISEASES = ("高血压|高血脂|高血糖|糖尿病|癌症|肿瘤|失眠症|便秘|关节炎|风湿|痛风|颈椎病|腰椎病|前列腺|心脏病|冠心病|脑梗|"
             "中风|感冒|咳嗽|哮喘|胃病|胃炎|肝病|肾病|鼻炎|湿疹|脱发|近视|血栓|骨质疏松|抑郁症|妇科病|结石|甲亢|贫血")
DISEASE_PATTERN = re.compile(
    r"(?:根治|治疗|治愈|治好|医治|治|预防|防治|远离|告别|改善|缓解|消除|降低|降|抗)(?:\S{0,2}?)(?:" + _DISEASES + ")|"
    + "(?:" + "|".join(re.escape(w) for w in sorted(_MEDICAL_WORDS, key=len, reverse=True)) + ")")

# What a health food may still not say beyond disease (广告法 第十八条第一款): (code, pattern); the
# clause's words, quoted in each finding, are at the edge with the finding's message.
ASSERTIONS = [
    ("guarantee", re.compile(r"保证(?:有效|治|见效|痊愈|安全)|百分百有效|100%有效|无效退款|立竿见影|见效快|\d+天见效|"
                             r"永不复发|无任何副作用|安全无毒")),
    ("necessary", re.compile(r"健康必需|人人必备|健康必备|每天必吃|必不可少的营养")),
    ("drug_comparison", re.compile(r"代替药物|替代药物|比药物|胜过药物|不用吃药")),
    ("endorsement", re.compile(r"(?:专家|医生|医师|教授|患者)(?:推荐|证明|力荐|见证)")),
]

# A claim negated just before it is a disclaimer (本品不能代替药物; 不具有疾病治疗作用).
NEGATION = re.compile(r"(?:不能|不可|不得|不是|不会|不宜|不具有|不具备|无法|禁止|严禁|切勿|请勿|并非|绝非)"
                      r"[^，。；！？,;!?\s]{0,6}$")

# What the goods are, from the words a page or label prints: medicines may speak of treatment.
GOODS_PATTERNS = [
    ("medicine", re.compile(r"国药准字|械注准|械备|医疗器械注册证|医疗器械备案|药品批准文号|OTC")),
    ("health_food", re.compile(r"保健食品|国食健注|食健备|卫食健字|蓝帽")),
    ("food", re.compile(r"食品|配料|保质期|SC\d{14}|生产许可证编号|饮品|营养|冲饮|茶叶|零食|奶粉|饼干|蜂蜜|酒")),
]
