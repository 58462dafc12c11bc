"""The two-command setup stays honest: dependency lists agree, CI runs the README's command."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
# conda-forge names that differ from PyPI names
CONDA_TO_PYPI = {"h3-py": "h3"}
CONDA_ONLY = {"python", "pip", "tesseract", "openssl"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    """Runtime dependencies and the dev and distributed extras: the conda path can run the tests."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = {_name(r) for r in [*project["dependencies"], *extras["dev"], *extras["distributed"]]}
    assert {"pytest", "pytest-timeout", "hypothesis", "ruff"} <= wanted
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = set(), set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip |= {_name(r) for r in dep["pip"] if not r.startswith("-e")}
        else:
            conda.add(CONDA_TO_PYPI.get(_name(dep), _name(dep)))
    listed = (conda - CONDA_ONLY) | pip
    assert listed - wanted == set(), "environment.yml has dependencies pyproject.toml lacks"
    assert wanted - listed == set(), "pyproject.toml has dependencies environment.yml lacks"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands[:2] == ["make demo", "make test"]
    ci = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.strip().startswith("#")]
    assert "make test" in ci
    assert "set -euo pipefail" in ci


def test_every_top_level_folder_says_what_it_holds():
    for folder in ("evidence", "geo", "casebook"):
        doc = (REPO / folder / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""'), f"{folder}/__init__.py needs a module docstring"
    for folder in ("templates", "notebooks", "bench"):
        assert (REPO / folder / "README.md").read_text(encoding="utf-8").strip()


def test_casebook_help_lists_every_command_group_of_the_contract():
    result = subprocess.run([sys.executable, "-m", "casebook.cli", "--help"], capture_output=True,
                            text=True, check=True)
    for group in ("sample", "evidence", "labels", "brands", "geo", "dossier"):
        assert re.search(rf"^\s+{group}\s", result.stdout, re.MULTILINE), group



def _locked() -> dict[str, str]:
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    return {_name(n): v for n, v in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", text, re.M)}


def test_the_lock_pins_every_dependency_with_hashes():
    """A fresh install takes exactly what CI tested: every requirement pinned, every pin hashed."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = {_name(r) for r in [*project["dependencies"], *extras["dev"], *extras["distributed"]]}
    locked = _locked()
    assert wanted - set(locked) == set(), "requirements.lock lacks these; run `make lock`"
    blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", (REPO / "requirements.lock").read_text(encoding="utf-8"))
    unhashed = [b.split()[0] for b in blocks[1:] if "--hash=sha256:" not in b]
    assert unhashed == []
    assert "file://" not in (REPO / "requirements.lock").read_text(encoding="utf-8"), "a machine-local index leaked in"


def test_setup_installs_from_the_lock_and_the_conda_path_pins_the_same_versions():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in makefile
    assert "--no-deps" in makefile, "the project itself must not pull unpinned dependencies"
    locked = _locked()
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    pins = [d for d in env["dependencies"] if isinstance(d, str)]
    pins += [p for d in env["dependencies"] if isinstance(d, dict) for p in d["pip"] if not p.startswith("-e")]
    for dep in pins:
        name = CONDA_TO_PYPI.get(_name(dep), _name(dep))
        if name in CONDA_ONLY:
            continue
        version = dep.split("==", 1)[1].split()[0] if "==" in dep else None
        assert version == locked.get(name), f"environment.yml pins {dep!r}, the lock has {locked.get(name)}"
