"""Appraisal workbooks typed the way an appraiser would: scores and notes by item code, with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from parcli.rounds.appraisal import layout


def type_into(path: Path, values: dict[str, tuple[Any, str]]) -> dict[str, str]:
    """Type appraised scores and notes by item code; return code → cell of the score."""
    wb = load_workbook(path)
    ws = wb[layout.SHEET_APPRAISAL]
    header = [c.value for c in ws[layout.HEADER_ROW]]
    c_code = header.index(layout.HEADER_CODE) + 1
    c_app = header.index(layout.HEADER_APPRAISED) + 1
    c_note = header.index(layout.HEADER_NOTE) + 1
    cells = {}
    for r in range(layout.HEADER_ROW + 1, ws.max_row + 1):
        code = ws.cell(row=r, column=c_code).value
        if code in values:
            score, note = values[code]
            ws.cell(row=r, column=c_app, value=score)
            ws.cell(row=r, column=c_note, value=note)
            cells[code] = ws.cell(row=r, column=c_app).coordinate
    wb.save(path)
    return cells
