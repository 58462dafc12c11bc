"""Run one papermill template safely: checked parameter names, plain Chinese, fresh kernel, timeouts.

papermill escapes parameter *values* but not *names* (a crafted key is code in the injected cell),
writes Chinese as ``\\uXXXX`` escapes, and changes ``chdir`` for the whole process. This wrapper
closes those gaps (docs/domain.md, "Dossiers") and turns a failing cell into data a batch can report.
"""

from __future__ import annotations

import keyword
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from safeio.atomic import publish
from safeio.errors import InputError, MissingDependencyError

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


@dataclass
class CellFailure:
    """Where and why a template stopped: enough for a batch report and the index page."""

    cell: int | None
    ename: str
    evalue: str

    def to_dict(self) -> dict:
        return {"cell": self.cell, "ename": self.ename, "evalue": self.evalue}


@dataclass
class NotebookRun:
    output: Path
    failure: CellFailure | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.failure is None


def run_notebook(
    template: str | Path,
    output: str | Path,
    parameters: dict,
    *,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    kernel_name: str = KERNEL_NAME,
    start_timeout: int = 60,
) -> NotebookRun:
    """Execute ``template`` with ``parameters`` in a fresh kernel; write the executed notebook atomically.

    A failing cell does not raise: the executed notebook (with its traceback) is still written and
    the failure is returned, so a batch can go on. No ``cwd`` is passed to papermill: its ``chdir``
    is process-wide, and every path handed to the template is absolute anyway.
    """
    import time

    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from papermill.exceptions import PapermillExecutionError

    _install_plain_translator()
    template = Path(template).resolve()
    output = Path(output).resolve()
    clean = check_parameters(template, parameters)
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".tmp.ipynb", dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    started = time.perf_counter()
    failure = None
    try:
        try:
            papermill.execute_notebook(
                str(template), str(tmp), parameters=clean, kernel_name=kernel_name,
                progress_bar=False, log_output=False, start_timeout=start_timeout,
                execution_timeout=cell_timeout, request_save_on_cell_execute=True,
            )
        except PapermillExecutionError as err:
            failure = CellFailure(err.cell_index, err.ename, str(err.evalue))
        except NoSuchKernel as err:
            raise MissingDependencyError(
                f"the Jupyter kernel '{kernel_name}' is not installed",
                hint="Run: .venv/bin/python -m ipykernel install --sys-prefix --name casebook "
                "(make setup does this).") from err
        except Exception as err:  # a timeout or a dead kernel: report it as the case's failure
            failure = CellFailure(None, type(err).__name__, str(err)[:2000])
        if tmp.stat().st_size:
            _fsync(tmp)
            publish(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return NotebookRun(output=output, failure=failure, seconds=time.perf_counter() - started)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
