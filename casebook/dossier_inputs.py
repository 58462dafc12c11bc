"""What one case's dossier is rendered with: one frozen value, built once at the edge.

The command (``casebook dossier run|batch``) builds a :class:`DossierInputs`; the batch fills in
what it computed once for the casebook (hot spots, links) and sets each case's folder; the worker
gets it whole, the fingerprint hashes it whole (:func:`DossierInputs.digest`) and the template
receives it whole as its one parameter ``inputs`` (a plain dict), from which
:class:`casebook.sections.Dossier` rebuilds it.  Every field says how it counts for the resume
fingerprint (``digest=``) and, when the command line sets it, its option.

A new input is one field here plus the code that reads it (``d.inputs.<name>`` in a section)::

    ccc_register: str = case_input("", digest="file", option="--ccc-register",
                                   help="The CCC certificate register (CSV).")
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, fields
from pathlib import Path

from casebook import __version__
from safeio.errors import InputError

__all__ = ["DIGESTS", "DossierInputs", "case_input", "default_template"]

REPO_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# How a field counts for the fingerprint; a field must say which, so none is forgotten.
DIGESTS = {
    "value": "its value",
    "file": "its value and the content of the file it names (when there is one)",
    "folder": "its value and the content of every file under the folder",
    "casebook": "its value and the content of the casebook's cases.csv and baseline.csv",
    "case_view": "the case's own link view in the folder (other cases change this case's linked section)",
    "content": "the content of the file it names, not where it is",
    "none": "nothing: it changes how or where a dossier is made, not what it shows",
}


def default_template(name: str = "case_dossier.ipynb") -> Path:
    """The template shipped in ``templates/`` (or ``casebook/templates/`` in a wheel)."""
    for folder in (REPO_TEMPLATES, Path(__file__).resolve().parent / "templates"):
        if (folder / name).is_file():
            return folder / name
    raise InputError(f"the template {name} was not found", path=REPO_TEMPLATES / name,
                     hint="Reinstall casebook, or pass --template with the path of the .ipynb file.")


def case_input(default, *, digest: str, option: str = "", help: str = "", choices: tuple = (),
               minimum: int | None = None, path: bool = False):
    """A field of :class:`DossierInputs`: how it counts for the fingerprint and, optionally, its option."""
    if digest not in DIGESTS:
        raise ValueError(f"digest must be one of {', '.join(DIGESTS)}")
    return dataclasses.field(default=default, metadata={
        "digest": digest, "option": option, "help": help, "choices": tuple(choices), "minimum": minimum,
        "path": path})


@dataclass(frozen=True)
class DossierInputs:
    """Everything one case's dossier depends on. Paths are plain strings ("" = not given)."""

    case_dir: str = case_input("", digest="folder")
    casebook_dir: str = case_input("", digest="casebook")  # "" = the case folder's parent
    lang: str = case_input("zh", digest="value", option="--lang", help="Dossier language.", choices=("zh", "en"))
    basemap: str = case_input("none", digest="value", option="--basemap",
                              help="Map background; 'none' keeps the dossier fully offline.",
                              choices=("none", "osm", "gaode", "tianditu"))
    ocr_engine: str = case_input("auto", digest="value", option="--engine", help="OCR engine.",
                                 choices=("auto", "rapidocr", "tesseract"))
    template: str = case_input("", digest="content", option="--template", path=True,
                               help="Another template notebook (default: templates/case_dossier.ipynb).")
    # derived from cases.csv and baseline.csv, which count through casebook_dir
    hotspots: str = case_input("", digest="none")
    links: str = case_input("", digest="case_view")
    reading_cache: str = case_input("", digest="none")  # a cache: the same readings, found sooner
    # a render cut off by a limit is not complete, so it is rendered again whatever the limits
    cell_timeout: int = case_input(600, digest="none", option="--cell-timeout", minimum=1,  # the runner's default
                                   help="Seconds one template cell may run.")
    kernel_memory_mb: int | None = case_input(None, digest="none")
    kernel_seconds: int | None = case_input(None, digest="none")

    # -- building ---------------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict) -> DossierInputs:
        """The value back from its dict (the template's ``inputs`` parameter); unknown names are refused."""
        if not isinstance(data, dict):
            raise InputError("the template parameter 'inputs' is not a dict", field="inputs",
                             hint="Set inputs = {'case_dir': 'path/to/case'} in the parameters cell.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(f"unknown dossier input(s): {', '.join(map(str, unknown))}", field="inputs",
                             hint="Known inputs: " + ", ".join(sorted(known)))
        return cls(**data)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def with_case(self, case_dir: str | Path, **changes) -> DossierInputs:
        """The same inputs for another case folder (a batch renders every case with one value)."""
        return dataclasses.replace(self, case_dir=str(case_dir), **changes)

    # -- reading ----------------------------------------------------------------------------------
    def casebook_path(self) -> Path:
        """The casebook holding cases.csv: the one given, else the case folder's parent."""
        if self.casebook_dir.strip():
            return Path(self.casebook_dir).resolve()
        return Path(self.case_dir).resolve().parent

    def template_path(self) -> Path:
        return Path(self.template).resolve() if self.template.strip() else default_template()

    def kernel_limits(self):
        """The kernel's caps: these inputs where set, else the defaults of :class:`KernelLimits`."""
        from casebook.kernel.kernels import KernelLimits

        default = KernelLimits()
        return KernelLimits(memory_mb=default.memory_mb if self.kernel_memory_mb is None else self.kernel_memory_mb,
                            seconds=default.seconds if self.kernel_seconds is None else self.kernel_seconds)

    # -- the fingerprint --------------------------------------------------------------------------
    def digest(self, case_id: str) -> str:
        """SHA-256 over every field, each as its ``digest`` says: content, not mtime, counts."""
        digest = hashlib.sha256(f"casebook {__version__}\0".encode())

        def feed(label: str, path: Path) -> None:
            digest.update(f"\0{label}\0".encode("utf-8", "surrogateescape"))  # names from seized media need not be UTF-8
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)

        for f in fields(self):
            kind, value = f.metadata["digest"], getattr(self, f.name)
            if kind == "none":
                continue
            if kind != "content" and kind != "case_view":
                digest.update(json.dumps([f.name, value], ensure_ascii=False).encode())
            if kind == "file" and value and Path(value).is_file():
                feed(f.name, Path(value))
            elif kind == "content":
                feed(f.name, self.template_path() if f.name == "template" else Path(value))
            elif kind == "folder" and value:
                root = Path(value)
                for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
                    feed(f"{f.name}/{path.relative_to(root).as_posix()}", path)
            elif kind == "casebook":
                book = self.casebook_path()
                for name in ("cases.csv", "baseline.csv"):
                    if (book / name).is_file():
                        feed(name, book / name)
            elif kind == "case_view" and value and (Path(value) / f"{case_id}.json").is_file():
                feed(f.name, Path(value) / f"{case_id}.json")
        return digest.hexdigest()
