"""``casebook lab``: the walkthrough copied into the case, set to it, without running anything."""

from __future__ import annotations

import ast
import json

import nbformat


def test_lab_writes_a_parameterised_walkthrough(cli, new_case):
    code, out, err = cli("lab", new_case, "--dry-run", "--no-browser", "--json")
    assert code == 0, err
    plan = json.loads(out)
    notebook = nbformat.read(plan["notebook"], as_version=4)
    injected = [cell for cell in notebook.cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert len(injected) == 1
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in ast.parse(injected[0].source).body}
    assert values == {"case_dir": str(new_case)}
    assert all(cell.get("outputs", []) == [] for cell in notebook.cells if cell.cell_type == "code")  # not executed
    assert plan["command"][-1] == "--no-browser" and "jupyterlab" in plan["command"]
    (new_case / "lab" / "case_walkthrough.ipynb").write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    mine = (new_case / "lab" / "case_walkthrough.ipynb").read_bytes()
    code, out, _ = cli("lab", new_case, "--dry-run", "--json")
    assert json.loads(out)["created"] is False and (new_case / "lab" / "case_walkthrough.ipynb").read_bytes() == mine


def test_lab_refuses_a_folder_that_is_not_a_case(cli, tmp_path):
    code, _, err = cli("lab", tmp_path, "--dry-run")
    assert code == 2 and "case" in err
