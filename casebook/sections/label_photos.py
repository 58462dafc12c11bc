"""3 标签识别与筛查: the inventory of seized items (查封扣押物品清单), then each item: its photos with the
fields each shows, and the item screened as a whole (findings with their legal basis, lookalikes).

The library gives data (field identifiers, finding codes and severities, lookalike tricks as codes);
this module makes the display in the dossier's language: headers, severity words, messages, the
reasons of each lookalike and the two readings of each ``needs_review``.
"""

from __future__ import annotations

from casebook.dossier_html import (
    Html,
    error_box,
    heading,
    lookalike_pair,
    note,
    photo_block,
    png_img,
    review_block,
    table,
)
from casebook.words.finding_words import PIECES, describe
from evidence.labels.label_report import LabelReport, read_labels

__all__ = ["LABEL_TEXT", "fields_display", "findings_display", "render"]

LABEL_TEXT = {
    "zh": {
        "fields": {"product_name": "产品名称", "manufacturer": "生产者", "address": "地址", "phone": "联系方式",
                   "license_no": "生产许可证编号", "ccc_cert_no": "CCC证书编号", "credit_code": "统一社会信用代码",
                   "barcode": "商品条码", "standards": "产品标准代号", "production_date": "生产日期",
                   "shelf_life": "保质期", "net_content": "净含量", "product_type": "产品类别",
                   "registration_no": "注册/备案号", "expiry_date": "保质期至/限期使用日期"},
        "field_headers": ("字段", "值"), "finding_headers": ("代码", "性质", "说明", "依据", "证据"),
        "severity": {"violation": "违法", "warning": "存疑", "needs_review": "待人工核对", "info": "未见（非缺项）"},
        "readings": "识读结果", "alternatives": "一处常见识读混淆即可为", "held": "暂不认定",
        "signals": "相互印证的信号", "score": "相似度",
        "signal_names": {"shape": "字形", "sound": "读音", "order": "字序", "length": "增减字", "affix": "前后缀",
                         "number": "数字", "spelling": "拼写", "category": "同类商品", "packaging": "包装用语"},
        "tricks": PIECES["zh"]["tricks"],  # the lookalike tricks are named as the findings name them
    },
    "en": {
        "fields": {"product_name": "Product name", "manufacturer": "Maker", "address": "Address", "phone": "Contact",
                   "license_no": "Production licence", "ccc_cert_no": "CCC certificate", "credit_code": "Credit code",
                   "barcode": "Barcode", "standards": "Standards", "production_date": "Production date",
                   "shelf_life": "Shelf life", "net_content": "Net content", "product_type": "Product type",
                   "registration_no": "Registration / filing no.", "expiry_date": "Use by"},
        "field_headers": ("Field", "Value"), "finding_headers": ("Code", "Severity", "Finding", "Legal basis", "Evidence"),
        "severity": {"violation": "violation", "warning": "warning", "needs_review": "needs review",
                     "info": "not visible (not missing)"},
        "readings": "Readings", "alternatives": "One common OCR confusion away from", "held": "held back",
        "signals": "Agreeing signals", "score": "similarity",
        "signal_names": {"shape": "shape", "sound": "sound", "order": "order", "length": "length", "affix": "affix",
                         "number": "number", "spelling": "spelling", "category": "same kind of product",
                         "packaging": "packaging words"},
        # the dossier's English names read more plainly than the command line's terse ones (glyph, sound)
        "tricks": {"glyph": "similar shape", "radical_added": "radical added", "radical_dropped": "radical dropped",
                   "sound": "same sound", "near_sound": "near sound", "number": "number swapped",
                   "split": "split into components", "merge": "components merged", "reorder": "reordered",
                   "added": "character added", "removed": "character removed", "prefix": "prefix added",
                   "suffix": "suffix added", "latin": "Latin imitation", "pinyin": "pinyin imitation",
                   "changed": "changed character"},
    },
}
_SEVERITY_CLASS = {"violation": "cb-bad", "warning": "cb-warn", "needs_review": "cb-warn"}


ITEM_TEXT = {
    "zh": {"inventory": "查封扣押物品清单", "headers": ("序号", "物品名称", "编号", "数量", "单位", "单价（元）", "查获地点",
                                                  "照片", "各面拍全"),
           "item": "物品", "yes": "是", "no": "否（未见不等于未标注）", "together": "各照片合并识别",
           "disagree": "照片之间识读不一致", "disagree_headers": ("字段", "照片", "识读"), "source": "来源照片",
           "unusable": "无法使用的照片"},
    "en": {"inventory": "Seized items (查封扣押物品清单)", "headers": ("No.", "Item", "Id", "Quantity", "Unit",
                                                                "Unit price (yuan)", "Found at", "Photos",
                                                                "Every side photographed"),
           "item": "Item", "yes": "yes", "no": "no (not visible is not missing)", "together": "All photos together",
           "disagree": "Photos that read differently", "disagree_headers": ("Field", "Photo", "Reading"),
           "source": "Photo", "unusable": "Photos that cannot be used"},
}


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def render(d) -> Html:
    """The label section of dossier ``d`` (see casebook.sections.base.Dossier): the inventory of seized items,
    then each item with its photos and what they show together."""
    from evidence.labels.label_report import screen_reports

    t = d.t
    words = LABEL_TEXT.get(d.lang, LABEL_TEXT["zh"])
    item_words = ITEM_TEXT.get(d.lang, ITEM_TEXT["zh"])
    items = d.case.items
    photos = [photo for item in items for photo in item.photos]
    links = "".join(note(link.note(d.case.root, d.lang)) for link in d.case.label_links())  # never opened
    d.summary["labels"] = len(photos)
    d.summary["items"] = len(items)
    if not items:
        return d._done("labels", note(t["no_labels"]) + links)
    rows = [(n, item.name, item.id, _number(item.quantity), item.unit, _number(item.price), item.found_at,
             "、".join(p.name for p in item.photos) or "—", item_words["yes"] if item.complete else item_words["no"])
            for n, item in enumerate(items, start=1)]
    parts = [heading(item_words["inventory"]), table(item_words["headers"], rows), links]
    if not photos:
        parts.append(note(t["no_labels"]))
    reports = dict(zip(photos, read_labels(photos, engine=d.ocr_engine, cache=d.readings), strict=True))
    counts: dict[str, int] = {}
    for n, item in enumerate(items, start=1):
        parts.append(heading(f"{item_words['item']} {n}：{item.name or ''}"))
        for problem in item.problems:
            parts.append(error_box(f"{item_words['unusable']}：{problem.message}"))
        mine = [reports[p] for p in item.photos]
        for photo, rep in zip(item.photos, mine, strict=True):
            title = heading(f"{t['photo']}：{photo.relative_to(d.case.root).as_posix()}", level=4)
            if rep.error:
                d.summary["label_errors"] += 1
                err = rep.error if isinstance(rep.error, dict) else {"message": str(rep.error)}
                parts.append(title + error_box(f"{t['read_error']}：{err.get('message', '')}"
                                               + (f"\n{err['hint']}" if err.get("hint") else "")))
                continue
            thumb = png_img(getattr(rep, "thumbnail_png", None), photo.name)
            parts.append(title + photo_block(thumb, t["fields"], fields_display(rep, d.lang)))
        whole = screen_reports(mine, complete=item.complete)
        if whole.screening is None:
            continue
        found = whole.screening
        for finding in found.findings:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        view = LabelReport(image=item.id, fields=found.fields.to_dict(), findings=found.findings,
                           lookalikes=[f.details["lookalike"] for f in found.findings if f.details.get("lookalike")])
        body = heading(item_words["together"], level=4) + fields_display(view, d.lang)
        if found.disagreements:
            diff_rows = [(words["fields"].get(x["field"], x["field"]), v["image"].rsplit("/", 1)[-1], v["value"])
                         for x in found.disagreements for v in x["values"]]
            body += heading(item_words["disagree"], level=4) + table(item_words["disagree_headers"], diff_rows)
        body += heading(t["findings"], level=4) + (findings_display(view, d.lang) or note(t["no_findings"]))
        body += _readings_html(view, words)
        body += _lookalikes_html(view.lookalikes, words, t["lookalikes"], d.lang)
        parts.append(body)
    d.summary["findings_by_code"] = dict(sorted(counts.items()))
    d.summary["n_findings"] = sum(counts.values())
    return d._done("labels", "".join(parts))


def fields_display(report, lang: str = "zh") -> str:
    """The fields of one report as an escaped two-column table in ``lang``.

    Parameters
    ----------
    report : LabelReport
    lang : {"zh", "en"}

    Returns
    -------
    str
        HTML, every value escaped.
    """
    words = LABEL_TEXT.get(lang, LABEL_TEXT["zh"])
    frame = report.fields_table()
    rows = [(words["fields"].get(name, name), value) for name, value in zip(frame["field"], frame["value"], strict=True)]
    return table(words["field_headers"], rows)


def findings_display(report, lang: str = "zh") -> str:
    """The findings of one report as an escaped table in ``lang``, coloured by severity (not by words)."""
    words = LABEL_TEXT.get(lang, LABEL_TEXT["zh"])
    rows, classes = [], []
    for f in report.findings:
        message = describe(f, lang)
        rows.append((f.code, words["severity"].get(f.severity, f.severity), message, f.basis, f.evidence))
        classes.append(_SEVERITY_CLASS.get(f.severity, ""))
    return table(words["finding_headers"], rows, row_classes=classes) if rows else ""


def _readings_html(report, words: dict) -> str:
    """Each held-back accusation with every reading of the characters it rests on, and the repairs."""
    parts = []
    for f in report.findings:
        if f.code != "needs_review" or not (f.readings or f.alternatives):
            continue
        parts.append(review_block(f.suspected or "", words["held"], words["readings"], f.readings,
                                  words["alternatives"], f.alternatives))
    return "".join(parts)


def _lookalikes_html(lookalikes, words: dict, title: str, lang: str) -> str:
    """The name on the label beside the genuine mark it imitates, with each trick and the agreeing signals."""
    if not lookalikes:
        return ""
    pairs = []
    for item in lookalikes:
        tricks = item.get("tricks") or []
        reasons = "；".join(_trick_text(t, words) for t in tricks) or "；".join(map(str, item.get("reasons") or []))
        signals = "、".join(words["signal_names"].get(s, s) for s in item.get("signals") or [])
        score = item.get("score")
        owner = f" · {item['owner']}" if item.get("owner") else ""
        detail = reasons + (f"（{words['score']} {score:.2f}）" if isinstance(score, int | float) else "")
        pairs.append(lookalike_pair(item.get("matched") or "", (item.get("brand") or "") + owner, detail,
                                    words["signals"], signals))
    return heading(title, level=4) + "".join(pairs)


def _trick_text(trick: dict, words: dict) -> str:
    kind = trick.get("kind", "")
    name = words["tricks"].get(kind, kind)
    genuine, seen = trick.get("genuine") or "", trick.get("seen") or ""
    if kind in ("added", "prefix", "suffix"):
        return f"{name} {seen}"
    if kind == "removed":
        return f"{name} {genuine}"
    return f"{name} {genuine}→{seen}"
