"""Write a public notice as HTML and PDF, and refuse it when either still holds personal data.

The check reads what a member of the public would get: the HTML source and the text of the PDF
as ``pdftotext`` (poppler) extracts it, which is where a number split over two lines or a font
that maps digits oddly would show.  Both files are built in a temporary folder beside the
output and only moved into place when both pass; a refused notice leaves nothing behind.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from casebook.notices.personal_data import find_personal_data
from casebook.notices.public_notice import Notice
from safeio.atomic import write_text_atomic
from safeio.errors import CasebookError, MissingDependencyError

__all__ = ["NOTICE_HTML", "NOTICE_PDF", "NoticeRefused", "check_notice_files", "pdf_text", "write_notice"]

NOTICE_HTML = "notice.html"
NOTICE_PDF = "notice.pdf"


class NoticeRefused(CasebookError):
    """The notice still holds personal data after scrubbing: it is not written."""

    exit_code = 1


@dataclass
class NoticeCheck:
    """What the check found in each file (masked), empty when the notice may be published."""

    html: list[dict]
    pdf: list[dict]

    @property
    def clean(self) -> bool:
        return not self.html and not self.pdf


def pdf_text(pdf: str | Path) -> str:
    """The text of a PDF as pdftotext reads it (layout kept, so split numbers stay near each other)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise MissingDependencyError("pdftotext is not installed, so the PDF cannot be checked for personal data",
                                     hint="Install poppler-utils (scripts/system-deps.sh), or write the HTML only "
                                          "with --no-pdf.")
    done = subprocess.run([exe, "-enc", "UTF-8", "-layout", str(pdf), "-"], capture_output=True, timeout=120,
                          check=False)
    if done.returncode != 0:
        raise CasebookError(f"pdftotext could not read the notice PDF: {done.stderr.decode(errors='replace')[:200]}",
                            path=str(pdf), hint="Run again; if it repeats, report it with the PDF.")
    return done.stdout.decode("utf-8", errors="replace")


def check_notice_files(html: Path, pdf: Path | None) -> NoticeCheck:
    """Scan the HTML source and the PDF text for ID numbers, mobiles, bank cards and e-mails."""
    html_found = [f.to_dict() for f in find_personal_data(html.read_text(encoding="utf-8"))]
    pdf_found = [f.to_dict() for f in find_personal_data(pdf_text(pdf))] if pdf is not None else []
    return NoticeCheck(html_found, pdf_found)


def write_notice(notice: Notice, out_dir: str | Path, *, pdf: bool = True) -> list[Path]:
    """Render, print, check, and only then publish ``notice.html``, ``notice.pdf`` and ``notice.json``.

    Raises
    ------
    NoticeRefused
        The HTML or the PDF text still holds personal data (nothing is written).
    """
    from casebook.html_pages import render

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".notice-", dir=out) as tmp:
        work = Path(tmp)
        html = write_text_atomic(work / NOTICE_HTML, render("public_notice.html", s=notice.summary,
                                                                  paragraphs=notice.decision_text,
                                                                  typical=notice.typical_case))
        printed = None
        if pdf:
            from casebook.pdf import PdfPrinter

            printed = PdfPrinter().print(html, work / NOTICE_PDF)
        check = check_notice_files(html, printed)
        if not check.clean:
            kinds = sorted({f["kind"] for f in check.html + check.pdf})
            raise NoticeRefused(f"the notice still holds personal data ({', '.join(kinds)}): it was not written",
                                hint="Remove the numbers from case.yml (decision.facts, party) or mark them, and "
                                     "run again.")
        record = {"case_id": notice.case_id, "removed": notice.removed, "checked": {"html": True, "pdf": pdf},
                  "summary": notice.summary}
        write_text_atomic(work / "notice.json", json.dumps(record, ensure_ascii=False, indent=1) + "\n")
        written = []
        for name in (NOTICE_HTML, NOTICE_PDF, "notice.json"):
            if (work / name).is_file():
                (work / name).replace(out / name)
                written.append(out / name)
    return written
