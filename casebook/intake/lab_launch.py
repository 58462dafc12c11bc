"""``casebook lab CASE_DIR``: JupyterLab on the investigator's walkthrough, set to one real case.

The walkthrough notebook shipped with casebook is copied to ``<case>/lab/case_walkthrough.ipynb``
with its ``parameters`` cell set to that case (papermill's parameterisation, which injects a
cell and runs nothing), then JupyterLab opens it.  A copy already there is the investigator's
own work and is kept (``fresh=True`` makes a new one beside it).  ``lab/`` is outside
``evidence/`` and ``labels/``, so working in it never touches the sealed evidence.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from casebook.case import load_case
from safeio.atomic import write_text_atomic
from safeio.errors import MissingDependencyError

__all__ = ["LAB_DIR", "WALKTHROUGH", "LabPlan", "lab_command", "launch_plan", "prepare_lab"]

LAB_DIR = "lab"
WALKTHROUGH = Path(__file__).resolve().parents[2] / "notebooks" / "case_walkthrough.ipynb"


@dataclass
class LabPlan:
    """The notebook written (or kept) for the case and the command that opens it."""

    case_dir: Path
    notebook: Path
    created: bool
    command: list[str]

    def to_dict(self) -> dict:
        return {"case_dir": str(self.case_dir), "notebook": str(self.notebook), "created": self.created,
                "command": self.command}


def _free(path: Path) -> Path:
    number = 1
    target = path
    while target.exists():
        number += 1
        target = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return target


def prepare_lab(case_dir: str | os.PathLike, *, fresh: bool = False, template: Path | None = None) -> tuple[Path, bool]:
    """Write the parameterised walkthrough for the case (unless one is there); ``(path, created)``."""
    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    case = load_case(case_dir)
    folder = case.root / LAB_DIR
    folder.mkdir(exist_ok=True)
    target = folder / "case_walkthrough.ipynb"
    if target.exists() and not fresh:
        return target, False
    target = _free(target) if target.exists() else target
    source = template or WALKTHROUGH
    if not source.is_file():
        raise MissingDependencyError("the case walkthrough notebook is missing from this installation", path=source,
                                     hint="Reinstall casebook from its source tree (notebooks/ ships with it).")
    notebook = load_notebook_node(str(source))  # papermill's reader gives every cell the tags it looks for
    notebook = parameterize_notebook(notebook, {"case_dir": str(case.root)}, kernel_name=None)
    write_text_atomic(target, nbformat.writes(notebook))
    return target, True


def lab_command(notebook: Path, *, browser: bool = True) -> list[str]:
    """The JupyterLab command that opens ``notebook`` with its folder as the root."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={notebook.parent}", str(notebook)]
    if not browser:
        command.append("--no-browser")
    return command


def launch_plan(case_dir: str | os.PathLike, *, fresh: bool = False, browser: bool = True) -> LabPlan:
    """Prepare the notebook and say how it opens (the CLI runs the command unless asked not to)."""
    notebook, created = prepare_lab(case_dir, fresh=fresh)
    if shutil.which("jupyter-lab") is None and not _has_module("jupyterlab"):
        raise MissingDependencyError("JupyterLab is not installed", hint="Run 'make setup' (or pip install jupyterlab).")
    return LabPlan(Path(case_dir).resolve(), notebook, created, lab_command(notebook, browser=browser))


def _has_module(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(name) is not None
