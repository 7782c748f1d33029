"""The house's shape: data flows one way, so no module of quotetrace imports itself back."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "quotetrace"


def imports_of(path: Path) -> set[str]:
    """Every quotetrace module ``path`` imports, at module scope or inside a function, type
    hints included (a cycle dodged by a late import is still a cycle)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("quotetrace"):
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found |= {n for n in names if (PACKAGE / f"{n.split('.', 1)[1].replace('.', '/')}.py").exists()} or {node.module}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("quotetrace")}
    return {name for name in found if name != "quotetrace"}


def graph() -> dict[str, set[str]]:
    modules = {f"quotetrace.{p.stem}": p for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    return {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_back() -> None:
    edges = graph()
    assert len(edges) > 20
    assert cycle(edges) is None


def test_the_cycle_finder_finds_one() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_the_core_imports_no_runner_and_nothing_reads_the_command_line() -> None:
    edges = graph()
    for core in ("quotetrace.extraction", "quotetrace.quotes", "quotetrace.speakers", "quotetrace.marks"):
        assert "quotetrace.runner" not in edges[core] and "quotetrace.cli" not in edges[core]
    # quick is the command's entry point (as __main__ is): it hands all but its quick answer to cli
    assert not any("quotetrace.cli" in deps for name, deps in edges.items() if name != "quotetrace.quick")
