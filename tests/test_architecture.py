"""The package's floors: imports run down, never in a loop, a round never imports another round, and the command
line talks to the jobs only."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "parcli"

# lowest first; a module may import from its own floor or any floor below
FLOORS = {
    "ground": 0,
    "config": 1,
    "xlsx": 1,
    "collect": 2,
    "rounds": 3,
    "catalogue_table": 3,
    "results": 4,
    "jobs": 5,
    "cli": 6,
}
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _floor(module: str) -> str:
    parts = module.split(".")
    if parts[-1] == "__main__":
        return "cli"
    return parts[1] if len(parts) >= 2 and parts[1] in FLOORS else "ground"


def _absolute(path: Path, node: ast.ImportFrom) -> str | None:
    """The module an ``import from`` names, relative imports (``from . import x``) resolved against ``path``."""
    if not node.level:
        return node.module
    package = list(path.relative_to(SRC).with_suffix("").parts)[:-1]  # a module's package, or __init__'s own
    base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(path: Path) -> set[str]:
    """parcli modules imported by a file (anywhere in it, TYPE_CHECKING blocks aside; relative imports too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        module = _absolute(path, node) if isinstance(node, ast.ImportFrom) else None
        if isinstance(node, ast.ImportFrom) and module and module.startswith("parcli"):
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                found.add(candidate if (SRC / candidate.replace(".", "/")).with_suffix(".py").exists() else module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("parcli"))
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in files and m != name} for name, path in files.items()}


def test_imports_run_down_the_floors() -> None:
    wrong = []
    for module, targets in _graph().items():
        for target in targets:
            if target == "parcli":
                continue
            if FLOORS[_floor(target)] > FLOORS[_floor(module)]:
                wrong.append(f"{module} → {target}")
    assert not wrong, wrong


def test_a_round_never_imports_another_round() -> None:
    wrong = []
    for module, targets in _graph().items():
        if module.startswith("parcli.rounds."):
            mine = module.split(".")[2]
            wrong += [f"{module} → {t}" for t in targets if t.startswith("parcli.rounds.") and t.split(".")[2] != mine]
    assert not wrong, wrong


def test_the_command_line_talks_to_the_jobs_only() -> None:
    """cli/ parses, runs a job and renders its result: it imports jobs and the ground floor, nothing between."""
    wrong = [
        f"{module} → {target}"
        for module, targets in _graph().items()
        if _floor(module) == "cli"
        for target in targets
        if target != "parcli" and _floor(target) not in ("cli", "jobs", "ground")
    ]
    assert not wrong, wrong


def test_relative_imports_are_read() -> None:
    """The graph sees ``from . import x`` and ``from .x import y`` as the absolute imports they are."""
    node = ast.parse("from .merge import x").body[0]
    deep = ast.parse("from ..config import campaign").body[0]
    assert isinstance(node, ast.ImportFrom) and isinstance(deep, ast.ImportFrom)
    assert _absolute(PACKAGE / "jobs" / "report.py", node) == "parcli.jobs.merge"
    assert _absolute(PACKAGE / "jobs" / "report.py", deep) == "parcli.config"
    assert _absolute(PACKAGE / "jobs" / "__init__.py", node) == "parcli.jobs.merge"


def test_no_import_loop() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    loops: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt == "parcli":
                continue
            if state.get(nxt) == 1:
                loops.append([*path[path.index(nxt) :], nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not loops, loops


def test_no_module_over_the_size_limit() -> None:
    big = {
        str(p.relative_to(SRC)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not big, big


def test_xlsx_knows_no_domain_words() -> None:
    for path in (PACKAGE / "xlsx").glob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        for word in ("campaign", "catalogue", "department"):
            assert word not in text, (path.name, word)
