"""The import graph (issue 13): no loops, no library package importing the command line, no
``importlib`` for the package's own modules. Read from the source, so it costs milliseconds."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
# importlib.import_module is for modules named at run time: plugin methods (batch workers).
# TODO(issue 13): drop summarize/align.py once attach_faithfulness and its tests are removed.
IMPORTLIB_OK = {"newsbrief.batch.worker", "newsbrief.summarize.align"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "newsbrief").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        out[name] = path
    return out


def _graph() -> tuple[dict[str, set[str]], set[str]]:
    modules = _modules()

    def owner(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    importlib_users = set()
    for name, path in modules.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsbrief"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    deps.add(full if full in modules else owner(node.module))
            elif isinstance(node, ast.Import):
                deps.update(owner(a.name) for a in node.names if a.name.startswith("newsbrief"))
            elif isinstance(node, ast.Attribute) and node.attr == "import_module":
                importlib_users.add(name)
        deps.discard(name)
        deps.discard("newsbrief")  # the top package re-exports; it imports no subpackage that imports it back
        graph[name] = deps
    return graph, importlib_users


def test_no_import_loops() -> None:
    graph, _ = _graph()
    state: dict[str, int] = {}
    loops: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                loops.append([*path[path.index(dep) :], dep] if dep in path else [node, dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert loops == []


def test_no_library_package_imports_the_command_line() -> None:
    graph, _ = _graph()
    entry_points = {"newsbrief.__main__"}
    offenders = {
        name: sorted(d for d in deps if d.startswith("newsbrief.cli"))
        for name, deps in graph.items()
        if not name.startswith("newsbrief.cli") and name not in entry_points
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_importlib_for_the_packages_own_modules() -> None:
    _, users = _graph()
    assert users <= IMPORTLIB_OK
