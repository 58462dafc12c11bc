"""The words of the linked-case chart (``links.html``), in Chinese and English: one place per language."""

from __future__ import annotations

__all__ = ["CHART_WORDS", "chart_words", "html_lang"]

CHART_WORDS = {
    "zh": {"title": "关联案件图（全链条）", "chains": "条链", "county": "县区", "kind": "关联依据", "all": "全部",
           "score": "强度", "cases": "案件", "counties": "跨县区", "roles": "角色", "maker": "生产者",
           "wholesaler": "批发商", "retailer": "零售商", "sources": "来源", "none": "未发现关联案件。",
           "hint": "点击节点查看来源（文件、行号、原文）；滚轮缩放，拖动平移。", "upstream": "上游线索（本案卷无案件）",
           "entity": "实体", "file": "文件", "where": "位置", "text": "原文", "weight": "权重", "links": "关联",
           "case_no": "文号", "case_title": "案件名称", "party": "当事人", "bureau": "办案机构",
           "labels": "标签证据（照片、所读文字、SHA-256）", "photo": "照片", "line": "行", "sha256": "SHA-256",
           "claim": "标签身份", "source": "源头线索：非正品企业信息，见于多案查获货物", "copied": "冒用正品企业信息",
           "claim_one": "仅一案货物标签所印", "leads": "待核线索（共有但未达关联阈值）", "reason": "原因",
           "best": "最强一对权重", "lead_kind": "类型", "value": "值"},
    "en": {"title": "Linked cases (supply chains)", "chains": "chains", "county": "County", "kind": "Tied by",
           "all": "all", "score": "score", "cases": "cases", "counties": "counties", "roles": "roles",
           "maker": "maker", "wholesaler": "wholesaler", "retailer": "retailer", "sources": "Sources",
           "none": "No linked cases were found.", "hint": "Click a node for its sources (file, row or line, text); "
           "wheel to zoom, drag to pan.", "upstream": "Upstream leads (no case here)", "entity": "entity",
           "file": "file", "where": "where", "text": "text", "weight": "weight", "links": "links",
           "case_no": "case no.", "case_title": "title", "party": "party", "bureau": "bureau",
           "labels": "Label evidence (photo, line as read, SHA-256)", "photo": "photo", "line": "line",
           "sha256": "SHA-256", "claim": "on labels", "source": "source lead: no genuine owner's, on seized goods of "
           "several cases", "copied": "a genuine owner's identity, copied onto fakes", "claim_one": "printed on "
           "goods of one case", "leads": "Leads for review (shared, below the link threshold)", "reason": "why not linked",
           "best": "best pair", "lead_kind": "kind", "value": "value"},
}


def chart_words(lang: str = "zh") -> dict[str, str]:
    """The chart's words in ``lang`` (Chinese for anything but "en")."""
    return CHART_WORDS["en" if lang == "en" else "zh"]


def html_lang(lang: str = "zh") -> str:
    """The page's ``lang`` attribute for ``lang``."""
    return "zh-CN" if lang == "zh" else "en"
