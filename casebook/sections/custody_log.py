"""5 监管链: the custody log as a table, its hash chain checked at render time."""

from __future__ import annotations

from casebook.dossier_html import Html, note, paragraph, plain_cell, table
from evidence.integrity.custody import CustodyLog, custody_table
from evidence.integrity.electronic_data_list import shanghai_time

__all__ = ["CHAIN_CLASS", "custody_rows", "render"]

CHAIN_CLASS = {"ok": "", "broken": "cb-bad", "unconfirmed": "cb-bad"}


def render(d) -> Html:
    """Verify the custody log now and show it event by event; note a case without one."""
    c, t = d.case, d.t
    if not c.custody_path.is_file():
        d.summary["custody"] = "absent"
        return d._done("custody", note(t["no_custody"]))
    log = CustodyLog(c.custody_path)
    report = log.verify()
    d.summary["custody"] = "verified" if report.ok else "broken"
    d.summary["custody_head"] = report.head
    if report.ok:
        events = t["paren"].format(f"{report.n_events} {t['events']}")
        status = paragraph(t["custody_ok"] + events, f"head {report.head or ''}", css="cb-ok")
    else:
        status = paragraph(f"{t['custody_bad']}: line {report.first_bad_line or ''}: {report.reason or ''}", css="cb-bad")
    head, rows, classes = custody_rows(custody_table(log), t)
    return d._done("custody", status + (table(head, rows, row_classes=classes) if rows else ""))


def custody_rows(frame, t: dict) -> tuple[list[str], list[list], list[str]]:
    """Headers, display rows and row classes (from the ``chain`` code) of the custody table."""
    names = t["custody_columns"]
    head = [names[k] for k in ("seq", "time_utc", "actor", "action", "objects", "note", "chain")]
    rows, classes = [], []
    for item in frame.to_dict("records"):
        chain = t["chain_words"][item["chain"]] + (f": {item['problem']}" if item["problem"] else "")
        if item["action"]:
            action = t["action_words"].get(item["action"], item["action"])
        else:
            action = t["unreadable_line"]
        rows.append([plain_cell(v) for v in (item["seq"], shanghai_time(item["time_utc"]), item["actor"], action,
                                             item["objects"], item["note"], chain)])
        classes.append(CHAIN_CLASS[item["chain"]])
    return head, rows, classes
