"""2 证据清单 / 电子数据清单: every sealed item with its integrity values, verified at render time."""

from __future__ import annotations

from casebook.capture_listing import captured_pages_html
from casebook.dossier_html import Html, esc, frame_table, note, plain_cell, split_hex, table
from casebook.sections.text import TEXT
from safeio.errors import CasebookError


def render(d) -> Html:
    try:
        from evidence.manifest import evidence_list, load_manifest, verify_manifest
    except ImportError as err:
        return d._unavailable("evidence", err)
    c, t = d.case, d.t
    web = captured_pages_html(c.root, d.lang)  # pages captured online, each with its own seal and record
    if not c.manifest_path.is_file():
        if not c.evidence_files():
            d.summary["integrity"] = "no_evidence"
            return d._done("evidence", note(t["no_evidence"]))
        d.summary["integrity"] = "unsealed"
        return d._done("evidence", note(t["not_sealed"].format(dir=c.root, id=c.case_id)) + web)
    try:
        manifest = load_manifest(c.manifest_path)  # refuses an edited manifest
        report = verify_manifest(manifest)  # re-hashes now: the status is as of this render
    except CasebookError as err:
        d.summary["integrity"] = "manifest_broken"
        return d._failed("evidence", err)
    frame = evidence_list(manifest, report, lang=d.lang)
    d.summary["integrity"] = "verified" if report.ok else "tampered"
    d.summary["integrity_counts"] = report.counts()
    d.summary["manifest_root"] = manifest.merkle_root
    classes = [_status_class(s) for s in _status_column(frame)]
    status = (f'<p class="cb-ok">{esc(t["verified"])}</p>' if report.ok
              else f'<p class="cb-bad">{esc(t["tampered"])}</p>')
    body = (f"<h3>{esc(t['integrity'])}</h3>{status}"
            + (_evidence_table(frame, classes, t) or note(t["no_evidence"])) + _changes_html(report, t) + web)
    return d._done("evidence", body)


def _evidence_table(frame, classes, t) -> str:
    """The evidence list with SHA-256 and SM3 stacked in one 完整性校验值 column (fits A4 portrait)."""
    if frame is None or len(frame) == 0:
        return ""
    columns = list(frame.columns)
    if "SHA-256" not in columns or "SM3" not in columns:
        return frame_table(frame, row_classes=classes)
    digest_at = columns.index("SHA-256")
    head = [*columns[:digest_at], t["digests"], *[c for c in columns[digest_at:] if c not in ("SHA-256", "SM3")]]
    rows = []
    for record in frame.to_dict("records"):
        digests = f"SHA-256\n{split_hex(record['SHA-256'])}\nSM3\n{split_hex(record['SM3'])}"
        rest = [record[c] for c in columns[digest_at:] if c not in ("SHA-256", "SM3")]
        rows.append([*(record[c] for c in columns[:digest_at]), digests, *rest])
    rows = [[plain_cell(v) for v in row] for row in rows]
    return table(head, rows, row_classes=classes, hash_columns=(t["digests"],))


def _changes_html(report, t) -> str:
    """What changed, for each item that no longer matches (the red rows say that; this says how)."""
    rows = []
    for item in report.modified:
        expected, found = item.get("expected", {}), item.get("found", {})
        rows.append([item.get("path"), item.get("change"),
                     f"{expected.get('size')} B\nSHA-256\n{split_hex(expected.get('digests', {}).get('sha256'))}",
                     f"{found.get('size')} B\nSHA-256\n{split_hex(found.get('digests', {}).get('sha256'))}"])
    for item in report.missing:
        rows.append([item.get("path"), "missing", item.get("size"), ""])
    for item in report.added:
        rows.append([item.get("path"), "added", "", item.get("size")])
    for item in report.moved:
        rows.append([item.get("path"), "moved", "", item.get("to")])
    for item in report.unverifiable:
        rows.append([item.get("path"), "unverifiable", "", item.get("reason")])
    if not rows:
        return ""
    heads = (["名称", "变化", "封存时", "现在"] if t is TEXT["zh"] else ["Name", "Change", "When sealed", "Now"])
    return f'<h3 class="cb-bad">{esc(heads[1])}</h3>' + table(heads, rows, row_classes=["cb-bad"] * len(rows),
                                                               hash_columns=heads[2:])


def _column(frame, names):
    if frame is None:
        return []
    for name in names:
        if name in getattr(frame, "columns", ()):
            return list(frame[name])
    return []


def _status_column(frame):
    return _column(frame, ("状态", "status", "Status"))


def _status_class(status) -> str:
    text = str(status).lower()
    if any(k in text for k in ("一致", "matched", "ok", "verified")) and not any(
            k in text for k in ("不一致", "mismatch")):
        return ""
    if any(k in text for k in ("元数据", "metadata")):
        return "cb-warn"
    return "cb-bad"


