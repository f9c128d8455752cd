"""The package's shape: imports run downstream only, no cycles, no oversized modules."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

import dockbuild

PACKAGE = Path(dockbuild.__file__).resolve().parent

#: Layers, lowest first. A module may import from its own layer or a lower one;
#: lint and build are siblings and share a layer, yet neither imports the other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "evidence", "proc", "runstore", "gitinfo", "fsio", "junit", "owner",
     "signals", "runlock", "logs"),
    ("inputs",),
    ("engine",),
    ("lint", "build"),
    ("contents",),
    ("imagetest",),
    ("release",),
    ("report",),
    ("repo", "workflow", "doctor", "status", "clean", "commands", "cli", "inv", "__main__",
     "__init__"),
)
SIBLINGS_APART = {("lint", "build"), ("build", "lint")}
MAX_LINES = 300


def _unit(module: str) -> str:
    """Return the top-level part of ``dockbuild.x.y`` (``x``)."""
    return module.split(".")[1] if "." in module else "__init__"


def _layer(unit: str) -> int:
    for index, units in enumerate(LAYERS):
        if unit in units:
            return index
    msg = f"dockbuild/{unit} is in no layer of tests/unit/test_layout.py: add it"
    raise AssertionError(msg)


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the dockbuild modules ``path`` imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("dockbuild"):
                continue
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("dockbuild"))
    return found


def test_every_import_runs_downstream() -> None:
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        unit = _unit(name)
        for target in _imports(path, modules):
            other = _unit(target)
            if other == unit or target == "dockbuild":
                continue
            if (unit, other) in SIBLINGS_APART or _layer(other) > _layer(unit):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}: {name} imports {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    modules = _modules()
    graph = {name: {t for t in _imports(path, modules) if t in modules and t != name}
             for name, path in modules.items()}
    for name in list(graph):  # a package's __init__ is not an edge of its own modules
        graph[name] = {t for t in graph[name] if not name.startswith(f"{t}.")}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_no_module_is_oversized() -> None:
    sizes = {path.relative_to(PACKAGE.parent).as_posix(): len(path.read_text().splitlines())
             for path in _modules().values()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_the_checks_see_a_wrong_arrow(tmp_path: Path) -> None:
    """The import reader finds a function-level import, as the real modules use."""
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from dockbuild.report import facts\n", encoding="utf-8")
    modules = {"dockbuild.report.facts": source}
    assert _imports(source, modules) == {"dockbuild.report.facts"}
    assert _layer(_unit("dockbuild.report.facts")) > _layer(_unit("dockbuild.engine.rawapi"))
