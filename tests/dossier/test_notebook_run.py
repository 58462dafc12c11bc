"""The papermill wrapper: names checked, Chinese plain, ids as strings, failures and timeouts reported."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from casebook.kernel.notebook_run import check_parameters, run_notebook
from safeio.errors import InputError


def _template(path, body: str):
    nb = new_notebook(cells=[
        new_code_cell('case_no = "x"\ntitle = "t"\nwait = 0', metadata={"tags": ["parameters"]}),
        new_code_cell(body),
    ], metadata={"kernelspec": {"name": "casebook", "display_name": "casebook", "language": "python"}})
    nbformat.write(nb, path)
    return path


def test_unknown_and_crafted_parameter_names_are_refused(tmp_path):
    template = _template(tmp_path / "t.ipynb", "pass")
    with pytest.raises(InputError, match="no parameter 'cmd'"):
        check_parameters(template, {"cmd": "x"})
    with pytest.raises(InputError, match="not a parameter name"):
        check_parameters(template, {"x = 1; import os; os.system('touch pwned'); y": "z"})
    with pytest.raises(InputError, match="not a parameter name"):
        check_parameters(template, {"import": "z"})
    assert not (tmp_path / "pwned").exists()


@pytest.mark.slow
def test_chinese_written_plainly_and_ids_stay_strings(tmp_path):
    template = _template(tmp_path / "t.ipynb", "import json\nprint(json.dumps([case_no, type(case_no).__name__, title]))")
    title = '周口"康帅傅"\n第二行 \\ {{ x }}'
    run = run_notebook(template, tmp_path / "out.ipynb", {"case_no": "0012", "title": title})
    assert run.ok, run.failure
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "周口" in injected.source and "\\u5468" not in injected.source
    assert "case_no = '0012'" in injected.source
    printed = json.loads(nb.cells[-1].outputs[0]["text"])
    assert printed == ["0012", "str", title]


@pytest.mark.slow
def test_failing_cell_is_reported_and_notebook_kept(tmp_path):
    template = _template(tmp_path / "t.ipynb", "raise ValueError('标签照片坏了')")
    run = run_notebook(template, tmp_path / "out.ipynb", {})
    assert not run.ok
    assert run.failure.ename == "ValueError" and "标签照片坏了" in run.failure.evalue
    assert run.failure.cell is not None
    error = run.failure.to_dict()
    assert error["type"] == "NotebookError" and "标签照片坏了" in error["message"] and error["hint"]
    assert (tmp_path / "out.ipynb").is_file()
    assert not list(tmp_path.glob(".*.tmp*"))


@pytest.mark.slow
def test_cell_timeout_stops_a_hanging_cell(tmp_path):
    template = _template(tmp_path / "t.ipynb", "import time\ntime.sleep(60)")
    run = run_notebook(template, tmp_path / "out.ipynb", {}, cell_timeout=3)
    assert not run.ok
    assert run.seconds < 40
    assert "timeout" in (run.failure.ename + run.failure.evalue).lower() or "timed out" in run.failure.evalue
