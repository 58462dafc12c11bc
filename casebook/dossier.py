"""Run the dossier template for one case and export it: ``OUT/<case_id>/`` holds the executed
``dossier.ipynb``, ``dossier.html`` (no code, no network), optionally ``dossier.pdf``, and
``summary.json``.

``summary.json`` is written last and carries a fingerprint of everything the dossier depends on
(case folder content, the casebook tables, template, parameters, casebook version), so a rerun can
skip a case that did not change - by content, not mtime - and a case cut off mid-render is redone.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from casebook import __version__
from casebook.case import load_case
from casebook.export import notebook_to_html
from casebook.notebook_run import DEFAULT_CELL_TIMEOUT, run_notebook, template_parameters
from safeio.atomic import write_text_atomic
from safeio.errors import InputError, UnsafePathError

REPO_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
NOTEBOOK, HTML, PDF, SUMMARY = "dossier.ipynb", "dossier.html", "dossier.pdf", "summary.json"


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

    def template_path(self) -> Path:
        return Path(self.template).resolve() if self.template else default_template()


@dataclass
class DossierResult:
    """One case's outcome; ``status`` is ``ok``, ``failed`` or ``skipped`` (unchanged since last time)."""

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


def fingerprint(case_root: Path, casebook_dir: Path, template: Path, parameters: dict) -> str:
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
    return digest.hexdigest()


def read_summary(out: Path) -> dict:
    try:
        return json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def render_html(case_dir: str | Path, out_root: str | Path, options: DossierOptions | None = None, *,
                casebook_dir: str | Path | None = None, resume: bool = False) -> DossierResult:
    """Execute the template for one case and export the HTML (the part a worker process does).

    Input that cannot be used (no case.yml, an unsafe id) raises :class:`InputError`; a failing
    cell does not raise: the result says ``failed`` with the cell and the error.
    """
    options = options or DossierOptions()
    started = time.perf_counter()
    case = load_case(case_dir)
    out = case_out_dir(out_root, case.case_id)
    book = Path(casebook_dir).resolve() if casebook_dir else case.root.parent
    template = options.template_path()
    parameters = {"case_dir": str(case.root), "out_dir": str(out), "casebook_dir": str(book),
                  "lang": options.lang, "basemap": options.basemap, "ocr_engine": options.ocr_engine,
                  "template_path": str(template)}
    known = template_parameters(template)
    if "case_dir" not in known:
        raise InputError("this template has no 'case_dir' parameter, so it cannot render a case", path=template,
                         hint="Use templates/case_dossier.ipynb, or declare case_dir in the parameters cell.")
    parameters = {k: v for k, v in parameters.items() if k in known}  # a leaner template may skip options
    stable = {k: v for k, v in parameters.items() if k not in ("out_dir", "template_path")}
    input_hash = fingerprint(case.root, book, template, stable)
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
    run = run_notebook(template, out / NOTEBOOK, parameters, cell_timeout=options.cell_timeout)
    outputs = {}
    if (out / NOTEBOOK).is_file():
        outputs["notebook"] = NOTEBOOK
        notebook_to_html(out / NOTEBOOK, out / HTML, title=f"{case.case_no} {case.title}".strip(),
                         allow_network=options.basemap not in ("", "none"))
        outputs["html"] = HTML
    kernel_summary = read_summary(out)  # written by the template's last cell when it got there
    summary = {
        "case_id": case.case_id, "case_no": case.case_no, "title": case.title, **kernel_summary,
        "status": "ok" if run.ok else "failed", "error": None if run.ok else run.failure.to_dict(),
        "input_hash": input_hash, "outputs": outputs, "seconds": round(time.perf_counter() - started, 3),
    }
    result = DossierResult(case.case_id, summary["status"], str(out), summary["seconds"], summary["error"],
                           outputs, summary, input_hash)
    write_summary(out, summary)
    return result


def write_summary(out: Path, summary: dict) -> Path:
    return write_text_atomic(out / SUMMARY, json.dumps(summary, ensure_ascii=False, indent=2, default=str))


def add_pdf(result: DossierResult, printer) -> DossierResult:
    """Print a rendered dossier with a (shared) :class:`~casebook.pdf.PdfPrinter`; note it in the summary."""
    if result.status not in ("ok", "skipped") or "html" not in result.outputs:
        return result
    out = Path(result.out_dir)
    if result.status == "skipped" and (out / PDF).is_file():
        return result
    started = time.perf_counter()
    printer.print(out / HTML, out / PDF)
    result.pdf_seconds = round(time.perf_counter() - started, 3)
    result.outputs = {**result.outputs, "pdf": PDF}
    result.summary = {**result.summary, "outputs": result.outputs}
    write_summary(out, result.summary)
    return result


def render_dossier(case_dir: str | Path, out_root: str | Path, options: DossierOptions | None = None, *,
                   pdf: bool = False, casebook_dir: str | Path | None = None, printer=None) -> DossierResult:
    """One case, start to finish: notebook, HTML and (with ``pdf=True``) the PDF."""
    result = render_html(case_dir, out_root, options, casebook_dir=casebook_dir)
    if pdf and result.status == "ok":
        if printer is None:
            from casebook.pdf import PdfPrinter

            with PdfPrinter() as own:
                return add_pdf(result, own)
        return add_pdf(result, printer)
    return result
