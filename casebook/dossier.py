"""Run the dossier template for one case and export it: ``OUT/<case_id>/`` holds the executed
``dossier.ipynb``, ``dossier.html`` (no code, no network), optionally ``dossier.pdf``, and
``summary.json``.

``summary.json`` has one writer, :func:`write_summary`, called last (after the PDF). It carries a
fingerprint of everything the dossier depends on (case folder content, the casebook tables,
template, parameters, casebook version), so a rerun can skip a case that did not change - by
content, not mtime - while a case cut off mid-render, or rendered degraded, is rendered again.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from casebook import __version__
from casebook.case import load_case
from casebook.dossier_html import SUMMARY_MIME
from casebook.export import notebook_to_html
from casebook.kernel.kernels import KernelLimits
from casebook.kernel.notebook_run import DEFAULT_CELL_TIMEOUT, NotebookRun, run_notebook, template_parameters
from safeio.atomic import write_text_atomic
from safeio.errors import InputError, IntegrityError, UnsafePathError

__all__ = ["HTML", "NOTEBOOK", "PDF", "SECTIONS", "SUMMARY", "DossierOptions", "DossierResult", "add_pdf",
           "case_out_dir", "default_template", "dossier_status", "execute_and_export", "fingerprint", "kernel_summary", "read_summary",
           "render_dossier", "render_html", "write_summary"]

REPO_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
NOTEBOOK, HTML, PDF, SUMMARY = "dossier.ipynb", "dossier.html", "dossier.pdf", "summary.json"
# the sections of the shipped template: a dossier that lacks one of them is incomplete
SECTIONS = ("cover", "evidence", "labels", "location", "linked", "custody", "appendix")


def default_template(name: str = "case_dossier.ipynb") -> Path:
    """The template shipped in ``templates/`` (or ``casebook/templates/`` in a wheel)."""
    for folder in (REPO_TEMPLATES, Path(__file__).resolve().parent / "templates"):
        if (folder / name).is_file():
            return folder / name
    raise InputError(f"the template {name} was not found", path=REPO_TEMPLATES / name,
                     hint="Reinstall casebook, or pass --template with the path of the .ipynb file.")


@dataclass
class DossierOptions:
    """Everything besides the case that changes a dossier; part of the resume fingerprint."""

    lang: str = "zh"
    basemap: str = "none"
    ocr_engine: str = "auto"
    cell_timeout: int = DEFAULT_CELL_TIMEOUT
    template: str = ""
    kernel_memory_mb: int | None = None
    kernel_seconds: int | None = None

    def template_path(self) -> Path:
        return Path(self.template).resolve() if self.template else default_template()

    def kernel_limits(self) -> KernelLimits:
        """The kernel's caps: these options where set, else the defaults of :class:`KernelLimits`."""
        default = KernelLimits()
        return KernelLimits(memory_mb=default.memory_mb if self.kernel_memory_mb is None else self.kernel_memory_mb,
                            seconds=default.seconds if self.kernel_seconds is None else self.kernel_seconds)


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


def fingerprint(case_root: Path, casebook_dir: Path, template: Path, parameters: dict,
                extra: list[Path] = ()) -> str:
    """SHA-256 over the content of every input: a touched-but-unchanged file does not count."""
    digest = hashlib.sha256()

    def feed(label: str, path: Path) -> None:
        digest.update(f"\0{label}\0".encode())
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)

    digest.update(f"casebook {__version__}\0".encode())
    digest.update(json.dumps(parameters, sort_keys=True, ensure_ascii=False).encode())
    feed("template", template)
    for name in ("cases.csv", "baseline.csv"):
        if (casebook_dir / name).is_file():
            feed(name, casebook_dir / name)
    for path in sorted(p for p in case_root.rglob("*") if p.is_file() and not p.is_symlink()):
        feed(path.relative_to(case_root).as_posix(), path)
    for path in extra:
        feed(path.name, path)
    return digest.hexdigest()


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


def render_html(case_dir: str | Path, out_root: str | Path, options: DossierOptions | None = None, *,
                casebook_dir: str | Path | None = None, resume: bool = False, hotspots: str | Path = "",
                links: str | Path = "",
                warm_next: bool = False) -> DossierResult:
    """Execute the template for one case and export the HTML (the part a worker process does).

    Parameters
    ----------
    case_dir, out_root : path
        The case folder, and the folder under which ``<case_id>/`` is written.
    options : DossierOptions, optional
        Language, basemap, OCR engine, timeouts, template.
    casebook_dir : path, optional
        The casebook holding cases.csv (default: the case folder's parent).
    resume : bool
        Skip a case whose last render was complete (``ok``) and whose inputs did not change.
    hotspots : path, optional
        A saved hot-spot analysis of the casebook (see :func:`geo.result_io.save_hotspots`).
    links : path, optional
        The per-case link views of the casebook (see :mod:`casebook.link_views`).
    warm_next : bool
        Start the next case's kernel while this one renders (batch workers).

    Returns
    -------
    DossierResult
        Status ``ok``, ``degraded`` (a section could not be built), ``failed`` (the notebook
        stopped; ``error`` says where) or ``skipped``. Nothing is written to ``summary.json``
        here: :func:`write_summary` does that, once the PDF (if any) is there too.

    Raises
    ------
    InputError
        No usable case.yml, an unsafe case id, or a template without ``case_dir``.
    """
    options = options or DossierOptions()
    started, cpu_started = time.perf_counter(), time.process_time()
    case = load_case(case_dir)
    out = case_out_dir(out_root, case.case_id)
    book = Path(casebook_dir).resolve() if casebook_dir else case.root.parent
    template = options.template_path()
    parameters = {"case_dir": str(case.root), "out_dir": str(out), "casebook_dir": str(book),
                  "lang": options.lang, "basemap": options.basemap, "ocr_engine": options.ocr_engine,
                  "template_path": str(template), "hotspots_path": str(hotspots or ""),
                  "links_path": str(links or "")}
    known = template_parameters(template)
    if "case_dir" not in known:
        raise InputError("this template has no 'case_dir' parameter, so it cannot render a case", path=template,
                         hint="Use templates/case_dossier.ipynb, or declare case_dir in the parameters cell.")
    parameters = {k: v for k, v in parameters.items() if k in known}  # a leaner template may skip options
    # where things go, and the hot spots (derived from cases.csv and baseline.csv), do not change a dossier
    stable = {k: v for k, v in parameters.items() if k not in ("out_dir", "template_path", "hotspots_path",
                                                               "links_path")}
    # other cases change this one's linked section: its view is an input too
    view = Path(links) / f"{case.case_id}.json" if links and "links_path" in parameters else None
    input_hash = fingerprint(case.root, book, template, stable, extra=[view] if view and view.is_file() else [])
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
    run, outputs = execute_and_export(template, out / NOTEBOOK, out / HTML, parameters,
                                      title=f"{case.case_no} {case.title}".strip(),
                                      allow_network=options.basemap not in ("", "none"),
                                      cell_timeout=options.cell_timeout, limits=options.kernel_limits(),
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
    summary = {
        "case_id": case.case_id, "case_no": case.case_no, "title": case.title, **found,
        "status": status, "error": (problem.to_dict() if problem else None) if run.ok else run.failure.to_dict(),
        "input_hash": input_hash, "outputs": outputs, "kernel_limits": run.limits,
        "seconds": round(time.perf_counter() - started, 3),
        # this process and the kernel: what the dossier cost, whatever else the machine was doing
        "cpu_seconds": None if run.kernel_cpu_seconds is None else
        round(time.process_time() - cpu_started + run.kernel_cpu_seconds, 3),
    }
    return DossierResult(case.case_id, status, str(out), summary["seconds"], summary["error"], outputs, summary,
                         input_hash)


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
    if result.pdf_seconds is not None:
        summary["pdf_seconds"] = result.pdf_seconds
    return write_text_atomic(Path(result.out_dir) / SUMMARY,
                             json.dumps(summary, ensure_ascii=False, indent=2, default=str))


def add_pdf(result: DossierResult, printer) -> DossierResult:
    """Print a rendered dossier with a (shared) :class:`~casebook.pdf.PdfPrinter`.

    Returns the result with ``pdf`` among its outputs; the caller writes the summary.
    """
    if result.status not in ("ok", "degraded", "skipped") or "html" not in result.outputs:
        return result
    out = Path(result.out_dir)
    if result.status == "skipped" and (out / PDF).is_file():
        return result
    started = time.perf_counter()
    printer.print(out / HTML, out / PDF)
    result.pdf_seconds = round(time.perf_counter() - started, 3)
    result.outputs = {**result.outputs, "pdf": PDF}
    result.summary = {**result.summary, "outputs": result.outputs}
    return result


def render_dossier(case_dir: str | Path, out_root: str | Path, options: DossierOptions | None = None, *,
                   pdf: bool = False, casebook_dir: str | Path | None = None, printer=None) -> DossierResult:
    """One case, start to finish: notebook, HTML, (with ``pdf=True``) the PDF, then ``summary.json``.

    Parameters
    ----------
    case_dir, out_root : path
        The case folder and the output folder (the dossier goes to ``out_root/<case_id>/``).
    options : DossierOptions, optional
        Language, basemap, OCR engine, timeouts, template.
    pdf : bool
        Also print ``dossier.pdf`` with headless Chromium.
    casebook_dir : path, optional
        The casebook holding cases.csv (default: the case folder's parent).
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
    result = render_html(case_dir, out_root, options, casebook_dir=casebook_dir)
    if pdf and result.status in ("ok", "degraded"):
        if printer is None:
            from casebook.pdf import PdfPrinter

            with PdfPrinter() as own:
                result = add_pdf(result, own)
        else:
            result = add_pdf(result, printer)
    write_summary(result)
    return result
