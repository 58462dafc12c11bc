"""Run the dossier template for one case and export it: ``OUT/<case_id>/`` holds the executed
``dossier.ipynb``, ``dossier.html`` (no code, no network), optionally ``dossier.pdf``, and
``summary.json``.

A case is rendered with one :class:`~casebook.dossier_inputs.DossierInputs`, handed whole to the
template. ``summary.json`` has one shape (:func:`case_summary`) and one writer,
:func:`write_summary`, called last by :func:`finish_case` (after the PDF). It carries the
fingerprint of the inputs (:meth:`DossierInputs.digest`), so a rerun can skip a case that did not
change - by content, not mtime - while a case cut off mid-render, or rendered degraded, is
rendered again.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from casebook.case import load_case
from casebook.dossier_html import SUMMARY_MIME
from casebook.dossier_inputs import DossierInputs, default_template
from casebook.export import notebook_to_html
from casebook.kernel.kernels import KernelLimits
from casebook.kernel.notebook_run import DEFAULT_CELL_TIMEOUT, NotebookRun, run_notebook, template_parameters
from safeio.atomic import write_text_atomic
from safeio.errors import CasebookError, InputError, IntegrityError, UnsafePathError

__all__ = ["HTML", "NOTEBOOK", "PDF", "SECTIONS", "SUMMARY", "DossierResult", "add_pdf", "case_out_dir",
           "case_summary", "default_template", "dossier_status", "execute_and_export", "finish_case",
           "kernel_summary", "read_summary", "render_case", "render_dossier", "write_summary"]

NOTEBOOK, HTML, PDF, SUMMARY = "dossier.ipynb", "dossier.html", "dossier.pdf", "summary.json"
# the sections of the shipped template: a dossier that lacks one of them is incomplete
SECTIONS = ("cover", "evidence", "labels", "location", "linked", "custody", "appendix")


@dataclass
class DossierResult:
    """One case's outcome; ``status`` is ``ok``, ``degraded``, ``failed`` or ``skipped`` (unchanged).

    ``error`` has the one shape of :meth:`safeio.errors.CasebookError.to_dict`.
    """

    case_id: str
    status: str
    out_dir: str = ""
    seconds: float = 0.0
    error: dict | None = None
    outputs: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    input_hash: str = ""
    pdf_seconds: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def case_out_dir(out_root: str | Path, case_id: str) -> Path:
    """``out_root/<case_id>``, refusing anything that would land outside ``out_root``."""
    root = Path(out_root).resolve()
    target = (root / case_id).resolve()
    if target.parent != root:
        raise UnsafePathError(f"the case id '{case_id}' would write outside {root}", field="case_id",
                              hint="Case ids may hold only letters, digits, '-' and '_'.")
    return target


def read_summary(out: Path) -> dict:
    """The ``summary.json`` of a case's output folder, or ``{}`` when there is none (or it is unreadable)."""
    try:
        return json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}


def kernel_summary(notebook: Path) -> dict:
    """What the template's sections found: the ``Dossier.finish()`` output of the executed notebook."""
    import nbformat

    try:
        nb = nbformat.read(str(notebook), as_version=4)
    except (OSError, ValueError) as err:  # unreadable notebook: the render failed anyway
        return {"sections": {}, "read_error": str(err)[:500]}
    for cell in reversed(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if SUMMARY_MIME in data:
                return dict(data[SUMMARY_MIME])
    return {}


def dossier_status(run_ok: bool, sections: dict, expected: tuple[str, ...] = ()) -> str:
    """``failed`` when the notebook stopped; ``degraded`` when a section could not be built; else ``ok``."""
    if not run_ok:
        return "failed"
    if any(state != "ok" for state in sections.values()) or any(name not in sections for name in expected):
        return "degraded"
    return "ok"


def render_case(inputs: DossierInputs | str | Path, out_root: str | Path, *, resume: bool = False,
                    warm_next: bool = False) -> DossierResult:
    """Execute the template for one case, export the HTML, or skip it when nothing changed (a worker's part).

    Parameters
    ----------
    inputs : DossierInputs, or a case folder
        What the case is rendered with (a bare folder: the defaults for everything else).
    out_root : path
        The folder under which ``<case_id>/`` is written.
    resume : bool
        Skip a case whose last render was complete (``ok``) and whose inputs did not change.
    warm_next : bool
        Start the next case's kernel while this one renders (batch workers).

    Returns
    -------
    DossierResult
        Status ``ok``, ``degraded`` (a section could not be built), ``failed`` (the notebook
        stopped; ``error`` says where) or ``skipped``, with the case's summary (:func:`case_summary`).
        Nothing is written to ``summary.json`` here: :func:`finish_case` does that, after the PDF.

    Raises
    ------
    InputError
        No usable case.yml, an unsafe case id, or a template without ``inputs``.
    """
    if not isinstance(inputs, DossierInputs):
        inputs = DossierInputs(case_dir=str(inputs))
    started, cpu_started = time.perf_counter(), time.process_time()
    case = load_case(inputs.case_dir)
    out = case_out_dir(out_root, case.case_id)
    template = inputs.template_path()
    # the paths as the dossier shows them: absolute
    inputs = inputs.with_case(case.root, casebook_dir=str(inputs.casebook_path()), template=str(template))
    if "inputs" not in template_parameters(template):
        raise InputError("this template has no 'inputs' parameter, so it cannot render a case", path=template,
                         hint="Use templates/case_dossier.ipynb, or declare inputs = {} in the parameters cell.")
    input_hash = inputs.digest(case.case_id)
    previous = read_summary(out)
    if resume and previous.get("status") == "ok" and previous.get("input_hash") == input_hash \
            and (out / HTML).is_file():
        return DossierResult(case.case_id, "skipped", str(out), 0.0, None, previous.get("outputs", {}),
                             previous, input_hash)
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob(".*.tmp"), *out.glob(".*.tmp.ipynb")]:  # left by a render killed midway
        stale.unlink(missing_ok=True)
    (out / SUMMARY).unlink(missing_ok=True)  # no summary until this render is complete
    (out / PDF).unlink(missing_ok=True)  # a PDF of an older render would not match the new HTML
    run, outputs = execute_and_export(template, out / NOTEBOOK, out / HTML, {"inputs": inputs.to_dict()},
                                      title=f"{case.case_no} {case.title}".strip(),
                                      allow_network=inputs.basemap not in ("", "none"),
                                      cell_timeout=inputs.cell_timeout, limits=inputs.kernel_limits(),
                                      warm_next=warm_next)
    found = kernel_summary(out / NOTEBOOK) if "notebook" in outputs else {}
    expected = SECTIONS if template == default_template() else ()
    status = dossier_status(run.ok, found.get("sections", {}), expected)
    if run.ok:  # evidence that does not verify, or unreadable photos, never make an "ok" dossier
        from casebook.dossier_checks import evidence_problems

        found["problems"] = evidence_problems(case.root, found)
        status = "degraded" if found["problems"] and status == "ok" else status
    problem = IntegrityError("the dossier was rendered but: " + "; ".join(found["problems"]), path=case.root,
                             hint="See the red rows of the dossier; 'casebook evidence verify' says more.") \
        if run.ok and found.get("problems") else None
    error = (problem.to_dict() if problem else None) if run.ok else run.failure.to_dict()
    seconds = round(time.perf_counter() - started, 3)
    # this process and the kernel: what the dossier cost, whatever else the machine was doing
    cpu = None if run.kernel_cpu_seconds is None else round(time.process_time() - cpu_started
                                                            + run.kernel_cpu_seconds, 3)
    summary = case_summary(case, inputs.lang, found, status=status, error=error, input_hash=input_hash,
                           kernel_limits=run.limits, seconds=seconds, cpu_seconds=cpu)
    return DossierResult(case.case_id, status, str(out), seconds, error, outputs, summary, input_hash)


render_html = render_case  # the former name, for callers not yet moved


def case_summary(case, lang: str, found: dict, **run) -> dict:
    """The one shape of ``summary.json``: who the case is (the case folder), what the sections found
    (the kernel's data), how the render went (the renderer). ``outputs`` and ``pdf_seconds`` are
    added by :func:`finish_case` when it writes the file."""
    return {"case_id": case.case_id, "case_no": case.case_no, "title": case.title, "lang": lang, **found, **run}


def execute_and_export(template: Path, notebook: Path, html: Path, parameters: dict, *, title: str,
                       allow_network: bool = False, cell_timeout: int = DEFAULT_CELL_TIMEOUT,
                       limits: KernelLimits | None = None, warm_next: bool = False) -> tuple[NotebookRun, dict]:
    """Template -> executed notebook -> offline HTML: the one path of dossiers and hotspot briefs.

    Parameters
    ----------
    template, notebook, html : Path
        The template, and where the executed notebook and its HTML go.
    parameters : dict
        The template's parameters (names checked against its ``parameters`` cell).
    title : str
        The HTML page title.
    allow_network : bool
        Drop the offline Content-Security-Policy (maps with an online basemap).
    cell_timeout, limits, warm_next
        As for :func:`casebook.kernel.notebook_run.run_notebook`.

    Returns
    -------
    tuple of NotebookRun and dict
        The run, and ``{"notebook": name, "html": name}`` for what was written (a notebook that
        stopped is still written and exported, with its traceback).
    """
    run = run_notebook(template, notebook, parameters, cell_timeout=cell_timeout, limits=limits,
                       warm_next=warm_next)
    outputs = {}
    if notebook.is_file():
        outputs["notebook"] = notebook.name
        notebook_to_html(notebook, html, title=title, allow_network=allow_network)
        outputs["html"] = html.name
    return run, outputs


def write_summary(result: DossierResult) -> Path | None:
    """Write the case's ``summary.json``: the last file of a render, and only ever written here.

    Its presence says the render is complete; a resume trusts it only when its status is ``ok``
    and its input fingerprint matches.
    """
    if not result.out_dir or not result.summary:
        return None
    summary = {**result.summary, "outputs": result.outputs}
    if result.status != "skipped":  # an unchanged case keeps the status of the render it skipped
        summary.update(status=result.status, error=result.error)
    if result.pdf_seconds is not None:
        summary["pdf_seconds"] = result.pdf_seconds
    return write_text_atomic(Path(result.out_dir) / SUMMARY,
                             json.dumps(summary, ensure_ascii=False, indent=2, default=str))


def add_pdf(result: DossierResult, printer) -> DossierResult:
    """Print a rendered dossier with a (shared) :class:`~casebook.pdf.PdfPrinter`.

    Returns the result with ``pdf`` among its outputs; a PDF that cannot be printed fails the case
    (not the batch). :func:`finish_case` then writes the summary.
    """
    if result.status not in ("ok", "degraded", "skipped") or "html" not in result.outputs:
        return result
    out = Path(result.out_dir)
    if result.status == "skipped" and (out / PDF).is_file():
        return result
    started = time.perf_counter()
    try:
        printer.print(out / HTML, out / PDF)
    except Exception as err:  # any printer failure is this case's, reported in its summary
        error = CasebookError(f"the PDF could not be printed ({type(err).__name__}: {err})"[:1000],
                              path=out / HTML,
                              hint="Open the HTML in a browser and print it; check that Chromium runs.")
        result.status, result.error = "failed", error.to_dict()
        return result
    result.pdf_seconds = round(time.perf_counter() - started, 3)
    result.outputs = {**result.outputs, "pdf": PDF}
    return result


def finish_case(result: DossierResult, printer=None) -> DossierResult:
    """The end of one case's render, for ``dossier run`` and the batch alike: the PDF (with a
    printer), then ``summary.json``. An unchanged case keeps its summary unless it gained a PDF."""
    if not result.out_dir or not result.summary:
        return result  # unusable case: nothing of it was written
    if printer is not None:
        result = add_pdf(result, printer)
    if result.status != "skipped" or result.pdf_seconds is not None:
        write_summary(result)
    return result


def render_dossier(inputs: DossierInputs | str | Path, out_root: str | Path, *, pdf: bool = False,
                   printer=None) -> DossierResult:
    """One case, start to finish: notebook, HTML, (with ``pdf=True``) the PDF, then ``summary.json``.

    Parameters
    ----------
    inputs : DossierInputs, or a case folder
        What the case is rendered with.
    out_root : path
        The output folder (the dossier goes to ``out_root/<case_id>/``).
    pdf : bool
        Also print ``dossier.pdf`` with headless Chromium.
    printer : PdfPrinter, optional
        A running printer to reuse.

    Returns
    -------
    DossierResult

    Raises
    ------
    InputError
        The case folder or the template cannot be used.
    """
    result = render_case(inputs, out_root)
    if not pdf or result.status not in ("ok", "degraded"):
        return finish_case(result)
    if printer is not None:
        return finish_case(result, printer)
    from casebook.pdf import PdfPrinter

    with PdfPrinter() as own:
        return finish_case(result, own)
