"""3 标签识别与筛查: each label photo, the fields read, the findings with their legal basis, lookalikes."""

from __future__ import annotations

from casebook.dossier_html import Html, error_box, esc, frame_table, note, png_img
from evidence.label_report import read_labels


def render(d) -> Html:
    t = d.t
    photos = d.case.label_photos()
    links = "".join(note(link.note(d.case.root, d.lang)) for link in d.case.label_links())  # never opened
    d.summary["labels"] = len(photos)
    if not photos:
        return d._done("labels", note(t["no_labels"]) + links)
    parts = [links]
    counts: dict[str, int] = {}
    for photo, rep in zip(photos, read_labels(photos, engine=d.ocr_engine, cache=d.readings), strict=True):
        title = f"<h3>{esc(t['photo'])}：{esc(photo.name)}</h3>"
        if rep.error:
            d.summary["label_errors"] += 1
            err = rep.error if isinstance(rep.error, dict) else {"message": str(rep.error)}
            parts.append(title + error_box(f"{t['read_error']}：{err.get('message', '')}"
                                           + (f"\n{err['hint']}" if err.get("hint") else "")))
            continue
        findings = rep.findings_table()
        for code in _column(findings, ("code", "代码")):
            counts[str(code)] = counts.get(str(code), 0) + 1
        sev = list(_column(findings, ("性质", "severity")))
        body = (f"<h4>{esc(t['fields'])}</h4>{frame_table(rep.fields_table())}"
                f"<h4>{esc(t['findings'])}</h4>"
                + (frame_table(findings, row_classes=[_severity_class(s) for s in sev]) or note(t["no_findings"])))
        seen = rep.fields.get("product_name") or rep.fields.get("title") or ""
        body += _lookalikes_html(rep.lookalikes, seen, t)
        thumb = png_img(getattr(rep, "thumbnail_png", None), photo.name)
        parts.append(f'{title}<div class="cb-photo">{thumb}<div class="cb-photo-body">{body}</div></div>')
    d.summary["findings_by_code"] = dict(sorted(counts.items()))
    d.summary["n_findings"] = sum(counts.values())
    return d._done("labels", "".join(parts))


def _column(frame, names):
    if frame is None:
        return []
    for name in names:
        if name in getattr(frame, "columns", ()):
            return list(frame[name])
    return []


def _severity_class(severity) -> str:
    text = str(severity).lower()
    if text in ("violation", "违法"):
        return "cb-bad"
    if text in ("warning", "存疑", "needs_review", "待人工核对"):
        return "cb-warn"
    return ""


def _lookalikes_html(lookalikes, seen: str, t) -> str:
    """The name on the label beside the genuine brand it imitates, with the tricks found."""
    if not lookalikes:
        return ""
    pairs, seen_pairs = [], set()
    for item in lookalikes:
        key = (item.get("brand"), item.get("matched") or seen)
        if key in seen_pairs:  # the same copy found in the title and in the product name
            continue
        seen_pairs.add(key)
        reasons = "；".join(map(str, item.get("reasons") or []))
        score = item.get("score")
        extra = reasons + (f"（{score:.2f}）" if isinstance(score, int | float) else "")
        owner = f" · {item['owner']}" if item.get("owner") else ""
        pairs.append(f'<div class="cb-pair"><div>{esc(item.get("matched") or seen)}</div><div>↔</div>'
                     f'<div>{esc(item.get("brand"))}{esc(owner)}</div></div><p>{esc(extra)}</p>')
    return f"<h4>{esc(t['lookalikes'])}</h4>" + "".join(pairs)
