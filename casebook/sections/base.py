"""The case dossier being rendered: what ``templates/case_dossier.ipynb`` runs, one call per section.

Each section lives in its own module of :mod:`casebook.sections` and presents library data as
escaped HTML, modelled on the SAMR case file (docs/domain.md).  ``Dossier.summary`` gathers what
each section found; ``finish()`` hands it to the renderer inside the executed notebook (the
renderer is the one writer of ``summary.json``).  A section whose input is unusable (a
:class:`~safeio.errors.CasebookError`) shows the error in its place and marks the dossier
degraded; any other exception fails the cell, so the batch reports the cell and the error.

A new section is one module with a ``render(dossier)`` function and one method here (recipe in
docs/architecture.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from casebook.case import Case, load_case
from casebook.dossier_html import SUMMARY_MIME, Html, error_box, section
from casebook.dossier_inputs import DossierInputs
from casebook.sections import appendix, cover, evidence_list, linked, location
from casebook.sections import custody_log as custody
from casebook.sections import label_photos as labels
from casebook.sections.dossier_words import TEXT
from safeio.errors import CasebookError, InputError

__all__ = ["Dossier", "SummaryOutput"]


class SummaryOutput:
    """The dossier's summary as a notebook output: JSON for the renderer, one line for a person."""

    def __init__(self, summary: dict) -> None:
        self.summary = summary

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        failed = [name for name, state in self.summary["sections"].items() if state != "ok"]
        text = "summary: " + (f"sections not built: {', '.join(failed)}" if failed else "every section built")
        return {SUMMARY_MIME: self.summary, "text/plain": text}


class Dossier:
    """One case's dossier being rendered; each public method is one section of the template.

    Parameters
    ----------
    inputs : DossierInputs, dict or path
        What the case is rendered with (:class:`casebook.dossier_inputs.DossierInputs`, or its dict
        as the template receives it), or a case folder.
    **changes
        Fields of :class:`DossierInputs` to set (``lang="en"``, ``links=...``), mostly for a case
        folder given as a path.

    Sections read their inputs from ``self.inputs``; the attributes below are the ones most
    sections need, already turned into paths and objects.

    Raises
    ------
    InputError
        An unknown language, no case folder, or a case folder that cannot be used.
    """

    def __init__(self, inputs: DossierInputs | dict | str | Path, **changes) -> None:
        if isinstance(inputs, dict):
            inputs = DossierInputs.from_dict(inputs)
        elif not isinstance(inputs, DossierInputs):
            inputs = DossierInputs(case_dir=str(inputs))
        inputs = dataclasses.replace(inputs, **{k: str(v) if isinstance(v, Path) else v for k, v in changes.items()})
        if inputs.lang not in TEXT:
            raise InputError(f"unknown dossier language '{inputs.lang}'", field="lang", hint="Use zh or en.")
        if not inputs.case_dir.strip():
            raise InputError("no case folder was given", field="case_dir",
                             hint="Set case_dir to a case folder, e.g. out/sample/ZK-2024-001.")
        self.inputs = inputs
        self.case: Case = load_case(inputs.case_dir)
        self.lang = inputs.lang
        self.t = TEXT[inputs.lang]
        self.casebook_dir = Path(inputs.casebook_dir).resolve() if inputs.casebook_dir.strip() else self.case.root.parent
        self.basemap = inputs.basemap
        self.ocr_engine = inputs.ocr_engine
        self.template = Path(inputs.template).resolve() if inputs.template.strip() else None
        self.hotspots_path = Path(inputs.hotspots).resolve() if inputs.hotspots.strip() else None
        self.links_path = Path(inputs.links).resolve() if inputs.links.strip() else None
        from casebook.cachedir import reading_cache as default_cache

        self.readings = default_cache(inputs.reading_cache.strip() or None)
        # what the sections find; the renderer adds who the case is and how the render went
        self.summary: dict = {
            "sections": {}, "findings_by_code": {}, "n_findings": 0, "labels": 0,
            "label_errors": 0, "integrity": "unavailable", "custody": "unavailable",
            "setting": None, "in_hotspot": None, "trend": None, "manifest_root": None,
        }

    # -- helpers ---------------------------------------------------------------------------------
    def _failed(self, name: str, err: CasebookError) -> Html:
        self.summary["sections"][name] = "error"
        self.summary.setdefault("section_errors", {})[name] = err.to_dict()
        return section(name, self.t[name], error_box(str(err)))

    def _done(self, name: str, body: str) -> Html:
        self.summary["sections"].setdefault(name, "ok")
        return section(name, self.t[name], body)

    def _build(self, name: str, render: Callable[..., Html], *args) -> Html:
        try:
            return render(self, *args)
        except CasebookError as err:  # unusable input for this section: the others still render
            return self._failed(name, err)

    def hotspot_result(self):
        """The casebook's hot-spot analysis: the one handed in, else computed here from cases.csv."""
        from casebook.casebook_hotspots import analyse_casebook
        from geo.result_io import load_hotspots

        if self.hotspots_path is not None:
            return load_hotspots(self.hotspots_path)
        return analyse_casebook(self.casebook_dir)

    # -- the sections, in the order of the SAMR case file; each lives in its own module -----------
    def cover(self) -> Html:
        """1 卷宗封面."""
        return self._build("cover", cover.render)

    def evidence(self) -> Html:
        """2 证据清单 / 电子数据清单."""
        return self._build("evidence", evidence_list.render)

    def labels(self) -> Html:
        """3 标签识别与筛查."""
        return self._build("labels", labels.render)

    def location(self) -> Html:
        """4 案发地."""
        return self._build("location", location.render)

    def linked(self) -> Html:
        """关联案件: linked cases, the entities they share and where each was read."""
        return self._build("linked", linked.render)

    def custody(self) -> Html:
        """5 监管链."""
        return self._build("custody", custody.render)

    def appendix(self) -> Html:
        """6 附录."""
        return self._build("appendix", appendix.render)

    def finish(self) -> SummaryOutput:
        """The summary of what each section found, as the last output of the notebook."""
        return SummaryOutput(self.summary)
