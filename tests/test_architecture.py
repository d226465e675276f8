"""The package's shape: layers (the import contract in pyproject.toml), no import cycles, no
module too long to read in one sitting, no dependency hidden inside a function."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sim"
#: Longest module (lines) but for pure data declarations.
MAX_LINES = 400
DATA_MODULES = {"sim/registry/campaign.py", "sim/reference.py", "sim/reference_war.py"}
#: Where a function may import from the package: the CLI and the API facade defer their imports
#: (matplotlib, SciPy, the model) so that ``sim --help`` and ``import sim`` start fast; the
#: entry point loads the CLI once its guard on Ctrl-C is up (sim.interrupts).
DEFERRED_IMPORTS_ALLOWED = ("sim/cli/", "sim/api.py", "sim/__main__.py")


def test_the_layer_contract_holds() -> None:
    """cli > analysis and views > engine > results > model > inputs > foundation."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(
                        child)))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles_between_modules() -> None:
    graph = grimp.build_graph("sim", include_external_packages=False)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(module)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert _cycles(graph) == [["p.a", "p.b"]]


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_readable(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert rel in DATA_MODULES or lines <= MAX_LINES, f"{rel}: {lines} lines"


def _deferred_imports(path: Path) -> list[str]:
    """Imports of the package's own modules inside function bodies."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(
                    ".")[0] == "sim"):
                found.append(f"line {node.lineno}: from {node.module}")
            elif isinstance(node, ast.Import) and any(
                    alias.name.split(".")[0] == "sim" for alias in node.names):
                found.append(f"line {node.lineno}: import")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_dependency_hides_inside_a_function(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    if rel.startswith(DEFERRED_IMPORTS_ALLOWED):
        return
    assert _deferred_imports(path) == [], rel
