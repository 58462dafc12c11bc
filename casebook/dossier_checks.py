"""What a rendered dossier must not call ``ok``: evidence that does not verify, photos that could not be read.

A dossier is rendered even then (it shows the problem in red); its status says ``degraded`` and the
command exits 1, so a batch report or a script never takes such a case for a clean one.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["evidence_problems"]

_INTEGRITY = {"tampered": "the evidence does not match its sealed manifest",
              "manifest_broken": "the sealed manifest cannot be used"}


def evidence_problems(case_dir: str | os.PathLike, summary: dict) -> list[str]:
    """Plain sentences, one per problem, from the dossier's summary and a fresh look at the case's captures.

    Parameters
    ----------
    case_dir : the case folder.
    summary : the summary the template's kernel wrote (``integrity``, ``custody``, ``label_errors``).

    Returns
    -------
    list of str
        Empty when the evidence verifies and every photo was read.
    """
    problems = []
    if summary.get("integrity") in _INTEGRITY:
        problems.append(_INTEGRITY[summary["integrity"]])
    if summary.get("custody") == "broken":
        problems.append("the custody log does not verify")
    if summary.get("label_errors"):
        problems.append(f"{summary['label_errors']} label photo(s) could not be read")
    from casebook.sealing import unrecorded_case_captures
    from casebook.webcapture.capture_listing import captured_pages

    case = Path(case_dir)
    problems += [f"{item['path']}: {item['reason']}" for item in unrecorded_case_captures(case)]
    problems += [f"{page.folder}: {page.problem or 'does not verify'}" for page in captured_pages(case)
                 if not page.verified]
    return problems
