"""Imports point down: bench -> casebook (app) -> links -> evidence, geo (libraries) -> safeio (base).

The test reads every module's imports with ``ast`` (function-level imports included, since a
deferred import is still a dependency) and fails on an upward arrow, an arrow between the two
peer libraries, or any import cycle between modules. It also keeps the house's rooms small and
its names unique: no two modules share a name, no folder holds more than about 25 modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parents[2]
# a package may import packages of a lower rank only (and itself)
RANK = {"safeio": 0, "evidence": 1, "geo": 1, "links": 2, "casebook": 3, "bench": 4}
MAX_MODULES_PER_FOLDER = 25


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(root: Path = REPO) -> nx.DiGraph:
    """Module -> imported repository module, for every .py file of the ranked packages."""
    graph = nx.DiGraph()
    modules = {}
    for top in RANK:
        for path in sorted((root / top).rglob("*.py")) if (root / top).is_dir() else []:
            modules[_module_name(path, root)] = path
    for name, path in modules.items():
        graph.add_node(name)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, node, path.name == "__init__.py")
                # "from pkg import mod" imports pkg.mod when that is a module, else a name of pkg
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target, line=getattr(node, "lineno", 0))
    return graph


def layer_violations(graph: nx.DiGraph) -> list[str]:
    bad = []
    for src, dst, data in graph.edges(data=True):
        a, b = src.split(".")[0], dst.split(".")[0]
        if a != b and RANK[b] >= RANK[a]:
            bad.append(f"{src} (line {data['line']}) imports {dst}: {a} may not import {b}")
    return bad


def import_cycles(graph: nx.DiGraph) -> list[list[str]]:
    return [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]


def test_every_import_points_down():
    assert layer_violations(import_graph()) == []


def test_no_module_is_part_of_an_import_cycle():
    assert import_cycles(import_graph()) == []


def test_the_base_layer_imports_nothing_from_the_repository():
    graph = import_graph()
    base = [n for n in graph if n.split(".")[0] == "safeio"]
    assert base, "safeio was not found"
    assert [(s, d) for s in base for d in graph.successors(s) if not d.startswith("safeio")] == []


@pytest.mark.parametrize("package, source, expected", [
    ("evidence", "from casebook.sealing import seal_case\n", "evidence may not import casebook"),
    ("geo", "import casebook.errors\n", "geo may not import casebook"),
    ("geo", "def f():\n    from evidence import labels\n", "geo may not import evidence"),
    ("safeio", "from geo import cells\n", "safeio may not import geo"),
])
def test_the_walker_catches_an_upward_arrow(tmp_path, package, source, expected):
    for top in RANK:
        (tmp_path / top).mkdir()
        (tmp_path / top / "__init__.py").write_text("")
    (tmp_path / "casebook" / "sealing.py").write_text("")
    (tmp_path / "casebook" / "errors.py").write_text("")
    (tmp_path / "evidence" / "labels.py").write_text("")
    (tmp_path / "geo" / "cells.py").write_text("")
    (tmp_path / package / "bad.py").write_text(source)
    violations = layer_violations(import_graph(tmp_path))
    assert len(violations) == 1 and expected in violations[0], violations


def test_the_walker_catches_a_cycle(tmp_path):
    for top in RANK:
        (tmp_path / top).mkdir()
        (tmp_path / top / "__init__.py").write_text("")
    (tmp_path / "casebook" / "cli.py").write_text("from casebook.commands import dossier\n")
    (tmp_path / "casebook" / "commands").mkdir()
    (tmp_path / "casebook" / "commands" / "__init__.py").write_text("")
    (tmp_path / "casebook" / "commands" / "dossier.py").write_text(
        "def run():\n    from casebook.cli import set_exit_code\n")
    assert import_cycles(import_graph(tmp_path)) == [["casebook.cli", "casebook.commands.dossier"]]


def _modules(root: Path = REPO) -> list[Path]:
    return [p for top in RANK for p in sorted((root / top).rglob("*.py")) if p.name != "__init__.py"
            and "__pycache__" not in p.parts]


def test_bench_never_imports_the_tests():
    """A benchmark runs from a clean checkout without the test suite: what it needs lives in the packages."""
    found = []
    for path in sorted((REPO / "bench").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.name}: {n}" for n in names if n == "tests" or n.startswith("tests.")]
    assert found == []


def test_no_two_modules_share_a_name():
    """A name says what a file holds, alone: ``capture.py`` three times says nothing."""
    by_name: dict[str, list[str]] = {}
    for path in _modules():
        by_name.setdefault(path.stem, []).append(path.relative_to(REPO).as_posix())
    # <package>.testing (public asserts for other packages' tests) is always named with its package,
    # as numpy.testing, pandas.testing and geopandas.testing are
    by_name.pop("testing", None)
    assert {name: paths for name, paths in by_name.items() if len(paths) > 1} == {}


def test_no_folder_holds_more_than_about_25_modules():
    """A room that grows past ~25 modules is split by family into subpackages."""
    counts: dict[str, int] = {}
    for path in _modules():
        folder = path.parent.relative_to(REPO).as_posix()
        counts[folder] = counts.get(folder, 0) + 1
    assert {f: n for f, n in counts.items() if n > MAX_MODULES_PER_FOLDER} == {}
