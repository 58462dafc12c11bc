"""One value for what a case is rendered with: a new input is one field, seen by the fingerprint and the kernel."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import textwrap
from dataclasses import fields
from pathlib import Path

import pytest

from casebook.dossier_inputs import DIGESTS, DossierInputs, case_input

REPO = Path(__file__).resolve().parents[2]


def _recipe_field() -> str:
    """The field that docs/architecture.md's recipe "Add an input" adds, as the page shows it."""
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    recipe = page.split("### Add an input", 1)[1].split("\n### ", 1)[0]
    return re.search(r"```python\n(.*?)```", recipe, re.S).group(1)


def _recipe_inputs():
    """DossierInputs with the recipe's field added, exactly as written on the page (parsed, not executed)."""
    line = ast.parse(textwrap.dedent(_recipe_field())).body[0]
    call = line.value
    assert isinstance(line, ast.AnnAssign) and call.func.id == "case_input"
    made = case_input(*[ast.literal_eval(a) for a in call.args],
                      **{k.arg: ast.literal_eval(k.value) for k in call.keywords})
    return dataclasses.make_dataclass("WithRegister", [(line.target.id, str, made)], bases=(DossierInputs,),
                                      frozen=True)


WithRegister = _recipe_inputs()  # the docs' example: a registry file added to the dossier's inputs


def test_the_recipe_for_a_new_input_is_one_field():
    assert [f.name for f in fields(WithRegister)] == [f.name for f in fields(DossierInputs)] + ["ccc_register"]


def test_the_recipe_for_a_new_section_holds_for_every_section():
    """Each section of SECTIONS has its Dossier method, its template cell and its title in both languages."""
    from casebook.dossier import SECTIONS
    from casebook.sections.base import Dossier
    from casebook.sections.dossier_words import TEXT

    template = (REPO / "templates" / "case_dossier.ipynb").read_text(encoding="utf-8")
    for name in SECTIONS:
        assert callable(getattr(Dossier, name, None)), name
        assert f"dossier.{name}()" in template, name
        assert TEXT["zh"].get(name) and TEXT["en"].get(name), name


def test_every_input_says_how_it_counts_for_the_fingerprint():
    for f in fields(DossierInputs):
        assert f.metadata["digest"] in DIGESTS, f.name
    with pytest.raises(ValueError):
        case_input("", digest="sometimes")


def test_a_new_file_input_changes_the_fingerprint_by_content(tiny_book, tmp_path):
    register = tmp_path / "ccc.csv"
    register.write_text("cert_no,holder\n2020010901000001,甲\n", encoding="utf-8")
    case = tiny_book / "ZK-T-CLEAN"
    plain = DossierInputs(case_dir=str(case)).digest("ZK-T-CLEAN")
    first = WithRegister(case_dir=str(case), ccc_register=str(register)).digest("ZK-T-CLEAN")
    assert first != plain
    register.touch()  # touched, not changed: the same fingerprint
    assert WithRegister(case_dir=str(case), ccc_register=str(register)).digest("ZK-T-CLEAN") == first
    register.write_text("cert_no,holder\n2020010901000001,乙\n", encoding="utf-8")
    assert WithRegister(case_dir=str(case), ccc_register=str(register)).digest("ZK-T-CLEAN") != first


def test_inputs_that_do_not_change_what_a_dossier_shows_do_not_change_its_fingerprint(tiny_book, tmp_path):
    base = DossierInputs(case_dir=str(tiny_book / "ZK-T-CLEAN"))
    same = dataclasses.replace(base, cell_timeout=5, kernel_seconds=10, reading_cache=str(tmp_path),
                               hotspots=str(tmp_path / "hotspots"))
    assert same.digest("ZK-T-CLEAN") == base.digest("ZK-T-CLEAN")
    assert dataclasses.replace(base, lang="en").digest("ZK-T-CLEAN") != base.digest("ZK-T-CLEAN")


def test_the_template_gets_the_inputs_whole_and_unknown_names_are_refused(tiny_book):
    from casebook.sections import Dossier
    from safeio.errors import InputError

    inputs = DossierInputs(case_dir=str(tiny_book / "ZK-T-CLEAN"), lang="en")
    assert DossierInputs.from_dict(json.loads(json.dumps(inputs.to_dict()))) == inputs  # through papermill
    assert Dossier(inputs.to_dict()).inputs == inputs
    with pytest.raises(InputError, match="ccc_register"):
        DossierInputs.from_dict({**inputs.to_dict(), "ccc_register": "x.csv"})


def printed(notebook) -> str:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_the_kernel_sees_a_new_input_and_a_rerun_sees_its_change(tiny_book, tmp_path):
    """render_case hands the whole value to the kernel: a template reading the new field finds it."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from casebook.dossier import finish_case, render_case

    template = tmp_path / "register.ipynb"
    nbformat.write(new_notebook(cells=[
        new_code_cell("inputs = {}", metadata={"tags": ["parameters"]}),
        new_code_cell("from pathlib import Path\nprint('REGISTER', Path(inputs['ccc_register']).read_text())"),
    ], metadata={"kernelspec": {"name": "casebook", "display_name": "casebook", "language": "python"}}), template)
    register = tmp_path / "ccc.csv"
    register.write_text("cert_no\nCERT-ONE\n", encoding="utf-8")
    inputs = WithRegister(case_dir=str(tiny_book / "ZK-T-CLEAN"), template=str(template),
                          ccc_register=str(register))
    out = tmp_path / "out"
    first = finish_case(render_case(inputs, out))
    assert first.status == "ok", first.error
    assert "REGISTER cert_no\nCERT-ONE" in printed(out / "ZK-T-CLEAN" / "dossier.ipynb")
    assert render_case(inputs, out, resume=True).status == "skipped"
    register.write_text("cert_no\nCERT-TWO\n", encoding="utf-8")
    second = finish_case(render_case(inputs, out, resume=True))
    assert second.status == "ok" and second.input_hash != first.input_hash
    assert "CERT-TWO" in printed(out / "ZK-T-CLEAN" / "dossier.ipynb")
    summary = json.loads((out / "ZK-T-CLEAN" / "summary.json").read_text(encoding="utf-8"))
    assert summary["input_hash"] == second.input_hash and summary["outputs"]["html"] == "dossier.html"


def test_the_default_cell_timeout_is_the_runners():
    from casebook.kernel.notebook_run import DEFAULT_CELL_TIMEOUT

    assert DossierInputs().cell_timeout == DEFAULT_CELL_TIMEOUT
