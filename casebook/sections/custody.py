"""5 监管链: the custody log as a table, its hash chain checked at render time."""

from __future__ import annotations

from casebook.dossier_html import Html, esc, frame_table, note


def render(d) -> Html:
    try:
        from evidence.custody import CustodyLog
    except ImportError as err:
        return d._unavailable("custody", err)
    c, t = d.case, d.t
    if not c.custody_path.is_file():
        d.summary["custody"] = "absent"
        return d._done("custody", note(t["no_custody"]))
    log = CustodyLog(c.custody_path)
    report = log.verify()
    d.summary["custody"] = "verified" if report.ok else "broken"
    d.summary["custody_head"] = report.head
    if report.ok:
        status = f'<p class="cb-ok">{esc(t["custody_ok"])}（{report.n_events} {esc(t["events"])}；head {esc(report.head)}）</p>'
    else:
        status = (f'<p class="cb-bad">{esc(t["custody_bad"])}：line {esc(report.first_bad_line)}: '
                  f"{esc(report.reason)}</p>")
    frame = log.table(d.lang)
    chain = list(frame.columns)[-1] if len(frame.columns) else None
    classes = ["" if chain is None or str(v) in ("ok", "正常") else "cb-bad" for v in
               (frame[chain] if chain else [])]
    return d._done("custody", status + frame_table(frame, row_classes=classes))
