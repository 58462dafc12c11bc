"""The words of the dossier in Chinese (the default) and English; sections add their own beside them.

The libraries return codes; ``TEXT[lang]`` maps them to words (``status_words``, ``action_words``
...), so both languages colour the same rows the same way.
"""

from __future__ import annotations

__all__ = ["TEXT"]

TEXT = {
    "zh": {
        "cover": "卷宗封面", "evidence": "证据清单 / 电子数据清单", "labels": "标签识别与筛查",
        "location": "案发地", "linked": "关联案件", "custody": "监管链", "appendix": "附录", "heading": "行政处罚案件卷宗",
        "case_title": "案件名称", "case_no": "文号", "organ": "办案机构", "party": "当事人",
        "party_name": "名称", "credit_code": "统一社会信用代码", "address": "地址", "opened": "立案日期",
        "closed": "结案日期", "investigators": "办案人员", "case_id": "案件编号", "retention": "保管期限",
        "not_sealed":
        "本案证据尚未封存（无 manifest.json），无法核验完整性。请先运行：casebook evidence hash {dir} --case {id}",
        "no_evidence": "本案没有电子数据文件。", "integrity": "完整性核验（生成卷宗时）",
        "verified": "全部证据与封存清单一致。", "tampered": "有证据与封存清单不一致，见红色行。",
        "no_labels": "本案没有标签照片。", "photo": "照片", "fields": "识别字段", "findings": "筛查发现",
        "no_findings": "未发现问题。", "lookalikes": "疑似仿冒品牌", "read_error": "无法识别此照片",
        "setting": "区位", "in_hotspot": "是否位于热点区", "trend": "趋势", "nearby": "附近案件",
        "yes": "是", "no": "否", "no_location": "case.yml 中没有可用的经纬度，无法定位。",
        "urban": "城区", "peri-urban": "城乡结合部", "rural": "农村", "map": "地图",
        "custody_ok": "监管链校验通过。", "custody_bad": "监管链校验未通过", "no_custody":
        "本案没有监管链记录（custody.jsonl）。", "tool": "工具版本", "template": "模板",
        "parameters": "参数", "manifest_root": "封存清单根哈希", "rendered": "生成时间",
        "events": "事件", "years_30": "长期",
        "no_casebook": "{dir} 中没有 cases.csv，无法给出热点与附近案件背景。", "nearby_columns": {
            "case_id": "案件编号", "title": "案件名称", "opened": "立案日期", "category": "类别",
            "setting": "区位", "distance_m": "距离（米）"}, "method_nbs_code": "依统计用城乡划分代码",
        "method_distance": "依距城区距离", "trend_no pattern": "无明显趋势", "trend_new": "新出现",
        "trend_intensifying": "加剧", "trend_persistent": "持续", "trend_diminishing": "减弱",
        "trend_consecutive": "连续", "trend_sporadic": "零星", "trend_oscillating": "波动",
        "trend_historical": "历史热点", "trend_insufficient period": "时段不足，无法判断", "digests": "完整性校验值",
    },
    "en": {
        "cover": "Case file cover", "evidence": "Evidence list / electronic data list",
        "labels": "Label reading and screening", "location": "Place of the case", "linked": "Linked cases",
        "custody": "Chain of custody",
        "appendix": "Appendix", "heading": "Administrative penalty case file", "case_title": "Case title",
        "case_no": "Case number", "organ": "Handling organ", "party": "Party", "party_name": "Name",
        "credit_code": "Unified social credit code", "address": "Address", "opened": "Opened",
        "closed": "Closed", "investigators": "Investigators", "case_id": "Case id", "retention": "Retention",
        "not_sealed": "The evidence of this case is not sealed (no manifest.json), so its integrity cannot "
        "be checked. Run: casebook evidence hash {dir} --case {id}",
        "no_evidence": "This case has no electronic evidence files.", "integrity": "Integrity check (at render time)",
        "verified": "Every item matches the sealed manifest.", "tampered":
        "Some items do not match the sealed manifest: see the red rows.", "no_labels": "This case has no label photos.",
        "photo": "Photo", "fields": "Fields read", "findings": "Findings", "no_findings": "No problem found.",
        "lookalikes": "Lookalike brands", "read_error": "This photo could not be read", "setting": "Setting",
        "in_hotspot": "In a hot spot", "trend": "Trend", "nearby": "Nearby cases", "yes": "yes", "no": "no",
        "no_location": "case.yml has no usable coordinates: the case cannot be placed.", "urban": "urban",
        "peri-urban": "peri-urban", "rural": "rural", "map": "Map", "custody_ok": "The custody chain verifies.",
        "custody_bad": "The custody chain does not verify", "no_custody": "This case has no custody log (custody.jsonl).",
        "tool": "Tool versions", "template": "Template", "parameters": "Parameters",
        "manifest_root": "Manifest root", "rendered": "Rendered", "events": "Events", "years_30": "long-term",
        "nearby_columns": {"distance_m": "distance (m)"},
        "no_casebook": "There is no cases.csv in {dir}: no hot spot or nearby-case context.",
        "method_nbs_code": "from the NBS urban-rural code", "method_distance": "from the distance to urban cores",
        "digests": "Integrity values",
    },
}

# The codes the libraries return (evidence.integrity.electronic_data_list, evidence.integrity.custody, evidence.integrity.verify), in words.
_CODE_WORDS = {
    "zh": {
        "evidence_columns": {"no": "序号", "path": "名称", "category": "类别", "format": "格式", "size": "大小",
                             "extracted_utc": "提取时间", "source": "来源", "status": "状态"},
        "category_words": {"image": "图片", "video": "视频", "audio": "音频", "document": "文档", "sheet": "表格",
                           "web": "网页", "chat": "聊天记录/数据", "archive": "压缩包", "disk_image": "磁盘镜像",
                           "symlink": "符号链接", "special": "特殊文件", "other": "其他"},
        "source_words": {"evidence": "电子数据", "labels": "扣押商品标签照片"},
        "status_words": {"recorded": "已登记", "matched": "一致", "metadata_changed": "一致（修改时间变化）",
                         "modified": "已修改", "missing": "缺失", "added": "新增", "moved": "移动",
                         "skipped": "跳过（无内容）", "unverifiable": "未能校验", "problem": "未能计算校验值"},
        "change_words": {"content": "内容", "type": "类型", "link target": "链接目标"},
        "changes_columns": ["名称", "变化", "封存时", "现在"], "changes_heading": "变化",
        "custody_columns": {"seq": "序号", "time_utc": "时间", "actor": "操作人", "action": "操作", "objects": "对象",
                            "note": "备注", "chain": "链校验"},
        "action_words": {"seized": "扣押", "extracted": "提取", "captured": "网络在线提取", "acquired": "从原始存储介质提取（边复制边计算校验值）", "hashed": "计算校验值并封存清单", "transferred": "移交",
                         "verified": "校验", "exported": "导出", "dossier": "生成案卷"},
        "chain_words": {"ok": "正常", "broken": "异常", "unconfirmed": "无法确认"},
        "unreadable_line": "（无法读取的记录）", "list_sep": "、", "paren": "（{}）",
    },
    "en": {
        "evidence_columns": {"no": "No.", "path": "Name", "category": "Category", "format": "Format",
                             "size": "Size", "extracted_utc": "Extracted", "source": "Source", "status": "Status"},
        "category_words": {"image": "image", "video": "video", "audio": "audio", "document": "document",
                           "sheet": "spreadsheet", "web": "web page", "chat": "chat log / data",
                           "archive": "archive", "disk_image": "disk image", "symlink": "symbolic link",
                           "special": "special file", "other": "other"},
        "source_words": {"evidence": "electronic data", "labels": "seized label photos"},
        "status_words": {"recorded": "recorded", "matched": "matches", "metadata_changed": "matches (mtime changed)",
                         "modified": "modified", "missing": "missing", "added": "added", "moved": "moved",
                         "skipped": "skipped (no content)", "unverifiable": "not verifiable",
                         "problem": "not hashed"},
        "change_words": {"content": "content", "type": "type", "link target": "link target"},
        "changes_columns": ["Name", "Change", "When sealed", "Now"], "changes_heading": "Changes",
        "custody_columns": {"seq": "No.", "time_utc": "Time (Asia/Shanghai)", "actor": "Actor", "action": "Action",
                            "objects": "Objects", "note": "Note", "chain": "Chain"},
        "action_words": {"seized": "seized", "extracted": "extracted", "captured": "captured from the web", "acquired": "acquired from seized media (hashed while copied)", "hashed": "hashed and sealed",
                         "transferred": "transferred", "verified": "verified", "exported": "exported",
                         "dossier": "dossier made"},
        "chain_words": {"ok": "ok", "broken": "broken", "unconfirmed": "unconfirmed"},
        "unreadable_line": "(unreadable line)", "list_sep": ", ", "paren": " ({})",
    },
}
for _lang, _words in _CODE_WORDS.items():
    TEXT[_lang].update(_words)

# The place of the case: a position outside the county the case names, and the nearby cases' count.
_LOCATION_WORDS = {
    "zh": {"county_mismatch": "案件登记为{named}，坐标却位于{county}", "county_elsewhere": "辖区外",
           "county_distance": "（距{named}边界约{far:,}米）", "county_cause": "：可能原因是{cause}",
           "county_imprecise": "，也可能只是位置记录不精确", "county_check": "。请核对坐标系与坐标。",
           "nearby_count": "（{km:.0f} km，{n}）"},
    "en": {"county_mismatch": "The case names {named} but its position lies in {county}",
           "county_elsewhere": "no county in view", "county_distance": ", about {far:,} m outside {named}",
           "county_cause": ": likely {cause}", "county_imprecise": ", or only an approximate position",
           "county_check": ". Check the coordinate system and the numbers.", "nearby_count": " ({km:.0f} km, {n})"},
}
for _lang, _words in _LOCATION_WORDS.items():
    TEXT[_lang].update(_words)
