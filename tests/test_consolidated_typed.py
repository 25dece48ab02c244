"""A value typed into the consolidated workbook's appraisal columns (its sheet unprotected by hand, the habit an
earlier version taught) is never discarded by the next merge onto it: the merge refuses, naming the cells and
pointing to `parcli appraise import`.  What parcli wrote there itself may be replaced."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli import app
from parcli.rounds.scoring import layout

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


def _type_appraisal(path: Path, code: str, score: float, note: str) -> str:
    """Type an appraised score and note on an item's row, as a reviewer with the sheet unprotected would."""
    wb = load_workbook(path)
    ws = wb[layout.SHEET_CONSOLIDATED]
    ws.protection.sheet = False
    header = next(r for r in ws.iter_rows() if any(c.value == layout.HEADER_CODE for c in r))
    columns = {c.value: c.column for c in header}
    row = next(
        r[0].row for r in ws.iter_rows(min_row=header[0].row + 1) if r[columns[layout.HEADER_CODE] - 1].value == code
    )
    ws.cell(row=row, column=columns[layout.HEADER_APPRAISED], value=score)
    ws.cell(row=row, column=columns[layout.HEADER_APPRAISAL_NOTE], value=note)
    wb.save(path)
    return f"{ws.cell(row=row, column=columns[layout.HEADER_APPRAISED]).column_letter}{row}"


def test_typed_appraisals_are_never_discarded(full_returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "tong-hop.xlsx"
    assert runner.invoke(app, ["merge", str(full_returns), "-o", str(out)]).exit_code == 0
    cell = _type_appraisal(out, "1.1.1", 0.25, "Ban hành chậm")
    before = out.read_bytes()
    res = runner.invoke(app, ["merge", str(full_returns), "-o", str(out)])
    assert res.exit_code == 3, res.output
    assert cell in res.output and "parcli appraise import" in res.output
    assert out.read_bytes() == before


def test_a_workbook_saved_again_unchanged_is_replaced(full_returns: Path, tmp_path: Path) -> None:
    """Opened and saved (its bytes change, its values do not): parcli's own output, replaced."""
    out = tmp_path / "tong-hop.xlsx"
    assert runner.invoke(app, ["merge", str(full_returns), "-o", str(out)]).exit_code == 0
    wb = load_workbook(out)
    wb.save(out)
    assert runner.invoke(app, ["merge", str(full_returns), "-o", str(out)]).exit_code == 0
