"""Rules of the test suite itself: how test modules import, how outside programs start, how golden files behave.

- No test module imports another test module or ``conftest``: shared code lives in ``tests/helpers``.
- Outside programs (LibreOffice, Gnumeric, Chromium) start only through ``tests/helpers/programs.py``, which
  fails a test that lacks the program's marker; ``make quick`` leaves out every such marker and ``slow``.
- A missing golden file fails unless ``UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.helpers import programs, snapshot

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``; relative imports resolved from ``root``."""
    package = path.relative_to(root).with_suffix("").parts[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
                found += (
                    [(node.lineno, module)] if node.module else [(node.lineno, f"{base}.{a.name}") for a in node.names]
                )
            else:
                found.append((node.lineno, node.module or ""))
                if node.module == "tests":
                    found += [(node.lineno, f"tests.{alias.name}") for alias in node.names]
    return found


def _forbidden(module: str) -> bool:
    """A test module may import ``tests.helpers`` (and anything outside ``tests``), never another test module."""
    parts = module.split(".")
    if parts[0] == "conftest" or parts[0].startswith("test_"):
        return True
    if parts[0] == "tests" and len(parts) > 1:
        return parts[1] != "helpers"
    return False


def test_no_test_module_imports_another_or_conftest() -> None:
    files = sorted(TESTS.glob("test_*.py")) + sorted((TESTS / "helpers").glob("*.py"))
    assert len(files) > 40
    bad = [
        f"{path.relative_to(TESTS)}:{line}: {module}"
        for path in files
        for line, module in _imported_modules(path)
        if _forbidden(module)
    ]
    assert not bad, f"a test module imports a test module or conftest (shared code goes in tests/helpers): {bad}"


def test_the_import_rule_catches_each_kind_of_import(tmp_path: Path) -> None:
    """The rule above is not vacuous: every way of importing a test module or conftest is caught."""
    forbidden = [
        "import conftest",
        "from conftest import MakeReturn",
        "from tests.conftest import MakeReturn",
        "from tests import conftest",
        "from tests.test_evidence import DEPT",
        "import test_units",
        "from test_appraisal import type_into",
        "from . import test_remedy",
        "from .conftest import FIXED_NOW",
    ]
    allowed = ["from tests.helpers.factory import FIXED_NOW", "from tests.helpers import programs", "import pytest"]
    sample = tmp_path / "tests" / "test_sample.py"
    sample.parent.mkdir()
    sample.write_text("\n".join(forbidden + allowed) + "\n", encoding="utf-8")
    modules = [module for _, module in _imported_modules(sample, tmp_path)]
    assert [m for m in modules if _forbidden(m)] == [
        "conftest",
        "conftest",
        "tests.conftest",
        "tests.conftest",
        "tests.test_evidence",
        "test_units",
        "test_appraisal",
        "tests.test_remedy",
        "tests.conftest",
    ]


# --- outside programs ---------------------------------------------------------------------------------------


def test_an_unmarked_test_cannot_start_an_outside_program() -> None:
    """This test carries no program marker: asking for any program fails it before the program starts."""
    for marker in programs.PROGRAMS:
        with pytest.raises(pytest.fail.Exception, match=rf"not marked @pytest\.mark\.{marker}\b"):
            programs.require(marker)


EXECUTABLES = {name for _, names, _ in programs.PROGRAMS.values() for name in names}


def _program_calls(tree: ast.AST) -> list[tuple[int, str]]:
    """Executable names given to a call, alone or in a command list: ``which("soffice")``, ``run(["soffice", …])``."""
    found = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            items = arg.elts if isinstance(arg, ast.List | ast.Tuple) else [arg]
            found += [
                (item.lineno, item.value)
                for item in items
                if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value in EXECUTABLES
            ]
    return found


def test_outside_programs_start_only_through_the_helpers() -> None:
    """No test module looks up or runs soffice, ssconvert or chromium itself (the marker check would be bypassed)."""
    hits = [
        f"{path.name}:{line}: {name}"
        for path in sorted(TESTS.glob("test_*.py"))
        for line, name in _program_calls(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    ]
    assert not hits, f"start outside programs through tests.helpers.programs: {hits}"
    sample = ast.parse('shutil.which("soffice")\nsubprocess.run(["chromium", "--headless"])\nrun("x", "ssconvert")')
    assert [name for _, name in _program_calls(sample)] == ["soffice", "chromium", "ssconvert"]


def test_make_quick_leaves_out_every_program_marker_and_slow() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^QUICK_MARKERS\s*:?=\s*(.+)$", makefile, re.M)
    assert match, "Makefile defines QUICK_MARKERS, the marker expression of `make quick`"
    expression = match.group(1)
    for marker in [*programs.PROGRAMS, "slow"]:
        assert f"not {marker}" in expression, (marker, expression)


def test_every_program_marker_is_registered(pytestconfig: pytest.Config) -> None:
    registered = {line.split(":")[0] for line in pytestconfig.getini("markers")}
    assert {*programs.PROGRAMS, "slow"} <= registered


# --- golden files -------------------------------------------------------------------------------------------


def test_a_missing_golden_file_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "GOLDEN", tmp_path)
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    with pytest.raises(AssertionError, match="is missing"):
        snapshot.assert_golden("nothing-here", {"a": 1})
    with pytest.raises(AssertionError, match="is missing"):
        snapshot.assert_text_golden("nothing-here.txt", "a")
    assert not list(tmp_path.iterdir())


def test_update_golden_writes_and_then_compares(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "GOLDEN", tmp_path)
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    snapshot.assert_golden("new", {"a": 1})
    snapshot.assert_text_golden("new.txt", "một dòng\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json", "new.txt"]  # no temporary file left
    monkeypatch.delenv("UPDATE_GOLDEN")
    snapshot.assert_golden("new", {"a": 1})
    snapshot.assert_text_golden("new.txt", "một dòng\n")
    with pytest.raises(AssertionError):
        snapshot.assert_golden("new", {"a": 2})
    with pytest.raises(AssertionError, match="differs"):
        snapshot.assert_text_golden("new.txt", "hai dòng\n")
