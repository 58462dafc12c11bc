"""2 证据清单 / 电子数据清单: every sealed item with its integrity values, verified at render time.

``evidence.integrity.electronic_data_list.evidence_list`` gives the items with codes; this module turns them into the
words of the dossier's language and colours each row by its status code, never by its words.
"""

from __future__ import annotations

from casebook.dossier_html import Html, heading, note, paragraph, plain_cell, split_hex, table
from casebook.webcapture.capture_listing import captured_pages_html
from evidence.integrity.electronic_data_list import evidence_list, shanghai_time
from evidence.integrity.manifest import load_manifest
from evidence.integrity.tree_hashing import DigestMemo
from evidence.integrity.verify import verify_manifest
from safeio.errors import CasebookError

__all__ = ["STATUS_CLASS", "evidence_rows", "render", "status_class"]

# Row colour per status code: an item that still matches its seal is plain; anything else is red,
# except a change of metadata only (the content matches), which is amber.
STATUS_CLASS = {"recorded": "", "matched": "", "metadata_changed": "cb-warn", "skipped": "cb-warn"}


def status_class(status: str) -> str:
    """The CSS class of an evidence row with this status code (``cb-bad`` for anything unknown)."""
    return STATUS_CLASS.get(status, "cb-bad")


def render(d) -> Html:
    """Verify the case's sealed manifest now and list every item; note an unsealed case."""
    c, t = d.case, d.t
    memo = DigestMemo()  # a capture's files count in its own seal and in the case's: read them once
    web = captured_pages_html(c.root, d.lang, memo)  # pages captured online, each with its own seal and record
    if not c.manifest_path.is_file():
        if not c.evidence_files():
            d.summary["integrity"] = "no_evidence"
            return d._done("evidence", note(t["no_evidence"]))
        d.summary["integrity"] = "unsealed"
        return d._done("evidence", note(t["not_sealed"].format(dir=c.root, id=c.case_id)) + web)
    try:
        manifest = load_manifest(c.manifest_path)  # refuses an edited manifest
        report = verify_manifest(manifest, memo=memo)  # re-hashes now: the status is as of this render
    except CasebookError as err:
        d.summary["integrity"] = "manifest_broken"
        return d._failed("evidence", err)
    d.summary["integrity"] = "verified" if report.ok else "tampered"
    d.summary["integrity_counts"] = report.counts()
    d.summary["manifest_root"] = manifest.merkle_root
    head, rows, classes = evidence_rows(evidence_list(manifest, report), t)
    status = paragraph(t["verified"], css="cb-ok") if report.ok else paragraph(t["tampered"], css="cb-bad")
    listing = table(head, rows, row_classes=classes, hash_columns=(t["digests"],)) if rows else note(t["no_evidence"])
    return d._done("evidence", heading(t["integrity"]) + status + listing + _changes_html(report, t) + web)


def evidence_rows(frame, t: dict) -> tuple[list[str], list[list], list[str]]:
    """Headers, display rows and row classes of the evidence list in the words of ``t``.

    SHA-256 and SM3 are stacked in one 完整性校验值 column, so ten columns fit A4 portrait.
    """
    names = t["evidence_columns"]
    head = [names["no"], names["path"], names["category"], names["format"], names["size"], t["digests"],
            names["extracted_utc"], names["source"], names["status"]]
    rows, classes = [], []
    for item in frame.to_dict("records"):
        state = t["status_words"].get(item["status"], item["status"])
        if item["moved_to"]:
            state = f"{state} → {item['moved_to']}"
        digests = f"SHA-256\n{split_hex(item['sha256'])}\nSM3\n{split_hex(item['sm3'])}"
        rows.append([plain_cell(v) for v in (
            item["no"], item["path"], t["category_words"].get(item["category"], item["category"]), item["format"],
            item["size"], digests, shanghai_time(item["extracted_utc"]),
            t["source_words"].get(item["source"], item["source"]), state)])
        classes.append(status_class(item["status"]))
    return head, rows, classes


def _changes_html(report, t) -> str:
    """What changed, for each item that no longer matches (the red rows say that; this says how)."""
    words = {**t["status_words"], **t["change_words"]}
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
    for row in rows:
        row[1] = words.get(row[1], row[1])
    heads = t["changes_columns"]
    return heading(t["changes_heading"], css="cb-bad") + table(
        heads, rows, row_classes=["cb-bad"] * len(rows), hash_columns=heads[2:])
