"""``parcli check`` and ``parcli merge`` through the CLI: exit codes, output, ``--json`` = the library.

Typer vendors click's test runner: ``result.output`` is stdout and stderr
interleaved (what a user sees), ``result.stdout`` / ``result.stderr`` are
captured separately.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.rounds.scoring.merge import merge_returns
from parcli.rounds.scoring.read import read_return
from tests.helpers.factory import MakeReturn, copy_tree_bytes

DEPT = "so-noi-vu"
FILE = "PL01-so-noi-vu.xlsx"
CHOICE = "1.3.1"  # choice 1/0.5/0, max 1

# a wide terminal so rich never wraps a slug or a cell reference
runner = CliRunner(env={"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"})


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def row_of(path: Path, code: str) -> int:
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=True)["Chấm điểm"]
    return next(r[0].row for r in ws.iter_rows(max_col=1) if r[0].value == code)


def roundtrip(data: Any) -> Any:
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)


# --- check --------------------------------------------------------------------------------------


def test_check_valid_return_exits_0(make_return: MakeReturn, tmp_path: Path) -> None:
    path = make_return(DEPT, tmp_path)
    out = tmp_path / "check.json"
    result = invoke("check", path, "--json", out)
    assert result.exit_code == 0, result.output
    assert "Không có lỗi" in result.stderr
    data = json.loads(out.read_text("utf-8"))
    assert data["problems"] == []
    summary = [{k: f[k] for k in ("file", "department", "errors", "warnings")} for f in data["files"]]
    assert summary == [{"file": FILE, "department": DEPT, "errors": 0, "warnings": 0}]
    assert data["files"][0]["package"] is None and data["files"][0]["evidence_files"] == []


@pytest.mark.parametrize(
    ("value", "slug"),
    [(2, "score-above-max"), ("abc", "not-a-number"), (None, "score-missing"), ("=1+0", "formula-in-score")],
)
def test_check_bad_return_exits_1_with_slug_and_cell(
    value: Any, slug: str, make_return: MakeReturn, campaign: Campaign, tmp_path: Path
) -> None:
    path = make_return(DEPT, tmp_path, {CHOICE: {"score": value}})
    cell = f"D{row_of(path, CHOICE)}"
    out = tmp_path / "check.json"
    before = path.read_bytes()

    result = invoke("check", path, "--json", out)

    assert result.exit_code == 1, result.output
    assert slug in result.stdout
    assert cell in result.stdout
    assert CHOICE in result.stdout
    assert "1 lỗi" in result.stderr
    expected = [p.to_dict() for p in read_return(path, campaign).problems]
    data = json.loads(out.read_text("utf-8"))
    assert data["problems"] == roundtrip(expected)
    assert [(p["code"], p["cell"], p["item"], p["file"]) for p in data["problems"]] == [(slug, cell, CHOICE, FILE)]
    assert data["files"][0]["errors"] == 1
    assert path.read_bytes() == before


def test_check_json_equals_library_for_warnings_and_file_errors(
    make_return: MakeReturn, campaign: Campaign, tmp_path: Path
) -> None:
    """Several files at once, warnings and whole-file errors: the JSON is the library's problems in order."""
    warned = make_return(DEPT, tmp_path, {CHOICE: {"score": "0,5", "explanation": "Chưa đạt tối đa."}})
    junk = tmp_path / "PL02-van-phong-ubnd.xlsx"
    junk.write_bytes(b"not a workbook at all")
    out = tmp_path / "check.json"

    result = invoke("check", warned, junk, "--json", out)

    assert result.exit_code == 1
    expected = [p.to_dict() for f in (warned, junk) for p in read_return(f, campaign).problems]
    data = json.loads(out.read_text("utf-8"))
    assert data["problems"] == roundtrip(expected)
    assert [p["code"] for p in data["problems"]] == ["decimal-comma", "not-a-workbook"]
    assert data["campaign"] == campaign.id


def test_check_nonexistent_file_exits_3_in_vietnamese(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.xlsx"
    result = invoke("check", missing)
    assert result.exit_code == 3
    assert_no_traceback(result)
    assert "Không tìm thấy tệp" in result.stderr
    assert "khong-co.xlsx" in result.stderr
    message = result.stderr.strip()
    assert message and unicodedata.is_normalized("NFC", message)


# --- merge --------------------------------------------------------------------------------------


def test_merge_full_folder_exits_0_and_json_equals_library(
    full_returns: Path, campaign: Campaign, tmp_path: Path
) -> None:
    out = tmp_path / "tong-hop.xlsx"
    json_out = tmp_path / "merge.json"
    before = copy_tree_bytes(full_returns)

    result = invoke("merge", full_returns, "--out", out, "--json", json_out)

    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert copy_tree_bytes(full_returns) == before
    data = json.loads(json_out.read_text("utf-8"))
    assert data == roundtrip(merge_returns(campaign, full_returns).to_json())
    assert {d["status"] for d in data["departments"]} == {"ok"}
    assert data["problems"] == []


def test_merge_with_a_missing_department_exits_1(full_returns_copy: Path, campaign: Campaign, tmp_path: Path) -> None:
    (full_returns_copy / FILE).unlink()
    out = tmp_path / "tong-hop.xlsx"
    json_out = tmp_path / "merge.json"

    result = invoke("merge", full_returns_copy, "--out", out, "--json", json_out)

    assert result.exit_code == 1, result.output
    assert out.is_file()  # the consolidated workbook is still written
    assert "missing-return" in result.stdout
    data = json.loads(json_out.read_text("utf-8"))
    assert data == roundtrip(merge_returns(campaign, full_returns_copy).to_json())
    statuses = {d["id"]: d["status"] for d in data["departments"]}
    assert statuses.pop(DEPT) == "missing"
    assert set(statuses.values()) == {"ok"}


def test_merge_nonexistent_folder_exits_3(tmp_path: Path) -> None:
    out = tmp_path / "tong-hop.xlsx"
    result = invoke("merge", tmp_path / "khong-co", "--out", out)
    assert result.exit_code == 3
    assert_no_traceback(result)
    assert "Không tìm thấy thư mục" in result.stderr
    assert not out.exists()


def test_cli_modules_do_not_import_the_app_module() -> None:
    """Command modules import parcli.cli.common (and the Vietnamese frame), never parcli.cli.main: no import loop
    among them."""
    import ast

    import parcli.cli

    folder = Path(parcli.cli.__file__).parent
    for path in sorted(folder.glob("*.py")):
        if path.name in ("main.py", "__init__.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        assert not imported & {"parcli.cli", "parcli.cli.main"}, path.name
        if path.name != "common.py":
            allowed = {"parcli.cli.common", "parcli.cli.vietnamese"}
            assert {m for m in imported if m.startswith("parcli.cli.")} <= allowed, path.name


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = invoke("--debug", "check", tmp_path / "khong-co.xlsx")
    assert result.exit_code != 0
    assert result.exception is not None and type(result.exception).__name__ == "InputNotFoundError"


def test_an_80_column_console_reads_the_message_in_full_lines(make_return: MakeReturn, tmp_path: Path) -> None:
    """On an 80-column window (cmd.exe as it opens) the message keeps the larger share of the table: its lines
    hold whole phrases, and where it is (file › sheet › cell, the item and the code) stands beside it."""
    path = make_return(DEPT, tmp_path, {CHOICE: {"score": 0.7}})
    narrow = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"})
    result = narrow.invoke(app, ["check", str(path)])
    assert result.exit_code == 1, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert rows and all(len(line) <= 80 for line in rows)
    message = [line.split("│")[3].strip() for line in rows]
    assert max(len(part) for part in message) >= 35, message  # not a word or two a line
    where = " ".join(line.split("│")[2].strip() for line in rows)
    assert FILE in where and f"mục {CHOICE}" in where and "mã " in where


def test_the_status_table_keeps_dates_whole_on_80_columns(full_returns: Path, tmp_path: Path) -> None:
    """Status and merge on an 80-column window: no line is cut, a date is never “10/12/20…”, a department is
    named with its appendix, its errors and warnings under its status."""
    narrow = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"})
    for args in (
        ["status", str(full_returns), "--today", "2024-01-20"],
        ["merge", str(full_returns), "-o", str(tmp_path / "th.xlsx")],
    ):
        result = narrow.invoke(app, args)
        assert result.exit_code in (0, 1), result.output
        lines = [line for line in result.output.splitlines() if line.startswith(("│", "┃", "┏", "└"))]
        assert lines and all(len(line) <= 80 for line in lines), result.output
        assert not any(re.search(r"\d\d/\d\d/\d{0,3}…", line) for line in lines), result.output
        assert "I. Sở Nội vụ" in result.output and "0 lỗi · " in result.output, result.output
