"""Run one papermill template safely: checked parameter names, plain Chinese, a fresh guarded kernel.

papermill escapes parameter *values* but not *names* (a crafted key is code in the injected cell),
writes Chinese as ``\\uXXXX`` escapes, and changes ``chdir`` for the whole process. This wrapper
closes those gaps (docs/domain.md, "Dossiers"), runs every notebook in its own kernel under the
limits of :mod:`casebook.kernel.kernels`, and turns a failing cell into data a batch can report.
"""

from __future__ import annotations

import json
import keyword
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jupyter_core.utils import run_sync

from casebook.kernel.kernels import KernelLimits, limits_note, take_kernel
from safeio.atomic import publish
from safeio.errors import CasebookError, InputError, MissingDependencyError

__all__ = ["DEFAULT_CELL_TIMEOUT", "KERNEL_NAME", "NotebookError", "NotebookRun", "check_parameters",
           "run_notebook", "template_parameters"]

KERNEL_NAME = "casebook"
DEFAULT_CELL_TIMEOUT = 600


def _install_plain_translator() -> None:
    """Make papermill write str parameters with ``repr`` (plain Chinese, safe quoting).

    papermill's PythonTranslator encodes with ``unicode_escape``: valid, but an investigator reading
    the injected cell sees ``\\u5468\\u53e3`` instead of 周口. ``repr`` gives a valid Python literal
    that keeps printable characters as they are and escapes quotes, backslashes and newlines.
    """
    from papermill.translators import PythonTranslator, papermill_translators

    class PlainPythonTranslator(PythonTranslator):
        @classmethod
        def translate_escaped_str(cls, str_val):
            return repr(str(str_val))

        @classmethod
        def translate_str(cls, val):
            return repr(str(val))

    papermill_translators.register("python", PlainPythonTranslator)
    papermill_translators.register(KERNEL_NAME, PlainPythonTranslator)


@lru_cache(maxsize=32)
def _template_parameters(path: str, mtime_ns: int) -> dict[str, dict]:
    import papermill

    return papermill.inspect_notebook(path)


def template_parameters(template: str | Path) -> dict[str, dict]:
    """The names (and defaults) declared in the template's cell tagged ``parameters``."""
    path = Path(template).resolve()
    if not path.is_file():
        raise InputError("the template notebook does not exist", path=path,
                         hint="Give a .ipynb file from the templates/ folder.")
    params = _template_parameters(str(path), path.stat().st_mtime_ns)
    if not params:
        raise InputError("the template has no cell tagged 'parameters'", path=path,
                         hint="In JupyterLab, add the tag 'parameters' to the cell holding the defaults.")
    return params


def check_parameters(template: str | Path, parameters: dict) -> dict:
    """Refuse names the template does not declare; make paths absolute and ids plain strings."""
    known = template_parameters(template)
    clean = {}
    for name, value in parameters.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise InputError(f"'{name}' is not a parameter name", field=str(name), path=template,
                             hint="Parameter names are plain Python names such as case_dir.")
        if name not in known:
            raise InputError(f"the template has no parameter '{name}'", field=name, path=template,
                             hint="Known parameters: " + ", ".join(sorted(known)))
        if isinstance(value, Path):
            value = str(value.resolve())
        elif not isinstance(value, str | bool | int | float | type(None) | list | dict):
            # case numbers, ids, dates and anything unusual travel as text: never as 12 for "0012"
            value = str(value)
        clean[name] = value
    return clean


class NotebookError(CasebookError):
    """A template stopped: a cell raised, ran out of time, or the kernel died.

    It travels as data (``to_dict()``, the one error shape of casebook) in summaries and batch
    reports; ``cell``, ``ename`` and ``evalue`` keep the details for a person reading the notebook.
    """

    exit_code = 1

    def __init__(self, cell: int | None, ename: str, evalue: str, *, path: str | Path | None = None) -> None:
        self.cell, self.ename, self.evalue = cell, ename, evalue
        where = f"cell {cell}" if cell is not None else "the kernel"
        super().__init__(f"{where} stopped with {ename}: {evalue}", path=path,
                         hint="Open the executed notebook to see the traceback; fix the input it names "
                         "and render again." if cell is not None else
                         "The kernel ran out of time or memory, or died; see docs/architecture.md, 'Kernels'.")


@dataclass
class NotebookRun:
    """An executed notebook: where it was written, and why it stopped early (``failure``), if it did."""

    output: Path
    failure: NotebookError | None
    seconds: float
    limits: str = ""
    kernel_cpu_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def _whole_json(path: Path) -> bool:
    """Is the notebook papermill wrote complete JSON?  A disk that filled up mid-write leaves half of one."""
    try:
        json.loads(path.read_bytes())
    except ValueError:
        return False
    return True


def run_notebook(
    template: str | Path,
    output: str | Path,
    parameters: dict,
    *,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    kernel_name: str = KERNEL_NAME,
    start_timeout: int = 60,
    limits: KernelLimits | None = None,
    warm_next: bool = False,
) -> NotebookRun:
    """Execute ``template`` with ``parameters`` in a fresh, guarded kernel; write the notebook atomically.

    Parameters
    ----------
    template, output : path
        The template notebook and where the executed notebook goes.
    parameters : dict
        Values for the names of the template's ``parameters`` cell (unknown names are refused).
    cell_timeout : int
        Seconds one cell may run.
    kernel_name : str
        The Jupyter kernel (``casebook``, installed by ``make setup``).
    start_timeout : int
        Seconds the kernel may take to start.
    limits : KernelLimits, optional
        Memory and wall-clock caps of the kernel (see :mod:`casebook.kernel.kernels`).
    warm_next : bool
        Start the next notebook's kernel now, while this one runs (batch workers).

    Returns
    -------
    NotebookRun
        A failing cell does not raise: the executed notebook (with its traceback) is still written
        and the failure returned, so a batch can go on.

    Raises
    ------
    InputError
        Unknown or crafted parameter names, or a template without a ``parameters`` cell.
    MissingDependencyError
        The kernel is not installed.
    """
    import time

    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from papermill.exceptions import PapermillExecutionError

    _install_plain_translator()
    template = Path(template).resolve()
    output = Path(output).resolve()
    clean = check_parameters(template, parameters)
    limits = limits or KernelLimits()
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".tmp.ipynb", dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    started = time.perf_counter()
    failure = None
    km = None
    try:
        try:
            km = take_kernel(limits, kernel_name, warm_next=warm_next)
            # No cwd for papermill: its chdir is process-wide; the kernel has its own folder.
            papermill.execute_notebook(
                str(template), str(tmp), parameters=clean, kernel_name=kernel_name, km=km,
                progress_bar=False, log_output=False, start_timeout=start_timeout,
                execution_timeout=cell_timeout, request_save_on_cell_execute=True,
            )
        except PapermillExecutionError as err:
            failure = NotebookError(err.cell_index, err.ename, str(err.evalue), path=output)
        except NoSuchKernel as err:
            raise MissingDependencyError(
                f"the Jupyter kernel '{kernel_name}' is not installed",
                hint="Run: .venv/bin/python -m ipykernel install --sys-prefix --name casebook "
                "(make setup does this).") from err
        except Exception as err:  # a timeout or a dead kernel: report it as the case's failure
            failure = NotebookError(None, type(err).__name__, str(err)[:2000], path=output)
        finally:
            if km is not None:
                run_sync(km.finish)()
        if tmp.stat().st_size and _whole_json(tmp):
            _fsync(tmp)
            publish(tmp, output)
        elif tmp.stat().st_size:  # a write cut short (a full disk): never published as the dossier's notebook
            failure = failure or NotebookError(None, "OSError", "the executed notebook could not be written whole "
                                               "(is the disk full?)", path=output)
    finally:
        tmp.unlink(missing_ok=True)
    return NotebookRun(output=output, failure=failure, seconds=time.perf_counter() - started,
                       limits=limits_note(), kernel_cpu_seconds=km.used_cpu if km is not None else None)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
