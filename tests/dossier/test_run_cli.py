"""``casebook dossier run``: one case, exit codes of the contract, unsafe ids refused."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.support.dossier_book import run_cli

pytestmark = pytest.mark.slow


def test_run_one_case_with_pdf(tiny_book, tmp_path):
    out = tmp_path / "out"
    proc = run_cli("dossier", "run", str(tiny_book / "ZK-T-HOSTILE"), "--out", str(out), "--pdf")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr  # quiet: no kernel warning (IPC, not TCP), no banner
    folder = out / "ZK-T-HOSTILE"
    printed = {line.strip() for line in proc.stdout.splitlines()}
    for name in ("dossier.ipynb", "dossier.html", "dossier.pdf"):
        assert str(folder / name) in printed
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "ok" and summary["integrity"] == "no_evidence"
    nb = json.loads((folder / "dossier.ipynb").read_text(encoding="utf-8"))
    injected = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    assert "ZK-T-HOSTILE" in "".join(injected["source"])


def test_unsafe_case_id_is_refused_and_nothing_written(tiny_book, tmp_path):
    evil = tmp_path / "evil"
    shutil.copytree(tiny_book / "ZK-T-HOSTILE", evil)
    yml = evil / "case.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("case_id: ZK-T-HOSTILE", "case_id: ../../etc"),
                   encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("dossier", "run", str(evil), "--out", str(out))
    assert proc.returncode == 2
    assert "not a usable case id" in proc.stderr
    assert not out.exists() or not any(out.iterdir())
    assert not (tmp_path.parent / "etc").exists()


def test_missing_case_folder_is_bad_input(tmp_path):
    proc = run_cli("dossier", "run", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "What to do" in proc.stderr


def test_case_walkthrough_runs_headless(source_book, tmp_path):
    """The investigator's tour runs top to bottom on a sample case (a copy: it seals the evidence)."""
    import nbformat

    from casebook.kernel.notebook_run import run_notebook
    from tests.support.dossier_book import REPO, keep_labels

    book = tmp_path / "book"
    shutil.copytree(source_book, book)
    case_dir = sorted(p for p in book.iterdir() if (p / "case.yml").is_file())[0]
    keep_labels(case_dir, 1)
    run = run_notebook(REPO / "notebooks" / "case_walkthrough.ipynb", tmp_path / "walk.ipynb",
                       {"case_dir": case_dir, "max_photos": 1})
    assert run.ok, run.failure
    assert (case_dir / "manifest.json").is_file()
    nb = nbformat.read(tmp_path / "walk.ipynb", as_version=4)
    text = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert "一致" in text and "iframe" in text


def test_custom_lean_template_and_one_without_inputs(tiny_book, tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    def template(path, params):
        nb = new_notebook(cells=[new_code_cell(params, metadata={"tags": ["parameters"]}),
                                 new_code_cell("from casebook.case import load_case\nload_case(inputs['case_dir']).title")],
                          metadata={"kernelspec": {"name": "casebook", "display_name": "casebook",
                                                   "language": "python"}})
        nbformat.write(nb, path)
        return path

    lean = template(tmp_path / "lean.ipynb", 'inputs = {}')
    proc = run_cli("dossier", "run", str(tiny_book / "ZK-T-CLEAN"), "--out", str(tmp_path / "out"),
                   "--template", str(lean))
    assert proc.returncode == 0, proc.stderr
    assert "dossier.html" in proc.stdout
    wrong = template(tmp_path / "wrong.ipynb", 'folder = ""')
    proc = run_cli("dossier", "run", str(tiny_book / "ZK-T-CLEAN"), "--out", str(tmp_path / "out2"),
                   "--template", str(wrong))
    assert proc.returncode == 2 and "inputs" in proc.stderr
