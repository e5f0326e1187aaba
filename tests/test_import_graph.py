"""The module import graph of paperterm: no cycle, and the reader never reaches the store.

Every import counts, those under ``if TYPE_CHECKING:`` and those inside functions too: a
cycle hidden behind a deferred import is still two modules that need each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import paperterm

ROOT = Path(paperterm.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The paperterm modules ``path`` imports, anywhere in it (``from a import b`` counts
    as ``a.b`` when that is a module, else as ``a``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
    return {target for target in found if target in modules and target != name}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(ROOT.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imports_of(path, modules) for path in paths}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (its modules in order, the first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def test_the_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_graph_is_read() -> None:
    graph = import_graph()
    assert "paperterm.tui.screens.main" in graph["paperterm.tui.app"]
    assert "paperterm.store" in graph["paperterm.triage"]
    assert "paperterm.search" in graph["paperterm.triage"]  # under TYPE_CHECKING
    assert "paperterm.tui.launch" in graph["paperterm.cli"]  # inside a function
    assert "paperterm.readback.carried" in graph["paperterm.readback"]  # relative to a package


def test_no_import_cycle() -> None:
    assert find_cycle(import_graph()) is None


def test_the_reader_reaches_the_domain_through_triage_only() -> None:
    banned = ("paperterm.store", "paperterm.storage", "tinydb")
    for path in sorted((ROOT / "tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(banned), f"{path.name} imports {name}"
        text = path.read_text(encoding="utf-8")
        assert ".store." not in text and "triage.store" not in text, path.name
