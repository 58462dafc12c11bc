"""The case dossier being rendered: what ``templates/case_dossier.ipynb`` runs, one call per section.

Each section lives in its own module of :mod:`casebook.sections` and presents library data as
escaped HTML, modelled on the SAMR case file (docs/domain.md).  ``Dossier.summary`` gathers what
each section found; ``finish()`` writes it as ``summary.json`` for the batch index.  A per-item
problem (a corrupt photo) shows inside its section; anything else fails the cell, so the batch
reports the cell and the error.
"""

from __future__ import annotations

import json
from pathlib import Path

from casebook.case import Case, load_case
from casebook.dossier_html import Html, error_box, note, section
from casebook.sections import appendix, cover, custody, evidence_list, labels, location
from casebook.sections.text import TEXT
from safeio.errors import CasebookError, InputError


class Dossier:
    """One case's dossier being rendered; each public method is one section of the template."""

    def __init__(self, case_dir: str | Path, *, out_dir: str | Path = "", casebook_dir: str | Path = "",
                 lang: str = "zh", basemap: str = "none", ocr_engine: str = "auto",
                 template: str | Path = "") -> None:
        if lang not in TEXT:
            raise InputError(f"unknown dossier language '{lang}'", field="lang", hint="Use zh or en.")
        if not str(case_dir).strip():
            raise InputError("no case folder was given", field="case_dir",
                             hint="Set case_dir to a case folder, e.g. out/sample/ZK-2024-001.")
        self.case: Case = load_case(case_dir)
        self.lang = lang
        self.t = TEXT[lang]
        self.out_dir = Path(out_dir).resolve() if str(out_dir).strip() else None
        self.casebook_dir = Path(casebook_dir).resolve() if str(casebook_dir).strip() else self.case.root.parent
        self.basemap = basemap
        self.ocr_engine = ocr_engine
        self.template = Path(template).resolve() if str(template).strip() else None
        self.summary: dict = {
            "case_id": self.case.case_id, "case_no": self.case.case_no, "title": self.case.title,
            "lang": lang, "sections": {}, "findings_by_code": {}, "n_findings": 0, "labels": 0,
            "label_errors": 0, "integrity": "unavailable", "custody": "unavailable",
            "setting": None, "in_hotspot": None, "trend": None, "manifest_root": None,
        }

    # -- helpers ---------------------------------------------------------------------------------
    def _unavailable(self, name: str, err: ImportError) -> Html:
        self.summary["sections"][name] = "unavailable"
        what = getattr(err, "name", None) or str(err)
        return section(name, self.t[name], note(self.t["unavailable"].format(what=what)))

    def _failed(self, name: str, err: CasebookError) -> Html:
        self.summary["sections"][name] = "error"
        return section(name, self.t[name], error_box(str(err)))

    def _done(self, name: str, body: str) -> Html:
        self.summary["sections"].setdefault(name, "ok")
        return section(name, self.t[name], body)

    # -- the sections, in the order of the SAMR case file; each lives in its own module -----------
    def cover(self) -> Html:
        """1 卷宗封面."""
        return cover.render(self)

    def evidence(self) -> Html:
        """2 证据清单 / 电子数据清单."""
        return evidence_list.render(self)

    def labels(self) -> Html:
        """3 标签识别与筛查."""
        return labels.render(self)

    def location(self) -> Html:
        """4 案发地."""
        return location.render(self)

    def custody(self) -> Html:
        """5 监管链."""
        return custody.render(self)

    def appendix(self, parameters: dict | None = None) -> Html:
        """6 附录."""
        return appendix.render(self, parameters)

    def finish(self) -> Path | None:
        """Write ``summary.json`` into the output folder (atomically); the batch index reads it."""
        if self.out_dir is None:
            return None
        from safeio.atomic import write_text_atomic

        return write_text_atomic(self.out_dir / "summary.json",
                                 json.dumps(self.summary, ensure_ascii=False, indent=2, default=str))

